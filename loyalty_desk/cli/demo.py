"""``loyalty-desk demo``: a store (or an empty central database) filled with deterministic demo data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from loyalty_desk.cli.common import EXIT_OK, CommandError, Subcommands, positive_int, runs_with_data_dir


def add_commands(commands: Subcommands) -> None:
    demo = commands.add_parser("demo", help="create or refresh a store with deterministic demo data")
    demo.add_argument("--members", type=positive_int, default=2000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--central", metavar="URL", help="fill this (empty) central PostgreSQL database instead of the local store; runs 'central init' first")
    runs_with_data_dir(demo, _demo)


def _progress(done: int, total: int, stage: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{stage}: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)


def _end_progress() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def _print_accounts(accounts: Iterable[tuple[str, str, str, str]]) -> None:
    print("Demo accounts (username / role / branch / password):")
    for username, role, branch, password in accounts:
        print(f"  {username:<18} {role:<11} {branch:<6} {password}")


def _demo(args: argparse.Namespace, data_dir: Path) -> int:
    from loyalty_desk.demo.generator import build_demo_store

    if args.central:
        return _demo_central(args)
    summary = build_demo_store(data_dir, members=args.members, seed=args.seed, progress=_progress)
    _end_progress()
    print(
        f"Demo store ready in {data_dir}: {summary.members:,} members, {summary.entries:,} ledger entries, "
        f"{summary.lots:,} lots in {summary.seconds:.1f} s"
    )
    _print_accounts(summary.accounts)
    return EXIT_OK


def _demo_central(args: argparse.Namespace) -> int:
    """``demo --central URL``: the demo data in an empty central database, for desks to join."""
    from sqlalchemy.engine import make_url

    from loyalty_desk.central_data import CentralDataError, fill_central_with_demo
    from loyalty_desk.cli.sync import ensure_central_key

    try:
        summary = fill_central_with_demo(args.central, members=args.members, seed=args.seed, progress=_progress)
    except CentralDataError as error:
        raise CommandError(str(error)) from error
    ensure_central_key(args.central, None)  # what `central init` does: head office's imports sign with it
    _end_progress()
    shown = make_url(args.central).render_as_string(hide_password=True)
    print(f"Demo data in central {shown}: {summary.members:,} members, {summary.entries:,} ledger entries, {summary.lots:,} lots.")
    print("Next: loyalty-desk central add-desk NAME --branch BJ01 --url URL, then on the desk: loyalty-desk sync --join 'DESK URL' --once")
    _print_accounts(summary.accounts)
    return EXIT_OK
