"""Time as the services see it: injectable so tests and jobs can fix "now"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Naive UTC, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    return datetime.now().date()
