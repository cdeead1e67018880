"""The applier's look-up of queued prerequisites (``Applier._in_desk_order``, ``applier.waiting_prerequisites``).

Each batch asks which of the operations its adjustment decisions and reversals name (an operation id,
or the 13 characters of one a redemption number carries) are still queued at central. Measured on a
real central (``central init``'s schema and indexes) with ``inbound_operation`` holding TOTAL operations
of which WAITING are still ``received``, for 200 references (every operation of a batch naming one:
100 whole ids and 60 13-character starts of queued operations, 40 ids of operations already applied)
and for 25 (the share of decisions and reversals in a batch of the real mix, same proportions). Beside it, the same
look-up as it was before it was keyed on the start of the id (``lower(left(id, length(ref))) = lower(ref)``,
which PostgreSQL could only run as a nested loop over every queued operation), as a diagnostic. The third
size is a backlog after an outage, where a join hashed over every queued operation would be slow too.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: sync_support

from bench_applier_mix import copy_inbound  # noqa: E402
from bench_sync import _Central  # noqa: E402
from common import BenchOptions, Row, benchmark  # noqa: E402

SIZES = ((27_000, 2_000), (210_000, 10_000), (300_000, 100_000))  # (operations in inbound_operation, of which still received)
REFS = (200, 25)
RUNS = 30  # the former look-up: 3 (seconds each on the largest queue)
FORMER = (
    "SELECT p.ref, i.operation_id FROM unnest(CAST(:refs AS text[])) AS p(ref) "
    "JOIN inbound_operation i ON i.status = 'received' AND lower(left(i.operation_id, length(p.ref))) = lower(p.ref)"
)


def load(central: _Central, total: int, waiting: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """``total`` operations, the last ``waiting`` of them still received; returns (waiting ids, applied ids)."""
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(total)]
    received = datetime.now(UTC).replace(tzinfo=None)
    columns = "operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, status, received_at, applied_at"

    def row(position: int, operation_id: str) -> tuple[Any, ...]:
        done = position < total - waiting
        at = received + timedelta(microseconds=position)
        return (operation_id, f"ld_desk_{position % 40}", "redeem", json.dumps({"member_no": "M1"}), "0" * 64, "desk", 1,
                False, at, "posted" if done else "received", at, at if done else None)

    copy_inbound(central, columns, (row(position, operation_id) for position, operation_id in enumerate(ids)), vacuum=True)
    return ids[total - waiting:], ids[:total - waiting]


def _timed(run: object, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


@benchmark("waiting_prerequisites")
def bench_waiting_prerequisites(options: BenchOptions) -> list[Row]:
    from sqlalchemy import text

    from loyalty_desk.store.db import Database
    from loyalty_desk.sync.applier import waiting_prerequisites

    rng = random.Random(options.seed)
    central = _Central()
    rows: list[Row] = []
    try:
        for total, waiting in SIZES:
            queued, applied = load(central, total, waiting, rng)
            for count in REFS:
                picked = rng.sample(queued, count * 8 // 10)
                whole = count // 2
                refs = picked[:whole] + [operation_id[:13] for operation_id in picked[whole:]] + rng.sample(applied, count - len(picked))
                database = Database(central.url)
                try:
                    with database.write_sessions() as session:
                        found = {ref: set(ids) for ref, ids in waiting_prerequisites(session, refs).items()}
                        former: dict[str, set[str]] = {}
                        for ref, operation_id in session.execute(text(FORMER), {"refs": refs}):
                            former.setdefault(ref, set()).add(operation_id)
                        assert found == former and len(found) == len(picked), "the keyed look-up must find what the former one found"
                        now = _timed(lambda: waiting_prerequisites(session, refs))  # noqa: B023
                        before = _timed(lambda: session.execute(text(FORMER), {"refs": refs}).all(), 3)  # noqa: B023
                finally:
                    database.dispose()
                label = f"{count} references, {waiting:,} queued of {total:,} inbound operations"
                rows.append(Row(f"waiting prerequisites look-up, {label}, median", now, "ms"))
                rows.append(Row("  former look-up (prefix compared per pair), same data, median", before, "ms"))
    finally:
        central.drop()
    return rows
