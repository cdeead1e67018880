"""What every part of the desk's sync engine shares: the connection to central, the sync state
(``sync_state``: cursor, online/offline, last error), the replica's table descriptions and the reports."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from loyalty_desk.services.context import ServiceContext
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.models import Base, SyncState
from loyalty_desk.sync.desk_settings import DeskSettings
from loyalty_desk.sync.protocol import REPLICATED
from loyalty_desk.sync.provisional_ids import enable_provisional_ids
from loyalty_desk.sync.replica import converters, upsert_statement

log = logging.getLogger("loyalty_desk.sync.desk")


@dataclass(frozen=True)
class PushReport:
    sent: int = 0
    already_there: int = 0
    refused: int = 0


@dataclass(frozen=True)
class Outcome:
    operation_id: str
    outcome: str  # accepted | rejected
    code: str | None = None
    params: dict[str, Any] | None = None


@dataclass(frozen=True)
class PullReport:
    rows: int = 0
    pages: int = 0
    seconds: float = 0.0
    stopped_at: str | None = None  # the cursor of a page that could not be written (``_apply_page_giving_way``)


class CentralUnreachable(Exception):
    pass


def first_line(error: BaseException | Any) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:300]


class DeskSyncState:
    """The desk's sync engine's shared state; ``DeskSync`` (``sync/desk.py``) is built on it."""

    def __init__(self, database: Database, context: ServiceContext, settings: DeskSettings) -> None:
        self.database = database
        self.context = context
        self.settings = settings
        self._central: Engine | None = None
        self._reader: Engine | None = None
        enable_provisional_ids(database)
        self._tables = {name: Base.metadata.tables[name] for name in REPLICATED if name in Base.metadata.tables}
        self._converters = {name: converters(table) for name, table in self._tables.items()}
        self._upsert_sql = {name: upsert_statement(table) for name, table in self._tables.items()}
        self._op_tables = [
            t for name, t in self._tables.items() if "operation_id" in t.c and name not in ("ledger_entry",) and [c.name for c in t.primary_key] == ["id"]
        ]
        self._op_table_names = {name for name, t in self._tables.items() if "operation_id" in t.c}

    # central connection

    @property
    def central(self) -> Engine:
        """Central's primary: pushes, verdicts, member fetches, member numbers (and the feed without a replica)."""
        if self._central is None:
            self._central = make_engine(self.settings.central_url, pool_size=2, max_overflow=2, connect_args={"connect_timeout": 3})
        return self._central

    @property
    def reader(self) -> Engine:
        """Where the change feed is read: the read replica (``DeskSettings.read_url``), else central."""
        if self.settings.read_url is None:
            return self.central
        if self._reader is None:
            self._reader = make_engine(self.settings.read_url, pool_size=1, max_overflow=1, connect_args={"connect_timeout": 3})
        return self._reader

    @contextmanager
    def feed_connection(self) -> Iterator[Connection]:
        """A connection to read the feed on: the replica's, or central's when the replica cannot be reached.
        Either is safe for the same cursor: a physical replica has central's transaction ids, and its
        horizon never passes a transaction it has not replayed the end of (``central_feed.HORIZON_FUNCTION``)."""
        engine = self.reader
        if engine is not self.central:
            try:
                connection = engine.connect()
            except DBAPIError as error:
                log.info("read replica unreachable, reading the feed from central: %s", first_line(error.orig or error))
                engine = self.central
            else:
                with connection:
                    yield connection
                return
        with engine.connect() as connection:
            yield connection

    def close(self) -> None:
        if self._reader is not None:
            self._reader.dispose()
            self._reader = None
        if self._central is not None:
            self._central.dispose()
            self._central = None

    # sync state

    def state(self) -> dict[str, str | None]:
        with self.database.read_sessions() as session:
            return {row.key: row.value for row in session.scalars(select(SyncState))}

    def _set_state(self, session: Session, **values: str | None) -> None:
        for key, value in values.items():
            row = session.get(SyncState, key)
            if row is None:
                session.add(SyncState(key=key, value=value))
            else:
                row.value = value

    def _mark(self, **values: str | None) -> None:
        with self.database.write_sessions() as session:
            self._set_state(session, **values)
            session.commit()

    def is_offline(self) -> bool:
        return self.state().get("state") == "offline"

    def _went_offline(self, error: BaseException) -> None:
        log.info("central unreachable: %s", error)
        self._mark(state="offline", last_error=str(error).splitlines()[0][:400] if str(error) else type(error).__name__)


class PrimaryConnection:
    """A connection to central's primary opened on first use, for what a feed read on the replica still
    asks of the primary (a referral's party: ``ld_fetch_member`` records the fetch, a write)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        if self._connection is None:
            self._connection = self._engine.connect()
        return self._connection.execute(*args, **kwargs)

    def commit(self) -> None:
        if self._connection is not None:
            self._connection.commit()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
