"""quality.md "Reliability" items that concern sync, against a real PostgreSQL server."""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import threading
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sync_support import HANDLERS, ROUTES, Desk, central_balances, central_scalar, new_desk, seed_central

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.store.models import LedgerEntry, Operation, Outbox
from loyalty_desk.sync.applier import Applier, default_jobs
from loyalty_desk.sync.central_run import run_forever
from loyalty_desk.sync.desk_settings import DeskSettings
from loyalty_desk.sync.kill_points import KILL_ENV

# each test runs against central directly and through PgBouncer in transaction pooling (conftest.py)
pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("central_route", ROUTES, indirect=True)]
HERE = Path(__file__).resolve().parent
PROC = str(HERE / "desk_proc.py")


def _assert_central_invariants(url: str) -> None:
    """Central: every balance equals its entries and its lots; nothing negative."""
    bad = central_scalar(
        url,
        "SELECT count(*) FROM member m WHERE m.posted_balance <> (SELECT coalesce(sum(points),0) FROM ledger_entry e WHERE e.member_id = m.id) "
        "OR m.posted_balance <> (SELECT coalesce(sum(remaining),0) FROM lot l WHERE l.member_id = m.id) OR m.posted_balance < 0",
    )
    assert bad == 0


def _desk_matches_central(desk: Desk, url: str) -> None:
    central = central_balances(url)
    assert desk.balances() == central
    with desk.context.uow() as uow:
        for member_id in [m.id for m in uow.ledger.session.query(__import__("loyalty_desk.store.models", fromlist=["Member"]).Member)]:
            assert uow.ledger.sum_entries(member_id) == uow.ledger.sum_lot_remaining(member_id) == uow.members.get(member_id).posted_balance


def _sync_idle(desks: list[Desk], applier: Applier, rounds: int = 3) -> None:
    for _ in range(rounds):
        for desk in desks:
            desk.sync.desk.push()
        applier.drain()
        for desk in desks:
            desk.sync.desk.sync_once(wait=0.5)


# 2 ---------------------------------------------------------------------------------------------


