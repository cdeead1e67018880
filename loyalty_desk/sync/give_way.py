"""Local rows that give way to central's: a desk is never stuck on a row it cannot apply.

Central's copy is the truth. When a page of the change feed cannot be written because a row of this
desk holds a unique value central's row holds (``UNIQUE constraint failed: member.member_no``), the
local row is the one that goes. Only provisional rows (ids from ``PROVISIONAL_BASE`` up: written
here, unknown to central) ever give way; a clash with a row central sent is never "fixed" here.

``find_clashes`` names, for the rows of a page, the local provisional rows that hold one of their
unique values. ``retire`` removes local provisional rows together with every local row that
depends on them through a foreign key (a member's name keys, entries, lots and movements; an
entry's lot; a referral of the member), so the page then applies; ``operation.member_id`` is set
to NULL instead (the operation row stays, with its outbox row and its exception). A row central sent
that names a retired row in a column that may be empty is not removed: that column is set to NULL.
Central never names a provisional row, so such a value was written here by one of this desk's
operations (an approval refused by central, whose request still names the approval's own posting),
and central's copy of the row brings central's value back. Nothing is retired when another row
central sent depends on it: that would take central's rows away.

``orphan_entries``: provisional ledger entries no operation owns. On a joined desk every change is
an operation that goes to central, so such entries were written here outside the operations (a
local import or job of an older release); central never receives them and the desk's balance would
stay above central's for ever. ``DeskSync`` retires them and queues them as exceptions.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Session

from loyalty_desk.store.models import Base
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE

LOCAL_ONLY = "sync.local_only"  # a row written here outside any operation, never sent to central
CONFLICT = "sync.conflict"  # an operation of this desk whose rows clash with central's
MEMBER_UNKNOWN = "sync.member_unknown"  # an operation on a member that exists on this desk only


@dataclass(frozen=True)
class Clash:
    table: str
    local_id: int
    columns: tuple[str, ...]
    value: str


@dataclass
class Retired:
    rows: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    members: set[int] = field(default_factory=set)  # members whose projections must be recomputed
    refused: str | None = None  # why nothing was retired

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def local_row_key(desk: str, table: str, row_id: int) -> str:
    """The exception id of a row no operation wrote: a UUID derived from the desk and the row (the
    exceptions queue, and a supervisor's decision on it, name operations by UUID)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"loyalty-desk:{desk}:local:{table}:{row_id}"))


def unique_column_sets(table: Table) -> list[tuple[str, ...]]:
    sets = [tuple(c.name for c in constraint.columns) for constraint in table.constraints if isinstance(constraint, UniqueConstraint)]
    sets += [tuple(c.name for c in index.columns) for index in table.indexes if index.unique]
    return sets


def find_clashes(session: Session, tables: dict[str, Table], rows: list[Any]) -> list[Clash]:
    """Local provisional rows that hold a unique value one of ``rows`` (feed rows) brings under another key."""
    wanted: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], Any]] = defaultdict(dict)
    for row in rows:
        table = tables.get(row.entity)
        payload = row.payload
        if table is None or payload.get("_deleted") or [c.name for c in table.primary_key.columns] != ["id"]:
            continue
        for columns in unique_column_sets(table):
            held_values = tuple(payload.get(c) for c in columns)
            if all(v is not None for v in held_values):
                wanted[(row.entity, columns)][held_values] = payload.get("id")
    clashes: list[Clash] = []
    for (entity, columns), values in wanted.items():
        table = tables[entity]
        keys = list(values)
        for start in range(0, len(keys), 400):
            chunk = keys[start : start + 400]
            if len(columns) == 1:
                condition = table.c[columns[0]].in_([k[0] for k in chunk])
            else:
                from sqlalchemy import tuple_

                condition = tuple_(*[table.c[c] for c in columns]).in_(chunk)
            found = session.execute(select(table.c.id, *[table.c[c] for c in columns]).where(condition, table.c.id >= PROVISIONAL_BASE)).all()
            for local_id, *held in found:
                if values.get(tuple(held)) != local_id:
                    clashes.append(Clash(entity, int(local_id), columns, "|".join(str(v) for v in held)))
    return clashes


def referencing(table_name: str) -> list[tuple[Table, Any]]:
    """(table, column) pairs whose foreign key points at ``table_name``'s primary key."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == table_name:
                found.append((table, fk.parent))
    return found


def retire(session: Session, table_name: str, ids: set[int]) -> Retired:
    """Deletes local provisional rows and every row that depends on them (see the module's text)."""
    result = Retired()
    pending: list[tuple[str, set[int]]] = [(table_name, set(ids))]
    by_condition: list[tuple[Table, Any, set[int]]] = []  # rows without an id of their own
    unlinked: list[tuple[Table, Any, set[int]]] = []
    while pending:
        name, keys = pending.pop()
        new = keys - result.rows[name]
        if not new:
            continue
        if min(new) < PROVISIONAL_BASE:
            result.refused = f"{name} row {min(new)} came from central"
            return result
        result.rows[name] |= new
        for table, column in referencing(name):
            if table.name == "operation":
                unlinked.append((table, column, new))
                continue
            if table.name in ("outbox", "sync_exception"):
                continue
            if [c.name for c in table.primary_key.columns] == ["id"]:
                found = set(session.scalars(select(table.c.id).where(column.in_(list(new)))))
                sent = {row_id for row_id in found if row_id < PROVISIONAL_BASE}
                if sent and column.nullable:
                    unlinked.append((table, column, new & set(session.scalars(select(column).where(table.c.id.in_(list(sent)))))))
                    found -= sent
                if found:
                    pending.append((table.name, found))
            else:
                by_condition.append((table, column, new))
    tables = Base.metadata.tables
    for name, keys in result.rows.items():
        table = tables[name]
        if "member_id" in table.c and name != "member":
            result.members.update(m for m in session.scalars(select(table.c.member_id).where(table.c.id.in_(list(keys)))) if m is not None)
    result.members -= result.rows.get("member", set())
    for table, column, keys in unlinked:
        session.execute(update(table).where(column.in_(list(keys))).values({column.name: None}))
    for table, column, keys in by_condition:
        session.execute(delete(table).where(column.in_(list(keys))))
    for name, keys in result.rows.items():
        table = tables[name]
        session.execute(delete(table).where(table.c.id.in_(list(keys))))
    return result


def orphan_entries(session: Session) -> dict[int, list[tuple[int, int]]]:
    """Provisional ledger entries no operation owns, by member: ``{member_id: [(entry id, points)]}``.

    An entry whose lot a provisional entry of an operation has drawn on is left for a later round
    (that operation's verdict replaces or reverses its rows first)."""
    table = Base.metadata.tables["ledger_entry"]
    lot, movement = Base.metadata.tables["lot"], Base.metadata.tables["lot_movement"]
    rows = session.execute(
        select(table.c.id, table.c.member_id, table.c.points).where(table.c.id >= PROVISIONAL_BASE, table.c.operation_id.is_(None))
    ).all()
    if not rows:
        return {}
    ids = [r.id for r in rows]
    drawn = set(
        session.scalars(
            select(lot.c.entry_id)
            .join(movement, movement.c.lot_id == lot.c.id)
            .join(table, table.c.id == movement.c.entry_id)
            .where(lot.c.entry_id.in_(ids), table.c.operation_id.is_not(None))
        )
    )
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for entry_id, member_id, points in rows:
        if entry_id not in drawn:
            found[int(member_id)].append((int(entry_id), int(points)))
    return dict(found)
