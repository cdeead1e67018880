"""Reading central's change feed without ever skipping a row that a slower transaction committed late.

Every feed row carries the id of the transaction that wrote it (``txid``). A reader serves only
rows of transactions that had finished before its snapshot — ``txid`` below the oldest
transaction of this database still running (``ld_feed_horizon()``, see ``central_feed.py``; the
cluster-wide ``pg_snapshot_xmin`` when the owner may not see other sessions) — and walks them in ``(txid, seq)`` order with a ``(txid, seq)`` cursor.

Why not a plain ``seq`` cursor with the same xmin filter: a transaction that started early
(small txid) can be holding back a row with a small ``seq`` while a transaction with an even
smaller txid commits a row with a larger ``seq``; a ``seq`` cursor would move past the held-back
row and skip it when it commits. Every transaction with ``txid < xmin`` had finished when the
page was read, so all its rows were visible then, and the ``(txid, seq)`` order serves them all.
A page never ends inside a transaction: the rest of the last transaction is read with it.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from loyalty_desk.store import analytics
from loyalty_desk.store.db import driver_connection
from loyalty_desk.sync.protocol import (
    FEED_HORIZON,
    FEED_LAST_OF_ENTITY,
    FEED_PAGE,
    FEED_REST_OF_TRANSACTION,
    FEED_TABLE,
    FEED_WAITING,
    FEED_WAITING_BY_ENTITY,
)


@dataclass(frozen=True, order=True)
class Cursor:
    txid: int = 0
    seq: int = 0

    def to_text(self) -> str:
        return f"{self.txid}:{self.seq}"

    @classmethod
    def from_text(cls, value: str | None) -> Cursor:
        if not value:
            return cls()
        txid, seq = value.split(":")
        return cls(int(txid), int(seq))


@dataclass(frozen=True)
class FeedRow:
    txid: int
    seq: int
    entity: str
    entity_key: str
    payload: dict[str, Any]


def read_page(connection: Connection, cursor: Cursor, limit: int = 5000) -> list[FeedRow]:
    """Must run at READ COMMITTED: the page is read with a snapshot newer than the horizon's."""
    horizon = int(connection.execute(FEED_HORIZON).scalar_one())
    rows = [FeedRow(*row) for row in connection.execute(FEED_PAGE, {"txid": cursor.txid, "seq": cursor.seq, "limit": limit, "horizon": horizon}).all()]
    if len(rows) == limit:
        last = rows[-1]
        rows += [FeedRow(*row) for row in connection.execute(FEED_REST_OF_TRANSACTION, {"txid": last.txid, "seq": last.seq}).all()]
    return rows


def pending_count(connection: Connection, cursor: Cursor) -> int:
    """Rows a reader at ``cursor`` has not had yet (for progress)."""
    return int(connection.scalar(FEED_WAITING, {"txid": cursor.txid, "seq": cursor.seq}) or 0)


# --- bulk load (a fresh desk, or any desk far behind with no provisional rows) -----------------
#
# The paged reader above hands every row to Python as a JSON document. A fresh desk loading a
# whole central (1,000,000 members) would spend most of its time decoding JSON and converting
# values one by one. ``bulk_load`` asks central for the same rows already split into columns,
# typed as the desk stores them (``jsonb_to_record``), table by table, in ``(txid, seq)`` order
# within the table, and streams them into SQLite with ``executemany``. Rows of different tables
# are independent for a desk with no provisional rows (nothing to replace, nothing to recompute),
# so table-by-table order serves exactly what the paged reader would, and the cursor moves to the
# last row served, as after the last page. The horizon rule is the same: one horizon read first,
# at READ COMMITTED, every table's rows read afterwards with newer snapshots.

BULK_MIN_ROWS = 20_000  # below this the paged reader is as quick
BULK_CHUNK = 20_000


def _pg_type(column: Any) -> tuple[str, str]:
    """(type in the json_to_record column list, expression giving the value SQLite stores)."""
    from sqlalchemy import (
        JSON,
        BigInteger,
        Boolean,
        Date,
        DateTime,
        Integer,
        SmallInteger,
    )

    name = f'r."{column.name}"'
    kind = column.type
    if isinstance(kind, Boolean):
        return "boolean", f"{name}::int"
    if isinstance(kind, (BigInteger, Integer, SmallInteger)):
        return "bigint", name
    if isinstance(kind, DateTime):
        return "timestamp", f"to_char({name}, 'YYYY-MM-DD HH24:MI:SS.US')"
    if isinstance(kind, Date):
        return "date", f"to_char({name}, 'YYYY-MM-DD')"
    if isinstance(kind, JSON):
        return "json", f"coalesce({name}::text, 'null')"  # as json.dumps(None) stores it
    return "text", name


def _bulk_query(table: Any) -> str:
    """One parse of each payload (``json_to_record``), the ``_deleted`` mark taken in the same pass."""
    types = [_pg_type(c) for c in table.columns]
    definition = ", ".join(f'"{c.name}" {t}' for c, (t, _) in zip(table.columns, types, strict=True))
    values = ", ".join(expression for _, expression in types)
    return (
        f'SELECT f.txid, f.seq, r."_deleted" IS NOT NULL, {values} '
        f'FROM {FEED_TABLE} f, json_to_record(f.payload) AS r("_deleted" boolean, {definition}) '
        "WHERE f.entity = %(entity)s AND (f.txid, f.seq) > (%(txid)s, %(seq)s) AND f.txid < %(horizon)s ORDER BY f.txid, f.seq"
    )