def test_operation_and_outbox_row_are_atomic(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    try:
        def fail_after_outbox(uow: object, operation: object) -> None:
            raise RuntimeError("injected failure between the outbox row and the commit")

        desk.runner.on_committed_locally(fail_after_outbox)
        operation_id = str(uuid.uuid4())
        with pytest.raises(RuntimeError):
            desk.debit(member_no, 1000, operation_id=operation_id)
        with desk.database.read_sessions() as session:
            assert session.get(Operation, operation_id) is None
            assert session.get(Outbox, operation_id) is None
            assert session.query(LedgerEntry).filter(LedgerEntry.operation_id == operation_id).count() == 0
        assert desk.balance(member_no) == 5000
        assert desk.sync.status().waiting == 0
    finally:
        desk.close()


# 3 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("times", [1, 2, 3])
def test_pushing_the_same_batch_again_changes_nothing(central_url: str, desk_prefix: str, tmp_path: Path, times: int) -> None:
    members = seed_central(central_url, [5000, 3000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, HANDLERS)
    try:
        ids = [desk.debit(members[0], 1000).operation_id, desk.debit(members[1], 500).operation_id, desk.debit(members[0], 700).operation_id]
        for attempt in range(times):
            report = desk.sync.desk.push(ids)
            assert report.sent + report.already_there == 3 and report.refused == 0
            if attempt < times - 1:  # the acknowledgement was "lost": the desk will send the batch again
                with desk.database.write_sessions() as session:
                    for row in session.query(Outbox):
                        row.pushed_at = None
                    session.commit()
            applier.drain()
        assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation") == 3
        assert central_scalar(central_url, "SELECT count(*) FROM ledger_entry WHERE kind = 'redeem'") == 3
        assert central_balances(central_url) == {members[0]: 3300, members[1]: 2500}
        desk.sync.desk.sync_once(wait=1.0)
        _desk_matches_central(desk, central_url)
        _assert_central_invariants(central_url)
    finally:
        applier.close()
        desk.close()


def test_same_operation_id_with_another_payload_is_refused(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, HANDLERS)
    try:
        operation_id = desk.debit(member_no, 1000).operation_id
        with pytest.raises(DomainError) as refused:  # at the desk: same id, other payload
            desk.debit(member_no, 2000, operation_id=operation_id)
        assert refused.value.code == "operation.payload_mismatch"
        # at central: the id is already held with another payload (the desk's own login inserts it)
        desk_url = desk.sync.settings.central_url
        with psycopg.connect(make_url(desk_url).set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
            connection.execute(
                "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, offline, status) "
                "VALUES (%s, current_user, 'test_debit', %s, 'other-digest', 'x', false, 'received')",
                (operation_id, json.dumps({"member_no": member_no, "points": 4000})),
            )
        report = desk.sync.desk.push()
        assert report.refused == 1
        (exception,) = desk.sync.exceptions()
        assert exception.reason_code == "operation.payload_mismatch"
        assert desk.balance(member_no) == 5000  # reversed locally, never dropped
    finally:
        applier.close()
        desk.close()


# 4 ---------------------------------------------------------------------------------------------


def _run(args: list[str], *, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop(KILL_ENV, None)
    if kill_at:
        env[KILL_ENV] = kill_at
    return subprocess.run([sys.executable, PROC, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_desk_killed_at_each_stage_of_a_push_loses_nothing_and_posts_nothing_twice(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    seed = int(os.environ.get("LOYALTY_DESK_SYNC_SEED", random.randrange(1 << 30)))
    iterations = int(os.environ.get("LOYALTY_DESK_SYNC_KILL_ITERATIONS", "20"))
    print(f"kill test seed {seed} (LOYALTY_DESK_SYNC_SEED={seed} to replay), {iterations} iterations")
    rng = random.Random(seed)
    members = seed_central(central_url, [10_000_000] * 3)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    data_dir = desk.data_dir
    applier = Applier(central_url, HANDLERS)
    made: list[str] = []
    try:
        for iteration in range(iterations):
            stage = rng.choice(["before_send", "after_commit", "after_ack"])
            for _ in range(rng.randint(1, 3)):
                made.append(desk.debit(rng.choice(members), rng.randint(1, 500)).operation_id)
            killed = _run(["push", str(data_dir)], kill_at=stage)
            assert killed.returncode == -9, f"iteration {iteration} ({stage}): {killed.stderr[-2000:]}"
            if rng.random() < 0.5:
                applier.drain()
            restarted = _run(["sync", str(data_dir)])
            assert restarted.returncode == 0, restarted.stderr[-2000:]
        applier.drain()
        desk.sync.desk.sync_once(wait=1.0)
        posted = central_scalar(central_url, "SELECT count(*) FROM ledger_entry WHERE kind = 'redeem'")
        assert posted == len(made) == central_scalar(central_url, "SELECT count(DISTINCT entry_uid) FROM ledger_entry WHERE kind = 'redeem'")
        assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'posted'") == len(made)
        assert desk.sync.status().waiting == 0 and desk.sync.status().exceptions == 0
        _desk_matches_central(desk, central_url)
        _assert_central_invariants(central_url)
    finally:
        applier.close()
        desk.close()


# 5 ---------------------------------------------------------------------------------------------


def test_desks_redeeming_the_same_member_at_once_never_go_below_zero(central_url: str, central_route: str, desk_prefix: str, tmp_path: Path) -> None:
    n, balance, each = 6, 10_000, 3_000
    (member_no,) = seed_central(central_url, [balance])
    desks = [new_desk(central_url, tmp_path / f"d{i}", f"{desk_prefix}_d{i}") for i in range(n)]
    for desk in desks:
        desk.close()
    stop = threading.Event()
    appliers = threading.Thread(
        target=run_forever, args=(central_url, HANDLERS),
        kwargs={"workers": 2, "stop": stop, "jobs_every": 1e9, "listen": central_route == "direct"}, daemon=True,
    )
    appliers.start()
    try:
        procs = [
            subprocess.Popen(
                [sys.executable, PROC, "redeem", str(d.data_dir), member_no, str(each)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for d in desks
        ]
        for proc in procs:  # all desks open before any redeems
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err[-2000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        stop.set()
        appliers.join(30)
    outcomes = sorted(r["outcome"] for r in results)
    assert all(r["status"] == "posted" for r in results)  # each desk saw the full balance locally
    assert outcomes.count("accepted") == balance // each
    assert outcomes.count("rejected") == n - balance // each
    assert {r["code"] for r in results if r["outcome"] == "rejected"} == {"balance.insufficient"}
    assert central_balances(central_url)[member_no] == balance - (balance // each) * each
    _assert_central_invariants(central_url)


# 6 + 12 ----------------------------------------------------------------------------------------


def _go_offline(desk: Desk) -> DeskSettings:
    real = desk.sync.desk.settings
    desk.sync.desk.close()
    desk.sync.desk.settings = DeskSettings(make_url(real.central_url).set(port=1).render_as_string(hide_password=False), real.desk)
    assert "offline" in desk.sync.sync_once()
    assert desk.sync.is_offline()
    return real


def _go_online(desk: Desk, real: DeskSettings) -> None:
    desk.sync.desk.close()
    desk.sync.desk.settings = real


def test_two_offline_desks_spending_the_same_points(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [30_000])
    a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, HANDLERS)
    try:
        real_a, real_b = _go_offline(a), _go_offline(b)
        limit = a.context.rules.redemption.offline_daily_limit_points
        assert limit == 20_000
        handed_out = 0
        for desk in (a, b):
            outcome = desk.debit(member_no, 15_000)
            assert outcome.status == "posted"
            handed_out += 15_000
        with pytest.raises(DomainError) as over:
            a.debit(member_no, 6_000)  # 21,000 offline today at desk a: over the limit
        assert over.value.code == "redeem.offline_limit" and over.value.params["left"] == 5_000
        a.debit(member_no, 5_000)
        handed_out += 5_000
        assert a.sync.status().state == "offline" and a.sync.status().waiting == 2
        assert "offline" in a.sync.sync_once()  # a failed push: the waiting operations back off...
        with a.database.read_sessions() as session:
            assert all(row.next_attempt_at is not None for row in session.query(Outbox))
        _go_online(a, real_a)
        _go_online(b, real_b)
        _sync_idle([a, b], applier)  # ...and still go at once when central answers again
        central = central_balances(central_url)[member_no]
        assert central >= 0
        overspend = handed_out - 30_000
        assert 0 < overspend <= limit
        exceptions = a.sync.exceptions() + b.sync.exceptions()
        assert exceptions, "the losing operation must be in an exceptions queue"
        assert {e.reason_code for e in exceptions} == {"balance.insufficient"}
        rejected = central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'rejected'")
        assert rejected == len(exceptions)
        assert central_scalar(central_url, "SELECT bool_and(offline) FROM inbound_operation") is True  # the offline fact reached central
        for desk in (a, b):
            _desk_matches_central(desk, central_url)
        _assert_central_invariants(central_url)
    finally:
        applier.close()
        a.close()
        b.close()


def test_after_all_desks_synced_every_desk_balance_equals_central(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    seed = int(os.environ.get("LOYALTY_DESK_SYNC_SEED", random.randrange(1 << 30)))
    print(f"convergence test seed {seed}")
    rng = random.Random(seed)
    members = seed_central(central_url, [rng.randint(0, 20_000) for _ in range(8)])
    desks = [new_desk(central_url, tmp_path / f"d{i}", f"{desk_prefix}_d{i}") for i in range(3)]
    applier = Applier(central_url, HANDLERS)
    offline: dict[int, DeskSettings] = {}
    try:
        for _ in range(60):
            i = rng.randrange(len(desks))
            desk = desks[i]
            action = rng.random()
            if action < 0.1 and i not in offline:
                offline[i] = _go_offline(desk)
            elif action < 0.2 and i in offline:
                _go_online(desk, offline.pop(i))
            elif action < 0.35:
                desk.sync.sync_once(wait=0.1)
            elif action < 0.45:
                applier.apply_batch(rng.randint(1, 5))
            else:
                with contextlib.suppress(DomainError):
                    desk.debit(rng.choice(members), rng.randint(1, 6_000))
        for i, real in list(offline.items()):
            _go_online(desks[i], real)
        _sync_idle(desks, applier)
        for desk in desks:
            assert desk.sync.status().waiting == 0
            _desk_matches_central(desk, central_url)
        _assert_central_invariants(central_url)
    finally:
        applier.close()
        for desk in desks:
            desk.close()


# 7 ---------------------------------------------------------------------------------------------


def test_change_feed_never_misses_a_row_committed_late(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    seed_central(central_url, [100])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    dsn = make_url(central_url).set(drivername="postgresql").render_as_string(hide_password=False)
    early, slow = psycopg.connect(dsn), psycopg.connect(dsn)
    try:
        insert = "INSERT INTO branch (code, name_zh, name_en, is_head_office) VALUES (%s, %s, %s, false)"
        early.execute("SELECT pg_current_xact_id()")  # older transaction, no row yet
        slow.execute(insert, ("LATE", "迟", "Late"))  # newer transaction: takes the smaller feed seq, commits last
        early.execute(insert, ("EARLY", "早", "Early"))
        early.commit()
        desk.sync.desk.pull()
        codes = lambda: {b.code for b in desk.context.uow().__enter__().reference.branches()}  # noqa: E731
        assert "EARLY" in codes() and "LATE" not in codes()  # still running: held back, not skipped
        slow.commit()
        desk.sync.desk.pull()
        assert {"EARLY", "LATE"} <= codes()
        # the hard case really happened: the late row's seq is below a row the desk had already been served
        late = early.execute("SELECT seq FROM change_feed WHERE entity = 'branch' AND payload->>'code' = 'LATE'").fetchone()[0]
        first = early.execute("SELECT seq FROM change_feed WHERE entity = 'branch' AND payload->>'code' = 'EARLY'").fetchone()[0]
        assert late < first
    finally:
        early.close()
        slow.close()
        desk.close()


def test_a_row_changed_last_by_the_older_of_two_transactions_reaches_the_desk_as_it_was_committed_last(
    central_url: str, desk_prefix: str, tmp_path: Path
) -> None:
    """Two posters updating one row (a campaign's budget, a member's balance): the older transaction
    waits for the newer one's row lock and commits last, yet its feed row sorts first by txid."""
    seed_central(central_url, [100])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    dsn = make_url(central_url).set(drivername="postgresql").render_as_string(hide_password=False)
    older, newer = psycopg.connect(dsn), psycopg.connect(dsn)
    rename = "UPDATE branch SET name_en = %s WHERE is_head_office"
    try:
        older_txid = older.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()[0]
        newer.execute(rename, ("Renamed by the newer",))
        newer_txid = newer.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()[0]
        newer.commit()
        older.execute(rename, ("Renamed by the older, last",))
        older.commit()
        assert older_txid < newer_txid
        desk.sync.desk.pull()
        with desk.context.uow() as uow:
            assert [b.name_en for b in uow.reference.branches() if b.is_head_office] == ["Renamed by the older, last"]
        # the feed stays append-only for everybody else
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            older.execute("DELETE FROM change_feed WHERE entity = 'branch'")
    finally:
        older.close()
        newer.close()
        desk.close()


# 8 ---------------------------------------------------------------------------------------------


def test_operations_applied_by_appliers_side_by_side_post_once(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    members = seed_central(central_url, [1_000_000] * 4)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    try:
        ids = [desk.debit(members[i % 4], 10).operation_id for i in range(200)]
        desk.sync.desk.push()
    finally:
        desk.close()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work() -> None:
        applier = Applier(central_url, HANDLERS, batch=7)
        try:
            barrier.wait()
            applier.drain()
        except BaseException as error:
            errors.append(error)
        finally:
            applier.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert central_scalar(central_url, "SELECT count(*) FROM ledger_entry WHERE kind = 'redeem'") == len(ids)
    assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'posted'") == len(ids)
    assert set(central_balances(central_url).values()) == {1_000_000 - 500}
    _assert_central_invariants(central_url)


def test_the_same_operation_applied_twice_at_once_posts_once(central_url: str) -> None:
    (member_no,) = seed_central(central_url, [5000])
    from loyalty_desk.services.context import ServiceContext
    from loyalty_desk.services.operations import OperationRequest, OperationRunner
    from loyalty_desk.services.settings import SettingsService
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory

    database = Database(central_url)
    factory = uow_factory(database)
    runner = OperationRunner(ServiceContext(uow=factory, settings=SettingsService(factory), desk_name="central"), {h.kind: h for h in HANDLERS})
    # as the applier hands it over once its signatures are judged
    request = OperationRequest(str(uuid.uuid4()), "test_debit", {"member_no": member_no, "points": 1000}, origin="x", signatures=())
    barrier = threading.Barrier(2)
    results: list[object] = []

    def apply() -> None:
        barrier.wait()
        try:
            results.append(runner.execute(request))
        except Exception as error:  # the loser may hit the unique operation id
            results.append(error)

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    database.dispose()
    assert central_scalar(central_url, "SELECT count(*) FROM ledger_entry WHERE kind = 'redeem'") == 1
    assert central_balances(central_url)[member_no] == 4000


# 9 ---------------------------------------------------------------------------------------------


def _denied(dsn: str, sql: str) -> bool:
    with psycopg.connect(dsn) as connection:
        try:
            connection.execute(sql)
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.CheckViolation):
            return True
        return False


def test_application_roles_cannot_update_or_delete_ledger_or_audit_rows(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk.debit(member_no, 100)
    desk.sync.desk.push()
    Applier(central_url, HANDLERS).drain()
    admin = make_url(central_url).set(drivername="postgresql")
    desk_dsn = make_url(desk.sync.settings.central_url).set(drivername="postgresql").render_as_string(hide_password=False)
    desk.close()
    applier_role = f"ld_test_applier_{desk_prefix}"
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {applier_role} LOGIN IN ROLE loyalty_applier")
    applier_dsn = admin.set(username=applier_role).render_as_string(hide_password=False)
    try:
        for dsn in (desk_dsn, applier_dsn, admin.render_as_string(hide_password=False)):
            assert _denied(dsn, "UPDATE ledger_entry SET points = points + 1")
            assert _denied(dsn, "DELETE FROM ledger_entry")
            assert _denied(dsn, "UPDATE lot_movement SET points = 0")
            assert _denied(dsn, "UPDATE audit_event SET actor = 'x'")
            assert _denied(dsn, "DELETE FROM audit_event")
            assert _denied(dsn, "DELETE FROM change_feed")
        # a desk: nothing but its own inbound operations and the feed
        assert _denied(desk_dsn, "UPDATE inbound_operation SET status = 'posted'")
        assert _denied(desk_dsn, "DELETE FROM inbound_operation")
        assert _denied(desk_dsn, "UPDATE member SET posted_balance = 1")
        assert _denied(desk_dsn, "SELECT * FROM member")
        assert _denied(desk_dsn, "DELETE FROM operation")
        with psycopg.connect(desk_dsn) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(  # row-level security: not in another desk's name
                "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, offline, status) "
                "VALUES ('x', 'someone_else', 'test_debit', '{}', 'd', 'o', false, 'received')"
            )
        # the applier: projections yes, never below zero, operations not deleted
        assert not _denied(applier_dsn, "UPDATE member SET posted_balance = posted_balance")
        assert _denied(applier_dsn, "UPDATE member SET posted_balance = -1")
        assert _denied(applier_dsn, "DELETE FROM operation")
        assert _denied(applier_dsn, "DELETE FROM lot")
    finally:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f"DROP ROLE IF EXISTS {applier_role}")


# 11 --------------------------------------------------------------------------------------------

_KILLED_EXPIRY = """
import os, signal, sys
from datetime import date
from loyalty_desk.services import expiry
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
expiry.BATCH_MEMBERS = 5
class KillAfterFirstBatch:
    def set_status(self, text): pass
    def is_cancelled(self): return False
    def set_progress(self, done, total):
        os.kill(os.getpid(), signal.SIGKILL)
database = Database(sys.argv[1])
factory = uow_factory(database)
context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name="central")
expiry.ExpiryService(context).run(as_of=date.fromisoformat(sys.argv[2]), progress=KillAfterFirstBatch())
"""


def test_central_jobs_killed_midway_and_rerun_post_nothing_twice(central_url: str) -> None:
    members = seed_central(central_url, [100 + i for i in range(23)], earned_on=date(2020, 1, 15))
    today = date.today()
    killed = subprocess.run([sys.executable, "-c", _KILLED_EXPIRY, central_url, today.isoformat()], capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert central_scalar(central_url, "SELECT count(*) FROM ledger_entry WHERE kind = 'expire'") == 5
    appliers = [Applier(central_url, HANDLERS) for _ in range(3)]
    barrier = threading.Barrier(3)
    ran: list[list[str]] = []

    def jobs(applier: Applier) -> None:
        barrier.wait()
        ran.append(applier.run_jobs(today))

    threads = [threading.Thread(target=jobs, args=(a,)) for a in appliers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(name for r in ran for name in r) == sorted(default_jobs())  # each job by one applier, once:
    assert central_scalar(central_url, "SELECT count(*) FROM ledger_entry WHERE kind = 'expire'") == len(members)
    assert central_scalar(central_url, "SELECT count(DISTINCT member_id) FROM ledger_entry WHERE kind = 'expire'") == len(members)
    assert appliers[0].run_jobs(today) == []  # the day's run is finished
    assert set(central_balances(central_url).values()) == {0}
    _assert_central_invariants(central_url)
    for applier in appliers:
        applier.close()
