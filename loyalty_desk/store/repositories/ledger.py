"""Operations, ledger entries, lots and lot movements (append-only but for the projections)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select

from loyalty_desk.store.models import LedgerEntry, Lot, LotMovement, Operation
from loyalty_desk.store.repositories.base import Repository, in_chunks


class LedgerRepository(Repository):
    # operations
    def operation(self, operation_id: str) -> Operation | None:
        return self.session.get(Operation, operation_id)

    def add_operation(self, operation: Operation) -> Operation:
        return self._added(operation)

    # entries
    def entry_by_uid(self, entry_uid: str) -> LedgerEntry | None:
        return self.session.scalar(select(LedgerEntry).where(LedgerEntry.entry_uid == entry_uid))

    def existing_uids(self, entry_uids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in in_chunks(entry_uids):
            found.update(self.session.scalars(select(LedgerEntry.entry_uid).where(LedgerEntry.entry_uid.in_(chunk))))
        return found

    def entry(self, entry_id: int) -> LedgerEntry | None:
        return self.session.get(LedgerEntry, entry_id)

    def add_entry(self, entry: LedgerEntry) -> LedgerEntry:
        return self._added(entry)

    def entries_for_member(self, member_id: int) -> list[LedgerEntry]:
        return list(self.session.scalars(select(LedgerEntry).where(LedgerEntry.member_id == member_id).order_by(LedgerEntry.id)))

    def sum_entries(self, member_id: int) -> int:
        return int(self.session.scalar(select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(LedgerEntry.member_id == member_id)) or 0)

    def reversal_of(self, entry_id: int) -> LedgerEntry | None:
        return self.session.scalar(select(LedgerEntry).where(LedgerEntry.reverses_entry_id == entry_id))

    # lots
    def add_lot(self, lot: Lot) -> Lot:
        return self._added(lot)

    def lot(self, lot_id: int) -> Lot | None:
        return self.session.get(Lot, lot_id)

    def lots_for_member(self, member_id: int, *, open_only: bool = False) -> list[Lot]:
        query = select(Lot).where(Lot.member_id == member_id)
        if open_only:
            query = query.where(Lot.remaining > 0)
        return list(self.session.scalars(query.order_by(Lot.expires_on, Lot.earned_on, Lot.id)))

    def lots_by_ids(self, lot_ids: Sequence[int]) -> dict[int, Lot]:
        if not lot_ids:
            return {}
        return {lot.id: lot for lot in self.session.scalars(select(Lot).where(Lot.id.in_(list(lot_ids))))}

    def members_with_lots_expired_before(self, day: date) -> list[int]:
        """Members holding open lots whose expiry date is before ``day`` (uses the partial index)."""
        query = select(Lot.member_id).where(Lot.remaining > 0, Lot.expires_on < day).distinct()
        return sorted(self.session.scalars(query))

    def sum_lot_remaining(self, member_id: int) -> int:
        return int(self.session.scalar(select(func.coalesce(func.sum(Lot.remaining), 0)).where(Lot.member_id == member_id)) or 0)

    # movements
    def add_movements(self, movements: Sequence[LotMovement]) -> None:
        self.session.add_all(movements)
        self.session.flush()

    def movements_of_entry(self, entry_id: int) -> list[LotMovement]:
        return list(self.session.scalars(select(LotMovement).where(LotMovement.entry_id == entry_id).order_by(LotMovement.id)))
