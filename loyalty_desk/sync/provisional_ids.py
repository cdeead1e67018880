"""Provisional ids: rows this desk's operations insert before central has seen them take ids from
``PROVISIONAL_BASE`` up (central never gets there), so they never collide with central's rows in the
replica; central's copies replace them when the feed brings them (``sync/pull.py``)."""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Engine, Table, event

from loyalty_desk.store.db import Database
from loyalty_desk.store.models import Base
from loyalty_desk.sync.protocol import REPLICATED

PROVISIONAL_BASE = 1 << 48  # ids from here up were given on this desk

_PROVISIONAL_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
_ID_TABLES: list[str] = []


def _allocate(mapper: Any, connection: Any, target: Any) -> None:
    if getattr(target, "id", None) is not None or connection.engine not in _PROVISIONAL_ENGINES:
        return
    table = mapper.local_table.name
    key = ("ld_next_id", table)
    stored = connection.exec_driver_sql(f"SELECT MAX(id) FROM {table} WHERE id >= ?", (PROVISIONAL_BASE,)).scalar()
    candidate = max(PROVISIONAL_BASE, (stored or 0) + 1, connection.info.get(key, 0) + 1)
    connection.info[key] = candidate
    target.id = candidate


def enable_provisional_ids(database: Database) -> None:
    """Rows this desk's operations insert into replicated tables take ids from ``PROVISIONAL_BASE`` up."""
    _PROVISIONAL_ENGINES.add(database.write_engine)
    if _ID_TABLES:
        return
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if not isinstance(table, Table):
            continue
        if table.name in REPLICATED and [c.name for c in table.primary_key.columns] == ["id"] and table.name != "operation":
            event.listen(mapper, "before_insert", _allocate)
            _ID_TABLES.append(table.name)
