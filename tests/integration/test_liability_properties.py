"""The liability roll-forward under random sequences of earning, redemptions, reversals, approved
adjustments, expiry runs and time passing, all posted with the real services (EarningService through
the test factories' ledger credit, RedemptionService, AdjustmentService, ExpiryService).

After every step, for every month from before the first posting to this month and for every
branch (and all branches together): the closing by the roll-forward equals the open lots at the
month's end, each line's opening is the previous month's closing, the branches add up to the
whole, and this month's closing is what the members' lots hold now.

Replaying a failure: hypothesis prints the falsifying steps and a ``@reproduce_failure(...)`` blob;
rerun with ``--hypothesis-seed=N`` as it reports.
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

from loyalty_desk.domain.dates import add_months
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.expiry import ExpiryService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.liability.service import LiabilityService
from loyalty_desk.services.redemption.service import RedemptionService

START = datetime(2026, 3, 20, 9, 0)
FIRST_MONTH = date(2025, 10, 1)  # before every posting the machine makes (earning at most 150 days back)
REWARDS = {"V500": 500, "V3000": 3_000, "V9000": 9_000}
BRANCHES = ("BJ01", "SH01")


class LiabilityMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="liability-props-"))
        self.store = open_store(self.tmp / "store", now=START)
        context = self.store.context
        add_branch(context, code="HQ01", name_zh="总行", name_en="Head Office", head_office=True)
        add_branch(context, code="BJ01")
        add_branch(context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
        self.officer = add_staff(context, username="o.bj", role="officer")
        self.supervisor = add_staff(context, username="s.hq", role="supervisor", branch_code="HQ01")
        self.auditor = add_staff(context, username="audit", role="auditor", branch_code="HQ01")
        admin = add_staff(context, username="a.hq", role="admin", branch_code="HQ01")
        runner = operation_runner(context)
        self.redemption = RedemptionService(context, runner)
        self.adjustments = AdjustmentService(context, runner)
        self.expiry = ExpiryService(context)
        self.liability = LiabilityService(context)
        for code, points in REWARDS.items():
            self.redemption.upsert_reward(session=admin, code=code, name_zh=code, name_en=code, points_cost=points, cash_value="1",
                                          category="voucher", stock_tracked=False)
        self.members = [
            add_member(context, branch_code=branch, tier=tier) for branch, tier in (("BJ01", "standard"), ("BJ01", "gold"), ("SH01", "silver"))
        ]
        for member_no in self.members:
            post_earning(context, member_no, 4_000, on=FIRST_MONTH + timedelta(days=3))
        self.numbers: list[str] = []

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def today(self) -> date:
        return self.store.clock.now.date()

    # ------------------------------------------------------------ operations

    @rule(member=st.integers(0, 2), points=st.sampled_from([300, 1_000, 2_500, 8_000]), days_ago=st.integers(0, 150))
    def earn(self, member: int, points: int, days_ago: int) -> None:
        on = max(self.today - timedelta(days=days_ago), FIRST_MONTH)
        post_earning(self.store.context, self.members[member], points, on=on)

    @rule(member=st.integers(0, 2), reward=st.sampled_from(sorted(REWARDS)))
    def redeem(self, member: int, reward: str) -> None:
        try:
            receipt = self.redemption.redeem(
                operation_id=self.redemption.new_operation_id(), session=self.officer, member_no=self.members[member], reward_code=reward, qty=1
            )
        except DomainError as error:
            assert error.code.startswith(("redeem.", "points.", "balance.")), error
            return
        self.numbers.append(receipt.number)

    @precondition(lambda self: bool(self.numbers))
    @rule(pick=st.integers(0, 10_000))
    def reverse(self, pick: int) -> None:
        number = self.numbers[pick % len(self.numbers)]
        try:
            self.redemption.reverse(operation_id=self.redemption.new_operation_id(), session=self.supervisor, redemption_number=number, reason="returned")
        except DomainError as error:
            assert error.code in ("redeem.already_reversed", "redeem.reversal_window"), error

    @rule(member=st.integers(0, 2), direction=st.sampled_from(["credit", "debit"]), points=st.sampled_from([100, 700, 4_000]))
    def adjust(self, member: int, direction: str, points: int) -> None:
        reason, evidence = ("SERVICE_RECOVERY", "CMP-1") if direction == "credit" else ("CORRECTION", "ENTRY-1")
        try:
            requested = self.adjustments.request(
                operation_id=self.adjustments.new_operation_id(), session=self.officer, member_no=self.members[member], direction=direction,
                points=points, reason_code=reason, memo="liability property test", evidence_ref=evidence,
            )
        except DomainError as error:
            assert error.code.startswith(("adjust.", "balance.", "points.")), error
            return
        try:
            outcome = self.adjustments.approve(operation_id=self.adjustments.new_operation_id(), request_id=requested.request_id, session=self.supervisor)
        except DomainError as error:
            assert error.code.startswith(("adjust.", "balance.", "points.")), error
            return
        assert outcome.posted

    @rule()
    def expiry_run(self) -> None:
        self.expiry.run(as_of=self.today)

    @rule(days=st.sampled_from([1, 9, 20, 45]))
    def time_passes(self, days: int) -> None:
        self.store.clock.advance(days=days)

    # ------------------------------------------------------------ invariants

    @invariant()
    def every_month_and_branch_rolls_forward_to_its_lots(self) -> None:
        month = FIRST_MONTH
        previous: dict[str | None, dict[tuple[str, str], int]] = {}
        last = None
        while month <= self.today:
            whole = self.liability.build(month=month, session=self.auditor)
            parts = [self.liability.build(month=month, session=self.auditor, branch_code=branch) for branch in BRANCHES]
            for scope, report in ((None, whole), *zip(BRANCHES, parts, strict=True)):
                assert report.reconciled, (month, scope, report.total)
                for line in report.lines:
                    assert line.closing == line.lots_at_close, (month, scope, line)
                    assert line.opening == previous.get(scope, {}).get((line.branch_code, line.tier), 0), (month, scope, line)
                previous[scope] = {(line.branch_code, line.tier): line.closing for line in report.lines}
            for name in ("opening", "issued", "redeemed", "expired", "adjusted", "lots_at_close"):
                assert getattr(whole.total, name) == sum(getattr(part.total, name) for part in parts), (month, name)
            last = whole
            month = add_months(month, 1)
        assert last is not None
        with self.store.context.uow() as uow:
            held = 0
            for member_no in self.members:
                member = uow.members.by_no(member_no)
                assert member is not None
                held += uow.ledger.sum_lot_remaining(member.id)
        assert last.total.closing == held


LiabilityMachine.TestCase.settings = settings(
    max_examples=10,
    stateful_step_count=20,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestLiabilityProperties = LiabilityMachine.TestCase
