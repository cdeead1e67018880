"""Command-line side of statements, exports, imports of members and import templates.

    loyalty-desk statement MEMBER_NO --from DATE --to DATE --out FILE.pdf [--lang zh_CN|en]
    loyalty-desk statement verify "QR TEXT"
    loyalty-desk statements --members FILE.xlsx|csv --out DIR [--combined] [--from D --to D] [--lang L]
    loyalty-desk export KIND [--branch B] [--from D] [--to D] [--within 30|60|90] --out FILE.xlsx|FILE.csv --user NAME
        (KIND: members, ledger, expiring, journal, redemptions, approvals, referrals)
    loyalty-desk import members FILE [--skip-invalid]
    loyalty-desk template KIND --out FILE.xlsx
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from loyalty_desk.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    ConsoleProgress,
    Services,
    Subcommands,
    cli_actor,
    iso_date,
    report_import_problems,
    require_file,
    runs_with_services,
    sign_in,
)
from loyalty_desk.services.exports import EXPORT_KINDS, TEMPLATE_KINDS


def add_commands(commands: Subcommands, imports: Subcommands) -> None:
    """Adds ``statement``, ``statements``, ``export``, ``template`` and ``import members``."""
    statement = commands.add_parser(
        "statement",
        help="write a member's points statement (PDF), or 'statement verify TEXT' to check a statement's QR code",
        description="statement MEMBER_NO --from DATE --to DATE --out FILE.pdf  |  statement verify 'QR TEXT'",
    )
    statement.add_argument("target", metavar="MEMBER_NO|verify")
    statement.add_argument("text", nargs="?", metavar="QR_TEXT", help="with 'verify': the text of the statement's QR code")
    _period_arguments(statement)
    statement.add_argument("--out", type=Path, metavar="FILE.pdf")
    statement.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN")
    runs_with_services(statement, _statement_or_verify)

    batch = commands.add_parser("statements", help="statements for a list of members: one PDF each, or one combined file")
    source = batch.add_mutually_exclusive_group(required=True)
    source.add_argument("--members", type=Path, metavar="FILE", help="an .xlsx or .csv file with a member_no column")
    source.add_argument("--branch", metavar="CODE", help="every active member of this branch")
    _period_arguments(batch)
    batch.add_argument("--out", type=Path, required=True, metavar="DIR|FILE.pdf", help="a folder (one PDF per member) or, with --combined, a PDF file")
    batch.add_argument("--combined", action="store_true", help="all statements in one PDF")
    batch.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN")
    runs_with_services(batch, _statements)

    export = commands.add_parser("export", help="Excel exports: " + ", ".join(EXPORT_KINDS))
    export.add_argument("kind", choices=EXPORT_KINDS, metavar="KIND", help=", ".join(EXPORT_KINDS))
    export.add_argument("--branch", metavar="CODE")
    export.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD")
    export.add_argument("--within", type=int, choices=(30, 60, 90), default=30, help="expiring: days ahead (30, 60 or 90)")
    export.add_argument(
        "--out", type=Path, required=True, metavar="FILE.xlsx|FILE.csv", help="an Excel workbook, or a CSV file of the data rows (by the name's ending)"
    )
    export.add_argument("--user", required=True, metavar="NAME", help="who exports (password from LOYALTY_DESK_PASSWORD or a prompt)")
    runs_with_services(export, _export)

    members = imports.add_parser("members", help="register new members from an XLSX or CSV file")
    members.add_argument("file", type=Path)
    members.add_argument("--skip-invalid", action="store_true", help="register the good rows even when some rows are bad")
    members.add_argument("--branch", metavar="CODE", help="home branch for rows without a branch_code")
    runs_with_services(members, _import_members)

    template = commands.add_parser("template", help="an empty import file to fill in: " + ", ".join(TEMPLATE_KINDS))
    template.add_argument("kind", choices=TEMPLATE_KINDS, metavar="KIND", help=", ".join(TEMPLATE_KINDS))
    template.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    runs_with_services(template, _template)


def _period_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument(
        "--period", choices=("this_month", "last_month", "last_12_months"), help="instead of --from/--to (default: last_12_months)"
    )


def _statement_or_verify(services: Services, args: argparse.Namespace) -> int:
    if args.target.lower() == "verify":
        return _verify(services, args)
    return _statement(services, args)


def _period(services: Services, args: argparse.Namespace) -> tuple[date, date]:
    from loyalty_desk.services.statements.service import period_for

    today = services.statements.today()  # the desk's clock
    if args.period and (args.date_from or args.date_to):
        raise CommandError("give --period or --from/--to, not both")
    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise CommandError("give both --from and --to")
        return args.date_from, args.date_to
    return period_for(args.period or "last_12_months", today)


def _statement(services: Services, args: argparse.Namespace) -> int:
    if args.text:
        raise CommandError(f"unexpected argument {args.text!r} (only 'statement verify' takes a text)")
    if not args.out:
        raise CommandError("give --out FILE.pdf")
    period_from, period_to = _period(services, args)
    data = services.statements.build(member_no=args.target, period_from=period_from, period_to=period_to, language=args.lang)
    try:
        services.statements.render(data, args.out, actor=cli_actor(services))
    except OSError as failure:
        raise CommandError(f"cannot write {args.out}: {failure.strerror or failure}") from None
    print(
        f"Statement {data.statement_no} for {data.member_no}, {period_from.isoformat()} to {period_to.isoformat()}: "
        f"opening {data.opening:,}, earned {data.total_earned:,}, used {data.total_spent:,}, closing {data.closing:,} "
        f"({data.entry_count} entries) written to {args.out}"
    )
    print(f"QR text (for 'statement verify'): {data.qr_text}")
    return EXIT_OK


def _verify(services: Services, args: argparse.Namespace) -> int:
    if not args.text:
        raise CommandError("give the text of the statement's QR code: statement verify 'LDS1;...'")
    result = services.statements.verify(args.text)
    figures = result.figures
    if not result.genuine:
        reason = {
            "format": "this is not the QR text of a Loyalty Desk statement",
            "unknown_key": "the statement was not signed by this installation (unknown key)",
            "digest_mismatch": "the figures do not match their signature: the statement was altered",
        }.get(result.problem or "", result.problem)
        print(f"NOT GENUINE: {reason}", file=sys.stderr)
        return EXIT_FAILED
    assert figures is not None
    print(
        f"GENUINE: statement {figures.statement_no} for {figures.member_no}, {figures.period_from.isoformat()} to "
        f"{figures.period_to.isoformat()}, issued {figures.issued_on.isoformat()}: opening {figures.opening:,}, "
        f"earned {figures.total_earned:,}, used {figures.total_spent:,}, closing {figures.closing:,}, {figures.entry_count} entries."
    )
    if result.ledger_matches is False:
        print(
            "Note: the ledger now gives different figures for this period"
            + (f" (closing {result.ledger_closing:,})" if result.ledger_closing is not None else "")
            + "; entries were posted for the period after the statement was issued."
        )
    return EXIT_OK


def _statements(services: Services, args: argparse.Namespace) -> int:
    from loyalty_desk.services.statements.batch import run_batch

    period_from, period_to = _period(services, args)
    if args.members:
        require_file(args.members)
        member_nos = services.member_import.read_member_list(args.members)
    else:
        member_nos = services.statements.member_nos(branch_code=args.branch)
    if not member_nos:
        raise CommandError("no members to write statements for")
    progress = ConsoleProgress()
    result = run_batch(
        progress, service=services.statements, member_nos=member_nos, period_from=period_from, period_to=period_to,
        language=args.lang, out=args.out, combined=args.combined, actor=cli_actor(services),
    )
    progress.done()
    for member_no, code in result.failed:
        print(f"{member_no}: {code}", file=sys.stderr)
    where = result.written[0] if args.combined and result.written else str(args.out)
    print(f"{result.statements} of {result.requested} statements written to {where}" + (f"; {len(result.failed)} failed" if result.failed else ""))
    return EXIT_OK if not result.failed else EXIT_FAILED


def _export(services: Services, args: argparse.Namespace) -> int:
    session = sign_in(services, args.user)
    result = services.exports.export(
        kind=args.kind, session=session, path=args.out, branch_code=args.branch, date_from=args.date_from,
        date_to=args.date_to, within_days=args.within,
    )
    print(f"{result.rows:,} rows exported to {result.path} ({result.kind}" + (", mobiles unmasked" if result.unmasked else "") + ")")
    return EXIT_OK


def _template(services: Services, args: argparse.Namespace) -> int:
    from loyalty_desk.services.members.file_import import write_template

    try:
        path = write_template(args.kind, args.out)
    except OSError as failure:
        raise CommandError(f"cannot write {args.out}: {failure.strerror or failure}") from None
    print(f"Template for {args.kind} written to {path}")
    return EXIT_OK


def _import_members(services: Services, args: argparse.Namespace) -> int:
    require_file(args.file)
    report = services.member_import.import_members(path=args.file, skip_invalid=args.skip_invalid, actor=cli_actor(services), default_branch=args.branch)
    if not report_import_problems(report, nothing_done="registered"):
        return EXIT_FAILED
    print(
        f"{report.rows_read} rows read, {report.registered} members registered"
        + (f" ({report.first_member_no} to {report.last_member_no})" if report.registered else "")
        + f", {report.already_registered} already registered, {report.rows_read - report.rows_valid} skipped as invalid."
    )
    return EXIT_OK
