"""A campaign's incremental spend and return per CNY, worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from loyalty_desk.domain.campaign_return import campaign_return, months_compared


def test_participants_who_spend_more_return_their_extra_spend_per_cny_of_points() -> None:
    # 3 participants spent 900.00 (300.00 each); 4 others spent 500.00 (125.00 each): (300 - 125) x 3 = 525.00 for 150.00 of points
    found = campaign_return(participants=3, participant_spend_fen=90_000, comparison_members=4, comparison_spend_fen=50_000, cost_cny=Decimal("150.00"))
    assert (found.average_participant, found.average_comparison) == (Decimal("300.00"), Decimal("125.00"))
    assert found.incremental_spend == Decimal("525.00")
    assert found.return_per_cny == Decimal("3.50")


def test_the_incremental_spend_is_worked_from_unrounded_averages_and_may_be_negative() -> None:
    # participants: 100.00 / 3 = 33.333...; others 200.00 / 3 = 66.666...; (33.33... - 66.66...) x 3 = -100.00
    found = campaign_return(participants=3, participant_spend_fen=10_000, comparison_members=3, comparison_spend_fen=20_000, cost_cny=Decimal("40"))
    assert (found.average_participant, found.average_comparison) == (Decimal("33.33"), Decimal("66.67"))
    assert found.incremental_spend == Decimal("-100.00")
    assert found.return_per_cny == Decimal("-2.50")


def test_no_figure_without_members_or_cost() -> None:
    nobody_else = campaign_return(participants=2, participant_spend_fen=1_000, comparison_members=0, comparison_spend_fen=0, cost_cny=Decimal(5))
    assert nobody_else.average_comparison is None and nobody_else.incremental_spend is None and nobody_else.return_per_cny is None
    free = campaign_return(participants=1, participant_spend_fen=5_000, comparison_members=1, comparison_spend_fen=1_000, cost_cny=Decimal(0))
    assert free.incremental_spend == Decimal("40.00") and free.return_per_cny is None


def test_the_months_compared_are_the_period_s_months_the_campaign_ran_in() -> None:
    assert months_compared(date(2026, 1, 1), date(2026, 12, 31), date(2026, 4, 10), date(2026, 5, 20)) == (date(2026, 4, 1), date(2026, 5, 1))
    assert months_compared(date(2026, 5, 1), date(2026, 6, 30), date(2026, 4, 10), date(2026, 9, 1)) == (date(2026, 5, 1), date(2026, 6, 1))
    assert months_compared(date(2026, 6, 1), date(2026, 6, 30), date(2026, 4, 10), date(2026, 5, 20)) is None
