"""``loyalty-desk rewards``, ``redeem`` and ``redemptions list|reverse|receipt``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from loyalty_desk.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    Services,
    Subcommands,
    describe_code,
    positive_int,
    print_json,
    runs_with_services,
    sign_in,
)


def add_commands(commands: Subcommands) -> None:
    rewards = commands.add_parser("rewards", help="the reward catalogue; with --member, what blocks each reward for that member")
    rewards.add_argument("--member", metavar="MEMBER_NO")
    rewards.add_argument("--branch", metavar="CODE", help="whose stock to show (default: the member's home branch)")
    rewards.add_argument("--json", action="store_true")
    runs_with_services(rewards, _rewards)

    redeem = commands.add_parser("redeem", help="redeem points for a reward (password from LOYALTY_DESK_PASSWORD or a prompt)")
    redeem.add_argument("member_no", metavar="MEMBER_NO")
    redeem.add_argument("reward_code", metavar="REWARD_CODE")
    redeem.add_argument("--qty", type=positive_int, default=1)
    redeem.add_argument("--user", required=True, metavar="NAME", help="the officer's or supervisor's username")
    redeem.add_argument("--receipt", type=Path, metavar="FILE.pdf", help="write the printable receipt to this PDF")
    redeem.add_argument("--language", choices=("zh_CN", "en"), default="zh_CN", help="language of the receipt")
    runs_with_services(redeem, _redeem)

    redemptions = commands.add_parser("redemptions", help="list, reverse and reprint redemptions").add_subparsers(
        dest="redemptions_command", metavar="ACTION", required=True
    )
    reverse = redemptions.add_parser("reverse", help="reverse a redemption (supervisor, within the reversal window, once)")
    reverse.add_argument("number", metavar="NUMBER")
    reverse.add_argument("--reason", required=True)
    reverse.add_argument("--user", required=True, metavar="NAME")
    runs_with_services(reverse, _reverse)
    listing = redemptions.add_parser("list", help="recent redemptions, newest first")
    listing.add_argument("--member", metavar="MEMBER_NO")
    listing.add_argument("--limit", type=positive_int, default=50)
    listing.add_argument("--json", action="store_true")
    runs_with_services(listing, _list)
    reprint = redemptions.add_parser("receipt", help="write the receipt of an earlier redemption to a PDF")
    reprint.add_argument("number", metavar="NUMBER")
    reprint.add_argument("file", type=Path, metavar="FILE.pdf")
    reprint.add_argument("--language", choices=("zh_CN", "en"), default="zh_CN")
    runs_with_services(reprint, _reprint)


def _rewards(services: Services, args: argparse.Namespace) -> int:
    if not args.member and not args.branch:
        raise CommandError("give --branch CODE (or --member MEMBER_NO to use the member's home branch)")
    offers = services.redemption.catalogue(member_no=args.member, branch_code=args.branch)
    if args.json:
        print_json(offers)
        return EXIT_OK
    print(f"{len(offers)} reward(s)" + (f" for {args.member}" if args.member else "") + ":")
    for offer in offers:
        stock = "" if offer.stock is None else f"  stock {offer.stock}"
        state = "available" if offer.available else "blocked"
        print(
            f"  {offer.code:<16} {offer.points_cost:>8,} pts  {offer.category:<17} {offer.min_tier:<9} {state:<9} "
            f"{offer.name_en} / {offer.name_zh}{stock}"
        )
        for block in offer.blocks:
            print(f"      - {describe_code(block.code, block.params)}")
    return EXIT_OK


def _redeem(services: Services, args: argparse.Namespace) -> int:
    operation_id = services.redemption.new_operation_id()  # made where the operation starts
    session = sign_in(services, args.user)
    receipt = services.redemption.redeem(
        operation_id=operation_id, session=session, member_no=args.member_no, reward_code=args.reward_code, qty=args.qty
    )
    print(
        f"Redeemed {receipt.qty} x {receipt.reward_code} ({receipt.reward_name_en}) for {receipt.member_no} {receipt.masked_name}: "
        f"{receipt.points:,} points, available balance now {receipt.balance_after:,}. Redemption number {receipt.number}."
    )
    if args.receipt:
        _write_receipt(services, receipt, args.receipt, args.language)
    return _report_confirmation(services, receipt.operation_id)


def _report_confirmation(services: Services, operation_id: str) -> int:
    """With a central configured: waits briefly for head office's verdict and says what it was."""
    sync = getattr(services, "sync", None)
    if sync is None or sync.standalone:
        return EXIT_OK
    answer = sync.confirmation(operation_id)
    if answer.state == "confirmed":
        print("Confirmed by head office.")
    elif answer.state == "rejected":
        reason = describe_code(answer.reason_code or "central.rejected", answer.params)
        print(f"Head office refused it: {reason}. The points were given back here; a supervisor resolves it on the sync screen.", file=sys.stderr)
        return EXIT_FAILED
    else:
        print(f"Saved, waiting to send to head office ({sync.status().waiting} waiting); 'loyalty-desk sync' sends it.")
    return EXIT_OK


def _write_receipt(services: Services, receipt: Any, path: Path, language: str) -> None:
    from loyalty_desk.documents.receipts import render_receipt

    try:
        render_receipt(receipt, path, language=language, return_days=services.settings.current().redemption.reversal_window_days)
    except OSError as error:
        raise CommandError(f"cannot write the receipt {path}: {error.strerror or error}") from None
    print(f"Receipt written to {path}")


def _reverse(services: Services, args: argparse.Namespace) -> int:
    operation_id = services.redemption.new_operation_id()
    session = sign_in(services, args.user)
    reversal = services.redemption.reverse(operation_id=operation_id, session=session, redemption_number=args.number, reason=args.reason)
    print(
        f"Redemption {reversal.number} reversed: {reversal.points:,} points back to {reversal.member_no} "
        f"into {len(reversal.restored_lots)} lot(s); available balance now {reversal.balance_after:,}."
    )
    return EXIT_OK


def _reprint(services: Services, args: argparse.Namespace) -> int:
    _write_receipt(services, services.redemption.receipt(number=args.number), args.file, args.language)
    return EXIT_OK


def _list(services: Services, args: argparse.Namespace) -> int:
    views = services.redemption.list(member_no=args.member, limit=args.limit)
    if args.json:
        print_json(views)
        return EXIT_OK
    if not views:
        print("No redemptions.")
        return EXIT_OK
    for view in views:
        line = (
            f"  {view.number:<22} {view.redeemed_at:%Y-%m-%d %H:%M}  {view.member_no} {view.masked_name:<6} "
            f"{view.qty} x {view.reward_code:<16} {view.points:>9,} pts  {view.branch_code} {view.officer_username}"
        )
        if view.reversed_at:
            line += f"  REVERSED {view.reversed_at:%Y-%m-%d} by {view.reversed_by}: {view.reversal_reason}"
        print(line)
    return EXIT_OK
