from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_desk.domain.earning import (
    Award,
    Campaign,
    EarningContext,
    EarningOutcome,
    EarningTxn,
    check_transaction_row,
    compute_earning,
    parse_transaction_row,
)
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.identity import make_member_no
from loyalty_desk.domain.rules import DEFAULT_RULES, Source, Tier
from loyalty_desk.messages import MESSAGES, describe

TODAY = date(2026, 11, 22)
MEMBER = make_member_no(100000001)
S = DEFAULT_RULES


def txn(source: Source, amount: str = "0", on: date = date(2026, 3, 10), **kwargs) -> EarningTxn:
    return EarningTxn("T1", MEMBER, on, source, Decimal(amount), kwargs.pop("product", ""), **kwargs)


def ctx(tier: Tier = Tier.STANDARD, **kwargs) -> EarningContext:
    values = {
        "tier": tier,
        "card_approved_on": None,
        "first_card_bonus_given": True,
        "spend_target_bonus_given": True,
        "card_spend_cny_since_approval": Decimal(0),
        "profile_bonus_given": False,
        "surveys_in_year": 0,
    }
    values.update(kwargs)
    return EarningContext(**values)


def points_by_key(outcome: EarningOutcome) -> dict[str, int]:
    return {award.key: award.points for award in outcome.awards}


# ------------------------------------------------------------------ row validation


def row(**overrides) -> dict:
    base = {
        "txn_id": "T-0001",
        "member_no": MEMBER,
        "date": "2026-03-10",
        "source": "card_spend",
        "amount": "128.50",
        "product": "CARD-GOLD",
    }
    base.update(overrides)
    return base


def test_good_row_parses():
    parsed, errors = check_transaction_row(row(), S, today=TODAY)
    assert errors == []
    assert parsed == EarningTxn("T-0001", MEMBER, date(2026, 3, 10), Source.CARD_SPEND, Decimal("128.50"), "CARD-GOLD")
    assert parse_transaction_row(row(), S, today=TODAY) == parsed


def test_row_collects_every_bad_field():
    parsed, errors = check_transaction_row(
        row(txn_id="", member_no="M1000000018", date="10/03/2026", source="lottery", amount="12.345"), S, today=TODAY
    )
    assert parsed is None
    assert [(e.field, e.code) for e in errors] == [
        ("txn_id", "import.required"),
        ("member_no", "identity.check_digit"),
        ("date", "import.date_format"),
        ("source", "import.unknown_source"),
        ("amount", "import.amount_format"),
    ]
    assert "card_spend" in errors[3].params["allowed"]
    assert all(describe(e) != e.code for e in errors)


def test_parse_raises_first_error():
    with pytest.raises(ValidationError) as caught:
        parse_transaction_row(row(member_no=None), S, today=TODAY)
    assert (caught.value.code, caught.value.field) == ("import.required", "member_no")


