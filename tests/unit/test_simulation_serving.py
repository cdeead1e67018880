"""How the simulator's desks serve (``simulation/serving.serve``): every customer taken once, and with
``desks_nice`` each desk's thread at that CPU niceness while the run's own thread keeps its own; and how
they are spread over processes (``simulation/group.split``)."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from loyalty_desk.simulation.group import split
from loyalty_desk.simulation.options import SimulationOptions
from loyalty_desk.simulation.serving import serve
from loyalty_desk.simulation.world import SimulatedDesk, World


@dataclass
class _Region:
    index: int
    members: tuple[str, ...] = ("M1", "M2")


@dataclass
class _Desk:
    region: _Region
    niceness: list[int] = field(default_factory=list)

    def serve(self, **_: Any) -> None:
        self.niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own niceness is Linux's")
@pytest.mark.parametrize("nice", [0, 7])
def test_the_desks_serve_every_customer_at_the_niceness_asked_for(nice: int) -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    desks = [_Desk(_Region(0)), _Desk(_Region(0)), _Desk(_Region(1))]
    serve(desks, SimulationOptions(desks=3, operations=30, rate=0, burst_every=0, desks_nice=nice))  # type: ignore[arg-type]
    served = [n for desk in desks for n in desk.niceness]
    assert len(served) == 30
    assert set(served) == {max(own, nice) if nice else own}
    assert os.getpriority(os.PRIO_PROCESS, 0) == own  # the run's own thread is not lowered


def _world(regions_of_desks: list[int]) -> World:
    desks = tuple(SimulatedDesk(f"d{i}", region, "postgresql://central") for i, region in enumerate(regions_of_desks))
    return World("p", "secret", (), desks, ())


@pytest.mark.parametrize(("processes", "operations"), [(1, 30), (2, 31), (3, 7), (9, None)])
def test_the_desks_are_split_into_processes_by_whole_regions_each_with_its_share_of_the_operations(processes: int, operations: int | None) -> None:
    world = _world([0, 0, 1, 1, 2, 2, 3, 0])  # the last desk is the counter probe's, never in a group
    options = SimulationOptions(desks=7, operations=operations, desk_processes=processes)
    parts = split(world, options)
    assert len(parts) == min(processes, 4)
    assert sorted(i for desks, _ in parts for i in desks) == list(range(7))  # every desk of the run once, the probe's left out
    regions = [{world.desks[i].region for i in desks} for desks, _ in parts]
    assert all(not (a & b) for n, a in enumerate(regions) for b in regions[n + 1:])  # a region is in one process only
    shares = [share.operations for _, share in parts]
    if operations is None:
        assert shares == [None] * len(parts)
    else:
        assert sum(s or 0 for s in shares) == operations and max(s or 0 for s in shares) - min(s or 0 for s in shares) <= 1
    assert all(share.desk_processes == processes and share.seed == options.seed for _, share in parts)
