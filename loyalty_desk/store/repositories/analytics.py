"""Reading the analytics aggregates (``store/analytics.py`` keeps them): the liability's figures, the
branch dashboard's, and the rebuild, check and compaction of the aggregates themselves; the
programme results' reads are ``results.ResultsQueries``.

Every figure sums delta rows; none reads the ledger. A branch of ``None`` means every branch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from loyalty_desk.store import analytics
from loyalty_desk.store.repositories.base import Repository, as_date
from loyalty_desk.store.repositories.liability import KindPoints, LotBalance
from loyalty_desk.store.repositories.results import ResultsQueries


@dataclass(frozen=True)
class AggregateDifference:
    """A key (by month) where the aggregates and the ledger differ."""

    table: str
    key: tuple[Any, ...]
    aggregates: tuple[int, ...]
    ledger: tuple[int, ...]


@dataclass(frozen=True)
class MonthFigures:
    month: date
    issued: int  # to the branch's members (earning, referral rewards, net of claw-backs)
    redeemed: int  # at the branch, net of reversals
    redemptions: int


@dataclass(frozen=True)
class PeriodFigures:
    members_served: int
    redemptions: int
    points_redeemed: int  # net of reversals
    referrals: int
    adjustments_requested: int


_ISSUED_KINDS = ("earn", "referral", "clawback")
VERIFY_CACHE_KIB = -262144  # SQLite's page cache while verifying: 256 MiB
_SET_QUERIES = {
    "served": analytics.served_difference_query,
    "active": analytics.active_difference_query,
    "campaign": analytics.campaign_difference_query,
}
# What ``verify`` checks, each on its own and the ones reading the most rows first (they can run at
# once): aggregates of sums by key against the ledger's sums, and sets of members against the ledger's.
SHAPE_CHECKS = (analytics.ENTRY_TABLE, analytics.LOT_TABLE, analytics.SPEND_TABLE, analytics.ACTIVE_GAP_TABLE, analytics.ACTIVITY_TABLE)
SET_CHECKS = ("active", "served", "campaign")


class AnalyticsRepository(Repository):
    def _execute(self) -> analytics.Execute:
        session = self.session
        return lambda sql, params: session.execute(text(sql), params)

    def _day(self, value: date) -> Any:
        """A date parameter: SQLite compares the ISO text it stores dates as."""
        return value if self.is_postgres else value.isoformat()

    # --- upkeep -----------------------------------------------------------------------------------------

    def rebuild(self, *, before: date) -> None:
        analytics.rebuild(self._execute(), self.is_postgres, self._day(before))

    def compact(self, *, before: date) -> None:
        analytics.run(self._execute(), analytics.compact_statements(self.is_postgres), {"before": self._day(before)})

    @contextmanager
    def _sorting_in_memory(self) -> Iterator[None]:
        """The checks sort and probe millions of rows: on SQLite in memory, not in temporary files."""
        if self.is_postgres:
            yield
            return
        cache = self.session.execute(text("PRAGMA cache_size")).scalar()
        self.session.execute(text("PRAGMA temp_store = MEMORY"))
        self.session.execute(text(f"PRAGMA cache_size = {VERIFY_CACHE_KIB}"))
        try:
            yield
        finally:
            self.session.execute(text("PRAGMA temp_store = DEFAULT"))
            self.session.execute(text(f"PRAGMA cache_size = {int(cache or -2000)}"))

    def shape_differences(self, table: str, limit: int = 1000) -> list[AggregateDifference]:
        """The keys (by month) where aggregate ``table`` (one of ``SHAPE_CHECKS``) and the ledger differ, at most ``limit``."""
        shape = next(shape for shape in analytics.SHAPES if shape.table == table)
        width = 1 + len(shape.keys)
        found: list[AggregateDifference] = []
        with self._sorting_in_memory():
            for row in self.session.execute(text(analytics.verify_queries(self.is_postgres)[table])):
                values = tuple(row)
                sums = values[width:]
                found.append(AggregateDifference(table, values[:width], tuple(int(v or 0) for v in sums[0::2]), tuple(int(v or 0) for v in sums[1::2])))
                if len(found) >= limit:
                    break
        return found

    def set_differences(self, name: str) -> tuple[int, int]:
        """For member set ``name`` (one of ``SET_CHECKS``): the rows the ledger names and the aggregate
        lacks, and the other way round, counted."""
        with self._sorting_in_memory():
            missing, extra = self.session.execute(text(_SET_QUERIES[name](self.is_postgres))).one()
        return int(missing), int(extra)

    def row_counts(self) -> dict[str, int]:
        return {table: int(self.session.scalar(text(f"SELECT COUNT(*) FROM {table}")) or 0) for table in analytics.AGGREGATE_TABLES}

    # --- the liability ------------------------------------------------------------------------------------

    def lot_balances(self, *, start: date, end: date, branch_id: int | None = None) -> list[LotBalance]:
        """Open lot balances per home branch, tier and expiry date at the end of ``start - 1 day`` and of ``end``."""
        where = "day <= :end" + (" AND branch_id = :branch" if branch_id is not None else "")
        rows = self.session.execute(
            text(
                "SELECT branch_id, tier, expires_on, SUM(CASE WHEN day < :start THEN points ELSE 0 END), SUM(points) "
                f"FROM {analytics.LOT_TABLE} WHERE {where} GROUP BY branch_id, tier, expires_on"
            ),
            {"start": self._day(start), "end": self._day(end), "branch": branch_id},
        )
        result = []
        for branch, tier, expires_on, before, after in rows:
            if before == 0 and after == 0:
                continue
            result.append(LotBalance(int(branch) if branch is not None else 0, str(tier), as_date(expires_on), int(before), int(after)))
        return sorted(result, key=lambda item: (item.branch_id, item.tier, item.expires_on))

    def entries_by_kind(self, *, window_start: date, month_start: date, end: date, branch_id: int | None = None) -> list[KindPoints]:
        where = "day >= :window_start AND day <= :end" + (" AND branch_id = :branch" if branch_id is not None else "")
        rows = self.session.execute(
            text(
                "SELECT branch_id, tier, kind, source, CASE WHEN day >= :month_start THEN 1 ELSE 0 END AS in_month, SUM(points) "
                f"FROM {analytics.ENTRY_TABLE} WHERE {where} GROUP BY branch_id, tier, kind, source, in_month"
            ),
            {"window_start": self._day(window_start), "month_start": self._day(month_start), "end": self._day(end), "branch": branch_id},
        )
        return [
            KindPoints(int(branch) if branch is not None else 0, str(tier), str(kind), source if kind == "reversal" else None, bool(month), int(points or 0))
            for branch, tier, kind, source, month, points in rows
        ]

    # --- the branch dashboard ------------------------------------------------------------------------------

    def period(self, *, first: date, last: date, branch_id: int | None) -> PeriodFigures:
        params = {"first": self._day(first), "last": self._day(last), "branch": branch_id}
        branch = " AND desk_branch_id = :branch" if branch_id is not None else ""
        redeemed = self.session.execute(
            text(
                "SELECT COALESCE(SUM(CASE WHEN kind = 'redeem' THEN entries ELSE 0 END), 0), COALESCE(-SUM(points), 0) "
                f"FROM {analytics.ENTRY_TABLE} WHERE day >= :first AND day <= :last{branch} "
                "AND (kind = 'redeem' OR (kind = 'reversal' AND source = 'redeem'))"
            ),
            params,
        ).one()
        branch = " AND branch_id = :branch" if branch_id is not None else ""
        activity: dict[str, int] = dict(
            self.session.execute(
                text(f"SELECT activity, SUM(count) FROM {analytics.ACTIVITY_TABLE} WHERE day >= :first AND day <= :last{branch} GROUP BY activity"),
                params,
            ).all()
        )
        counted = "COUNT(*)" if first == last and branch_id is not None else "COUNT(DISTINCT member_id)"  # a member once per branch and day
        served = self.session.scalar(
            text(f"SELECT {counted} FROM {analytics.SERVED_TABLE} WHERE day >= :first AND day <= :last{branch}"),
            params,
        )
        return PeriodFigures(
            members_served=int(served or 0),
            redemptions=int(redeemed[0] or 0),
            points_redeemed=int(redeemed[1] or 0),
            referrals=int(activity.get("referral") or 0),
            adjustments_requested=int(activity.get("adjustment_request") or 0),
        )

    def results(self, *, branch_id: int | None, tier: str | None) -> ResultsQueries:
        """The programme results' reads, narrowed to a home branch and a tier (None: every one)."""
        return ResultsQueries(self, branch_id, tier)

    def open_sync_exceptions(self) -> int:
        return int(self.session.scalar(text("SELECT COUNT(*) FROM sync_exception WHERE resolved_at IS NULL")) or 0)

    def low_stock(self, *, branch_id: int | None, at_most: int, today: date) -> list[tuple[str, str, str, int]]:
        """(code, Chinese name, English name, on hand) of stock-tracked rewards on offer with at most
        ``at_most`` on hand at the branch (every branch: summed), the fewest first."""
        branch = "AND s.branch_id = :branch " if branch_id is not None else ""
        rows = self.session.execute(
            text(
                "SELECT r.code, r.name_zh, r.name_en, SUM(s.on_hand) AS on_hand FROM reward r JOIN reward_stock s ON s.reward_id = r.id "
                f"WHERE r.stock_tracked {branch}AND (r.active_to IS NULL OR r.active_to >= :today) "
                "GROUP BY r.code, r.name_zh, r.name_en HAVING SUM(s.on_hand) <= :at_most ORDER BY on_hand, r.code"
            ),
            {"branch": branch_id, "at_most": at_most, "today": self._day(today)},
        )
        return [(str(code), str(zh), str(en), int(on_hand)) for code, zh, en, on_hand in rows]

    def months(self, *, first: date, last: date, branch_id: int | None) -> list[MonthFigures]:
        """Per month from ``first`` (a month's first day) to ``last``: issued to the branch's members,
        redeemed at the branch and the redemptions there."""
        month = analytics.month_start("day", self.is_postgres)
        issued = ", ".join(f"'{kind}'" for kind in _ISSUED_KINDS)
        home = "branch_id = :branch" if branch_id is not None else "1 = 1"
        desk = "desk_branch_id = :branch" if branch_id is not None else "1 = 1"
        rows = self.session.execute(
            text(
                f"SELECT {month} AS month, "
                f"SUM(CASE WHEN {home} AND (kind IN ({issued}) OR (kind = 'reversal' AND source IN ({issued}))) THEN points ELSE 0 END), "
                f"SUM(CASE WHEN {desk} AND (kind = 'redeem' OR (kind = 'reversal' AND source = 'redeem')) THEN -points ELSE 0 END), "
                f"SUM(CASE WHEN {desk} AND kind = 'redeem' THEN entries ELSE 0 END) "
                f"FROM {analytics.ENTRY_TABLE} WHERE day >= :first AND day <= :last GROUP BY month"
            ),
            {"first": self._day(first), "last": self._day(last), "branch": branch_id},
        )
        return [MonthFigures(as_date(m), int(i or 0), int(r or 0), int(n or 0)) for m, i, r, n in rows]
