from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.lots import (
    OpenLot,
    available_balance,
    expiring_within,
    lot_expiry_date,
    plan_consumption,
    plan_expiry,
)
from loyalty_desk.domain.rules import DEFAULT_RULES

LIFETIME = DEFAULT_RULES.expiry.lot_lifetime_months


@pytest.mark.parametrize(
    ("earned_on", "expires_on"),
    [
        (date(2024, 3, 15), date(2026, 3, 31)),  # rules.md
        (date(2024, 1, 31), date(2026, 1, 31)),
        (date(2024, 1, 1), date(2026, 1, 31)),
        (date(2022, 2, 1), date(2024, 2, 29)),  # lands in a leap February
        (date(2024, 2, 29), date(2026, 2, 28)),  # earned on a leap day
        (date(2023, 12, 31), date(2025, 12, 31)),  # December
        (date(2024, 12, 1), date(2026, 12, 31)),
    ],
)
def test_lot_expiry_is_end_of_month_24_months_later(earned_on: date, expires_on: date):
    assert lot_expiry_date(earned_on, LIFETIME) == expires_on


def test_lot_expiry_other_lifetimes():
    assert lot_expiry_date(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert lot_expiry_date(date(2024, 11, 5), 2) == date(2025, 1, 31)
    assert lot_expiry_date(date(2024, 11, 5), 0) == date(2024, 11, 30)
    with pytest.raises(ValueError):
        lot_expiry_date(date(2024, 11, 5), -1)


def lot(lot_id: int, earned_on: date, remaining: int, expires_on: date | None = None) -> OpenLot:
    return OpenLot(lot_id, earned_on, expires_on or lot_expiry_date(earned_on, LIFETIME), remaining)


LOTS = [
    lot(3, date(2024, 5, 2), 300),
    lot(1, date(2024, 3, 15), 100),
    lot(2, date(2024, 3, 20), 200),  # same expiry as lot 1, earned later
    lot(4, date(2024, 1, 10), 0),  # empty lots are never taken
]


def test_consumption_takes_soonest_expiring_first():
    assert plan_consumption(LOTS, 50) == [(1, 50)]
    assert plan_consumption(LOTS, 100) == [(1, 100)]
    assert plan_consumption(LOTS, 250) == [(1, 100), (2, 150)]
    assert plan_consumption(LOTS, 600) == [(1, 100), (2, 200), (3, 300)]


def test_consumption_ties_by_earned_on_then_lot_id():
    same = date(2026, 3, 31)
    lots = [lot(9, date(2024, 3, 1), 10, same), lot(5, date(2024, 3, 1), 10, same), lot(7, date(2024, 2, 1), 10, same)]
    assert plan_consumption(lots, 30) == [(7, 10), (5, 10), (9, 10)]


def test_consumption_insufficient():
    with pytest.raises(DomainError) as caught:
        plan_consumption(LOTS, 601)
    assert caught.value.code == "points.insufficient"
    assert caught.value.params == {"available": 600, "requested": 601}


@pytest.mark.parametrize("points", [0, -5])
def test_consumption_points_must_be_positive(points: int):
    with pytest.raises(DomainError) as caught:
        plan_consumption(LOTS, points)
    assert caught.value.code == "points.not_positive"


lots_strategy = st.lists(
    st.builds(
        OpenLot,
        lot_id=st.integers(1, 10_000),
        earned_on=st.dates(date(2020, 1, 1), date(2026, 1, 1)),
        expires_on=st.dates(date(2022, 1, 1), date(2028, 1, 1)),
        remaining=st.integers(0, 5_000),
    ),
    max_size=20,
    unique_by=lambda lot: lot.lot_id,
)


@given(lots_strategy, st.integers(1, 100_000))
def test_consumption_properties(lots: list[OpenLot], points: int):
    available = sum(lot.remaining for lot in lots)
    if points > available:
        with pytest.raises(DomainError):
            plan_consumption(lots, points)
        return
    plan = plan_consumption(lots, points)
    by_id = {lot.lot_id: lot for lot in lots}
    assert sum(taken for _, taken in plan) == points
    assert all(0 < taken <= by_id[lot_id].remaining for lot_id, taken in plan)
    assert len({lot_id for lot_id, _ in plan}) == len(plan)
    # every lot but the last is emptied, and no untouched lot expires before a taken one
    assert all(taken == by_id[lot_id].remaining for lot_id, taken in plan[:-1])
    if plan:
        last_expiry = by_id[plan[-1][0]].expires_on
        taken_ids = {lot_id for lot_id, _ in plan}
        assert all(
            lot.expires_on >= last_expiry for lot in lots if lot.remaining > 0 and lot.lot_id not in taken_ids
        )


def test_expiry_takes_lots_whose_last_day_has_passed():
    expires = date(2026, 3, 31)
    lots = [lot(1, date(2024, 3, 15), 100), lot(2, date(2024, 4, 1), 50), lot(3, date(2024, 2, 1), 0)]
    assert plan_expiry(lots, expires) == []  # still usable on its last day
    assert plan_expiry(lots, expires + timedelta(days=1)) == [(1, 100)]
    assert plan_expiry(lots, date(2026, 5, 1)) == [(1, 100), (2, 50)]


def test_expiring_within_window_boundaries():
    as_of = date(2026, 1, 1)
    lots = [
        lot(1, date(2023, 12, 1), 10, date(2025, 12, 31)),  # already expired: not counted
        lot(2, date(2024, 1, 1), 20, date(2026, 1, 1)),  # expires today: counted
        lot(3, date(2024, 1, 1), 40, date(2026, 1, 30)),  # day 30: counted
        lot(4, date(2024, 1, 1), 80, date(2026, 1, 31)),  # as_of + 30 days: outside the 30-day window
        lot(5, date(2024, 1, 1), 0, date(2026, 1, 2)),
    ]
    assert expiring_within(lots, as_of, 30) == 60
    assert expiring_within(lots, as_of, 31) == 140
    assert expiring_within(lots, as_of, 0) == 0


def test_available_balance():
    assert available_balance(10_000, 2_500) == 7_500
    assert available_balance(0, 0) == 0
