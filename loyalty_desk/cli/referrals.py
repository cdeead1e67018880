"""Referral commands:

    loyalty-desk refer --code CODE --name NAME --id-type TYPE --id NUMBER --mobile MOBILE [--address TEXT] --user NAME
    loyalty-desk referrals list [--member M] [--status S] [--json]
    loyalty-desk referrals sweep [--as-of DATE]
    loyalty-desk referrals flagged --user NAME [--json]
    loyalty-desk referrals clear|reject REFERRAL --note TEXT --user NAME

The signing-in user's password comes from ``LOYALTY_DESK_PASSWORD`` or a no-echo prompt. A
referral is named by its number (the registration's operation id) as ``list`` prints it.
"""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_desk.cli.common import EXIT_OK, Services, Subcommands, iso_date, print_json, runs_with_services, sign_in
from loyalty_desk.domain.identity import IdType


def add_commands(commands: Subcommands) -> None:
    refer = commands.add_parser("refer", help="register a new client referred by a member's code (password from LOYALTY_DESK_PASSWORD or a prompt)")
    refer.add_argument("--code", required=True, help="the referrer's referral code (8 characters)")
    refer.add_argument("--name", required=True)
    refer.add_argument("--id-type", required=True, choices=[t.value for t in IdType], dest="id_type")
    refer.add_argument("--id", required=True, dest="id_number", metavar="NUMBER")
    refer.add_argument("--mobile", required=True)
    refer.add_argument("--address", default=None)
    refer.add_argument("--user", required=True, metavar="NAME", help="the officer's username")
    refer.add_argument("--json", action="store_true")
    runs_with_services(refer, _referrals)

    referrals = commands.add_parser("referrals", help="referrals: list, the daily sweep, flagged ones").add_subparsers(
        dest="referrals_command", metavar="ACTION", required=True
    )
    listing = referrals.add_parser("list", help="referrals, newest first")
    listing.add_argument("--member", metavar="MEMBER_NO", help="made, received or second-level for this member")
    listing.add_argument("--status", action="append", default=[], help="registered, qualified, rewarded, rejected, flagged, expired, clawed_back (repeatable)")
    listing.add_argument("--limit", type=int, default=200)
    listing.add_argument("--json", action="store_true")
    runs_with_services(listing, _referrals)
    sweep = referrals.add_parser("sweep", help="release rewards after the pending period, claw back, expire (idempotent)")
    sweep.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)")
    runs_with_services(sweep, _referrals)
    flagged = referrals.add_parser("flagged", help="flagged referrals waiting for a supervisor, with the evidence")
    flagged.add_argument("--user", required=True, metavar="NAME")
    flagged.add_argument("--json", action="store_true")
    runs_with_services(flagged, _referrals)
    for action, text in (("clear", "clear a flagged referral (it can qualify again)"), ("reject", "reject a flagged referral")):
        decide = referrals.add_parser(action, help=text)
        decide.add_argument("referral", metavar="REFERRAL")
        decide.add_argument("--note", required=True)
        decide.add_argument("--user", required=True, metavar="NAME")
        runs_with_services(decide, _referrals)


def _line(v: Any) -> str:
    rewards = ", ".join(f"{w.role} {w.points:,} {w.status}" for w in v.rewards) or "-"
    flags = f"  flags: {', '.join(v.flag_codes)}" if v.flags else ""
    return (f"{v.operation_id}  {v.registered_on}  {v.status:<11}  {v.referrer_no} -> {v.referee_no} {v.referee_name}"
            f"  {v.qualifying_event or '-'}  rewards: {rewards}{flags}")


def _referrals(services: Services, args: argparse.Namespace) -> int:
    from loyalty_desk.services.referrals.dto import ListFilter

    referrals = services.referrals
    if args.command == "refer":
        session = sign_in(services, args.user)
        outcome = referrals.register(
            operation_id=referrals.new_operation_id(), session=session, code=args.code, name=args.name, id_type=args.id_type,
            id_number=args.id_number, mobile=args.mobile, address=args.address,
        )
        if args.json:
            print_json(outcome)
        else:
            flagged = f" — flagged for a supervisor ({', '.join(outcome.flags)})" if outcome.flags else ""
            print(f"Registered {outcome.referee_no} (referral code {outcome.referee_code}) referred by {outcome.referrer_no}: "
                  f"{outcome.status}{flagged}; referral {outcome.operation_id}")
        return EXIT_OK
    command = args.referrals_command
    if command == "list":
        views = referrals.list(filters=ListFilter(statuses=tuple(args.status), member_no=args.member), limit=args.limit)
        if args.json:
            print_json(views)
        else:
            for view in views:
                print(_line(view))
            print(f"{len(views)} referral(s)")
        return EXIT_OK
    if command == "sweep":
        report = referrals.sweep(as_of=args.as_of)
        print(f"Referral sweep as of {report.as_of}: {report.released} rewarded ({report.points_posted:,} points posted), "
              f"{report.clawed_back} clawed back, {report.expired} expired, {report.codes_assigned} referral codes assigned")
        return EXIT_OK
    session = sign_in(services, args.user)
    if command == "flagged":
        items = referrals.flagged(session=session)
        if args.json:
            print_json(items)
        else:
            for item in items:
                print(_line(item.referral))
                for other in item.evidence:
                    print(f"    evidence: {_line(other)}")
            print(f"{len(items)} flagged referral(s)")
        return EXIT_OK
    decide = referrals.clear if command == "clear" else referrals.reject
    outcome = decide(operation_id=referrals.new_operation_id(), session=session, referral=args.referral, note=args.note)
    print(f"Referral {outcome.operation_id}: {outcome.status}")
    return EXIT_OK
