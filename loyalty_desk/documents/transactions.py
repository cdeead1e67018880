"""Import files (CSV, XLSX) read as a stream of rows, and the Excel error report of an import.

Rows come back one at a time as dicts keyed by the lower-cased, trimmed header names, with
the spreadsheet row number (header = row 1). Values are as the file holds them: text from
CSV; text, numbers and dates from XLSX. The reader refuses what no column may hold (a row
with more or fewer fields than the header, control characters, a value longer than its
column's limit, a CSV that is neither UTF-8 nor GB18030); checking the values is the
domain's job. CSV goes through the ``csv`` module row by row, XLSX through openpyxl's
read-only mode: memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from loyalty_desk.documents.workbooks import Column, Sheet, write_workbook
from loyalty_desk.domain.errors import DomainError, ValidationError

REQUIRED_COLUMNS = ("txn_id", "member_no", "date", "source", "amount", "product")
OPTIONAL_COLUMNS = ("due_date", "original_txn_id", "applied_on")
ID_COLUMNS = frozenset({"txn_id", "original_txn_id", "member_no"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
HEADER_ROW = 1
# The longest text a column of the transaction file may hold (the store's column widths).
TRANSACTION_LIMITS: Mapping[str, int] = {
    "txn_id": 64, "original_txn_id": 64, "member_no": 20, "date": 20, "due_date": 20, "applied_on": 20, "source": 24, "amount": 20, "product": 64,
}
DEFAULT_FIELD_LIMIT = 500  # columns without their own limit (and columns an import ignores)
SHOWN_VALUE_LIMIT = 80  # characters of a refused value repeated in the report
CHUNK_BYTES = 1 << 20
# C0 controls (tab, line breaks and NUL included), DEL, C1 controls, Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What a stream may raise when the file is broken rather than the code: csv's own error, bytes that
# stopped decoding (the file changed while read), and what a damaged workbook's XML or zip raises.
BROKEN_FILE = (csv.Error, UnicodeDecodeError, ValueError, KeyError, SyntaxError, EOFError, zipfile.BadZipFile, zlib.error)
UTF8_BOM = b"\xef\xbb\xbf"
UNREAD_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


@dataclass(frozen=True)
class FieldProblem:
    """A value the reader refuses before any rule of the import sees it."""

    error: ValidationError
    value: str  # as the report shows it: control characters written as <U+0000>, long values cut


@dataclass(frozen=True)
class TransactionRow:
    row: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, Any]
    problems: tuple[FieldProblem, ...] = ()
    fatal: bool = False  # the file cannot be read past this row: nothing of it may be posted


def normalise_header(name: Any) -> str:
    return "" if name is None else str(name).replace("\ufeff", "").strip().lower()


def identifier_text(value: Any) -> Any:
    """A number a spreadsheet stored for an identifier, as text: 12345.0 -> "12345" (Excel keeps
    numeric ids as floats); anything else as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps at most 15 significant digits: a 16-digit card typed as a number is already
        # damaged; it is returned as Excel has it and the identity check refuses it.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return value


