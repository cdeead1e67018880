"""What every repository shares: the unit of work's session, the dialect it speaks, and the ways of
reading that several repositories need (values in chunks, statements straight on the driver)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, inspect, or_, select
from sqlalchemy.orm import Session

from loyalty_desk.store.db import driver_connection

# ``session.info`` key of an id source (``next(table) -> int``) that a session's owner may set so that a
# new row gets its primary key without a flush: central's applier, which writes a batch's rows in one go.
ID_SOURCE = "ld_id_source"
IN_LIST_CHUNK = 500  # values bound in one ``IN (...)``: well below SQLite's limit on parameters
_NAMED_PARAMETER = re.compile(r"(?<!:):(\w+)")

T = TypeVar("T")
Row = TypeVar("Row")


def as_date(value: Any) -> Any:
    """A date as read back: SQLite hands dates back as ISO text, PostgreSQL as dates."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def as_datetime(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def in_chunks(values: Sequence[T], size: int = IN_LIST_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _given(values: Mapping[str, object]) -> dict[str, object]:
    """The search values given: None and empty text stand for a filter left empty."""
    return {column: value for column, value in values.items() if value is not None and value != ""}


def where_given(query: Select[Any], **values: object) -> Select[Any]:
    """``query`` narrowed to the rows whose column equals each value given (a filter left empty matches every row)."""
    return query.filter_by(**_given(values))


def equal_to_any(model: type[Any], **values: object) -> ColumnElement[bool] | None:
    """Rows of ``model`` whose column equals any one of the values given; None when none is given."""
    conditions = [getattr(model, column) == value for column, value in _given(values).items()]
    return or_(*conditions) if conditions else None


@lru_cache(maxsize=128)
def _dialect_sql(sql: str, is_postgres: bool) -> str:
    """The statements are written with ``:name`` parameters (sqlite3's named style); psycopg wants ``%(name)s``."""
    return _NAMED_PARAMETER.sub(r"%(\1)s", sql) if is_postgres else sql


class Repository:
    def __init__(self, session: Session, is_postgres: bool) -> None:
        self.session = session
        self.is_postgres = is_postgres

    def _added(self, row: Row) -> Row:
        """Adds ``row`` with its generated id known to the caller: taken from the session's id source
        when it has one, otherwise by a flush."""
        self.session.add(row)
        if not self._id_given(row):
            self.session.flush()
        return row

    def _id_given(self, row: Any) -> bool:
        """Gives a new row its id from the session's id source (``ID_SOURCE``); False without one."""
        source = self.session.info.get(ID_SOURCE)
        if source is None or getattr(row, "id", None) is not None:
            return False
        column = inspect(row).mapper.local_table.autoincrement_column
        if column is None or column.key != "id":
            return False
        row.id = source.next(column.table.name)
        return True

    def _by_id(self, model: type[Any], row_id: int, *, fresh: bool = False, lock: bool = False) -> Any:
        """The row of ``model`` with ``row_id``, or None. ``fresh=True`` re-reads it over what the session
        holds (call it after locking the member, to see a racing decision); ``lock=True`` with it also
        locks the row on PostgreSQL."""
        query = select(model).where(model.id == row_id)
        return self._fresh_row(query, lock=lock) if fresh else self.session.scalar(query)

    def _fresh_row(self, query: Select[Any], *, lock: bool = True) -> Any:
        """The row ``query`` finds, or None, read again over what the session holds (a racing change
        shows); ``lock`` also locks it for the rest of the transaction on PostgreSQL (SQLite's writers
        already hold the store lock)."""
        query = query.execution_options(populate_existing=True)
        if lock and self.is_postgres:
            query = query.with_for_update()
        return self.session.scalar(query)

    def _by_parent(self, model: type[Any], parent: str, parent_ids: Sequence[int]) -> dict[int, list[Any]]:
        """The rows of ``model`` whose ``parent`` column holds one of ``parent_ids``, in id order, listed
        under that parent's id (every id asked for has its list, empty when it has no rows)."""
        found: dict[int, list[Any]] = {parent_id: [] for parent_id in parent_ids}
        if not parent_ids:
            return found
        column = getattr(model, parent)
        for row in self.session.scalars(select(model).where(column.in_(list(parent_ids))).order_by(model.id)):
            found[getattr(row, parent)].append(row)
        return found

    def _by_operation(self, model: type[Any], operation_id: str) -> Any:
        """The row of ``model`` the operation ``operation_id`` made, or None."""
        return self.session.scalar(select(model).where(model.operation_id == operation_id))

    @contextmanager
    def _driver_cursor(self, sql: str, params: Mapping[str, object]) -> Iterator[Any]:
        """A cursor of the session's own DBAPI connection (same transaction) that has run ``sql``,
        skipping SQLAlchemy's statement and result machinery where it costs more than the query."""
        cursor = driver_connection(self.session.connection()).cursor()
        try:
            cursor.execute(_dialect_sql(sql, self.is_postgres), params)
            yield cursor
        finally:
            cursor.close()
