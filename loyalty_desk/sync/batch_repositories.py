"""The repositories and unit of work the handlers get inside the applier's batch (``sync/batch.py``):
they add rows without a flush each and answer from what the batch transaction already holds — the
members it locked, their open lots and redemptions, rewards, branches and stock rows asked for once,
and the facts read for the whole batch up front (``preload_referrals``, ``preload_targets``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from loyalty_desk.store.models import (
    AdjustmentApproval,
    AdjustmentRequest,
    AuditEvent,
    Branch,
    LedgerEntry,
    Lot,
    LotMovement,
    Member,
    Operation,
    Redemption,
    Referral,
    Reward,
    RewardStock,
    RewardStockMovement,
    Staff,
    SyncException,
)
from loyalty_desk.store.repositories.adjustments import AdjustmentRepository
from loyalty_desk.store.repositories.audit import AuditRepository
from loyalty_desk.store.repositories.ledger import LedgerRepository
from loyalty_desk.store.repositories.members import MemberRepository
from loyalty_desk.store.repositories.redemption import RedemptionRepository
from loyalty_desk.store.repositories.reference import ReferenceRepository
from loyalty_desk.store.repositories.referrals import ReferralRepository
from loyalty_desk.store.repositories.staff import StaffRepository
from loyalty_desk.store.repositories.sync_exceptions import SyncExceptionRepository
from loyalty_desk.store.uow import UnitOfWork
from loyalty_desk.sync.batch import BatchState
from loyalty_desk.sync.batch_facts import ReferralFacts

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

    def new_member_serials(self, count: int, *, first: int) -> int:
        if count == 1 and self._state.serials:
            return self._state.serials.pop(0)  # taken for the batch's registrations before it began
        return super().new_member_serials(count, first=first)

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
        self._state.new_entries[entry.id] = entry
        self._state.reversals[entry.id] = None  # an entry of this batch: any reversal of it comes in this batch too
        return entry

    def entry(self, entry_id: int) -> LedgerEntry | None:
        added = self._state.new_entries.get(entry_id)
        return added if added is not None else super().entry(entry_id)

    def entry_by_uid(self, entry_uid: str) -> LedgerEntry | None:
        """The batch's own entries from memory, the others from the table without flushing the batch's
        pending rows first (a flush in mid-batch writes them row by row instead of in one ``COPY``)."""
        added = next((entry for entry in self._state.new_entries.values() if entry.entry_uid == entry_uid), None)
        if added is not None:
            return added
        with self.session.no_autoflush:
            return super().entry_by_uid(entry_uid)

    def reversal_of(self, entry_id: int) -> LedgerEntry | None:
        if entry_id in self._state.reversals:
            return self._state.reversals[entry_id]
        return super().reversal_of(entry_id)

    def lots_by_ids(self, lot_ids: Sequence[int]) -> dict[int, Lot]:
        held = {lot_id: self._state.new_lots.get(lot_id) or self.session.identity_map.get(self.session.identity_key(Lot, lot_id))
                for lot_id in lot_ids}
        if all(lot is not None for lot in held.values()):
            return {lot_id: lot for lot_id, lot in held.items() if lot is not None}  # loaded: every change is on these objects
        return super().lots_by_ids(lot_ids)

    def add_lot(self, lot: Lot) -> Lot:
        lot.id = self._state.ids.next("lot")
        self.session.add(lot)
        self._state.new_lots[lot.id] = lot
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
        self._state.redemptions_by_number[redemption.number] = redemption
        known = self._state.redemptions.get(redemption.member_id)
        if known is not None:
            known.append(redemption)
        return redemption

    def by_number(self, number: str) -> Redemption | None:
        held = self._state.redemptions_by_number.get(number)
        if held is not None:
            return held  # read under its member's lock when the batch began, or added by it
        if number in self._state.absent_redemptions and ("redemption", "number") not in self._state.changed:
            return None
        return super().by_number(number)

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


class _BatchStaff(_InBatch, StaffRepository):
    """Whether a referrer is one of the bank's staff, answered from ``ReferralFacts.staff``."""

    def active_with_id_number(self, id_number: str) -> Staff | None:
        facts = self._state.referrals
        if facts is None or id_number not in facts.staff or any(table == "staff" for table, _ in self._state.changed):
            return super().active_with_id_number(id_number)
        return facts.staff[id_number]


class _BatchAdjustments(_InBatch, AdjustmentRepository):
    """The requests the batch's decisions name and their decisions, read when the batch began under
    their members' locks (``preload_targets``); every change the batch makes is on these objects."""

    def by_operation(self, operation_id: str) -> AdjustmentRequest | None:
        held = self._state.requests.get(operation_id)
        return held if held is not None else super().by_operation(operation_id)

    def add(self, request: AdjustmentRequest) -> AdjustmentRequest:
        added = super().add(request)
        self._state.requests[added.operation_id] = added
        self._state.approvals[added.id] = []
        return added

    def get(self, request_id: int, *, fresh: bool = False) -> AdjustmentRequest | None:
        if request_id in self._state.approvals:
            return next((r for r in self._state.requests.values() if r.id == request_id), None) or self.session.get(AdjustmentRequest, request_id)
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
                self.referrals = _BatchReferrals(self._session, self.is_postgres, self._state)
                self.adjustments = _BatchAdjustments(self._session, self.is_postgres, self._state)
                self.sync_exceptions = _BatchSyncExceptions(self._session, self.is_postgres, self._state)
                self.staff = _BatchStaff(self._session, self.is_postgres, self._state)
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


