"""``loyalty-desk import transactions`` (earning from a file) and ``loyalty-desk expire``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, Services, Subcommands, cli_actor, iso_date, report_import_problems, require_file, runs_with_services


def add_commands(commands: Subcommands, imports: Subcommands) -> None:
    transactions = imports.add_parser("transactions", help="post earning from a CSV or XLSX transaction file")
    transactions.add_argument("file", type=Path)
    transactions.add_argument("--skip-invalid", action="store_true", help="post the good rows even when some rows are bad")
    runs_with_services(transactions, _import_transactions)

    expire = commands.add_parser("expire", help="expire lots past their date (idempotent per date)")
    expire.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)")
    runs_with_services(expire, _expire)


def _import_transactions(services: Services, args: argparse.Namespace) -> int:
    require_file(args.file)
    report = services.imports.import_transactions(path=args.file, skip_invalid=args.skip_invalid, actor=cli_actor(services))
    if not report_import_problems(report, nothing_done="posted", problem_count=len(report.problems) + report.more_problems):
        return EXIT_FAILED
    print(
        f"{report.rows_read} rows read, {report.rows_posted} posted ({report.points_posted:,} points), "
        f"{report.rows_already_imported} already imported, {report.rows_read - report.rows_valid} skipped as invalid."
    )
    return EXIT_OK


def _expire(services: Services, args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    report = services.expiry.run(as_of=as_of, actor=cli_actor(services))
    print(
        f"Expiry as of {report.as_of.isoformat()}: {report.points_expired:,} points expired for {report.members_expired:,} members"
        + (f"; {report.already_run_members:,} members already done for this date" if report.already_run_members else "")
    )
    return EXIT_OK
