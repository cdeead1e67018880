"""``loyalty-desk central ...`` (head office's database) and ``loyalty-desk sync`` (a desk's rounds with central)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, ConsoleProgress, Subcommands, describe_code, positive_int, runs_with_data_dir
from loyalty_desk.sync.central import add_desk, init_central


def add_commands(commands: Subcommands) -> None:
    central = commands.add_parser("central", help="the central PostgreSQL database (head office)").add_subparsers(
        dest="central_command", metavar="ACTION", required=True
    )
    central_init = central.add_parser("init", help="create or upgrade the central schema, its change feed and its roles")
    central_init.add_argument("--url", required=True, help="postgresql://USER@HOST:PORT/DATABASE (an owner of the database)")
    central_init.add_argument(
        "--key-file", type=Path, help="central's signing key (made 0600 if absent; default $LOYALTY_DESK_CENTRAL_KEY or the user's config folder)"
    )
    central_status = central.add_parser("status", help="the operations waiting to be applied and the latest rejections with their reasons")
    central_status.add_argument("--url", required=True)
    central_status.add_argument("--recent", type=positive_int, default=20, help="how many of the latest rejections to show (20)")
    central_desk = central.add_parser("add-desk", help="issue a desk's login (printed once)")
    central_desk.add_argument("name", help="desk name: lower-case letters, digits, underscores")
    central_desk.add_argument("--branch", required=True, help="branch code of the desk")
    central_desk.add_argument("--holds", metavar="CODES", help="branch codes, comma-separated, whose members the desk holds (default: its branch's region)")
    central_desk.add_argument("--url", required=True)
    central_run = central.add_parser("run", help="apply the desks' operations and run the central jobs")
    central_run.add_argument("--url", required=True)
    central_run.add_argument("--workers", type=positive_int, default=1)
    central_run.add_argument("--once", action="store_true", help="apply what is waiting, run the jobs, then stop")
    central_run.add_argument(
        "--poll", action="store_true", help="look for new operations every second instead of LISTEN (when --url goes through a transaction pooler)"
    )
    for action in (central_init, central_status, central_desk, central_run):
        runs_with_data_dir(action, _central)

    sync = commands.add_parser("sync", help="push this desk's operations to central and pull central's changes")
    sync.add_argument("--once", action="store_true", help="one round, then stop (default: keep syncing)")
    sync.add_argument("--join", metavar="DESK_URL", help="connect this desk to central with the URL printed by 'central add-desk'")
    sync.add_argument("--interval", type=float, default=5.0, help="seconds between rounds (default 5)")
    sync.add_argument(
        "--read-url", metavar="REPLICA_URL",
        help="pull central's changes from this streaming replica of central (postgresql://HOST:PORT/DATABASE, the desk's own login; "
             "pushes stay on central; '' reads from central again); kept in desk.json",
    )
    runs_with_data_dir(sync, _sync)


def _safe(url: str) -> str:
    from sqlalchemy.engine import URL, make_url

    parsed = make_url(url)
    return URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database).render_as_string(hide_password=False)


def _central(args: argparse.Namespace, data_dir: Path) -> int:
    from loyalty_desk.store.db import make_engine

    if args.central_command == "init":
        init_central(args.url)
        print(f"Central database ready at {_safe(args.url)}: schema at head, change feed, roles loyalty_applier and loyalty_desk.")
        path, made = ensure_central_key(args.url, getattr(args, "key_file", None))
        print(f"Central's signing key: {path} ({'made now, readable by its owner only' if made else 'registered'}); keep it off shared folders.")
        return EXIT_OK
    if args.central_command == "status":
        from loyalty_desk.sync.central import central_status

        engine = make_engine(args.url)
        try:
            status = central_status(engine, recent=args.recent)
        finally:
            engine.dispose()
        oldest = f", oldest received {status.oldest_waiting_at:%Y-%m-%d %H:%M:%S} UTC" if status.oldest_waiting_at else ""
        print(f"Inbound backlog: {status.waiting:,} operation(s) waiting{oldest}.")
        if not status.rejections:
            print("No rejections.")
        else:
            print(f"Latest {len(status.rejections)} rejection(s):")
            for r in status.rejections:
                print(f"  {r.applied_at:%Y-%m-%d %H:%M:%S}  {r.desk:<20} {r.kind:<16} {r.operation_id}  {r.reason_code}  "
                      f"{describe_code(r.reason_code or 'central.rejected', r.reason_params)}")
        return EXIT_OK
    if args.central_command == "add-desk":
        engine = make_engine(args.url)
        try:
            try:
                credentials = add_desk(engine, args.name, branch_code=args.branch, holds=tuple(c for c in (args.holds or "").split(",") if c))
            except (ValueError, LookupError) as error:
                print(f"loyalty-desk: {error}", file=sys.stderr)
                return EXIT_FAILED
        finally:
            engine.dispose()
        print(f"Desk {credentials.desk} (branch {credentials.branch_code}) may now sync. Its login is shown only this once:")
        print(f"  {credentials.url(args.url)}")
        print("On the desk:  loyalty-desk sync --join 'THE URL ABOVE'")
        return EXIT_OK
    if args.central_command == "run":
        from loyalty_desk.services.handlers import operation_handlers
        from loyalty_desk.sync.central_run import run_forever

        def show(report: Any) -> None:
            print(f"posted {report.posted}, rejected {report.rejected}", flush=True)

        total = run_forever(args.url, operation_handlers(), workers=args.workers, once=args.once, on_report=None if args.once else show,
                            listen=not args.poll)
        print(f"Applied {total.total} operation(s): {total.posted} posted, {total.rejected} rejected.")
        return EXIT_OK
    raise ValueError(args.central_command)


def ensure_central_key(url: str, key_file: Path | None) -> tuple[Path, bool]:
    """Central's own signing key: made in a 0600 file when absent, its public half registered at central."""
    from loyalty_desk.services.signing import create_central_key, default_central_key_path, load_central_key, public_key_of
    from loyalty_desk.store.db import make_engine
    from loyalty_desk.sync.central import register_central_key

    path = key_file or default_central_key_path()
    made = not path.exists()
    key = create_central_key(path) if made else load_central_key(path)
    engine = make_engine(url)
    try:
        register_central_key(engine, key_id=key.key_id, public_key=public_key_of(key))
    finally:
        engine.dispose()
    return path, made


