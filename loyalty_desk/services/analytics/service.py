"""Upkeep of the analytics aggregates: rebuild from the ledger, verify against it, compact closed months.

The aggregates are derived rows the database keeps (``store/analytics.py``); none of this changes a
balance, so it is no operation. ``verify`` is how an operator proves they agree with the ledger;
``rebuild`` repairs them (for instance after a store was written with the triggers dropped);
``compact`` keeps the delta rows few (one row per key for each closed month).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

from loyalty_desk.services.analytics.dto import AggregateDifference, UpkeepResult, VerifyResult
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.store.repositories.analytics import SET_CHECKS, SHAPE_CHECKS, AnalyticsRepository
from loyalty_desk.store.repositories.analytics import AggregateDifference as StoredDifference

COMPACT_JOB = "analytics_compact"
VERIFY_LIMIT = 1000  # differences listed; the check stops reading a table's at this many
T = TypeVar("T")


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
        """Every aggregate against the ledger. The checks are independent reads, each in its own unit
        of work (its own snapshot, in which the aggregates and the ledger agree by construction), so
        they run at once on as many connections as the machine has cores, up to four."""
        began = time.perf_counter()

        def shape(table: str) -> Callable[[AnalyticsRepository], list[StoredDifference]]:
            return lambda analytics: analytics.shape_differences(table, VERIFY_LIMIT)

        def member_set(name: str) -> Callable[[AnalyticsRepository], tuple[int, int]]:
            return lambda analytics: analytics.set_differences(name)

        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="analytics-verify") as pool:
            shapes = {table: pool.submit(self._read, shape(table)) for table in SHAPE_CHECKS}
            sets = {name: pool.submit(self._read, member_set(name)) for name in SET_CHECKS}
            rows = pool.submit(self._read, lambda analytics: analytics.row_counts())
            found = [difference for table in SHAPE_CHECKS for difference in shapes[table].result()][:VERIFY_LIMIT]
            counted = {name: future.result() for name, future in sets.items()}
            row_counts = rows.result()
        differences = tuple(AggregateDifference(d.table, d.key, d.aggregates, d.ledger) for d in found)
        return VerifyResult(differences, *counted["served"], row_counts, time.perf_counter() - began, *counted["active"], *counted["campaign"])

    def _read(self, job: Callable[[AnalyticsRepository], T]) -> T:
        with self._context.uow() as uow:
            return job(uow.analytics)
