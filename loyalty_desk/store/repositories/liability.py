"""The points liability's aggregates over the ledger: lot balances at a date, rebuilt from the lots
and their movements, and the entries of a period by kind. Every figure is one SQL aggregate,
grouped by the member's home branch and tier; nothing walks rows in Python.

A lot's balance at the end of a day is what it earned (when it was earned by then) plus its
movements whose entries are dated by then. The ledger's entries and the lots are written together
(``services.ledger``), so the two ways of counting must agree; the report says whether they do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import aliased

from loyalty_desk.store.models import LedgerEntry, Lot, LotMovement, Member
from loyalty_desk.store.repositories.base import Repository


@dataclass(frozen=True)
class GroupedPoints:
    branch_id: int
    tier: str
    points: int


@dataclass(frozen=True)
class LotBalance:
    """Open lot balances of a home branch and tier, of the lots with one expiry date, at the end of two days."""

    branch_id: int
    tier: str
    expires_on: date
    before: int  # at the end of the day before the period
    after: int  # at the end of the period's last day


@dataclass(frozen=True)
class KindPoints:
    """Entries of a kind (with the kind of the entry a reversal reverses) dated in a period."""

    branch_id: int
    tier: str
    kind: str
    reversed_kind: str | None
    in_month: bool  # dated in the report's month (else only in the longer window)
    points: int


class LiabilityRepository(Repository):
    def lot_balances(self, *, start: date, end: date, branch_id: int | None = None) -> list[LotBalance]:
        """Open lot balances per home branch, tier and expiry date at the end of ``start - 1 day`` and of ``end``:
        one pass over the lots (what they earned) and one over the movements (what moved in and out)."""
        member = aliased(Member)
        originals = (
            select(
                member.branch_id,
                member.tier,
                Lot.expires_on,
                func.coalesce(func.sum(case((Lot.earned_on < start, Lot.original), else_=0)), 0),
                func.coalesce(func.sum(Lot.original), 0),
            )
            .join(member, member.id == Lot.member_id)
            .where(Lot.earned_on <= end)
            .group_by(member.branch_id, member.tier, Lot.expires_on)
        )
        movements = (
            select(
                member.branch_id,
                member.tier,
                Lot.expires_on,
                func.coalesce(func.sum(case((LedgerEntry.occurred_on < start, LotMovement.points), else_=0)), 0),
                func.coalesce(func.sum(LotMovement.points), 0),
            )
            .join(LedgerEntry, LedgerEntry.id == LotMovement.entry_id)
            .join(Lot, Lot.id == LotMovement.lot_id)
            .join(member, member.id == LedgerEntry.member_id)
            .where(LedgerEntry.occurred_on <= end)
            .group_by(member.branch_id, member.tier, Lot.expires_on)
        )
        if branch_id is not None:
            originals = originals.where(member.branch_id == branch_id)
            movements = movements.where(member.branch_id == branch_id)
        totals: dict[tuple[int, str, date], list[int]] = {}
        for query in (originals, movements):
            for branch, tier, expires_on, before, after in self.session.execute(query):
                found = totals.setdefault((int(branch), str(tier), expires_on), [0, 0])
                found[0] += int(before)
                found[1] += int(after)
        return [LotBalance(*key, before, after) for key, (before, after) in sorted(totals.items())]

    def entries_by_kind(self, *, window_start: date, month_start: date, end: date, branch_id: int | None = None) -> list[KindPoints]:
        """Points of the entries dated from ``window_start`` to ``end`` per home branch, tier, kind
        and reversed kind, split into those dated from ``month_start`` on and the earlier ones."""
        member = aliased(Member)
        reversed_entry = aliased(LedgerEntry)
        in_month = case((LedgerEntry.occurred_on >= month_start, literal(1)), else_=literal(0))
        query = (
            select(member.branch_id, member.tier, LedgerEntry.kind, reversed_entry.kind, in_month, func.sum(LedgerEntry.points))
            .join(member, member.id == LedgerEntry.member_id)
            .outerjoin(reversed_entry, reversed_entry.id == LedgerEntry.reverses_entry_id)
            .where(and_(LedgerEntry.occurred_on >= window_start, LedgerEntry.occurred_on <= end))
            .group_by(member.branch_id, member.tier, LedgerEntry.kind, reversed_entry.kind, in_month)
        )
        if branch_id is not None:
            query = query.where(member.branch_id == branch_id)
        return [
            KindPoints(int(branch), str(tier), str(kind), reversed_kind, bool(month), int(points or 0))
            for branch, tier, kind, reversed_kind, month, points in self.session.execute(query)
        ]
