"""The applier's batch: the repositories and unit of work the handlers get inside one batch
transaction (``sync/applier.py``), which add rows without a flush each (ids from the sequences a
block at a time), answer the batch's members and open lots from what was loaded up front, keep the
audit chain's last event, and write the batch's new rows in one ``COPY`` per table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import Table, event, inspect, or_, select, text
from sqlalchemy import types as sa_types
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import visitors

from loyalty_desk.services.audit import GENESIS, chain_hash
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
    Referral,
    ReferralReward,
    Reward,
    RewardStock,
    RewardStockMovement,
    SyncException,
)
from loyalty_desk.store.repositories.adjustments import AdjustmentRepository
from loyalty_desk.store.repositories.audit import AuditRepository
from loyalty_desk.store.repositories.base import ID_SOURCE
from loyalty_desk.store.repositories.ledger import LedgerRepository
from loyalty_desk.store.repositories.members import MemberRepository
from loyalty_desk.store.repositories.redemption import RedemptionRepository
from loyalty_desk.store.repositories.reference import ReferenceRepository
from loyalty_desk.store.repositories.referrals import ReferralRepository
from loyalty_desk.store.repositories.sync_exceptions import SyncExceptionRepository
from loyalty_desk.store.uow import UnitOfWork


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
        self.new_members: dict[str, Member] = {}  # registered in this batch, by number
        self.referrals: ReferralFacts | None = None
        # the targets of the batch's reversals and adjustment decisions, read after their members were locked
        self.redemptions_by_number: dict[str, Redemption] = {}
        self.reversals: dict[int, LedgerEntry | None] = {}  # original entry id -> the entry reversing it
        self.movements: dict[int, list[LotMovement]] = {}  # entry id -> its lot movements (append-only rows)
        self.requests: dict[str, AdjustmentRequest] = {}  # by the operation id that made them
        self.approvals: dict[int, list[AdjustmentApproval]] = {}  # request id -> its decisions
        self.exceptions: dict[str, SyncException | None] = {}  # head office's decisions by rejected operation id
        self.changed: set[tuple[str, str]] = set()
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
        self.reversals.clear()
        self.movements.clear()
        self.requests.clear()
        self.approvals.clear()
        self.exceptions.clear()


CHANGED_COLUMNS = "ld_changed_columns"  # session.info: (table, attribute) of every loaded row's change in the batch
_changes = [0]  # attribute changes on rows in a session (loaded, or added and not yet written), in this process
_watching: list[bool] = []


def _count_change(target: Any, *args: Any) -> None:
    state = inspect(target)
    if not state.transient:
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
                event.listen(instrumented, "append", _count_change)
                event.listen(instrumented, "remove", _count_change)
            else:
                event.listen(instrumented, "set", _count_change)


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

    def _added(self, _session: Session, instance: Any) -> None:
        self._tables.add(inspect(instance).mapper.local_table.name)

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


class _InBatch:
    """A repository that answers from, or adds to, what the batch transaction already holds."""

    def __init__(self, session: Session, is_postgres: bool, state: BatchState) -> None:
        super().__init__(session, is_postgres)  # type: ignore[call-arg]
        self._state = state


class _BatchMembers(_InBatch, MemberRepository):
    """Members the batch locked up front come from the session's identity map: no second
    ``SELECT ... FOR UPDATE`` per operation (the row lock is held since the batch began, and every
    change to them in this transaction went through these very objects)."""

    def by_no(self, member_no: str) -> Member | None:
        member_id = self._state.numbers.get(member_no)
        if member_id is not None:
            return self.session.get(Member, member_id)
        if member_no in self._state.new_members:
            return self._state.new_members[member_no]
        if ("member", "member_no") in self._state.changed:
            return super().by_no(member_no)
        if member_no in self._state.absent_numbers:
            return None
        with self.session.no_autoflush:  # no row's number changed and the batch's new members are above
            return super().by_no(member_no)

    def add(self, member: Member, name_keys: Iterable[str]) -> Member:
        added = super().add(member, name_keys)
        self._state.new_members[added.member_no] = added
        return added

    def lock(self, member_id: int) -> Member | None:
        if member_id not in self._state.members:
            return super().lock(member_id)
        return self.session.get(Member, member_id)


class _BatchAudit(_InBatch, AuditRepository):
    """The audit chain within the batch. A batch written in one go keeps its events out of the
    session and chains them when it ends (``chain_events``: the chain lock is held from there to the
    commit, not for the whole batch, so appliers side by side do not take turns). Otherwise the chain
    is locked once and its last event remembered after each append (nobody else can append while
    this transaction holds the chain lock)."""

    def lock_chain(self) -> None:
        if not self._state.batched and not self._state.chain_locked:
            super().lock_chain()
            self._state.chain_locked = True

    def last(self) -> AuditEvent | None:
        if self._state.batched:
            return self._state.events[-1] if self._state.events else None  # a place in the chain to come
        if self._state.chain_locked and self._state.last_event is not None:
            return self._state.last_event
        return super().last()

    def add(self, event: AuditEvent) -> AuditEvent:
        if self._state.batched:
            self._state.events.append(event)
            return event
        super().add(event)
        if self._state.chain_locked:
            self._state.last_event = event
        return event


def chain_events(session: Session, state: BatchState) -> None:
    """The batch's audit events, in the order recorded, appended to the chain: the chain locked, its
    last event read, and each event numbered and hashed after it; then added to the session."""
    if not state.events:
        return
    AuditRepository(session, is_postgres=True).lock_chain()
    last = AuditRepository(session, is_postgres=True).last()
    previous_id, previous_hash = (last.id, last.hash) if last is not None else (0, GENESIS)
    for recorded in state.events:
        recorded.id, recorded.prev_hash = previous_id + 1, previous_hash
        recorded.hash = chain_hash(previous_hash, recorded)
        previous_id, previous_hash = recorded.id, recorded.hash
    session.add_all(state.events)
    state.events = []


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
        if entry.reverses_entry_id is not None and entry.reverses_entry_id in self._state.reversals:
            self._state.reversals[entry.reverses_entry_id] = entry
        return entry

    def reversal_of(self, entry_id: int) -> LedgerEntry | None:
        if entry_id in self._state.reversals:
            return self._state.reversals[entry_id]
        return super().reversal_of(entry_id)

    def lots_by_ids(self, lot_ids: Sequence[int]) -> dict[int, Lot]:
        held = {lot_id: self.session.identity_map.get(self.session.identity_key(Lot, lot_id)) for lot_id in lot_ids}
        if all(lot is not None for lot in held.values()):
            return {lot_id: lot for lot_id, lot in held.items() if lot is not None}  # loaded: every change is on these objects
        return super().lots_by_ids(lot_ids)

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
        if entry_id in self._state.movements:
            return list(self._state.movements[entry_id])
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

    def by_number(self, number: str) -> Redemption | None:
        held = self._state.redemptions_by_number.get(number)
        return held if held is not None else super().by_number(number)  # read under its member's lock when the batch began

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
        reward = self._state.rewards.get(code)
        if reward is None:
            reward = super().reward_by_code(code)
            if reward is not None:
                self._state.rewards[code] = reward
        return reward

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


class ReferralFacts:
    """What the batch's referral registrations ask about their referrers and referees, read in one
    statement each at the start of the batch (``preload_referrals``): each referrer's own referral
    (``parent_of``), its referrals since ``since`` and those of the referees' addresses
    (``comparable``), its rewards since ``rewards_from`` (the yearly cap), and the members sharing a
    referee's identity number or mobile (``members_with``). Referrals and members the batch adds
    join them; a change the batch makes to a row that would change an answer (``BatchState.changed``)
    sends the question back to the database."""

    def __init__(self) -> None:
        self.referrers: set[int] = set()
        self.since = date.max
        self.address_keys: set[str] = set()
        self.referrals: dict[int, Referral] = {}
        self.referees: dict[int, Member] = {}
        self.rewards_from = date.max
        self.rewards: dict[int, list[date]] = {}  # referrer -> qualifying dates of its live rewards
        self.id_numbers: set[str] = set()
        self.mobiles: set[str] = set()
        self.identities: dict[int, Member] = {}


_REFERRAL_COLUMNS = {("referral", c) for c in ("referrer_member_id", "referee_member_id", "registered_on", "referee_address_key", "qualifying_on")}


class _BatchReferrals(_InBatch, ReferralRepository):
    """Referral registrations answered from ``ReferralFacts`` and the batch's own additions."""

    def _facts(self, *extra_tables: str) -> ReferralFacts | None:
        facts = self._state.referrals
        changed = self._state.changed
        if facts is None or changed & _REFERRAL_COLUMNS or any(table == t for table, _ in changed for t in extra_tables):
            return None
        return facts

    def add(self, referral: Referral) -> Referral:
        added = super().add(referral)
        facts = self._state.referrals
        if facts is not None:
            facts.referrals[added.id] = added
        return added

    def member_by_code(self, code: str) -> Member | None:
        member_id = self._state.codes.get(code)
        if member_id is None or ("member", "referral_code") in self._state.changed:
            return super().member_by_code(code)
        return self.session.get(Member, member_id)

    def parent_of(self, member_id: int) -> Referral | None:
        facts = self._facts()
        if facts is None or member_id not in facts.referrers:
            return super().parent_of(member_id)
        return next((r for r in facts.referrals.values() if r.referee_member_id == member_id and r.status != "rejected"), None)

    def referrer_rewards_in(self, referrer_member_id: int, first: date, last: date) -> int:
        facts = self._facts("referral_reward")
        if facts is None or referrer_member_id not in facts.referrers or first < facts.rewards_from:
            return super().referrer_rewards_in(referrer_member_id, first, last)
        return sum(1 for on in facts.rewards.get(referrer_member_id, ()) if first <= on <= last)

    def comparable(self, *, referrer_member_id: int, address_key: str | None, since: date) -> list[tuple[Referral, Member]]:
        facts = self._facts()
        if (facts is None or referrer_member_id not in facts.referrers or since < facts.since
                or (address_key and address_key not in facts.address_keys)):
            return super().comparable(referrer_member_id=referrer_member_id, address_key=address_key, since=since)
        found: list[tuple[Referral, Member]] = []
        for referral in sorted(facts.referrals.values(), key=lambda r: r.id):
            if ((referral.referrer_member_id == referrer_member_id and referral.registered_on >= since)
                    or (address_key and referral.referee_address_key == address_key)):
                referee = facts.referees.get(referral.referee_member_id) or self._referee(referral.referee_member_id)
                if referee is not None:
                    found.append((referral, referee))
        return found[:1000]

    def _referee(self, member_id: int) -> Member | None:
        return next((m for m in self._state.new_members.values() if m.id == member_id), None)

    def members_with(self, *, id_number: str | None, mobile: str | None) -> list[Member]:
        facts = self._facts()
        if (facts is None or ("member", "id_number") in self._state.changed or ("member", "mobile") in self._state.changed
                or (id_number and id_number not in facts.id_numbers) or (mobile and mobile not in facts.mobiles)):
            return super().members_with(id_number=id_number, mobile=mobile)
        if not id_number and not mobile:
            return []
        candidates = [*facts.identities.values(), *self._state.new_members.values()]
        return [m for m in candidates if (id_number and m.id_number == id_number) or (mobile and m.mobile == mobile)][:10]


