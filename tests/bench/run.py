"""Benchmark runner: ``python tests/bench/run.py [NAME ...] [--members N] [--json FILE]``.

Runs the named benchmarks (all registered ones when none is named), prints one table of
figure / value / unit / target / met, and writes the same rows, with the machine they ran
on, to the JSON file. Benchmarks live in ``bench_*.py`` modules next to this file and
register themselves with ``@benchmark("name")`` (see ``common.py``). Exit status 1 when a
figure misses its target.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import DEFAULT_MEMBERS, REGISTRY, BenchOptions, Row, machine  # noqa: E402


def load_benchmarks() -> None:
    for module in sorted(HERE.glob("bench_*.py")):
        importlib.import_module(module.stem)


def table(rows: list[tuple[str, Row]]) -> str:
    header = ("benchmark", "figure", "value", "unit", "target", "met")
    lines = [
        (name, row.figure, f"{row.value:,.3f}".rstrip("0").rstrip("."), row.unit, row.target_text,
         "" if row.met is None else ("yes" if row.met else "NO"))
        for name, row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    out = ["  ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=True))]
    out.append("  ".join("-" * width for width in widths))
    out.extend("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)) for line in lines)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    load_benchmarks()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run (default all: {', '.join(sorted(REGISTRY))})")
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS, help="members in the benchmark store")
    parser.add_argument("--queries", type=int, default=200, help="samples per measured figure")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)

    unknown = [name for name in args.names if name not in REGISTRY]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(sorted(REGISTRY))}")
    options = BenchOptions(members=args.members, queries=args.queries)
    results: list[tuple[str, Row]] = []
    started = time.time()
    for name in args.names or sorted(REGISTRY):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.extend((name, row) for row in REGISTRY[name](options))
    print(table(results))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                    "machine": machine(),
                    "options": {"members": options.members, "queries": options.queries},
                    "rows": [{"benchmark": name, **row.to_json()} for name, row in results],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if all(row.met is not False for _, row in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
