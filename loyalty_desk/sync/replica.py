"""Central's rows in the desk's SQLite replica: how they are stored (converters, upserts), how a
provisional row gives way to central's copy, and the projections recomputed for members and stock
that still have provisional rows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, delete, func, select, text, update
from sqlalchemy.orm import Session

from loyalty_desk.store.models import LedgerEntry, Member, Outbox, RewardStock, RewardStockMovement, SyncException
from loyalty_desk.sync.feed import FeedRow
from loyalty_desk.sync.give_way import referencing
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE


def replace_provisional_member(session: Session, provisional_id: int, central_id: int) -> None:
    """Central posted the operation that created a member here: its provisional row gives way to central's
    (same person, central's id and, for a provisional number, the final one), and the rows of this desk's
    other operations that name it follow it to central's id. Its name keys come with central's row."""
    for table, column in referencing("member"):
        if table.name != "member_name_key":
            session.execute(update(table).where(column == provisional_id).values({column.name: central_id}))
    session.execute(update(SyncException).where(SyncException.member_id == provisional_id).values(member_id=central_id))
    session.execute(text("DELETE FROM member_name_key WHERE member_id = :m"), {"m": provisional_id})
    session.execute(delete(Member).where(Member.id == provisional_id))


def by_entity(rows: list[FeedRow]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.entity, []).append(row.payload)
    return list(groups.items())


def converters(table: Table) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for column in table.columns:
        if isinstance(column.type, DateTime):
            result[column.name] = lambda v: None if v is None else datetime.fromisoformat(v) if isinstance(v, str) else v
        elif isinstance(column.type, Date):
            result[column.name] = lambda v: None if v is None else date.fromisoformat(v) if isinstance(v, str) else v
        else:
            result[column.name] = lambda v: v
    return result


def _stored_datetime(value: Any) -> Any:
    """PostgreSQL's ISO text to the text SQLAlchemy keeps in SQLite (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    if value is None or not isinstance(value, str):
        return value
    text_value = value.replace("T", " ")
    if "+" in text_value[10:]:
        text_value = text_value[: text_value.index("+", 10)]
    if "." in text_value:
        head, fraction = text_value.split(".", 1)
        return f"{head}.{fraction[:6].ljust(6, '0')}"
    return f"{text_value}.000000" if len(text_value) > 10 else text_value


def _stored_json(value: Any) -> Any:
    return json.dumps(value)


def _same(value: Any) -> Any:
    return value


def upsert_statement(table: Table) -> tuple[str, list[str], list[Any]]:
    from sqlalchemy import JSON

    names = [c.name for c in table.columns]
    keys = [c.name for c in table.primary_key.columns]
    converters = [
        _stored_datetime if isinstance(c.type, DateTime) else _stored_json if isinstance(c.type, JSON) else _same for c in table.columns
    ]
    others = [n for n in names if n not in keys]
    conflict = (
        "DO UPDATE SET " + ", ".join(f'"{n}" = excluded."{n}"' for n in others) if others else "DO NOTHING"
    )
    sql = (
        f'INSERT INTO "{table.name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) VALUES ({", ".join("?" for _ in names)}) '
        f'ON CONFLICT ({", ".join(chr(34) + k + chr(34) for k in keys)}) {conflict}'
    )
    return sql, names, converters


def members_with_provisional(session: Session, member_ids: Iterable[int]) -> set[int]:
    ids = list(member_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            session.scalars(select(LedgerEntry.member_id).where(LedgerEntry.member_id.in_(chunk), LedgerEntry.id >= PROVISIONAL_BASE).distinct())
        )
    return found


def recompute_projections(session: Session, member_ids: Sequence[int]) -> None:
    """Projections of members with provisional rows, from the rows (held in range while central decides)."""
    for start in range(0, len(member_ids), 500):
        chunk = list(member_ids[start : start + 500])
        params = {f"m{i}": m for i, m in enumerate(chunk)}
        in_list = ", ".join(f":m{i}" for i in range(len(chunk)))
        session.execute(
            text(
                "UPDATE member SET posted_balance = (SELECT COALESCE(SUM(points), 0) FROM ledger_entry e WHERE e.member_id = member.id) "
                f"WHERE id IN ({in_list})"
            ),
            params,
        )
        session.execute(
            text(
                "UPDATE lot SET remaining = MAX(0, MIN(original, original + COALESCE((SELECT SUM(points) FROM lot_movement m WHERE m.lot_id = lot.id), 0))) "
                f"WHERE member_id IN ({in_list})"
            ),
            params,
        )
    session.expire_all()


def recompute_stock(session: Session, keys: Iterable[tuple[int, int]]) -> None:
    """A branch's on-hand just pulled from central, less what this desk's own operations that central's
    feed has not brought back yet moved (provisional movements: waiting, or accepted and not pulled;
    a rejected operation's are undone by its compensating movements), never below zero."""
    wanted = set(keys)
    ours = session.execute(
        select(RewardStockMovement.branch_id, RewardStockMovement.reward_id, func.sum(RewardStockMovement.change))
        .join(Outbox, Outbox.operation_id == RewardStockMovement.operation_id)
        .where(RewardStockMovement.id >= PROVISIONAL_BASE)
        .group_by(RewardStockMovement.branch_id, RewardStockMovement.reward_id)
    ).all()
    for branch_id, reward_id, change in ours:
        if change and (branch_id, reward_id) in wanted:
            session.execute(
                update(RewardStock)
                .where(RewardStock.branch_id == branch_id, RewardStock.reward_id == reward_id)
                .values(on_hand=func.max(0, RewardStock.on_hand + change))
            )


def remap_reversals(session: Session, replaced: dict[int, str]) -> None:
    """Local entries that reversed a provisional entry now point at central's copy of it."""
    for old_id, uid in replaced.items():
        new_id = session.scalar(select(LedgerEntry.id).where(LedgerEntry.entry_uid == uid))
        if new_id is not None:
            session.execute(update(LedgerEntry).where(LedgerEntry.reverses_entry_id == old_id).values(reverses_entry_id=new_id))


def remap_to_central_copies(session: Session, tables: dict[str, Table], replaced: dict[str, dict[int, str]]) -> None:
    """Local rows that named a provisional row central's copy has just replaced (an approval made here
    of a request made here, before central returned the request) now name central's copy, found by
    the operation that wrote both. A row whose copy is not here yet keeps its value."""
    for name, rows in replaced.items():
        table = tables[name]
        for old_id, operation_id in rows.items():
            new_id = session.scalar(select(table.c.id).where(table.c.operation_id == operation_id, table.c.id < PROVISIONAL_BASE))
            if new_id is None:
                continue
            for referrer, column in referencing(name):
                session.execute(update(referrer).where(column == old_id).values({column.name: new_id}))
