"""A group of the run's desks: whole regions, joined, served and settled together, in the run's own
process or in a process of their own (``SimulationOptions.desk_processes``).

The desks of one process are threads behind one interpreter lock, so however many processors the
machine has, they use about one; a bank's branch PCs are machines of their own. With several desk
processes, each holds some regions' desks (a burst stays within a region, so within a process) and
makes its share of the run's operations. ``python -m loyalty_desk.simulation.group`` is the process;
the run talks to it as to the counter probe (``child.py``): the job, then ``go`` (serve), answered by
``stopped`` when its serving is over, then ``settle`` (sync until nothing waits, then report).
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from loyalty_desk.services.passwords import SIMULATION, profile_in_use
from loyalty_desk.simulation.child import REPORT_WAIT, ChildRun, answer, read_job
from loyalty_desk.simulation.desk import DeskAtCounter, DeskTally
from loyalty_desk.simulation.options import SimulationOptions
from loyalty_desk.simulation.proof import DeskFacts
from loyalty_desk.simulation.serving import serve, settle
from loyalty_desk.simulation.world import World


@dataclass(frozen=True)
class GroupJob:
    url: str  # central, as the run's owner (the settling reads what is still unapplied)
    world: World
    desks: tuple[int, ...]  # the group's desks, as indexes into world.desks
    folder: Path
    options: SimulationOptions  # with the group's share of the run's operations
    report: Path


@dataclass
class GroupReport:
    facts: list[DeskFacts]
    tallies: list[DeskTally]
    bursts: int
    settled: bool


class DeskGroup:
    def __init__(self, world: World, desks: tuple[int, ...], folder: Path, options: SimulationOptions) -> None:
        self._world, self._indexes, self._folder, self._options = world, desks, folder, options
        self.desks: list[DeskAtCounter] = []

    def join(self) -> None:
        """Each desk's first pull and its staff signed in."""
        for i in self._indexes:
            desk = self._world.desks[i]
            counter = DeskAtCounter(self._world, desk, self._folder / desk.name, seed=self._options.seed * 100_003 + i,
                                    confirmed_only=self._options.confirmed_only, read_url=self._options.read_url)
            self.desks.append(counter)
            counter.join()

    def serve(self) -> int:
        """The bursts made."""
        return serve(self.desks, self._options)

    def settle(self, url: str) -> bool:
        return settle(url, self.desks, self._world.prefix, self._options.read_url)

    def report(self, bursts: int, settled: bool) -> GroupReport:
        return GroupReport([d.facts() for d in self.desks], [d.tally for d in self.desks], bursts, settled)

    def close(self) -> None:
        for desk in self.desks:
            desk.close()


class DeskGroups:
    """The run's side of its desk groups: one group in the run's own process, or each group in a
    process of its own (``split``). ``join``, ``serve`` (returns when every group has stopped),
    ``settle`` (a report per group, None for a group whose process failed: ``failed`` says which)."""

    def __init__(self, url: str, world: World, folder: Path, options: SimulationOptions) -> None:
        self._url = url
        parts = split(world, options)
        self.here = DeskGroup(world, parts[0][0], folder, parts[0][1]) if len(parts) == 1 else None
        self._parts, self._world, self._folder = parts, world, folder
        self.away: list[ChildRun] = []
        self._bursts = 0

    @property
    def processes(self) -> int:
        return len(self.away) or 1

    def join(self) -> None:
        if self.here is not None:
            self.here.join()
            return
        self._folder.mkdir(parents=True, exist_ok=True)
        for number, (indexes, share) in enumerate(self._parts):  # they join at once, each in its own process
            job = GroupJob(self._url, self._world, indexes, self._folder, share, self._folder / f"desk-group-{number}.report")
            self.away.append(ChildRun("loyalty_desk.simulation.group", job, self._folder / f"desk-group-{number}.log", job.report,
                                      f"desk group {number}"))
        for child in self.away:
            child.expect("ready")

    def serve(self) -> None:
        if self.here is not None:
            self._bursts = self.here.serve()
            return
        for child in self.away:
            child.tell("go")
        for child in self.away:
            child.expect("stopped")

    def settle(self) -> list[GroupReport | None]:
        if self.here is not None:
            return [self.here.report(self._bursts, self.here.settle(self._url))]
        for child in self.away:
            child.tell("settle")
        return [child.finish(REPORT_WAIT) for child in self.away]

    def failed(self, reports: list[GroupReport | None]) -> list[tuple[str, str]]:
        """(what, its log) of each group process that left no report."""
        return [(child.what, child.log_tail()) for child, report in zip(self.away, reports, strict=False) if report is None]

    def close(self) -> None:
        if self.here is not None:
            self.here.close()
        for child in self.away:
            child.close()


def split(world: World, options: SimulationOptions) -> list[tuple[tuple[int, ...], SimulationOptions]]:
    """The run's desks (the probe's left out) in at most ``desk_processes`` groups of whole regions,
    each with its share of the run's operations."""
    regions = sorted({desk.region for desk in world.desks[:options.desks]})
    count = max(1, min(options.desk_processes, len(regions)))
    groups = [tuple(i for i, desk in enumerate(world.desks[:options.desks]) if regions.index(desk.region) % count == g) for g in range(count)]
    if options.operations is None:
        return [(desks, options) for desks in groups]
    return [(desks, replace(options, operations=options.operations // count + (g < options.operations % count)))
            for g, desks in enumerate(groups)]


def main() -> int:
    job: GroupJob = read_job()
    with profile_in_use(SIMULATION):
        group = DeskGroup(job.world, job.desks, job.folder, job.options)
        try:
            group.join()
            answer("ready")
            if sys.stdin.readline().strip() != "go":
                return 1  # the run has gone
            bursts = group.serve()
            answer("stopped")
            if sys.stdin.readline().strip() != "settle":
                return 1
            report = group.report(bursts, group.settle(job.url))
        finally:
            group.close()
    job.report.write_bytes(pickle.dumps(report))
    return 0


if __name__ == "__main__":
    from loyalty_desk.simulation import group  # the report's classes pickled under the module's name, not "__main__"

    raise SystemExit(group.main())
