"""``loyalty-desk tiers review``: the monthly tier review, once per calendar month (a standalone desk's
application and central's ``central run`` also run it themselves); ``loyalty-desk tiers override``: manual
tier overrides (a supervisor requests with a reason and an end date, another supervisor approves);
``loyalty-desk tiers benefits``: each tier's benefits a year, or what a member has left this year."""

from __future__ import annotations

import argparse
from datetime import date

from loyalty_desk.cli.common import EXIT_OK, Services, Subcommands, add_decisions, cli_actor, iso_date, print_json, runs_with_services, sign_in


def add_commands(commands: Subcommands) -> None:
    group = commands.add_parser("tiers", help="member tiers: the monthly review, manual overrides, benefits")
    tiers = group.add_subparsers(dest="tiers_command", metavar="ACTION", required=True)
    review = tiers.add_parser("review", help="the monthly tier review (once per calendar month; a rerun says it already ran)")
    review.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD, the review date; its month is the one reviewed (default: today)")
    review.add_argument(
        "--central", metavar="URL", help="review at the central database (postgresql://...) instead of this desk's store; desks get it through the change feed"
    )
    runs_with_services(review, _review)

    benefits = tiers.add_parser("benefits", help="each tier's benefits a year (rule settings), or with --member what the member has left this year")
    benefits.add_argument("--member", default=None, metavar="MEMBER_NO")
    benefits.add_argument("--json", action="store_true")
    runs_with_services(benefits, _benefits)

    override = tiers.add_parser("override", help="manual tier overrides: request, approve, reject, list")
    actions = override.add_subparsers(dest="override_command", metavar="ACTION", required=True)
    request = actions.add_parser("request", help="a supervisor requests a tier for a member until an end date; another supervisor approves")
    request.add_argument("member_no")
    request.add_argument("--tier", required=True, choices=("standard", "silver", "gold", "platinum"))
    request.add_argument("--until", required=True, type=iso_date, metavar="YYYY-MM-DD", help="the end date: the member goes back to their tier then")
    request.add_argument("--reason", required=True, help="why (at least 10 characters)")
    approve, reject = add_decisions(actions, "override_id", approve_help="approve a request (a supervisor other than the one who requested it)",
                                    reject_help="reject a request, with a note")
    listing = actions.add_parser("list", help="overrides waiting for approval or in force (--all: every one)")
    listing.add_argument("--member", default=None, metavar="MEMBER_NO")
    listing.add_argument("--all", action="store_true")
    listing.add_argument("--json", action="store_true")
    for action in (request, approve, reject):
        action.add_argument("--user", required=True, metavar="NAME")
    for action in (request, approve, reject, listing):
        runs_with_services(action, _override)


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


def _benefits(services: Services, args: argparse.Namespace) -> int:
    if args.member:
        mine = services.benefits.for_member(member_no=args.member)
        if args.json:
            print_json(mine)
            return EXIT_OK
        print(f"{mine.member_no} ({mine.tier}, {mine.status}), {mine.year}:" + ("" if mine.lines else " no benefits in this tier"))
        for line in mine.lines:
            print(f"  {line.benefit}: {line.left} of {line.allowed} left this year")
        return EXIT_OK
    tiers = services.benefits.tiers()
    if args.json:
        print_json(tiers)
        return EXIT_OK
    for tier in tiers:
        print(f"{tier.tier}: " + (", ".join(f"{benefit} {per_year} a year" for benefit, per_year in tier.lines) or "none"))
    return EXIT_OK


def _override(services: Services, args: argparse.Namespace) -> int:
    overrides = services.tier_overrides
    if args.override_command == "list":
        views = overrides.list(statuses=() if args.all else ("pending", "approved"), member_no=args.member)
        if args.json:
            print_json(views)
            return EXIT_OK
        if not views:
            print("No tier overrides." if args.all else "No tier overrides waiting or in force.")
            return EXIT_OK
        for v in views:
            decided = f", {v.status} by {v.decided_by_username}" if v.decided_by_username else ""
            print(f"  #{v.override_id:<5} {v.status:<9} {v.member_no} -> {v.tier:<8} until {v.ends_on.isoformat()}  "
                  f"requested by {v.maker_username}{decided}; member now {v.member_tier}")
            print(f"         {v.reason}")
        return EXIT_OK
    session = sign_in(services, args.user)
    operation_id = overrides.new_operation_id()
    if args.override_command == "request":
        view = overrides.request(operation_id=operation_id, session=session, member_no=args.member_no, tier=args.tier, reason=args.reason,
                                 ends_on=args.until)
        print(f"Tier override #{view.override_id} requested: {view.member_no} to {view.tier} until {view.ends_on.isoformat()}. "
              "Another supervisor must approve it.")
        return EXIT_OK
    if args.override_command == "approve":
        view = overrides.approve(operation_id=operation_id, session=session, override_id=args.override_id, note=args.note)
        print(f"Tier override #{view.override_id} approved: {view.member_no} is {view.member_tier} until {view.ends_on.isoformat()}, "
              f"then back to {view.previous_tier}.")
        return EXIT_OK
    view = overrides.reject(operation_id=operation_id, session=session, override_id=args.override_id, note=args.note)
    print(f"Tier override #{view.override_id} rejected; {view.member_no} stays {view.member_tier}.")
    return EXIT_OK
