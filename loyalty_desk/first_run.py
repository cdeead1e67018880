"""First start of an installed desk: with no local store yet, a short setup comes before sign-in.

The setup offers two ways in: a standalone desk with demo data, or a desk that joins the central
database with the login IT issued for it (``loyalty-desk central add-desk``). The two jobs below
are plain functions that take a progress object (``set_progress``, ``set_status``,
``is_cancelled``), so the setup dialog runs them off the UI thread and tests run them without Qt.
Only a frozen (installed) build asks; a developer's checkout keeps ``./dev start``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_MEMBERS = 2000
DESK_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")  # as 'central add-desk' accepts


class SetupCancelled(Exception):
    """The user cancelled the setup job; nothing was left behind."""


@dataclass(frozen=True)
class SetupResult:
    ok: bool
    detail: str = ""  # a count of members made (demo) or rows pulled (central); the reason when not ok
    accounts: tuple[tuple[str, str, str, str], ...] = ()  # demo accounts: username, role, branch, password


STORE_FILENAME = "loyalty-desk.sqlite3"  # = store.db.LOCAL_STORE_FILENAME (tested); no SQLAlchemy import before the window


def store_path(data_dir: Path) -> Path:
    return Path(data_dir) / STORE_FILENAME


def needs_setup(data_dir: Path, *, frozen: bool | None = None) -> bool:
    """True for an installed build (``sys.frozen``) whose data folder has no local store yet."""
    if frozen is None:
        frozen = bool(getattr(sys, "frozen", False))
    return frozen and not store_path(data_dir).exists()


def _remove_store(data_dir: Path) -> None:
    store = store_path(data_dir)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)


def create_demo_store(state: Any, data_dir: Path, *, members: int = DEMO_MEMBERS) -> SetupResult:
    """A standalone desk on a fresh demo store; cancelling removes the half-made store."""
    from loyalty_desk.demo.generator import build_demo_store

    def progress(done: int, total: int, stage: str) -> None:
        if state.is_cancelled():
            raise SetupCancelled
        state.set_progress(done, total)  # the stage names are not for the screen: the dialog shows its title

    try:
        summary = build_demo_store(Path(data_dir), members=members, progress=progress)
    except BaseException:
        _remove_store(Path(data_dir))
        raise
    return SetupResult(ok=True, detail=str(summary.members), accounts=tuple(summary.accounts))


def central_problems(central_url: str, desk: str, password: str) -> list[str]:
    """Field names whose value cannot work: ``central_url``, ``desk``, ``password``."""
    problems = []
    if not re.match(r"^postgresql(\+psycopg)?://[^/\s]+/[^/\s]+$", central_url.strip()):
        problems.append("central_url")
    if not DESK_NAME.match(desk.strip()):
        problems.append("desk")
    if not password:
        problems.append("password")
    return problems


def desk_url(central_url: str, desk: str, password: str) -> str:
    """The central URL with this desk's login (the role ``central add-desk`` made for it)."""
    from sqlalchemy.engine import make_url

    from loyalty_desk.sync.protocol import DESK_LOGIN_PREFIX

    url = make_url(central_url.strip()).set(username=DESK_LOGIN_PREFIX + desk.strip(), password=password)
    return url.render_as_string(hide_password=False)


def join_central(state: Any, data_dir: Path, *, central_url: str, desk: str, password: str) -> SetupResult:
    """Saves the desk's central login, creates the local store and pulls central's data once.

    If central cannot be reached (or refuses the login), nothing stays behind, so the next start
    asks again; the reason comes back in ``detail``.
    """
    from loyalty_desk.services.context import ServiceContext
    from loyalty_desk.services.settings import SettingsService
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory
    from loyalty_desk.sync.desk_settings import DeskSettings
    from loyalty_desk.sync.service import SyncService

    data_dir = Path(data_dir)
    DeskSettings(desk_url(central_url, desk, password), desk.strip()).save(data_dir)
    database = Database.open_local(data_dir)
    sync = None
    ok = False
    try:
        factory = uow_factory(database)
        context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name=desk.strip())
        sync = SyncService.open(data_dir, database, context)
        result = sync.sync_once(state)
        if state.is_cancelled():
            raise SetupCancelled
        if "offline" in result:
            return SetupResult(ok=False, detail=str(result["offline"]))
        ok = True
        pulled = result.get("pulled")
        return SetupResult(ok=True, detail=str(getattr(pulled, "rows", 0)))
    finally:
        if sync is not None:
            sync.close()
        database.dispose()
        if not ok:
            _remove_store(data_dir)
            DeskSettings.forget(data_dir)

