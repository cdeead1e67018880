"""``loyalty-desk central ...`` and ``loyalty-desk sync``: the command-line side of sync."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from loyalty_desk.sync.central import add_desk, init_central

EXIT_OK, EXIT_FAILED = 0, 1


def _safe(url: str) -> str:
    from sqlalchemy.engine import URL, make_url

    parsed = make_url(url)
    return URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database).render_as_string(hide_password=False)


def central_command(args: argparse.Namespace) -> int:
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
                print(f"  {r.applied_at:%Y-%m-%d %H:%M:%S}  {r.desk:<20} {r.kind:<16} {r.operation_id}  {r.reason_code}  {_reason(r.reason_code, r.reason_params)}")
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

        def show(report: object) -> None:
            print(f"posted {report.posted}, rejected {report.rejected}", flush=True)  # type: ignore[attr-defined]

        total = run_forever(args.url, operation_handlers(), workers=args.workers, once=args.once, on_report=None if args.once else show)
        print(f"Applied {total.total} operation(s): {total.posted} posted, {total.rejected} rejected.")
        return EXIT_OK
    raise ValueError(args.central_command)


def _reason(code: str | None, params: dict | None) -> str:
    from loyalty_desk.domain.errors import DomainError
    from loyalty_desk.messages import describe

    return describe(DomainError(code or "central.rejected", **(params or {})))


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


def sync_command(args: argparse.Namespace, data_dir: Path) -> int:
    from loyalty_desk.services.context import ServiceContext
    from loyalty_desk.services.settings import SettingsService
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory
    from loyalty_desk.sync.desk_settings import DeskSettings
    from loyalty_desk.sync.service import SyncService

    if args.join:
        from sqlalchemy.engine import make_url

        from loyalty_desk.sync.protocol import DESK_LOGIN_PREFIX

        role = make_url(args.join).username or ""
        if not role.startswith(DESK_LOGIN_PREFIX):
            print("loyalty-desk: --join needs the desk URL printed by 'central add-desk'", file=sys.stderr)
            return EXIT_FAILED
        DeskSettings(args.join, role.removeprefix(DESK_LOGIN_PREFIX)).save(data_dir)
        print(f"This desk now syncs with {_safe(args.join)} as {role.removeprefix(DESK_LOGIN_PREFIX)}.")
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
        progress = _Progress()
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


class _Progress:
    def __init__(self) -> None:
        self._shown = False

    def set_progress(self, done: int, total: int) -> None:
        if sys.stderr.isatty() and total > 1000:
            print(f"\rpulling: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)
            self._shown = True

    def set_status(self, text: str) -> None:
        pass

    def is_cancelled(self) -> bool:
        return False

    def done(self) -> None:
        if self._shown:
            print(file=sys.stderr)
            self._shown = False
