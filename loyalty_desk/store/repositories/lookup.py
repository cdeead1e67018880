"""Member lookup queries (every handle the counter uses, each answered from one index) and the
member view's paged history.

Every query returns a ``LookupPage``: how many members match (counted up to ``count_cap``;
``total_capped`` says the real number is larger) and at most ``limit`` rows. The total is
only counted when the rows fill the page. Lookups run on every keystroke, so their
statements go straight to the session's DBAPI connection (same transaction) and rows are
small dataclasses, not ORM objects: SQLAlchemy's statement, result and identity-map
machinery would cost several times the index probe itself (see ``tests/bench``).

Name search is a prefix range over ``member_name_key`` (every suffix of a Chinese name, its
pinyin key, the words of a Latin name), written as ``key >= :q AND key < :q || U+10FFFF`` so
that it is an index range scan (SQLite's binary collation compares UTF-8 bytes and no
character sorts above U+10FFFF; on PostgreSQL the comparison is made ``COLLATE "C"``, which
needs the key index in that collation to be used). ``%`` and ``_`` are plain characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loyalty_desk.store.models import Branch, LedgerEntry
from loyalty_desk.store.repositories.base import Repository

PREFIX_UPPER_BOUND = "\U0010ffff"
DEFAULT_COUNT_CAP = 2_000
DEFAULT_RANK_WINDOW = 500

# Columns of one result row, with the member's branch code.
_ROW_COLUMNS = (
    "m.member_no, m.name, m.id_type, m.id_number, m.mobile, m.tier, m.posted_balance, m.status, b.code"
)
_ROW_FROM = "member m JOIN branch b ON b.id = m.branch_id"


@dataclass(frozen=True, slots=True)
class LookupRow:
    member_no: str
    name: str
    id_type: str
    id_number: str
    mobile: str
    tier: str
    posted_balance: int
    status: str
    branch_code: str


@dataclass(frozen=True)
class LookupPage:
    total: int  # members matching, counted up to the cap
    total_capped: bool  # True when more than ``total`` members match
    rows: tuple[LookupRow, ...]


@dataclass(frozen=True, slots=True)
class HistoryRow:
    entry_id: int
    occurred_on: date
    posted_at: datetime
    kind: str
    rule: str | None
    points: int
    balance_after: int
    reference: str | None
    campaign_code: str | None
    operation_id: str | None
    branch_code: str | None
    details: dict[str, Any] | None


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """``(low, high)`` such that ``low <= value < high`` holds exactly for values starting with ``prefix``."""
    return prefix, prefix + PREFIX_UPPER_BOUND


class LookupRepository(Repository):
    def __init__(self, session: Session, is_postgres: bool) -> None:
        super().__init__(session, is_postgres)
        # On PostgreSQL the range must compare bytes like SQLite does, whatever the database collation.
        self._collate = ' COLLATE "C"' if is_postgres else ""

    # ------------------------------------------------------------------ exact handles

    def by_member_no(self, member_no: str, *, limit: int) -> LookupPage:
        return self._exact("m.member_no = :value", member_no, limit=limit, unique=True)

    def by_card_no(self, card_no: str, *, limit: int) -> LookupPage:
        return self._exact("m.card_no = :value", card_no, limit=limit, unique=True)

    def by_mobile(self, mobile: str, *, limit: int) -> LookupPage:
        return self._exact("m.mobile = :value", mobile, limit=limit)

    def by_mobile_last4(self, last4: str, *, limit: int, count_cap: int = DEFAULT_COUNT_CAP) -> LookupPage:
        return self._exact("m.mobile_last4 = :value", last4, limit=limit, count_cap=count_cap)

    def by_id_number(self, id_number: str, *, limit: int) -> LookupPage:
        return self._exact("m.id_number = :value", id_number, limit=limit)

    # ------------------------------------------------------------------ prefixes

    def by_number_prefix(
        self, *, member_no_prefix: str | None, digits_prefix: str | None, limit: int, count_cap: int = DEFAULT_COUNT_CAP
    ) -> LookupPage:
        """Members whose member number starts with ``member_no_prefix``, or whose card or mobile
        starts with ``digits_prefix`` (what was typed so far, not yet a whole handle).

        Each number is its own index range, read in its own order and cut at ``limit``; the
        rows shown are the first ``limit`` of those by member number. The total adds up the
        ranges (each counted up to the cap), so a member matching two ranges counts twice.
        """
        ranges: list[tuple[str, str]] = []
        if member_no_prefix:
            ranges.append(("member_no", member_no_prefix))
        if digits_prefix:
            ranges.extend((("card_no", digits_prefix), ("mobile", digits_prefix)))
        total, ids = 0, set[int]()
        for column, prefix in ranges:
            low, high = prefix_bounds(prefix)
            where = f"{column} >= :low AND {column} < :high"
            count_sql = f"SELECT count(*) FROM (SELECT id FROM member WHERE {where} LIMIT :cap) AS counted"
            total += int(self._fetch(count_sql, {"low": low, "high": high, "cap": count_cap + 1})[0][0])
            ids_sql = f"SELECT id FROM member WHERE {where} ORDER BY {column} LIMIT :limit"
            ids.update(row[0] for row in self._fetch(ids_sql, {"low": low, "high": high, "limit": limit}))
        if not ids:
            return LookupPage(0, False, ())
        placeholders = ", ".join(f":id{n}" for n in range(len(ids)))
        sql = f"SELECT {_ROW_COLUMNS} FROM {_ROW_FROM} WHERE m.id IN ({placeholders}) ORDER BY m.member_no LIMIT :limit"
        params: dict[str, object] = {f"id{n}": member_id for n, member_id in enumerate(sorted(ids))}
        rows = self._rows(sql, {**params, "limit": limit})
        return LookupPage(min(total, count_cap), total > count_cap, rows)

    def by_name(
        self, query: str, *, limit: int, count_cap: int = DEFAULT_COUNT_CAP, rank_window: int = DEFAULT_RANK_WINDOW
    ) -> LookupPage:
        """Members with a name key starting with ``query`` (part of a Chinese name, start of the
        pinyin or of a Latin name's word), ranked: whole name (or pinyin) equal to the query,
        then names (or pinyin) starting with it, then the rest; member number within a rank.

        Ranking reads the member rows of the first ``rank_window`` matching members in key
        order, which puts keys equal to the query first: exact names are always among them
        unless more than ``rank_window`` members carry the query as a whole key. Beyond the
        window the order is only approximate and the officer is expected to type more;
        ranking every match of "王" (a tenth of the directory) would cost seconds.
        """
        low, high = prefix_bounds(query)
        c = self._collate
        where = f"key{c} >= :low AND key{c} < :high"
        window = f"SELECT DISTINCT member_id FROM member_name_key WHERE {where} LIMIT :window"
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM ("
            "  SELECT m.id AS id, m.member_no AS member_no, CASE"
            "    WHEN m.name = :query OR m.name_pinyin = :query THEN 0"
            f"    WHEN (m.name{c} >= :low AND m.name{c} < :high)"
            f"      OR (m.name_pinyin{c} >= :low AND m.name_pinyin{c} < :high) THEN 1"
            "    ELSE 2 END AS name_rank"
            f"  FROM member m WHERE m.id IN ({window})"
            "  ORDER BY name_rank, m.member_no LIMIT :limit"
            ") AS ranked "
            "JOIN member m ON m.id = ranked.id JOIN branch b ON b.id = m.branch_id "
            "ORDER BY ranked.name_rank, ranked.member_no"
        )
        params: dict[str, object] = {"low": low, "high": high, "query": query}
        rows = self._rows(sql, {**params, "window": rank_window, "limit": limit})
        if len(rows) < limit:
            return LookupPage(len(rows), False, rows)
        count_sql = f"SELECT DISTINCT member_id FROM member_name_key WHERE {where}"
        total, capped = self._count(count_sql, params, count_cap)
        return LookupPage(total, capped, rows)

    # ------------------------------------------------------------------ member view

    def history(
        self,
        member_id: int,
        *,
        kinds: Sequence[str],
        date_from: date | None,
        date_to: date | None,
        offset: int,
        limit: int,
    ) -> tuple[int, tuple[HistoryRow, ...]]:
        """``(total, page)`` of a member's ledger entries, newest first (business date, then posting order)."""
        conditions = [LedgerEntry.member_id == member_id]
        if kinds:
            conditions.append(LedgerEntry.kind.in_(list(kinds)))
        if date_from is not None:
            conditions.append(LedgerEntry.occurred_on >= date_from)
        if date_to is not None:
            conditions.append(LedgerEntry.occurred_on <= date_to)
        total = int(self.session.scalar(select(func.count()).select_from(LedgerEntry).where(*conditions)) or 0)
        query = (
            select(
                LedgerEntry.id,
                LedgerEntry.occurred_on,
                LedgerEntry.posted_at,
                LedgerEntry.kind,
                LedgerEntry.rule,
                LedgerEntry.points,
                LedgerEntry.balance_after,
                LedgerEntry.reference,
                LedgerEntry.campaign_code,
                LedgerEntry.operation_id,
                Branch.code,
                LedgerEntry.details,
            )
            .outerjoin(Branch, Branch.id == LedgerEntry.branch_id)
            .where(*conditions)
            .order_by(LedgerEntry.occurred_on.desc(), LedgerEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return total, tuple(HistoryRow(*tuple(row)) for row in self.session.execute(query))

    # ------------------------------------------------------------------ helpers

    def _exact(
        self, condition: str, value: str, *, limit: int, unique: bool = False, count_cap: int = DEFAULT_COUNT_CAP
    ) -> LookupPage:
        sql = f"SELECT {_ROW_COLUMNS} FROM {_ROW_FROM} WHERE {condition} ORDER BY m.member_no LIMIT :limit"
        rows = self._rows(sql, {"value": value, "limit": limit})
        if unique or len(rows) < limit:
            return LookupPage(len(rows), False, rows)
        total, capped = self._count(f"SELECT m.id FROM member m WHERE {condition}", {"value": value}, count_cap)
        return LookupPage(total, capped, rows)

    def _count(self, ids_sql: str, params: dict[str, object], count_cap: int) -> tuple[int, bool]:
        sql = f"SELECT count(*) FROM ({ids_sql} LIMIT :count_limit) AS counted"
        total = int(self._fetch(sql, {**params, "count_limit": count_cap + 1})[0][0])
        return min(total, count_cap), total > count_cap

    def _rows(self, sql: str, params: dict[str, object]) -> tuple[LookupRow, ...]:
        return tuple(LookupRow(*row) for row in self._fetch(sql, params))

    def _fetch(self, sql: str, params: dict[str, object]) -> list[Any]:
        with self._driver_cursor(sql, params) as cursor:
            return cursor.fetchall()
