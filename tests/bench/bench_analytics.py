"""The analytics aggregates on a demo store (``python tests/bench/run.py analytics dashboard``):

- ``analytics``: ``AnalyticsService.verify`` (every aggregate key by month against the ledger's
  entries, lots and movements, referrals, adjustment requests and members served, recomputed).
- ``dashboard``: the real ``DashboardScreen`` offscreen, for a branch supervisor (their branch) and
  an auditor (every branch): from ``refresh()`` (what showing the screen calls) to ``sig_loaded``,
  i.e. the read on the task runner's worker, the hand-off and the chart and table filled.
"""

from __future__ import annotations

import os
import sys
import time

from common import BenchOptions, Row, bench_store, benchmark, percentile

VERIFY_TARGET_S = 60.0
DASHBOARD_TARGET_MS = 300.0
SAMPLES = 7


@benchmark("analytics")
def analytics(options: BenchOptions) -> list[Row]:
    from loyalty_desk.bootstrap import build_services

    services = build_services(bench_store(options.members, seed=options.seed), desk_name="bench", upgrade=False)
    try:
        cpu = time.process_time()
        result = services.analytics.verify()
        cpu = time.process_time() - cpu
    finally:
        services.close()
    rows = ", ".join(f"{table} {count:,}" for table, count in result.rows.items())
    verdict = "agree" if result.agrees else f"DIFFER at {len(result.differences)} keys"
    return [
        Row(f"analytics verify, {options.members:,} members ({rows} rows; {verdict})", result.seconds, "s", VERIFY_TARGET_S),
        Row("analytics verify: CPU seconds of this process (SQLite runs in it)", cpu, "s"),
    ]


@benchmark("dashboard")
def dashboard(options: BenchOptions) -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo.staff import DEMO_PASSWORD
    from loyalty_desk.ui.app import prepare_application
    from loyalty_desk.ui.screens.context import ScreenContext
    from loyalty_desk.ui.screens.dashboard.screen import DashboardScreen
    from loyalty_desk.ui.tasks import TaskRunner

    app = QApplication.instance() or prepare_application("en", [sys.argv[0]])
    services = build_services(bench_store(options.members, seed=options.seed), desk_name="bench", upgrade=False)
    runner = TaskRunner()
    rows = []
    try:
        for username, label in (("supervisor.bj1", "a branch supervisor, their branch"), ("auditor", "an auditor, every branch")):
            session = services.auth.sign_in(username=username, password=DEMO_PASSWORD)
            context = ScreenContext(services=services, session=session, runner=runner, settings=None, navigate=lambda *a, **k: None)  # type: ignore[arg-type]
            screen = DashboardScreen(context)
            screen.resize(1280, 800)
            screen.show()
            loaded: list[object] = []
            screen.sig_loaded.connect(loaded.append)
            screen.refresh()
            while not loaded:  # the first read fills the branch choice (head office and auditors)
                QCoreApplication.processEvents()
                time.sleep(0.0005)
            if username == "auditor":
                screen.branch.setCurrentIndex(0)  # every branch
            samples = []
            for _ in range(SAMPLES):
                loaded.clear()
                began = time.perf_counter()
                screen.refresh()
                while not loaded:
                    QCoreApplication.processEvents()
                    time.sleep(0.0005)
                samples.append((time.perf_counter() - began) * 1000)
            assert username != "auditor" or screen.dashboard.branch_code is None
            screen.close()
            rows.append(Row(f"dashboard opened, {options.members:,} members, {label}: median", percentile(samples, 0.5), "ms", DASHBOARD_TARGET_MS))
            rows.append(Row(f"dashboard opened, {label}: max of {SAMPLES}", max(samples), "ms"))
    finally:
        runner.wait_for_done(30_000)
        services.close()
    del app
    return rows
