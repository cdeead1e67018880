"""What the desk does when head office rejects one of its operations: the compensation (SQLite only).

No central is needed: the verdict goes through the desk's own rejection path (``_reject_or_wait``,
what ``collect_outcomes`` and a refused push call). The member's lots seeded before the desk's
outbox is attached stand for the rows pulled from central (ids below ``PROVISIONAL_BASE``); the
operations made afterwards are the desk's own, provisional until central's copies replace them.

* A rejected credit leaves the very lot it opened (``Ledger.reverse_credit``), not the
  soonest-expiring lots a plain debit would take (property test).
* A credit this desk's own unsettled operations have spent waits until they are settled; a credit
  the member has already spent waits too: the ledger never goes below zero.
* A rejected redemption reversal (a credit into the redemption's lots) is taken back out of those
  lots, and a rejected operation's stock movements are undone.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store, post_debit, post_earning
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sync_support import TestDebit

from loyalty_desk.demo.catalogue import seed_catalogue
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import Applied, OperationRequest, OperationRunner
from loyalty_desk.services.redemption.service import RedemptionService
from loyalty_desk.store.models import LedgerEntry, LotMovement, Outbox, RewardStockMovement
from loyalty_desk.store.uow import UnitOfWork
from loyalty_desk.sync.desk import DeskSync
from loyalty_desk.sync.desk_settings import DeskSettings
from loyalty_desk.sync.outbox import attach
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE

UNUSED_CENTRAL = "postgresql://ld_desk_x:secret@127.0.0.1:1/central"  # never reached by these tests
REJECTED = "adjust.approver_not_allowed"


class TestCredit:
    """Kind ``test_credit``: credits ``points`` in a new lot, as an approved adjustment credit does."""

    __test__ = False  # not a pytest test class
    kind = "test_credit"

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: Any) -> Applied:
        found = uow.members.by_no(request.payload["member_no"])
        assert found is not None
        member = uow.members.lock(found.id)
        assert member is not None
        Ledger(uow, context.rules, now).credit(
            member,
            Posting(entry_uid=f"credit:{request.operation_id}", kind="adjust", rule="test_credit", occurred_on=now.date(), operation_id=request.operation_id),
            int(request.payload["points"]),
            qualifying=False,
        )
        return Applied({"points": request.payload["points"]}, member.id)


@dataclass(frozen=True)
class LotState:
    id: int
    entry_id: int
    original: int
    remaining: int


@dataclass
class Bench:
    store: LocalStore
    runner: OperationRunner
    sync: DeskSync
    member_no: str
    staff_id: int  # the officer signed in at the desk (their key signs the operations)

    @property
    def context(self) -> ServiceContext:
        return self.store.context

    def run(self, kind: str, **payload: Any) -> str:
        operation_id = str(uuid.uuid4())
        self.runner.execute(OperationRequest(operation_id=operation_id, kind=kind, payload={"member_no": self.member_no, **payload}, origin="desk_x",
                                             staff_id=self.staff_id))
        return operation_id

    def credit(self, points: int) -> str:
        return self.run("test_credit", points=points)

    def debit(self, points: int) -> str:
        return self.run("test_debit", points=points)

    def reject(self, operation_id: str) -> bool:
        return self.sync._reject_or_wait(operation_id, REJECTED, {})  # the verdict path of collect_outcomes

    def lots(self) -> dict[int, LotState]:
        with self.context.uow() as uow:
            member = uow.members.by_no(self.member_no)
            assert member is not None
            return {lot.id: LotState(lot.id, lot.entry_id, lot.original, lot.remaining) for lot in uow.ledger.lots_for_member(member.id)}

    def entry_of(self, operation_id: str, *, compensation: bool = False) -> LedgerEntry:
        with self.context.uow() as uow:
            entries = [
                e for e in uow.ledger.session.scalars(select(LedgerEntry).where(LedgerEntry.operation_id == operation_id))
                if e.entry_uid.startswith("sync-reversal:") == compensation
            ]
            assert len(entries) == 1, entries
            uow.ledger.session.expunge(entries[0])
            return entries[0]

    def movements(self, entry_id: int) -> dict[int, int]:
        with self.context.uow() as uow:
            return {m.lot_id: m.points for m in uow.ledger.movements_of_entry(entry_id)}

    def lot_of(self, operation_id: str) -> int:
        entry = self.entry_of(operation_id)
        [lot] = [candidate for candidate in self.lots().values() if candidate.entry_id == entry.id]
        return lot.id

    def balance(self) -> int:
        with self.context.uow() as uow:
            member = uow.members.by_no(self.member_no)
            assert member is not None
            return member.posted_balance

    def outbox(self, operation_id: str) -> tuple[str | None, str | None]:
        with self.context.uow() as uow:
            row = uow.ledger.session.get(Outbox, operation_id)
            assert row is not None
            return row.outcome, row.last_error

    def invariants(self) -> None:
        with self.context.uow() as uow:
            member = uow.members.by_no(self.member_no)
            assert member is not None
            assert member.posted_balance == uow.ledger.sum_entries(member.id) == uow.ledger.sum_lot_remaining(member.id) >= 0
            assert all(0 <= lot.remaining <= lot.original for lot in uow.ledger.lots_for_member(member.id))

    def close(self) -> None:
        self.sync.close()
        self.store.close()


def open_bench(data_dir: Path, lots: list[tuple[int, date]]) -> Bench:
    """A desk store whose member holds ``lots`` (as pulled from central), then the desk's outbox attached."""
    store = open_store(data_dir)
    add_branch(store.context, code="BJ01")
    officer = add_staff(store.context, username="officer1")
    member_no = add_member(store.context, name="张伟")
    for points, earned_on in lots:
        post_earning(store.context, member_no, points, on=earned_on)
    runner = OperationRunner(store.context, {h.kind: h for h in (TestCredit(), TestDebit())})
    attach(runner, store.database, store.clock)  # from here on, the desk's rows are provisional
    sync = DeskSync(store.database, store.context, DeskSettings(UNUSED_CENTRAL, "desk_x"))
    return Bench(store, runner, sync, member_no, officer.staff_id)


