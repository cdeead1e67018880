"""Adjustment and staff commands for supervisors and head office, plugged into ``loyalty_desk.cli``:

    loyalty-desk approvals list [--json] --user NAME
    loyalty-desk approvals approve ID [--note TEXT] --user NAME
    loyalty-desk approvals reject ID --note TEXT --user NAME
    loyalty-desk approvals expire                      (the idempotent 72-hour sweep)
    loyalty-desk import adjustments FILE [--skip-invalid] --user NAME
    loyalty-desk staff list|add|reset-password|deactivate|unlock ... --user NAME

The signing-in user's password comes from ``LOYALTY_DESK_PASSWORD`` or a no-echo prompt; a new
or reset staff password from ``LOYALTY_DESK_NEW_PASSWORD`` or a prompt. The services apply the
same rules as the screens.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

NEW_PASSWORD_ENV = "LOYALTY_DESK_NEW_PASSWORD"


def add_commands(commands: Any, imports: Any) -> None:
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
    approvals.add_parser("expire", help="expire requests older than the request lifetime (idempotent)")

    adjustments = imports.add_parser("adjustments", help="file adjustment requests from a CSV or XLSX file (head office)")
    adjustments.add_argument("file", type=_path)
    adjustments.add_argument("--skip-invalid", action="store_true", help="file the good rows even when some rows are bad")
    adjustments.add_argument("--user", required=True, metavar="NAME")

    staff = commands.add_parser("staff", help="staff accounts (admin; supervisors unlock officers)").add_subparsers(
        dest="staff_command", metavar="ACTION", required=True
    )
    staff_list = staff.add_parser("list", help="every staff account")
    staff_list.add_argument("--user", required=True, metavar="NAME")
    add = staff.add_parser("add", help=f"create an account; its first password from {NEW_PASSWORD_ENV} or a prompt, changed at first sign-in")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=("officer", "supervisor", "admin", "auditor"))
    add.add_argument("--branch", required=True, metavar="CODE")
    add.add_argument("--user", required=True, metavar="NAME")
    reset = staff.add_parser("reset-password", help=f"set a temporary password ({NEW_PASSWORD_ENV} or a prompt), changed at next sign-in")
    reset.add_argument("username")
    reset.add_argument("--user", required=True, metavar="NAME")
    deactivate = staff.add_parser("deactivate", help="disable an account")
    deactivate.add_argument("username")
    deactivate.add_argument("--user", required=True, metavar="NAME")
    unlock = staff.add_parser("unlock", help="clear a sign-in lock (a supervisor: officers of their branch)")
    unlock.add_argument("username")
    unlock.add_argument("--user", required=True, metavar="NAME")
    for action in (staff_list, add, reset, deactivate, unlock):
        # with desks joined to central, accounts are kept at central: it registers their signing keys (docs/security.md)
        action.add_argument("--central", metavar="URL", help="administer the accounts in the central database (postgresql://...); desks get them through the change feed")


def _path(text: str) -> Any:
    from pathlib import Path

    return Path(text)


def _print_json(value: Any) -> None:
    from loyalty_desk.cli import _print_json as print_json

    print_json(value)


def _sign_in(services: Any, username: str) -> Any:
    from loyalty_desk.cli import _sign_in as sign_in

    return sign_in(services, username)


def _new_password(username: str) -> str:
    from loyalty_desk.cli import CommandError

    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise CommandError(f"no new password: set {NEW_PASSWORD_ENV} or run the command in a terminal")
    first = getpass.getpass(f"New password for {username}: ")
    if getpass.getpass("Again: ") != first:
        raise CommandError("the two passwords differ")
    return first


def _age(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // (24 * 60)} d {minutes // 60 % 24} h"


def approvals_command(services: Any, args: argparse.Namespace) -> int:
    from loyalty_desk.services.adjustments.dto import QueueFilter

    adjustments = services.adjustments
    if args.approvals_command == "expire":
        sweep = adjustments.expire_due()
        print(f"{sweep.expired} request(s) expired, {sweep.points_released:,} held points released.")
        return 0
    session = _sign_in(services, args.user)
    if args.approvals_command == "list":
        statuses = ("pending", "approved", "rejected", "cancelled", "expired") if args.all else ("pending",)
        views = adjustments.queue(session=session, filters=QueueFilter(statuses=statuses))
        if args.json:
            _print_json(views)
            return 0
        if not views:
            print("No requests waiting." if not args.all else "No requests.")
            return 0
        print(f"{len(views)} request(s):")
        for v in views:
            evidence = f" evidence {v.evidence_ref}" if v.evidence_ref else ""
            print(
                f"  #{v.request_id:<5} {v.status:<9} {v.member_no} {v.masked_name:<6} {v.direction:<6} {v.signed_points:>+9,} pts  "
                f"{v.reason_code:<16} by {v.maker_username} ({v.branch_code}), {_age(v.age_minutes)} ago, "
                f"approvals {v.approvals}/{v.approvals_needed}{evidence}"
            )
            print(f"         {v.memo}")
        return 0
    operation_id = adjustments.new_operation_id()
    if args.approvals_command == "approve":
        outcome = adjustments.approve(operation_id=operation_id, request_id=args.request_id, session=session, note=args.note)
        if outcome.posted:
            print(f"Request #{outcome.request_id} approved and posted; available balance now {outcome.available_balance:,}.")
        else:
            print(f"Request #{outcome.request_id}: approval {outcome.approvals} of {outcome.approvals_needed} recorded; "
                  "a second, different supervisor must approve it.")
        return 0
    outcome = adjustments.reject(operation_id=operation_id, request_id=args.request_id, session=session, note=args.note)
    print(f"Request #{outcome.request_id} rejected; nothing posted. Available balance {outcome.available_balance:,}.")
    return 0


def import_adjustments(services: Any, args: argparse.Namespace) -> int:
    from loyalty_desk.cli import CommandError

    if not args.file.is_file():
        raise CommandError(f"file not found: {args.file}")
    services.adjustments.check_import_allowed()  # before asking for a password
    session = _sign_in(services, args.user)
    report = services.adjustments.import_requests(path=args.file, session=session, skip_invalid=args.skip_invalid)
    for problem in report.problems[:50]:
        print(f"row {problem.row}, column {problem.column}, value {problem.value!r}: {problem.message}", file=sys.stderr)
    if len(report.problems) > 50:
        print(f"... and {len(report.problems) - 50} more problems", file=sys.stderr)
    if report.error_report:
        print(f"Error report: {report.error_report}", file=sys.stderr)
    if not report.posted:
        print(f"Nothing filed: {len(report.problems)} problem(s) in {report.rows_read} row(s); fix them or use --skip-invalid.", file=sys.stderr)
        return 1
    print(
        f"{report.rows_read} rows read, {report.rows_posted} request(s) filed ({report.points_posted:,} points), "
        f"{report.rows_already_imported} already filed, {report.rows_read - report.rows_valid} skipped as invalid. "
        "They wait for a supervisor's approval."
    )
    return 0


def staff_command(services: Any, args: argparse.Namespace) -> int:
    session = _sign_in(services, args.user)
    admin = services.staff_admin
    if args.staff_command == "list":
        from loyalty_desk.services.clock import utc_now

        now = utc_now()
        for s in admin.list(session=session):
            state = "active" if s.active else "disabled"
            if s.locked(now):
                state = f"locked until {s.locked_until:%Y-%m-%d %H:%M} UTC"
            flag = "  must change password" if s.must_change_password else ""
            print(f"  {s.username:<20} {s.role:<11} {s.branch_code:<6} {state}{flag}  {s.display_name}")
        return 0
    if args.staff_command == "add":
        view = admin.create(session=session, username=args.username, display_name=args.name, role=args.role,
                            branch_code=args.branch, initial_password=_new_password(args.username))
        print(f"Account {view.username} ({view.role}, {view.branch_code}) created; the password must be changed at the first sign-in.")
    elif args.staff_command == "reset-password":
        admin.reset_password(session=session, username=args.username, new_password=_new_password(args.username))
        print(f"Password of {args.username} reset; it must be changed at the next sign-in.")
    elif args.staff_command == "deactivate":
        admin.deactivate(session=session, username=args.username)
        print(f"Account {args.username} deactivated.")
    else:
        admin.unlock(session=session, username=args.username)
        print(f"Account {args.username} unlocked.")
    return 0
