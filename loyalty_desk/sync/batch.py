"""The applier's batch transaction (``sync/applier.py``): what it holds (``BatchState``: the members it
locked, the facts it read once, the ids it took from the sequences a block at a time), when a query
must first write the batch's pending rows (``UnwrittenTables``), whether a refused operation wrote
anything (``WriteWatch``), and the batch's one write at the end: its audit events chained
(``chain_events``) and its new rows in one ``COPY`` per table (``copy_new_rows``). The repositories
the handlers get inside the batch are in ``sync/batch_repositories.py``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import Table, event
from sqlalchemy import types as sa_types
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.base import instance_state
from sqlalchemy.sql import visitors

from loyalty_desk.services.audit import GENESIS, chain_hash
from loyalty_desk.store.db import driver_connection
from loyalty_desk.store.models import (
    AdjustmentApproval,
    AdjustmentRequest,
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
    SyncException,
)
from loyalty_desk.store.repositories.audit import AuditRepository
from loyalty_desk.store.repositories.base import ID_SOURCE
from loyalty_desk.sync.batch_facts import ReferralFacts


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
            with driver_connection(self._session.connection()).cursor() as cursor:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%(t)s, 'id')) FROM generate_series(1, %(n)s)", {"t": table, "n": self._block})
                free.extend(row[0] for row in cursor.fetchall())
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
        self.events: list[AuditEvent] = []  # recorded by the batch's operations, chained when it ends (``chain_events``)
        # The batch's members' redemptions not reversed at load, made at or after ``redemptions_since``
        # (one statement for the batch): the limit facts (points this month, the last 24 hours, units
        # this year) are counted from these objects, and a redemption the batch adds joins its member's
        # list, so a later operation of the batch sees it; a reversal in the batch sets ``reversed_at``
        # on the very object counted here.
        self.redemptions: dict[int, list[Redemption]] = {}
        self.redemptions_since: datetime | None = None
        self.codes: dict[str, int] = {}  # referral code -> the referrer locked up front
        self.absent_numbers: set[str] = set()  # member numbers the batch's operations name that no row had at the start
        self.serials: list[int] = []  # new members' serials taken for the batch's registrations (``take_member_serials``)
        self.new_members: dict[str, Member] = {}  # registered in this batch, by number
        self.referrals: ReferralFacts | None = None
        # the targets of the batch's reversals and adjustment decisions, read after their members were locked
        self.redemptions_by_number: dict[str, Redemption] = {}
        self.absent_redemptions: set[str] = set()  # numbers the batch's reversals name that no redemption had after the members were locked
        self.reversals: dict[int, LedgerEntry | None] = {}  # original entry id -> the entry reversing it
        self.new_entries: dict[int, LedgerEntry] = {}  # ledger entries and lots the batch added, by id
        self.new_lots: dict[int, Lot] = {}
        self.movements: dict[int, list[LotMovement]] = {}  # entry id -> its lot movements (append-only rows)
        self.requests: dict[str, AdjustmentRequest] = {}  # by the operation id that made them (read up front or added)
        self.approvals: dict[int, list[AdjustmentApproval]] = {}  # request id -> its decisions
        self.exceptions: dict[str, SyncException | None] = {}  # head office's decisions by rejected operation id
        self.changed: set[tuple[str, str]] = set()  # (table, attribute) the batch changed, (table, NEW_ROW) where it added rows
        self.branches: dict[str, Branch] = {}
        self.rewards: dict[str, Reward] = {}
        self.stock: dict[tuple[int, int], RewardStock] = {}  # locked by this transaction: nobody else moves it
        # The session forgets a row nobody references any more; the batch keeps what it loaded
        # (staff, branches, rewards the handlers ask for again and again) so a second get is free.
        self.loaded: list[Any] = []
        event.listen(session, "loaded_as_persistent", lambda _session, instance: self.loaded.append(instance))
        if batched:
            UnwrittenTables(session)
            session.info[CHANGED_COLUMNS] = self.changed
            session.info[ID_SOURCE] = self.ids  # the repositories' new rows get their ids without a flush

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
        self.codes.clear()
        self.absent_numbers.clear()
        self.new_members.clear()
        self.referrals = None
        self.redemptions_by_number.clear()
        self.absent_redemptions.clear()
        self.reversals.clear()
        self.movements.clear()
        self.requests.clear()
        self.approvals.clear()
        self.new_entries.clear()
        self.new_lots.clear()
        self.exceptions.clear()


CHANGED_COLUMNS = "ld_changed_columns"  # session.info: (table, attribute) of every loaded row's change in the batch
NEW_ROW = "+"  # in CHANGED_COLUMNS with a table: the batch added a row to it
_changes = [0]  # attribute changes on rows in a session (loaded, or added and not yet written), in this process
_watching: list[bool] = []


def _count_change(state: Any, *args: Any) -> None:  # the row's InstanceState (listened to with raw=True)
    if state.key is not None or state.session_id is not None:  # in a session: loaded, or added (a row being built is not yet)
        _changes[0] += 1
        info = state.session.info if state.session is not None else {}
        table = state.mapper.local_table.name
        unwritten = info.get(UnwrittenTables.KEY)
        if unwritten is not None:
            unwritten.add(table)
        changed = info.get(CHANGED_COLUMNS)
        if changed is not None:
            changed.add((table, args[-1].key))  # the event's initiator names the attribute


def _watch_attributes() -> None:
    """Counts every change of a mapped attribute of a row in a session (``WriteWatch``), once per process."""
    if _watching:
        return
    _watching.append(True)
    for mapper in Base.registry.mappers:
        for attribute in mapper.attrs:
            instrumented = getattr(mapper.class_, attribute.key)
            if getattr(attribute, "uselist", False):
                event.listen(instrumented, "append", _count_change, raw=True)
                event.listen(instrumented, "remove", _count_change, raw=True)
            else:
                event.listen(instrumented, "set", _count_change, raw=True)


def _tables_read(statement: Any) -> set[str]:
    """Every table a statement names anywhere (its FROMs, joins, subqueries, column expressions)."""
    found: set[str] = set()
    for element in visitors.iterate(statement):
        table = element if isinstance(element, Table) else getattr(element, "table", None)
        if isinstance(table, Table):
            found.add(table.name)
    return found


class UnwrittenTables:
    """A query in the batch's session writes the batch's pending rows first (autoflush) only when it
    reads a table that has some: rows added, changed or deleted since the last flush. A lookup of
    staff, rewards or rules in the middle of a batch of redemptions then costs one statement, not a
    flush of every row the batch has made so far; the rows still go in the batch's one write at the
    end. SQL text and statements other than ``SELECT`` always flush first."""

    KEY = "ld_unwritten_tables"

    def __init__(self, session: Session) -> None:
        _watch_attributes()  # a change of a loaded row names its table here
        self._tables: set[str] = set()
        session.info[self.KEY] = self._tables
        event.listen(session, "transient_to_pending", self._added)
        event.listen(session, "after_flush_postexec", lambda *_: self._tables.clear())
        event.listen(session, "do_orm_execute", self._querying)

    def _added(self, session: Session, instance: Any) -> None:
        state: Any = instance_state(instance)
        table = state.mapper.local_table.name
        self._tables.add(table)
        changed = session.info.get(CHANGED_COLUMNS)
        if changed is not None:
            changed.add((table, NEW_ROW))

    def _querying(self, state: ORMExecuteState) -> None:
        if not state.is_select or state.session.deleted:
            return
        if not self._tables or not (self._tables & _tables_read(state.statement)):
            state.update_execution_options(autoflush=False)


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


def chain_events(session: Session, state: BatchState) -> None:
    """The batch's audit events, in the order recorded, appended to the chain: the chain locked, its
    last event read, and each event numbered and hashed after it; then added to the session."""
    if not state.events:
        return
    audit = AuditRepository(session, is_postgres=True)
    with session.no_autoflush:  # the lock and the chain's end read no row the batch has pending: they go in its COPY
        audit.lock_chain()
        last = audit.last()
    previous_id, previous_hash = (last.id, last.hash) if last is not None else (0, GENESIS)
    for recorded in state.events:
        recorded.id, recorded.prev_hash = previous_id + 1, previous_hash
        recorded.hash = chain_hash(previous_hash, recorded)
        previous_id, previous_hash = recorded.id, recorded.hash
    session.add_all(state.events)
    state.events = []


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
        state: Any = instance_state(instance)
        pending.setdefault(state.mapper.local_table, []).append(instance)
    driver = session.connection().connection.driver_connection if pending else None
    for table in (t for t in Base.metadata.sorted_tables if t in pending):
        instances = pending[table]
        columns = list(table.columns)
        if not all(isinstance(column.type, _COPY_TYPES) for column in columns):
            continue
        states = [instance_state(instance) for instance in instances]
        mapper = states[0].mapper
        keys = [mapper.get_property_by_column(column).key for column in columns]
        rows = [_copy_row(state.dict, columns, keys) for state in states]
        if any(row is None for row in rows):
            continue
        names = ", ".join(f'"{column.name}"' for column in columns)
        assert driver is not None  # there are pending rows
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        # what session.expunge does for each, less its cascade: the models declare none for expunge
        session._expunge_states(states)


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