@pytest.fixture
def bench_factory(tmp_path: Path):
    opened: list[Bench] = []

    def make(lots: list[tuple[int, date]]) -> Bench:
        bench = open_bench(tmp_path / f"store{len(opened)}", lots)
        opened.append(bench)
        return bench

    yield make
    for bench in opened:
        bench.close()


# ---------------------------------------------------------------------------- the property

earned_days = st.integers(min_value=0, max_value=700).map(lambda n: date(2024, 7, 1) + timedelta(days=n))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    central_lots=st.lists(st.tuples(st.integers(min_value=1, max_value=5_000), earned_days), max_size=4),
    credit=st.integers(min_value=1, max_value=20_000),
    spend_share=st.one_of(st.none(), st.floats(min_value=0.01, max_value=1.0)),
)
def test_a_rejected_credit_leaves_the_lot_it_opened_and_no_other(central_lots, credit, spend_share):
    tmp = Path(tempfile.mkdtemp(prefix="reject-credit-"))
    bench = open_bench(tmp / "store", central_lots)
    try:
        held = sum(points for points, _ in central_lots)
        if spend_share is not None and held:
            bench.debit(max(1, int(held * spend_share)))  # one of our own, still waiting: it took no point of the credit's lot
        before_lots, before_balance = bench.lots(), bench.balance()

        operation_id = bench.credit(credit)
        credit_lot = bench.lot_of(operation_id)
        assert bench.balance() == before_balance + credit

        assert bench.reject(operation_id) is True
        assert bench.outbox(operation_id)[0] == "rejected"
        after = bench.lots()
        assert after[credit_lot].remaining == 0
        assert {i: state for i, state in after.items() if i != credit_lot} == before_lots  # the other lots are untouched
        assert bench.balance() == before_balance
        original, compensation = bench.entry_of(operation_id), bench.entry_of(operation_id, compensation=True)
        assert compensation.points == -credit and compensation.reverses_entry_id == original.id and compensation.rule == "sync.rejected"
        assert bench.movements(compensation.id) == {credit_lot: -credit}
        assert "from_other_lots" not in (compensation.details or {})
        bench.invariants()
    finally:
        bench.close()
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------- spent credits


def test_credit_spent_by_our_own_waiting_operation_waits_until_that_one_is_settled(bench_factory):
    bench = bench_factory([(500, date(2025, 3, 1))])
    [old_lot] = bench.lots()
    credit = bench.credit(1_000)
    credit_lot = bench.lot_of(credit)
    spend = bench.debit(1_200)  # 500 from the old lot, 700 from the credit's
    assert {i: state.remaining for i, state in bench.lots().items()} == {old_lot: 0, credit_lot: 300}

    # central rejects the credit; the redemption that spent it is not settled yet: the compensation waits
    assert bench.reject(credit) is False
    outcome, reason = bench.outbox(credit)
    assert outcome is None and "spent by operations central has not settled yet" in reason
    assert bench.balance() == 300
    with bench.context.uow() as uow:
        assert not [e for e in uow.ledger.session.scalars(select(LedgerEntry)) if e.entry_uid.startswith("sync-reversal:")]

    # central rejects the spend too (the credit never reached it): its points go back to the very lots...
    assert bench.reject(spend) is True
    assert {i: state.remaining for i, state in bench.lots().items()} == {old_lot: 500, credit_lot: 1_000}
    # ...and the next round's try takes the credit back out of its own lot only
    assert bench.reject(credit) is True
    assert {i: state.remaining for i, state in bench.lots().items()} == {old_lot: 500, credit_lot: 0}
    assert bench.balance() == 500
    assert bench.outbox(credit)[0] == "rejected"
    bench.invariants()