def preload_referrals(session: Session, state: BatchState, registrations: list[tuple[str, str | None, str | None, str | None, date]]) -> None:
    """The facts of the batch's referral registrations (code, identity number, mobile, address key,
    business day each), one statement a kind: the referrers are locked up front (SKIP LOCKED: one
    another applier holds is locked by its operation when it comes to it) and their referral history
    read with the members sharing the referees' identities."""
    codes = sorted({code for code, *_ in registrations})
    if not codes:
        return
    query = select(Member).where(Member.referral_code.in_(codes)).order_by(Member.id).with_for_update(skip_locked=True)
    referrers = list(session.scalars(query.execution_options(populate_existing=True)))
    for member in referrers:
        state.members[member.id] = member
        state.numbers[member.member_no] = member.id
        state.codes[member.referral_code or ""] = member.id
    facts = ReferralFacts()
    facts.referrers = {m.id for m in referrers}
    earliest = min(day for *_, day in registrations)
    facts.since = earliest - timedelta(days=366)
    facts.rewards_from = date(earliest.year, 1, 1)
    facts.address_keys = {key for _, _, _, key, _ in registrations if key}
    facts.id_numbers = {n for _, n, _, _, _ in registrations if n}
    facts.mobiles = {m for _, _, m, _, _ in registrations if m}
    ids = sorted(facts.referrers)
    history = (Referral.referee_member_id.in_(ids)) | ((Referral.referrer_member_id.in_(ids)) & (Referral.registered_on >= facts.since))
    if facts.address_keys:
        history = history | Referral.referee_address_key.in_(sorted(facts.address_keys))
    for referral, referee in session.execute(select(Referral, Member).join(Member, Member.id == Referral.referee_member_id).where(history)):
        facts.referrals[referral.id] = referral
        facts.referees[referee.id] = referee
    rewards = (
        select(ReferralReward.member_id, Referral.qualifying_on)
        .join(Referral, Referral.id == ReferralReward.referral_id)
        .where(ReferralReward.member_id.in_(ids), ReferralReward.role == "referrer", ReferralReward.status.in_(("pending", "posted")),
               Referral.qualifying_on >= facts.rewards_from)
    )
    for member_id, on in session.execute(rewards):
        if on is not None:
            facts.rewards.setdefault(member_id, []).append(on)
    identity = [c for c in (Member.id_number.in_(sorted(facts.id_numbers)) if facts.id_numbers else None,
                            Member.mobile.in_(sorted(facts.mobiles)) if facts.mobiles else None) if c is not None]
    if identity:
        for member in session.scalars(select(Member).where(or_(*identity))):
            facts.identities[member.id] = member
    state.referrals = facts


