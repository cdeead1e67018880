"""Sync against a loopback PostgreSQL: online redemption round trip, applier throughput, pulls.

* online redemption p95: the desk's local write (the real ``RedemptionService.redeem`` of a
  catalogue voucher through ``RedeemHandler``) + push + central apply (one ``central run`` worker
  woken by NOTIFY, running the same ``RedeemHandler``) + the verdict read back;
* applier throughput with 1, 2 and 4 applier processes on pre-loaded inbound ``test_debit``
  operations, a diagnostic of the applier's own overhead (the headline, the real mix of desk
  operations, is ``bench_applier_mix``), spread over 2,000 members, each signed by the desk's supervisor and verified by the applier
  before its handler runs (``docs/security.md``), and as a ratio to ``pgbench`` (TPC-B-like, as
  many clients) run on the same server in the same run;
* a 10,000-change pull into a desk that is up to date otherwise;
* a fresh desk loading ``--members`` members (default 1,000,000) from central's feed.

The server is ``LOYALTY_DESK_BENCH_PG`` or ``LOYALTY_DESK_TEST_PG`` (default
``postgresql://postgres@127.0.0.1:5432/test``); a database is created and dropped per run.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: sync_support

import psycopg  # noqa: E402
from common import BenchOptions, Row, benchmark, percentile  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

ONLINE_P95_TARGET_MS = 100.0
THROUGHPUT_TARGET = 2000.0
LOAD_TARGET_S = 30.0
PULL_TARGET_S = 1.0


def _server() -> str:
    return os.environ.get("LOYALTY_DESK_BENCH_PG") or os.environ.get("LOYALTY_DESK_TEST_PG") or "postgresql://postgres@127.0.0.1:5432/test"


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class _Central:
    def __init__(self) -> None:
        from loyalty_desk.sync.central import init_central

        self.name = f"ld_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(_dsn(_server()), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.url = make_url(_server()).set(database=self.name).render_as_string(hide_password=False)
        init_central(self.url)
        self.folder = Path(tempfile.mkdtemp(prefix="ld-bench-sync-"))

    def drop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        with psycopg.connect(_dsn(_server()), autocommit=True) as admin:
            roles = [r[0] for r in admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (f"ld_desk_{self.name[9:]}%",))]
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            for role in roles:
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')

    def desk(self, suffix: str):
        from sync_support import new_desk

        return new_desk(self.url, self.folder / suffix, f"{self.name[9:]}_{suffix}")

    def bulk_members(self, count: int, *, first: int = 0) -> None:
        """``count`` members straight into central (the feed trigger records each)."""
        with psycopg.connect(_dsn(self.url), autocommit=True) as connection:
            branch = connection.execute("SELECT id FROM branch ORDER BY id LIMIT 1").fetchone()[0]
            step = 100_000
            for start in range(first, first + count, step):
                end = min(start + step, first + count)
                connection.execute(
                    "INSERT INTO member (member_no, kind, name, name_pinyin, id_type, id_number, mobile, mobile_last4, branch_id, status, tier, "
                    "joined_on, profile_bonus_given, posted_balance, held_points, created_at) "
                    "SELECT 'X' || lpad(i::text, 10, '0'), 'person', '会员' || i, 'huiyuan ' || i, 'passport', 'P' || i, "
                    "'139' || lpad(i::text, 8, '0'), right(lpad(i::text, 8, '0'), 4), %s, 'active', 'standard', DATE '2024-01-01', false, 0, 0, "
                    "now() AT TIME ZONE 'UTC' FROM generate_series(%s::bigint, %s::bigint) AS i",
                    (branch, start, end - 1),
                )


REDEEM_REWARD = "VCH-DIDI30"  # a voucher of the demo catalogue: 3,000 points, no stock, no yearly limit


def _seed_rewards(url: str) -> object:
    """The demo catalogue on central; the supervisor's session (the officer at the counter)."""
    from datetime import date

    from sync_support import BRANCH

    from loyalty_desk.demo.catalogue import seed_catalogue
    from loyalty_desk.services.dto import StaffSession
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory

    database = Database(url)
    try:
        with uow_factory(database)(write=True) as uow:
            seed_catalogue(uow, date.today())
            uow.commit()
            staff = uow.staff.by_username("sup1")
            assert staff is not None
            return StaffSession(staff.id, staff.username, staff.display_name, staff.role, BRANCH, "总行", "Head office")
    finally:
        database.dispose()