def test_credit_partly_spent_by_a_settled_debit_takes_the_rest_soonest_expiring_first(bench_factory):
    bench = bench_factory([(300, date(2024, 9, 1))])
    [old_lot] = bench.lots()
    credit = bench.credit(1_000)
    credit_lot = bench.lot_of(credit)
    # a debit that is not one of our waiting operations (a job's, say) takes the old lot and 200 of the credit's
    post_debit(bench.context, bench.member_no, 500, on=date(2026, 6, 30))
    post_earning(bench.context, bench.member_no, 400, on=date(2026, 6, 1))
    post_earning(bench.context, bench.member_no, 400, on=date(2026, 6, 30))
    lots = bench.lots()
    soon, late = sorted(i for i in lots if i not in (old_lot, credit_lot))
    assert {i: state.remaining for i, state in lots.items()} == {old_lot: 0, credit_lot: 800, soon: 400, late: 400}

    assert bench.reject(credit) is True
    compensation = bench.entry_of(credit, compensation=True)
    assert compensation.points == -1_000
    assert bench.movements(compensation.id) == {credit_lot: -800, soon: -200}  # the rest from the soonest-expiring lot
    assert compensation.details == {**compensation.details, "from_own_lots": 800, "from_other_lots": 200}
    assert {i: state.remaining for i, state in bench.lots().items()} == {old_lot: 0, credit_lot: 0, soon: 200, late: 400}
    bench.invariants()


def test_credit_the_member_has_already_spent_waits_and_the_balance_never_goes_negative(bench_factory):
    bench = bench_factory([])
    credit = bench.credit(1_000)
    post_debit(bench.context, bench.member_no, 800, on=date(2026, 6, 30))  # spent, and not by a waiting operation

    assert bench.reject(credit) is False
    outcome, reason = bench.outbox(credit)
    assert outcome is None and "hold 200 of the 1000 points" in reason
    assert bench.balance() == 200
    bench.invariants()
    # the ledger refuses it outright
    with bench.context.uow(write=True) as uow:
        member = uow.members.lock(uow.members.by_no(bench.member_no).id)
        original = uow.ledger.session.scalar(select(LedgerEntry).where(LedgerEntry.operation_id == credit))
        original_id = original.id
        with pytest.raises(DomainError) as refused:
            Ledger(uow, bench.context.rules, bench.store.clock()).reverse_credit(
                member, Posting(entry_uid="x", kind="reversal", rule="test", occurred_on=date(2026, 6, 30)), original
            )
    assert refused.value.code == "ledger.credit_spent" and dict(refused.value.params) == {"entry_id": original_id, "points": 1_000, "available": 200}
    # once the member has the points again (an earning pulled from central), the next round takes them back
    post_earning(bench.context, bench.member_no, 900, on=date(2026, 6, 30))
    assert bench.reject(credit) is True
    assert bench.balance() == 100 and bench.outbox(credit)[0] == "rejected"
    bench.invariants()


# ---------------------------------------------------------------------------- redemptions and stock


@pytest.fixture
def redeem_bench(tmp_path: Path):
    store = open_store(tmp_path / "store")
    add_branch(store.context, code="BJ01")
    officer = add_staff(store.context, username="officer.bj", role="officer")
    supervisor = add_staff(store.context, username="super.bj", role="supervisor")
    member_no = add_member(store.context, name="王芳")
    post_earning(store.context, member_no, 6_000, on=date(2025, 1, 10))
    post_earning(store.context, member_no, 6_000, on=date(2026, 1, 10))
    with store.context.uow(write=True) as uow:
        seed_catalogue(uow, date(2026, 6, 30))
        uow.commit()
    runner = operation_runner(store.context)
    redemption = RedemptionService(store.context, runner)
    yield store, runner, redemption, officer, supervisor, member_no
    store.close()


def _on_hand(store: LocalStore, code: str) -> int:
    with store.context.uow() as uow:
        reward = uow.redemption.reward_by_code(code)
        return uow.redemption.stock_at_branch(uow.reference.branch_by_code("BJ01").id)[reward.id]