class _BatchAdjustments(_InBatch, AdjustmentRepository):
    """The requests the batch's decisions name and their decisions, read when the batch began under
    their members' locks (``preload_targets``); every change the batch makes is on these objects."""

    def by_operation(self, operation_id: str) -> AdjustmentRequest | None:
        held = self._state.requests.get(operation_id)
        return held if held is not None else super().by_operation(operation_id)

    def get(self, request_id: int, *, fresh: bool = False) -> AdjustmentRequest | None:
        if request_id in self._state.approvals:
            return self.session.get(AdjustmentRequest, request_id)
        return super().get(request_id, fresh=fresh)

    def approvals(self, request_id: int) -> list[AdjustmentApproval]:
        held = self._state.approvals.get(request_id)
        return list(held) if held is not None else super().approvals(request_id)

    def add_approval(self, approval: AdjustmentApproval) -> AdjustmentApproval:
        added = super().add_approval(approval)
        held = self._state.approvals.get(added.request_id)
        if held is not None:
            held.append(added)
        return added

    def remove_approval(self, approval: AdjustmentApproval) -> None:
        self._state.approvals.pop(approval.request_id, None)  # asked of the database again from here on
        super().remove_approval(approval)

    def remove(self, request: AdjustmentRequest) -> None:
        self._state.approvals.pop(request.id, None)
        self._state.requests.pop(request.operation_id, None)
        super().remove(request)


