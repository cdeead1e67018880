"""The card-journey campaign kinds: card approved within N days, first-transaction gift, spend target within
N days: each awards once per member, only in its window, never past its budget or per-member cap."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_desk.domain.campaigns import CampaignInvalid, CampaignKind, check_draft
from loyalty_desk.domain.earning import Campaign, EarningContext, EarningTxn, compute_earning
from loyalty_desk.domain.rules import RuleSettings, Source, Tier

SETTINGS = RuleSettings()
APPROVED = date(2026, 6, 1)
TODAY = date(2026, 5, 1)


def campaign(kind: str, **changes: object) -> Campaign:
    source = Source.CARD_APPROVED if kind == "card_approved" else Source.CARD_SPEND
    values: dict[str, object] = {
        "code": "J1", "name_zh": "开卡礼", "name_en": "Card gift", "starts_on": date(2026, 5, 1), "ends_on": date(2026, 8, 31),
        "sources": frozenset({source}), "tiers": frozenset(Tier), "multiplier": Decimal(1), "budget_points": 100_000, "spent_points": 0,
        "kind": kind, "bonus_points": 500, "within_days": 30, "target_cny": Decimal(2_000) if kind == "spend_target" else None,
    }
    values.update(changes)
    return Campaign(**values)  # type: ignore[arg-type]


def context(*campaigns: Campaign, approved_on: date | None = APPROVED, history: tuple[tuple[Source, date, Decimal], ...] = ()) -> EarningContext:
    return EarningContext(
        tier=Tier.STANDARD, card_approved_on=approved_on, first_card_bonus_given=True, spend_target_bonus_given=True,
        card_spend_cny_since_approval=Decimal(0), profile_bonus_given=True, surveys_in_year=0, campaigns=campaigns,
        card_spends_since_approval=sum(1 for source, _, _ in history if source is Source.CARD_SPEND), card_history=history,
    )


def approval(on: date = APPROVED, applied: date | None = APPROVED - timedelta(days=10)) -> EarningTxn:
    return EarningTxn("A-1", "M1", on, Source.CARD_APPROVED, Decimal(0), "", applied_on=applied)


def spend(on: date, amount: str, txn_id: str = "S-1") -> EarningTxn:
    return EarningTxn(txn_id, "M1", on, Source.CARD_SPEND, Decimal(amount), "")


def campaign_points(txn: EarningTxn, ctx: EarningContext) -> int:
    return sum(a.points for a in compute_earning(txn, ctx, SETTINGS).awards if a.campaign_code)


# ---------------------------------------------------------------- card approved within N days


def test_an_approval_within_n_days_of_its_application_earns_the_bonus_once():
    task = campaign("card_approved", within_days=14)
    outcome = compute_earning(approval(), context(task, approved_on=None), SETTINGS)
    assert [(a.rule, a.points, a.campaign_code) for a in outcome.awards] == [("campaign_card_approved", 500, "J1")]
    assert campaign_points(approval(), context(replace(task, member_spent=500), approved_on=None)) == 0  # given already
    assert campaign_points(approval(), context(task, approved_on=APPROVED - timedelta(days=3))) == 0  # not the first approval


def test_an_approval_slower_than_n_days_or_without_its_application_date_earns_nothing():
    task = campaign("card_approved", within_days=9)
    outcome = compute_earning(approval(), context(task, approved_on=None), SETTINGS)
    assert (outcome.awards, outcome.skipped_code) == ((), "earning.card_approved_recorded")
    assert campaign_points(approval(applied=None), context(task, approved_on=None)) == 0
    assert campaign_points(approval(applied=APPROVED - timedelta(days=9)), context(task, approved_on=None)) == 500  # day N counts


def test_an_approval_outside_the_window_tiers_or_branches_earns_nothing():
    before = approval(on=date(2026, 4, 30), applied=date(2026, 4, 25))
    assert campaign_points(before, context(campaign("card_approved"), approved_on=None)) == 0
    assert campaign_points(approval(), context(campaign("card_approved", tiers=frozenset({Tier.GOLD})), approved_on=None)) == 0
    assert campaign_points(approval(), context(campaign("card_approved", branches=frozenset({"SH01"})), approved_on=None)) == 0


# ---------------------------------------------------------------- first transaction after approval


def test_the_first_card_transaction_after_approval_earns_the_gift_and_the_second_does_not():
    gift = campaign("first_transaction", bonus_points=800)
    first = spend(APPROVED + timedelta(days=3), "12.00")
    assert campaign_points(first, context(gift)) == 800
    later = context(gift, history=((Source.CARD_SPEND, first.occurred_on, first.amount),))
    assert campaign_points(spend(APPROVED + timedelta(days=5), "50.00", "S-2"), later) == 0


def test_no_gift_without_an_approved_card_before_the_transaction_or_outside_the_window():
    gift = campaign("first_transaction")
    assert campaign_points(spend(APPROVED + timedelta(days=1), "10.00"), context(gift, approved_on=None)) == 0
    assert campaign_points(spend(APPROVED - timedelta(days=1), "10.00"), context(gift)) == 0
    assert campaign_points(spend(date(2026, 9, 1), "10.00"), context(gift, approved_on=date(2026, 8, 30))) == 0


# ---------------------------------------------------------------- spend target within N days


def test_the_spend_target_pays_once_on_the_transaction_that_reaches_it_within_n_days():
    target = campaign("spend_target", within_days=20, target_cny=Decimal(1_000), bonus_points=1_200)
    history = ((Source.CARD_SPEND, APPROVED, Decimal("700")), (Source.CARD_REFUND, APPROVED + timedelta(days=2), Decimal("100")))
    assert campaign_points(spend(APPROVED + timedelta(days=5), "399.99"), context(target, history=history)) == 0  # 999.99
    assert campaign_points(spend(APPROVED + timedelta(days=20), "400.00"), context(target, history=history)) == 1_200  # day N counts
    assert campaign_points(spend(APPROVED + timedelta(days=21), "5000.00"), context(target, history=history)) == 0  # too late
    assert campaign_points(spend(APPROVED + timedelta(days=5), "400.00"), context(replace(target, member_spent=1_200), history=history)) == 0


def test_spend_after_the_n_days_does_not_count_toward_the_target():
    target = campaign("spend_target", within_days=10, target_cny=Decimal(1_000))
    late = ((Source.CARD_SPEND, APPROVED + timedelta(days=11), Decimal("900")),)  # posted earlier, dated after the N days
    assert campaign_points(spend(APPROVED + timedelta(days=4), "200.00"), context(target, history=late)) == 0


def test_the_programme_spend_target_and_a_campaign_share_one_rule():
    """The programme's own target (rules.md) is paid by the same function on the same transaction."""
    rules = SETTINGS.earning
    target = campaign("spend_target", within_days=rules.card_spend_target_days, target_cny=Decimal(rules.card_spend_target_cny))
    ctx = replace(context(target), spend_target_bonus_given=False)
    txn = spend(APPROVED + timedelta(days=rules.card_spend_target_days), str(rules.card_spend_target_cny))
    rules_paid = {a.rule for a in compute_earning(txn, ctx, SETTINGS).awards}
    assert {"card_spend_target", "campaign_spend_target"} <= rules_paid


