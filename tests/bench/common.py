"""What every benchmark module shares: the registry, result rows, percentiles, the cached store.

A benchmark is a function registered with ``@benchmark("name")`` in a ``bench_*.py`` module
of this folder; it gets the ``BenchOptions`` and returns ``Row``s. ``run.py`` imports every
``bench_*.py`` module, runs the benchmarks asked for and prints/writes the rows.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MEMBERS = 1_000_000
STORE_ROOT = Path(os.environ.get("LOYALTY_BENCH_DIR", "/tmp"))
COMPLETE_MARKER = "bench-store-complete"


@dataclass(frozen=True)
class BenchOptions:
    members: int = DEFAULT_MEMBERS
    queries: int = 200
    seed: int = 1


@dataclass(frozen=True)
class Row:
    figure: str
    value: float
    unit: str
    target: float | None = None
    better: str = "lower"  # "lower": met when value <= target; "higher": met when value >= target

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.better == "lower" else self.value >= self.target

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return ("≤ " if self.better == "lower" else "≥ ") + _number(self.target)

    def to_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "value": round(self.value, 4),
            "unit": self.unit,
            "target": self.target_text or None,
            "met": self.met,
        }


BenchFunction = Callable[[BenchOptions], list[Row]]
REGISTRY: dict[str, BenchFunction] = {}


def benchmark(name: str) -> Callable[[BenchFunction], BenchFunction]:
    def register(function: BenchFunction) -> BenchFunction:
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} registered twice")
        REGISTRY[name] = function
        return function

    return register


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine skews the figures
    }


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def bench_store(members: int, *, seed: int = 1) -> Path:
    """The data folder of a benchmark store with ``members`` members, generated once and reused.

    Built by the demo generator (``loyalty_desk.demo.generate``) into ``/tmp/loyalty-bench-<N>``
    (``LOYALTY_BENCH_DIR`` moves the root); a folder without the completion marker (an
    interrupted build) or built at another schema revision is built again. Delete the folder after
    changing the generator.
    """
    from loyalty_desk.store.db import head_revision

    data_dir = STORE_ROOT / f"loyalty-bench-{members}"
    marker = data_dir / COMPLETE_MARKER
    revision = head_revision()
    if marker.exists() and f"revision={revision}" in marker.read_text().split():
        return data_dir
    if data_dir.exists():
        shutil.rmtree(data_dir)
    from loyalty_desk.demo.generator import generate  # the application's own generator: benchmarks see demo-shaped data

    started = time.perf_counter()
    print(f"building a {members:,}-member store in {data_dir} ...", file=sys.stderr, flush=True)
    generate(data_dir, members=members, seed=seed)
    seconds = time.perf_counter() - started
    marker.write_text(f"members={members} seed={seed} revision={revision} seconds={seconds:.1f}\n")
    print(f"built in {seconds:.1f} s", file=sys.stderr, flush=True)
    return data_dir


# Appended to every measured child script: the script leaves its figures in ``figures``; the child
# prints them with its own peak resident memory.
_PEAK_EPILOGUE = r"""
import json as _json, resource as _resource
_peak_kb = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
try:  # ru_maxrss survives exec (it may be the parent's); VmHWM is this process's own high-water mark
    _peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(_json.dumps({**figures, "peak_kb": _peak_kb}))
"""


def run_measured(script: str, *args: object) -> dict[str, Any]:
    """Runs ``script`` in a fresh Python process (so its peak memory is its own) and returns its figures."""
    out = subprocess.run([sys.executable, "-c", script + _PEAK_EPILOGUE, *map(str, args)], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))
