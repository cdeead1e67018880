"""``loyalty-desk outreach``: head-office marketing's messages. ``build`` a batch for a segment and a
reason (the SMS platform's CSV and its ``.sha256`` written to a folder), ``list`` and ``show`` the
batches with their delivery results, ``export`` one to Excel for review, ``import-delivery`` the
platform's report, ``send`` a batch to the platform over HTTP when the desk has its settings;
``preferences`` shows or changes a member's message language and opt-out."""

from __future__ import annotations

import argparse

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, Services, Subcommands, print_json, print_list, runs_with_services, sign_in
from loyalty_desk.domain.outreach import Language, Reason
from loyalty_desk.services.outreach.dto import OutreachBatchView


def add_commands(commands: Subcommands) -> None:
    group = commands.add_parser("outreach", help="marketing messages: build, list, show, export, import-delivery, send; a member's preferences")
    actions = group.add_subparsers(dest="outreach_command", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="a batch of messages for a segment and a reason, written as the SMS platform's file")
    build.add_argument("--segment", required=True, metavar="CODE")
    build.add_argument("--reason", required=True, choices=[r.value for r in Reason])
    build.add_argument("--campaign", default=None, metavar="CODE", help="campaign_invitation: the campaign invited to")
    build.add_argument("--out", default=".", metavar="FOLDER", help="where the SMS file and its .sha256 go (default: here)")
    listing = actions.add_parser("list", help="every batch with its figures and delivery results")
    show = actions.add_parser("show", help="one batch")
    show.add_argument("code")
    export = actions.add_parser("export", help="a batch as an Excel workbook for review (mobiles masked)")
    export.add_argument("code")
    export.add_argument("--out", required=True, metavar="FILE.xlsx")
    delivery = actions.add_parser("import-delivery", help="the SMS platform's delivery report (CSV or XLSX: message_id, status)")
    delivery.add_argument("code")
    delivery.add_argument("file")
    send = actions.add_parser("send", help="a batch's messages not yet accepted or refused, to the SMS platform over HTTP (sms-platform.ini)")
    send.add_argument("code")
    preferences = actions.add_parser("preferences", help="a member's message language and opt-out; with --note, change them (audited)")
    preferences.add_argument("member_no", metavar="MEMBER_NO")
    preferences.add_argument("--language", choices=[lang.value for lang in Language])
    preferences.add_argument("--opt-out", choices=("yes", "no"))
    preferences.add_argument("--note", help="how the member asked (kept in the audit trail)")
    for action in (build, listing, show, export, delivery, send, preferences):
        action.add_argument("--user", required=True, metavar="NAME")
        action.add_argument("--json", action="store_true")
        runs_with_services(action, _run)


def _print_batch(view: OutreachBatchView) -> None:
    results = ", ".join(f"{status} {count:,}" for status, count in sorted(view.statuses.items())) or "none"
    print(f"  {view.code}  {view.reason:<20} {view.period:<18} segment {view.segment}{' campaign ' + view.campaign if view.campaign else ''}")
    print(f"    {view.messages:,} messages; left out: {view.opted_out:,} opted out, {view.no_mobile:,} without a valid mobile, "
          f"{view.already_messaged:,} already messaged, {view.nothing_to_say:,} not concerned")
    print(f"    built by {view.created_by} at {view.created_at:%Y-%m-%d %H:%M}; file {view.file_name} sha256 {view.file_sha256}")
    print(f"    delivery: {results}")


def _run(services: Services, args: argparse.Namespace) -> int:
    outreach = services.outreach
    session = sign_in(services, args.user)
    command = args.outreach_command
    if command == "build":
        view = outreach.build(session=session, segment=args.segment, reason=args.reason, campaign=args.campaign, folder=args.out)
        if args.json:
            print_json(view)
        else:
            print(f"Batch {view.code}: {view.messages:,} messages written to {view.file_name} (and {view.file_name}.sha256).")
            _print_batch(view)
        return EXIT_OK
    if command == "list":
        return print_list(outreach.list(session=session), args.json, empty="No outreach batches.", show=_print_batch)
    if command == "show":
        view = outreach.get(session=session, code=args.code)
        if args.json:
            print_json(view)
        else:
            _print_batch(view)
        return EXIT_OK
    if command == "export":
        written = outreach.export(session=session, code=args.code, path=args.out)
        print(f"Batch {args.code.upper()}: {written:,} messages written to {args.out} for review.")
        return EXIT_OK
    if command == "import-delivery":
        result = outreach.import_delivery(session=session, code=args.code, path=args.file)
        if args.json:
            print_json(result)
        else:
            print(f"Batch {result.batch}: {result.rows:,} rows read, {result.updated:,} statuses changed, {result.unchanged:,} already so.")
            for message_id in result.unknown_messages[:20]:
                print(f"  no message {message_id!r} in this batch")
            for row, status in result.unknown_statuses[:20]:
                print(f"  row {row}: unknown status {status!r}")
            for row in result.unreadable_rows[:20]:
                print(f"  row {row}: unreadable")
        return EXIT_FAILED if result.unknown_messages or result.unknown_statuses or result.unreadable_rows else EXIT_OK
    if command == "send":
        sent = outreach.send(session=session, code=args.code)
        if args.json:
            print_json(sent)
        else:
            print(f"Batch {sent.batch}: {sent.pending:,} messages to send; {sent.accepted:,} accepted by the SMS platform, "
                  f"{sent.refused:,} refused, {sent.not_sent:,} not sent (send again later).")
            for message_id, reason in sent.refusals:
                print(f"  {message_id} refused: {reason}")
            for reason, count in sent.not_sent_reasons:
                print(f"  not sent ({reason}): {count:,}")
        return EXIT_FAILED if sent.refused or sent.not_sent else EXIT_OK
    care = services.outreach_preferences
    if args.note is None:
        shown = care.get(session=session, member_no=args.member_no)
    else:
        current = care.get(session=session, member_no=args.member_no)
        shown = care.change(operation_id=care.new_operation_id(), session=session, member_no=args.member_no,
                            language=args.language or current.language,
                            opt_out=current.opted_out if args.opt_out is None else args.opt_out == "yes", note=args.note)
    if args.json:
        print_json(shown)
    else:
        print(f"Member {shown.member_no}: messages in {shown.language}; marketing messages {'refused' if shown.opted_out else 'accepted'}"
              + (f" (changed by {shown.changed_by} at {shown.changed_at:%Y-%m-%d %H:%M})" if shown.changed_at else ""))
    return EXIT_OK