def test_rejected_redemption_gives_its_points_and_its_goods_back(redeem_bench):
    store, runner, redemption, officer, _, member_no = redeem_bench
    attach(runner, store.database, store.clock)
    sync = DeskSync(store.database, store.context, DeskSettings(UNUSED_CENTRAL, "desk_x"))
    on_hand = _on_hand(store, "GIFT-TUMBLER")
    operation_id = str(uuid.uuid4())
    redemption.redeem(operation_id=operation_id, session=officer, member_no=member_no, reward_code="GIFT-TUMBLER", qty=2)
    assert _on_hand(store, "GIFT-TUMBLER") == on_hand - 2

    assert sync._reject_or_wait(operation_id, "redeem.stock", {}) is True
    assert _on_hand(store, "GIFT-TUMBLER") == on_hand
    with store.context.uow() as uow:
        moved = [(m.change, m.reason) for m in uow.ledger.session.scalars(select(RewardStockMovement).where(RewardStockMovement.operation_id == operation_id))]
        member = uow.members.by_no(member_no)
        assert member.posted_balance == 12_000
    assert moved == [(-2, "redeemed"), (2, "reversed")]  # undone by an opposite movement, not edited
    sync.close()


def test_rejected_redemption_reversal_takes_the_points_back_out_of_the_lots_it_restored(redeem_bench):
    store, runner, redemption, officer, supervisor, member_no = redeem_bench
    receipt = redemption.redeem(operation_id=str(uuid.uuid4()), session=officer, member_no=member_no, reward_code="GIFT-RICE", qty=1)  # central's
    attach(runner, store.database, store.clock)
    sync = DeskSync(store.database, store.context, DeskSettings(UNUSED_CENTRAL, "desk_x"))
    lots_before = _lots(store, member_no)
    on_hand = _on_hand(store, "GIFT-RICE")

    reverse_id = str(uuid.uuid4())
    redemption.reverse(operation_id=reverse_id, session=supervisor, redemption_number=receipt.number, reason="wrong gift handed out")
    assert _on_hand(store, "GIFT-RICE") == on_hand + 1
    restored = _movements_of_operation(store, reverse_id)
    assert sum(restored.values()) == 9_900

    # head office refuses the reversal (another desk reversed it first, say): the restored points leave those very lots
    assert sync._reject_or_wait(reverse_id, "redeem.already_reversed", {}) is True
    assert _lots(store, member_no) == lots_before
    assert _on_hand(store, "GIFT-RICE") == on_hand
    with store.context.uow() as uow:
        entries = uow.ledger.session.scalars(select(LedgerEntry).where(LedgerEntry.operation_id == reverse_id))
        compensation = [e for e in entries if e.entry_uid.startswith("sync-reversal:")]
        assert [e.points for e in compensation] == [-9_900]
        assert uow.members.by_no(member_no).posted_balance == 12_000 - 9_900
    sync.close()


def test_a_redemption_reversed_at_the_desk_then_refused_by_central_comes_to_nothing(redeem_bench):
    """The counter reversed a redemption before central's verdict; central then refuses the redemption
    (the member's third in 24 hours was at another desk) and the reversal (nothing to reverse). The
    desk's own reversal already gave the points and the goods back: neither refusal may move them
    again, nor stop the desk collecting its verdicts."""
    store, runner, redemption, officer, supervisor, member_no = redeem_bench
    attach(runner, store.database, store.clock)
    sync = DeskSync(store.database, store.context, DeskSettings(UNUSED_CENTRAL, "desk_x"))
    lots_before = _lots(store, member_no)
    on_hand = _on_hand(store, "GIFT-RICE")
    redeem_id, reverse_id = str(uuid.uuid4()), str(uuid.uuid4())
    receipt = redemption.redeem(operation_id=redeem_id, session=officer, member_no=member_no, reward_code="GIFT-RICE", qty=1)
    redemption.reverse(operation_id=reverse_id, session=supervisor, redemption_number=receipt.number, reason="changed their mind")
    assert _lots(store, member_no) == lots_before

    assert sync._reject_or_wait(redeem_id, "redeem.window_limit", {}) is True
    assert sync._reject_or_wait(reverse_id, "not_found", {}) is True
    assert _lots(store, member_no) == lots_before
    assert _on_hand(store, "GIFT-RICE") == on_hand
    with store.context.uow() as uow:
        assert uow.members.by_no(member_no).posted_balance == 12_000
        assert uow.ledger.session.get(Outbox, redeem_id).outcome == uow.ledger.session.get(Outbox, reverse_id).outcome == "rejected"
    sync.close()


def _lots(store: LocalStore, member_no: str) -> dict[int, int]:
    with store.context.uow() as uow:
        member = uow.members.by_no(member_no)
        return {lot.id: lot.remaining for lot in uow.ledger.lots_for_member(member.id)}


def _movements_of_operation(store: LocalStore, operation_id: str) -> dict[int, int]:
    with store.context.uow() as uow:
        session = uow.ledger.session
        rows = session.execute(
            select(LotMovement.lot_id, LotMovement.points).join(LedgerEntry, LedgerEntry.id == LotMovement.entry_id).where(
                LedgerEntry.operation_id == operation_id, LedgerEntry.id >= PROVISIONAL_BASE
            )
        ).all()
        return dict(rows)
