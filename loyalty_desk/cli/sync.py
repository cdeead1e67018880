"""``loyalty-desk central ...`` (head office's database) and ``loyalty-desk sync`` (a desk's rounds with central)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from loyalty_desk.cli.common import EXIT_FAILED, EXIT_OK, CommandError, ConsoleProgress, Subcommands, describe_code, positive_int, runs_with_data_dir
from loyalty_desk.cli.simulate import add_simulate, run_simulate
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
    central_init.add_argument(
        "--staging", action="store_true",
        help="also mark this database as a staging central (its comment), the only kind 'central simulate' writes into",
    )
    central_status = central.add_parser(
        "status", help="backlog, operations applied per minute, each desk's last push, the feed's head, replica lag, the latest rejections"
    )
    central_status.add_argument("--url", required=True)
    central_status.add_argument("--recent", type=positive_int, default=20, help="how many of the latest rejections to show (20)")
    central_desk = central.add_parser("add-desk", help="issue a desk's login (printed once)")
    central_desk.add_argument("name", help="desk name: lower-case letters, digits, underscores")
    central_desk.add_argument("--branch", required=True, help="branch code of the desk")
    central_desk.add_argument("--holds", metavar="CODES", help="branch codes, comma-separated, whose members the desk holds (default: its branch's region)")
    central_desk.add_argument("--url", required=True)
    central_run = central.add_parser("run", help="apply the desks' operations and run the central jobs")
    central_run.add_argument("--url", help="central's database (or url= in the --config file)")
    central_run.add_argument("--workers", type=positive_int, help="appliers side by side (default 1, or workers= in the --config file)")
    central_run.add_argument("--metrics-port", type=positive_int, help="serve Prometheus metrics on this port (or metrics_port= in the --config file)")
    central_run.add_argument(
        "--config", type=Path, help=f"an ini file with a [{RUN_SECTION}] section: url, workers, poll, metrics_port, metrics_address (the systemd unit's)"
    )
    central_run.add_argument("--once", action="store_true", help="apply what is waiting, run the jobs, then stop")
    central_run.add_argument(
        "--poll", action="store_true", help="look for new operations every second instead of LISTEN (when --url goes through a transaction pooler)"
    )
    central_simulate = add_simulate(central)
    for action in (central_init, central_status, central_desk, central_run, central_simulate):
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
        if args.staging:
            from loyalty_desk.sync.staging import STAGING_MARK, mark_staging

            mark_staging(args.url)
            print(f"Marked as a staging central (database comment '{STAGING_MARK}'): 'central simulate' may write into it.")
        path, made = ensure_central_key(args.url, getattr(args, "key_file", None))
        print(f"Central's signing key: {path} ({'made now, readable by its owner only' if made else 'registered'}); keep it off shared folders.")
        return EXIT_OK
    if args.central_command == "status":
        from loyalty_desk.sync.central_health import central_status

        engine = make_engine(args.url)
        try:
            status = central_status(engine, recent=args.recent)
        finally:
            engine.dispose()
        _print_status(status)
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
        return _run(args)
    if args.central_command == "simulate":
        return run_simulate(args)
    raise ValueError(args.central_command)


RUN_SECTION = "central"


def _run_settings(args: argparse.Namespace) -> tuple[str, int, bool, int | None, str]:
    """``central run``'s URL, workers, polling, metrics port and address: the options, else the ``--config`` file."""
    import configparser

    found: dict[str, str] = {}
    if args.config is not None:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            with open(args.config, encoding="utf-8") as handle:
                parser.read_file(handle)
        except (OSError, configparser.Error) as error:
            raise CommandError(f"cannot read {args.config}: {error}") from None
        if not parser.has_section(RUN_SECTION):
            raise CommandError(f"{args.config} has no [{RUN_SECTION}] section")
        found = dict(parser[RUN_SECTION])
    url = args.url or found.get("url", "").strip()
    if not url:
        raise CommandError("central run needs --url or url= in the [central] section of --config")

    def number(option: str, given: int | None) -> int | None:
        if given is not None:
            return given
        text = found.get(option, "").strip()
        if not text:
            return None
        try:
            return positive_int(text)
        except argparse.ArgumentTypeError as error:
            raise CommandError(f"{args.config}: {option} {error}") from None

    poll = args.poll or found.get("poll", "").strip().lower() in ("yes", "true", "on", "1")
    return url, number("workers", args.workers) or 1, poll, number("metrics_port", args.metrics_port), found.get("metrics_address", "0.0.0.0").strip()


def _run(args: argparse.Namespace) -> int:
    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.store.db import make_engine
    from loyalty_desk.sync.central_health import serve_metrics
    from loyalty_desk.sync.central_run import run_forever

    url, workers, poll, metrics_port, metrics_address = _run_settings(args)
    metrics = None
    engine = None
    if metrics_port is not None:
        engine = make_engine(url, pool_size=1)
        try:
            metrics = serve_metrics(engine, metrics_port, address=metrics_address)
        except OSError as error:
            engine.dispose()
            raise CommandError(f"cannot serve metrics on {metrics_address}:{metrics_port}: {error}") from None
        print(f"Metrics on http://{metrics_address}:{metrics_port}/metrics", flush=True)

    def show(report: Any) -> None:
        print(f"posted {report.posted}, rejected {report.rejected}", flush=True)

    try:
        total = run_forever(url, operation_handlers(), workers=workers, once=args.once, on_report=None if args.once else show,
                            listen=not poll)
    finally:
        if metrics is not None:
            metrics.shutdown()
        if engine is not None:
            engine.dispose()
    print(f"Applied {total.total} operation(s): {total.posted} posted, {total.rejected} rejected.")
    return EXIT_OK


def _print_status(status: Any) -> None:
    at = f"{status.read_at:%Y-%m-%d %H:%M:%S} UTC"
    oldest = f", the oldest for {status.oldest_waiting_seconds:,.0f} s" if status.oldest_waiting_at else ""
    print(f"Central at {at}. Inbound backlog: {status.waiting:,} operation(s) waiting{oldest}.")
    print(f"Last {status.window_minutes} minutes: {status.posted_per_minute:,.1f} posted and {status.rejected_per_minute:,.1f} rejected a minute.")
    slowest = status.slowest_desk
    behind = f"; the slowest desk, {slowest.desk}, has pulled to transaction {slowest.feed_txid}" if slowest else ""
    print(f"Change feed head: transaction {status.feed_head if status.feed_head is not None else '(empty)'}{behind}.")
    if status.replicas:
        for replica in status.replicas:
            lag = "–" if replica.replay_lag_bytes is None else f"{replica.replay_lag_bytes:,} bytes"
            seconds = "" if replica.replay_lag_seconds is None else f", {replica.replay_lag_seconds:.1f} s"
            print(f"Replica {replica.name}: {replica.state}, replay lag {lag}{seconds}.")
    else:
        print("No streaming replica connected.")
    if status.desks:
        print(f"{len(status.desks)} desk(s):")
        for desk in status.desks:
            pushed = f"{desk.last_push_at:%Y-%m-%d %H:%M:%S}" if desk.last_push_at else "never"
            pulled = f"{desk.last_pull_at:%Y-%m-%d %H:%M:%S} to transaction {desk.feed_txid}" if desk.last_pull_at else "never"
            print(f"  {desk.desk:<24} {desk.branch_code:<8} last push {pushed:<19}  waiting {desk.waiting:,}  last pull {pulled}")


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
