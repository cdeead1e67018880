"""What to offer now: the pure hint rules, with properties over generated members."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.hints import (
    DORMANT_AFTER_MONTHS,
    EXPIRY_REWARDS,
    GOOD_REFERRER_MIN,
    Hint,
    HintKind,
    HintResponse,
    MemberFacts,
    RewardFacts,
    check_response,
    facts_as_json,
    hints_for,
    reach_by,
)
from loyalty_desk.domain.lots import OpenLot
from loyalty_desk.domain.rules import DEFAULT_RULES, TIER_ORDER, Tier
from loyalty_desk.domain.tiers import threshold

TODAY = date(2027, 3, 10)
CATALOGUE = (
    RewardFacts("TEA", 800, Tier.STANDARD, tier_redemptions=12),
    RewardFacts("MUG", 2_000, Tier.STANDARD, tier_redemptions=30),
    RewardFacts("FEE", 5_000, Tier.SILVER, tier_redemptions=7),
    RewardFacts("LOUNGE", 20_000, Tier.GOLD, tier_redemptions=0),
)


def facts(**changes) -> MemberFacts:
    member = MemberFacts(
        as_of=TODAY, status="active", tier=Tier.STANDARD, available_balance=0, lots=(), qualifying_earnings=(),
        last_activity_on=TODAY - timedelta(days=10), successful_referrals=0, referrals_this_year=0, has_referral_code=True,
        catalogue=CATALOGUE,
    )
    return replace(member, **changes)


def kinds(hints: list[Hint]) -> list[HintKind]:
    return [hint.kind for hint in hints]


def test_points_expiring_within_30_days_name_the_dearest_rewards_they_buy():
    lots = (OpenLot(1, date(2025, 3, 2), date(2027, 3, 31), 2_500), OpenLot(2, date(2026, 1, 5), date(2028, 1, 31), 9_000))
    hints = hints_for(facts(lots=lots, available_balance=11_500), DEFAULT_RULES)
    expiry = hints[0]
    assert expiry.kind is HintKind.EXPIRING and expiry.key == "expiring:30"
    assert expiry.facts["points"] == 2_500 and expiry.facts["first_expires_on"] == date(2027, 3, 31)
    assert expiry.facts["rewards"] == ("MUG", "TEA")  # FEE needs Silver; dearest first, all within the 2,500 expiring
    assert expiry.facts["reward_costs"] == (2_000, 800)


def test_the_expiry_window_is_the_smallest_that_holds_expiring_points():
    lots = (OpenLot(1, date(2025, 4, 2), TODAY + timedelta(days=70), 1_000),)
    (expiry,) = [h for h in hints_for(facts(lots=lots, available_balance=1_000), DEFAULT_RULES) if h.kind is HintKind.EXPIRING]
    assert expiry.facts["within_days"] == 90
    sooner = hints_for(facts(lots=(OpenLot(1, date(2025, 4, 2), TODAY + timedelta(days=40), 1_000),), available_balance=1_000), DEFAULT_RULES)
    assert sooner[0].facts["within_days"] == 60 and sooner[0].priority > expiry.priority


def test_a_tier_within_reach_by_the_end_of_the_month():
    earnings = ((date(2026, 9, 1), 75_800),)
    (tier,) = [h for h in hints_for(facts(tier=Tier.SILVER, qualifying_earnings=earnings), DEFAULT_RULES) if h.kind is HintKind.TIER_REACH]
    assert tier.facts == {"tier": "gold", "points_needed": 4_200, "by": date(2027, 3, 31), "threshold": 80_000, "qualifying_points": 75_800}


def test_earnings_leaving_the_window_before_the_month_ends_do_not_count_towards_the_tier():
    earnings = ((date(2026, 3, 20), 10_000), (date(2026, 9, 1), 65_800))  # the first leaves the window on 2027-03-20
    (tier,) = [h for h in hints_for(facts(tier=Tier.SILVER, qualifying_earnings=earnings), DEFAULT_RULES) if h.kind is HintKind.TIER_REACH]
    assert tier.facts["points_needed"] == 14_200


def test_a_tier_far_out_of_reach_is_not_offered():
    earnings = ((date(2026, 9, 1), 40_000),)
    assert HintKind.TIER_REACH not in kinds(hints_for(facts(tier=Tier.SILVER, qualifying_earnings=earnings), DEFAULT_RULES))


def test_rewards_the_tier_redeems_most_that_the_member_can_afford():
    hints = [h for h in hints_for(facts(tier=Tier.SILVER, available_balance=6_000), DEFAULT_RULES) if h.kind is HintKind.POPULAR_REWARD]
    assert [h.facts["reward"] for h in hints] == ["MUG", "TEA"]
    assert hints[0].facts["tier_redemptions"] == 30 and hints[0].priority > hints[1].priority


def test_a_dormant_member_after_the_months_without_activity():
    last = date(2026, 9, 10)
    (dormant,) = [h for h in hints_for(facts(last_activity_on=last), DEFAULT_RULES) if h.kind is HintKind.DORMANT]
    assert dormant.facts == {"last_activity_on": last, "months_inactive": DORMANT_AFTER_MONTHS, "dormant_after_months": DORMANT_AFTER_MONTHS}
    assert HintKind.DORMANT not in kinds(hints_for(facts(last_activity_on=date(2026, 9, 11)), DEFAULT_RULES))


def test_a_good_referrer_is_asked_again_until_the_yearly_cap():
    (refer,) = [h for h in hints_for(facts(successful_referrals=GOOD_REFERRER_MIN), DEFAULT_RULES) if h.kind is HintKind.REFER_AGAIN]
    assert refer.facts["successful_referrals"] == GOOD_REFERRER_MIN and refer.facts["yearly_cap"] == 20
    capped = facts(successful_referrals=30, referrals_this_year=DEFAULT_RULES.referrals.yearly_cap)
    assert HintKind.REFER_AGAIN not in kinds(hints_for(capped, DEFAULT_RULES))
    assert HintKind.REFER_AGAIN not in kinds(hints_for(facts(successful_referrals=5, has_referral_code=False), DEFAULT_RULES))


@pytest.mark.parametrize("status", ["frozen", "closed"])
def test_a_member_who_is_not_active_gets_no_hints(status: str):
    lots = (OpenLot(1, date(2025, 3, 2), date(2027, 3, 31), 2_500),)
    assert hints_for(facts(status=status, lots=lots, available_balance=2_500, last_activity_on=date(2020, 1, 1)), DEFAULT_RULES) == []


def test_a_response_names_the_field_it_refuses():
    assert check_response("expiring", "expiring:30", "declined") == (HintKind.EXPIRING, "expiring:30", HintResponse.DECLINED)
    for kind, key, response, field in (("gift", "gift", "offered", "kind"), ("dormant", "expiring:30", "offered", "hint_key"),
                                       ("dormant", "dormant", "maybe", "response")):
        with pytest.raises(ValidationError) as refused:
            check_response(kind, key, response)
        assert refused.value.field == field


def test_facts_go_into_a_payload_as_json_primitives():
    assert facts_as_json({"by": date(2027, 3, 31), "rewards": ("A", "B"), "points": 5}) == {"by": "2027-03-31", "rewards": ["A", "B"], "points": 5}


# ---------------------------------------------------------------------------- properties

tiers = st.sampled_from(TIER_ORDER)
days = st.integers(min_value=-30, max_value=800)


@st.composite
def member_facts(draw) -> MemberFacts:
    as_of = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2029, 12, 31)))
    lots = tuple(
        OpenLot(i, as_of - timedelta(days=30), as_of + timedelta(days=draw(days)), draw(st.integers(0, 50_000)))
        for i in range(draw(st.integers(0, 6)))
    )
    catalogue = tuple(
        RewardFacts(f"R{i}", draw(st.integers(1, 60_000)), draw(tiers), draw(st.integers(0, 50))) for i in range(draw(st.integers(0, 8)))
    )
    earnings = tuple((as_of - timedelta(days=draw(st.integers(0, 500))), draw(st.integers(-5_000, 200_000))) for _ in range(draw(st.integers(0, 5))))
    return MemberFacts(
        as_of=as_of, status=draw(st.sampled_from(["active", "active", "active", "frozen", "closed"])), tier=draw(tiers),
        available_balance=draw(st.integers(0, 200_000)), lots=lots, qualifying_earnings=earnings,
        last_activity_on=as_of - timedelta(days=draw(st.integers(0, 1_000))), successful_referrals=draw(st.integers(0, 30)),
        referrals_this_year=draw(st.integers(0, 25)), has_referral_code=draw(st.booleans()), catalogue=catalogue,
    )


@settings(max_examples=300, deadline=None)
@given(member_facts())
def test_the_same_facts_give_the_same_hints(member: MemberFacts):
    assert hints_for(member, DEFAULT_RULES) == hints_for(member, DEFAULT_RULES)


@settings(max_examples=300, deadline=None)
@given(member_facts())
def test_no_hint_without_its_facts(member: MemberFacts):
    hints = hints_for(member, DEFAULT_RULES)
    if member.status != "active":
        assert hints == []
        return
    assert [h.priority for h in hints] == sorted((h.priority for h in hints), reverse=True)
    assert len({h.key for h in hints}) == len(hints)
    costs = {r.code: r for r in member.catalogue}
    expiring_90 = sum(lot.remaining for lot in member.lots if lot.remaining > 0 and member.as_of <= lot.expires_on < member.as_of + timedelta(days=90))
    assert (HintKind.EXPIRING in kinds(hints)) == (expiring_90 > 0)
    for hint in hints:
        facts = hint.facts
        if hint.kind is HintKind.EXPIRING:
            assert 0 < facts["points"] <= expiring_90
            assert member.as_of <= facts["first_expires_on"] < member.as_of + timedelta(days=facts["within_days"])
            assert len(facts["rewards"]) <= EXPIRY_REWARDS
            for code in facts["rewards"]:  # never more than the balance, nor than what expires, nor above the member's tier
                assert costs[code].points_cost <= min(member.available_balance, facts["points"])
                assert costs[code].min_tier.rank <= member.tier.rank
        elif hint.kind is HintKind.TIER_REACH:
            assert member.tier is not Tier.PLATINUM
            assert TIER_ORDER.index(Tier(facts["tier"])) == member.tier.rank + 1
            assert 0 < facts["points_needed"] == threshold(Tier(facts["tier"]), DEFAULT_RULES) - facts["qualifying_points"]
            assert facts["by"] == reach_by(member.as_of) and facts["by"] >= member.as_of
        elif hint.kind is HintKind.POPULAR_REWARD:
            reward = costs[facts["reward"]]
            assert reward.points_cost <= member.available_balance and reward.tier_redemptions > 0
            assert reward.min_tier.rank <= member.tier.rank
        elif hint.kind is HintKind.DORMANT:
            assert facts["months_inactive"] >= DORMANT_AFTER_MONTHS and facts["last_activity_on"] == member.last_activity_on
        else:
            assert member.successful_referrals >= GOOD_REFERRER_MIN and member.has_referral_code
            assert member.referrals_this_year < DEFAULT_RULES.referrals.yearly_cap


@settings(max_examples=200, deadline=None)
@given(member_facts())
def test_the_top_tier_gets_no_tier_hint(member: MemberFacts):
    assert HintKind.TIER_REACH not in kinds(hints_for(replace(member, tier=Tier.PLATINUM), DEFAULT_RULES))
