"""Engines for the local store (SQLite) and central (PostgreSQL), and schema upgrades through Alembic."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
LOCAL_STORE_FILENAME = "loyalty-desk.sqlite3"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    """WAL, foreign keys and FULL sync on every connection; we issue BEGIN ourselves.

    Writers start with BEGIN IMMEDIATE so that two writers queue on the lock instead of
    failing halfway through a transaction when one upgrades its read lock.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def on_error(context: Any) -> None:
        # A COMMIT SQLite refuses (a deferred foreign key still broken) leaves SQLite's transaction open,
        # while SQLAlchemy counts it as ended and hands the connection back without a rollback: the next
        # BEGIN on it would fail with "cannot start a transaction within a transaction". Roll it back here.
        if context.statement is not None or context.connection is None or context.connection.closed:
            return
        driver = context.connection.connection.driver_connection
        if driver is not None and driver.in_transaction:
            driver.rollback()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # Straight to the driver: this runs on every unit of work, and SQLAlchemy's statement
        # machinery would cost more than the BEGIN itself (lookups run per keystroke).
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


def driver_connection(connection: Connection) -> Any:
    """The driver's own connection (sqlite3 or psycopg) under ``connection``, in its transaction: for
    statements where SQLAlchemy's statement and result machinery would cost more than the work."""
    driver = connection.connection.driver_connection
    if driver is None:
        raise RuntimeError("the database connection is closed")
    return driver


def make_engine(url: str, *, immediate_transactions: bool = False, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, immediate=immediate_transactions)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    parsed = make_url(url)
    connect_args = dict(kwargs.pop("connect_args", None) or {})
    if parsed.get_backend_name() == "postgresql":
        connect_args.setdefault("prepare_threshold", prepare_threshold(parsed.query.get("prepare_threshold")))
        parsed = parsed.difference_update_query(["prepare_threshold"])
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def prepare_threshold(value: str | tuple[str, ...] | None) -> int | None:
    """psycopg's ``prepare_threshold`` for central: None (never prepare on the server) unless the URL
    says ``?prepare_threshold=N``. A transaction pooler (PgBouncer) hands each transaction to any
    server connection, where a statement prepared on another one does not exist; so the safe
    default is not to prepare, and a central reached without a pooler may ask for it."""
    if value is None:
        return None
    text_value = value[-1] if isinstance(value, tuple) else value
    if text_value.strip().lower() in ("", "none"):
        return None
    if not text_value.strip().isdigit():
        raise ValueError(f"prepare_threshold in the central URL must be a whole number of executions or 'none', not {text_value!r}")
    return int(text_value)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Brings the schema to the newest migration; a store from an older release is upgraded in place."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return
    # SQLite rebuilds a table to drop a column (batch mode): with foreign keys on, dropping the old
    # copy of a table others refer to fails. SQLite's own procedure: keys off outside the
    # transaction, rebuild, check every key before commit, keys on again.
    with engine.connect() as connection:
        driver = driver_connection(connection)
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the upgrade left rows whose foreign keys point nowhere: {broken[:5]}")
        finally:
            driver.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


class ChangeCounter:
    """A number that moves whenever anything is committed to the SQLite store, by this process (any
    engine, the sync thread) or another one (the command line, a second window): SQLite's
    ``PRAGMA data_version`` on a connection of its own that never writes, so every commit is
    someone else's. Reading it costs no I/O beyond the WAL index; safe from any thread."""

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()


@dataclass
class Database:
    """A store: one engine for reads, one whose transactions take the write lock up front (SQLite)."""

    url: str
    read_engine: Engine = field(init=False)
    write_engine: Engine = field(init=False)
    read_sessions: sessionmaker[Session] = field(init=False)
    write_sessions: sessionmaker[Session] = field(init=False)
    _change_counter: ChangeCounter | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.read_engine = make_engine(self.url)
        self.write_engine = make_engine(self.url, immediate_transactions=True) if self.is_sqlite else self.read_engine
        self.read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @classmethod
    def open_local(cls, data_dir: Path, *, upgrade: bool = True) -> Database:
        data_dir.mkdir(parents=True, exist_ok=True)
        database = cls(sqlite_url(data_dir / LOCAL_STORE_FILENAME))
        if upgrade:
            database.upgrade()
        return database

    def upgrade(self) -> None:
        upgrade_to_head(self.write_engine)

    def change_counter(self) -> ChangeCounter | None:
        """The store's change counter (SQLite only: central's PostgreSQL has no desk screens to refresh)."""
        if not self.is_sqlite:
            return None
        if self._change_counter is None:
            self._change_counter = ChangeCounter(str(self.read_engine.url.database))
        return self._change_counter

    def dispose(self) -> None:
        if self._change_counter is not None:
            self._change_counter.close()
            self._change_counter = None
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()
