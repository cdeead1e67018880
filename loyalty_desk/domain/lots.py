"""Points lots: each earning is a lot with its own expiry; spending consumes lots
soonest-expiring first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from loyalty_desk.domain.dates import add_months, last_day_of_month
from loyalty_desk.domain.errors import DomainError


@dataclass(frozen=True)
class OpenLot:
    lot_id: int
    earned_on: date
    expires_on: date  # last day on which the points can still be used
    remaining: int


def lot_expiry_date(earned_on: date, lifetime_months: int = 24) -> date:
    """Last day of the calendar month ``lifetime_months`` after the earning month
    (earned 2024-03-15, 24 months -> 2026-03-31). Pass ``settings.expiry.lot_lifetime_months``."""
    if lifetime_months < 0:
        raise ValueError(f"lot lifetime must not be negative: {lifetime_months}")
    month = add_months(earned_on.replace(day=1), lifetime_months)
    return last_day_of_month(month.year, month.month)


def consumption_order(lots: Iterable[OpenLot]) -> list[OpenLot]:
    """Lots with points left, soonest-expiring first; ties by earning date, then lot id."""
    return sorted(
        (lot for lot in lots if lot.remaining > 0),
        key=lambda lot: (lot.expires_on, lot.earned_on, lot.lot_id),
    )


def plan_consumption(lots: Iterable[OpenLot], points: int) -> list[tuple[int, int]]:
    """``(lot_id, points_taken)`` pairs covering ``points``, soonest-expiring lots first.

    Raises ``points.not_positive`` for ``points <= 0`` and ``points.insufficient``
    (``available``, ``requested``) when the lots do not cover it.
    """
    if points <= 0:
        raise DomainError("points.not_positive", points=points)
    ordered = consumption_order(lots)
    available = sum(lot.remaining for lot in ordered)
    if available < points:
        raise DomainError("points.insufficient", available=available, requested=points)
    plan: list[tuple[int, int]] = []
    outstanding = points
    for lot in ordered:
        taken = min(lot.remaining, outstanding)
        plan.append((lot.lot_id, taken))
        outstanding -= taken
        if outstanding == 0:
            break
    return plan


def plan_expiry(lots: Iterable[OpenLot], as_of: date) -> list[tuple[int, int]]:
    """``(lot_id, remaining)`` of every lot whose last valid day is before ``as_of``."""
    return [(lot.lot_id, lot.remaining) for lot in consumption_order(lots) if lot.expires_on < as_of]


def expiring_within(lots: Iterable[OpenLot], as_of: date, days: int) -> int:
    """Points that expire in the next ``days`` days counting ``as_of`` as day one:
    lots with ``as_of <= expires_on < as_of + days`` (already-expired lots are not counted)."""
    end = as_of + timedelta(days=days)
    return sum(lot.remaining for lot in lots if lot.remaining > 0 and as_of <= lot.expires_on < end)


def available_balance(posted: int, held: int) -> int:
    """Posted balance minus points held by pending operations (not clamped: a negative
    result means the holds exceed the balance, which callers must never let happen)."""
    return posted - held
