"""``loyalty-desk approvals list|approve|reject|expire`` and ``loyalty-desk import adjustments``: manual
adjustment requests and their supervisors' decisions. The services apply the same rules as the screens."""

from __future__ import annotations

import argparse
from pathlib import Path

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, Services, Subcommands, print_json, report_import_problems, require_file, runs_with_services, sign_in


def add_commands(commands: Subcommands, imports: Subcommands) -> None:
    approvals = commands.add_parser("approvals", help="manual adjustment requests waiting for a supervisor").add_subparsers(
        dest="approvals_command", metavar="ACTION", required=True
    )
    listing = approvals.add_parser("list", help="pending requests your branch's supervisors decide (head office: all)")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--all", action="store_true", help="decided requests too")
    listing.add_argument("--user", required=True, metavar="NAME")
    approve = approvals.add_parser("approve", help="approve a request (posts it once it has the approvals it needs)")
    approve.add_argument("request_id", type=int, metavar="ID")
    approve.add_argument("--note", default="")
    approve.add_argument("--user", required=True, metavar="NAME")
    reject = approvals.add_parser("reject", help="reject a request with a note (nothing is posted)")
    reject.add_argument("request_id", type=int, metavar="ID")
    reject.add_argument("--note", required=True)
    reject.add_argument("--user", required=True, metavar="NAME")
    expire = approvals.add_parser("expire", help="expire requests older than the request lifetime (idempotent)")
    for action in (listing, approve, reject, expire):
        runs_with_services(action, _approvals)

    adjustments = imports.add_parser("adjustments", help="file adjustment requests from a CSV or XLSX file (head office)")
    adjustments.add_argument("file", type=Path)
    adjustments.add_argument("--skip-invalid", action="store_true", help="file the good rows even when some rows are bad")
    adjustments.add_argument("--user", required=True, metavar="NAME")
    runs_with_services(adjustments, _import_adjustments)


def _age(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // (24 * 60)} d {minutes // 60 % 24} h"


def _approvals(services: Services, args: argparse.Namespace) -> int:
    from loyalty_desk.services.adjustments.dto import QueueFilter

    adjustments = services.adjustments
    if args.approvals_command == "expire":
        sweep = adjustments.expire_due()
        print(f"{sweep.expired} request(s) expired, {sweep.points_released:,} held points released.")
        return EXIT_OK
    session = sign_in(services, args.user)
    if args.approvals_command == "list":
        statuses = ("pending", "approved", "rejected", "cancelled", "expired") if args.all else ("pending",)
        views = adjustments.queue(session=session, filters=QueueFilter(statuses=statuses))
        if args.json:
            print_json(views)
            return EXIT_OK
        if not views:
            print("No requests waiting." if not args.all else "No requests.")
            return EXIT_OK
        print(f"{len(views)} request(s):")
        for v in views:
            evidence = f" evidence {v.evidence_ref}" if v.evidence_ref else ""
            print(
                f"  #{v.request_id:<5} {v.status:<9} {v.member_no} {v.masked_name:<6} {v.direction:<6} {v.signed_points:>+9,} pts  "
                f"{v.reason_code:<16} by {v.maker_username} ({v.branch_code}), {_age(v.age_minutes)} ago, "
                f"approvals {v.approvals}/{v.approvals_needed}{evidence}"
            )
            print(f"         {v.memo}")
        return EXIT_OK
    operation_id = adjustments.new_operation_id()
    if args.approvals_command == "approve":
        outcome = adjustments.approve(operation_id=operation_id, request_id=args.request_id, session=session, note=args.note)
        if outcome.posted:
            print(f"Request #{outcome.request_id} approved and posted; available balance now {outcome.available_balance:,}.")
        else:
            print(f"Request #{outcome.request_id}: approval {outcome.approvals} of {outcome.approvals_needed} recorded; "
                  "a second, different supervisor must approve it.")
        return EXIT_OK
    outcome = adjustments.reject(operation_id=operation_id, request_id=args.request_id, session=session, note=args.note)
    print(f"Request #{outcome.request_id} rejected; nothing posted. Available balance {outcome.available_balance:,}.")
    return EXIT_OK


def _import_adjustments(services: Services, args: argparse.Namespace) -> int:
    require_file(args.file)
    services.adjustments.check_import_allowed()  # before asking for a password
    session = sign_in(services, args.user)
    report = services.adjustments.import_requests(path=args.file, session=session, skip_invalid=args.skip_invalid)
    if not report_import_problems(report, nothing_done="filed"):
        return EXIT_FAILED
    print(
        f"{report.rows_read} rows read, {report.rows_posted} request(s) filed ({report.points_posted:,} points), "
        f"{report.rows_already_imported} already filed, {report.rows_read - report.rows_valid} skipped as invalid. "
        "They wait for a supervisor's approval."
    )
    return EXIT_OK