def _sync(args: argparse.Namespace, data_dir: Path) -> int:
    from loyalty_desk.services.context import ServiceContext
    from loyalty_desk.services.settings import SettingsService
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory
    from loyalty_desk.sync.desk_settings import DeskSettings
    from loyalty_desk.sync.service import SyncService

    if args.join:
        from sqlalchemy.engine import make_url

        from loyalty_desk.sync.central import DESK_LOGIN_PREFIX

        role = make_url(args.join).username or ""
        if not role.startswith(DESK_LOGIN_PREFIX):
            print("loyalty-desk: --join needs the desk URL printed by 'central add-desk'", file=sys.stderr)
            return EXIT_FAILED
        DeskSettings(args.join, role.removeprefix(DESK_LOGIN_PREFIX)).save(data_dir)
        print(f"This desk now syncs with {_safe(args.join)} as {role.removeprefix(DESK_LOGIN_PREFIX)}.")
    if args.read_url is not None:
        current = DeskSettings.load(data_dir)
        if current is None:
            print("loyalty-desk: --read-url needs a joined desk; join first with --join DESK_URL", file=sys.stderr)
            return EXIT_FAILED
        try:
            changed = current.with_read_url(args.read_url)
        except ValueError as error:
            print(f"loyalty-desk: --read-url: {error}", file=sys.stderr)
            return EXIT_FAILED
        changed.save(data_dir)
        print(f"This desk now pulls central's changes from {changed.display_read_url}." if changed.read_url
              else "This desk now pulls central's changes from central.")
    database = Database.open_local(data_dir)
    try:
        factory = uow_factory(database)
        settings = SettingsService(factory)
        from loyalty_desk.sync.service import configured_desk_name

        desk_name = configured_desk_name(data_dir) or "desk"
        sync = SyncService.open(data_dir, database, ServiceContext(uow=factory, settings=settings, desk_name=desk_name))
        if sync.standalone:
            print("loyalty-desk: this desk is standalone; connect it with: loyalty-desk sync --join DESK_URL", file=sys.stderr)
            return EXIT_FAILED
        progress = ConsoleProgress("pulling: ", shown_from=1000)
        while True:
            result = sync.sync_once(progress)
            status = sync.status()
            progress.done()
            if "offline" in result:
                print(f"offline: {status.last_error}; {status.waiting} waiting", file=sys.stderr)
            else:
                pulled = result["pulled"]
                print(f"{status.state}: pushed {result['pushed'].sent}, {len(result['outcomes'])} verdict(s), pulled {pulled.rows:,} change(s); "
                      f"{status.waiting} waiting, {status.exceptions} exception(s)")
            if args.once:
                return EXIT_OK if "offline" not in result else EXIT_FAILED
            time.sleep(args.interval)
    finally:
        database.dispose()
