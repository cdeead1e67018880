"""What the points liability reads (``AnalyticsRepository.lot_balances`` and ``entries_by_kind``
make them from the analytics aggregates, ``store/analytics.py``).

A lot's balance at the end of a day is what it earned (when it was earned by then) plus its
movements whose entries are dated by then. The ledger's entries and the lots are written together
(``services.ledger``) and counted by triggers of their own, so the two ways of counting must agree;
the report says whether they do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LotBalance:
    """Open lot balances of a home branch and tier, of the lots with one expiry date, at the end of two days."""

    branch_id: int
    tier: str
    expires_on: date
    before: int  # at the end of the day before the period
    after: int  # at the end of the period's last day


@dataclass(frozen=True)
class KindPoints:
    """Entries of a kind (with the kind of the entry a reversal reverses) dated in a period."""

    branch_id: int
    tier: str
    kind: str
    reversed_kind: str | None
    in_month: bool  # dated in the report's month (else only in the longer window)
    points: int
