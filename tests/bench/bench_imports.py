"""Importing a large transaction file: peak memory and time of ``import transactions`` of a
50 MB CSV into a copy of a demo store.

- ``transaction_import``: a CSV of about 50 MB (``IMPORT_FILE_MB``; some 700,000 rows: card
  spend with amounts, financing, branch events and surveys for the members of a
  ``IMPORT_MEMBERS``-member demo store, dated over the last 300 days, every transaction id
  new) is imported by ``ImportService.import_transactions`` in a child process, into a copy
  of the benchmark store (the store in ``/tmp`` stays as built). Peak memory is the child's
  peak resident set size (``VmHWM`` from ``/proc/self/status``, else ``ru_maxrss``): the
  whole process, interpreter, SQLAlchemy and the store's page cache included.
  ``LOYALTY_BENCH_IMPORT_MB`` makes the file smaller or larger (the target stays).
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from common import BenchOptions, Row, bench_store, benchmark

IMPORT_MEMBERS = 1_000
IMPORT_FILE_MB = float(os.environ.get("LOYALTY_BENCH_IMPORT_MB", "50"))
IMPORT_MEMORY_TARGET_MB = 200.0
SOURCES = ("card_spend", "card_spend", "card_spend", "financing", "branch_event", "survey")

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from loyalty_desk.bootstrap import build_services
from loyalty_desk.services.audit import Actor
services = build_services(Path(sys.argv[1]), upgrade=False)
began = time.perf_counter()
report = services.imports.import_transactions(path=Path(sys.argv[2]), actor=Actor(username="bench", desk="bench"))
seconds = time.perf_counter() - began
services.close()
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # ru_maxrss survives exec (it may be the parent's); VmHWM is this process's own high-water mark
    peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({"rows": report.rows_read, "posted": report.rows_posted, "problems": len(report.problems), "seconds": seconds, "peak_kb": peak_kb}))
"""


def write_transaction_file(path: Path, member_nos: list[str], megabytes: float, *, seed: int) -> int:
    """A valid transaction CSV of about ``megabytes``; returns its rows."""
    rng = random.Random(seed)
    today = date.today()
    limit = int(megabytes * 1024 * 1024)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("txn_id", "member_no", "date", "source", "amount", "product", "due_date", "original_txn_id"))
        while handle.tell() < limit:
            for _ in range(1000):
                source = rng.choice(SOURCES)
                amount = f"{rng.randint(100, 500_000) / 100:.2f}" if source in ("card_spend", "financing") else ""
                product = "FIN-HM" if source == "financing" and rng.random() < 0.3 else ("CARD" if source == "card_spend" else "")
                day = today - timedelta(days=rng.randint(1, 300))
                writer.writerow((f"BENCH{rows:010d}", rng.choice(member_nos), day.isoformat(), source, amount, product, "", ""))
                rows += 1
    return rows


@benchmark("transaction_import")
def transaction_import(options: BenchOptions) -> list[Row]:
    source_dir = bench_store(IMPORT_MEMBERS, seed=options.seed)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "store"
        shutil.copytree(source_dir, data_dir)
        store = next(data_dir.glob("*.sqlite3"))
        with sqlite3.connect(store) as connection:
            member_nos = [row[0] for row in connection.execute("SELECT member_no FROM member WHERE status = 'active'")]
        feed = Path(folder) / "feed.csv"
        rows = write_transaction_file(feed, member_nos, IMPORT_FILE_MB, seed=options.seed)
        size_mb = feed.stat().st_size / (1024 * 1024)
        out = subprocess.run([sys.executable, "-c", _CHILD, str(data_dir), str(feed)], check=True, capture_output=True, text=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    if figures["posted"] != rows or figures["problems"]:
        raise RuntimeError(f"the benchmark file did not import cleanly: {figures}")
    return [
        Row(f"import of a {size_mb:.0f} MB transaction CSV ({rows:,} rows)", figures["seconds"], "s"),
        Row(f"import of a {size_mb:.0f} MB transaction CSV: peak RSS of the process", figures["peak_kb"] / 1024, "MB", IMPORT_MEMORY_TARGET_MB),
    ]
