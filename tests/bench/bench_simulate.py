"""The 200-desk load run: ``central simulate`` (``loyalty_desk/simulation``) through PgBouncer.

``LOYALTY_BENCH_SIM_DESKS`` desks (default 200) in threads of this process, each with its own store of
its region's members (5 desks a region, 50 members a desk), serving customers for
``LOYALTY_BENCH_SIM_MINUTES`` (default 10) at ``LOYALTY_BENCH_SIM_RATE`` customers a minute each
(default 0: as fast as each desk goes) with the simulator's mix (redemptions, referral registrations,
adjustment requests and approvals, reversals, exception decisions), bursts (one member at every desk
of a region at once) and ``LOYALTY_BENCH_SIM_OFFLINE`` (default 0.1) of the desks offline at any
time. Every desk connection goes through a PgBouncer in transaction pooling started for the run
(``default_pool_size`` 20, ``max_db_connections`` ``LOYALTY_BENCH_SIM_MAX_DB``, default 20); two
``central run`` appliers sit beside the database (direct, LISTEN). When a streaming replica can be
made (``tests/pg_servers.start_replicated_pair``: ``initdb``, ``pg_basebackup -R``; not with
``LOYALTY_BENCH_SIM_REPLICA=0``), central is a database on that pair's primary and the desks pull the
change feed from the replica through a second PgBouncer in front of it (``--read-url``) while they
push through the first; otherwise central is on the test server and the feed comes from it. A sampler
reads ``SHOW POOLS`` twice a second. ``LOYALTY_BENCH_SIM_CONFIRMED_ONLY=1`` keeps approvals and reversals to what central
has confirmed (``--confirmed-only``). The figures are the simulator's proof (lost and applied twice
must be 0, every desk equal to central), the pooler's peak server connections, and the counter
probe's online redemptions (``simulation/probe.py``: one more desk in a process of its own, every
``LOYALTY_BENCH_SIM_PROBE_EVERY`` seconds, default 3; 0: none), p50 and p95 against the 100 ms target.
``LOYALTY_BENCH_SIM_DESKS_NICE`` (default 0) runs the desks' threads at that CPU niceness, so that the
appliers, the database and the probe come first, as when the desks are machines of their own.
``LOYALTY_BENCH_SIM_DESK_PROCESSES`` (default 1) spreads the desks over that many processes, whole regions each.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: pg_servers

import psycopg  # noqa: E402
from bench_sync import ONLINE_P95_TARGET_MS, _Central  # noqa: E402
from common import BenchOptions, Row, benchmark  # noqa: E402
from pg_servers import Missing  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402


@benchmark("simulate_200")
def bench_simulate_200(options: BenchOptions) -> list[Row]:
    from pg_servers import start_pgbouncer

    from loyalty_desk.simulation.proof import percentile
    from loyalty_desk.simulation.run import SimulationOptions, simulate
    from loyalty_desk.sync.staging import mark_staging

    desks = int(os.environ.get("LOYALTY_BENCH_SIM_DESKS", "200"))
    minutes = float(os.environ.get("LOYALTY_BENCH_SIM_MINUTES", "10"))
    rate = float(os.environ.get("LOYALTY_BENCH_SIM_RATE", "0"))
    offline = float(os.environ.get("LOYALTY_BENCH_SIM_OFFLINE", "0.1"))
    cap = int(os.environ.get("LOYALTY_BENCH_SIM_MAX_DB", "20"))
    confirmed_only = os.environ.get("LOYALTY_BENCH_SIM_CONFIRMED_ONLY", "") == "1"
    probe_every = float(os.environ.get("LOYALTY_BENCH_SIM_PROBE_EVERY", "3"))
    desks_nice = int(os.environ.get("LOYALTY_BENCH_SIM_DESKS_NICE", "0"))
    desk_processes = int(os.environ.get("LOYALTY_BENCH_SIM_DESK_PROCESSES", "1"))
    central: _Central | _ReplicatedCentral
    replica_bouncer = None
    if os.environ.get("LOYALTY_BENCH_SIM_REPLICA", "1") == "1":
        try:
            central = _ReplicatedCentral()
        except Missing as error:
            print(f"simulate_200: no replica ({error}): the desks pull the feed from central", file=sys.stderr)
            central = _Central()
    else:
        central = _Central()
    server = make_url(central.url)
    bouncer = start_pgbouncer(server.host or "127.0.0.1", server.port or 5432, pool_size=20, max_db_connections=cap)
    read_url = None
    if isinstance(central, _ReplicatedCentral):
        replica_bouncer = start_pgbouncer("127.0.0.1", central.pair.replica_port, pool_size=20, max_db_connections=cap)
        read_url = f"postgresql://127.0.0.1:{replica_bouncer.port}/{central.name}"  # each desk reads under its own login
    stop = threading.Event()
    peak = {"server": 0, "clients": 0, "waiting": 0, "replica": 0}

    def connections(pools: list[dict[str, object]]) -> int:
        return sum(int(str(p[k])) for p in pools for k in ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"))

    def sample() -> None:
        while not stop.wait(0.5):
            pools = [p for p in bouncer.pools() if p["database"] == central.name]
            peak["server"] = max(peak["server"], connections(pools))
            peak["clients"] = max(peak["clients"], sum(int(p["cl_active"]) + int(p["cl_waiting"]) for p in pools))
            peak["waiting"] = max(peak["waiting"], sum(int(p["cl_waiting"]) for p in pools))
            if replica_bouncer is not None:
                peak["replica"] = max(peak["replica"], connections([p for p in replica_bouncer.pools() if p["database"] == central.name]))

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        mark_staging(central.url)
        if isinstance(central, _ReplicatedCentral):
            central.pair.wait_replayed()
        load_before = os.getloadavg()
        sampler.start()
        result = simulate(
            central.url,
            SimulationOptions(desks=desks, minutes=minutes, seed=options.seed, offline_share=offline, rate=rate, appliers=2,
                              desk_url=bouncer.url_for(central.url), read_url=read_url, work_dir=central.folder / "desks",
                              confirmed_only=confirmed_only, probe_every=probe_every, desks_nice=desks_nice,
                              desk_processes=desk_processes),
            understood=True, say=lambda line: print(line, file=sys.stderr, flush=True),
        )
        stop.set()
        sampler.join()
        load_after = os.getloadavg()
        proof = result.proof
        for what, trace in result.tracebacks.items():
            print(f"simulate_200: {what}\n{trace}", file=sys.stderr)
        for line in proof.lost_examples + proof.differences:
            print(f"simulate_200: {line}", file=sys.stderr)
        refused = ", ".join(f"{reason} {n}" for reason, n in proof.refused.most_common(6))
        waits, states = result.counter_waits, ", ".join(f"{k} {v:,}" for k, v in result.counter_states.most_common())
        probe_rows = [
            Row(f"online redemption at the counter probe (a desk in its own process, every {probe_every:g} s while the load ran: made at the desk, "
                f"pushed, applied, verdict back; {len(waits):,} timed: {states}), {figure}", percentile(waits, share) * 1000, "ms", target)
            for figure, share, target in (("p50", 0.5, None), ("p95", 0.95, ONLINE_P95_TARGET_MS))
        ] + [
            Row(f"  of which {step}, {figure}", percentile(values, share) * 1000, "ms")
            for step, values in (("making it at the desk (its own store, before the push)", result.counter_made_here),
                                 ("the push to central", result.counter_pushes),
                                 ("central, from receiving it to its verdict (central's clock)", result.counter_at_central)) if values
            for figure, share in (("p50", 0.5), ("p95", 0.95))
        ] if waits else []
        feed = "the feed from a streaming replica through its own PgBouncer" if read_url else "the feed from central"
        if desk_processes > 1:
            feed += f", the desks in {result.desk_processes} processes"
        if desks_nice:
            feed += f", the desks' threads at niceness {desks_nice}"
        return [
            Row(f"{desks} desks through PgBouncer (transaction pooling, {cap} server connections at most), {feed}, {minutes:g} min, "
                f"{offline:.0%} offline: operations made", proof.total_made, "ops"),
            Row("operations made per second (each online one pushed and its verdict awaited)", proof.total_made / result.seconds, "ops/s"),
            Row("applied exactly once at central", proof.applied, "ops"),
            Row(f"refused with a reason in the desks' exceptions queues ({refused or 'none'})", sum(proof.refused.values()), "ops"),
            Row("lost (neither applied once nor refused with a reason)", proof.total_lost, "ops", 0),
            Row("applied twice", proof.applied_twice, "ops", 0),
            Row("desks whose balances differ from central's", len(proof.desks_differing), "desks", 0),
            Row("failures raised by the desks' code", sum(result.errors.values()), "failures"),
            Row("operations made offline", result.offline_made, f"ops ({result.offline_spells} spells)"),
            Row("bursts (one member at every desk of a region at once)", result.bursts, "bursts"),
            *[Row(f"redemption wait, made at the desk to applied at central, {figure}, {which} ({len(waits):,} redemptions)", value, "s")
              for which, waits in (("all", proof.redemption_waits), ("made online", proof.online_redemption_waits)) if waits
              for figure, value in (("p50", percentile(waits, 0.5)), ("p95", percentile(waits, 0.95)), ("max", max(waits)))],
            *probe_rows,
            Row("settling after the desks stopped" + ("" if result.settled else " (did NOT settle)"), result.settle_seconds, "s"),
            Row("peak server connections for the database (SHOW POOLS)", peak["server"], "connections", cap),
            Row("peak client connections active or waiting / waiting", peak["clients"], f"connections ({peak['waiting']} waiting)"),
            *([Row("peak server connections at the replica (SHOW POOLS of its PgBouncer)", peak["replica"], "connections", cap)]
              if read_url else []),
            Row(f"load average before / after (1 min): {load_before[0]:.1f} / {load_after[0]:.1f}", load_after[0], "load"),
        ]
    finally:
        stop.set()
        bouncer.stop()
        if replica_bouncer is not None:
            replica_bouncer.stop()
        central.drop()


class _ReplicatedCentral:
    """A central database on a primary of the bench's own with a streaming hot-standby replica (both
    stopped and removed by ``drop``)."""

    def __init__(self) -> None:
        from pg_servers import start_replicated_pair

        from loyalty_desk.sync.central import init_central

        self.pair = start_replicated_pair()
        try:
            self.name = f"ld_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(self.pair.primary_url(), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            self.url = self.pair.primary_url(self.name)
            init_central(self.url)
            self.folder = Path(tempfile.mkdtemp(prefix="ld-bench-sim-"))
        except BaseException:
            self.pair.stop()
            raise

    def drop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.pair.stop()
