"""Command-line side of head office's card service report.

    loyalty-desk card-service --from YYYY-MM-DD --to YYYY-MM-DD [--branch B] [--xlsx FILE.xlsx] [--json] [--central URL] --user NAME

Days from each card's application to its approval, by branch, against the service target, and the
approvals over it. A desk's store holds its own region; head office's figures come from central.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from loyalty_desk.cli.common import EXIT_OK, CommandError, Services, Subcommands, iso_date, print_json, runs_with_services, sign_in


def add_commands(commands: Subcommands) -> None:
    """Adds ``card-service``."""
    report = commands.add_parser(
        "card-service",
        help="card approval times against the service target by branch, and the approvals over it (Excel)",
        description="card-service --from YYYY-MM-DD --to YYYY-MM-DD [--branch B] [--xlsx FILE.xlsx] [--json] --user NAME",
    )
    report.add_argument("--from", dest="first", required=True, type=iso_date, metavar="YYYY-MM-DD", help="the first approval date counted")
    report.add_argument("--to", dest="last", required=True, type=iso_date, metavar="YYYY-MM-DD", help="the last approval date counted")
    report.add_argument("--branch", metavar="CODE", help="one branch (default: every branch the user may see)")
    report.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="write the workbook (by branch, and the approvals over the target)")
    report.add_argument("--json", action="store_true")
    report.add_argument("--central", metavar="URL", help="head office: the figures of the central database (postgresql://...), not this desk's store")
    report.add_argument("--user", required=True, metavar="NAME", help="who produces it (password from LOYALTY_DESK_PASSWORD or a prompt)")
    runs_with_services(report, _card_service)


def _card_service(services: Services, args: argparse.Namespace) -> int:
    session = sign_in(services, args.user)
    try:
        result = services.card_service.produce(session=session, first=args.first, last=args.last, branch_code=args.branch, xlsx=args.xlsx)
    except OSError as failure:
        raise CommandError(f"cannot write {failure.filename or 'the file'}: {failure.strerror or failure}") from None
    report = result.report
    if args.json:
        print_json(report)
    else:
        _print_report(report)
    if result.xlsx:
        print(f"Written to {result.xlsx}")
    return EXIT_OK


def _print_report(report: object) -> None:
    from loyalty_desk.services.members.dto import CardServiceReport

    assert isinstance(report, CardServiceReport)
    print(f"Card approval times, {report.first} to {report.last}, {report.branch_code or 'all branches'} "
          f"(target: approval within {report.target_days} days of the application)")
    header = ("Branch", "Approved", "Measured", "Within", "Over", "Within %", "Median", "P90", "Longest")
    rows = [
        (line.branch_code or "Total", f"{line.approvals:,}", f"{line.measured:,}", f"{line.within_target:,}", f"{line.over_target:,}",
         "" if line.within_share is None else f"{line.within_share}%", "" if line.median_days is None else str(line.median_days),
         "" if line.p90_days is None else str(line.p90_days), "" if line.longest_days is None else str(line.longest_days))
        for line in (*report.lines, report.total)
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(value.ljust(width) if i == 0 else value.rjust(width) for i, (value, width) in enumerate(zip(row, widths, strict=True))))
    if report.late:
        print(f"Over the target ({len(report.late):,}), slowest first:")
        for item in report.late[:20]:
            print(f"  {item.member_no}  {item.branch_code}  applied {item.applied_on}, approved {item.approved_on}: {item.days} days")
        if len(report.late) > 20:
            print(f"  ... and {len(report.late) - 20:,} more (--xlsx or --json lists them all)")
