"""Jobs a standalone desk runs itself, because no central runs them for it.

A desk synced with central never runs them: central's job (``central run``) posts the results and
the change feed brings them to the desk; a job run here would write rows central never hears of.
Standalone, the desk is its own head office: the adjustment expiry sweep
(``AdjustmentService.expire_due``: pending requests older than 72 hours expire and their held points
are released) runs when the services are ready and then every hour, on the serialised write
worker (``TaskRunner.write``), never on the UI thread. The sweep is idempotent, so a run that finds
nothing due, or one that overlaps the command line's ``approvals expire``, posts nothing twice.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from loyalty_desk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

ADJUSTMENT_EXPIRY_INTERVAL_MS = 60 * 60 * 1000  # hourly: a request is late by at most an hour


class StandaloneJobs(QObject):
    """The adjustment expiry sweep at start and on a timer (``timer``, hourly by default)."""

    sig_swept = Signal(object)  # the ExpirySweep of each finished run
    sig_failed = Signal(object)  # the error of a failed run (logged; the next tick tries again)

    def __init__(self, services: Any, runner: TaskRunner, parent: QObject | None = None, *, interval_ms: int = ADJUSTMENT_EXPIRY_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)
        self._running = False

    def start(self) -> None:
        """Runs the sweep now and then on every tick."""
        self.timer.start()
        self.run_now()

    def stop(self) -> None:
        self.timer.stop()

    @property
    def running(self) -> bool:
        return self._running

    def run_now(self) -> None:
        """One sweep on the write worker; a tick while one still runs is skipped."""
        if self._running:
            return
        self._running = True
        self.runner.write(self.services.adjustments.expire_due, quiet=True, on_result=self._swept, on_error=self._failed)

    def _swept(self, sweep: Any) -> None:
        self._running = False
        if sweep.expired:
            log.info("adjustment expiry: %d request(s) expired, %d point(s) released", sweep.expired, sweep.points_released)
        self.sig_swept.emit(sweep)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        log.warning("adjustment expiry failed: %r", error)
        self.sig_failed.emit(error)


def start_standalone_jobs(services: Any, runner: TaskRunner, parent: QObject | None = None, **options: Any) -> StandaloneJobs | None:
    """Starts the standalone desk's jobs; None (nothing started) when the desk syncs with central or
    the services have no adjustments (a build without them)."""
    sync = getattr(services, "sync", None)
    if sync is not None and not sync.standalone:
        return None
    if getattr(services, "adjustments", None) is None:
        return None
    jobs = StandaloneJobs(services, runner, parent, **options)
    jobs.start()
    return jobs
