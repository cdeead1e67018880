"""Queries behind statements, exports and the member import: read-only, streamed where large.

Rows come back as plain tuples / small dataclasses (never ORM objects), so services can hand
them to document writers without touching SQLAlchemy. Large exports stream with
``yield_per`` so memory stays flat whatever the row count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from loyalty_desk.store.models import (
    Branch,
    Campaign,
    LedgerEntry,
    Lot,
    Member,
    Redemption,
    Reward,
    RewardStock,
    RuleSetting,
    Staff,
)
from loyalty_desk.store.repositories.base import Repository, as_date, as_datetime, in_chunks

STREAM_BATCH = 2_000


@dataclass(frozen=True, slots=True)
class StatementEntryRow:
    entry_id: int
    occurred_on: date
    kind: str
    rule: str | None
    points: int
    reference: str | None
    campaign_code: str | None
    details: dict[str, Any] | None


class DocumentRepository(Repository):
    # ------------------------------------------------------------------ statements

    def balance_before(self, member_id: int, day: date) -> int:
        """Sum of the member's entries with a business date before ``day``."""
        query = select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
            LedgerEntry.member_id == member_id, LedgerEntry.occurred_on < day
        )
        return int(self.session.scalar(query) or 0)

    def statement_entries(self, member_id: int, date_from: date, date_to: date) -> list[StatementEntryRow]:
        """Entries with a business date in ``[date_from, date_to]``, oldest first (then posting order)."""
        query = (
            select(
                LedgerEntry.id,
                LedgerEntry.occurred_on,
                LedgerEntry.kind,
                LedgerEntry.rule,
                LedgerEntry.points,
                LedgerEntry.reference,
                LedgerEntry.campaign_code,
                LedgerEntry.details,
            )
            .where(LedgerEntry.member_id == member_id, LedgerEntry.occurred_on >= date_from, LedgerEntry.occurred_on <= date_to)
            .order_by(LedgerEntry.occurred_on, LedgerEntry.id)
        )
        return [StatementEntryRow(*row) for row in self.session.execute(query)]

    def campaign_names(self, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
        return self._names_by_code(Campaign, codes)

    def reward_names(self, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
        return self._names_by_code(Reward, codes)

    def _names_by_code(self, model: type[Campaign] | type[Reward], codes: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(Chinese name, English name) of each of ``codes`` that ``model`` holds."""
        wanted = sorted({c for c in codes if c})
        if not wanted:
            return {}
        rows = self.session.execute(select(model.code, model.name_zh, model.name_en).where(model.code.in_(wanted)))
        return {code: (zh, en) for code, zh, en in rows}

    def open_lots_expiring(self, member_id: int, start: date, end: date) -> list[tuple[date, int]]:
        """``(expires_on, remaining)`` of open lots expiring in ``[start, end]``."""
        query = select(Lot.expires_on, Lot.remaining).where(
            Lot.member_id == member_id, Lot.remaining > 0, Lot.expires_on >= start, Lot.expires_on <= end
        )
        return [(day, int(points)) for day, points in self.session.execute(query)]

    # ------------------------------------------------------------------ signing keys (rule_setting row)

    def setting_section(self, section: str) -> dict[str, Any] | None:
        row = self.session.get(RuleSetting, section)
        return dict(row.value) if row is not None else None

    def put_setting_section(self, section: str, value: dict[str, Any], *, by: str, now: datetime) -> None:
        row = self.session.get(RuleSetting, section)
        if row is None:
            self.session.add(RuleSetting(section=section, value=value, version=1, updated_at=now, updated_by=by))
        else:
            row.value, row.version, row.updated_at, row.updated_by = value, row.version + 1, now, by
        self.session.flush()

    # ------------------------------------------------------------------ exports

    def member_nos(self, *, branch_id: int | None = None, status: str | None = None) -> list[str]:
        query = select(Member.member_no)
        if branch_id is not None:
            query = query.where(Member.branch_id == branch_id)
        if status is not None:
            query = query.where(Member.status == status)
        return list(self.session.scalars(query.order_by(Member.member_no)))

    def iter_members(self, *, branch_id: int | None) -> Iterator[tuple[Any, ...]]:
        """member_no, kind, name, name_pinyin, id_type, id_number, mobile, card_no, branch code,
        status, tier, joined_on, posted_balance, held_points, referral_code; by member number."""
        query = (
            select(
                Member.member_no, Member.kind, Member.name, Member.name_pinyin, Member.id_type, Member.id_number,
                Member.mobile, Member.card_no, Branch.code, Member.status, Member.tier, Member.joined_on,
                Member.posted_balance, Member.held_points, Member.referral_code,
            )
            .join(Branch, Branch.id == Member.branch_id)
            .order_by(Member.member_no)
        )
        if branch_id is not None:
            query = query.where(Member.branch_id == branch_id)
        yield from self._stream(query)

    def iter_ledger(self, *, date_from: date | None, date_to: date | None, branch_id: int | None) -> Iterator[tuple[Any, ...]]:
        """entry id, occurred_on, posted_at, member_no, kind, rule, points, balance_after,
        reference, campaign_code, entry branch code, staff username, operation_id; in posting order.
        ``branch_id`` filters on the member's home branch.

        Streams on the session's DBAPI connection (same transaction) in batches: SQLAlchemy's
        result machinery would cost twice the query itself on a 100,000-row export."""
        conditions = []
        params: dict[str, Any] = {}
        if date_from is not None:
            conditions.append("e.occurred_on >= :date_from")
            params["date_from"] = date_from if self.is_postgres else date_from.isoformat()
        if date_to is not None:
            conditions.append("e.occurred_on <= :date_to")
            params["date_to"] = date_to if self.is_postgres else date_to.isoformat()
        if branch_id is not None:
            conditions.append("m.branch_id = :branch_id")
            params["branch_id"] = branch_id
        sql = (
            "SELECT e.id, e.occurred_on, e.posted_at, m.member_no, e.kind, e.rule, e.points, e.balance_after, "
            "e.reference, e.campaign_code, b.code, s.username, e.operation_id "
            "FROM ledger_entry e JOIN member m ON m.id = e.member_id "
            "LEFT JOIN branch b ON b.id = e.branch_id LEFT JOIN staff s ON s.id = e.staff_id"
            + (" WHERE " + " AND ".join(conditions) if conditions else "")
            + " ORDER BY e.id"
        )
        with self._driver_cursor(sql, params) as cursor:
            while True:
                batch = cursor.fetchmany(STREAM_BATCH)
                if not batch:
                    return
                for row in batch:
                    yield (row[0], as_date(row[1]), as_datetime(row[2]), *row[3:])

    def expiring_by_member(self, *, start: date, end: date, branch_id: int | None) -> list[tuple[Any, ...]]:
        """Per member with open lots expiring in ``[start, end]``: member_no, name, mobile, tier,
        branch code, posted balance, points expiring, earliest expiry; soonest first."""
        expiring = func.sum(Lot.remaining).label("expiring")
        earliest = func.min(Lot.expires_on).label("earliest")
        query = (
            select(Member.member_no, Member.name, Member.mobile, Member.tier, Branch.code, Member.posted_balance, expiring, earliest)
            .join(Member, Member.id == Lot.member_id)
            .join(Branch, Branch.id == Member.branch_id)
            .where(Lot.remaining > 0, Lot.expires_on >= start, Lot.expires_on <= end, Member.status != "closed")
            .group_by(Member.id, Member.member_no, Member.name, Member.mobile, Member.tier, Branch.code, Member.posted_balance)
            .order_by(earliest, Member.member_no)
        )
        if branch_id is not None:
            query = query.where(Member.branch_id == branch_id)
        return [tuple(row) for row in self.session.execute(query)]

    def journal(self, *, day_from: date, day_to: date, branch_id: int | None) -> list[tuple[Any, ...]]:
        """Per business day, branch and officer (username or None for jobs/imports) and entry kind:
        count and points. The branch is the entry's, else the member's home branch."""
        branch_of_entry = func.coalesce(LedgerEntry.branch_id, Member.branch_id)
        query = (
            select(
                LedgerEntry.occurred_on, Branch.code, Staff.username, Staff.display_name, LedgerEntry.kind,
                func.count(LedgerEntry.id), func.coalesce(func.sum(LedgerEntry.points), 0),
            )
            .join(Member, Member.id == LedgerEntry.member_id)
            .join(Branch, Branch.id == branch_of_entry)
            .outerjoin(Staff, Staff.id == LedgerEntry.staff_id)
            .where(LedgerEntry.occurred_on >= day_from, LedgerEntry.occurred_on <= day_to)
            .group_by(LedgerEntry.occurred_on, Branch.code, Staff.username, Staff.display_name, LedgerEntry.kind)
            .order_by(LedgerEntry.occurred_on, Branch.code, Staff.username, LedgerEntry.kind)
        )
        if branch_id is not None:
            query = query.where(branch_of_entry == branch_id)
        return [tuple(row) for row in self.session.execute(query)]

    def redemptions(self, *, date_from: datetime | None, date_to: datetime | None, branch_id: int | None) -> list[tuple[Any, ...]]:
        """number, redeemed_at, member_no, reward code, name_zh, name_en, category, qty, points,
        cash_value, branch code, officer username, reversed_at, reversal_reason; oldest first."""
        query = (
            select(
                Redemption.number, Redemption.redeemed_at, Member.member_no, Reward.code, Reward.name_zh, Reward.name_en,
                Reward.category, Redemption.qty, Redemption.points, Reward.cash_value, Branch.code, Staff.username,
                Redemption.reversed_at, Redemption.reversal_reason,
            )
            .join(Member, Member.id == Redemption.member_id)
            .join(Reward, Reward.id == Redemption.reward_id)
            .join(Branch, Branch.id == Redemption.branch_id)
            .join(Staff, Staff.id == Redemption.staff_id)
            .order_by(Redemption.redeemed_at, Redemption.id)
        )
        if date_from is not None:
            query = query.where(Redemption.redeemed_at >= date_from)
        if date_to is not None:
            query = query.where(Redemption.redeemed_at < date_to)
        if branch_id is not None:
            query = query.where(Redemption.branch_id == branch_id)
        return [tuple(row) for row in self.session.execute(query)]

    def stock(self, *, branch_id: int | None) -> list[tuple[Any, ...]]:
        """branch code, reward code, name_zh, name_en, points_cost, on hand; per branch and reward."""
        query = (
            select(Branch.code, Reward.code, Reward.name_zh, Reward.name_en, Reward.points_cost, RewardStock.on_hand)
            .join(Branch, Branch.id == RewardStock.branch_id)
            .join(Reward, Reward.id == RewardStock.reward_id)
            .order_by(Branch.code, Reward.code)
        )
        if branch_id is not None:
            query = query.where(RewardStock.branch_id == branch_id)
        return [tuple(row) for row in self.session.execute(query)]

    # ------------------------------------------------------------------ member import

    def existing_identities(
        self, *, id_numbers: Sequence[str], mobiles: Sequence[str], cards: Sequence[str]
    ) -> list[tuple[str, str, str, str | None, str]]:
        """member_no, id_number, mobile, card_no, name of members holding any of the given handles."""
        found: dict[str, tuple[str, str, str, str | None, str]] = {}
        query = select(Member.member_no, Member.id_number, Member.mobile, Member.card_no, Member.name)
        for column, values in ((Member.id_number, id_numbers), (Member.mobile, mobiles), (Member.card_no, cards)):
            for chunk in in_chunks(sorted({v for v in values if v})):
                for member_no, id_number, mobile, card_no, name in self.session.execute(query.where(column.in_(chunk))):
                    found[member_no] = (member_no, id_number, mobile, card_no, name)
        return list(found.values())

    # ------------------------------------------------------------------ helpers

    def _stream(self, query: Any) -> Iterator[tuple[Any, ...]]:
        result = self.session.execute(query.execution_options(yield_per=STREAM_BATCH))
        for row in result:
            yield tuple(row)