# ---------------------------------------------------------------- budget, cap, stacking


@given(
    kind=st.sampled_from(["card_approved", "first_transaction", "spend_target"]),
    bonus=st.integers(min_value=1, max_value=5_000),
    budget=st.integers(min_value=1, max_value=6_000),
    spent=st.integers(min_value=0, max_value=6_000),
    cap=st.one_of(st.none(), st.integers(min_value=1, max_value=6_000)),
)
def test_a_journey_award_never_passes_the_budget_left_or_the_members_cap(kind, bonus, budget, spent, cap):
    task = campaign(kind, bonus_points=bonus, budget_points=budget, spent_points=spent, member_cap=cap, target_cny=Decimal(100) if
                    kind == "spend_target" else None)
    if kind == "card_approved":
        txn, ctx = approval(), context(task, approved_on=None)
    else:
        txn, ctx = spend(APPROVED + timedelta(days=2), "150.00"), context(task)
    points = campaign_points(txn, ctx)
    assert 0 <= points <= min(bonus, max(budget - spent, 0), cap if cap is not None else bonus)
    assert points == min(bonus, max(budget - spent, 0), cap if cap is not None else bonus)


def test_of_two_best_campaigns_of_a_kind_only_the_bigger_pays_and_combinable_ones_add():
    small, big = campaign("first_transaction", code="G1", bonus_points=300), campaign("first_transaction", code="G2", bonus_points=700)
    extra = campaign("first_transaction", code="G3", bonus_points=50, stacking="combine")
    awards = compute_earning(spend(APPROVED, "10.00"), context(small, big, extra), SETTINGS).awards
    assert sorted((a.campaign_code, a.points) for a in awards if a.campaign_code) == [("G2", 700), ("G3", 50)]


# ---------------------------------------------------------------- the draft's fields


def draft_fields(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name_zh": "开卡任务", "name_en": "Card task", "kind": "card_approved", "bonus_points": 500, "within_days": 15,
        "tiers": ["standard"], "starts_on": "2026-05-10", "ends_on": "2026-06-10", "budget_points": 50_000,
    }
    values.update(changes)
    return values


def test_a_journey_draft_takes_its_kinds_source_and_parameters():
    spend_target = check_draft(draft_fields(kind="spend_target", target_cny="3,000", within_days=65, sources=["financing"]), today=TODAY)
    assert (spend_target.kind, spend_target.sources, spend_target.within_days, spend_target.target_cny) == (
        CampaignKind.SPEND_TARGET, (Source.CARD_SPEND,), 65, 3_000)
    first = check_draft(draft_fields(kind="first_transaction", within_days=5, target_cny=9), today=TODAY)
    assert (first.sources, first.within_days, first.target_cny, first.bonus_points) == ((Source.CARD_SPEND,), None, None, 500)
    approved = check_draft(draft_fields(), today=TODAY)
    assert (approved.sources, approved.within_days, approved.as_payload()["within_days"]) == ((Source.CARD_APPROVED,), 15, 15)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"within_days": 0}, "within_days", "campaign.within_days_range"),
        ({"within_days": 366}, "within_days", "campaign.within_days_range"),
        ({"within_days": ""}, "within_days", "campaign.whole_number"),
        ({"kind": "spend_target", "target_cny": 0}, "target_cny", "campaign.target_range"),
        ({"kind": "spend_target", "target_cny": "lots"}, "target_cny", "campaign.whole_number"),
        ({"kind": "first_transaction", "bonus_points": 0}, "bonus_points", "campaign.bonus_range"),
    ],
)
def test_a_bad_journey_parameter_is_refused_at_its_field(changes, field, code):
    with pytest.raises(CampaignInvalid) as invalid:
        check_draft(draft_fields(**changes), today=TODAY)
    assert (field, code) in {(error.field, error.code) for error in invalid.value.errors}
