"""Ledger and stock invariants under random sequences of earnings, redemptions (through the
operation runner), reversals, retried operations, expiry runs and time passing (quality.md,
Reliability 1 and 8, for redemptions).

After every step: each member's posted balance equals the sum of their entries and the sum of
their lots' remaining points; no lot below zero or above what it earned; the available balance
never below zero; each branch's stock equals the sum of its movements and is never negative; a
redemption is reversed at most once. Replay a failure with ``--hypothesis-seed=N`` (printed by
hypothesis) or its ``@reproduce_failure`` blob.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from factories import add_branch, add_member, add_staff, open_store, post_earning
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.expiry import ExpiryService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.redemption.service import RedemptionService

START = datetime(2026, 6, 20, 9, 0)
REWARDS = {"V500": (500, False), "V3000": (3_000, False), "G1200": (1_200, True), "G7000": (7_000, True)}


class RedemptionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="redeem-props-"))
        self.store = open_store(self.tmp / "store", now=START)
        context = self.store.context
        add_branch(context, code="BJ01")
        add_branch(context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
        self.officers = [add_staff(context, username="o.bj", role="officer"), add_staff(context, username="o.sh", role="officer", branch_code="SH01")]
        self.supervisor = add_staff(context, username="s.bj", role="supervisor")
        admin = add_staff(context, username="a.hq", role="admin")
        self.service = RedemptionService(context, operation_runner(context))
        for code, (points, tracked) in REWARDS.items():
            self.service.upsert_reward(session=admin, code=code, name_zh=code, name_en=code, points_cost=points, cash_value="1",
                                       category="physical_gift" if tracked else "voucher", stock_tracked=tracked)
            if tracked:
                for branch in ("BJ01", "SH01"):
                    self.service.receive_stock(session=admin, branch_code=branch, reward_code=code, qty=3)
        self.members = [add_member(context, tier=tier) for tier in ("standard", "gold")]
        for member_no in self.members:  # three lots with different expiry dates each
            for days_ago, points in ((700, 6_000), (400, 8_000), (30, 10_000)):
                post_earning(context, member_no, points, on=START.date() - timedelta(days=days_ago))
        self.numbers: list[str] = []
        self.reversed: set[str] = set()
        self.last_op: tuple[str, str, str, int, int] | None = None  # op id, member, reward, qty, officer index

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def today(self) -> date:
        return self.store.clock.now.date()

    @rule(member=st.integers(0, 1), points=st.sampled_from([300, 1_000, 2_500, 8_000]), days_ago=st.integers(0, 800))
    def earn(self, member: int, points: int, days_ago: int) -> None:
        post_earning(self.store.context, self.members[member], points, on=self.today - timedelta(days=days_ago))

    @rule(member=st.integers(0, 1), reward=st.sampled_from(sorted(REWARDS)), qty=st.integers(1, 3), officer=st.integers(0, 1))
    def redeem(self, member: int, reward: str, qty: int, officer: int) -> None:
        op = self.service.new_operation_id()
        try:
            receipt = self.service.redeem(operation_id=op, session=self.officers[officer], member_no=self.members[member], reward_code=reward, qty=qty)
        except DomainError as error:
            assert error.code.startswith(("redeem.", "points.")), error
            return
        self.numbers.append(receipt.number)
        self.last_op = (op, self.members[member], reward, qty, officer)

    @precondition(lambda self: self.last_op is not None)
    @rule()
    def retry_last_redemption(self) -> None:
        op, member_no, reward, qty, officer = self.last_op  # type: ignore[misc]
        before = len(self.service.list(limit=1000))
        receipt = self.service.redeem(operation_id=op, session=self.officers[officer], member_no=member_no, reward_code=reward, qty=qty)
        assert receipt.replayed and len(self.service.list(limit=1000)) == before

    @precondition(lambda self: bool(self.numbers))
    @rule(pick=st.integers(0, 10_000))
    def reverse(self, pick: int) -> None:
        number = self.numbers[pick % len(self.numbers)]
        try:
            self.service.reverse(operation_id=self.service.new_operation_id(), session=self.supervisor, redemption_number=number, reason="returned")
        except DomainError as error:
            assert error.code in ("redeem.already_reversed", "redeem.reversal_window"), error
            if error.code == "redeem.already_reversed":
                assert number in self.reversed
            return
        assert number not in self.reversed
        self.reversed.add(number)

    @rule(hours=st.sampled_from([1, 13, 25, 24 * 12]))
    def time_passes(self, hours: int) -> None:
        self.store.clock.advance(hours=hours)

    @rule()
    def expiry_run(self) -> None:
        ExpiryService(self.store.context).run(as_of=self.today)

    @invariant()
    def ledger_lots_and_stock_agree(self) -> None:
        with self.store.context.uow() as uow:
            for member_no in self.members:
                member = uow.members.by_no(member_no)
                assert member.posted_balance == uow.ledger.sum_entries(member.id) == uow.ledger.sum_lot_remaining(member.id)
                assert member.posted_balance - member.held_points >= 0
                for lot in uow.ledger.lots_for_member(member.id):
                    assert 0 <= lot.remaining <= lot.original
            for code, (_, tracked) in REWARDS.items():
                if not tracked:
                    continue
                reward = uow.redemption.reward_by_code(code)
                for branch in uow.reference.branches():
                    stock = uow.redemption.stock(branch.id, reward.id)
                    moved = sum(m.change for m in uow.redemption.stock_movements(branch.id, reward.id))
                    assert stock is not None and stock.on_hand == moved >= 0


RedemptionMachine.TestCase.settings = settings(
    max_examples=15, stateful_step_count=25, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestRedemptionProperties = RedemptionMachine.TestCase