def _online_redemption(central: _Central, samples: int) -> list[Row]:
    """The real redemption: ``RedemptionService.redeem`` at the desk (``RedeemHandler``: staff, branch,
    member lock, reward rules, lots debited, redemption row, audit event, operation and outbox rows),
    push, one ``central run`` worker applying the same ``RedeemHandler`` (woken by NOTIFY), verdict."""
    from sync_support import seed_central

    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.services.redemption.service import RedemptionService
    from loyalty_desk.sync.central_run import run_forever

    members = seed_central(central.url, [100_000] * (samples + 10))  # one redemption each: at most 3 per member in 24 h
    session = _seed_rewards(central.url)
    desk = central.desk("online")
    redemption = RedemptionService(desk.context, desk.runner)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_forever, args=(central.url, operation_handlers()), kwargs={"workers": 1, "stop": stop, "jobs_every": 1e9}, daemon=True
    )
    worker.start()
    times: list[float] = []
    try:
        for i in range(samples + 10):
            started = time.perf_counter()
            operation_id = redemption.new_operation_id()
            receipt = redemption.redeem(operation_id=operation_id, session=session, member_no=members[i % len(members)], reward_code=REDEEM_REWARD)
            verdict = desk.sync.confirm(operation_id, wait=5.0)
            elapsed = (time.perf_counter() - started) * 1000
            assert receipt.points == 3_000 and verdict is not None and verdict.outcome == "accepted", verdict
            if i >= 10:  # warm-up
                times.append(elapsed)
    finally:
        stop.set()
        worker.join(10)
        desk.close()
    return [
        Row("online redemption p95 (RedeemHandler: local write + push + central apply + confirmation)", percentile(times, 0.95), "ms", ONLINE_P95_TARGET_MS),
        Row("online redemption p50", percentile(times, 0.50), "ms"),
    ]


def _load_inbound(central: _Central, count: int, members: list[str], *, kind: str = "test_debit") -> None:
    """``count`` received operations spread over ``members``: ``test_debit`` of 1 point, or ``redeem``
    (the real ``RedeemHandler``) of one ``REDEEM_REWARD`` voucher at the head office; each signed by
    the desk's supervisor as the desk signs it (``sync_support.signed_row``), from desk ``bench``."""
    from datetime import timedelta

    from sync_support import central_staff_key, register_test_desk, signed_row

    from loyalty_desk.services.clock import utc_now

    def payload(member_no: str) -> dict[str, object]:
        if kind == "redeem":
            return {"member_no": member_no, "reward_code": REDEEM_REWARD, "qty": 1, "points": 3_000, "branch_code": "B001"}
        return {"member_no": member_no, "points": 1}

    register_test_desk(central.url, "bench")
    key = central_staff_key(central.url, "sup1")
    received = utc_now()
    made_at = received - timedelta(seconds=1)
    rows = [signed_row(key, kind, payload(members[i % len(members)]), desk="bench", made_at=made_at) for i in range(count)]
    with psycopg.connect(_dsn(central.url), autocommit=True) as connection:
        connection.execute("TRUNCATE inbound_operation")
        columns = "operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, signatures, status, received_at"
        with connection.cursor() as cursor, cursor.copy(f"COPY inbound_operation ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((row["id"], "bench", kind, row["payload"], row["digest"], "bench", row["staff"], False, row["made_at"],
                                row["signatures"], "received", received))


def _drain_process(url: str, start_at: float, real: bool = False) -> None:
    from sync_support import HANDLERS

    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.sync.applier import Applier

    applier = Applier(url, operation_handlers() if real else HANDLERS)  # the batch size `central run` uses
    applier.apply_batch(1)  # connect and warm up before the start
    time.sleep(max(0.0, start_at - time.time()))
    applier.drain()
    applier.close()


