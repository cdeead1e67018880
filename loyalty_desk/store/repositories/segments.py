"""Segments: the saved rows, and a segment's members as one SQL filter on ``member``.

Every criterion is a condition on the member row or an ``EXISTS`` on an index that starts with the
member (``ix_ledger_entry_member_id_occurred_on``, ``ix_lot_member_id_expires_on``,
``ix_referral_referrer_member_id_registered_on``), so a count is one pass over the members with index
probes, and one member's membership (the earning engine's question) is one indexed query.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, not_, select

from loyalty_desk.domain.segments import CardStage, SegmentCriteria, SegmentDates
from loyalty_desk.store.models import Branch, LedgerEntry, Lot, Member, Referral, Segment
from loyalty_desk.store.repositories.base import Repository


def _entries_since(kind: str, since: date) -> ColumnElement[bool]:
    return exists().where(LedgerEntry.member_id == Member.id, LedgerEntry.occurred_on >= since, LedgerEntry.kind == kind)


def member_conditions(criteria: SegmentCriteria, dates: SegmentDates, today: date) -> list[ColumnElement[bool]]:
    """The conditions on ``member`` that select the segment's members (closed accounts never)."""
    conditions: list[ColumnElement[bool]] = [Member.status != "closed"]
    if criteria.tiers:
        conditions.append(Member.tier.in_([t.value for t in criteria.tiers]))
    if criteria.branches:
        conditions.append(Member.branch_id.in_(select(Branch.id).where(Branch.code.in_(criteria.branches)).scalar_subquery()))
    if dates.joined_since is not None:
        conditions.append(Member.joined_on >= dates.joined_since)
    if criteria.balance_min is not None:
        conditions.append(Member.posted_balance >= criteria.balance_min)
    if criteria.balance_max is not None:
        conditions.append(Member.posted_balance <= criteria.balance_max)
    if dates.earned_since is not None:
        conditions.append(_entries_since("earn", dates.earned_since))
    if dates.redeemed_since is not None:
        conditions.append(_entries_since("redeem", dates.redeemed_since))
    if dates.dormant_since is not None:
        conditions.append(not_(exists().where(
            LedgerEntry.member_id == Member.id, LedgerEntry.occurred_on >= dates.dormant_since, LedgerEntry.kind.in_(("earn", "redeem")),
        )))
    if dates.expiring_by is not None:
        conditions.append(exists().where(Lot.member_id == Member.id, Lot.expires_on >= today, Lot.expires_on <= dates.expiring_by,
                                         Lot.remaining > 0))
    if criteria.has_referred is not None:
        referred = exists().where(Referral.referrer_member_id == Member.id)
        conditions.append(referred if criteria.has_referred else not_(referred))
    if criteria.card_stage is CardStage.APPROVED:
        conditions.append(Member.card_approved_on.is_not(None))
    elif criteria.card_stage is CardStage.APPLIED:
        conditions.append(and_(Member.card_applied_on.is_not(None), Member.card_approved_on.is_(None)))
    elif criteria.card_stage is CardStage.NO_CARD:
        conditions.append(and_(Member.card_applied_on.is_(None), Member.card_approved_on.is_(None)))
    return conditions


class SegmentRepository(Repository):
    def all(self) -> list[Segment]:
        return list(self.session.scalars(select(Segment).order_by(Segment.code)))

    def by_code(self, code: str) -> Segment | None:
        return self.session.scalar(select(Segment).where(Segment.code == code))

    def lock(self, code: str) -> Segment | None:
        return self._fresh_row(select(Segment).where(Segment.code == code))

    def codes(self) -> list[str]:
        return list(self.session.scalars(select(Segment.code).order_by(Segment.code)))

    def add(self, segment: Segment) -> Segment:
        return self._added(segment)

    def remove(self, segment: Segment) -> None:
        self.session.delete(segment)

    def count(self, criteria: SegmentCriteria, dates: SegmentDates, today: date) -> int:
        return int(self.session.scalar(select(func.count()).select_from(Member).where(*member_conditions(criteria, dates, today))) or 0)

    def holds(self, criteria: SegmentCriteria, dates: SegmentDates, today: date, member_id: int) -> bool:
        """Whether one member is in the segment now: one query on the member's primary key and indexes."""
        query = select(Member.id).where(Member.id == member_id, *member_conditions(criteria, dates, today))
        return self.session.scalar(query) is not None

    def member_ids(self, criteria: SegmentCriteria, dates: SegmentDates, today: date, *, batch: int = 5000) -> Iterator[list[int]]:
        """The segment's member ids in ascending order, ``batch`` at a time (keyset pages)."""
        conditions = member_conditions(criteria, dates, today)
        after = 0
        while True:
            page = list(self.session.scalars(select(Member.id).where(Member.id > after, *conditions).order_by(Member.id).limit(batch)))
            if not page:
                return
            yield page
            after = page[-1]
