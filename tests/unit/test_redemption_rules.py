"""Redemption rules at their boundaries (rules.md, "Redemption" and "Tiers")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.redemption import (
    MemberFacts,
    Reward,
    RewardCategory,
    can_reverse,
    check_redemption,
    evaluate_redemption,
    redemption_number,
    validate_qty,
)
from loyalty_desk.domain.rules import DEFAULT_RULES, Tier

NOW = datetime(2026, 6, 30, 12, 0)
TUMBLER = Reward("GIFT-TUMBLER", "定制保温杯", "Insulated tumbler", RewardCategory.PHYSICAL_GIFT, 4_500, Decimal("45.00"), stock_tracked=True)
ECARD = Reward("VCH-JD100", "京东E卡100元", "JD e-card 100 CNY", RewardCategory.VOUCHER, 10_000, Decimal("100.00"))


def facts(**changes) -> MemberFacts:
    base = {"status": "active", "tier": Tier.STANDARD, "available": 100_000, "redeemed_this_month": 0}
    return MemberFacts(**{**base, **changes})


def codes(reward=ECARD, qty=1, member=None, stock=None, now=NOW) -> list[str]:
    return [b.code for b in evaluate_redemption(reward, qty, member or facts(), stock, DEFAULT_RULES, now)]


def block(code: str, reward=ECARD, qty=1, member=None, stock=None, now=NOW) -> dict:
    found = [b for b in evaluate_redemption(reward, qty, member or facts(), stock, DEFAULT_RULES, now) if b.code == code]
    assert found, f"{code} expected"
    return dict(found[0].params)


def test_an_ordinary_redemption_is_allowed():
    assert codes() == []


# monthly cap: Standard 30,000 over the calendar month
def test_exactly_at_the_monthly_cap_is_allowed():
    assert codes(member=facts(redeemed_this_month=20_000)) == []  # 20,000 + 10,000 = 30,000


def test_one_point_over_the_monthly_cap_is_blocked_with_what_remains():
    assert block("redeem.monthly_cap", member=facts(redeemed_this_month=20_001)) == {
        "cap": 30_000, "used": 20_001, "remaining": 9_999, "needed": 10_000
    }


def test_the_cap_follows_the_tier():
    gold = facts(tier=Tier.GOLD, redeemed_this_month=190_000)
    assert codes(member=gold) == []
    assert block("redeem.monthly_cap", member=facts(tier=Tier.GOLD, redeemed_this_month=190_001))["cap"] == 200_000


# at most 3 redemptions in any rolling 24 hours
def test_third_redemption_within_24_hours_is_allowed():
    two = (NOW - timedelta(hours=23), NOW - timedelta(minutes=5))
    assert codes(member=facts(recent_redemptions=two)) == []


def test_fourth_redemption_within_24_hours_is_blocked_until_the_oldest_leaves_the_window():
    three = (NOW - timedelta(hours=23), NOW - timedelta(hours=2), NOW - timedelta(minutes=5))
    assert block("redeem.window_limit", member=facts(recent_redemptions=three)) == {
        "max": 3, "hours": 24, "next_allowed_at": NOW + timedelta(hours=1)
    }


def test_a_redemption_exactly_24_hours_ago_has_left_the_window():
    three = (NOW - timedelta(hours=24), NOW - timedelta(hours=2), NOW - timedelta(minutes=5))
    assert codes(member=facts(recent_redemptions=three)) == []


# stock at the branch
def test_the_last_item_in_stock_can_be_taken():
    assert codes(TUMBLER, stock=1) == []


def test_no_stock_left_is_blocked():
    assert block("redeem.out_of_stock", TUMBLER, stock=0) == {"available": 0, "requested": 1}


def test_asking_for_more_than_in_stock_is_blocked():
    assert block("redeem.out_of_stock", TUMBLER, qty=3, stock=2) == {"available": 2, "requested": 3}


def test_untracked_stock_is_never_out():
    assert codes(ECARD, stock=None) == []


# balance
def test_balance_exactly_enough_is_allowed():
    assert codes(member=facts(available=10_000)) == []


def test_one_point_short_is_blocked():
    assert block("redeem.balance", member=facts(available=9_999)) == {"available": 9_999, "needed": 10_000}


def test_quantity_multiplies_the_points():
    assert block("redeem.balance", qty=3, member=facts(available=29_999))["needed"] == 30_000


# tier, member status, active window, yearly limit
def test_minimum_tier():
    lounge = Reward("SVC-LOUNGE", "机场贵宾厅", "Airport lounge", RewardCategory.SERVICE_PRIVILEGE, 18_000, Decimal(180), min_tier=Tier.SILVER)
    assert block("redeem.tier", lounge) == {"required": "silver", "tier": "standard"}
    assert codes(lounge, member=facts(tier=Tier.SILVER)) == []
    assert codes(lounge, member=facts(tier=Tier.PLATINUM)) == []


def test_only_active_members_redeem():
    assert block("redeem.member_inactive", member=facts(status="closed")) == {"status": "closed"}
    # a frozen member is refused by the freeze's own rule, which names its reason
    assert block("member.frozen", member=facts(status="frozen", freeze_reason="lost_card")) == {"freeze_reason": "lost_card", "action": "redeem"}
    assert "redeem.member_inactive" not in codes(member=facts(status="frozen"))


def test_active_window_includes_its_first_and_last_day():
    seasonal = Reward("GIFT-MOON", "月饼", "Mooncakes", RewardCategory.PHYSICAL_GIFT, 1_000, Decimal(10),
                      active_from=date(2026, 6, 30), active_to=date(2026, 6, 30))
    assert codes(seasonal) == []
    assert "redeem.inactive_window" in codes(seasonal, now=NOW + timedelta(days=1))
    assert "redeem.inactive_window" in codes(seasonal, now=NOW - timedelta(days=1))


def test_yearly_limit_at_and_over():
    waiver = Reward("SVC-FEE", "年费减免", "Annual fee waiver", RewardCategory.SERVICE_PRIVILEGE, 20_000, Decimal(200), yearly_limit_per_member=2)
    assert codes(waiver, member=facts(reward_count_this_year=1)) == []
    assert block("redeem.yearly_limit", waiver, member=facts(reward_count_this_year=2)) == {"limit": 2, "used": 2, "requested": 1}
    assert "redeem.yearly_limit" in codes(waiver, qty=2, member=facts(reward_count_this_year=1))


def test_offline_daily_limit_applies_only_offline():
    assert codes(member=facts(offline_points_today=10_000)) == []  # 10,000 + 10,000 = 20,000: exactly the limit
    assert block("redeem.offline_limit", member=facts(offline_points_today=10_001)) == {"limit": 20_000, "used": 10_001, "needed": 10_000}
    assert codes(member=facts(redeemed_this_month=0)) == []  # online: no daily ceiling


def test_every_block_is_reported_and_the_first_one_is_raised():
    member = facts(status="frozen", available=0, redeemed_this_month=30_000,
                   recent_redemptions=(NOW - timedelta(hours=1),) * 3)
    lounge = Reward("SVC-LOUNGE", "机场贵宾厅", "Airport lounge", RewardCategory.SERVICE_PRIVILEGE, 18_000, Decimal(180),
                    min_tier=Tier.GOLD, yearly_limit_per_member=1, stock_tracked=True, active_to=date(2026, 1, 1))
    member = MemberFacts(**{**member.__dict__, "reward_count_this_year": 1})
    assert codes(lounge, member=member, stock=0) == [
        "member.frozen", "redeem.tier", "redeem.inactive_window", "redeem.out_of_stock",
        "redeem.monthly_cap", "redeem.window_limit", "redeem.yearly_limit", "redeem.balance",
    ]
    with pytest.raises(DomainError) as raised:
        check_redemption(lounge, 1, member, 0, DEFAULT_RULES, NOW)
    assert raised.value.code == "member.frozen"


def test_catalogue_without_a_member_checks_the_reward_only():
    assert [b.code for b in evaluate_redemption(TUMBLER, 1, None, 0, DEFAULT_RULES, NOW)] == ["redeem.out_of_stock"]


@pytest.mark.parametrize("bad", [0, -1, 100, "x", True])
def test_quantity_must_be_1_to_99(bad):
    with pytest.raises(ValidationError) as raised:
        validate_qty(bad)
    assert raised.value.field == "qty"


def test_reversal_window_is_30_days_to_the_minute():
    redeemed = datetime(2026, 6, 1, 9, 30)
    assert can_reverse(redeemed, redeemed + timedelta(days=30), DEFAULT_RULES)
    assert not can_reverse(redeemed, redeemed + timedelta(days=30, minutes=1), DEFAULT_RULES)


def test_redemption_number_comes_from_the_operation_id():
    assert redemption_number("BJ01", "3f2a9c1b-7d4e-4a1b-9c2d-0123456789ab") == "R-BJ01-3F2A9C1B7D4E"
