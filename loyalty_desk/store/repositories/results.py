"""The programme results' reads (``AnalyticsRepository.results``): the analytics aggregates, and the
indexed tables that hold what the aggregates do not."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from loyalty_desk.store import analytics
from loyalty_desk.store.repositories.base import as_date, as_datetime

if TYPE_CHECKING:
    from loyalty_desk.store.repositories.analytics import AnalyticsRepository


@dataclass(frozen=True)
class EntryFigure:
    """Points and entries of one kind and source in a month (``source``: an earning's rule, a reversal's reversed kind)."""

    month: date
    kind: str
    source: str | None
    points: int
    entries: int


@dataclass(frozen=True)
class DrillRow:
    """One row behind a figure: an entry, a redemption, a referral or a member."""

    on: date | None
    member_no: str
    member_name: str
    what: str  # the entry's kind and source, the reward's code, the referral's status, the member's tier
    points: int | None
    reference: str


@dataclass(frozen=True)
class CampaignScope:
    """Whom a campaign was for: its members' home branches (None: every branch), tiers and segment."""

    campaign_id: int
    code: str
    starts_on: date
    ends_on: date
    branch_codes: tuple[str, ...] | None
    tiers: tuple[str, ...]
    segment_code: str | None


def _json_list(value: Any) -> list[Any] | None:
    if isinstance(value, str):
        value = json.loads(value)
    return None if value is None else list(value)


