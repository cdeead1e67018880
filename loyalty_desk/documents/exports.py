"""Exports: one data sheet streamed through ``documents.workbooks`` (XlsxWriter, constant
memory, any row count) with a bold frozen header row, column widths, number and date formats
and an auto-filter, and a "Filter" sheet that says what was exported, by whom, and with which
filter. The same rows can go to a CSV file instead (``.csv``). Formula-looking text is written
as inert text (``documents.workbooks``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from loyalty_desk.documents.workbooks import (
    DATE,
    DATETIME,
    MAX_SHEET_ROWS,
    MONEY,
    NUMBER,
    TEXT,
    Column,
    Sheet,
    Styled,
    write_csv,
    write_workbook,
)

__all__ = ["DATE", "DATETIME", "MAX_SHEET_ROWS", "MONEY", "NUMBER", "TEXT", "Column", "write_export"]

FILTER_COLUMNS = (Column("", 24), Column("", 60))


def write_export(
    path: Path | str,
    *,
    sheet_title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    filters: Sequence[tuple[str, Any]],
    on_row: Callable[[int], None] | None = None,
) -> int:
    """Writes ``rows`` under ``columns`` and the filter sheet (with the row count); returns the
    number of data rows. A path ending in ``.csv`` gets the data rows alone, as CSV.
    ``on_row(n)`` is called every 1,000 rows (progress; it may raise to cancel)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return write_csv(path, columns, rows, on_row=on_row)
    data = Sheet(sheet_title, columns, rows, header="banner", on_row=on_row)
    described = Sheet("Filter", FILTER_COLUMNS, _filter_rows(sheet_title, filters, data), header=None, freeze=False, auto_filter=False)
    write_workbook(path, [data, described])
    return data.rows_written


def _filter_rows(sheet_title: str, filters: Sequence[tuple[str, Any]], data: Sheet) -> Iterator[tuple[Any, ...]]:
    """Read after the data sheet is written, so "Rows" is the count written."""
    yield (Styled(sheet_title, bold=True, size=13),)
    for key, value in filters:
        if isinstance(value, datetime):
            shown: Any = Styled(value, number_format=DATETIME)
        elif isinstance(value, date):
            shown = Styled(value, number_format=DATE)
        elif value is None or isinstance(value, (int, float)):
            shown = value
        else:
            shown = str(value)
        yield (Styled(key, bold=True), shown)
    yield (Styled("Rows", bold=True), data.rows_written)
