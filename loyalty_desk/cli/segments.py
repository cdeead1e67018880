"""``loyalty-desk segments``: head-office marketing's saved member filters. ``list``, ``show`` (with
its member count), ``count`` (a saved segment or criteria given on the line, nothing saved), and
``create`` (the operation segment.save, audited and synced)."""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_desk.cli.common import EXIT_OK, Services, Subcommands, print_json, print_list, print_other_errors, print_result, runs_with_services, sign_in
from loyalty_desk.domain.segments import SegmentInvalid


def _criteria_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tiers", default="", help="comma-separated tiers (default: every tier)")
    parser.add_argument("--branches", default="", help="comma-separated home branch codes (default: every branch)")
    parser.add_argument("--joined-within", default="", metavar="DAYS")
    parser.add_argument("--earned-within", default="", metavar="DAYS")
    parser.add_argument("--redeemed-within", default="", metavar="DAYS")
    parser.add_argument("--balance-min", default="", metavar="POINTS")
    parser.add_argument("--balance-max", default="", metavar="POINTS")
    parser.add_argument("--expiring-within", default="", metavar="DAYS", help="has points expiring within the days")
    parser.add_argument("--dormant-months", default="", metavar="MONTHS", help="no earning and no redemption for the months")
    parser.add_argument("--has-referred", choices=("yes", "no", "any"), default="any")
    parser.add_argument("--card-stage", choices=("no_card", "applied", "approved", "any"), default="any")


def add_commands(commands: Subcommands) -> None:
    group = commands.add_parser("segments", help="segments: saved member filters for campaigns and outreach (list, show, create, count)")
    actions = group.add_subparsers(dest="segments_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every saved segment with its criteria")
    show = actions.add_parser("show", help="one segment with its member count today")
    show.add_argument("code")
    count = actions.add_parser("count", help="the members of a saved segment, or of criteria given here (nothing saved)")
    count.add_argument("code", nargs="?", default=None)
    _criteria_arguments(count)
    create = actions.add_parser("create", help="save a segment (head-office marketing; audited)")
    create.add_argument("code", help="3-32 capital letters, digits, - or _")
    create.add_argument("--name-zh", required=True)
    create.add_argument("--name-en", required=True)
    create.add_argument("--replace", action="store_true", help="change the segment of that code instead of creating one")
    _criteria_arguments(create)
    for action in (listing, show, count, create):
        action.add_argument("--user", required=True, metavar="NAME")
        action.add_argument("--json", action="store_true")
        runs_with_services(action, _run)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _criteria(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "tiers": _split(args.tiers), "branches": _split(args.branches), "joined_within_days": args.joined_within,
        "earned_within_days": args.earned_within, "redeemed_within_days": args.redeemed_within, "balance_min": args.balance_min,
        "balance_max": args.balance_max, "expiring_within_days": args.expiring_within, "dormant_months": args.dormant_months,
        "has_referred": args.has_referred, "card_stage": args.card_stage,
    }


def _given(args: argparse.Namespace) -> bool:
    return any(value not in ("", [], "any") for value in _criteria(args).values())


def _run(services: Services, args: argparse.Namespace) -> int:
    segments = services.segments
    session = sign_in(services, args.user)
    command = args.segments_command
    if command == "list":
        return print_list(segments.list(session=session), args.json, empty="No segments.", show=lambda view: print(
            f"  {view.code:<16} v{view.version}  {view.name_en} / {view.name_zh}: {'; '.join(view.described)}"))
    if command == "show":
        view = segments.get(session=session, code=args.code)
        counted = segments.count(session=session, code=view.code)
        if args.json:
            print_json({"segment": view, "count": counted})
            return EXIT_OK
        print(f"  {view.code} v{view.version}: {view.name_en} / {view.name_zh}")
        print(f"  {'; '.join(view.described)}")
        print(f"  saved by {view.updated_by} at {view.updated_at:%Y-%m-%d %H:%M} (created by {view.created_by})")
        print(f"  {counted.members:,} members on {counted.as_of.isoformat()}")
        return EXIT_OK
    if command == "count":
        try:
            if args.code and not _given(args):
                counted = segments.count(session=session, code=args.code)
            else:
                counted = segments.count(session=session, fields=_criteria(args))
        except SegmentInvalid as invalid:
            raise print_other_errors(invalid) from None
        return print_result(counted, args.json, f"{counted.members:,} members on {counted.as_of.isoformat()}")
    version = segments.get(session=session, code=args.code).version if args.replace else 0
    try:
        view = segments.save(operation_id=segments.new_operation_id(), session=session, code=args.code, version=version,
                             fields={"name_zh": args.name_zh, "name_en": args.name_en, "criteria": _criteria(args)})
    except SegmentInvalid as invalid:
        raise print_other_errors(invalid) from None
    return print_result(view, args.json, f"Segment {view.code} saved (version {view.version}): {'; '.join(view.described)}.")
