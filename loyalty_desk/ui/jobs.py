"""Jobs a standalone desk runs itself, because no central runs them for it.

A desk synced with central never runs them: central's jobs (``central run``) post the results and
the change feed brings them to the desk; a job run here would write rows central never hears of.
Standalone, the desk is its own head office: ``StandaloneJobService.run_due`` (the adjustment expiry
sweep — pending requests older than 72 hours expire and their held points are released —, the
points expiry for the day and the monthly tier review, each once in its period) runs when the
services are ready and then every hour, on the serialised write worker (``TaskRunner.write``), never
on the UI thread. Every job is idempotent, so a run that finds nothing due, or one that overlaps the
command line's ``approvals expire``, ``expire`` or ``tiers review``, posts nothing twice.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from loyalty_desk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

JOBS_INTERVAL_MS = 60 * 60 * 1000  # hourly: a request is late by at most an hour


class StandaloneJobs(QObject):
    """The due jobs at start and on a timer (``timer``, hourly by default)."""

    sig_swept = Signal(object)  # the adjustment ExpirySweep of each finished run
    sig_ran = Signal(object)  # the StandaloneJobsReport of each finished run
    sig_failed = Signal(object)  # the error of a failed run (logged; the next tick tries again)

    def __init__(self, services: Any, runner: TaskRunner, parent: QObject | None = None, *, interval_ms: int = JOBS_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)
        self._running = False

    def start(self) -> None:
        """Runs the due jobs now and then on every tick."""
        self.timer.start()
        self.run_now()

    def stop(self) -> None:
        self.timer.stop()

    @property
    def running(self) -> bool:
        return self._running

    def run_now(self) -> None:
        """One run on the write worker; a tick while one still runs is skipped."""
        if self._running:
            return
        self._running = True
        self.runner.write(self.services.standalone_jobs.run_due, quiet=True, on_result=self._ran, on_error=self._failed)

    def _ran(self, report: Any) -> None:
        self._running = False
        sweep = report.sweep
        if sweep.expired:
            log.info("adjustment expiry: %d request(s) expired, %d point(s) released", sweep.expired, sweep.points_released)
        if report.expiry is not None:
            log.info("points expiry for %s: %d point(s) of %d member(s)", report.expiry.as_of, report.expiry.points_expired, report.expiry.members_expired)
        if report.tier_review is not None and not report.tier_review.already_run:
            log.info("tier review %s: %d reviewed, %d downgraded, %d upgraded", report.tier_review.month, report.tier_review.reviewed,
                     report.tier_review.downgraded, report.tier_review.upgraded)
        self.sig_swept.emit(sweep)
        self.sig_ran.emit(report)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        log.warning("standalone jobs failed: %r", error)
        self.sig_failed.emit(error)


def start_standalone_jobs(services: Any, runner: TaskRunner, parent: QObject | None = None, **options: Any) -> StandaloneJobs | None:
    """Starts the standalone desk's jobs; None (nothing started) when the desk syncs with central or
    the services have no standalone jobs (a build without them)."""
    sync = getattr(services, "sync", None)
    if sync is not None and not sync.standalone:
        return None
    if getattr(services, "standalone_jobs", None) is None:
        return None
    jobs = StandaloneJobs(services, runner, parent, **options)
    jobs.start()
    return jobs
