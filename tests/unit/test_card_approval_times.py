"""The card service figures of any set of approvals: counts that add up, the median and the 90th
percentile (nearest rank) as their definitions say, nothing made up for an empty set."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from loyalty_desk.domain.card_journey import approval_times

DAYS = st.lists(st.integers(min_value=0, max_value=400), max_size=200)


@given(DAYS, st.integers(min_value=0, max_value=60))
def test_the_figures_follow_their_definitions(days: list[int], target: int) -> None:
    figures = approval_times(days, target)
    assert figures.approvals == len(days)
    assert figures.within_target == sum(1 for d in days if d <= target)
    assert figures.within_target + figures.over_target == len(days)
    if not days:
        assert (figures.median_days, figures.p90_days, figures.longest_days, figures.within_share) == (None, None, None, None)
        return
    assert figures.longest_days == max(days)
    assert figures.median_days is not None and figures.p90_days is not None
    assert sum(1 for d in days if d <= figures.median_days) * 2 >= len(days)
    assert sum(1 for d in days if d >= figures.median_days) * 2 >= len(days)
    assert figures.p90_days in days
    assert sum(1 for d in days if d <= figures.p90_days) * 10 >= 9 * len(days)  # at least 90 % at or below it
    assert sum(1 for d in days if d < figures.p90_days) * 10 < 9 * len(days)  # and it is the smallest such value
    assert figures.within_share == (Decimal(figures.within_target) * 100 / len(days)).quantize(Decimal("0.1"))


def test_a_worked_example() -> None:
    figures = approval_times([25, 10, 20], 20)
    assert (figures.within_target, figures.over_target, figures.median_days, figures.p90_days, figures.within_share) == (
        2, 1, Decimal(20), 25, Decimal("66.7"))
