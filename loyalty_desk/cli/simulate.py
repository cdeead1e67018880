"""``loyalty-desk central simulate``: many desks against a STAGING central, then the proof by counting
(``loyalty_desk/simulation``; docs/sync.md, "The load simulator")."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, CommandError, Subcommands, positive_int

if TYPE_CHECKING:
    from loyalty_desk.simulation.run import SimulationResult


def _number(accepts: Callable[[float], bool], rule: str) -> Callable[[str], float]:
    """An argparse type: a number ``accepts`` takes, refused naming ``rule`` otherwise."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not accepts(value):
            raise argparse.ArgumentTypeError(f"{rule}, not {value}")
        return value

    return parse


_share = _number(lambda v: 0.0 <= v < 1.0, "a share from 0 up to (not including) 1")
_minutes = _number(lambda v: v > 0, "must be more than 0")
_rate = _number(lambda v: v >= 0, "0 (as fast as a desk goes) or more")


def add_simulate(central: Subcommands) -> argparse.ArgumentParser:
    simulate = central.add_parser(
        "simulate",
        help="STAGING ONLY: run many desks against central at once, then prove every operation was applied once or refused with its reason",
    )
    simulate.add_argument("--url", required=True, help="the staging central (its owner); refused unless marked by 'central init --staging'")
    simulate.add_argument("--i-understand-this-writes", dest="understood", action="store_true",
                          help="the run writes branches, staff, members, desk logins and operations into that central")
    length = simulate.add_mutually_exclusive_group(required=True)
    length.add_argument("--minutes", type=_minutes, help="how long the desks serve customers")
    length.add_argument("--operations", type=positive_int, help="stop after this many operations made in all (instead of --minutes)")
    simulate.add_argument("--desks", type=positive_int, default=5, help="desks at once (5)")
    simulate.add_argument("--seed", type=int, default=1, help="the run's random choices (1)")
    simulate.add_argument("--offline-share", type=_share, default=0.1, help="share of the desks offline at any time (0.1)")
    simulate.add_argument("--rate", type=_rate, default=6.0, help="customers a minute at each desk (6); 0: as fast as each desk goes")
    simulate.add_argument("--desks-per-region", type=positive_int, default=5, help="desks sharing one region's members (5)")
    simulate.add_argument("--members-per-desk", type=positive_int, default=50, help="members made for the run per desk (50)")
    simulate.add_argument("--burst-every", type=int, default=40,
                          help="every this many operations, one member is served at every desk of a region at once (40; 0: never)")
    simulate.add_argument("--appliers", type=int, default=2,
                          help="'central run' processes of one applier each started for the run (2); 0: 'central run' processes you started apply instead")
    simulate.add_argument("--confirmed-only", action="store_true",
                          help="supervisors approve only requests made at their desk, and reverse only redemptions, whose central copy the feed "
                               "has brought back (default: the branch's whole queue, and any redemption made at the desk)")
    simulate.add_argument("--desk-url", help="how the desks reach central, e.g. a PgBouncer in front of it (default --url)")
    simulate.add_argument("--read-url", metavar="REPLICA_URL",
                          help="a streaming replica of central (postgresql://HOST:PORT/DATABASE, or a pooler in front of one) the desks pull "
                               "the change feed from, under their own logins, while they push to --desk-url (default: the feed from central)")
    simulate.add_argument("--probe-every", type=_rate, default=0.0, metavar="SECONDS",
                          help="one more desk, in a process of its own, makes an online redemption every SECONDS while the load runs and "
                               "times the officer's wait for central's verdict (p50, p95 in the report); 0: no probe (0)")
    simulate.add_argument("--desk-processes", type=positive_int, default=1, metavar="N",
                          help="spread the desks over N processes, whole regions each (1: this one); the desks of one process use about one processor")
    simulate.add_argument("--desks-nice", type=int, choices=range(0, 20), default=0, metavar="0-19",
                          help="the desks serve at this CPU niceness (Linux), so that on a machine shared with central the appliers, the "
                               "database and the probe come first, as on separate machines (0)")
    simulate.add_argument("--work-dir", type=Path, help="keep the desks' stores in this folder (default a temporary one, removed)")
    return simulate


