"""``loyalty-desk tiers review``: the monthly tier review, once per calendar month (a standalone desk's
application and central's ``central run`` also run it themselves)."""

from __future__ import annotations

import argparse
from datetime import date

from loyalty_desk.cli.common import EXIT_OK, Services, Subcommands, cli_actor, iso_date, runs_with_services


def add_commands(commands: Subcommands) -> None:
    tiers = commands.add_parser("tiers", help="member tiers: the monthly review").add_subparsers(dest="tiers_command", metavar="ACTION", required=True)
    review = tiers.add_parser("review", help="the monthly tier review (once per calendar month; a rerun says it already ran)")
    review.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD, the review date; its month is the one reviewed (default: today)")
    review.add_argument(
        "--central", metavar="URL", help="review at the central database (postgresql://...) instead of this desk's store; desks get it through the change feed"
    )
    runs_with_services(review, _review)


def _review(services: Services, args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    report = services.earning.review_tiers(as_of=as_of, actor=cli_actor(services))
    if report.already_run:
        print(f"The tier review for {report.month} already ran; nothing changed.")
        return EXIT_OK
    print(
        f"Tier review for {report.month} (as of {as_of.isoformat()}): {report.reviewed:,} reviewed, {report.upgraded:,} upgraded, "
        f"{report.downgraded:,} downgraded, {report.warned:,} warned of a downgrade at the next review."
    )
    return EXIT_OK
