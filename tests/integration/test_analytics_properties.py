"""The analytics aggregates under random sequences of earnings, redemptions, reversals, adjustments
(approved, and left waiting), expiry runs, tier reviews (a member's history moves to the new tier),
home-branch moves, compactions and time passing, all written by the real services.

After every step: ``AnalyticsService.verify`` finds no key where the aggregates differ from the
figures recomputed from the ledger (entries, lots and movements, referrals and adjustment requests,
members served), and the roll-forward of every month read from the aggregates closes to the open
lots, this month's to what the members' lots hold now (``LiabilityMachine``'s invariant); and the
programme results' active members, active members of the period before and members active in both,
summed from the gap aggregate, equal the distinct members the ledger's earnings and redemptions name
for every period of one to four months (backdated earnings split a member's gaps).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule
from integration.test_liability_properties import BRANCHES, FIRST_MONTH, LiabilityMachine
from sqlalchemy import text

from loyalty_desk.domain.dates import add_months
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.analytics.service import AnalyticsService
from loyalty_desk.services.earning.service import EarningService

ACTIVE_IN = "SELECT member_id FROM ledger_entry WHERE kind IN ('earn', 'redeem') AND occurred_on >= :{0} AND occurred_on < :{1}"
LEDGER_ACTIVE = f"SELECT COUNT(DISTINCT member_id) FROM ({ACTIVE_IN.format('first', 'after')}) AS period"
LEDGER_ACTIVE_IN_BOTH = f"{LEDGER_ACTIVE} WHERE member_id IN ({ACTIVE_IN.format('previous_first', 'first')})"


class AnalyticsMachine(LiabilityMachine):
    def __init__(self) -> None:
        super().__init__()
        self.analytics = AnalyticsService(self.store.context)
        self.earning = EarningService(self.store.context)

    @rule(member=st.integers(0, 2), points=st.sampled_from([100, 900]))
    def request_and_leave_waiting(self, member: int, points: int) -> None:
        try:
            self.adjustments.request(
                operation_id=self.adjustments.new_operation_id(), session=self.officer, member_no=self.members[member], direction="credit",
                points=points, reason_code="SERVICE_RECOVERY", memo="analytics property test", evidence_ref="CMP-2",
            )
        except DomainError as error:
            assert error.code.startswith(("adjust.", "points.")), error

    @rule()
    def tier_review(self) -> None:
        self.earning.review_tiers(as_of=self.today)

    @rule(member=st.integers(0, 2), branch=st.sampled_from(BRANCHES))
    def home_branch_moves(self, member: int, branch: str) -> None:
        # No operation moves a member's home branch yet; a row arriving through the feed can.
        with self.store.context.uow(write=True) as uow:
            found = uow.members.by_no(self.members[member])
            target = uow.reference.branch_by_code(branch)
            assert found is not None and target is not None
            uow.analytics.session.execute(text("UPDATE member SET branch_id = :b WHERE id = :m"), {"b": target.id, "m": found.id})
            uow.commit()

    @rule()
    def compaction(self) -> None:
        self.analytics.compact()

    @invariant()
    def aggregates_equal_the_ledger(self) -> None:
        result = self.analytics.verify()
        assert result.agrees, (result.differences[:5], result.served_missing, result.served_extra)

    @invariant()
    def active_members_of_every_period_equal_the_ledger(self) -> None:
        with self.store.context.uow() as uow:
            def ledger(sql: str, **days: date) -> int:
                return int(uow.analytics.session.execute(text(sql), {name: day.isoformat() for name, day in days.items()}).scalar() or 0)

            queries = uow.analytics.results(branch_id=None, tier=None)
            this_month = self.today.replace(day=1)
            first = FIRST_MONTH
            while first <= this_month:
                for length in range(1, 5):
                    after = add_months(first, length)
                    previous_first = add_months(first, -length)
                    found = queries.activity(first, after - timedelta(days=1), previous_first, first - timedelta(days=1))
                    expected = (
                        ledger(LEDGER_ACTIVE, first=first, after=after),
                        ledger(LEDGER_ACTIVE, first=previous_first, after=first),
                        ledger(LEDGER_ACTIVE_IN_BOTH, first=first, after=after, previous_first=previous_first),
                    )
                    assert found == expected, (first, length, found, expected)
                first = add_months(first, 1)


AnalyticsMachine.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=20,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestAnalyticsProperties = AnalyticsMachine.TestCase
