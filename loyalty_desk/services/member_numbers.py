"""Where a new member's number comes from.

Rule: numbers are assigned centrally; a desk may assign from a block reserved to it while offline.

* Central (PostgreSQL): its sequence ``member_no_serial`` (``ld_member_serials``), for head office's
  imports and for registrations it applies; a desk's provisional number is replaced there by a
  final one (``final_number``).
* A standalone desk is its own head office: after the highest number in its store.
* A desk joined to central (``DeskBlocks``): from the blocks it reserved from central's sequence
  (``ld_reserve_member_numbers``, recorded per desk at central), which are final: central and the
  other desks never give them. With no block left it reserves one at once; when central cannot be
  reached the member gets a provisional number (``M9...``, ``domain.identity.is_provisional_member_no``)
  shown as provisional until central's copy of the member brings the final one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty_desk.domain.identity import FIRST_SERIAL, PROVISIONAL_SERIAL_FROM, is_provisional_member_no, make_member_no

BLOCK_SIZE = 50  # member numbers a desk reserves at a time
LOW_WATER = 10  # a sync round reserves the next block when fewer are left


def store_numbers(uow: Any, count: int) -> list[str]:
    """``count`` new numbers in ``uow``'s transaction: central's sequence (PostgreSQL) or, in a
    standalone store, after its highest number."""
    first = uow.members.new_member_serials(count, first=FIRST_SERIAL)
    return [make_member_no(first + i) for i in range(count)]


class StoreNumbers:
    """Central's sequence (PostgreSQL) or, in a standalone store, after its highest number."""

    keeps_provisional = False

    def take(self, context: Any, count: int = 1) -> list[str]:
        with context.uow(write=True) as uow:
            numbers = store_numbers(uow, count)
            uow.commit()
        return numbers


class DeskBlocks:
    """A joined desk: numbers from its reserved blocks, else provisional ones. ``reserve(count)`` asks
    central for a block and stores it (False when central cannot be reached)."""

    keeps_provisional = True

    def __init__(self, reserve: Callable[[int], bool] | None = None) -> None:
        self._reserve = reserve or (lambda count: False)

    def use(self, reserve: Callable[[int], bool]) -> None:
        self._reserve = reserve

    def take(self, context: Any, count: int = 1) -> list[str]:
        serials = self._from_blocks(context, count)
        if len(serials) < count and self._reserve(max(BLOCK_SIZE, count - len(serials))):
            serials += self._from_blocks(context, count - len(serials))
        numbers = [make_member_no(s) for s in serials]
        if len(numbers) < count:
            with context.uow() as uow:
                first = uow.members.next_provisional_serial(PROVISIONAL_SERIAL_FROM)
            numbers += [make_member_no(first + i) for i in range(count - len(numbers))]
        return numbers

    @staticmethod
    def _from_blocks(context: Any, count: int) -> list[int]:
        with context.uow(write=True) as uow:
            serials: list[int] = uow.members.take_block_serials(count)
            uow.commit()
        return serials


def numbers_of(context: Any) -> Any:
    return context.member_numbers or StoreNumbers()


def number_for(context: Any, operation_id: str, kind: str) -> str:
    """The member number an enrolling operation of ``kind`` carries in its payload: a retry replays the
    number its earlier attempt took; a new operation takes the next number where numbers are assigned."""
    with context.uow() as uow:
        earlier = uow.ledger.operation(operation_id)
        if earlier is not None and earlier.kind == kind:
            return str(earlier.payload.get("member_no"))
    return str(numbers_of(context).take(context, 1)[0])


def final_number(uow: Any, context: Any, member_no: str) -> str:
    """The number a registration's new member is written with: a provisional one becomes final where
    the numbers are assigned (central; a standalone desk), and stays as it is on a joined desk."""
    if not is_provisional_member_no(member_no) or numbers_of(context).keeps_provisional:
        return member_no
    return store_numbers(uow, 1)[0]
