"""Programme results (issue target: all branches over 12 months ≤ 1 s) on a demo store.

- ``results``: ``ResultsService.read`` for the last 12 complete months over every branch and tier,
  signed in as the demo auditor (entries by month, kind and source; members by tier; active members
  of the period and of the 12 months before it and those active in both; redemptions by reward
  category; the referral funnel; campaigns, with each campaign's participants, eligible members and
  their card spend from the spend and participation aggregates); then one branch, then one tier; then
  ``produce`` with the workbook and the PDF written.
- the campaigns' spend comparison alone (``results.campaign_spend``, every branch, 12 months): its share
  of the read above.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from common import BenchOptions, Row, bench_store, benchmark, percentile

RESULTS_TARGET_S = 1.0
SAMPLES = 3


@benchmark("results")
def results(options: BenchOptions) -> list[Row]:
    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo.staff import DEMO_PASSWORD
    from loyalty_desk.domain.dates import add_months

    services = build_services(bench_store(options.members))
    try:
        session = services.auth.sign_in(username="auditor", password=DEMO_PASSWORD)
        this_month = date.today().replace(day=1)
        first, last = add_months(this_month, -12), add_months(this_month, -1)
        scopes = {"every branch and tier": {}, "one branch": {"branch_code": "BJ01"}, "one tier": {"tier": "gold"}}
        timings: dict[str, list[float]] = {}
        for name, scope in scopes.items():
            for _ in range(SAMPLES):
                began = time.perf_counter()
                read = services.results.read(session=session, first_month=first, last_month=last, **scope)
                timings.setdefault(name, []).append(time.perf_counter() - began)
            if name == "every branch and tier":
                figures = f"{read.active:,} active of {read.members:,}, {read.issued:,} issued"
        spend_timings = []
        for _ in range(SAMPLES):
            began = time.perf_counter()
            campaigns = _campaign_spend(services, first, last)
            spend_timings.append(time.perf_counter() - began)
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            services.results.produce(session=session, first_month=first, last_month=last, xlsx=Path(folder) / "r.xlsx", pdf=Path(folder) / "r.pdf")
            produced = time.perf_counter() - began
    finally:
        services.close()
    label = f"programme results, 12 months, {options.members:,} members ({figures})"
    return [
        Row(f"{label}, every branch and tier: median", percentile(timings["every branch and tier"], 0.5), "s", RESULTS_TARGET_S),
        Row("programme results, one branch: median", percentile(timings["one branch"], 0.5), "s"),
        Row("programme results, one tier: median", percentile(timings["one tier"], 0.5), "s"),
        Row("programme results with the workbook and PDF written", produced, "s"),
        Row(f"programme results: the campaigns' spend comparison alone ({campaigns} campaigns), every branch: median",
            percentile(spend_timings, 0.5), "s"),
    ]


def _campaign_spend(services: object, first: date, last: date) -> int:
    from loyalty_desk.domain.dates import last_day_of_month
    from loyalty_desk.services.analytics.results import campaign_spend

    context = services.results._context  # type: ignore[attr-defined]
    with context.uow() as uow:
        branch_ids = {b.code: b.id for b in uow.reference.branches()}
        found = campaign_spend(uow.analytics.results(branch_id=None, tier=None), first, last_day_of_month(last.year, last.month), branch_ids, {})
    return len(found)
