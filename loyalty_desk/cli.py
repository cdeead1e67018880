"""The ``loyalty-desk`` command: the desk application by default, subcommands for the rest.

Errors are one clear line on stderr and a non-zero exit; an unexpected failure is logged
with a reference the user can quote, never shown as a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import logging
import sys
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from loyalty_desk import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 70

log = logging.getLogger("loyalty_desk")


class CommandError(Exception):
    """A refusal worth one line on stderr."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loyalty-desk", description="Loyalty Desk: the branch desk for the points loyalty programme.")
    parser.add_argument("--version", action="version", version=f"loyalty-desk {__version__}")
    parser.add_argument("--data-dir", type=Path, help="folder of the local store (default: env LOYALTY_DESK_DATA_DIR, else the folder chosen in the desk's settings, else the user data folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="create or refresh a store with deterministic demo data")
    demo.add_argument("--members", type=_positive_int, default=2000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--central", metavar="URL", help="fill this (empty) central PostgreSQL database instead of the local store; runs 'central init' first")

    lookup = commands.add_parser("lookup", help="find members by member no., card, mobile (or its last 4), ID or name")
    lookup.add_argument("text")
    lookup.add_argument("--json", action="store_true")

    member = commands.add_parser("member", help="the member view: balance, tier, expiring points, lots, recent history")
    member.add_argument("member_no")
    member.add_argument("--json", action="store_true")
    member.add_argument("--history", type=_positive_int, default=10, help="how many recent entries to show")

    imports = commands.add_parser("import", help="import files").add_subparsers(dest="import_kind", metavar="KIND", required=True)
    transactions = imports.add_parser("transactions", help="post earning from a CSV or XLSX transaction file")
    transactions.add_argument("file", type=Path)
    transactions.add_argument("--skip-invalid", action="store_true", help="post the good rows even when some rows are bad")

    expire = commands.add_parser("expire", help="expire lots past their date (idempotent per date)")
    expire.add_argument("--as-of", type=_iso_date, default=None, help="YYYY-MM-DD (default: today)")

    rewards = commands.add_parser("rewards", help="the reward catalogue; with --member, what blocks each reward for that member")
    rewards.add_argument("--member", metavar="MEMBER_NO")
    rewards.add_argument("--branch", metavar="CODE", help="whose stock to show (default: the member's home branch)")
    rewards.add_argument("--json", action="store_true")

    redeem = commands.add_parser("redeem", help="redeem points for a reward (password from LOYALTY_DESK_PASSWORD or a prompt)")
    redeem.add_argument("member_no", metavar="MEMBER_NO")
    redeem.add_argument("reward_code", metavar="REWARD_CODE")
    redeem.add_argument("--qty", type=_positive_int, default=1)
    redeem.add_argument("--user", required=True, metavar="NAME", help="the officer's or supervisor's username")
    redeem.add_argument("--receipt", type=Path, metavar="FILE.pdf", help="write the printable receipt to this PDF")
    redeem.add_argument("--language", choices=("zh_CN", "en"), default="zh_CN", help="language of the receipt")

    redemptions = commands.add_parser("redemptions", help="list, reverse and reprint redemptions").add_subparsers(
        dest="redemptions_command", metavar="ACTION", required=True
    )
    reverse = redemptions.add_parser("reverse", help="reverse a redemption (supervisor, within the reversal window, once)")
    reverse.add_argument("number", metavar="NUMBER")
    reverse.add_argument("--reason", required=True)
    reverse.add_argument("--user", required=True, metavar="NAME")
    listing = redemptions.add_parser("list", help="recent redemptions, newest first")
    listing.add_argument("--member", metavar="MEMBER_NO")
    listing.add_argument("--limit", type=_positive_int, default=50)
    listing.add_argument("--json", action="store_true")
    reprint = redemptions.add_parser("receipt", help="write the receipt of an earlier redemption to a PDF")
    reprint.add_argument("number", metavar="NUMBER")
    reprint.add_argument("file", type=Path, metavar="FILE.pdf")
    reprint.add_argument("--language", choices=("zh_CN", "en"), default="zh_CN")

    audit = commands.add_parser("audit", help="the audit trail").add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit.add_parser("verify", help="check the hash chain; exit 0 and the rows checked, or name the first bad row")
    verify.add_argument("--digest", type=Path, help="a digest written by export-digest: also detects a truncated tail")
    export_digest = audit.add_parser("export-digest", help="write the latest digest to keep outside the store")
    export_digest.add_argument("file", type=Path)

    central = commands.add_parser("central", help="the central PostgreSQL database (head office)").add_subparsers(dest="central_command", metavar="ACTION", required=True)
    central_init = central.add_parser("init", help="create or upgrade the central schema, its change feed and its roles")
    central_init.add_argument("--url", required=True, help="postgresql://USER@HOST:PORT/DATABASE (an owner of the database)")
    central_init.add_argument("--key-file", type=Path, help="central's signing key (made 0600 if absent; default $LOYALTY_DESK_CENTRAL_KEY or the user's config folder)")
    central_status = central.add_parser("status", help="the operations waiting to be applied and the latest rejections with their reasons")
    central_status.add_argument("--url", required=True)
    central_status.add_argument("--recent", type=_positive_int, default=20, help="how many of the latest rejections to show (20)")
    central_desk = central.add_parser("add-desk", help="issue a desk's login (printed once)")
    central_desk.add_argument("name", help="desk name: lower-case letters, digits, underscores")
    central_desk.add_argument("--branch", required=True, help="branch code of the desk")
    central_desk.add_argument("--holds", metavar="CODES", help="branch codes, comma-separated, whose members the desk holds (default: its branch's region)")
    central_desk.add_argument("--url", required=True)
    central_run = central.add_parser("run", help="apply the desks' operations and run the central jobs")
    central_run.add_argument("--url", required=True)
    central_run.add_argument("--workers", type=_positive_int, default=1)
    central_run.add_argument("--once", action="store_true", help="apply what is waiting, run the jobs, then stop")

    sync = commands.add_parser("sync", help="push this desk's operations to central and pull central's changes")
    sync.add_argument("--once", action="store_true", help="one round, then stop (default: keep syncing)")
    sync.add_argument("--join", metavar="DESK_URL", help="connect this desk to central with the URL printed by 'central add-desk'")
    sync.add_argument("--interval", type=float, default=5.0, help="seconds between rounds (default 5)")

    from loyalty_desk.adjust_cli import add_commands as add_adjustment_commands  # approvals, import adjustments, staff

    add_adjustment_commands(commands, imports)

    screenshots = commands.add_parser("screenshots", help="render every screen to PNG files (both languages)")
    screenshots.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    screenshots.add_argument("--members", type=_positive_int, default=2000, help="size of the demo store rendered")
    screenshots.add_argument("--size", type=_window_size, default=(1280, 800), metavar="WIDTHxHEIGHT",
                             help="window size of the screens (default 1280x800; the smallest supported is 1024x700)")

    from loyalty_desk.referral_cli import add_commands as add_referral_commands  # refer, referrals

    add_referral_commands(commands)

    from loyalty_desk.cli_documents import add_parsers as add_document_parsers

    add_document_parsers(commands, imports)
    for kind in ("transactions", "members", "adjustments"):  # head office imports straight into central
        imports.choices[kind].add_argument(
            "--central", metavar="URL", help="import into the central database (postgresql://...) instead of this desk's store; desks get it through the change feed"
        )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _print_json(value: Any) -> None:
    print(json.dumps(_jsonable(value), ensure_ascii=False, indent=2))


def _setup_logging(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(data_dir / "loyalty-desk.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from loyalty_desk.bootstrap import default_data_dir

    data_dir: Path = args.data_dir or default_data_dir()
    try:
        _setup_logging(data_dir)
        return _dispatch(args, data_dir)
    except CommandError as error:
        print(f"loyalty-desk: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("loyalty-desk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours, and nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the last line of defence: log it, show a reference
        from loyalty_desk.domain.errors import DomainError

        if isinstance(error, DomainError):
            from loyalty_desk.messages import describe

            print(f"loyalty-desk: {describe(error)}", file=sys.stderr)
            return EXIT_FAILED
        reference = uuid.uuid4().hex[:8]
        log.exception("unexpected error, reference %s", reference)
        print(f"loyalty-desk: unexpected error (reference {reference}); details are in {data_dir / 'loyalty-desk.log'}", file=sys.stderr)
        return EXIT_UNEXPECTED


def _cli_actor(services: Any) -> Any:
    from loyalty_desk.services.audit import Actor

    return Actor(username=f"os:{getpass.getuser()}", desk=services.desk_name)


def _dispatch(args: argparse.Namespace, data_dir: Path) -> int:
    if args.command == "demo":
        return _demo(args, data_dir)
    if args.command == "screenshots":
        return _screenshots(args)
    if args.command == "central":
        from loyalty_desk.sync.cli import central_command

        return central_command(args)
    if args.command == "sync":
        from loyalty_desk.sync.cli import sync_command

        return sync_command(args, data_dir)

    from loyalty_desk.bootstrap import build_services

    if args.command is None:
        from loyalty_desk.first_run import setup_if_needed  # an installed desk with no store yet

        if not setup_if_needed(data_dir):
            return EXIT_OK
        from loyalty_desk.ui.app import run

        # The sign-in window shows at once; the store (SQLAlchemy, Alembic) opens on a worker meanwhile.
        return run(lambda: build_services(data_dir))
    if getattr(args, "central", None):  # head office's imports against central
        from loyalty_desk.sync.central_data import CentralDataError, central_services

        try:
            services = central_services(args.central)
        except CentralDataError as error:
            raise CommandError(str(error)) from error
    else:
        services = build_services(data_dir)
    try:
        from loyalty_desk import cli_documents  # statements, exports, member import, templates

        if cli_documents.handles(args):
            return cli_documents.dispatch(services, args, actor=_cli_actor(services), sign_in=_sign_in, error=CommandError)
        from loyalty_desk import referral_cli

        if referral_cli.handles(args):
            return referral_cli.dispatch(services, args, sign_in=_sign_in, print_json=_print_json)
        if args.command == "lookup":
            return _lookup(services, args)
        if args.command == "member":
            return _member(services, args)
        if args.command in ("approvals", "staff") or (args.command == "import" and args.import_kind == "adjustments"):
            from loyalty_desk import adjust_cli

            if args.command == "approvals":
                return adjust_cli.approvals_command(services, args)
            if args.command == "staff":
                return adjust_cli.staff_command(services, args)
            return adjust_cli.import_adjustments(services, args)
        if args.command == "import":
            return _import_transactions(services, args)
        if args.command == "expire":
            return _expire(services, args)
        if args.command == "audit":
            return _audit(services, args)
        if args.command == "rewards":
            return _rewards(services, args)
        if args.command == "redeem":
            return _redeem(services, args)
        if args.command == "redemptions":
            return _redemptions(services, args)
            return EXIT_OK
        raise CommandError(f"unknown command {args.command!r}")
    finally:
        services.close()


def _demo(args: argparse.Namespace, data_dir: Path) -> int:
    from loyalty_desk.demo import build_demo_store

    def progress(done: int, total: int, stage: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{stage}: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)

    if args.central:
        return _demo_central(args, progress)
    summary = build_demo_store(data_dir, members=args.members, seed=args.seed, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"Demo store ready in {data_dir}: {summary.members:,} members, {summary.entries:,} ledger entries, {summary.lots:,} lots in {summary.seconds:.1f} s")
    print("Demo accounts (username / role / branch / password):")
    for username, role, branch, password in summary.accounts:
        print(f"  {username:<18} {role:<11} {branch:<6} {password}")
    return EXIT_OK


def _demo_central(args: argparse.Namespace, progress: Any) -> int:
    """``demo --central URL``: the demo data in an empty central database, for desks to join."""
    from loyalty_desk.sync.central_data import CentralDataError, fill_central_with_demo

    try:
        summary = fill_central_with_demo(args.central, members=args.members, seed=args.seed, progress=progress)
    except CentralDataError as error:
        raise CommandError(str(error)) from error
    from loyalty_desk.sync.cli import ensure_central_key

    ensure_central_key(args.central, None)  # what `central init` does: head office's imports sign with it
    if sys.stderr.isatty():
        print(file=sys.stderr)
    from sqlalchemy.engine import make_url

    shown = make_url(args.central).render_as_string(hide_password=True)
    print(f"Demo data in central {shown}: {summary.members:,} members, {summary.entries:,} ledger entries, {summary.lots:,} lots.")
    print("Next: loyalty-desk central add-desk NAME --branch BJ01 --url URL, then on the desk: loyalty-desk sync --join 'DESK URL' --once")
    print("Demo accounts (username / role / branch / password):")
    for username, role, branch, password in summary.accounts:
        print(f"  {username:<18} {role:<11} {branch:<6} {password}")
    return EXIT_OK


def _window_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 1024x700, not {text!r}") from None
    if width < 640 or height < 480:
        raise argparse.ArgumentTypeError(f"{text} is smaller than any desk screen (640x480)")
    return width, height


def _screenshots(args: argparse.Namespace) -> int:
    """Renders from a demo store of its own: the screenshots show the same data on every machine
    (the run files sample requests and opens members), and never touch the desk's own store."""
    import tempfile

    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo import build_demo_store
    from loyalty_desk.ui.screenshots.desk import render_screenshots

    with tempfile.TemporaryDirectory(prefix="loyalty-desk-screenshots-") as folder:
        store = Path(folder)
        build_demo_store(store, members=args.members)
        services = build_services(store, desk_name="screenshots")
        try:
            written = render_screenshots(services, args.out, window_size=args.size)
        finally:
            services.close()
    print(f"{len(written)} screenshots written to {args.out}")
    return EXIT_OK


def _lookup(services: Any, args: argparse.Namespace) -> int:
    result = services.lookup.search(text=args.text)
    if args.json:
        _print_json(result)
        return EXIT_OK
    if not result.rows:
        print(f"No member matches {args.text!r}.")
        return EXIT_FAILED
    print(f"{result.total:,} match(es) for {args.text!r} as {result.handle.value}" + (f", first {len(result.rows)} shown" if result.truncated else ""))
    for row in result.rows:
        print(f"  {row.member_no}{'*' if row.member_no_provisional else ' '} {row.masked_name:<8}  {row.masked_id:<20} {row.masked_mobile:<12} {row.tier:<9} {row.balance:>10,}  {row.branch_code}")
    if any(row.member_no_provisional for row in result.rows):
        print("  * provisional number, given at this desk while offline: head office gives the final one")
    return EXIT_OK


def _member(services: Any, args: argparse.Namespace) -> int:
    from loyalty_desk.services.dto import HistoryFilter

    view = services.members.view(member_no=args.member_no)
    history = services.members.history(member_no=view.member_no, offset=0, limit=args.history, filter=HistoryFilter())
    if args.json:
        _print_json({"member": view, "history": history})
        return EXIT_OK
    tier = view.tier
    lines = [
        f"{view.member_no}{' (provisional)' if view.member_no_provisional else ''}  {view.name}  ({view.kind}, {view.status})  branch {view.branch_code} {view.branch_name_en}",
        f"  ID {view.masked_id}   mobile {view.masked_mobile}   card {view.masked_card or '-'}",
        f"  Tier {tier.tier}  qualifying points (12 months) {tier.qualifying_points:,}",
    ]
    if tier.next_tier and tier.points_to_next is not None:
        lines.append(f"    {tier.points_to_next:,} points to reach {tier.next_tier}")
    if tier.keep_points_needed and tier.keep_by:
        lines.append(f"    {tier.keep_points_needed:,} points by {tier.keep_by.isoformat()} to keep {tier.tier}")
    lines.append(f"  Balance: posted {view.posted_balance:,}  held {view.held_points:,}  available {view.available_balance:,}")
    lines.append("  Expiring: " + ", ".join(f"{e.points:,} within {e.within_days} days" for e in view.expiring))
    lines.append(f"  Open lots ({len(view.lots)}):")
    lines += [f"    expires {lot.expires_on.isoformat()}  {lot.remaining:>9,} of {lot.original:>9,}  {lot.source} (earned {lot.earned_on.isoformat()})" for lot in view.lots]
    lines.append(f"  History ({history.total:,} entries, newest {len(history.rows)}):")
    lines += [
        f"    {row.occurred_at:%Y-%m-%d}  {row.kind:<9} {_describe_entry(row.description):<28} {row.points:>+10,}  balance {row.balance_after:>10,}"
        for row in history.rows
    ]
    print("\n".join(lines))
    return EXIT_OK


def _describe_entry(key: str) -> str:
    """A history description key (``earn.card_spend``) as words for the terminal (the screens translate it)."""
    return key.rsplit(".", 1)[-1].replace("_", " ")


def _import_transactions(services: Any, args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CommandError(f"file not found: {args.file}")
    report = services.imports.import_transactions(path=args.file, skip_invalid=args.skip_invalid, actor=_cli_actor(services))
    for problem in report.problems[:50]:
        print(f"row {problem.row}, column {problem.column}, value {problem.value!r}: {problem.message}", file=sys.stderr)
    problems = len(report.problems) + report.more_problems
    if problems > 50:
        print(f"... and {problems - 50} more problems", file=sys.stderr)
    if report.error_report:
        print(f"Error report: {report.error_report}", file=sys.stderr)
    if not report.posted:
        print(f"Nothing posted: {problems} problem(s) in {report.rows_read} row(s); fix them or use --skip-invalid.", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"{report.rows_read} rows read, {report.rows_posted} posted ({report.points_posted:,} points), "
        f"{report.rows_already_imported} already imported, {report.rows_read - report.rows_valid} skipped as invalid."
    )
    return EXIT_OK


def _expire(services: Any, args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    report = services.expiry.run(as_of=as_of, actor=_cli_actor(services))
    print(
        f"Expiry as of {report.as_of.isoformat()}: {report.points_expired:,} points expired for {report.members_expired:,} members"
        + (f"; {report.already_run_members:,} members already done for this date" if report.already_run_members else "")
    )
    return EXIT_OK


def _audit(services: Any, args: argparse.Namespace) -> int:
    from loyalty_desk.services.audit import Digest

    if args.audit_command == "export-digest":
        digest = services.audit.digest()
        args.file.write_text(digest.to_text() + "\n", encoding="utf-8")
        print(f"Digest of row {digest.last_id} written to {args.file}")
        return EXIT_OK
    digest = None
    if args.digest:
        try:
            digest = Digest.from_text(args.digest.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"cannot read the digest file {args.digest}: {error}") from None
    result = services.audit.verify(digest=digest)
    if result.ok:
        print(f"Audit trail intact: {result.rows_checked:,} rows checked.")
        return EXIT_OK
    print(f"loyalty-desk: audit trail broken at row {result.first_bad_row} ({result.problem}); {result.rows_checked:,} rows before it are intact.", file=sys.stderr)
    return EXIT_FAILED


PASSWORD_ENV = "LOYALTY_DESK_PASSWORD"


def _sign_in(services: Any, username: str) -> Any:
    """Signs in through the auth service (audited); the password comes from the environment or a no-echo prompt."""
    import os

    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(f"no password: set {PASSWORD_ENV} or run the command in a terminal")
        password = getpass.getpass(f"Password for {username}: ")
    return services.auth.sign_in(username=username, password=password)


def _block_text(block: Any) -> str:
    from loyalty_desk.domain.errors import DomainError
    from loyalty_desk.messages import describe

    return describe(DomainError(block.code, **block.params))


def _rewards(services: Any, args: argparse.Namespace) -> int:
    if not args.member and not args.branch:
        raise CommandError("give --branch CODE (or --member MEMBER_NO to use the member's home branch)")
    offers = services.redemption.catalogue(member_no=args.member, branch_code=args.branch)
    if args.json:
        _print_json(offers)
        return EXIT_OK
    print(f"{len(offers)} reward(s)" + (f" for {args.member}" if args.member else "") + ":")
    for offer in offers:
        stock = "" if offer.stock is None else f"  stock {offer.stock}"
        state = "available" if offer.available else "blocked"
        print(f"  {offer.code:<16} {offer.points_cost:>8,} pts  {offer.category:<17} {offer.min_tier:<9} {state:<9} {offer.name_en} / {offer.name_zh}{stock}")
        for block in offer.blocks:
            print(f"      - {_block_text(block)}")
    return EXIT_OK


def _redeem(services: Any, args: argparse.Namespace) -> int:
    operation_id = services.redemption.new_operation_id()  # made where the operation starts
    session = _sign_in(services, args.user)
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


def _report_confirmation(services: Any, operation_id: str) -> int:
    """With a central configured: waits briefly for head office's verdict and says what it was."""
    sync = getattr(services, "sync", None)
    if sync is None or sync.standalone:
        return EXIT_OK
    answer = sync.confirmation(operation_id)
    if answer.state == "confirmed":
        print("Confirmed by head office.")
    elif answer.state == "rejected":
        from loyalty_desk.domain.errors import DomainError
        from loyalty_desk.messages import describe

        reason = describe(DomainError(answer.reason_code or "central.rejected", **(answer.params or {})))
        print(f"Head office refused it: {reason}. The points were given back here; a supervisor resolves it on the sync screen.", file=sys.stderr)
        return EXIT_FAILED
    else:
        print(f"Saved, waiting to send to head office ({sync.status().waiting} waiting); 'loyalty-desk sync' sends it.")
    return EXIT_OK


def _write_receipt(services: Any, receipt: Any, path: Path, language: str) -> None:
    from loyalty_desk.documents.receipts import render_receipt

    try:
        render_receipt(receipt, path, language=language, return_days=services.settings.current().redemption.reversal_window_days)
    except OSError as error:
        raise CommandError(f"cannot write the receipt {path}: {error.strerror or error}") from None
    print(f"Receipt written to {path}")


def _redemptions(services: Any, args: argparse.Namespace) -> int:
    if args.redemptions_command == "reverse":
        operation_id = services.redemption.new_operation_id()
        session = _sign_in(services, args.user)
        reversal = services.redemption.reverse(operation_id=operation_id, session=session, redemption_number=args.number, reason=args.reason)
        print(
            f"Redemption {reversal.number} reversed: {reversal.points:,} points back to {reversal.member_no} "
            f"into {len(reversal.restored_lots)} lot(s); available balance now {reversal.balance_after:,}."
        )
        return EXIT_OK
    if args.redemptions_command == "receipt":
        _write_receipt(services, services.redemption.receipt(number=args.number), args.file, args.language)
        return EXIT_OK
    views = services.redemption.list(member_no=args.member, limit=args.limit)
    if args.json:
        _print_json(views)
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