class _BatchSyncExceptions(_InBatch, SyncExceptionRepository):
    """Head office's decisions on the rejected operations the batch's resolutions name, read when the
    batch began under their members' locks, and those the batch records."""

    def of_operation(self, operation_id: str) -> SyncException | None:
        if operation_id in self._state.exceptions:
            return self._state.exceptions[operation_id]
        return super().of_operation(operation_id)

    def record_central_decision(self, **decision: Any) -> SyncException:
        row = super().record_central_decision(**decision)
        self._state.exceptions[row.operation_id] = row
        return row


def target_members(session: Session, numbers: Sequence[str], requests: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The members of the redemptions (by number) and adjustment requests (by operation id) the batch's
    reversals and decisions name, so that they are locked with the batch's other members."""
    by_number: dict[str, int] = {}
    by_request: dict[str, int] = {}
    if numbers:
        query = select(Redemption.number, Redemption.member_id).where(Redemption.number.in_(sorted(set(numbers))))
        by_number.update((number, member_id) for number, member_id in session.execute(query))
    if requests:
        asked = select(AdjustmentRequest.operation_id, AdjustmentRequest.member_id).where(AdjustmentRequest.operation_id.in_(sorted(set(requests))))
        by_request.update((operation_id, member_id) for operation_id, member_id in session.execute(asked))
    return by_number, by_request


def preload_targets(session: Session, state: BatchState, numbers: Sequence[str], requests: Sequence[str], rejected: Sequence[str] = ()) -> None:
    """The reversals' redemptions with their ledger entries, lot movements, lots and any reversal, the
    decisions' requests with their decisions, and head office's decisions already recorded on the
    rejected operations the resolutions name, one statement each; only those whose member this batch
    holds locked (anything else is read by its operation as it comes)."""
    held = set(state.members)
    if rejected:
        state.exceptions = dict.fromkeys(rejected)
        state.exceptions.update((row.operation_id, row) for row in session.scalars(
            select(SyncException).where(SyncException.operation_id.in_(sorted(set(rejected))))))
    if numbers:
        query = select(Redemption).where(Redemption.number.in_(sorted(set(numbers))), Redemption.member_id.in_(sorted(held)))
        redemptions = list(session.scalars(query.execution_options(populate_existing=True)))
        state.redemptions_by_number = {r.number: r for r in redemptions}
        entry_ids = sorted({r.entry_id for r in redemptions})
        if entry_ids:
            list(session.scalars(select(LedgerEntry).where(LedgerEntry.id.in_(entry_ids))))  # into the session: ``entry`` is a get
            state.reversals = dict.fromkeys(entry_ids)
            for reversal in session.scalars(select(LedgerEntry).where(LedgerEntry.reverses_entry_id.in_(entry_ids))):
                state.reversals[reversal.reverses_entry_id or 0] = reversal
            state.movements = {entry_id: [] for entry_id in entry_ids}
            for movement in session.scalars(select(LotMovement).where(LotMovement.entry_id.in_(entry_ids)).order_by(LotMovement.id)):
                state.movements[movement.entry_id].append(movement)
            lot_ids = sorted({m.lot_id for moved in state.movements.values() for m in moved})
            if lot_ids:
                list(session.scalars(select(Lot).where(Lot.id.in_(lot_ids)).execution_options(populate_existing=True)))
    if requests:
        asked = select(AdjustmentRequest).where(AdjustmentRequest.operation_id.in_(sorted(set(requests))),
                                                AdjustmentRequest.member_id.in_(sorted(held)))
        found = list(session.scalars(asked.execution_options(populate_existing=True)))
        state.requests = {r.operation_id: r for r in found}
        state.approvals = {r.id: [] for r in found}
        if found:
            decided = select(AdjustmentApproval).where(AdjustmentApproval.request_id.in_(sorted(state.approvals))).order_by(AdjustmentApproval.id)
            for approval in session.scalars(decided.execution_options(populate_existing=True)):
                state.approvals[approval.request_id].append(approval)


class _BatchReference(_InBatch, ReferenceRepository):
    """Branches asked for by code once a batch."""

    def branch_by_code(self, code: str) -> Branch | None:
        branch = self._state.branches.get(code)
        if branch is None:
            branch = super().branch_by_code(code)
            if branch is not None:
                self._state.branches[code] = branch
        return branch


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
                self.referrals = _BatchReferrals(self._session, self.is_postgres, self._state)
                self.adjustments = _BatchAdjustments(self._session, self.is_postgres, self._state)
                self.sync_exceptions = _BatchSyncExceptions(self._session, self.is_postgres, self._state)
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
