"""``loyalty-desk campaigns``: head-office marketing's campaigns. ``list`` and ``show`` (with ``--forecast``,
the cost forecast); ``create`` a draft, ``submit`` it, ``approve`` or ``reject`` it (a second marketer,
never who drafted or submitted it), ``stop`` an approved one early with a reason."""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_desk.cli.common import EXIT_OK, ConsoleProgress, Services, Subcommands, print_json, print_list, print_other_errors, runs_with_services, sign_in
from loyalty_desk.domain.campaigns import CampaignInvalid, CampaignKind


def add_commands(commands: Subcommands) -> None:
    group = commands.add_parser("campaigns", help="campaigns: list, show (with the cost forecast), create, submit, approve, reject, stop")
    actions = group.add_subparsers(dest="campaigns_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every campaign with its status, budget used and left, members reached")
    listing.add_argument("--status", action="append", default=[], choices=("draft", "submitted", "approved", "stopped"))
    show = actions.add_parser("show", help="one campaign; --forecast replays last year's earnings through it")
    show.add_argument("code")
    show.add_argument("--forecast", action="store_true", help="the cost forecast: points, members, CNY, the day the budget runs out")
    create = actions.add_parser("create", help="a draft campaign (head-office marketing)")
    create.add_argument("--code", default=None, help="3-32 capital letters, digits, - or _ (default: made up)")
    create.add_argument("--name-zh", required=True)
    create.add_argument("--name-en", required=True)
    create.add_argument("--kind", choices=[kind.value for kind in CampaignKind], default="multiplier",
                        help="multiplier, bonus; the card-journey tasks: card_approved (within --within-days of application), "
                             "first_transaction (the first card transaction after approval), spend_target (--target-cny within --within-days)")
    create.add_argument("--multiplier", default="", help="e.g. 2 for double points (multiplier campaigns)")
    create.add_argument("--bonus", default="", metavar="POINTS",
                        help="points added to each eligible transaction (bonus campaigns), or given once (card-journey tasks)")
    create.add_argument("--within-days", default=None, metavar="N",
                        help="card_approved: approved within N days of application; spend_target: the target reached within N days of approval")
    create.add_argument("--target-cny", default=None, metavar="CNY", help="spend_target: the card spend since approval to reach")
    create.add_argument("--sources", default="",
                        help="comma-separated: card_spend, financing, repayment, profile_completed, branch_event, survey "
                             "(multiplier and bonus campaigns; a card-journey task has its own)")
    create.add_argument("--tiers", default="standard,silver,gold,platinum", help="comma-separated tiers (default: every tier)")
    create.add_argument("--branches", default="", help="comma-separated branch codes of the members' home branches (default: every branch)")
    create.add_argument("--segment", default="", metavar="CODE", help="only the members of this saved segment earn from it (default: every member)")
    create.add_argument("--from", dest="starts_on", required=True, metavar="YYYY-MM-DD")
    create.add_argument("--to", dest="ends_on", required=True, metavar="YYYY-MM-DD")
    create.add_argument("--budget", required=True, metavar="POINTS", help="the points the campaign may give in total")
    create.add_argument("--member-cap", default="", metavar="POINTS", help="the points one member may get from it (default: no cap)")
    create.add_argument("--stacking", choices=("best", "combine"), default="best",
                        help="best: only the best multiplier applies (rules.md); combine: added on top")
    submit = actions.add_parser("submit", help="send a draft for approval by a second marketer")
    submit.add_argument("code")
    approve = actions.add_parser("approve", help="approve a submitted campaign (not one you drafted or submitted)")
    approve.add_argument("code")
    approve.add_argument("--note", default="")
    reject = actions.add_parser("reject", help="send a submitted campaign back to draft, with a note")
    reject.add_argument("code")
    reject.add_argument("--note", required=True)
    stop = actions.add_parser("stop", help="stop an approved campaign early, with a reason")
    stop.add_argument("code")
    stop.add_argument("--reason", required=True)
    for action in (listing, show, create, submit, approve, reject, stop):
        action.add_argument("--user", required=True, metavar="NAME")
        action.add_argument("--json", action="store_true")
        runs_with_services(action, _run)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _rule(view: Any) -> str:
    if view.kind == "multiplier":
        return f"x{view.multiplier}"
    if view.kind == "card_approved":
        return f"+{view.bonus_points:,} once, card approved within {view.within_days} days of application"
    if view.kind == "first_transaction":
        return f"+{view.bonus_points:,} once, first card transaction after approval"
    if view.kind == "spend_target":
        return f"+{view.bonus_points:,} once, card spend {view.target_cny:,} CNY within {view.within_days} days of approval"
    return f"+{view.bonus_points:,}"


