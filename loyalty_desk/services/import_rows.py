"""What every file import shares: the file's digest, its rows read and checked, header problems, and the problems spooled for the error report."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from loyalty_desk.documents.transactions import (
    TableReader,
    TransactionRow,
)
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.messages import describe
from loyalty_desk.services.audit import NoProgress, Progress
from loyalty_desk.services.dto import RowProblem
from loyalty_desk.store.spool import ImportSpool

LISTED_PROBLEMS = 1_000  # problems carried in the report object; the error workbook has them all


FILE_ROW = 1  # file-level problems (a missing column) are reported on the header row


def display_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_problem(row: int, error: DomainError, value: Any) -> RowProblem:
    column = error.field if isinstance(error, ValidationError) else str(error.params.get("field", ""))
    return RowProblem(
        row=row,
        column=column,
        value=display_value(value),
        code=error.code,
        params={key: display_value(v) for key, v in error.params.items()},
        message=describe(error),
    )


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ReadRows:
    """The rows of a reader for an import's checking loop. A row the reader refused adds its
    problems to ``problems`` (then ``on_refused()`` is called, so a streaming import can hand
    them on) and is not yielded; a ``fatal`` row (the file cannot be read past it) ends the rows
    and sets ``fatal``. ``rows_read`` counts every row read but the fatal one."""

    def __init__(self, table: TableReader, problems: list[RowProblem], on_refused: Callable[[], object] | None = None) -> None:
        self._table = table
        self._problems = problems
        self._on_refused = on_refused
        self.rows_read = 0
        self.fatal = False

    def __iter__(self) -> Iterator[TransactionRow]:
        for item in self._table.rows():
            if item.problems:
                self._problems.extend(row_problem(item.row, found.error, found.value) for found in item.problems)
                if item.fatal:
                    self.fatal = True
                    return
                self.rows_read += 1
                if self._on_refused is not None:
                    self._on_refused()
                continue
            self.rows_read += 1
            yield item


def start_reading(path: Path | str, progress: Progress | None) -> tuple[Path, Progress, str]:
    """The start of every file import: the file, where its progress goes (told that reading
    begins), and the file's digest."""
    path = Path(path)
    progress = progress or NoProgress()
    progress.set_status("import.reading")
    return path, progress, file_digest(path)


def file_problems(table: TableReader, required: Iterable[str]) -> list[RowProblem]:
    """The header's problems (control characters, a column twice) and the required columns it lacks."""
    problems = [row_problem(FILE_ROW, found.error, found.value) for found in table.header_problems]
    problems += [row_problem(FILE_ROW, ValidationError("import.missing_column", field=c, column=c), "") for c in table.missing(required)]
    return problems


def header_spool(spool: ImportSpool, problems: Iterable[RowProblem]) -> ImportSpool:
    spool.add_problems(dataclasses.asdict(p) for p in problems)
    return spool


def spooled_problems(spool: ImportSpool, limit: int | None = None) -> Iterator[RowProblem]:
    return (RowProblem(**payload) for payload in spool.problems(limit))


def listed_problems(spool: ImportSpool) -> tuple[tuple[RowProblem, ...], int]:
    """The first ``LISTED_PROBLEMS`` problems for the report object, and how many more the workbook lists."""
    listed = tuple(spooled_problems(spool, LISTED_PROBLEMS))
    return listed, spool.problem_count - len(listed)
