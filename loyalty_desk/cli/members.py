"""``loyalty-desk lookup`` and ``loyalty-desk member``: finding a member, the member view, and member
maintenance (``member freeze|unfreeze|change-mobile|change-address|change-card MEMBER_NO``) and enrolling a walk-in client
(``member enrol --name ... --id-type ... --id-number ... --mobile ...``)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from loyalty_desk.cli.common import (
    APPROVER_PASSWORD_ENV,
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    Services,
    Subcommands,
    approver_password,
    positive_int,
    print_json,
    runs_with_services,
    sign_in,
)
from loyalty_desk.domain.identity import IdType
from loyalty_desk.domain.member_care import FreezeReason
from loyalty_desk.messages import FREEZE_REASONS as FREEZE_WORDS
from loyalty_desk.messages import describe

CARE_ACTIONS = ("freeze", "unfreeze", "change-mobile", "change-address", "change-card", "close", "use-benefit")
ENROL = "enrol"


def add_commands(commands: Subcommands) -> None:
    lookup = commands.add_parser("lookup", help="find members by member no., card, mobile (or its last 4), ID or name")
    lookup.add_argument("text")
    lookup.add_argument("--json", action="store_true")
    runs_with_services(lookup, _lookup)

    member = commands.add_parser(
        "member",
        usage="%(prog)s [freeze|unfreeze|change-mobile|change-address|change-card|close|use-benefit] MEMBER_NO [options]"
              " | %(prog)s enrol --name ... [options]",
        help="the member view (balance, tier, expiring points, lots, recent history, what to offer now); freeze, unfreeze or change the "
             "mobile, address or card of a member; close an account; use a tier benefit; enrol a walk-in client",
    )
    member.add_argument("member_no", metavar="MEMBER_NO",
                        help="the member; or freeze, unfreeze, change-mobile, change-address, change-card, close followed by the member; or enrol")
    member.add_argument("care_member_no", nargs="?", help=argparse.SUPPRESS)
    member.add_argument("--json", action="store_true")
    member.add_argument("--history", type=positive_int, default=10, help="how many recent entries to show")
    member.add_argument("--reason", choices=[r.value for r in FreezeReason], help="freeze: why the member is frozen")
    member.add_argument("--note", help="freeze, unfreeze, change-mobile, change-address, change-card: the note kept with the change (5 to 500 characters)")
    member.add_argument("--mobile", help="change-mobile: the new mobile (11 digits starting with 1)")
    member.add_argument("--user", metavar="NAME", help="freeze (officer or supervisor), unfreeze (supervisor), change-mobile, enrol: who signs it")
    member.add_argument("--name", help="enrol: the client's name (Chinese characters, or Latin letters; a business's registered name)")
    member.add_argument("--id-type", choices=[t.value for t in IdType], help="enrol: the ID document")
    member.add_argument("--id-number", help="enrol: the ID number (checked as the member import checks it)")
    member.add_argument("--card", help="enrol: the card number (16 digits, optional); change-card: the new card")
    member.add_argument("--address", help="enrol: the postal address (optional); change-address: the new address")
    member.add_argument("--benefit", metavar="KEY", help="use-benefit: the tier benefit taken (see tiers benefits)")
    member.add_argument("--reward", metavar="CODE", help="close: the closing redemption's reward (optional)")
    member.add_argument("--qty", type=positive_int, default=1, help="close: how many of the closing redemption's reward")
    member.add_argument("--approver", metavar="NAME", help="close: the second supervisor approving the forfeit of the points left "
                                                           f"(password from {APPROVER_PASSWORD_ENV} or a prompt)")
    member.add_argument("--code", help="enrol: the referrer's referral code (optional; registers the referral)")
    runs_with_services(member, _member)


def _lookup(services: Services, args: argparse.Namespace) -> int:
    result = services.lookup.search(text=args.text)
    if args.json:
        print_json(result)
        return EXIT_OK
    if not result.rows:
        print(f"No member matches {args.text!r}.")
        return EXIT_FAILED
    print(f"{result.total:,} match(es) for {args.text!r} as {result.handle.value}" + (f", first {len(result.rows)} shown" if result.truncated else ""))
    for row in result.rows:
        print(
            f"  {row.member_no}{'*' if row.member_no_provisional else ' '} {row.masked_name:<8}  {row.masked_id:<20} "
            f"{row.masked_mobile:<12} {row.tier:<9} {row.balance:>10,}  {row.branch_code}"
        )
    if any(row.member_no_provisional for row in result.rows):
        print("  * provisional number, given at this desk while offline: head office gives the final one")
    return EXIT_OK


def _care(services: Services, args: argparse.Namespace) -> int:
    action, member_no = args.member_no, args.care_member_no
    needed = {"use-benefit": ("user", "benefit"), "close": ("user", "note"),
              "freeze": ("user", "reason", "note"), "unfreeze": ("user", "note"), "change-mobile": ("user", "mobile", "note"),
              "change-address": ("user", "address", "note"), "change-card": ("user", "card", "note")}[action]
    missing = [f"--{name}" for name in needed if not getattr(args, name)]
    if not member_no or missing:
        raise CommandError(f"member {action} needs MEMBER_NO and {', '.join(f'--{n}' for n in needed)}")
    session = sign_in(services, args.user)
    care = services.member_care
    operation_id = care.new_operation_id()
    if action == "use-benefit":
        used = services.benefits.use(operation_id=operation_id, session=session, member_no=member_no, benefit=args.benefit)
        print(f"Member {used.member_no} used {used.benefit}: {used.used} of {used.allowed} used this year, {used.left} left. "
              f"Operation {used.operation_id}.")
    elif action == "close":
        preview = care.closing_preview(member_no=member_no, reward_code=args.reward, qty=args.qty)
        if preview.needs_approval and not args.approver:
            raise CommandError(f"closing forfeits {preview.forfeited:,} points: a second supervisor approves with --approver NAME")
        done = care.close(operation_id=operation_id, session=session, member_no=member_no, note=args.note, reward_code=args.reward,
                          qty=args.qty, forfeit=preview.forfeited, approver_username=args.approver,
                          approver_password=approver_password(args.approver) if preview.needs_approval else None)
        redemption = f" Closing redemption {done.redemption_number}." if done.redemption_number else ""
        print(f"Member {done.member_no}'s account is closed; {done.forfeited:,} points forfeited.{redemption} Operation {done.operation_id}.")
    elif action == "freeze":
        done = care.freeze(operation_id=operation_id, session=session, member_no=member_no, reason=args.reason, note=args.note)
        print(f"Member {done.member_no} is frozen ({done.freeze_reason}): no redemption, referral or credit until a supervisor "
              f"lifts it. Operation {done.operation_id}.")
    elif action == "unfreeze":
        done = care.unfreeze(operation_id=operation_id, session=session, member_no=member_no, note=args.note)
        print(f"Member {done.member_no} is {done.status} again. Operation {done.operation_id}.")
    elif action == "change-address":
        done = care.change_address(operation_id=operation_id, session=session, member_no=member_no, address=args.address, note=args.note)
        print(f"Member {done.member_no}'s address is changed; the old one is kept in the audit trail. Operation {done.operation_id}.")
    elif action == "change-card":
        done = care.change_card(operation_id=operation_id, session=session, member_no=member_no, card_no=args.card, note=args.note)
        print(f"Member {done.member_no}'s card is now {done.masked_card}; the old one is kept in the audit trail. Operation {done.operation_id}.")
    else:
        done = care.change_mobile(operation_id=operation_id, session=session, member_no=member_no, mobile=args.mobile, note=args.note)
        print(f"Member {done.member_no}'s mobile is now {done.masked_mobile}; the old one is kept in the audit trail. "
              f"Operation {done.operation_id}.")
    return EXIT_OK


def _enrol(services: Services, args: argparse.Namespace) -> int:
    """Enrols a walk-in client; every refusal of the fields is printed at once and nothing is written."""
    if args.care_member_no:
        raise CommandError("member enrol takes no member number: the new member's is given by the enrolment")
    missing = [f"--{name.replace('_', '-')}" for name in ("user", "name", "id_type", "id_number", "mobile") if not getattr(args, name)]
    if missing:
        raise CommandError(f"member enrol needs {', '.join(missing)}")
    session = sign_in(services, args.user)
    enrolment = services.enrolment
    fields = {"name": args.name, "id_type": args.id_type, "id_number": args.id_number, "mobile": args.mobile, "card_no": args.card,
              "address": args.address, "code": args.code}
    problems = enrolment.problems(**fields)
    if problems:
        raise CommandError("the client cannot be enrolled:\n" + "\n".join(f"  {describe(problem)}" for problem in problems))
    done = enrolment.enrol(operation_id=enrolment.new_operation_id(), session=session, **fields)
    if args.json:
        print_json(done)
        return EXIT_OK
    provisional = " (provisional: head office gives the final number when this desk reaches it)" if done.member_no_provisional else ""
    referral = f" Referred by {done.referrer_no} ({done.referral_status})." if done.referrer_no else ""
    print(f"Enrolled member {done.member_no}{provisional}, referral code {done.referral_code}.{referral} Operation {done.operation_id}.")
    return EXIT_OK


def _member(services: Services, args: argparse.Namespace) -> int:
    from loyalty_desk.services.members.dto import HistoryFilter

    if args.member_no == ENROL:
        return _enrol(services, args)
    if args.member_no in CARE_ACTIONS:
        return _care(services, args)
    if args.care_member_no:
        raise CommandError(f"unknown member action {args.member_no!r} (one of: {', '.join(CARE_ACTIONS)})")

    view = services.members.view(member_no=args.member_no)
    history = services.members.history(member_no=view.member_no, offset=0, limit=args.history, filter=HistoryFilter())
    hints = services.hints.for_member(member_no=view.member_no)
    benefits = services.benefits.for_member(member_no=view.member_no)
    if args.json:
        print_json({"member": view, "history": history, "hints": hints, "benefits": benefits})
        return EXIT_OK
    tier = view.tier
    lines = [
        f"{view.member_no}{' (provisional)' if view.member_no_provisional else ''}  {view.name}  ({view.kind}, {view.status})  "
        f"branch {view.branch_code} {view.branch_name_en}",
        f"  ID {view.masked_id}   mobile {view.masked_mobile}   card {view.masked_card or '-'}",
        f"  Tier {tier.tier}  qualifying points (12 months) {tier.qualifying_points:,}",
    ]
    if view.freeze is not None:
        since = f" since {view.freeze.frozen_at:%Y-%m-%d %H:%M} UTC" if view.freeze.frozen_at else ""
        lines.append(f"  FROZEN ({FREEZE_WORDS.get(view.freeze.reason, view.freeze.reason)}){since} by {view.freeze.frozen_by or '?'}: "
                     f"{view.freeze.note}")
    if tier.next_tier and tier.points_to_next is not None:
        lines.append(f"    {tier.points_to_next:,} points to reach {tier.next_tier}")
    if tier.downgrade_due_on and tier.downgrade_to:
        unless = f"unless {tier.keep_points_needed:,} more qualifying points by then" if tier.keep_points_needed else "unless the points stay at the threshold"
        lines.append(f"    Downgrade to {tier.downgrade_to} due at the review on {tier.downgrade_due_on.isoformat()} {unless} "
                     f"(warned at the review of {tier.downgrade_warned_on.isoformat() if tier.downgrade_warned_on else '?'})")
    elif tier.keep_points_needed and tier.keep_by:
        lines.append(f"    {tier.keep_points_needed:,} points by {tier.keep_by.isoformat()} to keep {tier.tier}")
    journey = view.card_journey
    if journey is not None:
        approval = (f"approved in {journey.approval_days} days (target {journey.approval_target_days})" if journey.approval_days is not None
                    else f"approved {journey.approved_on.isoformat()} (application date not imported)")
        first = (f"first transaction {journey.first_transaction_on.isoformat()}" if journey.first_transaction_on
                 else f"first transaction not yet ({journey.first_transaction_points:,} points)")
        spend = (f"spend target reached {journey.spend_target_reached_on.isoformat()}" if journey.spend_target_reached_on
                 else f"spent {journey.spend_cny:,.2f} of {journey.spend_target_cny:,} CNY, {journey.spend_days_left} days left "
                      f"({journey.spend_target_points:,} points)")
        lines.append(f"  Card journey: {approval}; {first}; {spend}")
    if benefits.lines:
        lines.append("  Benefits: " + ", ".join(f"{b.benefit} {b.left} of {b.allowed} left this year" for b in benefits.lines))
    lines.append(f"  Balance: posted {view.posted_balance:,}  held {view.held_points:,}  available {view.available_balance:,}")
    lines.append("  Expiring: " + ", ".join(f"{e.points:,} within {e.within_days} days" for e in view.expiring))
    lines.append(f"  Open lots ({len(view.lots)}):")
    lines += [
        f"    expires {lot.expires_on.isoformat()}  {lot.remaining:>9,} of {lot.original:>9,}  {lot.source} (earned {lot.earned_on.isoformat()})"
        for lot in view.lots
    ]
    lines.append(f"  Offer now ({len(hints.hints)}" + (f"; {hints.closed_today} answered today" if hints.closed_today else "") + "):")
    lines += [f"    {_describe_hint(hint.kind, hint.facts)}" for hint in hints.hints]
    lines.append(f"  History ({history.total:,} entries, newest {len(history.rows)}):")
    lines += [
        f"    {row.occurred_at:%Y-%m-%d}  {row.kind:<9} {_describe_entry(row.description, row.description_params):<28} {row.points:>+10,}  "
        f"balance {row.balance_after:>10,}"
        for row in history.rows
    ]
    print("\n".join(lines))
    return EXIT_OK


def _describe_hint(kind: str, facts: Mapping[str, Any]) -> str:
    """A hint's facts in a line for the terminal (the member view words them in the desk's language)."""
    if kind == "expiring":
        buys = f": would buy {', '.join(facts['rewards'])}" if facts["rewards"] else ""
        return f"{facts['points']:,} points expire within {facts['within_days']} days (first on {facts['first_expires_on']}){buys}"
    if kind == "tier_reach":
        return f"{facts['points_needed']:,} points to {facts['tier']} by {facts['by']}"
    if kind == "popular_reward":
        return f"popular with {facts['tier']} members: {facts['reward']} for {facts['points_cost']:,} points ({facts['tier_redemptions']} redeemed)"
    if kind == "dormant":
        return f"no activity for {facts['months_inactive']} months, since {facts['last_activity_on']}: invite back"
    return f"{facts['successful_referrals']} successful referrals: invite to refer again"


def _describe_entry(key: str, params: dict[str, str]) -> str:
    """A history description key (``earn.card_spend``) as words for the terminal (the screens translate it)."""
    words = key.rsplit(".", 1)[-1].replace("_", " ")
    if key.startswith("tier."):
        return f"Tier changed {params.get('from_tier', '?').title()} -> {params.get('to_tier', '?').title()} ({words})"
    return words
