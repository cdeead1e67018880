"""Command-line side of the month-end points liability report.

    loyalty-desk liability --month YYYY-MM [--branch B] [--xlsx FILE.xlsx] [--pdf FILE.pdf] [--lang zh_CN|en] [--central URL] --user NAME

A desk's store holds its own region's members; head office's figures come from central (``--central``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, CommandError, Services, Subcommands, runs_with_services, sign_in


def add_commands(commands: Subcommands) -> None:
    """Adds ``liability``."""
    liability = commands.add_parser(
        "liability",
        help="the month-end points liability: opening, issued, redeemed, expired, adjusted, closing by branch and tier (Excel, PDF)",
        description="liability --month YYYY-MM [--branch B] [--xlsx FILE.xlsx] [--pdf FILE.pdf] --user NAME",
    )
    liability.add_argument("--month", required=True, metavar="YYYY-MM")
    liability.add_argument("--branch", metavar="CODE", help="one branch (default: every branch the user may see)")
    liability.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="write the workbook (roll-forward, expiry by month, breakage)")
    liability.add_argument("--pdf", type=Path, metavar="FILE.pdf", help="write the report as a PDF")
    liability.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN", help="the PDF's language")
    liability.add_argument(
        "--central", metavar="URL", help="head office: the figures of the central database (postgresql://...), every desk's members, not this desk's store"
    )
    liability.add_argument("--user", required=True, metavar="NAME", help="who produces it (password from LOYALTY_DESK_PASSWORD or a prompt)")
    runs_with_services(liability, _liability)


def _liability(services: Services, args: argparse.Namespace) -> int:
    session = sign_in(services, args.user)
    try:
        result = services.liability.produce(
            month=args.month, session=session, branch_code=args.branch, xlsx=args.xlsx, pdf=args.pdf, language=args.lang
        )
    except OSError as failure:
        raise CommandError(f"cannot write {failure.filename or 'the file'}: {failure.strerror or failure}") from None
    report = result.report
    _print_report(report)
    for path in (result.xlsx, result.pdf):
        if path:
            print(f"Written to {path}")
    return EXIT_OK if report.reconciled else EXIT_FAILED


def _print_report(report: Any) -> None:
    print(f"Points liability, {report.month_text}, {report.branch_code or 'all branches'} "
          f"(100 points = CNY {report.point_value_cny_per_100_points})")
    header = ("Branch", "Tier", "Opening", "Issued", "Redeemed", "Expired", "Adjusted", "Closing", "Closing CNY", "Difference")
    rows = [
        (line.branch_code, line.tier, f"{line.opening:,}", f"{line.issued:,}", f"{line.redeemed:,}", f"{line.expired:,}",
         f"{line.adjusted:+,}", f"{line.closing:,}", f"{report.cny(line.closing):,}", f"{line.difference:,}")
        for line in (*report.lines, report.total)
    ]
    rows[-1] = ("Total", "", *rows[-1][2:])
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(str(value).ljust(width) if i < 2 else str(value).rjust(width) for i, (value, width) in enumerate(zip(row, widths, strict=True))))
    total = report.total
    if report.reconciled:
        print(f"Reconciled: the closing balance of {total.closing:,} points (CNY {report.cny(total.closing):,}) equals the sum of "
              f"open lots at the end of {report.month_end.isoformat()} exactly.")
    else:
        print(f"NOT RECONCILED: closing by the roll-forward {total.closing:,} points, open lots at the end of "
              f"{report.month_end.isoformat()} {total.lots_at_close:,} points, difference {total.difference:,} points.")
    expiring = ", ".join(f"{item.month.year:04d}-{item.month.month:02d} {item.points:,}" for item in report.expiring)
    print(f"Due to expire: past their date {report.past_expiry:,}; {expiring}")
    overall = report.breakage[-1]
    rate = f"{overall.rate * 100:.2f}%" if overall.rate is not None else "n/a (nothing issued)"
    print(f"Breakage estimate {report.breakage_from.isoformat()} to {report.breakage_to.isoformat()}: expired {overall.expired:,} / "
          f"issued {overall.issued:,} = {rate}")