def _clean(column: str, value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return identifier_text(value) if column in ID_COLUMNS else value


def shown(value: Any) -> str:
    """A value as an error report may repeat it: control characters named, long text cut."""
    text = "" if value is None else str(value)
    if len(text) > SHOWN_VALUE_LIMIT:
        text = text[:SHOWN_VALUE_LIMIT] + "…"
    return CONTROL_CHARACTERS.sub(lambda found: f"<U+{ord(found.group()):04X}>", text)


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def field_problems(row: int, column: str, value: Any, limit: int) -> list[FieldProblem]:
    """Control characters and the column's length limit of one text value."""
    if not isinstance(value, str):
        return []
    problems: list[FieldProblem] = []
    control = CONTROL_CHARACTERS.search(value)
    if control is not None:
        error = ValidationError(
            "import.control_character", field=column, row=row, position=control.start() + 1, character=f"U+{ord(control.group()):04X}"
        )
        problems.append(FieldProblem(error, shown(value)))
    length = len(value.strip())
    if length > limit:
        problems.append(FieldProblem(ValidationError("import.too_long", field=column, maximum=limit, actual=length), shown(value)))
    return problems


class TableReader:
    """One table file read as a stream: the header first, then one ``TransactionRow`` at a time.

    Every row is checked against the header (the same number of fields), for control characters
    and against each column's length limit; a row failing any of these carries its problems and
    its values are not to be used. A CSV that stops being readable (an unterminated quote, text
    after a closing quote, a field beyond the csv module's limit) ends the rows with a ``fatal``
    one. Use as a context manager; ``rows()`` may be iterated once.
    """

    def __init__(self, path: Path, limits: Mapping[str, int] | None = None) -> None:
        self.path = Path(path)
        self._limits = dict(limits or {})
        self._close: Any = None
        self._records: Iterator[Sequence[Any]] = iter(())
        self._is_csv = False
        self.columns: tuple[str, ...] = ()
        self.header_problems: tuple[FieldProblem, ...] = ()
        self._names: list[str] = []
        self._positions: dict[str, int] = {}
        self._position: Any = lambda: (0, 0)

    # -- opening

    def __enter__(self) -> TableReader:
        suffix = self.path.suffix.lower()
        if suffix in CSV_SUFFIXES:
            self._open_csv()
        elif suffix in XLSX_SUFFIXES:
            self._open_xlsx()
        else:
            raise DomainError("import.file_type", file=self.path.name, allowed="csv, xlsx")
        self._read_header()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def _open_csv(self) -> None:
        encoding = detect_encoding(self.path)
        handle = self.path.open("r", encoding=encoding, newline="")
        self._close = handle.close
        raw = handle.buffer.raw  # type: ignore[attr-defined]
        size = max(self.path.stat().st_size, 1)
        self._position = lambda: (min(raw.tell(), size), size)
        self._is_csv = True
        self._records = csv.reader(handle, strict=True)

    def _open_xlsx(self) -> None:
        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise DomainError("import.unreadable", file=self.path.name, reason=type(error).__name__) from error
        self._close = workbook.close
        try:
            sheet = workbook.worksheets[0]
        except IndexError as error:
            workbook.close()
            raise DomainError("import.unreadable", file=self.path.name, reason="no worksheet") from error
        self._records = sheet.iter_rows(values_only=True)

    def _read_header(self) -> None:
        try:
            header = next(self._records, None)
        except BROKEN_FILE as error:
            raise DomainError("import.unreadable", file=self.path.name, reason=f"row {HEADER_ROW}: {error}") from error
        if header is None or _is_blank(header):
            return
        self._names = [normalise_header(name) for name in header]
        problems: list[FieldProblem] = []
        for index, raw in enumerate(header):
            problems.extend(field_problems(HEADER_ROW, f"column {index + 1}", raw, DEFAULT_FIELD_LIMIT))
        for index, name in enumerate(self._names):
            if not name:
                continue
            if name in self._positions:
                problems.append(FieldProblem(ValidationError("import.duplicate_column", field=name, column=name), name))
            else:
                self._positions[name] = index
        self.header_problems = tuple(problems)
        self.columns = tuple(name for name in self._names if name)

    def position(self) -> tuple[int, int]:
        """``(bytes read, file size)`` of a CSV, for progress; ``(0, 0)`` for a workbook."""
        return self._position()

    def missing(self, required: Iterable[str]) -> tuple[str, ...]:
        return tuple(column for column in required if column not in self._positions)

    # -- rows

    def rows(self) -> Iterator[TransactionRow]:
        if not self._names:
            return
        number = HEADER_ROW
        while True:
            try:
                record = next(self._records, None)
            except BROKEN_FILE as error:
                # the reader cannot tell where the broken record ends: nothing after it can be trusted
                reason = "the file changed while it was read" if isinstance(error, UnicodeDecodeError) else str(error) or type(error).__name__
                failure = ValidationError("import.unreadable_row", field="", row=number + 1, reason=reason)
                yield TransactionRow(number + 1, {}, (FieldProblem(failure, ""),), fatal=True)
                return
            if record is None:
                return
            number += 1
            row = self._row(number, record)
            if row is not None:
                yield row

    def _row(self, number: int, record: Sequence[Any]) -> TransactionRow | None:
        names = self._names
        problems: list[FieldProblem] = []
        for index, value in enumerate(record):
            column = names[index] if index < len(names) and names[index] else f"column {index + 1}"
            problems.extend(field_problems(number, column, value, self._limits.get(column, DEFAULT_FIELD_LIMIT)))
        if not problems and _is_blank(record):
            return None  # blank rows are skipped; their numbers stay taken
        fields, expected = len(record), len(names)
        if not self._is_csv:  # a sheet's rows are as wide as its widest row: only filled cells count
            expected = max([0] + [index + 1 for index, name in enumerate(names) if name])
            fields = max([expected] + [index + 1 for index, value in enumerate(record) if not _is_blank([value])])
        if fields != expected:
            error = ValidationError("import.field_count", field="", row=number, actual=fields, expected=expected)
            problems.insert(0, FieldProblem(error, shown(",".join("" if v is None else str(v) for v in record))))
        if problems:
            return TransactionRow(number, {}, tuple(problems))
        values = {name: _clean(name, record[index] if index < len(record) else None) for name, index in self._positions.items()}
        return TransactionRow(number, values)


def open_table(path: Path, limits: Mapping[str, int] | None = None) -> TableReader:
    """``with open_table(path, limits) as table:`` then ``table.rows()``; CSV or XLSX by suffix."""
    return TableReader(Path(path), limits)


def detect_encoding(path: Path) -> str:
    """The codec a CSV file is read with: UTF-8 (a BOM is dropped), else GB18030 (Excel's CSV on
    Chinese Windows); a file that is neither is refused with the byte offset and line of its
    first bad byte. Read in chunks: memory stays flat whatever the file's size."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(UTF8_BOM):
        failure = _first_decode_error(path, "utf-8", skip=len(UTF8_BOM))
        if failure is None:
            return "utf-8-sig"
        raise DomainError("import.encoding", file=path.name, offset=failure[0], line=failure[1], encoding="UTF-8")
    for bom, name in UNREAD_BOMS.items():
        if head.startswith(bom):
            raise DomainError("import.encoding", file=path.name, offset=0, line=1, encoding=name)
    utf8 = _first_decode_error(path, "utf-8")
    if utf8 is None:
        return "utf-8"
    gb18030 = _first_decode_error(path, "gb18030")
    if gb18030 is None:
        return "gb18030"
    offset, line = max(utf8, gb18030)  # the reading that got further is the likelier encoding
    raise DomainError("import.encoding", file=path.name, offset=offset, line=line, encoding="UTF-8 or GB18030")


def _first_decode_error(path: Path, encoding: str, *, skip: int = 0) -> tuple[int, int] | None:
    """``(byte offset, line)`` of the first byte ``encoding`` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    consumed = skip  # bytes handed to the decoder so far
    newlines = 0  # in those bytes
    with path.open("rb") as handle:
        handle.seek(skip)
        while True:
            chunk = handle.read(CHUNK_BYTES)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                pending = len(error.object) - len(chunk)  # bytes the decoder held back from earlier chunks
                offset = consumed - pending + error.start
                before = chunk[: max(0, offset - consumed)].count(b"\n")
                return offset, newlines + before + 1
            if not chunk:
                return None
            consumed += len(chunk)
            newlines += chunk.count(b"\n")


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
    columns = [Column(header, width) for header, width in zip(ERROR_REPORT_HEADERS, ERROR_REPORT_WIDTHS, strict=True)]
    rows = ((problem.row, problem.column, "" if problem.value is None else shown(problem.value), problem.message) for problem in problems)
    write_workbook(path, [Sheet("Errors", columns, rows, header="bold")])
    return Path(path)
