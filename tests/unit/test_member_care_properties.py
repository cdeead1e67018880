"""Property tests of the rules behind closing an account, tier benefits, the card journey and an
enrolment's identity clashes (pure domain, hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_desk.domain.benefits import check_use, entitlements
from loyalty_desk.domain.card_journey import card_journey
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.member_care import IdentityHolder, closing_plan, identity_clashes
from loyalty_desk.domain.rules import DEFAULT_RULES, Tier

points = st.integers(min_value=0, max_value=10**9)


@given(balance=points, redeemed=points)
def test_a_closing_redeems_at_most_the_balance_and_forfeits_exactly_the_rest(balance, redeemed):
    if redeemed > balance:
        with pytest.raises(DomainError):
            closing_plan(balance=balance, redemption_points=redeemed)
        return
    plan = closing_plan(balance=balance, redemption_points=redeemed)
    assert plan.redeemed + plan.forfeited == balance and plan.forfeited >= 0
    assert plan.needs_approval == (plan.forfeited > 0)


@given(tier=st.sampled_from(list(Tier)), used=st.dictionaries(st.sampled_from(["airport_lounge", "car_wash", "airport_fast_track"]),
                                                             st.integers(min_value=0, max_value=30)))
def test_what_is_left_of_a_benefit_never_goes_below_zero_and_a_use_past_it_is_refused(tier, used):
    for line in entitlements(tier, used, DEFAULT_RULES):
        assert line.left == max(0, line.allowed - line.used)
        if line.used >= line.allowed:
            with pytest.raises(DomainError):
                check_use(benefit=line.benefit, tier=tier, status="active", used=line.used, settings=DEFAULT_RULES, year=2026)
        else:
            assert check_use(benefit=line.benefit, tier=tier, status="active", used=line.used, settings=DEFAULT_RULES, year=2026).left >= 1


@given(approved=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), wait=st.integers(min_value=0, max_value=120),
       elapsed=st.integers(min_value=-5, max_value=200))
def test_the_card_journey_judges_the_approval_against_the_target_and_counts_days_down_to_zero(approved, wait, elapsed):
    journey = card_journey(applied_on=approved - timedelta(days=wait), approved_on=approved, first_transaction_on=None, spend_cny=Decimal(0),
                           spend_target_reached_on=None, today=approved + timedelta(days=elapsed), settings=DEFAULT_RULES)
    assert journey.approval_days == wait and journey.approval_within_target == (wait <= 20)
    assert journey.spend_deadline == approved + timedelta(days=65)
    assert journey.spend_days_left == max(0, 65 - elapsed)


@given(field=st.sampled_from(["id_number", "mobile", "card_no"]), numbers=st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=5,
                                                                                   unique=True))
def test_an_identity_clash_names_the_lowest_numbered_holder_once_per_field(field, numbers):
    holders = [IdentityHolder(f"M{n:010d}", "X" if field != "id_number" else "ID", "Y" if field != "mobile" else "13800000000",
                              None if field != "card_no" else "6222") for n in numbers]
    value = {"id_number": "ID", "mobile": "13800000000", "card_no": "6222"}[field]
    [clash] = identity_clashes({field: value}, holders)
    assert isinstance(clash, ValidationError) and clash.params == {"field": field, "member_no": f"M{min(numbers):010d}"}
