"""Transaction files (CSV, XLSX) read into rows, and the Excel error report of an import.

Rows come back as dicts keyed by the lower-cased, trimmed header names, with the
spreadsheet row number (header = row 1). Values are as the file holds them: text
from CSV; text, numbers and dates from XLSX. Checking them is the domain's job.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from loyalty_desk.domain.errors import DomainError

REQUIRED_COLUMNS = ("txn_id", "member_no", "date", "source", "amount", "product")
OPTIONAL_COLUMNS = ("due_date", "original_txn_id")
ID_COLUMNS = frozenset({"txn_id", "original_txn_id", "member_no"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
HEADER_ROW = 1


@dataclass(frozen=True)
class TransactionRow:
    row: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, Any]


@dataclass(frozen=True)
class TransactionFile:
    columns: tuple[str, ...]  # normalised header names in file order
    missing_columns: tuple[str, ...]  # required columns the header lacks
    rows: tuple[TransactionRow, ...] = field(default_factory=tuple)


def normalise_header(name: Any) -> str:
    return "" if name is None else str(name).replace("\ufeff", "").strip().lower()


def _clean(column: str, value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if column in ID_COLUMNS and isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps numeric ids as floats: 12345.0 -> "12345"
    if column in ID_COLUMNS and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _build(records: Iterable[Sequence[Any]]) -> TransactionFile:
    iterator: Iterator[Sequence[Any]] = iter(records)
    header: Sequence[Any] | None = None
    for header in iterator:
        break
    if header is None or _is_blank(header):
        return TransactionFile((), REQUIRED_COLUMNS)
    names = [normalise_header(name) for name in header]
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if name and name not in positions:  # the first of two same-named columns wins
            positions[name] = index
    missing = tuple(column for column in REQUIRED_COLUMNS if column not in positions)
    rows: list[TransactionRow] = []
    for number, record in enumerate(iterator, start=HEADER_ROW + 1):
        if _is_blank(record):
            continue
        values = {name: _clean(name, record[index] if index < len(record) else None) for name, index in positions.items()}
        rows.append(TransactionRow(number, values))
    return TransactionFile(tuple(name for name in names if name), missing, tuple(rows))


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM; files that are not UTF-8 are read as GB18030 (Excel's CSV on Chinese Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_csv(path: Path) -> TransactionFile:
    try:
        text = _decode(Path(path).read_bytes())
    except UnicodeDecodeError as error:
        raise DomainError("import.unreadable", file=Path(path).name, reason="encoding") from error
    try:
        return _build(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise DomainError("import.unreadable", file=Path(path).name, reason=str(error)) from error


def read_xlsx(path: Path) -> TransactionFile:
    """The first worksheet, read in read-only mode (constant memory, cached values of formulas)."""
    try:
        workbook = load_workbook(Path(path), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise DomainError("import.unreadable", file=Path(path).name, reason=type(error).__name__) from error
    try:
        sheet = workbook.worksheets[0]
        return _build(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def read_transactions(path: Path) -> TransactionFile:
    """Reads a CSV or XLSX transaction file; other types raise ``import.file_type``."""
    suffix = Path(path).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path)
    raise DomainError("import.file_type", file=Path(path).name, allowed="csv, xlsx")


# ---------------------------------------------------------------------- error report


class Problem(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def column(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def message(self) -> str: ...


ERROR_REPORT_HEADERS = ("Row", "Column", "Value", "Reason")
ERROR_REPORT_WIDTHS = (8, 18, 30, 80)


def error_report_path(source: Path) -> Path:
    """``feed.csv`` -> ``feed.errors.xlsx`` beside it."""
    source = Path(source)
    return source.with_name(f"{source.stem}.errors.xlsx")


def write_error_report(path: Path, problems: Iterable[Problem]) -> Path:
    """One row per problem (row, column, value, reason) under a frozen, bold header row, through
    the shared workbook writer (a value such as "=HYPERLINK(...)" stays inert text)."""
    from loyalty_desk.documents.workbooks import Column, Sheet, write_workbook

    columns = [Column(header, width) for header, width in zip(ERROR_REPORT_HEADERS, ERROR_REPORT_WIDTHS, strict=True)]
    rows = ((problem.row, problem.column, "" if problem.value is None else str(problem.value), problem.message) for problem in problems)
    write_workbook(path, [Sheet("Errors", columns, rows, header="bold")])
    return Path(path)
