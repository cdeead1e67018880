"""The jobs a standalone desk runs for itself, because no central runs them for it.

A standalone desk is its own head office: each run does what is due now — the adjustment expiry
sweep (every run: a request falls due at any hour), the points expiry for today (once a day) and the
monthly tier review (once a calendar month) and the analytics compaction (once a calendar month, after
the review); manual tier overrides whose end date has come end on every run. A job whose period already has a finished ``job_run``
is not started again, so a run every hour writes nothing (no audit row either) until a new day or
month begins. A desk joined to central is refused (``job.joined_desk``): central runs them
(``sync/applier.py``) and the change feed brings the results.
"""

from __future__ import annotations

from dataclasses import dataclass

from loyalty_desk.services.adjustments.dto import ExpirySweep
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.analytics.service import AnalyticsService
from loyalty_desk.services.context import ServiceContext, refuse_local_job
from loyalty_desk.services.dto import ExpiryReport
from loyalty_desk.services.earning.dto import TierReviewReport
from loyalty_desk.services.earning.service import TIER_REVIEW_JOB, EarningService, review_month
from loyalty_desk.services.expiry import JOB as EXPIRY_JOB
from loyalty_desk.services.expiry import ExpiryService
from loyalty_desk.services.tier_overrides import end_due_overrides
from loyalty_desk.store.models import JobRun


@dataclass(frozen=True)
class StandaloneJobsReport:
    sweep: ExpirySweep  # the adjustment expiry sweep, run every time
    expiry: ExpiryReport | None  # None: today's points expiry had already run
    tier_review: TierReviewReport | None  # None: this month's tier review had already run
    overrides_ended: int = 0  # manual tier overrides ended on their end date
    compacted: bool = False  # the closed months' analytics rows were compacted in this run


class StandaloneJobService:
    def __init__(self, context: ServiceContext, adjustments: AdjustmentService, expiry: ExpiryService, earning: EarningService) -> None:
        self._context = context
        self._adjustments = adjustments
        self._expiry = expiry
        self._earning = earning

    def run_due(self) -> StandaloneJobsReport:
        """Runs every job due now, each in its own transactions."""
        refuse_local_job(self._context, "standalone jobs")
        today = self._context.today()
        sweep = self._adjustments.expire_due()
        overrides_ended = end_due_overrides(self._context, as_of=today)
        with self._context.uow() as uow:
            expiry_done = _finished(uow.reference.job_run(EXPIRY_JOB, today.isoformat()))
            review_done = _finished(uow.reference.job_run(TIER_REVIEW_JOB, review_month(today)))
        expiry = None if expiry_done else self._expiry.run(as_of=today)
        review = None if review_done else self._earning.review_tiers(as_of=today)
        compacted = AnalyticsService(self._context).compact_due() is not None
        return StandaloneJobsReport(sweep, expiry, review, overrides_ended, compacted)


def _finished(run: JobRun | None) -> bool:
    return run is not None and run.finished_at is not None
