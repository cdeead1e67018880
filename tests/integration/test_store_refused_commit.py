"""A commit the local store refuses leaves no transaction open behind it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from loyalty_desk.store.db import Database, sqlite_url


def test_a_commit_refused_for_a_deferred_foreign_key_leaves_the_connection_usable(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path / "store.sqlite3"))
    try:
        with database.write_engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
            connection.exec_driver_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id))")
        with pytest.raises(IntegrityError), database.write_sessions() as session:
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            session.execute(text("INSERT INTO child VALUES (1, 5)"))
            session.commit()
        with database.write_sessions() as session:  # the same pooled connection: a new transaction starts
            session.execute(text("INSERT INTO parent VALUES (5)"))
            session.execute(text("INSERT INTO child VALUES (1, 5)"))
            session.commit()
        with database.read_sessions() as session:
            assert session.execute(text("SELECT id, parent_id FROM child")).all() == [(1, 5)]
    finally:
        database.dispose()