class ResultsQueries:
    """The programme results' reads: the aggregates (entries, active members), and the indexed tables
    that hold what the aggregates do not (members and tiers, redemptions by reward, referrals, campaigns).

    Every figure counts a member under their home branch and tier as they are now, like the aggregates."""

    def __init__(self, repository: AnalyticsRepository, branch_id: int | None, tier: str | None) -> None:
        self._repository = repository
        self._session = repository.session
        self._branch_id = branch_id
        self._tier = tier

    def _day(self, value: date) -> Any:
        return self._repository._day(value)

    def _value(self, value: Any) -> Any:
        if isinstance(value, datetime):  # SQLite compares the text it stores times as
            return value if self._repository.is_postgres else value.isoformat(" ")
        return self._day(value) if isinstance(value, date) else value

    def _params(self, **values: Any) -> dict[str, Any]:
        return {"branch": self._branch_id, "tier": self._tier, **{key: self._value(value) for key, value in values.items()}}

    def _where(self, alias: str) -> str:
        where = ""
        if self._branch_id is not None:
            where += f" AND {alias}.branch_id = :branch"
        if self._tier is not None:
            where += f" AND {alias}.tier = :tier"
        return where

    def _entries_by_month(self, keys: str, sums: str, first: date, last: date, *, condition: str = "", having: str = "") -> Any:
        """``sums`` of the entry aggregate's rows dated from ``first`` to ``last`` (and meeting ``condition``) in the
        branch and tier asked for, by month and ``keys``: the month first, then the keys, then the sums."""
        month = analytics.month_start("a.day", self._repository.is_postgres)
        return self._session.execute(
            text(
                f"SELECT {month} AS month, {keys}, {sums} FROM {analytics.ENTRY_TABLE} a "
                f"WHERE a.day >= :first AND a.day <= :last{condition}{self._where('a')} GROUP BY month, {keys}{having}"
            ),
            self._params(first=first, last=last),
        )

    def entries(self, first: date, last: date) -> list[EntryFigure]:
        rows = self._entries_by_month("a.kind, a.source", "SUM(a.points), SUM(a.entries)", first, last,
                                      having=" HAVING SUM(a.entries) <> 0 OR SUM(a.points) <> 0")
        return [EntryFigure(as_date(m), str(kind), None if source is None else str(source), int(p or 0), int(n or 0)) for m, kind, source, p, n in rows]

    def tier_moves(self, first: date, last: date) -> list[tuple[str | None, str, int]]:
        """(home branch code, ``reason:from>to``, tier changes) of the tier change entries dated in the period."""
        rows = self._session.execute(
            text(
                f"SELECT b.code, a.source, SUM(a.entries) FROM {analytics.ENTRY_TABLE} a LEFT JOIN branch b ON b.id = a.branch_id "
                f"WHERE a.kind = '{analytics.TIER_KIND}' AND a.day >= :first AND a.day <= :last{self._where('a')} "
                "GROUP BY b.code, a.source HAVING SUM(a.entries) <> 0"
            ),
            self._params(first=first, last=last),
        )
        return [(None if code is None else str(code), str(source or ""), int(count)) for code, source, count in rows]

    def _member_join(self) -> str:
        return " JOIN member m ON m.id = a.member_id" if self._branch_id is not None or self._tier is not None else ""

    def activity(self, first: date, last: date, previous_first: date, previous_last: date) -> tuple[int, int, int]:
        """Members active in the period, in the previous one, and in both. Every member: sums of the gap
        aggregate (a member is active in a range of months once, at their first month in it: the month
        whose previous active month is before the range; active in both periods when that previous month
        falls in the previous period); a branch or tier: its members, each looked up in the
        ``(member_id, month)`` index of the active months."""
        params = self._params(first=first, last=last, previous_first=previous_first, previous_last=previous_last)
        if self._branch_id is None and self._tier is None:
            def first_in(start: str) -> str:
                return f"(previous_month IS NULL OR previous_month < :{start})"

            sql = (
                f"SELECT COALESCE(SUM(CASE WHEN day >= :first AND {first_in('first')} THEN count ELSE 0 END), 0), "
                f"COALESCE(SUM(CASE WHEN day <= :previous_last AND {first_in('previous_first')} THEN count ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN day >= :first AND previous_month >= :previous_first AND previous_month < :first THEN count ELSE 0 END), 0) "
                f"FROM {analytics.ACTIVE_GAP_TABLE} WHERE day >= :previous_first AND day <= :last"
            )
        else:
            def active_in(start: str, end: str) -> str:
                months = f"a.member_id = m.id AND a.month >= :{start} AND a.month <= :{end}"
                return f"CASE WHEN EXISTS (SELECT 1 FROM {analytics.ACTIVE_TABLE} a WHERE {months}) THEN 1 ELSE 0 END"

            sql = (
                "SELECT COALESCE(SUM(in_period), 0), COALESCE(SUM(in_previous), 0), COALESCE(SUM(in_period * in_previous), 0) FROM ("
                f"SELECT {active_in('first', 'last')} AS in_period, {active_in('previous_first', 'previous_last')} AS in_previous "
                f"FROM member m WHERE 1 = 1{self._where('m')}) AS by_member"
            )
        active, previous, both = self._session.execute(text(sql), params).one()
        return int(active), int(previous), int(both)

    def redeemed_by_category(self, first: date, last: date) -> dict[str, tuple[int, int]]:
        """(points, redemptions) per reward category of the redemptions made in the period and not reversed."""
        rows = self._session.execute(
            text(
                "SELECT r.category, SUM(d.points), COUNT(*) FROM redemption d JOIN reward r ON r.id = d.reward_id JOIN member m ON m.id = d.member_id "
                f"WHERE d.redeemed_at >= :first AND d.redeemed_at < :after AND d.reversed_at IS NULL{self._where('m')} GROUP BY r.category"
            ),
            self._params(first=_start_of(first), after=_start_of(last + timedelta(days=1))),
        )
        return {str(category): (int(points or 0), int(count)) for category, points, count in rows}

    def referral_funnel(self, first: date, last: date) -> tuple[int, int, int, int]:
        """Referrals registered in the period (under the referrer's home branch and tier): registered,
        qualified since, rewarded since, clawed back since."""
        row = self._session.execute(
            text(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.qualified_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN a.rewarded_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN a.status = 'clawed_back' THEN 1 ELSE 0 END), 0) "
                "FROM referral a JOIN member m ON m.id = a.referrer_member_id "
                f"WHERE a.registered_on >= :first AND a.registered_on <= :last{self._where('m')}"
            ),
            self._params(first=first, last=last),
        ).one()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3])

    def campaigns(self, first: date, last: date) -> list[tuple[str, str, str, int, int]]:
        """(code, Chinese name, English name, points awarded, members reached) of the campaigns that ran
        in the period; with a branch or tier, only that branch's or tier's members (``campaign_member``)."""
        if self._branch_id is None and self._tier is None:
            rows = self._session.execute(
                text(
                    "SELECT c.code, c.name_zh, c.name_en, c.spent_points, c.members_reached FROM campaign c "
                    "WHERE c.starts_on <= :last AND c.ends_on >= :first AND c.status IN ('approved', 'stopped') ORDER BY c.starts_on, c.code"
                ),
                self._params(first=first, last=last),
            )
        else:
            rows = self._session.execute(
                text(
                    "SELECT c.code, c.name_zh, c.name_en, COALESCE(SUM(a.points), 0), COUNT(a.member_id) FROM campaign c "
                    f"LEFT JOIN (campaign_member a JOIN member m ON m.id = a.member_id{self._where('m')}) ON a.campaign_id = c.id "
                    "WHERE c.starts_on <= :last AND c.ends_on >= :first AND c.status IN ('approved', 'stopped') "
                    "GROUP BY c.code, c.name_zh, c.name_en, c.starts_on ORDER BY c.starts_on, c.code"
                ),
                self._params(first=first, last=last),
            )
        return [(str(code), str(zh), str(en), int(points or 0), int(reached or 0)) for code, zh, en, points, reached in rows]

    def campaign_scopes(self, first: date, last: date) -> list[CampaignScope]:
        """Whom each campaign that ran in the period was for (the same campaigns as ``campaigns``)."""
        rows = self._session.execute(
            text(
                "SELECT c.id, c.code, c.starts_on, c.ends_on, c.branches, c.tiers, c.segment_code FROM campaign c "
                "WHERE c.starts_on <= :last AND c.ends_on >= :first AND c.status IN ('approved', 'stopped') ORDER BY c.starts_on, c.code"
            ),
            self._params(first=first, last=last),
        )
        scopes = []
        for campaign_id, code, starts_on, ends_on, branches, tiers, segment in rows:
            branches, tiers = _json_list(branches), _json_list(tiers)
            scopes.append(
                CampaignScope(int(campaign_id), str(code), as_date(starts_on), as_date(ends_on),
                              None if branches is None else tuple(str(b) for b in branches), tuple(str(t) for t in tiers or ()), segment)
            )
        return scopes

    def members_by_group(self, joined_by: date) -> list[tuple[int | None, str, int]]:
        """(home branch id, tier, members) of the members who had joined by ``joined_by``."""
        rows = self._session.execute(
            text(f"SELECT m.branch_id, m.tier, COUNT(*) FROM member m WHERE m.joined_on <= :joined_by{self._where('m')} GROUP BY m.branch_id, m.tier"),
            self._params(joined_by=joined_by),
        )
        return [(None if branch is None else int(branch), str(tier), int(count)) for branch, tier, count in rows]

    def spend_by_group(self, first: date, last: date) -> list[tuple[date, int | None, str, int]]:
        """(month, home branch id, tier, card spend in fen) for the months from ``first`` to ``last`` (their
        first days), from the entry aggregate (a few rows a month, however many members)."""
        rows = self._entries_by_month("a.branch_id, a.tier", "SUM(a.amount_fen)", first, last, condition=" AND a.amount_fen <> 0")
        return [(as_date(day), None if branch is None else int(branch), str(tier), int(fen or 0)) for day, branch, tier, fen in rows]

    def participants_by_group(
        self, windows: list[tuple[str, date, date]], first: date, last: date, joined_by: date
    ) -> list[tuple[str, int | None, str, int, int]]:
        """(campaign code, home branch id, tier, members, their card spend in fen) of the members each campaign
        (code, first and last month compared) awarded in the months from ``first`` to ``last``
        (``analytics_campaign_month``), their spend over the campaign's months compared: one pass over the
        participants, each one's months read in the spend aggregate's covering (member, month, amount) index."""
        if not windows:
            return []
        cast = "CAST({} AS date)" if self._repository.is_postgres else "{}"
        values = ", ".join(f"(:code{i}, {cast.format(f':from{i}')}, {cast.format(f':to{i}')})" for i in range(len(windows)))
        params: dict[str, Any] = {"first": first, "last": last, "joined_by": joined_by}
        for i, (code, months_from, months_to) in enumerate(windows):
            params.update({f"code{i}": code, f"from{i}": months_from, f"to{i}": months_to})
        rows = self._session.execute(
            text(
                f"WITH w (campaign_code, first_month, last_month) AS (VALUES {values}) "
                f"SELECT p.campaign_code, m.branch_id, m.tier, COUNT(*), SUM((SELECT COALESCE(SUM(s.amount_fen), 0) FROM {analytics.SPEND_TABLE} s "
                "WHERE s.member_id = p.member_id AND s.day >= w.first_month AND s.day <= w.last_month)) "
                f"FROM (SELECT DISTINCT c.campaign_code, c.member_id FROM {analytics.CAMPAIGN_TABLE} c JOIN w ON w.campaign_code = c.campaign_code "
                "WHERE c.month >= :first AND c.month <= :last) p JOIN w ON w.campaign_code = p.campaign_code JOIN member m ON m.id = p.member_id "
                f"WHERE m.joined_on <= :joined_by{self._where('m')} GROUP BY p.campaign_code, m.branch_id, m.tier"
            ),
            self._params(**params),
        )
        return [(str(c), None if branch is None else int(branch), str(tier), int(count), int(fen or 0)) for c, branch, tier, count, fen in rows]

    # --- what is behind a figure, a page at a time ---------------------------------------------------------

    def entry_rows(
        self, first: date, last: date, kinds: tuple[str, ...], offset: int, limit: int, *,
        source: str | None = None, reversals_only: bool = False, campaign: str | None = None, unrecorded: bool = False,
    ) -> tuple[list[DrillRow], int]:
        """Ledger entries of ``kinds`` (a reversal: of an entry of ``kinds``) dated in the period; ``source``
        narrows to an earning's rule, ``reversals_only`` to the reversals, ``campaign`` to a campaign's entries,
        ``unrecorded`` to the entries no redemption record stands behind."""
        names = ", ".join(f"'{kind}'" for kind in kinds)
        reversed_kinds = f"(e.kind = 'reversal' AND r.kind IN ({names}))"
        which = reversed_kinds if reversals_only else f"(e.kind IN ({names}) OR {reversed_kinds})"
        where = f"e.occurred_on >= :first AND e.occurred_on <= :last AND {which}" + self._where("m")
        if source is not None:
            where += " AND (CASE WHEN e.kind = 'reversal' THEN r.kind ELSE e.rule END) = :source"
        if campaign is not None:
            where += " AND e.campaign_code = :campaign"
        if unrecorded:
            where += " AND e.kind <> 'reversal' AND NOT EXISTS (SELECT 1 FROM redemption d WHERE d.entry_id = e.id)"
        joins = "FROM ledger_entry e JOIN member m ON m.id = e.member_id LEFT JOIN ledger_entry r ON r.id = e.reverses_entry_id"
        params = self._params(first=first, last=last, source=source, campaign=campaign, offset=offset, limit=limit)
        total = int(self._session.scalar(text(f"SELECT COUNT(*) {joins} WHERE {where}"), params) or 0)
        rows = self._session.execute(
            text(
                f"SELECT e.occurred_on, m.member_no, m.name, e.kind, CASE WHEN e.kind = 'reversal' THEN r.kind ELSE e.rule END, e.points, "
                f"COALESCE(e.reference, e.entry_uid) {joins} WHERE {where} ORDER BY e.occurred_on, e.id{_PAGE}"
            ),
            params,
        )
        found = [
            DrillRow(as_date(on), str(no), str(name), f"{kind}:{source or ''}", int(points), str(ref or ""))
            for on, no, name, kind, source, points, ref in rows
        ]
        return found, total

    def redemption_rows(self, first: date, last: date, category: str | None, offset: int, limit: int) -> tuple[list[DrillRow], int]:
        where = f"d.redeemed_at >= :first AND d.redeemed_at < :after AND d.reversed_at IS NULL{self._where('m')}"
        if category is not None:
            where += " AND r.category = :category"
        joins = "FROM redemption d JOIN reward r ON r.id = d.reward_id JOIN member m ON m.id = d.member_id"
        params = self._params(first=_start_of(first), after=_start_of(last + timedelta(days=1)), category=category, offset=offset, limit=limit)
        total = int(self._session.scalar(text(f"SELECT COUNT(*) {joins} WHERE {where}"), params) or 0)
        rows = self._session.execute(
            text(f"SELECT d.redeemed_at, m.member_no, m.name, r.code, d.points, d.number {joins} WHERE {where} ORDER BY d.redeemed_at, d.id{_PAGE}"),
            params,
        )
        found = [
            DrillRow(as_datetime(at).date(), str(no), str(name), str(code), -int(points), str(number)) for at, no, name, code, points, number in rows
        ]
        return found, total

    def referral_rows(self, first: date, last: date, stage: str, offset: int, limit: int) -> tuple[list[DrillRow], int]:
        """Referrals registered in the period at ``stage`` (registered: all; qualified, rewarded, clawed_back)."""
        stages = {
            "registered": "1 = 1", "qualified": "a.qualified_at IS NOT NULL", "rewarded": "a.rewarded_at IS NOT NULL",
            "clawed_back": "a.status = 'clawed_back'",
        }
        where = f"a.registered_on >= :first AND a.registered_on <= :last AND {stages[stage]}{self._where('m')}"
        joins = "FROM referral a JOIN member m ON m.id = a.referrer_member_id JOIN member n ON n.id = a.referee_member_id"
        params = self._params(first=first, last=last, offset=offset, limit=limit)
        total = int(self._session.scalar(text(f"SELECT COUNT(*) {joins} WHERE {where}"), params) or 0)
        rows = self._session.execute(
            text(f"SELECT a.registered_on, m.member_no, m.name, a.status, n.member_no {joins} WHERE {where} ORDER BY a.registered_on, a.id{_PAGE}"),
            params,
        )
        return [DrillRow(as_date(on), str(no), str(name), str(status), None, str(referee)) for on, no, name, status, referee in rows], total

    def member_rows(
        self, *, joined_by: date, tier: str | None, active_from: date | None, active_to: date | None, offset: int, limit: int
    ) -> tuple[list[DrillRow], int]:
        """Members (of a tier, or active in the months from ``active_from`` to ``active_to``)."""
        where = "m.joined_on <= :joined_by" + self._where("m")
        if tier is not None:
            where += " AND m.tier = :drill_tier"
        if active_from is not None:
            where += f" AND EXISTS (SELECT 1 FROM {analytics.ACTIVE_TABLE} a WHERE a.member_id = m.id AND a.month >= :active_from AND a.month <= :active_to)"
        params = self._params(joined_by=joined_by, drill_tier=tier, active_from=active_from, active_to=active_to, offset=offset, limit=limit)
        total = int(self._session.scalar(text(f"SELECT COUNT(*) FROM member m WHERE {where}"), params) or 0)
        rows = self._session.execute(
            text(f"SELECT m.joined_on, m.member_no, m.name, m.tier, m.posted_balance FROM member m WHERE {where} ORDER BY m.member_no{_PAGE}"),
            params,
        )
        return [DrillRow(as_date(on), str(no), str(name), str(tier_), int(balance), "") for on, no, name, tier_, balance in rows], total


_PAGE = " LIMIT :limit OFFSET :offset"


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
