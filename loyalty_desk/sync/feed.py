"""Reading central's change feed without ever skipping a row that a slower transaction committed late.

Every feed row carries the id of the transaction that wrote it (``txid``). A reader serves only
rows of transactions that had finished before its snapshot — ``txid`` below the oldest
transaction of this database still running (``ld_feed_horizon()``, see ``central.py``; the
cluster-wide ``pg_snapshot_xmin`` when the owner may not see other sessions) — and walks them in ``(txid, seq)`` order with a ``(txid, seq)`` cursor.

Why not a plain ``seq`` cursor with the same xmin filter: a transaction that started early
(small txid) can be holding back a row with a small ``seq`` while a transaction with an even
smaller txid commits a row with a larger ``seq``; a ``seq`` cursor would move past the held-back
row and skip it when it commits. Every transaction with ``txid < xmin`` had finished when the
page was read, so all its rows were visible then, and the ``(txid, seq)`` order serves them all.
A page never ends inside a transaction: the rest of the last transaction is read with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text


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


_HORIZON = text("SELECT ld_feed_horizon()")
_PAGE = text(
    "SELECT txid, seq, entity, entity_key, payload FROM change_feed "
    "WHERE (txid, seq) > (:txid, :seq) AND txid < :horizon ORDER BY txid, seq LIMIT :limit"
)
_REST_OF_TRANSACTION = text("SELECT txid, seq, entity, entity_key, payload FROM change_feed WHERE txid = :txid AND seq > :seq ORDER BY seq")


def read_page(connection: Connection, cursor: Cursor, limit: int = 5000) -> list[FeedRow]:
    """Must run at READ COMMITTED: the page is read with a snapshot newer than the horizon's."""
    horizon = int(connection.execute(_HORIZON).scalar_one())
    rows = [FeedRow(*row) for row in connection.execute(_PAGE, {"txid": cursor.txid, "seq": cursor.seq, "limit": limit, "horizon": horizon}).all()]
    if len(rows) == limit:
        last = rows[-1]
        rows += [FeedRow(*row) for row in connection.execute(_REST_OF_TRANSACTION, {"txid": last.txid, "seq": last.seq}).all()]
    return rows


def pending_count(connection: Connection, cursor: Cursor) -> int:
    """Rows a reader at ``cursor`` has not had yet (for progress)."""
    return int(connection.scalar(text("SELECT count(*) FROM change_feed WHERE (txid, seq) > (:txid, :seq)"), {"txid": cursor.txid, "seq": cursor.seq}) or 0)
