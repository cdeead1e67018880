"""A simulation run: the world at central, the desks in threads of this process, the appliers, the
settling, the proof (``docs/sync.md``, "The load simulator").

Each desk is a thread serving customers one after another (``desk.DeskAtCounter.serve``), at
``rate`` customers a minute on average (exponential gaps; 0: as fast as it can), until the run's
minutes are over or the run's operations have been made. Every ``burst_every`` operations made in
all, one member of a region is served at every desk of that region at once (the next customer of
each). A desk goes offline now and then, so that about ``offline_share`` of the desks are offline at
any time, each spell a few of its own operations long. The appliers are ``central run`` processes
of one applier each, started for the run beside it (never threads of this process: behind the
desks' threads and their interpreter lock they fell behind, and the waits measured were this
process's, not central's), or, with ``appliers=0``, ``central run`` processes the operator started.
With ``probe_every``, one more desk of the run, in a process of its own, times an online redemption
every that many seconds while the load runs (``probe.py``): what an officer at a branch PC waits for.
With ``desks_nice``, the desks' threads serve at that CPU niceness: a bank's branch PCs do not take
central's processors, and on one machine the simulated desks would otherwise take most of them.
Afterwards every desk comes back online and syncs until nothing waits anywhere, and the proof counts
(``proof.py``), the probe's operations with the others'.
"""

from __future__ import annotations

import math
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from loyalty_desk.services.passwords import SIMULATION, profile_in_use
from loyalty_desk.simulation.desk import DeskAtCounter
from loyalty_desk.simulation.probe import CounterProbe, ProbeJob
from loyalty_desk.simulation.proof import DeskFacts, Proof, count
from loyalty_desk.simulation.world import World, build_world, new_prefix
from loyalty_desk.store.db import make_engine
from loyalty_desk.sync.staging import STAGING_MARK, is_staging

OFFLINE_SPELL = (3, 15)  # a spell offline, in the desk's own operations
SETTLE_ROUNDS = 40


class NotStaging(Exception):
    pass


@dataclass(frozen=True)
class SimulationOptions:
    desks: int = 5
    minutes: float | None = None
    operations: int | None = None  # stop after this many operations made in all (instead of minutes)
    seed: int = 1
    offline_share: float = 0.1
    rate: float = 6.0  # customers a minute at each desk; 0: as fast as the desk goes
    desks_per_region: int = 5
    members_per_desk: int = 50
    balance: int = 200_000
    burst_every: int = 40
    appliers: int = 2
    confirmed_only: bool = False  # approvals and reversals only of what central has confirmed (desk.py)
    desk_url: str | None = None  # how desks reach central (a pooler), default the run's URL
    read_url: str | None = None  # a streaming replica (or a pooler in front of one) the desks pull the feed from
    probe_every: float = 0.0  # seconds between the counter probe's timed online redemptions (probe.py); 0: no probe
    desks_nice: int = 0  # the desks' threads at this CPU niceness while they serve (Linux), so central and the probe come first
    prefix: str | None = None
    work_dir: Path | None = None


@dataclass
class SimulationResult:
    proof: Proof
    world: World
    seconds: float
    settle_seconds: float
    counter_refusals: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    tracebacks: dict[str, str] = field(default_factory=dict)
    offline_made: int = 0
    offline_spells: int = 0
    bursts: int = 0
    settled: bool = True
    counter_waits: list[float] = field(default_factory=list)  # the counter probe's redemptions started and answered while the load ran, seconds
    desks_nice: int = 0
    counter_made_here: list[float] = field(default_factory=list)  # of each of those, the seconds making it at the desk, before the push
    counter_states: Counter[str] = field(default_factory=Counter)  # their states at the counter: confirmed, rejected, waiting

    @property
    def holds(self) -> bool:
        return self.proof.holds


def require_staging(url: str, understood: bool) -> None:
    """Refuses unless the database carries the staging mark and the operator said they understand it writes."""
    if not is_staging(url):
        raise NotStaging(
            f"this central is not marked as staging (its database comment has no '{STAGING_MARK}'): the simulator writes branches, staff, "
            "members and operations into it. Mark a staging central with 'loyalty-desk central init --staging --url URL'."
        )
    if not understood:
        raise NotStaging("the simulator writes into the staging central: pass --i-understand-this-writes")


class _Stop:
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


def simulate(url: str, options: SimulationOptions, *, understood: bool, say: Callable[[str], None] = print) -> SimulationResult:
    """A run on a staging central. Its staff passwords are hashed, and its desks sign their staff in,
    under the light hash profile ``SIMULATION`` (``services/passwords.py``: t=1, 8 MiB instead of t=3,
    64 MiB), switched on for the run only and put back when it ends: production never uses it."""
    require_staging(url, understood)
    if options.minutes is None and options.operations is None:
        raise ValueError("a run needs minutes or operations")
    with profile_in_use(SIMULATION):
        return _simulate(url, options, say)