def _run_appliers(central: _Central, workers: int, *, real: bool = False) -> tuple[float, int, int]:
    """(operations per second from the common start to the last verdict, posted, rejected), warm-ups excluded."""
    from datetime import UTC, datetime

    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 3.0
    processes = [context.Process(target=_drain_process, args=(central.url, start_at, real)) for _ in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    start = datetime.fromtimestamp(start_at, UTC).replace(tzinfo=None)
    with psycopg.connect(_dsn(central.url)) as connection:
        posted, rejected, last, waiting = connection.execute(
            "SELECT count(*) FILTER (WHERE status = 'posted' AND applied_at >= %(s)s), count(*) FILTER (WHERE status = 'rejected' AND applied_at >= %(s)s), "
            "max(applied_at), count(*) FILTER (WHERE status = 'received') FROM inbound_operation",
            {"s": start},
        ).fetchone()
    assert waiting == 0, waiting
    seconds = max((last - start).total_seconds(), 1e-6)
    return (posted + rejected) / seconds, posted, rejected


def _throughput(central: _Central, operations: int) -> tuple[list[Row], dict[int, float]]:
    from sync_support import seed_central

    members = seed_central(central.url, [10_000_000] * 2000)
    rates: dict[int, float] = {}
    for workers in (1, 2, 4):
        _load_inbound(central, operations, members)
        rates[workers], posted, rejected = _run_appliers(central, workers)
        assert posted >= operations - workers and rejected == 0, (posted, rejected, operations)  # the warm-up batches took one each
    # a diagnostic of the applier's own overhead: the headline is the real mix (``bench_applier_mix``)
    rows = [Row(f"applier throughput, diagnostic test_debit (1 point, no rules), signatures verified, {w} worker(s)", rate, "ops/s", better="higher")
            for w, rate in rates.items()]
    # the same with the real RedeemHandler (audit event per redemption: the audit chain is one lock for all appliers)
    _seed_rewards(central.url)
    redeem_ops = int(os.environ.get("LOYALTY_BENCH_REDEEM_OPS", "2000"))  # at most 3 redemptions per member in 24 h: 2,000 members
    for workers in (1, 4):
        _load_inbound(central, redeem_ops, members, kind="redeem")
        rate, posted, rejected = _run_appliers(central, workers, real=True)
        assert posted >= redeem_ops - workers and rejected == 0, (posted, rejected, redeem_ops)
        rows.append(Row(f"applier throughput, real RedeemHandler, signatures verified, {workers} worker(s)", rate, "ops/s", better="higher"))
    return rows, rates


def _pgbench(clients: int, seconds: int = 10) -> float | None:
    binary = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if binary is None:
        return None
    name = f"ld_pgbench_{uuid.uuid4().hex[:8]}"
    url = make_url(_server())
    with psycopg.connect(_dsn(_server()), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = [str(binary), "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
        subprocess.run([*base, "-i", "-q", "-s", "10", name], check=True, capture_output=True, timeout=600)
        load = [*base, "-c", str(clients), "-j", str(clients), "-T", str(seconds), name]
        done = subprocess.run(load, check=True, capture_output=True, text=True, timeout=600)
        found = re.search(r"tps = ([0-9.]+)", done.stdout)
        return float(found.group(1)) if found else None
    finally:
        with psycopg.connect(_dsn(_server()), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pull(central: _Central, changes: int) -> list[Row]:
    desk = central.desk("pull")
    try:
        central.bulk_members(changes, first=50_000_000)
        started = time.perf_counter()
        report = desk.sync.desk.pull()
        seconds = time.perf_counter() - started
        assert report.rows >= changes, report
    finally:
        desk.close()
    return [Row(f"pull of {changes:,} changes", seconds, "s", PULL_TARGET_S if changes == 10_000 else None)]


def _initial_load(central: _Central, members: int) -> list[Row]:
    from sync_support import open_desk, seed_central

    seed_central(central.url, [])
    central.bulk_members(members)

    from loyalty_desk.store.db import make_engine
    from loyalty_desk.sync.central import add_desk
    from loyalty_desk.sync.desk_settings import DeskSettings

    engine = make_engine(central.url)
    credentials = add_desk(engine, f"{central.name[9:]}_fresh", branch_code="B001")
    engine.dispose()
    folder = central.folder / "fresh"
    DeskSettings(credentials.url(central.url), credentials.desk).save(folder)
    desk = open_desk(folder)
    try:
        started = time.perf_counter()
        report = desk.sync.desk.pull(page_size=20_000)
        seconds = time.perf_counter() - started
        with desk.context.uow() as uow:
            loaded = uow.ledger.session.execute(__import__("sqlalchemy").text("SELECT count(*) FROM member")).scalar()
        assert loaded >= members, loaded
    finally:
        desk.close()
    return [Row(f"fresh desk loading {members:,} members ({report.rows:,} changes)", seconds, "s", LOAD_TARGET_S if members >= 1_000_000 else None)]


@benchmark("sync")
def bench_sync(options: BenchOptions) -> list[Row]:
    rows: list[Row] = []
    central = _Central()
    try:
        rows += _online_redemption(central, options.queries)
        throughput_rows, rates = _throughput(central, int(os.environ.get("LOYALTY_BENCH_APPLIER_OPS", "6000")))
        rows += throughput_rows
        tps = _pgbench(4)
        if tps:
            rows.append(Row("pgbench TPC-B-like, 4 clients, same server", tps, "tps"))
            rows += [Row(f"applier, diagnostic test_debit ({w} worker(s)) / pgbench", rate / tps, "ratio") for w, rate in rates.items()]
        rows += _pull(central, 10_000)
    finally:
        central.drop()
    load = _Central()
    try:
        rows += _initial_load(load, options.members)
    finally:
        load.drop()
    return rows
