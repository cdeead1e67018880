"""``central simulate``: refused on a central not marked as staging; a small run of real desks proves by
counting that every operation was applied once or refused with its reason and every desk equals
central, also with the desks pulling the feed from a streaming replica (``--read-url``) and with the
desks spread over two processes; the counting
itself finds a lost operation, one applied twice, and a desk that differs."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from pg_servers import ReplicatedCentral
from sqlalchemy.engine import make_url
from sync_support import HANDLERS, central_rows, central_scalar, receive_signed, seed_central

from loyalty_desk.cli.main import main
from loyalty_desk.cli.simulate import report
from loyalty_desk.simulation.proof import DeskFacts, count, percentile, wait_line
from loyalty_desk.simulation.run import NotStaging, SimulationOptions, simulate
from loyalty_desk.sync.applier import Applier
from loyalty_desk.sync.protocol import DESK_LOGIN_PREFIX
from loyalty_desk.sync.staging import STAGING_MARK, is_staging, mark_staging

pytestmark = pytest.mark.postgres


def test_a_central_not_marked_as_staging_is_refused_and_nothing_is_written(
    central_url: str, desk_prefix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    command = ["--data-dir", str(tmp_path / "log"), "central", "simulate", "--url", central_url, "--desks", "2", "--operations", "5"]
    assert main([*command, "--i-understand-this-writes"]) == 1
    assert "not marked as staging" in capsys.readouterr().err
    assert not is_staging(central_url)
    assert main(["--data-dir", str(tmp_path / "log"), "central", "init", "--staging", "--url", central_url]) == 0
    assert STAGING_MARK in capsys.readouterr().out and is_staging(central_url)
    assert main(command) == 1  # marked, but the operator did not say they understand it writes
    assert "--i-understand-this-writes" in capsys.readouterr().err
    with pytest.raises(NotStaging):
        simulate(central_url, SimulationOptions(desks=1, operations=1), understood=False)
    assert central_scalar(central_url, "SELECT count(*) FROM branch") == 0
    assert central_scalar(central_url, "SELECT count(*) FROM central_desk") == 0


def test_a_small_run_proves_by_counting_that_nothing_was_lost_or_applied_twice(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    mark_staging(central_url)
    options = SimulationOptions(
        desks=4, desks_per_region=2, operations=80, rate=0, offline_share=0.25, burst_every=8, appliers=1, members_per_desk=10,
        prefix=desk_prefix, work_dir=tmp_path / "desks",
        # approvals and reversals only of what central has confirmed; the whole mix runs in the replica test below
        confirmed_only=True,
    )
    result = simulate(central_url, options, understood=True, say=lambda line: None)
    proof = result.proof
    assert result.settled and not result.errors, result.tracebacks
    assert proof.holds, (proof.lost, proof.lost_examples, proof.differences)
    assert proof.total_lost == 0 and proof.applied_twice == 0 and proof.desks == 4 and not proof.desks_differing
    # every customer served ended as an operation made or a refusal at the counter
    assert proof.total_made + sum(result.counter_refusals.values()) == 80
    assert proof.applied + sum(proof.refused.values()) == proof.total_made
    assert {"redeem", "referral", "adjustment"} <= set(proof.made)
    assert result.offline_made > 0 and result.bursts == 10
    # central's own count of what these desks sent agrees with the proof
    login = f"ld_desk_{desk_prefix}%"
    assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'posted' AND desk LIKE :d", d=login) == proof.applied
    assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'received' AND desk LIKE :d", d=login) == 0
    assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE desk LIKE :d", d=login) <= proof.total_made
    # the redemptions' wait, made at the desk to applied at central: one per redemption applied, as central has them
    waits = [float(row[0]) for row in central_rows(
        central_url, "SELECT extract(epoch FROM applied_at - made_at) FROM inbound_operation "
        "WHERE status = 'posted' AND kind = 'redeem' AND desk LIKE :d", d=login)]
    assert sorted(proof.redemption_waits) == sorted(waits) and waits and all(w >= 0 for w in waits)
    assert 0 < len(proof.online_redemption_waits) <= len(waits)
    p50, p95 = percentile(waits, 0.5), percentile(waits, 0.95)
    assert p50 <= p95 <= max(waits)
    line = next(line for line in report(result) if line.startswith("Redemption wait, made at the desk to applied at central: "))
    assert line.endswith(f"p50 {p50:,.2f} s, p95 {p95:,.2f} s, max {max(waits):,.2f} s ({len(waits):,})")
    assert any(line.startswith("  of those made online: p50 ") for line in report(result))


def test_a_run_with_its_desks_in_two_processes_proves_the_same_by_counting(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    mark_staging(central_url)
    options = SimulationOptions(
        desks=4, desks_per_region=2, operations=60, rate=0, offline_share=0.25, burst_every=6, appliers=1, members_per_desk=10,
        prefix=desk_prefix, work_dir=tmp_path / "desks", confirmed_only=True, desk_processes=2,
    )
    said: list[str] = []
    result = simulate(central_url, options, understood=True, say=said.append)
    proof = result.proof
    assert result.settled and not result.errors, result.tracebacks
    assert proof.holds and proof.desks == 4 and not proof.desks_differing, (proof.lost, proof.lost_examples, proof.differences)
    assert proof.total_lost == 0 and proof.applied_twice == 0
    # each process served its share of the customers (30 each), and its own bursts: every 6th of its customers
    assert proof.total_made + sum(result.counter_refusals.values()) == 60
    assert proof.applied + sum(proof.refused.values()) == proof.total_made
    assert result.bursts == 10 and result.offline_spells > 0
    assert result.desk_processes == 2 and "4 desk(s) joined and signed in, in 2 processes" in said
    assert {path.name for path in (tmp_path / "desks").glob("desk-group-*.log")} == {"desk-group-0.log", "desk-group-1.log"}
    login = f"ld_desk_{desk_prefix}%"
    assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'posted' AND desk LIKE :d", d=login) == proof.applied
    assert next(line for line in report(result) if line.startswith("Run: ")).endswith("2 region(s), in 2 processes")


def test_the_counter_probe_times_online_redemptions_in_its_own_process_and_is_counted_in_the_proof(
    central_url: str, desk_prefix: str, tmp_path: Path,
) -> None:
    mark_staging(central_url)
    options = SimulationOptions(
        desks=2, desks_per_region=2, minutes=0.2, rate=30, offline_share=0, burst_every=0, appliers=1, members_per_desk=10,
        prefix=desk_prefix, work_dir=tmp_path / "desks", confirmed_only=True, probe_every=0.3, desks_nice=5,
    )
    said: list[str] = []
    result = simulate(central_url, options, understood=True, say=said.append)
    proof = result.proof
    assert result.settled and not result.errors, result.tracebacks
    assert proof.holds and proof.desks == 3, (proof.lost, proof.lost_examples, proof.differences)  # the probe's desk is counted
    probe_desk = result.world.desks[-1].name
    assert any(line.startswith(f"The counter probe ({probe_desk}) joined") for line in said)
    # its redemptions were made by a desk of its own and posted at central; those timed while the load ran are some of them
    login = f"{DESK_LOGIN_PREFIX}{probe_desk}"
    posted = central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE desk = :d AND kind = 'redeem' AND status = 'posted'", d=login)
    timed = len(result.counter_waits)
    assert timed >= 5 and sum(result.counter_states.values()) == timed and posted >= result.counter_states["confirmed"] > 0
    assert all(0 < wait < 5.0 for wait in result.counter_waits)  # answered within the counter's wait, never given up on
    assert len(result.counter_made_here) == timed and all(0 < here < wait for here, wait in zip(result.counter_made_here, result.counter_waits, strict=True))
    assert len(result.counter_pushes) == timed
    assert all(0 < here + push < wait for here, push, wait in zip(result.counter_made_here, result.counter_pushes, result.counter_waits, strict=True))
    # central's own step, for each one it posted (the confirmed ones)
    assert len(result.counter_at_central) == result.counter_states["confirmed"] and all(0 <= seconds < 5.0 for seconds in result.counter_at_central)
    line = next(line for line in report(result) if line.startswith("Counter probe, an online redemption made and answered"))
    assert f"({timed:,}); confirmed {result.counter_states['confirmed']:,}" in line
    assert f"the push: {wait_line(result.counter_pushes)}; central, from receiving it to its verdict: {wait_line(result.counter_at_central)}" in line
    assert next(line for line in report(result) if line.startswith("Run: ")).endswith(", the desks at CPU niceness 5")


def test_the_counting_finds_a_lost_operation_one_applied_twice_and_a_desk_that_differs(central_url: str) -> None:
    (member_no,) = seed_central(central_url, [1000])
    posted, rejected = receive_signed(central_url, [("test_debit", {"member_no": member_no, "points": 100}),
                                                    ("test_debit", {"member_no": member_no, "points": 5000})])
    applier = Applier(central_url, HANDLERS)
    try:
        assert applier.drain().total == 2
    finally:
        applier.close()
    fine = DeskFacts(
        "fine", {posted: "test_debit", rejected: "test_debit"}, {posted: (1, -100), rejected: (1, -5000)},
        {posted: ("accepted", None), rejected: ("rejected", "balance.insufficient")}, {rejected: "balance.insufficient"}, {member_no: (900, 0)},
    )
    proof = count(central_url, [fine])
    assert proof.holds and proof.applied == 1 and proof.refused == {"test_debit: balance.insufficient": 1}

    broken = DeskFacts(
        "broken",
        {posted: "test_debit", rejected: "test_debit", "never-sent": "test_debit", "not-queued": "test_debit"},
        {posted: (0, 0)},  # central wrote an entry the desk never did: applied twice
        {posted: ("accepted", None), rejected: ("rejected", "balance.insufficient"), "never-sent": ("accepted", None)},
        {},  # the rejection is in no exceptions queue
        {member_no: (1000, 0)},
    )
    proof = count(central_url, [broken])
    assert not proof.holds
    assert proof.applied_twice == 1
    assert proof.lost == {"rejected (balance.insufficient) without an exception at the desk": 1,
                          "accepted at the desk, never received at central": 1, "never queued at the desk": 1}
    assert proof.desks_differing == ["broken"] and proof.differences == [f"broken {member_no}: desk (1000, 0), central (900, 0)"]


def test_a_run_whose_desks_pull_from_a_replica_holds_with_the_whole_mix(replicated_central: ReplicatedCentral, tmp_path: Path) -> None:
    """``--read-url``: the desks push to the primary and pull the feed from the streaming replica, with
    approvals from the branch's whole queue and reversals of redemptions central has not confirmed."""
    central = replicated_central
    mark_staging(central.url)
    central.pair.wait_replayed()
    prefix = central.name[8:]
    replica = f"postgresql://127.0.0.1:{central.pair.replica_port}/{central.name}"  # each desk reads it under its own login
    readers: list[int] = []

    def watch(line: str) -> None:  # every desk has made its first pull and none is offline yet: how many read from the replica
        if line.endswith("joined and signed in"):
            with psycopg.connect(make_url(central.pair.replica_url()).set(drivername="postgresql").render_as_string(hide_password=False)) as admin:
                row = admin.execute("SELECT count(DISTINCT usename) FROM pg_stat_activity WHERE usename LIKE %s",
                                    (f"{DESK_LOGIN_PREFIX}{prefix}%",)).fetchone()
                readers.append(int(row[0]) if row else 0)

    options = SimulationOptions(
        desks=4, desks_per_region=2, operations=80, rate=0, offline_share=0.25, burst_every=8, appliers=1, members_per_desk=10,
        prefix=prefix, work_dir=tmp_path / "desks", read_url=replica,
    )
    result = simulate(central.url, options, understood=True, say=watch)
    proof = result.proof
    assert result.settled and not result.errors, result.tracebacks
    assert proof.holds, (proof.lost, proof.lost_examples, proof.differences)
    assert proof.total_lost == 0 and proof.applied_twice == 0 and proof.desks == 4 and not proof.desks_differing
    assert proof.applied + sum(proof.refused.values()) == proof.total_made
    assert readers == [4]


def test_a_read_url_that_is_not_a_postgresql_replica_is_refused_before_anything_is_written(
    central_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    mark_staging(central_url)
    command = ["--data-dir", str(tmp_path / "log"), "central", "simulate", "--url", central_url, "--desks", "1", "--operations", "1",
               "--i-understand-this-writes", "--read-url"]
    assert main([*command, "sqlite:///replica.db"]) == 1
    assert "--read-url: the read replica must be a PostgreSQL URL" in capsys.readouterr().err
    assert main([*command, "postgresql://someone@127.0.0.1:5433/central"]) == 1
    assert "each desk reads the replica under its own login" in capsys.readouterr().err
    assert central_scalar(central_url, "SELECT count(*) FROM branch") == 0
