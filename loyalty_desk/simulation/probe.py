"""The counter probe: one more desk of the run, in a process of its own, making a redemption online
every few seconds while the load runs and timing what the officer waits for: the redemption made at
the desk and central's verdict back (``DeskAtCounter.timed_redemption``).

The simulated desks are threads of one process and share its interpreter lock, so what they wait
for is partly each other; a branch's PC is a machine of its own. The probe is one such desk: it
joins, signs in, probes at ``every`` seconds until the run's desks stop, and after the run has
settled it syncs until nothing waits and hands the proof what it holds (``DeskFacts``), so its
operations are counted with everyone's.

The run talks to it as to any part of the run in a process of its own (``child.py``): the job, then
``stop`` (the load is over) and ``settle`` (sync and report). ``python -m loyalty_desk.simulation.probe``
is the process; ``CounterProbe`` starts and ends it.
"""

from __future__ import annotations

import itertools
import pickle
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from loyalty_desk.services.passwords import SIMULATION, profile_in_use
from loyalty_desk.simulation.child import REPORT_WAIT, ChildRun, answer, read_job
from loyalty_desk.simulation.desk import SYNC_EVERY, DeskAtCounter, TimedRedemption
from loyalty_desk.simulation.proof import DeskFacts
from loyalty_desk.simulation.serving import SETTLE_ROUNDS
from loyalty_desk.simulation.world import SimulatedDesk, World

VERDICT_WAIT = 5.0  # seconds the probe waits for central's verdict, as the counter does, before it counts "waiting"


@dataclass(frozen=True)
class ProbeJob:
    world: World
    desk: SimulatedDesk
    folder: Path
    seed: int
    every: float
    read_url: str | None
    report: Path


@dataclass(frozen=True)
class ProbeSample:
    at: float  # when the officer started it (time.time(), the run's clock)
    timed: TimedRedemption


@dataclass
class ProbeReport:
    facts: DeskFacts | None
    samples: list[ProbeSample] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # the counter refused (nothing made), by reason
    errors: dict[str, int] = field(default_factory=dict)
    tracebacks: dict[str, str] = field(default_factory=dict)
    settled: bool = True

    def during(self, start: float, end: float) -> list[ProbeSample]:
        """The samples the officer started while the load ran."""
        return [s for s in self.samples if start <= s.at and s.at + s.timed.seconds <= end]


class CounterProbe:
    """The run's side: ``start`` (returns once the probe desk has joined and signed in), ``stop``
    when the desks stop, ``report`` after the run settled."""

    def __init__(self, job: ProbeJob) -> None:
        job.folder.mkdir(parents=True, exist_ok=True)
        self._child = ChildRun("loyalty_desk.simulation.probe", job, job.folder.parent / f"{job.desk.name}.log", job.report, "the counter probe")

    def start(self) -> None:
        self._child.expect("ready")

    def stop(self) -> None:
        self._child.tell("stop")

    def report(self) -> ProbeReport:
        self._child.tell("settle")
        report: ProbeReport | None = self._child.finish(REPORT_WAIT)
        if report is None:
            return ProbeReport(None, errors={"counter probe": 1}, tracebacks={"counter probe": self._child.log_tail()}, settled=False)
        return report

    def close(self) -> None:
        self._child.close()


def _probe(job: ProbeJob) -> ProbeReport:
    desk = DeskAtCounter(job.world, job.desk, job.folder, job.seed, read_url=job.read_url)
    try:
        desk.join()
        stopped, settle = threading.Event(), threading.Event()

        def listen() -> None:
            for line in sys.stdin:
                stopped.set()  # "stop" or "settle": either ends the probing
                if line.strip() == "settle":
                    break
            settle.set()  # told to, or the run has gone

        threading.Thread(target=listen, daemon=True).start()
        answer("ready")
        samples: list[ProbeSample] = []
        members = itertools.cycle(desk.region.members)
        made = 0
        while not stopped.wait(job.every):
            started = time.time()
            timed = desk.timed_redemption(next(members), wait=VERDICT_WAIT)
            if timed is not None:
                samples.append(ProbeSample(started, timed))
            made += 1
            if made % SYNC_EVERY == 0:
                desk.round()
        settle.wait()
        settled = _settle(desk)
        facts = desk.facts()
        return ProbeReport(facts, samples, dict(desk.tally.refused), dict(desk.tally.errors), dict(desk.tally.tracebacks), settled)
    finally:
        desk.close()


def _settle(desk: DeskAtCounter) -> bool:
    """Rounds until two in a row move nothing and nothing waits here."""
    quiet = 0
    for _ in range(SETTLE_ROUNDS):
        moved, stuck = desk.settling_round()
        quiet = quiet + 1 if moved == 0 and not stuck and desk.waiting() == 0 else 0
        if quiet >= 2:
            return True
    return False


def main() -> int:
    job: ProbeJob = read_job()
    with profile_in_use(SIMULATION):
        report = _probe(job)
    job.report.write_bytes(pickle.dumps(report))
    return 0


if __name__ == "__main__":
    from loyalty_desk.simulation import probe  # the report's classes pickled under the module's name, not "__main__"

    raise SystemExit(probe.main())
