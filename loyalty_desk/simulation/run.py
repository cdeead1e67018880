"""A simulation run: the world at central, the desks in threads of this process (or, with
``desk_processes``, of several processes, whole regions each: ``group.py``), the appliers, the
settling, the proof (``docs/sync.md``, "The load simulator").

Each desk is a thread serving customers one after another (``desk.DeskAtCounter.serve``, ``serving.py``), at
``rate`` customers a minute on average (exponential gaps; 0: as fast as it can), until the run's
minutes are over or the run's operations have been made (each desk process its share). Every
``burst_every`` operations a desk process makes, one member of one of its regions is served at every
desk of that region at once (the next customer of each). A desk goes offline now and then, so that
about ``offline_share`` of the desks are offline at any time, each spell a few of its own operations
long. The appliers are ``central run`` processes
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

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loyalty_desk.services.passwords import SIMULATION, profile_in_use
from loyalty_desk.simulation.group import DeskGroups
from loyalty_desk.simulation.options import SimulationOptions
from loyalty_desk.simulation.probe import CounterProbe, ProbeJob
from loyalty_desk.simulation.proof import Proof, count
from loyalty_desk.simulation.world import World, build_world, new_prefix
from loyalty_desk.sync.staging import STAGING_MARK, is_staging


class NotStaging(Exception):
    pass


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
    counter_pushes: list[float] = field(default_factory=list)  # of each, the seconds of the push to central
    counter_at_central: list[float] = field(default_factory=list)  # of those central posted, its seconds from receiving it to its verdict
    counter_states: Counter[str] = field(default_factory=Counter)  # their states at the counter: confirmed, rejected, waiting
    desk_processes: int = 1

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
    groups = DeskGroups(url, world, folder, options)
    appliers: list[tuple[subprocess.Popen[bytes], Path]] = []
    probe: CounterProbe | None = None
    try:
        groups.join()
        say(f"{options.desks} desk(s) joined and signed in" + (f", in {groups.processes} processes" if groups.processes > 1 else ""))
        if probing:
            probe_desk = world.desks[-1]
            probe = CounterProbe(ProbeJob(world, probe_desk, folder / probe_desk.name, options.seed * 100_003 + options.desks, options.probe_every,
                                          options.read_url, folder / "counter-probe.report"))
            probe.start()
            say(f"The counter probe ({probe_desk.name}) joined: an online redemption every {options.probe_every:g} s, timed")
        appliers = start_appliers(url, options.appliers, folder)
        started, load_began = time.monotonic(), time.time()
        groups.serve()
        seconds, load_ended = time.monotonic() - started, time.time()
        if probe is not None:
            probe.stop()
        say(f"Desks stopped after {seconds:,.0f} s; settling")
        settle_started = time.monotonic()
        reports = groups.settle()
        probed = probe.report() if probe is not None else None
        settle_seconds = time.monotonic() - settle_started
        done = [r for r in reports if r is not None]
        facts = [f for r in done for f in r.facts] + ([probed.facts] if probed is not None and probed.facts is not None else [])
        proof = count(url, facts)
        settled = len(done) == len(reports) and all(r.settled for r in done) and (probed is None or probed.settled)
        result = SimulationResult(proof, world, seconds, settle_seconds, bursts=sum(r.bursts for r in done), settled=settled,
                                  desks_nice=options.desks_nice, desk_processes=groups.processes)
        if probed is not None:
            answered = probed.during(load_began, load_ended)
            result.counter_waits = [sample.timed.seconds for sample in answered]
            result.counter_made_here = [sample.timed.here for sample in answered]
            result.counter_pushes = [sample.timed.push for sample in answered]
            result.counter_at_central = [proof.central_seconds[s.timed.operation_id] for s in answered if s.timed.operation_id in proof.central_seconds]
            result.counter_states.update(sample.timed.state for sample in answered)
            result.counter_refusals.update(probed.refused)
            result.errors.update(probed.errors)
            for what, trace in probed.tracebacks.items():
                result.tracebacks.setdefault(what, trace)
        for what, tail in groups.failed(reports):
            result.errors[what] += 1
            result.tracebacks.setdefault(what, tail)
        for tally in (t for r in done for t in r.tallies):
            result.counter_refusals.update(tally.refused)
            result.errors.update(tally.errors)
            for what, trace in tally.tracebacks.items():
                result.tracebacks.setdefault(what, trace)
            result.offline_made += tally.offline_made
            result.offline_spells += tally.offline_spells
        for process, log in appliers:
            if process.poll() is not None:
                result.errors["central run"] += 1
                result.tracebacks.setdefault("central run", log.read_text(errors="replace"))
        return result
    finally:
        if probe is not None:
            probe.close()
        groups.close()
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