def run_simulate(args: argparse.Namespace) -> int:
    from loyalty_desk.simulation.run import NotStaging, SimulationOptions, simulate

    if args.appliers < 0 or args.burst_every < 0:
        raise CommandError("--appliers and --burst-every are 0 or more")
    options = SimulationOptions(
        desks=args.desks, minutes=args.minutes, operations=args.operations, seed=args.seed, offline_share=args.offline_share,
        rate=args.rate, desks_per_region=args.desks_per_region, members_per_desk=args.members_per_desk, burst_every=args.burst_every,
        appliers=args.appliers, desk_url=args.desk_url, read_url=args.read_url or None, work_dir=args.work_dir,
        confirmed_only=args.confirmed_only, probe_every=args.probe_every,
        desk_processes=args.desk_processes, desks_nice=args.desks_nice,
    )
    if options.read_url:
        _check_read_url(options.read_url)
    try:
        result = simulate(args.url, options, understood=args.understood, say=lambda line: print(line, flush=True))
    except NotStaging as error:
        print(f"loyalty-desk: {error}", file=sys.stderr)
        return EXIT_FAILED
    for line in report(result):
        print(line)
    return EXIT_OK if result.holds else EXIT_FAILED


def _check_read_url(read_url: str) -> None:
    """Refuses a --read-url a desk could not read from (before anything is written)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        given = make_url(read_url)
    except ArgumentError:
        raise CommandError(f"--read-url: not a database URL: {read_url!r}") from None
    if given.get_backend_name() != "postgresql":
        raise CommandError(f"--read-url: the read replica must be a PostgreSQL URL (postgresql://HOST:PORT/DATABASE), not {given.drivername}")
    if given.username is not None:
        raise CommandError("--read-url: leave the login out: each desk reads the replica under its own login")


def report(result: SimulationResult) -> list[str]:
    from loyalty_desk.simulation.proof import report_lines, wait_line

    made, seconds = result.proof.total_made, result.seconds
    extra = {
        "Run": f"{result.world.prefix}, {len(result.world.desks)} desk(s) in {len(result.world.regions)} region(s)"
               + (f", in {result.desk_processes} processes" if result.desk_processes > 1 else "")
               + (f", the desks at CPU niceness {result.desks_nice}" if result.desks_nice else ""),
        "Serving": f"{seconds:,.0f} s, {made / seconds if seconds else 0:,.1f} operations a second; settling {result.settle_seconds:,.0f} s"
                   + ("" if result.settled else " (NOT SETTLED: something still waited)"),
        "Offline": f"{result.offline_spells:,} spell(s), {result.offline_made:,} operation(s) made offline",
        "Bursts (one member at every desk of a region at once)": f"{result.bursts:,}",
        "Refused at the counter (nothing made)": ", ".join(f"{k} {v:,}" for k, v in result.counter_refusals.most_common()) or "none",
        **({"Counter probe, an online redemption made and answered while the load ran (own process)":
            f"{wait_line(result.counter_waits)}; " + ", ".join(f"{k} {v:,}" for k, v in result.counter_states.most_common())
            + f"; of which making it at the desk: {wait_line(result.counter_made_here)}; the push: {wait_line(result.counter_pushes)}"
            + f"; central, from receiving it to its verdict: {wait_line(result.counter_at_central)}"}
           if result.counter_states else {}),
        "Failures raised by the desks' code": ", ".join(f"{k} x{v}" for k, v in result.errors.most_common()) or "none",
    }
    lines = report_lines(result.proof, extra)
    for what, trace in result.tracebacks.items():
        lines.append(f"Where '{what}' was raised (first time):")
        lines.extend("  " + line for line in trace.rstrip().splitlines()[-12:])
    return lines
