"""``loyalty-desk rules``: the programme's rules. ``show [--on D]`` the rules in force on a day;
``propose`` new values with an effective date and a reason; ``approve`` / ``reject`` (a second
administrator, never the proposer) or ``withdraw`` (the proposer); ``pending``; ``history`` of the
approved versions."""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_desk.cli.common import EXIT_OK, CommandError, Services, Subcommands, add_decisions, iso_date, positive_int, print_json, runs_with_services, sign_in
from loyalty_desk.domain.rule_changes import SETTING_PATHS
from loyalty_desk.messages import SETTING_NAMES


def add_commands(commands: Subcommands) -> None:
    group = commands.add_parser("rules", help="the programme's rules: show, propose a change, approve or reject it, history")
    rules = group.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    show = rules.add_parser("show", help="the rules in force on a day (default: today)")
    show.add_argument("--on", type=iso_date, default=None, metavar="YYYY-MM-DD", help="the day (past or future)")
    show.add_argument("--json", action="store_true")
    propose = rules.add_parser("propose", help="propose new values (a second administrator approves)")
    propose.add_argument("--set", dest="changes", action="append", required=True, metavar="SETTING=VALUE",
                         help="a setting and its new value, e.g. earning.card_points_per_cny=2 (repeat for more; "
                              "'rules show' lists the settings)")
    propose.add_argument("--effective", required=True, type=iso_date, metavar="YYYY-MM-DD", help="the day it takes effect (today or later)")
    propose.add_argument("--reason", required=True, help="why (at least 10 characters)")
    approve, reject = add_decisions(rules, "change_id", approve_help="approve a proposal (an administrator other than its proposer)",
                                    reject_help="reject a proposal, with a note")
    withdraw = rules.add_parser("withdraw", help="withdraw your own proposal while it waits")
    withdraw.add_argument("change_id", type=positive_int, metavar="ID")
    withdraw.add_argument("--note", default="")
    pending = rules.add_parser("pending", help="proposals waiting for a second administrator")
    history = rules.add_parser("history", help="every approved version with its effective date")
    for action in (pending, history):
        action.add_argument("--json", action="store_true")
    for action in (propose, approve, reject, withdraw):
        action.add_argument("--user", required=True, metavar="NAME")
    for action in (show, propose, approve, reject, withdraw, pending, history):
        runs_with_services(action, _rules)


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _changes(pairs: list[str]) -> dict[str, str]:
    changes: dict[str, str] = {}
    for pair in pairs:
        path, sep, value = pair.partition("=")
        if not sep or not path.strip():
            raise CommandError(f"--set takes SETTING=VALUE, not {pair!r}")
        changes[path.strip()] = value
    return changes


def _print_change(view: Any) -> None:
    decided = f", {view.status} by {view.decided_by_username}" if view.decided_by_username else ""
    version = f" version {view.version}" if view.version else ""
    print(f"  #{view.change_id:<4} {view.status:<9}{version} effective {view.effective_on.isoformat()}  "
          f"proposed by {view.maker_username}{decided}")
    print(f"        {view.reason}")
    for setting in view.settings:
        print(f"        {setting.path}: {_value(setting.before)} -> {_value(setting.after)}")
    if view.decision_note:
        print(f"        note: {view.decision_note}")


def _rules(services: Services, args: argparse.Namespace) -> int:
    rules = services.rule_changes
    command = args.rules_command
    if command == "show":
        in_force = rules.rules_on(args.on)
        if args.json:
            print_json(in_force)
            return EXIT_OK
        source = f"version {in_force.version}" if in_force.version else "the installed settings (no version yet)"
        print(f"Rules in force on {in_force.day.isoformat()}: {source}")
        width = max(len(p) for p in SETTING_PATHS)
        for path in SETTING_PATHS:
            print(f"  {path:<{width}}  {_value(in_force.settings[path]):>16}  {SETTING_NAMES[path]}")
        return EXIT_OK
    if command in ("pending", "history"):
        views = rules.pending() if command == "pending" else rules.history()
        if args.json:
            print_json(views)
            return EXIT_OK
        if not views:
            print("No proposals waiting." if command == "pending" else "No approved version yet: the installed settings are in force.")
            return EXIT_OK
        for view in views:
            _print_change(view)
        return EXIT_OK
    session = sign_in(services, args.user)
    operation_id = rules.new_operation_id()
    if command == "propose":
        view = rules.propose(operation_id=operation_id, session=session, changes=_changes(args.changes), effective_on=args.effective,
                             reason=args.reason)
        print(f"Rules change #{view.change_id} proposed, effective {view.effective_on.isoformat()}. A second administrator must approve it.")
        _print_change(view)
        return EXIT_OK
    if command == "approve":
        view = rules.approve(operation_id=operation_id, session=session, change_id=args.change_id, note=args.note)
        print(f"Rules change #{view.change_id} approved as version {view.version}, in force from {view.effective_on.isoformat()}.")
        return EXIT_OK
    if command == "reject":
        view = rules.reject(operation_id=operation_id, session=session, change_id=args.change_id, note=args.note)
        print(f"Rules change #{view.change_id} rejected; the rules stay as they are.")
        return EXIT_OK
    view = rules.withdraw(operation_id=operation_id, session=session, change_id=args.change_id, note=args.note)
    print(f"Rules change #{view.change_id} withdrawn.")
    return EXIT_OK