def _line(view: Any) -> str:
    rule = f"x{view.multiplier}" if view.kind == "multiplier" else f"+{view.bonus_points:,}"
    return (f"  {view.code:<14} {view.shown_status:<10} {view.starts_on.isoformat()}..{view.ends_on.isoformat()}  {rule:<7} "
            f"budget {view.budget_points:,}, used {view.spent_points:,}, left {view.budget_left:,}, {view.members_reached:,} members  "
            f"{view.name_en}")


def _run(services: Services, args: argparse.Namespace) -> int:
    campaigns = services.campaigns
    session = sign_in(services, args.user)
    command = args.campaigns_command
    if command == "list":
        return print_list(campaigns.list(session=session, statuses=tuple(args.status)), args.json, empty="No campaigns.",
                          show=lambda view: print(_line(view)))
    if command == "show":
        view = campaigns.get(session=session, code=args.code)
        forecast = None
        if args.forecast:
            progress = ConsoleProgress("forecast: slice ")
            forecast = campaigns.forecast(session=session, code=view.code, progress=progress)
            progress.done()
        if args.json:
            print_json({"campaign": view, "forecast": forecast})
            return EXIT_OK
        print(_line(view))
        print(f"  {view.kind}: {_rule(view)}")
        print(f"  {view.name_zh}; sources {', '.join(view.sources)}; tiers {', '.join(view.tiers)}; "
              f"branches {', '.join(view.branches) or 'all'}; segment {view.segment or 'every member'};"
              f" per-member cap {view.member_cap or 'none'}; stacking {view.stacking}")
        print(f"  drafted by {view.created_by or '-'}, submitted by {view.submitted_by or '-'}, decided by {view.decided_by or '-'}")
        if view.rejection_note:
            print(f"  last rejected: {view.rejection_note}")
        if view.stop_reason:
            print(f"  stopped by {view.stopped_by}: {view.stop_reason}")
        if forecast is not None:
            if forecast.replayed_from is None:
                print("  forecast: no day of its window falls in the last 12 months' earnings")
            else:
                runs_out = forecast.exhausted_on.isoformat() if forecast.exhausted_on else "not within the window"
                print(f"  forecast (replaying {forecast.replayed_from.isoformat()}..{forecast.replayed_to.isoformat()}): "
                      f"{forecast.points:,} points to {forecast.members_reached:,} members on {forecast.transactions:,} transactions, "
                      f"{forecast.cost_cny:,} CNY; budget runs out: {runs_out}")
        return EXIT_OK
    operation_id = campaigns.new_operation_id()
    if command == "create":
        fields = {
            "name_zh": args.name_zh, "name_en": args.name_en, "kind": args.kind, "multiplier": args.multiplier, "bonus_points": args.bonus,
            "sources": _split(args.sources), "tiers": _split(args.tiers), "branches": _split(args.branches), "starts_on": args.starts_on,
            "ends_on": args.ends_on, "budget_points": args.budget, "member_cap": args.member_cap or None, "stacking": args.stacking,
            "within_days": args.within_days, "target_cny": args.target_cny,
            "segment": args.segment or None,
        }
        try:
            view = campaigns.create(operation_id=operation_id, session=session, fields=fields, code=args.code)
        except CampaignInvalid as invalid:
            raise print_other_errors(invalid) from None
        print(f"Campaign {view.code} drafted. Submit it, then a second marketer approves it.")
    elif command == "submit":
        view = campaigns.submit(operation_id=operation_id, session=session, code=args.code)
        print(f"Campaign {view.code} submitted; another marketer must approve it.")
    elif command == "approve":
        view = campaigns.approve(operation_id=operation_id, session=session, code=args.code, note=args.note)
        print(f"Campaign {view.code} approved ({view.shown_status}).")
    elif command == "reject":
        view = campaigns.reject(operation_id=operation_id, session=session, code=args.code, note=args.note)
        print(f"Campaign {view.code} rejected: back to draft.")
    else:
        view = campaigns.stop(operation_id=operation_id, session=session, code=args.code, reason=args.reason)
        print(f"Campaign {view.code} stopped after {view.spent_points:,} points.")
    if args.json:
        print_json(view)
    return EXIT_OK
