"""The ``loyalty-desk`` command: the desk application by default, subcommands for the rest.

Each command module adds its subcommands here and names the function that runs them; errors are
one clear line on stderr and a non-zero exit; an unexpected failure is logged with a reference the
user can quote, never shown as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from loyalty_desk import __version__
from loyalty_desk.cli import (
    adjustments,
    analytics,
    audit,
    campaigns,
    card_service,
    demo,
    documents,
    liability,
    members,
    outreach,
    points,
    redemption,
    referrals,
    rules,
    screenshots,
    segments,
    staff,
    sync,
    tiers,
)
from loyalty_desk.cli.common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNEXPECTED, CommandError, Services

log = logging.getLogger("loyalty_desk")

CENTRAL_IMPORTS = ("transactions", "members", "adjustments")  # head office imports these straight into central


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loyalty-desk", description="Loyalty Desk: the branch desk for the points loyalty programme.")
    parser.add_argument("--version", action="version", version=f"loyalty-desk {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="folder of the local store (default: env LOYALTY_DESK_DATA_DIR, else the folder chosen in the desk's settings, else the user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # The order below is the order `loyalty-desk --help` lists the commands in.
    demo.add_commands(commands)
    members.add_commands(commands)
    imports = commands.add_parser("import", help="import files").add_subparsers(dest="import_kind", metavar="KIND", required=True)
    points.add_commands(commands, imports)
    tiers.add_commands(commands)
    rules.add_commands(commands)
    redemption.add_commands(commands)
    audit.add_commands(commands)
    sync.add_commands(commands)
    adjustments.add_commands(commands, imports)
    staff.add_commands(commands)
    screenshots.add_commands(commands)
    referrals.add_commands(commands)
    documents.add_commands(commands, imports)
    liability.add_commands(commands)
    card_service.add_commands(commands)
    campaigns.add_commands(commands)
    segments.add_commands(commands)
    outreach.add_commands(commands)
    analytics.add_commands(commands)
    for kind in CENTRAL_IMPORTS:
        imports.choices[kind].add_argument(
            "--central",
            metavar="URL",
            help="import into the central database (postgresql://...) instead of this desk's store; desks get it through the change feed",
        )
    return parser


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
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours, and nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # the last line of defence: log it, show a reference
        from loyalty_desk.domain.errors import DomainError

        if isinstance(error, DomainError):
            from loyalty_desk.messages import describe

            print(f"loyalty-desk: {describe(error)}", file=sys.stderr)
            return EXIT_FAILED
        reference = uuid.uuid4().hex[:8]
        log.exception("unexpected error, reference %s", reference)
        print(f"loyalty-desk: unexpected error (reference {reference}); details are in {data_dir / 'loyalty-desk.log'}", file=sys.stderr)
        return EXIT_UNEXPECTED


def _dispatch(args: argparse.Namespace, data_dir: Path) -> int:
    if args.command is None:
        return _start_desk(data_dir)
    if args.data_dir_handler is not None:
        return int(args.data_dir_handler(args, data_dir))
    services = _open_services(args, data_dir)
    try:
        return int(args.services_handler(services, args))
    finally:
        services.close()


def _open_services(args: argparse.Namespace, data_dir: Path) -> Services:
    from loyalty_desk.bootstrap import build_services

    if not getattr(args, "central", None):
        return build_services(data_dir)
    from loyalty_desk.central_data import CentralDataError, central_services  # head office's imports against central

    try:
        return central_services(args.central)
    except CentralDataError as error:
        raise CommandError(str(error)) from error


def _start_desk(data_dir: Path) -> int:
    """The desk application; an installed desk with no store yet runs the first-start setup before sign-in."""
    from loyalty_desk import first_run
    from loyalty_desk.bootstrap import build_services, machine_defaults

    if first_run.needs_setup(data_dir):
        from loyalty_desk.ui.first_run import run_setup

        if not run_setup(
            Path(data_dir), defaults=machine_defaults(), create_demo=first_run.create_demo_store, join_central=first_run.join_central,
            problems=first_run.central_problems,
        ):
            return EXIT_OK
    from loyalty_desk.ui.app import run

    # The sign-in window shows at once; the store (SQLAlchemy, Alembic) opens on a worker meanwhile.
    return run(lambda: build_services(data_dir))
