"""What a simulation run is asked to do (``central simulate``'s options)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
    desk_processes: int = 1  # processes the desks are spread over, whole regions each (group.py); 1: the run's own
    desks_nice: int = 0  # the desks' threads at this CPU niceness while they serve (Linux), so central and the probe come first
    prefix: str | None = None
    work_dir: Path | None = None