def _simulate(url: str, options: SimulationOptions, say: Callable[[str], None]) -> SimulationResult:
    folder = options.work_dir or Path(tempfile.mkdtemp(prefix="loyalty-simulate-"))
    owned = options.work_dir is None
    prefix = options.prefix or new_prefix()
    say(f"Run {prefix}: {options.desks} desk(s) in {folder}")
    probing = options.probe_every > 0
    world = build_world(url, prefix=prefix, desks=options.desks + probing, desks_per_region=options.desks_per_region,
                        members_per_desk=options.members_per_desk, balance=options.balance, desk_url=options.desk_url, progress=say)
    desks: list[DeskAtCounter] = []
    appliers: list[tuple[subprocess.Popen[bytes], Path]] = []
    probe: CounterProbe | None = None
    try:
        for i, desk in enumerate(world.desks[:options.desks]):
            counter = DeskAtCounter(world, desk, folder / desk.name, seed=options.seed * 100_003 + i, confirmed_only=options.confirmed_only,
                                    read_url=options.read_url)
            desks.append(counter)
            counter.join()
        say(f"{len(desks)} desk(s) joined and signed in")
        if probing:
            probe_desk = world.desks[-1]
            probe = CounterProbe(ProbeJob(world, probe_desk, folder / probe_desk.name, options.seed * 100_003 + options.desks, options.probe_every,
                                          options.read_url, folder / "counter-probe.report"))
            probe.start()
            say(f"The counter probe ({probe_desk.name}) joined: an online redemption every {options.probe_every:g} s, timed")
        appliers = start_appliers(url, options.appliers, folder)
        started, load_began = time.monotonic(), time.time()
        bursts = _serve(desks, options)
        seconds, load_ended = time.monotonic() - started, time.time()
        if probe is not None:
            probe.stop()
        say(f"Desks stopped after {seconds:,.0f} s; settling")
        settle_started = time.monotonic()
        settled = _settle(url, desks, prefix, options.read_url)
        probed = probe.report() if probe is not None else None
        settle_seconds = time.monotonic() - settle_started
        facts = [
            DeskFacts(d.name, d.tally.made, d.tally.effect_here, d.outbox(), d.exception_reasons(), d.balances()) for d in desks
        ]
        if probed is not None and probed.facts is not None:
            facts.append(probed.facts)
        proof = count(url, facts)
        result = SimulationResult(proof, world, seconds, settle_seconds, bursts=bursts, settled=settled and (probed is None or probed.settled),
                                  desks_nice=options.desks_nice)
        if probed is not None:
            answered = probed.during(load_began, load_ended)
            result.counter_waits = [sample.seconds for sample in answered]
            result.counter_made_here = [sample.here for sample in answered]
            result.counter_states.update(sample.state for sample in answered)
            result.counter_refusals.update(probed.refused)
            result.errors.update(probed.errors)
            for what, trace in probed.tracebacks.items():
                result.tracebacks.setdefault(what, trace)
        for d in desks:
            result.counter_refusals.update(d.tally.refused)
            result.errors.update(d.tally.errors)
            for what, trace in d.tally.tracebacks.items():
                result.tracebacks.setdefault(what, trace)
            result.offline_made += d.tally.offline_made
            result.offline_spells += d.tally.offline_spells
        for process, log in appliers:
            if process.poll() is not None:
                result.errors["central run"] += 1
                result.tracebacks.setdefault("central run", log.read_text(errors="replace"))
        return result
    finally:
        if probe is not None:
            probe.close()
        for d in desks:
            d.close()
        stop_appliers(appliers)
        if owned:
            shutil.rmtree(folder, ignore_errors=True)


def start_appliers(url: str, count: int, folder: Path) -> list[tuple[subprocess.Popen[bytes], Path]]:
    """``count`` ``central run`` processes of one applier each, beside the caller's threads and never behind
    their interpreter lock; what each says on stderr goes to a log in ``folder``. ``stop_appliers`` ends them."""
    command = [sys.executable, "-m", "loyalty_desk", "central", "run", "--url", url, "--workers", "1"]
    folder.mkdir(parents=True, exist_ok=True)
    started = []
    for number in range(count):
        log = folder / f"central-run-{number}.log"
        with log.open("wb") as errors:
            started.append((subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors), log))
    return started


def stop_appliers(appliers: list[tuple[subprocess.Popen[bytes], Path]]) -> None:
    for process, _ in appliers:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # central run finishes its batch and stops on an interrupt
    for process, _ in appliers:
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _serve(desks: list[DeskAtCounter], options: SimulationOptions) -> int:
    stop = _Stop(options)
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


def _settle(url: str, desks: list[DeskAtCounter], prefix: str, read_url: str | None = None) -> bool:
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
