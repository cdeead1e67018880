"""``loyalty-desk staff list|add|reset-password|deactivate|unlock``: staff accounts (admin; supervisors
unlock officers). A new or reset password comes from ``LOYALTY_DESK_NEW_PASSWORD`` or a prompt."""

from __future__ import annotations

import argparse

from loyalty_desk.cli.common import EXIT_OK, NEW_PASSWORD_ENV, Services, Subcommands, new_password, runs_with_services, sign_in


def add_commands(commands: Subcommands) -> None:
    staff = commands.add_parser("staff", help="staff accounts (admin; supervisors unlock officers)").add_subparsers(
        dest="staff_command", metavar="ACTION", required=True
    )
    staff_list = staff.add_parser("list", help="every staff account")
    staff_list.add_argument("--user", required=True, metavar="NAME")
    add = staff.add_parser("add", help=f"create an account; its first password from {NEW_PASSWORD_ENV} or a prompt, changed at first sign-in")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=("officer", "supervisor", "admin", "auditor", "marketing"))
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
        action.add_argument(
            "--central", metavar="URL", help="administer the accounts in the central database (postgresql://...); desks get them through the change feed"
        )
        runs_with_services(action, _staff)


def _staff(services: Services, args: argparse.Namespace) -> int:
    session = sign_in(services, args.user)
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
        return EXIT_OK
    if args.staff_command == "add":
        view = admin.create(session=session, username=args.username, display_name=args.name, role=args.role,
                            branch_code=args.branch, initial_password=new_password(args.username))
        print(f"Account {view.username} ({view.role}, {view.branch_code}) created; the password must be changed at the first sign-in.")
    elif args.staff_command == "reset-password":
        admin.reset_password(session=session, username=args.username, new_password=new_password(args.username))
        print(f"Password of {args.username} reset; it must be changed at the next sign-in.")
    elif args.staff_command == "deactivate":
        admin.deactivate(session=session, username=args.username)
        print(f"Account {args.username} deactivated.")
    else:
        admin.unlock(session=session, username=args.username)
        print(f"Account {args.username} unlocked.")
    return EXIT_OK