def test_missing_columns_are_required():
    _, errors = check_transaction_row({}, S, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [
        ("txn_id", "import.required"),
        ("member_no", "import.required"),
        ("date", "import.required"),
        ("source", "import.required"),
    ]


@pytest.mark.parametrize("value", [date(2026, 3, 10), datetime(2026, 3, 10, 0, 0), "2026-03-10", " 2026-03-10 "])
def test_date_cells(value):
    parsed, errors = check_transaction_row(row(date=value), S, today=TODAY)
    assert errors == [] and parsed.occurred_on == date(2026, 3, 10)


@pytest.mark.parametrize("value", ["2026-02-30", "20260310", "2026-3-10", "yesterday"])
def test_bad_dates(value):
    _, errors = check_transaction_row(row(date=value), S, today=TODAY)
    assert [e.code for e in errors] == ["import.date_format"]


def test_future_date_refused_today_accepted():
    _, errors = check_transaction_row(row(date="2026-11-23"), S, today=TODAY)
    assert [e.code for e in errors] == ["import.date_future"]
    assert check_transaction_row(row(date="2026-11-22"), S, today=TODAY)[1] == []


@pytest.mark.parametrize(
    ("value", "amount"),
    [(128, "128"), (128.5, "128.50"), (0.1, "0.1"), (Decimal("99999.99"), "99999.99"), ("1000.00", "1000"), ("0", "0"), ("007.5", "7.5"),
     (" 12.50 ", "12.5"), ("999999999999.99", "999999999999.99"), (999999999999.99, "999999999999.99")],
)
def test_amount_cells(value, amount: str):
    parsed, errors = check_transaction_row(row(amount=value), S, today=TODAY)
    assert errors == [] and parsed.amount == Decimal(amount)


@pytest.mark.parametrize(
    "value",
    ["12.345", 0.001, "abc", "NaN", "Infinity", True, "1,000.00", "1.000,00", "1 000", "1\u00a0000", "１２", "¥12", "12元", "+12", "1e3",
     ".5", "5.", "0x10", "1_000", "٣", "1000000000000", 1e12, "--5"],
)
def test_bad_amounts(value):
    _, errors = check_transaction_row(row(amount=value), S, today=TODAY)
    assert [e.code for e in errors] == ["import.amount_format"]


def test_negative_amount():
    _, errors = check_transaction_row(row(amount="-5.00"), S, today=TODAY)
    assert [e.code for e in errors] == ["import.amount_negative"]


def test_amount_required_only_where_points_depend_on_it():
    assert [e.code for e in check_transaction_row(row(amount=""), S, today=TODAY)[1]] == ["import.required"]
    parsed, errors = check_transaction_row(row(source="survey", amount=None), S, today=TODAY)
    assert errors == [] and parsed.amount == Decimal(0)


def test_repayment_needs_due_date():
    _, errors = check_transaction_row(row(source="repayment", amount=None), S, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("due_date", "import.due_date_required")]
    _, errors = check_transaction_row(row(source="repayment", due_date="31/03/2026"), S, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("due_date", "import.date_format")]
    parsed, _ = check_transaction_row(row(source=" Repayment ", due_date="2026-03-31"), S, today=TODAY)
    assert parsed.source is Source.REPAYMENT and parsed.due_date == date(2026, 3, 31)


def test_refund_keeps_original_txn_id_and_member_no_is_normalised():
    parsed, _ = check_transaction_row(
        row(source="card_refund", original_txn_id=" T-0000 ", member_no=MEMBER.lower()), S, today=TODAY
    )
    assert parsed.original_txn_id == "T-0000" and parsed.member_no == MEMBER


# ------------------------------------------------------------------ card spend


@pytest.mark.parametrize(
    ("tier", "amount", "points"),
    [
        (Tier.STANDARD, "128.99", 128),  # whole CNY, rounded down
        (Tier.STANDARD, "0.99", 0),
        (Tier.SILVER, "99.50", 109),  # 109.45 rounded down once at the end
        (Tier.GOLD, "100.00", 125),
        (Tier.GOLD, "3.99", 4),  # 4.9875
        (Tier.PLATINUM, "101.01", 151),  # 151.515
    ],
)
def test_card_spend_points_with_tier_multiplier(tier: Tier, amount: str, points: int):
    outcome = compute_earning(txn(Source.CARD_SPEND, amount), ctx(tier), S)
    assert outcome.points == points
    if points:
        (award,) = outcome.awards
        assert (award.key, award.rule, award.qualifying) == ("base", "card_spend", True)
        assert award.multiplier == Decimal(S.tiers.rule(tier).earn_multiplier)
    else:
        assert outcome == EarningOutcome((), "earning.no_points")


def test_first_card_transaction_bonus_once():
    outcome = compute_earning(txn(Source.CARD_SPEND, "10"), ctx(first_card_bonus_given=False), S)
    assert points_by_key(outcome) == {"base": 10, "first_card": 1_000}
    bonus = outcome.awards[1]
    assert (bonus.rule, bonus.qualifying, bonus.multiplier) == ("card_first_transaction", True, Decimal(1))
    assert points_by_key(compute_earning(txn(Source.CARD_SPEND, "10"), ctx(), S)) == {"base": 10}


def test_first_card_bonus_is_not_tier_multiplied():
    outcome = compute_earning(txn(Source.CARD_SPEND, "10"), ctx(Tier.PLATINUM, first_card_bonus_given=False), S)
    assert points_by_key(outcome) == {"base": 15, "first_card": 1_000}


APPROVED = date(2026, 1, 1)


def spend_target_ctx(spent: str) -> EarningContext:
    return ctx(card_approved_on=APPROVED, spend_target_bonus_given=False, card_spend_cny_since_approval=Decimal(spent))


@pytest.mark.parametrize(
    ("day", "spent_before", "amount", "bonus"),
    [
        (65, "2500", "500", True),  # day 65, exactly 3,000 CNY
        (66, "2500", "500", False),  # day 66: too late
        (0, "0", "3000", True),  # on the approval day
        (30, "2500", "499.99", False),  # 2,999.99 CNY
        (30, "2999.99", "0.01", True),
    ],
)
def test_spend_target_within_65_days(day: int, spent_before: str, amount: str, bonus: bool):
    on = APPROVED + timedelta(days=day)
    outcome = compute_earning(txn(Source.CARD_SPEND, amount, on=on), spend_target_ctx(spent_before), S)
    assert ("spend_target" in points_by_key(outcome)) is bonus
    if bonus:
        award = next(a for a in outcome.awards if a.key == "spend_target")
        assert (award.rule, award.points, award.qualifying) == ("card_spend_target", 3_000, True)


def test_spend_target_once_and_needs_approval_date():
    on = APPROVED + timedelta(days=10)
    given_ctx = replace(spend_target_ctx("5000"), spend_target_bonus_given=True)
    assert "spend_target" not in points_by_key(compute_earning(txn(Source.CARD_SPEND, "100", on=on), given_ctx, S))
    unknown = replace(spend_target_ctx("5000"), card_approved_on=None)
    assert "spend_target" not in points_by_key(compute_earning(txn(Source.CARD_SPEND, "100", on=on), unknown, S))


def test_card_approved_records_only():
    assert compute_earning(txn(Source.CARD_APPROVED), ctx(), S) == EarningOutcome((), "earning.card_approved_recorded")


# ------------------------------------------------------------------ refunds


def test_refund_claws_back_proportion_of_original_points():
    known = ctx(original_purchase=(150, Decimal("100.00")))
    assert compute_earning(txn(Source.CARD_REFUND, "100.00"), known, S).points == -150
    assert compute_earning(txn(Source.CARD_REFUND, "33.00"), known, S).points == -49  # 49.5 rounded down
    assert compute_earning(txn(Source.CARD_REFUND, "500.00"), known, S).points == -150  # never more than earned
    (award,) = compute_earning(txn(Source.CARD_REFUND, "100.00"), known, S).awards
    assert (award.key, award.rule, award.qualifying) == ("base", "card_refund", True)


def test_refund_without_original_recomputes_at_current_tier():
    assert compute_earning(txn(Source.CARD_REFUND, "100.50"), ctx(Tier.GOLD), S).points == -125
    assert compute_earning(txn(Source.CARD_REFUND, "0.50"), ctx(), S) == EarningOutcome((), "earning.no_points")


# ------------------------------------------------------------------ financing


@pytest.mark.parametrize(
    ("amount", "product", "tier", "points", "rule"),
    [
        ("100000.00", "LOAN", Tier.STANDARD, 1_000, "financing"),
        ("100099.99", "LOAN", Tier.STANDARD, 1_000, "financing"),
        ("250000", "LOAN", Tier.GOLD, 3_125, "financing"),
        ("100000", "FIN-HM", Tier.STANDARD, 1_500, "financing_high_margin"),
        ("100000", "fin-struct", Tier.PLATINUM, 2_250, "financing_high_margin"),  # 1.5 product × 1.5 tier
        ("123456.78", "FIN-HM", Tier.SILVER, 2_037, "financing_high_margin"),  # 2037.03687
    ],
)
def test_financing(amount: str, product: str, tier: Tier, points: int, rule: str):
    outcome = compute_earning(txn(Source.FINANCING, amount, product=product), ctx(tier), S)
    (award,) = outcome.awards
    assert (award.points, award.rule, award.qualifying) == (points, rule, True)


def test_financing_below_minimum():
    outcome = compute_earning(txn(Source.FINANCING, "99999.99", product="FIN-HM"), ctx(Tier.PLATINUM), S)
    assert outcome == EarningOutcome((), "earning.financing_below_minimum")


def test_high_margin_products_come_from_settings():
    settings = replace(S, earning=replace(S.earning, high_margin_products=("LOAN",)))
    outcome = compute_earning(txn(Source.FINANCING, "100000", product="LOAN"), ctx(), settings)
    assert outcome.awards[0].rule == "financing_high_margin"


# ------------------------------------------------------------------ repayment and behaviour


def test_repayment_on_due_date_earns_day_after_does_not():
    due = date(2026, 3, 10)
    on_time = compute_earning(txn(Source.REPAYMENT, due_date=due, on=due), ctx(Tier.PLATINUM), S)
    assert [(a.rule, a.points) for a in on_time.awards] == [("repayment", 200)]  # no tier multiplier
    late = compute_earning(txn(Source.REPAYMENT, due_date=due, on=due + timedelta(days=1)), ctx(), S)
    assert late == EarningOutcome((), "earning.repayment_late")
    assert compute_earning(txn(Source.REPAYMENT), ctx(), S).skipped_code == "earning.repayment_late"


def test_profile_completed_once():
    assert compute_earning(txn(Source.PROFILE_COMPLETED), ctx(Tier.GOLD), S).points == 500
    already = compute_earning(txn(Source.PROFILE_COMPLETED), ctx(profile_bonus_given=True), S)
    assert already == EarningOutcome((), "earning.profile_already_rewarded")


def test_branch_event():
    (award,) = compute_earning(txn(Source.BRANCH_EVENT), ctx(Tier.PLATINUM), S).awards
    assert (award.rule, award.points, award.qualifying) == ("branch_event", 1_000, True)


def test_survey_limit_four_a_year():
    assert compute_earning(txn(Source.SURVEY), ctx(surveys_in_year=3), S).points == 200  # the 4th
    assert compute_earning(txn(Source.SURVEY), ctx(surveys_in_year=4), S) == EarningOutcome((), "earning.survey_limit")


def test_rule_numbers_come_from_settings():
    settings = replace(S, earning=replace(S.earning, survey_points=50, survey_max_per_year=10, card_points_per_cny=2))
    assert compute_earning(txn(Source.SURVEY), ctx(surveys_in_year=9), settings).points == 50
    assert compute_earning(txn(Source.CARD_SPEND, "10"), ctx(), settings).points == 20


# ------------------------------------------------------------------ campaigns


def campaign(code: str = "SPRING", multiplier: str = "2", budget: int = 1_000_000, spent: int = 0, **kwargs) -> Campaign:
    values = {
        "code": code,
        "name_zh": "春节双倍积分",
        "name_en": "Spring Festival double points",
        "starts_on": date(2026, 2, 1),
        "ends_on": date(2026, 2, 28),
        "sources": frozenset({Source.CARD_SPEND, Source.FINANCING}),
        "tiers": frozenset(Tier),
        "multiplier": Decimal(multiplier),
        "budget_points": budget,
        "spent_points": spent,
    }
    values.update(kwargs)
    return Campaign(**values)


IN_WINDOW = date(2026, 2, 10)


def test_campaign_multiplier_replaces_tier_multiplier():
    outcome = compute_earning(txn(Source.CARD_SPEND, "100", on=IN_WINDOW), ctx(Tier.GOLD, campaigns=(campaign(),)), S)
    assert outcome.awards == (Award("base", "card_spend", 200, True, Decimal(2), "SPRING", 75),)


def test_best_multiplier_applies_not_stacked():
    campaigns = (campaign("A", "1.2"), campaign("B", "3"), campaign("C", "2"))
    (award,) = compute_earning(txn(Source.CARD_SPEND, "100", on=IN_WINDOW), ctx(Tier.SILVER, campaigns=campaigns), S).awards
    assert (award.points, award.campaign_code, award.multiplier, award.campaign_extra_points) == (300, "B", Decimal(3), 190)


def test_tier_multiplier_wins_over_a_weaker_campaign():
    (award,) = compute_earning(
        txn(Source.CARD_SPEND, "100", on=IN_WINDOW), ctx(Tier.PLATINUM, campaigns=(campaign(multiplier="1.2"),)), S
    ).awards
    assert (award.points, award.campaign_code, award.multiplier) == (150, None, Decimal("1.5"))


@pytest.mark.parametrize(
    ("on", "tier", "source", "applies"),
    [
        (date(2026, 2, 1), Tier.STANDARD, Source.CARD_SPEND, True),  # first day
        (date(2026, 2, 28), Tier.STANDARD, Source.CARD_SPEND, True),  # last day
        (date(2026, 1, 31), Tier.STANDARD, Source.CARD_SPEND, False),
        (date(2026, 3, 1), Tier.STANDARD, Source.CARD_SPEND, False),
        (IN_WINDOW, Tier.GOLD, Source.CARD_SPEND, False),  # tier not eligible
        (IN_WINDOW, Tier.STANDARD, Source.BRANCH_EVENT, False),  # source not eligible
    ],
)
def test_campaign_eligibility(on: date, tier: Tier, source: Source, applies: bool):
    only_standard = campaign(tiers=frozenset({Tier.STANDARD}))
    outcome = compute_earning(txn(source, "100", on=on), ctx(tier, campaigns=(only_standard,)), S)
    assert (outcome.awards[0].campaign_code == "SPRING") is applies


def test_campaign_on_behaviour_source_multiplies_flat_points():
    event = campaign(sources=frozenset({Source.BRANCH_EVENT}))
    (award,) = compute_earning(txn(Source.BRANCH_EVENT, on=IN_WINDOW), ctx(campaigns=(event,)), S).awards
    assert (award.points, award.campaign_extra_points) == (2_000, 1_000)


def test_campaign_extra_points_limited_to_remaining_budget():
    nearly_spent = campaign(budget=10_000, spent=9_970)
    (award,) = compute_earning(
        txn(Source.CARD_SPEND, "100", on=IN_WINDOW), ctx(Tier.GOLD, campaigns=(nearly_spent,)), S
    ).awards
    assert (award.points, award.campaign_code, award.campaign_extra_points) == (155, "SPRING", 30)


def test_exhausted_campaign_no_longer_multiplies():
    spent = campaign(budget=10_000, spent=10_000)
    (award,) = compute_earning(txn(Source.CARD_SPEND, "100", on=IN_WINDOW), ctx(Tier.GOLD, campaigns=(spent,)), S).awards
    assert (award.points, award.campaign_code, award.multiplier) == (125, None, Decimal("1.25"))


def test_budget_limited_campaign_loses_to_a_better_funded_one():
    campaigns = (campaign("RICH", "2"), campaign("POOR", "3", budget=10, spent=0))
    (award,) = compute_earning(txn(Source.CARD_SPEND, "100", on=IN_WINDOW), ctx(campaigns=campaigns), S).awards
    assert (award.campaign_code, award.points) == ("RICH", 200)


def test_campaign_with_financing_keeps_high_margin_factor():
    (award,) = compute_earning(
        txn(Source.FINANCING, "100000", on=IN_WINDOW, product="FIN-HM"), ctx(Tier.GOLD, campaigns=(campaign(),)), S
    ).awards
    assert (award.points, award.rule, award.campaign_extra_points) == (3_000, "financing_high_margin", 3_000 - 1_875)


def test_campaign_does_not_multiply_card_journey_bonuses():
    outcome = compute_earning(
        txn(Source.CARD_SPEND, "10", on=IN_WINDOW), ctx(first_card_bonus_given=False, campaigns=(campaign(),)), S
    )
    assert points_by_key(outcome) == {"base": 20, "first_card": 1_000}


@given(
    amount=st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
    tier=st.sampled_from(list(Tier)),
    multiplier=st.sampled_from(["1.2", "2", "3"]),
    remaining=st.integers(0, 5_000),
)
def test_campaign_points_bounds(amount: Decimal, tier: Tier, multiplier: str, remaining: int):
    promo = campaign(multiplier=multiplier, budget=remaining, spent=0)
    with_campaign = compute_earning(txn(Source.CARD_SPEND, str(amount), on=IN_WINDOW), ctx(tier, campaigns=(promo,)), S)
    without = compute_earning(txn(Source.CARD_SPEND, str(amount), on=IN_WINDOW), ctx(tier), S)
    assert without.points <= with_campaign.points <= without.points + remaining
    for award in with_campaign.awards:
        assert isinstance(award.points, int)
        assert award.campaign_extra_points <= remaining


# ------------------------------------------------------------------ messages


def test_every_code_used_here_has_a_message():
    for code in [
        "earning.financing_below_minimum",
        "earning.repayment_late",
        "earning.survey_limit",
        "earning.profile_already_rewarded",
        "earning.card_approved_recorded",
        "earning.no_points",
        "import.required",
        "import.date_format",
        "import.date_future",
        "import.amount_format",
        "import.amount_negative",
        "import.unknown_source",
        "import.due_date_required",
        "identity.check_digit",
        "identity.length",
        "identity.length_range",
        "identity.characters",
        "identity.birth_date",
        "identity.mobile_format",
        "identity.required",
        "identity.id_type",
        "member_no.format",
        "points.insufficient",
        "points.not_positive",
    ]:
        assert code in MESSAGES


def test_describe_falls_back_to_code():
    from loyalty_desk.domain.errors import DomainError

    assert describe(DomainError("no.such.code", x=1)) == "no.such.code"
    assert describe(DomainError("identity.check_digit", field="card_no")) == "identity.check_digit"
    assert describe(DomainError("points.insufficient", available=5, requested=9)) == (
        "Not enough points: 5 available, 9 requested"
    )
