"""The monthly points liability roll-forward (quality.md: ≤ 1 s) on a demo store.

- ``liability``: ``LiabilityService.build`` for the last complete month over every branch (opening
  from the lots at the month's start, the month's entries by kind, the lots at its end, 12 months
  of expiry, 24 months of breakage), signed in as the demo auditor; then ``produce`` with the
  workbook and the PDF written.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from common import BenchOptions, Row, bench_store, benchmark, percentile

ROLL_FORWARD_TARGET_S = 1.0
SAMPLES = 3


@benchmark("liability")
def liability(options: BenchOptions) -> list[Row]:
    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo.staff import DEMO_PASSWORD

    services = build_services(bench_store(options.members))
    try:
        session = services.auth.sign_in(username="auditor", password=DEMO_PASSWORD)
        today = date.today()
        month = date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)
        samples = []
        for _ in range(SAMPLES):
            began = time.perf_counter()
            report = services.liability.build(month=month, session=session)
            samples.append(time.perf_counter() - began)
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            services.liability.produce(month=month, session=session, xlsx=Path(folder) / "l.xlsx", pdf=Path(folder) / "l.pdf")
            produced = time.perf_counter() - began
    finally:
        services.close()
    label = f"monthly liability roll-forward, {options.members:,} members, {'reconciled' if report.reconciled else 'NOT reconciled'}"
    return [
        Row(f"{label}: median", percentile(samples, 0.5), "s", ROLL_FORWARD_TARGET_S),
        Row("monthly liability with its workbook and PDF written", produced, "s"),
    ]
