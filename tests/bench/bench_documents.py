"""Statements and exports (quality.md): a one-year statement with 300 entries as PDF, 1,000
statements in a batch (with progress), and an Excel export of 100,000+ ledger rows with its
peak memory.

- ``statement``: a member with 300 ledger entries over the last 12 months (earnings and
  redemptions), built through the ledger; each sample is ``StatementService.build`` (figures
  from the store, signing) plus ``render`` (the A4 PDF written to disk). The font is
  registered once per process before timing, as in the running application.
- ``statement_batch``: ``run_batch`` over the 1,000 members of a demo store, one PDF each,
  last 12 months, with a progress object counting its calls.
- ``ledger_export``: ``ExportService.export(kind="ledger")`` of every entry of a 25,000-member
  demo store (about 110,000 rows), in a child process; peak memory is that process's peak
  resident set size (``VmHWM`` from ``/proc/self/status``, else ``ru_maxrss``: the whole
  process, interpreter and imports included).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from common import BenchOptions, Row, bench_store, benchmark, percentile, run_measured

TESTS = Path(__file__).resolve().parents[1]
STATEMENT_TARGET_MS = 150.0
BATCH_TARGET_S = 60.0
EXPORT_TARGET_S = 5.0
EXPORT_MEMORY_TARGET_MB = 200.0
EXPORT_MEMBERS = 25_000
BATCH_MEMBERS = 1_000


@benchmark("statement")
def statement(options: BenchOptions) -> list[Row]:
    sys.path.insert(0, str(TESTS))
    from factories import add_branch, add_member, open_store, post_debit, post_earning  # type: ignore[import-not-found]

    from loyalty_desk.documents.fonts import cjk_font
    from loyalty_desk.services.statements.service import StatementService, period_for

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "store", now=datetime(2026, 6, 30, 12, 0))
        try:
            add_branch(store.context)
            member = add_member(store.context, name="欧阳晓明")
            start = date(2025, 7, 1)
            for i in range(300):
                day = start + timedelta(days=i * 364 // 300)
                if i % 6 == 5:
                    post_debit(store.context, member, 200, on=day, details={"reward_code": "TEA", "number": f"R{i:06d}"})
                else:
                    post_earning(store.context, member, 500 + i, on=day, rule=("card_spend", "repayment", "financing")[i % 3])
            service = StatementService(store.context)
            period = period_for("last_12_months", store.context.today())
            cjk_font()
            service.build(member_no=member, period_from=period[0], period_to=period[1])  # creates the signing key once
            samples, entries, pages = [], 0, 0
            for i in range(max(10, min(options.queries, 40))):
                began = time.perf_counter()
                data = service.build(member_no=member, period_from=period[0], period_to=period[1], language="zh_CN")
                path = service.render(data, Path(folder) / f"s{i}.pdf")
                samples.append((time.perf_counter() - began) * 1000)
                entries = data.entry_count
            from pypdf import PdfReader

            pages = len(PdfReader(str(path)).pages)
        finally:
            store.close()
    return [
        Row(f"one-year statement, {entries} entries, {pages} pages: median", percentile(samples, 0.5), "ms", STATEMENT_TARGET_MS),
        Row(f"one-year statement, {entries} entries, {pages} pages: p95", percentile(samples, 0.95), "ms", STATEMENT_TARGET_MS),
    ]


class _Counter:
    def __init__(self) -> None:
        self.calls = 0

    def set_progress(self, done: int, total: int) -> None:
        self.calls += 1

    def set_status(self, text: str) -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


@benchmark("statement_batch")
def statement_batch(options: BenchOptions) -> list[Row]:
    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.services.statements.batch import run_batch
    from loyalty_desk.services.statements.service import period_for

    data_dir = bench_store(BATCH_MEMBERS, seed=options.seed)
    services = build_services(data_dir, upgrade=False)
    try:
        member_nos = services.statements.member_nos(status=None)[:BATCH_MEMBERS]
        period = period_for("last_12_months", services.statements.today())
        progress = _Counter()
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            result = run_batch(progress, service=services.statements, member_nos=member_nos, period_from=period[0], period_to=period[1], out=Path(folder))
            seconds = time.perf_counter() - began
            began = time.perf_counter()
            run_batch(
                _Counter(), service=services.statements, member_nos=member_nos,
                period_from=period[0], period_to=period[1], out=Path(folder) / "all.pdf", combined=True,
            )
            combined = time.perf_counter() - began
    finally:
        services.close()
    return [
        Row(f"{result.statements:,} statements, one PDF each ({progress.calls:,} progress reports)", seconds, "s", BATCH_TARGET_S),
        Row(f"{result.statements:,} statements in one combined PDF", combined, "s", BATCH_TARGET_S),
    ]


_CHILD = r"""
import sys, time
from pathlib import Path
from loyalty_desk.bootstrap import build_services
from loyalty_desk.services.dto import StaffSession
services = build_services(Path(sys.argv[1]), upgrade=False)
session = StaffSession(0, "auditor", "auditor", "auditor", "HQ01", "", "")
began = time.perf_counter()
result = services.exports.export(kind="ledger", session=session, path=sys.argv[2])
seconds = time.perf_counter() - began
services.close()
figures = {"rows": result.rows, "seconds": seconds}
"""


@benchmark("ledger_export")
def ledger_export(options: BenchOptions) -> list[Row]:
    data_dir = bench_store(EXPORT_MEMBERS, seed=options.seed)
    with tempfile.TemporaryDirectory() as folder:
        figures = run_measured(_CHILD, data_dir, Path(folder) / "ledger.xlsx")
    rows = figures["rows"]
    return [
        Row(f"Excel export of {rows:,} ledger rows", figures["seconds"], "s", EXPORT_TARGET_S),
        Row(f"Excel export of {rows:,} ledger rows: peak RSS of the process", figures["peak_kb"] / 1024, "MB", EXPORT_MEMORY_TARGET_MB),
    ]
