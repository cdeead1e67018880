"""How the simulator's desks serve (``simulation/run._serve``): every customer taken once, and with
``desks_nice`` each desk's thread at that CPU niceness while the run's own thread keeps its own."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from loyalty_desk.simulation.run import SimulationOptions, _serve


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
    _serve(desks, SimulationOptions(desks=3, operations=30, rate=0, burst_every=0, desks_nice=nice))  # type: ignore[arg-type]
    served = [n for desk in desks for n in desk.niceness]
    assert len(served) == 30
    assert set(served) == {max(own, nice) if nice else own}
    assert os.getpriority(os.PRIO_PROCESS, 0) == own  # the run's own thread is not lowered
