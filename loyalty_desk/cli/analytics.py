"""``loyalty-desk analytics rebuild|verify|compact``: the daily aggregates the database keeps as the ledger posts.

    loyalty-desk analytics verify [--central URL]    exit 1 when the aggregates differ from the ledger, naming the keys
    loyalty-desk analytics rebuild [--central URL]   every aggregate row again from the ledger
    loyalty-desk analytics compact [--central URL]   closed months' delta rows folded into one row per key
"""

from __future__ import annotations

import argparse

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, Services, Subcommands, runs_with_services

SHOWN_DIFFERENCES = 20


def add_commands(commands: Subcommands) -> None:
    """Adds ``analytics``."""
    analytics = commands.add_parser(
        "analytics", help="the daily aggregates kept as the ledger posts: rebuild from the ledger, verify against it, compact"
    ).add_subparsers(dest="analytics_command", metavar="ACTION", required=True)
    for name, handler, text in (
        ("verify", _verify, "compare the aggregates with the ledger; exit 1 and the differing keys when they differ"),
        ("rebuild", _rebuild, "rebuild every aggregate row from the ledger (in one transaction)"),
        ("compact", _compact, "fold closed months' delta rows into one row per key"),
    ):
        parser = analytics.add_parser(name, help=text, description=text)
        parser.add_argument("--central", metavar="URL", help="the central database (postgresql://...) instead of this desk's store")
        runs_with_services(parser, handler)


def _rows(rows: dict[str, int]) -> str:
    return ", ".join(f"{table} {count:,}" for table, count in rows.items())


def _rebuild(services: Services, args: argparse.Namespace) -> int:
    result = services.analytics.rebuild()
    print(f"Rebuilt from the ledger in {result.seconds:.1f} s: {_rows(result.rows)} rows.")
    return EXIT_OK


def _compact(services: Services, args: argparse.Namespace) -> int:
    result = services.analytics.compact()
    print(f"Compacted in {result.seconds:.1f} s: {_rows(result.rows)} rows.")
    return EXIT_OK


def _verify(services: Services, args: argparse.Namespace) -> int:
    result = services.analytics.verify()
    if result.agrees:
        print(f"The aggregates agree with the ledger ({_rows(result.rows)} rows; checked in {result.seconds:.1f} s).")
        return EXIT_OK
    print(f"The aggregates DIFFER from the ledger ({len(result.differences):,} keys{'+' if len(result.differences) >= 1000 else ''}; "
          f"checked in {result.seconds:.1f} s):")
    for difference in result.differences[:SHOWN_DIFFERENCES]:
        key = ", ".join("-" if value is None else str(value) for value in difference.key)
        print(f"  {difference.table} [{key}]: aggregates {difference.aggregates}, ledger {difference.ledger}")
    if len(result.differences) > SHOWN_DIFFERENCES:
        print(f"  ... and {len(result.differences) - SHOWN_DIFFERENCES:,} more")
    if result.served_missing or result.served_extra:
        print(f"  members served: {result.served_missing:,} missing from the aggregate, {result.served_extra:,} it should not hold")
    print("Run `loyalty-desk analytics rebuild` to rebuild them from the ledger.")
    return EXIT_FAILED
