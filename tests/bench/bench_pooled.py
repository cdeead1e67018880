"""Many desks syncing through PgBouncer in transaction pooling (``docs/sync.md``, "Pooled and replica
operation").

``LOYALTY_BENCH_POOLED_DESKS`` desks (default 40), each in a thread of this process with its own
store, redeem a catalogue voucher for their own members (the real ``RedemptionService.redeem``:
``RedeemHandler`` at the desk and at central) and run a sync round after each, for
``LOYALTY_BENCH_POOLED_SECONDS`` (default 60), every connection to central going through a
PgBouncer started for the run (``tests/pg_servers.py``, ``default_pool_size`` 20); two ``central
run`` processes apply beside the database (direct, LISTEN; ``simulation.run.start_appliers``). A sampler reads ``SHOW POOLS`` on
PgBouncer's console twice a second. Afterwards every desk syncs until idle and the figures are:
redemptions made, posted at central, lost (made at a desk and neither posted nor rejected at
central: must be 0), desks whose balances differ from central's (must be 0), and the peak of server
connections PgBouncer held for the database, against the desks' client connections.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: sync_support, pg_servers

from bench_sync import REDEEM_REWARD, _Central, _seed_rewards, _server  # noqa: E402
from common import BenchOptions, Row, benchmark  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

MEMBERS_PER_DESK = 60  # a member may redeem 3 times in 24 hours: 180 redemptions a desk at most


def _desk_loop(desk: Any, session: Any, members: list[str], stop: threading.Event, made: list[str], refused: list[str], errors: list[str]) -> None:
    from loyalty_desk.domain.errors import DomainError
    from loyalty_desk.services.redemption.service import RedemptionService

    redemption = RedemptionService(desk.context, desk.runner)
    turn = 0
    while not stop.is_set() and turn < len(members) * 3:
        operation_id = redemption.new_operation_id()
        try:
            redemption.redeem(operation_id=operation_id, session=session, member_no=members[turn % len(members)], reward_code=REDEEM_REWARD)
            made.append(operation_id)
        except DomainError as error:
            refused.append(error.code)
        turn += 1
        try:
            desk.sync.sync_once(wait=0.2)
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}"[:200])


@benchmark("sync_pooled")
def bench_sync_pooled(options: BenchOptions) -> list[Row]:
    from pg_servers import start_pgbouncer
    from sync_support import central_balances, central_scalar, new_desk, seed_central

    from loyalty_desk.simulation.run import start_appliers, stop_appliers

    desks_wanted = int(os.environ.get("LOYALTY_BENCH_POOLED_DESKS", "40"))
    seconds = float(os.environ.get("LOYALTY_BENCH_POOLED_SECONDS", "60"))
    server = make_url(_server())
    cap = int(os.environ.get("LOYALTY_BENCH_POOLED_MAX_DB", "20"))
    bouncer = start_pgbouncer(server.host or "127.0.0.1", server.port or 5432, pool_size=20, max_db_connections=cap)
    central = _Central()
    desks: list[Any] = []
    appliers: list[Any] = []
    try:
        pooled = bouncer.url_for(central.url)
        members = seed_central(central.url, [1_000_000] * (desks_wanted * MEMBERS_PER_DESK))
        session = _seed_rewards(central.url)
        appliers = start_appliers(central.url, 2, central.folder)
        for i in range(desks_wanted):
            desks.append(new_desk(pooled, central.folder / f"d{i}", f"{central.name[9:]}_d{i}"))
        made: list[list[str]] = [[] for _ in desks]
        refused: list[list[str]] = [[] for _ in desks]
        errors: list[list[str]] = [[] for _ in desks]
        stop = threading.Event()
        peak = {"server": 0, "clients": 0, "waiting": 0}

        def sample() -> None:
            while not stop.wait(0.5):
                pools = [p for p in bouncer.pools() if p["database"] == central.name]
                peak["server"] = max(peak["server"], sum(int(p[k]) for p in pools for k in ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login")))
                peak["clients"] = max(peak["clients"], sum(int(p["cl_active"]) + int(p["cl_waiting"]) for p in pools))
                peak["waiting"] = max(peak["waiting"], sum(int(p["cl_waiting"]) for p in pools))

        sampler = threading.Thread(target=sample, daemon=True)
        threads = [
            threading.Thread(
                target=_desk_loop,
                args=(desk, session, members[i * MEMBERS_PER_DESK:(i + 1) * MEMBERS_PER_DESK], stop, made[i], refused[i], errors[i]),
                daemon=True,
            )
            for i, desk in enumerate(desks)
        ]
        load_before = os.getloadavg()
        started = time.perf_counter()
        sampler.start()
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        sampler.join()
        load_after = os.getloadavg()
        # settle: every desk pushes what waits and pulls until central has nothing more for it
        for _ in range(3):
            for desk in desks:
                desk.sync.sync_once(wait=2.0)
        all_made = [operation_id for ids in made for operation_id in ids]
        def count(sql: str) -> int:
            return int(central_scalar(central.url, sql, ids=all_made))

        posted = count("SELECT count(*) FROM inbound_operation WHERE status = 'posted' AND operation_id = ANY(:ids)")
        rejected = count("SELECT count(*) FROM inbound_operation WHERE status = 'rejected' AND operation_id = ANY(:ids)")
        entries = count("SELECT count(*) FROM ledger_entry WHERE kind = 'redeem' AND operation_id = ANY(:ids)")
        balances = central_balances(central.url)
        differing = sum(
            1 for i, desk in enumerate(desks)
            if {no: balance for no, balance in desk.balances().items() if no in set(members[i * MEMBERS_PER_DESK:(i + 1) * MEMBERS_PER_DESK])}
            != {no: balances[no] for no in members[i * MEMBERS_PER_DESK:(i + 1) * MEMBERS_PER_DESK]}
        )
        error_count = sum(len(e) for e in errors)
        if error_count:
            print(f"sync_pooled: {error_count} round(s) failed, first: {next(e for es in errors for e in es)}", file=sys.stderr)
        return [
            Row(f"{desks_wanted} desks through PgBouncer (transaction pooling, pool 20 a desk, {cap or 'no'} cap on the database's server "
                f"connections): redemptions made in {elapsed:.0f} s", len(all_made), "ops"),
            Row("redemptions per second (each followed by the desk's sync round)", len(all_made) / elapsed, "ops/s"),
            Row("posted at central / rejected", posted, f"ops ({rejected} rejected)"),
            Row("lost (made at a desk, neither posted nor rejected at central)", len(all_made) - posted - rejected, "ops", 0),
            Row("redemption entries at central that are not one per posted redemption", abs(entries - posted), "entries", 0),
            Row("desks whose members' balances differ from central's", differing, "desks", 0),
            Row("peak server connections for the database (SHOW POOLS)", peak["server"], "connections"),
            Row("peak client connections active or waiting / waiting", peak["clients"], f"connections ({peak['waiting']} waiting)"),
            Row("sync rounds that failed", error_count, "rounds"),
            Row(f"load average before / after (1 min): {load_before[0]:.1f} / {load_after[0]:.1f}", load_after[0], "load"),
        ]
    finally:
        for desk in desks:
            desk.close()
        stop_appliers(appliers)
        central.drop()
        bouncer.stop()