def pending_by_entity(connection: Connection, cursor: Cursor, horizon: int) -> dict[str, int]:
    rows = connection.execute(
        FEED_WAITING_BY_ENTITY,
        {"txid": cursor.txid, "seq": cursor.seq, "horizon": horizon},
    ).all()
    return {str(entity): int(count) for entity, count in rows}


@dataclass(frozen=True)
class BulkPlan:
    horizon: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def bulk_plan(connection: Connection, cursor: Cursor) -> BulkPlan:
    """The horizon and the rows waiting below it per table (READ COMMITTED, like ``read_page``)."""
    horizon = int(connection.execute(FEED_HORIZON).scalar_one())
    return BulkPlan(horizon, pending_by_entity(connection, cursor, horizon))


def bulk_load(
    connection: Connection,
    sqlite: Any,
    plan: BulkPlan,
    cursor: Cursor,
    tables: dict[str, Any],
    upserts: dict[str, tuple[str, list[str], list[Any]]],
    keys: dict[str, tuple[str, ...]],
    on_rows: Any = None,
) -> tuple[int, Cursor]:
    """Streams every table's waiting rows (below ``plan.horizon``) into the desk's SQLite store.

    ``sqlite`` is the raw ``sqlite3`` connection of the caller's open transaction; the caller
    stores the returned cursor in the same transaction. Secondary indexes of a table that is
    empty when its load starts are dropped and rebuilt once at the end (sorted once instead of
    1,000,000 random inserts each). Returns (rows, new cursor).
    """
    raw = driver_connection(connection)
    raw.execute("SET LOCAL work_mem = '256MB'")  # the (txid, seq) sort of a big table stays in memory
    served = 0
    last = cursor
    # Tables arrive in any order and by the million: the analytics triggers would count row by row
    # (and a member's rows before the member). They are dropped in this transaction and the
    # aggregates rebuilt from what the store then holds, in one pass, before it commits.
    execute = analytics.sqlite3_execute(sqlite)
    analytics.uninstall(execute, False)
    for entity, count in sorted(plan.counts.items(), key=lambda item: item[1]):
        table = tables.get(entity)
        if table is None:
            # a table this release does not know: skipped; the cursor still moves past its rows
            top = connection.execute(
                FEED_LAST_OF_ENTITY,
                {"e": entity, "t": cursor.txid, "s": cursor.seq, "h": plan.horizon},
            ).first()
            if top is not None:
                last = max(last, Cursor(int(top[0]), int(top[1])))
            served += count
            continue
        upsert_sql = upserts[entity][0]
        key_names = keys[entity]
        names = [c.name for c in table.columns]
        key_positions = [names.index(k) for k in key_names]
        delete_sql = f'DELETE FROM "{table.name}" WHERE ' + " AND ".join(f'"{k}" = ?' for k in key_names)
        dropped: list[str] = []
        if count >= BULK_MIN_ROWS and sqlite.execute(f'SELECT 1 FROM "{table.name}" LIMIT 1').fetchone() is None:
            for name, sql in sqlite.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = ?", (table.name,)
            ).fetchall():
                sqlite.execute(f'DROP INDEX "{name}"')
                dropped.append(sql)
        for chunk in _prefetched(raw, _bulk_query(table), {"entity": entity, "txid": cursor.txid, "seq": cursor.seq, "horizon": plan.horizon}):
            pending: list[tuple[Any, ...]] = []
            for row in chunk:
                if row[2]:  # a deletion: what came before it first, then the delete, in order
                    if pending:
                        sqlite.executemany(upsert_sql, pending)
                        pending = []
                    sqlite.execute(delete_sql, tuple(row[3 + p] for p in key_positions))
                else:
                    pending.append(row[3:])
            if pending:
                sqlite.executemany(upsert_sql, pending)
            tail = chunk[-1]
            last = max(last, Cursor(int(tail[0]), int(tail[1])))
            served += len(chunk)
            if on_rows is not None:
                on_rows(served)
        for sql in dropped:
            sqlite.execute(sql)
    analytics.install(execute, False, date.today().replace(day=1).isoformat())
    connection.rollback()  # the named cursors' transaction
    return served, last


def _prefetched(raw: Any, query: str, params: dict[str, Any], depth: int = 3) -> Iterator[list[tuple[Any, ...]]]:
    """Chunks of a server-side cursor, fetched by a thread while the caller writes the previous ones
    (central computes and sends while SQLite inserts; both release the GIL)."""
    chunks: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def fetch() -> None:
        try:
            with raw.cursor(name="ld_bulk") as feed:
                feed.itersize = BULK_CHUNK
                feed.execute(query, params)
                while not stop.is_set():
                    chunk = feed.fetchmany(BULK_CHUNK)
                    chunks.put(chunk)
                    if not chunk:
                        return
        except BaseException as error:
            chunks.put(error)

    thread = threading.Thread(target=fetch, name="ld-bulk-fetch", daemon=True)
    thread.start()
    try:
        while True:
            chunk = chunks.get()
            if isinstance(chunk, BaseException):
                raise chunk
            if not chunk:
                return
            yield chunk
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.05)
        thread.join()
