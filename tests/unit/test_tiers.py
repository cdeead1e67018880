from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from loyalty_desk.domain.rules import DEFAULT_RULES, Tier, TierRule
from loyalty_desk.domain.tiers import (
    ReviewDecision,
    TierProgress,
    apply_upgrade,
    downgrade_due,
    earn_multiplier,
    monthly_redemption_cap,
    monthly_review,
    qualifying_points,
    review_with_grace,
    tier_for_points,
    tier_progress,
)

TIERS = DEFAULT_RULES.tiers
WINDOW = TIERS.qualifying_window_months


def test_qualifying_window_is_rolling_and_half_open():
    as_of = date(2026, 6, 15)
    earnings = [
        (date(2025, 6, 15), 1),  # exactly window_months ago: outside
        (date(2025, 6, 16), 10),
        (date(2026, 6, 15), 100),  # as_of itself: inside
        (date(2026, 6, 16), 1000),  # future: outside
    ]
    assert qualifying_points(earnings, as_of, WINDOW) == 110


def test_qualifying_window_from_a_leap_day_and_negative_clawbacks():
    assert qualifying_points([(date(2023, 2, 28), 5), (date(2023, 3, 1), 7)], date(2024, 2, 29), 12) == 7
    assert qualifying_points([(date(2026, 1, 1), 100), (date(2026, 1, 2), -300)], date(2026, 2, 1), 12) == 0


@pytest.mark.parametrize(
    ("points", "tier"),
    [
        (0, Tier.STANDARD),
        (19_999, Tier.STANDARD),
        (20_000, Tier.SILVER),
        (79_999, Tier.SILVER),
        (80_000, Tier.GOLD),
        (299_999, Tier.GOLD),
        (300_000, Tier.PLATINUM),
        (5_000_000, Tier.PLATINUM),
    ],
)
def test_tier_thresholds(points: int, tier: Tier):
    assert tier_for_points(points, TIERS) is tier
    assert tier_for_points(points, DEFAULT_RULES) is tier  # the whole settings are accepted too


def test_thresholds_come_from_settings():
    rules = tuple(replace(r, qualifying_points=10_000) if r.tier is Tier.SILVER else r for r in TIERS.rules)
    assert tier_for_points(10_000, replace(TIERS, rules=rules)) is Tier.SILVER


def test_upgrade_as_soon_as_reached_never_downgrades():
    assert apply_upgrade(Tier.STANDARD, 20_000, TIERS) is Tier.SILVER
    assert apply_upgrade(Tier.STANDARD, 19_999, TIERS) is Tier.STANDARD
    assert apply_upgrade(Tier.SILVER, 300_000, TIERS) is Tier.PLATINUM  # skips levels upwards
    assert apply_upgrade(Tier.GOLD, 0, TIERS) is Tier.GOLD


def test_review_downgrades_one_level_at_most():
    assert monthly_review(Tier.PLATINUM, None, 0, date(2026, 7, 1), TIERS) is Tier.GOLD
    assert monthly_review(Tier.GOLD, None, 79_999, date(2026, 7, 1), TIERS) is Tier.SILVER
    assert monthly_review(Tier.GOLD, None, 80_000, date(2026, 7, 1), TIERS) is Tier.GOLD
    assert monthly_review(Tier.STANDARD, None, 0, date(2026, 7, 1), TIERS) is Tier.STANDARD


def test_review_also_upgrades():
    assert monthly_review(Tier.SILVER, date(2026, 6, 1), 90_000, date(2026, 7, 1), TIERS) is Tier.GOLD


def test_no_downgrade_within_protection_after_upgrade():
    upgraded = date(2025, 7, 15)
    assert monthly_review(Tier.GOLD, upgraded, 0, date(2026, 7, 1), TIERS) is Tier.GOLD
    assert monthly_review(Tier.GOLD, upgraded, 0, date(2026, 7, 14), TIERS) is Tier.GOLD
    assert monthly_review(Tier.GOLD, upgraded, 0, date(2026, 7, 15), TIERS) is Tier.SILVER
    assert monthly_review(Tier.GOLD, upgraded, 0, date(2026, 8, 1), TIERS) is Tier.SILVER


def test_caps_and_multipliers():
    assert [monthly_redemption_cap(t, TIERS) for t in Tier] == [30_000, 80_000, 200_000, 600_000]
    assert [earn_multiplier(t, TIERS) for t in Tier] == [Decimal("1.0"), Decimal("1.1"), Decimal("1.25"), Decimal("1.5")]
    assert isinstance(earn_multiplier(Tier.GOLD, TIERS), Decimal)


def test_progress_standard_member():
    progress = tier_progress(Tier.STANDARD, None, [(date(2026, 5, 1), 5_000)], date(2026, 6, 15), TIERS)
    assert progress == TierProgress(Tier.STANDARD, 5_000, Tier.SILVER, 15_000, None, None)


