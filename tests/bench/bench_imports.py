"""Importing a large transaction file: peak memory and time of ``import transactions`` of a
50 MB CSV into a copy of a demo store, in a child process each.

Two files of about 50 MB (``LOYALTY_BENCH_IMPORT_MB`` changes the size; the target stays), rows
of card spend with amounts, financing, branch events and surveys dated over the last 300 days,
every transaction id new:

- ``wide``: every row also has a ``note`` column of 400-480 characters (a bank export's
  description; the import ignores the column but the reader checks it), about 95,000 rows;
  imported for the members of the ``IMPORT_MEMBERS``-member demo store and posted in full.
  Posting runs the earning rules row by row (a few ms a row on an idle machine), so a file of
  850,000 narrow rows would post for over an hour; this one finishes in minutes.
- ``narrow``: about 850,000 rows of ~60 bytes for member numbers the store does not have: the
  whole stream is read, checked, spooled and refused, and the error workbook lists all 850,000
  rows. This is the reading side of the narrow file at full size.

Each import runs in a child process on a copy of the benchmark store (the one in ``/tmp`` stays
as built). Peak memory is the child's peak resident set size (``VmHWM`` from
``/proc/self/status``, else ``ru_maxrss``): the whole process, interpreter, SQLAlchemy and the
store's page cache included.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

from common import BenchOptions, Row, bench_store, benchmark, run_measured

IMPORT_MEMBERS = 1_000
IMPORT_FILE_MB = float(os.environ.get("LOYALTY_BENCH_IMPORT_MB", "50"))
IMPORT_MEMORY_TARGET_MB = 200.0
SOURCES = ("card_spend", "card_spend", "card_spend", "financing", "branch_event", "survey")

_CHILD = r"""
import sys, time
from pathlib import Path
from loyalty_desk.bootstrap import build_services
from loyalty_desk.services.audit import Actor
services = build_services(Path(sys.argv[1]), upgrade=False)
began = time.perf_counter()
report = services.imports.import_transactions(path=Path(sys.argv[2]), actor=Actor(username="bench", desk="bench"))
seconds = time.perf_counter() - began
services.close()
figures = {"rows": report.rows_read, "valid": report.rows_valid, "posted": report.posted,
           "problems": len(report.problems) + report.more_problems, "seconds": seconds}
"""


def write_transaction_file(path: Path, member_nos: list[str], megabytes: float, *, seed: int, note: bool) -> int:
    """A transaction CSV of about ``megabytes`` (with a long ``note`` column when ``note``); returns its rows."""
    rng = random.Random(seed)
    today = date.today()
    limit = int(megabytes * 1024 * 1024)
    rows = 0
    words = ["交易", "说明", "网点", "消费", "商户", "分期", "还款", "card", "purchase", "merchant", "terminal", "branch"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("txn_id", "member_no", "date", "source", "amount", "product", "due_date", "original_txn_id") + (("note",) if note else ()))
        while handle.tell() < limit:
            for _ in range(1000):
                source = rng.choice(SOURCES)
                amount = f"{rng.randint(100, 500_000) / 100:.2f}" if source in ("card_spend", "financing") else ""
                product = "FIN-HM" if source == "financing" and rng.random() < 0.3 else ("CARD" if source == "card_spend" else "")
                day = today - timedelta(days=rng.randint(1, 300))
                row = (f"BENCH{rows:010d}", rng.choice(member_nos), day.isoformat(), source, amount, product, "", "")
                if note:
                    text = ""
                    while len(text) < rng.randint(400, 480):
                        text += rng.choice(words) + " "
                    row += (text[:480],)
                writer.writerow(row)
                rows += 1
    return rows


def _import(source_dir: Path, member_nos: list[str] | None, *, note: bool, seed: int) -> tuple[int, float, dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "store"
        shutil.copytree(source_dir, data_dir)
        if member_nos is None:
            with sqlite3.connect(next(data_dir.glob("*.sqlite3"))) as connection:
                member_nos = [row[0] for row in connection.execute("SELECT member_no FROM member WHERE status = 'active'")]
        feed = Path(folder) / "feed.csv"
        rows = write_transaction_file(feed, member_nos, IMPORT_FILE_MB, seed=seed, note=note)
        size_mb = feed.stat().st_size / (1024 * 1024)
        figures = run_measured(_CHILD, data_dir, feed)
    return rows, size_mb, figures


@benchmark("transaction_import")
def transaction_import(options: BenchOptions) -> list[Row]:
    source_dir = bench_store(IMPORT_MEMBERS, seed=options.seed)
    rows, size_mb, wide = _import(source_dir, None, note=True, seed=options.seed)
    if not wide["posted"] or wide["valid"] != rows or wide["problems"]:
        raise RuntimeError(f"the benchmark file did not import cleanly: {wide}")
    unknown = ["M1000000008"]  # a valid number no member of the store has
    narrow_rows, narrow_mb, narrow = _import(source_dir, unknown, note=False, seed=options.seed)
    if narrow["posted"] or narrow["problems"] != narrow_rows:
        raise RuntimeError(f"the refused file was not refused row by row: {narrow}")
    return [
        Row(f"import of a {size_mb:.0f} MB transaction CSV ({rows:,} rows with a note column), all posted", wide["seconds"], "s"),
        Row("same import: peak RSS of the process", wide["peak_kb"] / 1024, "MB", IMPORT_MEMORY_TARGET_MB),
        Row(f"{narrow_mb:.0f} MB transaction CSV of {narrow_rows:,} rows, every row checked and refused, error workbook of all", narrow["seconds"], "s"),
        Row("same refusal: peak RSS of the process", narrow["peak_kb"] / 1024, "MB", IMPORT_MEMORY_TARGET_MB),
    ]
