"""The programme rules' validation and versions (domain/rule_changes.py): a bad value is refused naming
the setting and the rule, nothing else changes; the calendar gives the rules in force on any day."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.rule_changes import (
    SETTING_PATHS,
    RuleCalendar,
    RuleVersion,
    apply_changes,
    check_proposal,
    flatten,
    parse_value,
    problems,
    proposal_problems,
)
from loyalty_desk.domain.rules import DEFAULT_RULES, RuleSettings, Tier
from loyalty_desk.messages import SETTING_NAMES, describe

TODAY = date(2026, 6, 30)


def _refusal(changes: dict, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_proposal(base=DEFAULT_RULES, changes=changes, effective_on=kwargs.get("effective_on", TODAY),
                       reason=kwargs.get("reason", "Spring programme review"), today=TODAY)
    return refused.value


@pytest.mark.parametrize(
    ("changes", "code", "setting"),
    [
        ({"earning.card_points_per_cny": -1}, "rules.negative", "earning.card_points_per_cny"),
        ({"tiers.gold.earn_multiplier": "-1.25"}, "rules.multiplier_range", "tiers.gold.earn_multiplier"),
        ({"tiers.gold.earn_multiplier": "0"}, "rules.multiplier_range", "tiers.gold.earn_multiplier"),
        ({"tiers.gold.qualifying_points": 10_000}, "rules.tier_order", "tiers.gold.qualifying_points"),
        ({"tiers.silver.qualifying_points": 80_000}, "rules.tier_order", "tiers.gold.qualifying_points"),
        ({"tiers.standard.qualifying_points": 5}, "rules.tier_base_threshold", "tiers.standard.qualifying_points"),
        ({"expiry.lot_lifetime_months": 0}, "rules.below_minimum", "expiry.lot_lifetime_months"),
        ({"tiers.platinum.monthly_redemption_cap": -100}, "rules.negative", "tiers.platinum.monthly_redemption_cap"),
        ({"earning.point_value_cny_per_100_points": 0}, "rules.below_minimum", "earning.point_value_cny_per_100_points"),
        ({"redemption.offline_daily_limit_points": "-5"}, "rules.negative", "redemption.offline_daily_limit_points"),
        ({"adjustments.dual_approval_threshold": 0}, "rules.below_minimum", "adjustments.dual_approval_threshold"),
        ({"referrals.yearly_cap": "twenty"}, "rules.not_a_whole_number", "referrals.yearly_cap"),
        ({"expiry.reminder_windows_days": "60, 30"}, "rules.windows_order", "expiry.reminder_windows_days"),
        ({"earning.high_margin_products": "FIN HM; DROP"}, "rules.product_code", "earning.high_margin_products"),
        ({"tiers.downgrade_warning": "perhaps"}, "rules.not_yes_no", "tiers.downgrade_warning"),
        ({"earning.no_such_thing": 1}, "rules.unknown_setting", "earning.no_such_thing"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting_and_the_rule(changes, code, setting):
    error = _refusal(changes)
    assert (error.code, error.field, error.params["setting"]) == (code, setting, setting)
    sentence = describe(error)
    assert setting in sentence and code not in sentence
    if setting in SETTING_NAMES:
        assert SETTING_NAMES[setting] in sentence


def test_the_form_sees_every_problem_at_once():
    _, found = proposal_problems(DEFAULT_RULES, {"earning.card_points_per_cny": "x", "referrals.yearly_cap": "-3"})
    assert {(e.field, e.code) for e in found} == {("earning.card_points_per_cny", "rules.not_a_whole_number"),
                                                    ("referrals.yearly_cap", "rules.negative")}
    _, found = proposal_problems(DEFAULT_RULES, {"expiry.lot_lifetime_months": 0, "referrals.yearly_cap": -3})
    assert {e.field for e in found} == {"expiry.lot_lifetime_months", "referrals.yearly_cap"}


def test_a_proposal_takes_effect_today_or_later_with_a_reason_and_changes_something():
    assert _refusal({"earning.card_points_per_cny": 2}, effective_on=TODAY - timedelta(days=1)).code == "rules.effective_past"
    assert _refusal({"earning.card_points_per_cny": 2}, reason="because").code == "rules.reason_short"
    assert _refusal({"earning.card_points_per_cny": 1, "tiers.gold.earn_multiplier": "1.250"}).code == "rules.no_change"
    assert _refusal({"earning.card_points_per_cny": 2}, effective_on="30/06/2026").code == "rules.effective_on"


def test_a_good_proposal_keeps_only_what_changes_with_the_values_it_replaces():
    cleaned = check_proposal(base=DEFAULT_RULES, changes={"earning.card_points_per_cny": "2", "referrals.yearly_cap": 20,
                                                          "expiry.reminder_windows_days": "15, 30 90"},
                             effective_on="2026-07-01", reason="  Double card points from July  ", today=TODAY)
    assert cleaned.changes == {"earning.card_points_per_cny": 2, "expiry.reminder_windows_days": [15, 30, 90]}
    assert cleaned.before == {"earning.card_points_per_cny": 1, "expiry.reminder_windows_days": [30, 60, 90]}
    assert (cleaned.effective_on, cleaned.reason) == (date(2026, 7, 1), "Double card points from July")


def test_every_setting_is_named_and_round_trips_through_its_path():
    assert set(SETTING_PATHS) == set(SETTING_NAMES)
    assert apply_changes(DEFAULT_RULES, flatten(DEFAULT_RULES)) == DEFAULT_RULES
    assert problems(DEFAULT_RULES) == []


@given(st.lists(st.integers(min_value=-5, max_value=500_000), min_size=4, max_size=4))
def test_tier_thresholds_are_accepted_exactly_when_they_start_at_zero_and_rise(thresholds):
    changes = {f"tiers.{tier.value}.qualifying_points": value for tier, value in zip(Tier, thresholds, strict=True)}
    rules = apply_changes(DEFAULT_RULES, changes)
    rising = thresholds[0] == 0 and all(a < b for a, b in pairwise(thresholds))
    tier_problems = [e for e in problems(rules) if e.field.startswith("tiers.")]
    assert (not tier_problems) == rising


@given(st.sampled_from([p for p in SETTING_PATHS if isinstance(flatten(DEFAULT_RULES)[p], int)
                        and not isinstance(flatten(DEFAULT_RULES)[p], bool)]), st.integers(max_value=-1))
def test_no_whole_number_setting_may_be_negative(path, value):
    refused = [e for e in problems(apply_changes(DEFAULT_RULES, {path: value})) if e.field == path]
    assert refused and refused[0].code in ("rules.negative", "rules.tier_base_threshold")


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=5)), max_size=6),
       st.integers(min_value=0, max_value=70))
def test_the_rules_on_a_day_are_the_base_with_every_version_effective_by_then_applied_in_order(plan, day_offset):
    start = date(2026, 1, 1)
    versions = [RuleVersion(n, start + timedelta(days=offset), {"earning.card_points_per_cny": points})
                for n, (offset, points) in enumerate(plan, start=1)]
    calendar = RuleCalendar(DEFAULT_RULES, reversed(versions))
    day = start + timedelta(days=day_offset)
    in_force = [v for v in sorted(versions, key=lambda v: (v.effective_on, v.version)) if v.effective_on <= day]
    expected = in_force[-1].changes["earning.card_points_per_cny"] if in_force else 1
    assert calendar.on(day).earning.card_points_per_cny == expected
    assert calendar.version_on(day) == (in_force[-1].version if in_force else 0)


def test_a_version_that_breaks_a_later_one_is_refused_naming_the_setting():
    calendar = RuleCalendar(DEFAULT_RULES, [RuleVersion(1, date(2026, 8, 1), {"tiers.gold.qualifying_points": 90_000})])
    calendar.with_version(RuleVersion(2, date(2026, 7, 1), {"tiers.silver.qualifying_points": 30_000})).check_from(date(2026, 7, 1))
    # fine on 1 July (Gold 80,000), broken from 1 August, when Gold needs 90,000
    with pytest.raises(ValidationError) as refused:
        calendar.with_version(RuleVersion(2, date(2026, 7, 1), {"tiers.platinum.qualifying_points": 85_000})).check_from(date(2026, 7, 1))
    assert (refused.value.code, refused.value.field) == ("rules.tier_order", "tiers.platinum.qualifying_points")


def test_parse_value_types_each_kind_of_setting():
    assert parse_value("earning.card_points_per_cny", " 3 ") == 3
    assert parse_value("redemption.offline_daily_limit_points", "25,000") == 25_000
    assert parse_value("tiers.gold.earn_multiplier", "1.30") == "1.30"
    assert parse_value("tiers.downgrade_warning", "no") is False
    assert parse_value("earning.high_margin_products", "fin-hm, FIN-STRUCT") == ["FIN-HM", "FIN-STRUCT"]
    assert isinstance(RuleSettings.from_dict(apply_changes(DEFAULT_RULES, {"expiry.reminder_windows_days": [7]}).to_dict()), RuleSettings)
