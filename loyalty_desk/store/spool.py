"""A scratch SQLite file for an import being checked: what a file's rows need remembered across
the whole file without holding it in memory.

- ``claim(kind, key, row)``: the first row of the file that used a key (a transaction id, an ID
  number, a mobile); later rows learn which row had it first.
- ``add_rows`` / ``rows``: the rows that passed every check, given back in the order the import
  posts them (``order`` then row), a batch at a time.
- ``add_problems`` / ``problems``: every refused value, in row order, for the error report.

The file lives in the system's temporary folder, is private to this process and is deleted on
``close``; it holds no more than the import file itself.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

CACHE_KIB = 8 * 1024  # SQLite's page cache: bounds the memory the spool takes, whatever the file's size


class ImportSpool:
    def __init__(self) -> None:
        handle, name = tempfile.mkstemp(prefix="loyalty-import-", suffix=".sqlite3")
        os.close(handle)
        self._path = Path(name)
        self._db = sqlite3.connect(self._path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self._db.execute("PRAGMA temp_store = FILE")
        self._db.execute("BEGIN")
        self._db.execute("CREATE TABLE claim (kind TEXT NOT NULL, key TEXT NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
        self._db.execute('CREATE TABLE valid ("order" TEXT NOT NULL, row INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY ("order", row)) WITHOUT ROWID')
        self._db.execute("CREATE TABLE problem (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        self.valid_count = 0
        self.problem_count = 0

    def __enter__(self) -> ImportSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._db.close()
        finally:
            self._path.unlink(missing_ok=True)

    def claim(self, kind: str, key: str, row: int) -> int | None:
        """None when ``key`` is new (it is now ``row``'s); else the row that claimed it first."""
        cursor = self._db.execute("INSERT OR IGNORE INTO claim (kind, key, row) VALUES (?, ?, ?)", (kind, key, row))
        if cursor.rowcount == 1:
            return None
        found = self._db.execute("SELECT row FROM claim WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return int(found[0])

    def add_rows(self, rows: Iterable[tuple[str, int, Any]]) -> None:
        """``(order, row, payload)``; payloads are JSON values."""
        before = self._db.total_changes
        self._db.executemany('INSERT INTO valid ("order", row, payload) VALUES (?, ?, ?)', ((o, r, json.dumps(p)) for o, r, p in rows))
        self.valid_count += self._db.total_changes - before

    def rows(self, batch: int) -> Iterator[list[Any]]:
        """The valid rows' payloads by ``order`` then row, ``batch`` at a time."""
        cursor = self._db.execute('SELECT payload FROM valid ORDER BY "order", row')
        while chunk := cursor.fetchmany(batch):
            yield [json.loads(payload) for (payload,) in chunk]

    def add_problems(self, problems: Iterable[Any]) -> None:
        """JSON payloads, added in the order the report lists them."""
        before = self._db.total_changes
        self._db.executemany("INSERT INTO problem (payload) VALUES (?)", ((json.dumps(p),) for p in problems))
        self.problem_count += self._db.total_changes - before

    def problems(self, limit: int | None = None) -> Iterator[Any]:
        cursor = self._db.execute("SELECT payload FROM problem ORDER BY seq LIMIT ?", (-1 if limit is None else limit,))
        for (payload,) in cursor:
            yield json.loads(payload)
