"""The applier's batch: the repositories and unit of work the handlers get inside one batch
transaction (``sync/applier.py``), which add rows without a flush each (ids from the sequences a
block at a time), answer the batch's members and open lots from what was loaded up front, keep the
audit chain's last event, and write the batch's new rows in one ``COPY`` per table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from psycopg.types.json import Json
from sqlalchemy import Table, event, inspect, text
from sqlalchemy import types as sa_types
from sqlalchemy.orm import Session

from loyalty_desk.store.models import (
    AuditEvent,
    Base,
    Branch,
    LedgerEntry,
    Lot,
    LotMovement,
    Member,
    Operation,
    Redemption,
    Reward,
    RewardStock,
    RewardStockMovement,
)
from loyalty_desk.store.repositories.audit import AuditRepository
from loyalty_desk.store.repositories.ledger import LedgerRepository
from loyalty_desk.store.repositories.members import MemberRepository
from loyalty_desk.store.repositories.redemption import RedemptionRepository
from loyalty_desk.store.repositories.reference import ReferenceRepository
from loyalty_desk.store.uow import UnitOfWork

K = TypeVar("K")
V = TypeVar("V")


class _SessionSource:
    """Looks like a ``Database`` to ``UnitOfWork``: hands out the one session of the batch."""

    is_sqlite = False

    def __init__(self, session: Session) -> None:
        self._session = session

    def write_sessions(self) -> Session:
        return self._session

    read_sessions = write_sessions


class IdBlocks:
    """Primary keys taken from the tables' sequences a block at a time, so a new row has its id when it
    is added and nothing has to be flushed to learn it (the batch's rows are written in one flush).

    Blocks live as long as the batch (sized to it), so a member's rows still get rising ids: the
    member is locked for the whole batch, and a later batch takes a later block.
    """

    def __init__(self, session: Session, block: int) -> None:
        self._session = session
        self._block = block
        self._free: dict[str, list[int]] = {}

    def next(self, table: str) -> int:
        free = self._free.setdefault(table, [])
        if not free:
            # on the connection, not the session: taking ids must not flush the rows waiting for the batch's flush
            free.extend(
                self._session.connection().execute(
                    text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"), {"t": table, "n": self._block}
                ).scalars()
            )
            free.reverse()
        return free.pop()


class BatchState:
    """What the batch transaction already holds: the members it locked up front (one statement, id
    order), their open lots and the batch's operations as far as they exist (one statement each),
    the facts the redemption limits need (``redemptions``), the branches, rewards and locked stock
    rows asked for once, and, once an operation appended to the audit chain, the chain lock and the
    last event."""

    def __init__(self, session: Session, *, batched: bool, operations: int = 1) -> None:
        self.batched = batched  # rows written in one flush at the end of the batch (foreign keys checked at commit)
        self.members: dict[int, Member] = {}
        self.numbers: dict[str, int] = {}
        self.open_lots: dict[int, list[Lot]] = {}
        self.operations: dict[str, Operation | None] = {}
        # The running operation's own row joins the session only when its handler has finished
        # (``BorrowedUnitOfWork.commit``): a handler that refuses after a query flushed the batch's
        # earlier rows has then written nothing, and the batch need not run again.
        self.unsaved_operations: list[Operation] = []
        self.new_movements: dict[int, list[LotMovement]] = {}
        self.ids = IdBlocks(session, block=max(8, 2 * operations))
        self.chain_locked = False
        self.last_event: AuditEvent | None = None
        # The batch's members' redemptions not reversed at load, made at or after ``redemptions_since``
        # (one statement for the batch): the limit facts (points this month, the last 24 hours, units
        # this year) are counted from these objects, and a redemption the batch adds joins its member's
        # list, so a later operation of the batch sees it; a reversal in the batch sets ``reversed_at``
        # on the very object counted here.
        self.redemptions: dict[int, list[Redemption]] = {}
        self.redemptions_since: datetime | None = None
        self.branches: dict[str, Branch] = {}
        self.rewards: dict[str, Reward] = {}
        self.stock: dict[tuple[int, int], RewardStock] = {}  # locked by this transaction: nobody else moves it
        # The session forgets a row nobody references any more; the batch keeps what it loaded
        # (staff, branches, rewards the handlers ask for again and again) so a second get is free.
        self.loaded: list[Any] = []
        event.listen(session, "loaded_as_persistent", lambda _session, instance: self.loaded.append(instance))

    def savepoint_rolled_back(self) -> None:
        # what was taken or added inside the savepoint is gone with it: ask the database again
        self.unsaved_operations.clear()
        self.chain_locked = False
        self.last_event = None
        self.open_lots.clear()
        self.operations.clear()
        self.new_movements.clear()
        self.redemptions.clear()
        self.redemptions_since = None
        self.stock.clear()


_changes = [0]  # attribute changes on rows in a session (loaded, or added and not yet written), in this process
_watching: list[bool] = []


def _count_change(target: Any, *_: Any) -> None:
    if not inspect(target).transient:
        _changes[0] += 1


def _watch_attributes() -> None:
    """Counts every change of a mapped attribute of a row in a session (``WriteWatch``), once per process."""
    if _watching:
        return
    _watching.append(True)
    for mapper in Base.registry.mappers:
        for attribute in mapper.attrs:
            instrumented = getattr(mapper.class_, attribute.key)
            if getattr(attribute, "uselist", False):
                event.listen(instrumented, "append", _count_change)
                event.listen(instrumented, "remove", _count_change)
            else:
                event.listen(instrumented, "set", _count_change)


class WriteWatch:
    """Whether an operation that failed wrote nothing, so the batch can take its refusal without
    running again: since ``mark`` no row added to the session (its own ``Operation`` row waits
    outside it until the handler finishes, ``BatchState.unsaved_operations``), none deleted, no
    attribute of a row in the session changed, and no statement but a ``SELECT`` sent by anyone but
    the session's flush. A flush the handler's queries cause writes only what earlier operations of
    the batch left pending, which stands. Anything else and the batch runs again with a savepoint
    around the operation (``sync/applier.py``)."""

    def __init__(self, session: Session, state: BatchState) -> None:
        _watch_attributes()
        self._session = session
        self._state = state
        self._flushing = False
        self._writes = 0
        self._added = 0
        event.listen(session, "before_flush", self._flush_begins)
        event.listen(session, "after_flush_postexec", self._flush_ends)
        event.listen(session, "transient_to_pending", self._count_added)
        event.listen(session.connection(), "before_cursor_execute", self._executing)

    def _flush_begins(self, *_: Any) -> None:
        self._flushing = True

    def _flush_ends(self, *_: Any) -> None:
        self._flushing = False

    def _count_added(self, *_: Any) -> None:
        self._added += 1

    def _executing(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not self._flushing and statement.lstrip()[:6].upper() != "SELECT":
            self._writes += 1

    def mark(self) -> tuple[int, int, int, int]:
        return (self._writes, self._added, _changes[0], len(self._session.deleted))

    def forget(self, mark: tuple[int, int, int, int], operation_id: str) -> bool:
        """True (and the operation's unsaved row dropped) when nothing since ``mark`` was written."""
        if self.mark() != mark:
            return False
        unsaved = self._state.unsaved_operations
        if [operation.id for operation in unsaved] not in ([], [operation_id]):
            return False
        unsaved.clear()
        self._state.operations[operation_id] = None
        return True


class _InBatch:
    """A repository that answers from, or adds to, what the batch transaction already holds."""

    def __init__(self, session: Session, is_postgres: bool, state: BatchState) -> None:
        super().__init__(session, is_postgres)  # type: ignore[call-arg]
        self._state = state


def _remembered(cache: dict[K, V], key: K, read: Callable[[K], V | None]) -> V | None:
    """``cache``'s row for ``key``, else the one ``read`` finds (remembered for the rest of the batch)."""
    found = cache.get(key)
    if found is None:
        found = read(key)
        if found is not None:
            cache[key] = found
    return found


class _BatchMembers(_InBatch, MemberRepository):
    """Members the batch locked up front come from the session's identity map: no second
    ``SELECT ... FOR UPDATE`` per operation (the row lock is held since the batch began, and every
    change to them in this transaction went through these very objects)."""

    def by_no(self, member_no: str) -> Member | None:
        member_id = self._state.numbers.get(member_no)
        if member_id is None:
            return super().by_no(member_no)
        return self.session.get(Member, member_id)

    def lock(self, member_id: int) -> Member | None:
        if member_id not in self._state.members:
            return super().lock(member_id)
        return self.session.get(Member, member_id)


class _BatchAudit(_InBatch, AuditRepository):
    """The audit chain within the batch: locked once, its last event remembered after each append
    (nobody else can append while this transaction holds the chain lock)."""

    def lock_chain(self) -> None:
        if not self._state.chain_locked:
            super().lock_chain()
            self._state.chain_locked = True

    def last(self) -> AuditEvent | None:
        if self._state.chain_locked and self._state.last_event is not None:
            return self._state.last_event
        return super().last()

    def add(self, event: AuditEvent) -> AuditEvent:
        if self._state.batched:
            self.session.add(event)  # its id comes from the chain; the batch's flush writes it
        else:
            super().add(event)
        if self._state.chain_locked:
            self._state.last_event = event
        return event


class _BatchLedger(_InBatch, LedgerRepository):
    """Rows added without a flush each (ids from ``IdBlocks``), the batch's operations and its members'
    open lots answered from what the batch loaded up front. A query the handlers make still sees
    every pending row: the session flushes before it (autoflush)."""

    def operation(self, operation_id: str) -> Operation | None:
        if operation_id in self._state.operations:
            return self._state.operations[operation_id]
        return super().operation(operation_id)

    def add_operation(self, operation: Operation) -> Operation:
        self._state.operations[operation.id] = operation
        self._state.unsaved_operations.append(operation)  # joins the session when its handler has finished
        return operation

    def add_entry(self, entry: LedgerEntry) -> LedgerEntry:
        entry.id = self._state.ids.next("ledger_entry")
        self.session.add(entry)
        return entry

    def add_lot(self, lot: Lot) -> Lot:
        lot.id = self._state.ids.next("lot")
        self.session.add(lot)
        if lot.member_id in self._state.open_lots:
            self._state.open_lots[lot.member_id].append(lot)
        return lot

    def lots_for_member(self, member_id: int, *, open_only: bool = False) -> list[Lot]:
        lots = self._state.open_lots.get(member_id)
        if lots is None or not open_only:
            return super().lots_for_member(member_id, open_only=open_only)
        return sorted((lot for lot in lots if lot.remaining > 0), key=lambda lot: (lot.expires_on, lot.earned_on, lot.id))

    def add_movements(self, movements: Sequence[LotMovement]) -> None:
        for movement in movements:
            movement.id = self._state.ids.next("lot_movement")
            self._state.new_movements.setdefault(movement.entry_id, []).append(movement)
        self.session.add_all(movements)

    def movements_of_entry(self, entry_id: int) -> list[LotMovement]:
        if entry_id in self._state.new_movements:  # an entry of this batch: every movement it has was added here
            return list(self._state.new_movements[entry_id])
        return super().movements_of_entry(entry_id)


class _BatchRedemptions(_InBatch, RedemptionRepository):
    """Redemptions and stock movements added without a flush each (their ids from ``IdBlocks``); the
    redemption limits' facts counted from the batch's preloaded redemptions (``BatchState.redemptions``)
    instead of three queries per redemption; rewards and locked stock rows asked for once a batch."""

    def add(self, redemption: Redemption) -> Redemption:
        redemption.id = self._state.ids.next("redemption")
        self.session.add(redemption)
        known = self._state.redemptions.get(redemption.member_id)
        if known is not None:
            known.append(redemption)
        return redemption

    def _known(self, member_id: int, since: datetime) -> list[Redemption] | None:
        """The member's redemptions not reversed made at or after ``since``, when the batch holds them all."""
        first = self._state.redemptions_since
        known = self._state.redemptions.get(member_id)
        if known is None or first is None or since < first:
            return None
        return [r for r in known if r.reversed_at is None and r.redeemed_at >= since]

    def points_since(self, member_id: int, since: datetime) -> int:
        known = self._known(member_id, since)
        if known is None:
            return super().points_since(member_id, since)
        return sum(int(r.points) for r in known)

    def times_after(self, member_id: int, after: datetime) -> list[datetime]:
        known = self._known(member_id, after)
        if known is None:
            return super().times_after(member_id, after)
        return sorted(r.redeemed_at for r in known if r.redeemed_at > after)

    def units_since(self, member_id: int, since: datetime) -> dict[int, int]:
        known = self._known(member_id, since)
        if known is None:
            return super().units_since(member_id, since)
        units: dict[int, int] = {}
        for r in known:
            units[r.reward_id] = units.get(r.reward_id, 0) + int(r.qty)
        return units

    def reward_by_code(self, code: str) -> Reward | None:
        return _remembered(self._state.rewards, code, super().reward_by_code)

    def stock(self, branch_id: int, reward_id: int, *, lock: bool = False) -> RewardStock | None:
        held = self._state.stock.get((branch_id, reward_id))
        if held is not None:
            return held
        found = super().stock(branch_id, reward_id, lock=lock)
        if found is not None and lock:
            self._state.stock[(branch_id, reward_id)] = found
        return found

    def move_stock(self, *, branch_id: int, reward_id: int, change: int, reason: str, at: datetime, operation_id: str | None = None,
                   staff_id: int | None = None) -> RewardStock:
        stock = self.stock(branch_id, reward_id, lock=True)
        if stock is None:  # a shelf never stocked: the row is made as the desk makes it
            return super().move_stock(branch_id=branch_id, reward_id=reward_id, change=change, reason=reason, at=at,
                                      operation_id=operation_id, staff_id=staff_id)
        stock.on_hand += change
        movement = RewardStockMovement(reward_id=reward_id, branch_id=branch_id, change=change, reason=reason, operation_id=operation_id,
                                       staff_id=staff_id, at=at)
        movement.id = self._state.ids.next("reward_stock_movement")
        self.session.add(movement)
        return stock


class _BatchReference(_InBatch, ReferenceRepository):
    """Branches asked for by code once a batch."""

    def branch_by_code(self, code: str) -> Branch | None:
        return _remembered(self._state.branches, code, super().branch_by_code)


class BorrowedUnitOfWork(UnitOfWork):
    """A unit of work over a session someone else commits (the applier's batch transaction)."""

    def __init__(self, session: Session, state: BatchState | None = None) -> None:
        super().__init__(_SessionSource(session), write=True)  # type: ignore[arg-type]
        self._state = state

    def __enter__(self) -> UnitOfWork:
        super().__enter__()
        if self._state is not None and self._session is not None:
            self.members = _BatchMembers(self._session, self.is_postgres, self._state)
            self.audit = _BatchAudit(self._session, self.is_postgres, self._state)
            if self._state.batched:
                self.ledger = _BatchLedger(self._session, self.is_postgres, self._state)
                self.redemption = _BatchRedemptions(self._session, self.is_postgres, self._state)
                self.reference = _BatchReference(self._session, self.is_postgres, self._state)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._session = None  # the owner rolls back or commits

    def commit(self) -> None:
        if self._state is None or not self._state.batched:
            self.flush()  # otherwise the batch flushes its operations' rows together and commits once
            return
        assert self._session is not None
        self._session.add_all(self._state.unsaved_operations)
        self._state.unsaved_operations.clear()


# Column types COPY takes as they are (JSON goes through psycopg's Json); a table with any other type stays with the flush.
_COPY_TYPES = (sa_types.Integer, sa_types.String, sa_types.Boolean, sa_types.Date, sa_types.DateTime, sa_types.Numeric, sa_types.JSON)


def copy_new_rows(session: Session) -> None:
    """Writes the batch's new rows with one COPY per table, then lets them go from the session.

    The ORM would send a statement per row (or one long multi-row INSERT that the driver has to
    parse); COPY has no SQL to parse or plan however many rows there are, and the feed's INSERT
    trigger runs once for it. A table COPY cannot write as the ORM would (a type not in
    ``_COPY_TYPES``, a row leaving a column to a server default) stays for the flush.
    """
    pending: dict[Table, list[Any]] = {}
    for instance in session.new:
        pending.setdefault(inspect(instance).mapper.local_table, []).append(instance)
    driver = session.connection().connection.driver_connection if pending else None
    for table in (t for t in Base.metadata.sorted_tables if t in pending):
        instances = pending[table]
        columns = list(table.columns)
        if not all(isinstance(column.type, _COPY_TYPES) for column in columns):
            continue
        mapper = inspect(instances[0]).mapper
        keys = [mapper.get_property_by_column(column).key for column in columns]
        rows = [_copy_row(inspect(instance).dict, columns, keys) for instance in instances]
        if any(row is None for row in rows):
            continue
        names = ", ".join(f'"{column.name}"' for column in columns)
        assert driver is not None  # there are pending rows
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        for instance in instances:
            session.expunge(instance)


def _copy_row(values: dict[str, Any], columns: list[Any], keys: list[str]) -> tuple[Any, ...] | None:
    """The row as the ORM would insert it (an unset column takes its scalar default); None when a
    column is left to the server's default."""
    row: list[Any] = []
    for column, key in zip(columns, keys, strict=True):
        if key in values:
            value = values[key]
        elif column.default is not None and column.default.is_scalar:
            value = column.default.arg
        elif column.server_default is not None:
            return None
        else:
            value = None
        row.append(Json(value) if value is not None and isinstance(column.type, sa_types.JSON) else value)
    return tuple(row)
