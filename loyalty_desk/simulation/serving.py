"""How the simulator's desks serve and settle, in whichever process holds them (``run.py``: this
process; ``group.py``: a process of its own for a group of regions)."""

from __future__ import annotations

import math
import os
import queue
import random
import threading
import time

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from loyalty_desk.simulation.desk import DeskAtCounter
from loyalty_desk.simulation.options import SimulationOptions
from loyalty_desk.store.db import make_engine

OFFLINE_SPELL = (3, 15)  # a spell offline, in the desk's own operations
SETTLE_ROUNDS = 40


class Stop:
    """When the run is over: its minutes passed, or its operations made."""

    def __init__(self, options: SimulationOptions) -> None:
        self._deadline = time.monotonic() + options.minutes * 60 if options.minutes else math.inf
        self._wanted = options.operations
        self._made = 0
        self._lock = threading.Lock()
        self.event = threading.Event()

    def take(self) -> int | None:
        """A number for the next operation, or None when the run is over."""
        with self._lock:
            if self.event.is_set() or (self._wanted is not None and self._made >= self._wanted) or time.monotonic() >= self._deadline:
                self.event.set()
                return None
            self._made += 1
            return self._made


def serve(desks: list[DeskAtCounter], options: SimulationOptions) -> int:
    """Serves customers at ``desks`` (a thread each) until the run is over (``Stop``); returns the bursts made."""
    stop = Stop(options)
    regions: dict[int, list[int]] = {}
    for i, desk in enumerate(desks):
        regions.setdefault(desk.region.index, []).append(i)
    hot: list[queue.SimpleQueue[str]] = [queue.SimpleQueue() for _ in desks]
    burst_random = random.Random(options.seed)
    bursts = [0]
    mean_spell = sum(OFFLINE_SPELL) / 2
    share = min(max(options.offline_share, 0.0), 0.9)
    offline_chance = share / (mean_spell * (1 - share)) if share else 0.0

    def burst(number: int) -> None:
        if options.burst_every and number % options.burst_every == 0:
            region = burst_random.choice(sorted(regions))
            member = burst_random.choice(desks[regions[region][0]].region.members)
            for i in regions[region]:
                hot[i].put(member)
            bursts[0] += 1

    def work(i: int) -> None:
        thread = threading.get_native_id()
        if options.desks_nice > os.getpriority(os.PRIO_PROCESS, thread):
            os.setpriority(os.PRIO_PROCESS, thread, options.desks_nice)  # this thread only, on Linux
        desk = desks[i]
        pace = random.Random(options.seed * 7919 + i)
        while True:
            number = stop.take()
            if number is None:
                return
            burst(number)
            try:
                member = hot[i].get_nowait()
            except queue.Empty:
                member = None
            desk.serve(member_no=member, offline_chance=offline_chance, offline_length=OFFLINE_SPELL)
            if options.rate and stop.event.wait(pace.expovariate(options.rate / 60.0)):
                return

    threads = [threading.Thread(target=work, args=(i,), name=f"desk-{i}", daemon=True) for i in range(len(desks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return bursts[0]


def settle(url: str, desks: list[DeskAtCounter], prefix: str, read_url: str | None = None) -> bool:
    """Every desk back online, then rounds until two rounds in a row bring no desk a verdict or a change
    and central has none of their operations unapplied (with a replica: and the replica had replayed,
    when the round ended, everything the primary had written when it began). True when then nothing
    waits at any desk and no desk's pull is stuck (a stuck desk: the proof shows what it holds differently)."""
    for desk in desks:
        if desk.offline:
            desk.come_back()
    engine = make_engine(url, pool_size=1)
    replica = make_engine(replica_as_owner(url, read_url), pool_size=1) if read_url else None
    try:
        quiet = 0
        stuck = waiting = 0
        for _ in range(SETTLE_ROUNDS):
            written = _wal_position(engine, "pg_current_wal_lsn()") if replica is not None else None
            moved = stuck = 0
            for desk in desks:
                desk_moved, desk_stuck = desk.settling_round()
                moved += desk_moved
                stuck += desk_stuck
            with engine.connect() as connection:
                unapplied = int(connection.scalar(
                    text("SELECT count(*) FROM inbound_operation WHERE status = 'received' AND desk LIKE :p"), {"p": f"%{prefix}%"}
                ) or 0)
            behind = replica is not None and _wal_position(replica, "pg_last_wal_replay_lsn()") < (written or 0)
            waiting = sum(desk.waiting() for desk in desks)
            quiet = quiet + 1 if moved == 0 and unapplied == 0 and not behind else 0
            if quiet >= 2:
                break
            if unapplied or behind:
                time.sleep(0.2)  # the appliers (or the replica) are working: give them the time of one batch
        return quiet >= 2 and waiting == 0 and stuck == 0
    finally:
        engine.dispose()
        if replica is not None:
            replica.dispose()


def replica_as_owner(url: str, read_url: str) -> str:
    """The replica of ``read_url`` (host, port, database) under the run's own login (``url``'s): a physical replica has its roles."""
    owner, given = make_url(url), make_url(read_url)
    return owner.set(host=given.host, port=given.port, database=given.database or owner.database).render_as_string(hide_password=False)


def _wal_position(engine: Engine, function: str) -> int:
    """A WAL position as a number of bytes (``pg_current_wal_lsn()`` at the primary, ``pg_last_wal_replay_lsn()`` at a replica)."""
    with engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT {function} - '0/0'::pg_lsn")) or 0)
