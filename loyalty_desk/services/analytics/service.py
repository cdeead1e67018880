"""Upkeep of the analytics aggregates: rebuild from the ledger, verify against it, compact closed months.

The aggregates are derived rows the database keeps (``store/analytics.py``); none of this changes a
balance, so it is no operation. ``verify`` is how an operator proves they agree with the ledger;
``rebuild`` repairs them (for instance after a store was written with the triggers dropped);
``compact`` keeps the delta rows few (one row per key for each closed month).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from loyalty_desk.services.analytics.dto import AggregateDifference, UpkeepResult, VerifyResult
from loyalty_desk.services.context import ServiceContext

COMPACT_JOB = "analytics_compact"


class AnalyticsService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def rebuild(self) -> UpkeepResult:
        return self._upkeep(lambda analytics, before: analytics.rebuild(before=before))

    def compact(self) -> UpkeepResult:
        return self._upkeep(lambda analytics, before: analytics.compact(before=before))

    def _upkeep(self, job: Callable[[Any, date], object]) -> UpkeepResult:
        """Runs ``job`` on the aggregates over the months before this one, timed."""
        began = time.perf_counter()
        with self._context.uow(write=True) as uow:
            job(uow.analytics, self._context.today().replace(day=1))
            uow.commit()
            rows = uow.analytics.row_counts()
        return UpkeepResult(rows, time.perf_counter() - began)

    def compact_due(self) -> UpkeepResult | None:
        """The standalone desk's compaction: once a calendar month (``job_run``), None when this month's ran."""
        month = self._context.today().strftime("%Y-%m")
        with self._context.uow(write=True) as uow:
            run = uow.reference.job_run(COMPACT_JOB, month)
            if run is not None and run.finished_at is not None:
                return None
        result = self.compact()
        with self._context.uow(write=True) as uow:
            run = uow.reference.start_job_run(COMPACT_JOB, month, self._context.clock())
            run.finished_at = self._context.clock()
            uow.commit()
        return result

    def verify(self) -> VerifyResult:
        began = time.perf_counter()
        with self._context.uow() as uow:
            check = uow.analytics.differences()
            rows = uow.analytics.row_counts()
        differences = tuple(AggregateDifference(d.table, d.key, d.aggregates, d.ledger) for d in check.differences)
        return VerifyResult(differences, *check.served, rows, time.perf_counter() - began, *check.active, *check.campaign)