def test_progress_platinum_has_no_next_tier():
    progress = tier_progress(Tier.PLATINUM, None, [(date(2026, 5, 1), 400_000)], date(2026, 6, 15), TIERS)
    assert (progress.next_tier, progress.points_to_next, progress.keep_points_needed) == (None, None, None)
    assert progress.keep_by == date(2026, 7, 1)


def test_progress_keep_by_is_next_review_outside_protection():
    earnings = [(date(2025, 9, 10), 60_000), (date(2026, 3, 1), 30_000)]
    # upgraded long ago: the next monthly review (1st of next month)
    progress = tier_progress(Tier.GOLD, date(2024, 1, 1), earnings, date(2026, 6, 15), TIERS)
    assert progress.qualifying_points == 90_000
    assert progress.keep_by == date(2026, 7, 1)
    assert progress.keep_points_needed is None  # both earnings still count on 1 July
    assert (progress.next_tier, progress.points_to_next) == (Tier.PLATINUM, 210_000)


def test_progress_keep_points_counts_only_points_still_in_window():
    earnings = [(date(2025, 9, 10), 60_000), (date(2026, 3, 1), 30_000)]
    # upgraded 2025-10-20: protected until 2026-10-20, first possible review 2026-11-01,
    # when the September 2025 earning has left the window
    progress = tier_progress(Tier.GOLD, date(2025, 10, 20), earnings, date(2026, 6, 15), TIERS)
    assert progress.keep_by == date(2026, 11, 1)
    assert progress.keep_points_needed == 80_000 - 30_000


def test_progress_protection_ending_on_a_first():
    progress = tier_progress(Tier.SILVER, date(2025, 8, 1), [], date(2026, 6, 15), TIERS)
    assert progress.keep_by == date(2026, 8, 1)
    assert progress.keep_points_needed == 20_000


def test_progress_in_december_rolls_into_next_year():
    progress = tier_progress(Tier.SILVER, None, [(date(2025, 12, 31), 25_000)], date(2026, 12, 20), TIERS)
    assert progress.keep_by == date(2027, 1, 1)
    assert progress.keep_points_needed == 20_000  # the 2025-12-31 earning is outside on 2027-01-01


def test_progress_ignores_future_earnings():
    progress = tier_progress(Tier.SILVER, None, [(date(2026, 6, 20), 25_000)], date(2026, 6, 15), TIERS)
    assert progress.qualifying_points == 0
    assert progress.keep_points_needed == 20_000


def test_tier_rule_lookup_unknown_tier_in_custom_settings():
    partial = replace(TIERS, rules=(TierRule(Tier.STANDARD, 0, 1, "1"),))
    with pytest.raises(KeyError):
        monthly_redemption_cap(Tier.GOLD, partial)


# ---------------------------------------------------------------- downgrade grace


def test_a_first_shortfall_warns_and_the_next_review_downgrades():
    june, july = date(2026, 6, 1), date(2026, 7, 1)
    assert review_with_grace(Tier.GOLD, None, None, 10_000, june, TIERS) == ReviewDecision(Tier.GOLD, june)
    assert review_with_grace(Tier.GOLD, None, june, 10_000, july, TIERS) == ReviewDecision(Tier.SILVER, None)


def test_a_review_that_keeps_the_tier_lifts_the_warning():
    june, july, august = date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)
    assert review_with_grace(Tier.GOLD, None, june, 80_000, july, TIERS) == ReviewDecision(Tier.GOLD, None)
    assert review_with_grace(Tier.GOLD, None, None, 0, august, TIERS) == ReviewDecision(Tier.GOLD, august)  # warned again first
    upgraded = date(2026, 1, 15)  # protected until 2027-01-15: no downgrade, so no warning either
    assert review_with_grace(Tier.GOLD, upgraded, june, 0, july, TIERS) == ReviewDecision(Tier.GOLD, None)


def test_without_the_grace_the_first_review_downgrades_and_upgrades_never_wait():
    no_grace = replace(TIERS, downgrade_warning=False)
    assert review_with_grace(Tier.GOLD, None, None, 10_000, date(2026, 6, 1), no_grace) == ReviewDecision(Tier.SILVER, None)
    assert review_with_grace(Tier.SILVER, None, date(2026, 5, 1), 90_000, date(2026, 6, 1), TIERS) == ReviewDecision(Tier.GOLD, None)
    assert TIERS.downgrade_warning  # on by default


def test_a_standing_warning_names_the_next_review_and_the_tier_below():
    assert downgrade_due(Tier.GOLD, date(2026, 6, 1), date(2026, 6, 20)) == (date(2026, 7, 1), Tier.SILVER)
    assert downgrade_due(Tier.GOLD, None, date(2026, 6, 20)) is None
    assert downgrade_due(Tier.STANDARD, date(2026, 6, 1), date(2026, 6, 20)) is None
