"""Posting to the ledger inside a unit of work: the one place balances, lots and entries move.

Every posting appends a ledger entry with a derived ``entry_uid`` (so a rerun with the same
inputs posts nothing twice), moves lot balances through appended ``lot_movement`` rows, and
keeps the projections (``member.posted_balance``, ``lot.remaining``) in step in the same
transaction. Callers lock the member first (``uow.members.lock``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.lots import OpenLot, lot_expiry_date, plan_consumption, plan_expiry
from loyalty_desk.domain.rules import RuleSettings
from loyalty_desk.store.models import LedgerEntry, Lot, LotMovement, Member
from loyalty_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class Posting:
    """What every entry records besides its points."""

    entry_uid: str
    kind: str
    rule: str | None
    occurred_on: date
    operation_id: str | None = None
    branch_id: int | None = None
    staff_id: int | None = None
    reference: str | None = None
    campaign_code: str | None = None
    details: dict[str, Any] | None = None


class Ledger:
    def __init__(self, uow: UnitOfWork, settings: RuleSettings, now: datetime) -> None:
        self._uow = uow
        self._settings = settings
        self._now = now

    def already_posted(self, entry_uid: str) -> bool:
        return self._uow.ledger.entry_by_uid(entry_uid) is not None

    def _append(self, member: Member, posting: Posting, points: int, reverses_entry_id: int | None = None) -> LedgerEntry:
        member.posted_balance += points
        return self._uow.ledger.add_entry(
            LedgerEntry(
                entry_uid=posting.entry_uid,
                operation_id=posting.operation_id,
                member_id=member.id,
                kind=posting.kind,
                rule=posting.rule,
                points=points,
                balance_after=member.posted_balance,
                occurred_on=posting.occurred_on,
                posted_at=self._now,
                branch_id=posting.branch_id,
                staff_id=posting.staff_id,
                reference=posting.reference,
                campaign_code=posting.campaign_code,
                reverses_entry_id=reverses_entry_id,
                details=posting.details,
            )
        )

    def credit(self, member: Member, posting: Posting, points: int, *, qualifying: bool) -> LedgerEntry:
        """New points in a new lot that expires by the programme's lot lifetime."""
        if points <= 0:
            raise DomainError("points.not_positive", points=points)
        entry = self._append(member, posting, points)
        self._uow.ledger.add_lot(
            Lot(
                member_id=member.id,
                entry_id=entry.id,
                rule=posting.rule or posting.kind,
                earned_on=posting.occurred_on,
                expires_on=lot_expiry_date(posting.occurred_on, self._settings.expiry.lot_lifetime_months),
                original=points,
                remaining=points,
                qualifying=qualifying,
            )
        )
        return entry

    def open_lots(self, member: Member) -> list[Lot]:
        return self._uow.ledger.lots_for_member(member.id, open_only=True)

    def debit(self, member: Member, posting: Posting, points: int) -> LedgerEntry:
        """Takes points from the member's lots, soonest-expiring first; refuses more than the lots hold."""
        lots = {lot.id: lot for lot in self.open_lots(member)}
        plan = plan_consumption((OpenLot(lot.id, lot.earned_on, lot.expires_on, lot.remaining) for lot in lots.values()), points)
        entry = self._append(member, posting, -points)
        self._move(entry, [(lots[lot_id], -taken) for lot_id, taken in plan])
        return entry

    def note(self, member: Member, posting: Posting) -> LedgerEntry:
        """A zero-point entry: an event of the member's account (a tier change) that the history and
        the statement show in its place among the postings; no lot moves and the balance stays."""
        return self._append(member, posting, 0)

    def expire(self, member: Member, posting: Posting, as_of: date) -> LedgerEntry | None:
        """One expiry entry for every lot past its date; None when nothing has expired."""
        lots = {lot.id: lot for lot in self.open_lots(member)}
        plan = plan_expiry((OpenLot(lot.id, lot.earned_on, lot.expires_on, lot.remaining) for lot in lots.values()), as_of)
        if not plan:
            return None
        entry = self._append(member, posting, -sum(points for _, points in plan))
        self._move(entry, [(lots[lot_id], -points) for lot_id, points in plan])
        return entry

    def restore(self, member: Member, posting: Posting, original: LedgerEntry) -> LedgerEntry:
        """Gives back what ``original`` took, into the very lots it took from (original expiry dates kept)."""
        if self._uow.ledger.reversal_of(original.id) is not None:
            raise DomainError("ledger.already_reversed", entry_id=original.id)
        taken = [(m.lot_id, -m.points) for m in self._uow.ledger.movements_of_entry(original.id) if m.points < 0]
        lots = self._uow.ledger.lots_by_ids([lot_id for lot_id, _ in taken])
        entry = self._append(member, posting, sum(points for _, points in taken), reverses_entry_id=original.id)
        self._move(entry, [(lots[lot_id], points) for lot_id, points in taken])
        return entry

    def reverse_credit(self, member: Member, posting: Posting, original: LedgerEntry) -> LedgerEntry:
        """Takes back what the credit ``original`` gave, out of the very lots it put its points in.

        Those lots are the lot ``original`` opened (``lot.entry_id``; a ``credit``) and the lots its
        positive ``lot_movement`` rows went into (a ``restore``). Each gives back as much as it still
        holds, up to what it received. When later debits have consumed part of them, the rest comes
        from the member's other open lots, soonest-expiring first, and the entry's details say so
        (``from_own_lots``, ``from_other_lots``). When all the member's lots together hold less than
        the credit (the member has already spent it), nothing is posted: ``ledger.credit_spent``
        (``entry_id``, ``points``, ``available``) — the ledger never goes below zero, and the caller
        decides what to do with the shortfall. At most once per entry, like ``restore``.
        """
        if original.points <= 0:
            raise DomainError("points.not_positive", points=original.points)
        if self._uow.ledger.reversal_of(original.id) is not None:
            raise DomainError("ledger.already_reversed", entry_id=original.id)
        all_lots = {lot.id: lot for lot in self._uow.ledger.lots_for_member(member.id)}
        received: dict[int, int] = {lot.id: lot.original for lot in all_lots.values() if lot.entry_id == original.id}
        for movement in self._uow.ledger.movements_of_entry(original.id):
            if movement.points > 0:
                received[movement.lot_id] = received.get(movement.lot_id, 0) + movement.points
        own = [(lot_id, min(points, all_lots[lot_id].remaining)) for lot_id, points in received.items() if lot_id in all_lots]
        own = [(lot_id, taken) for lot_id, taken in own if taken > 0]
        from_own = sum(taken for _, taken in own)
        rest = original.points - from_own
        others: list[tuple[int, int]] = []
        if rest > 0:
            taken_here = dict(own)
            left = (OpenLot(lot.id, lot.earned_on, lot.expires_on, lot.remaining - taken_here.get(lot.id, 0)) for lot in all_lots.values())
            try:
                others = plan_consumption(left, rest)
            except DomainError as error:
                raise DomainError(
                    "ledger.credit_spent", entry_id=original.id, points=original.points, available=from_own + int(error.params.get("available", 0))
                ) from error
            posting = replace(posting, details={**(posting.details or {}), "from_own_lots": from_own, "from_other_lots": rest})
        entry = self._append(member, posting, -original.points, reverses_entry_id=original.id)
        moves: dict[int, int] = {}
        for lot_id, taken in [*own, *others]:
            moves[lot_id] = moves.get(lot_id, 0) + taken
        self._move(entry, [(all_lots[lot_id], -taken) for lot_id, taken in moves.items()])
        return entry

    def _move(self, entry: LedgerEntry, moves: list[tuple[Lot, int]]) -> None:
        for lot, points in moves:
            lot.remaining += points
        self._uow.ledger.add_movements([LotMovement(entry_id=entry.id, lot_id=lot.id, points=points) for lot, points in moves])
