"""Every workbook and CSV file the product writes goes through here: exports, the referral
report, the audit trail, import error reports and import templates.

Workbooks are written with XlsxWriter in its ``constant_memory`` mode: each row goes to disk as
soon as the next one starts, so a sheet of a million rows needs no more memory than one of ten,
and the rows can come straight from the store in batches. (openpyxl's write-only mode does the
same at several times the cost per cell: README, "Figures".)

Formula text is neutralised here, in the one place every cell passes: a text value beginning
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's CSV-injection list) is
written as text with Excel's quote prefix (the cell style ``quotePrefix``: Excel, WPS and
LibreOffice show the plain text and do not evaluate it, even after the cell is edited), and in a
CSV file behind a leading apostrophe. Numbers are written as numbers: a negative points figure
stays a number. Control characters are written in the one spelling every program reads alike
(``cell_text``).
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

NUMBER = "#,##0"
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm:ss"
TEXT = "@"
BANNER_FILL = "#9F1D20"
MAX_SHEET_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_CELL_TEXT = 32_767
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
_LEADER_CHARACTERS = "".join(FORMULA_LEADERS)  # one-character leaders: `text[0] in` is the cheap test
PROGRESS_EVERY = 1_000
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 0; every date the product writes is after 1900-03-01
_LINE_ENDS = re.compile("\r\n?")
_OTHER_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def cell_text(text: str) -> str:
    """Text as a workbook cell holds it: line ends as line feeds, other control characters as
    U+FFFD. (XML has no carriage return that survives parsing, and the ``_x000D_`` escape Excel
    reads is shown literally by Gnumeric: one spelling every program reads alike.)"""
    if text.isprintable():
        return text
    return _OTHER_CONTROLS.sub("\ufffd", _LINE_ENDS.sub("\n", text))


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could take ``text`` for a formula (or a DDE call)."""
    return text.startswith(FORMULA_LEADERS)


def csv_text(text: str) -> str:
    """``text`` as it is written into a CSV cell: formula-looking text behind an apostrophe."""
    return "'" + text if is_formula_like(text) else text


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14
    number_format: str | None = None  # NUMBER, MONEY, DATE, DATETIME, TEXT or None (general)
    wrap: bool = False


@dataclass(frozen=True)
class Styled:
    """A single value with its own look, for the small descriptive sheets (filter, notes)."""

    value: Any
    bold: bool = False
    italic: bool = False
    size: float | None = None
    number_format: str | None = None


@dataclass(frozen=True)
class Chart:
    """A native Excel chart of a sheet's rows: ``values`` are the columns (0-based) holding one series
    each, named by their headers; ``categories`` the column naming the points along the axis."""

    kind: str  # line | column | bar (horizontal) | stacked (stacked columns)
    title: str
    values: Sequence[int]
    categories: int = 0
    anchor: str = "F3"
    width: int = 560
    height: int = 300


@dataclass
class Sheet:
    """One worksheet: a header row (``header`` "banner": white bold on the bank's red, "bold":
    bold, None: no header), then ``rows`` (streamed; values may be ``Styled``). ``lead`` lines
    come above the header (an italic note); ``text_columns`` formats the whole of each ``TEXT``
    column as text, empty cells included, so identifiers typed into a template stay text."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    header: str | None = "banner"
    lead: Sequence[Styled] = ()
    freeze: bool = True
    auto_filter: bool = True
    text_columns: bool = False
    on_row: Callable[[int], None] | None = None
    charts: Sequence[Chart] = ()
    rows_written: int = field(default=0, init=False)


class _Formats:
    """The workbook's formats, made once each (XlsxWriter keeps one style per distinct format)."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[Any, ...], Format] = {}

    def get(self, number_format: str | None = None, *, quote: bool = False, bold: bool = False, italic: bool = False,
            size: float | None = None, wrap: bool = False, banner: bool = False) -> Format | None:
        key = (number_format, quote, bold, italic, size, wrap, banner)
        if not any(key):
            return None
        found = self._cache.get(key)
        if found is None:
            properties: dict[str, Any] = {}
            if number_format:
                properties["num_format"] = number_format
            if quote:
                properties["quote_prefix"] = True
            if bold or banner:
                properties["bold"] = True
            if italic:
                properties["italic"] = True
            if size:
                properties["font_size"] = size
            if wrap:
                properties["text_wrap"] = True
                properties["valign"] = "top"
            if banner:
                properties.update(font_color="#FFFFFF", bg_color=BANNER_FILL, pattern=1, valign="vcenter")
            found = self._cache[key] = self._workbook.add_format(properties)
        return found


def write_workbook(path: Path | str, sheets: Sequence[Sheet]) -> list[int]:
    """Writes the sheets in order and returns how many data rows each got (``Sheet.rows_written``
    too). A sheet's ``rows`` may read what an earlier sheet counted: sheets are filled in order.
    The file appears only when complete; an exception (a cancelled ``on_row``) leaves nothing."""
    with _drafted(Path(path)) as draft, tempfile.TemporaryDirectory(prefix="loyalty-workbook-") as scratch:
        workbook = xlsxwriter.Workbook(str(draft), {
            "constant_memory": True, "tmpdir": scratch, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "remove_timezone": True, "use_zip64": True,
        })
        formats = _Formats(workbook)
        worksheets = [workbook.add_worksheet(_sheet_name(sheet.title)) for sheet in sheets]
        counts = [_fill(worksheet, sheet, formats) for worksheet, sheet in zip(worksheets, sheets, strict=True)]
        for worksheet, sheet in zip(worksheets, sheets, strict=True):
            _add_charts(workbook, worksheet, sheet)
        workbook.close()
    return counts


@contextmanager
def _drafted(path: Path) -> Iterator[Path]:
    """A file written as ``<path>.part`` and moved to ``path`` only when complete: an exception
    (a cancelled ``on_row``) leaves neither file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(path.name + ".part")
    try:
        yield draft
        os.replace(draft, path)
    except BaseException:
        draft.unlink(missing_ok=True)
        raise


def _sheet_name(title: str) -> str:
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, " ")
    return title.strip()[:31] or "Sheet"


def _fill(worksheet: Worksheet, sheet: Sheet, formats: _Formats) -> int:
    columns = sheet.columns
    for index, column in enumerate(columns):
        text_format = formats.get(TEXT) if sheet.text_columns and column.number_format == TEXT else None
        worksheet.set_column(index, index, column.width, text_format)
    row = 0
    for lead in sheet.lead:
        _write_value(worksheet, row, 0, lead, None, formats)
        row += 1
    header_row = row if sheet.header else None
    if sheet.header:
        header_format = formats.get(banner=sheet.header == "banner", bold=True)
        for index, column in enumerate(columns):
            worksheet.write_string(row, index, column.header, header_format)
        row += 1
    if sheet.freeze and row:
        worksheet.freeze_panes(row, 0)
    writers = [_column_writer(worksheet, column, formats) for column in columns]
    indexes = range(len(columns))
    limit = MAX_SHEET_ROWS
    on_row = sheet.on_row
    count = 0
    for values in sheet.rows:
        if row >= limit:
            break
        for write, col, value in zip(writers, indexes, values, strict=False):  # a short row leaves the rest empty
            if value is not None:
                write(row, col, value)
        row += 1
        count += 1
        if on_row is not None and count % PROGRESS_EVERY == 0:
            on_row(count)
    if sheet.auto_filter and header_row is not None and columns:
        worksheet.autofilter(header_row, 0, max(row - 1, header_row), len(columns) - 1)
    sheet.rows_written = count
    return count


_CHART_TYPES = {"line": {"type": "line"}, "column": {"type": "column"}, "bar": {"type": "bar"}, "stacked": {"type": "column", "subtype": "stacked"}}


def _add_charts(workbook: xlsxwriter.Workbook, worksheet: Worksheet, sheet: Sheet) -> None:
    """The sheet's charts over the data rows written (none when it got no rows)."""
    if not sheet.charts or not sheet.rows_written or not sheet.header:
        return
    header = len(sheet.lead)
    first, last = header + 1, header + sheet.rows_written
    for spec in sheet.charts:
        chart = workbook.add_chart(_CHART_TYPES[spec.kind])
        for column in spec.values:
            series: dict[str, Any] = {
                "name": [worksheet.name, header, column],
                "categories": [worksheet.name, first, spec.categories, last, spec.categories],
                "values": [worksheet.name, first, column, last, column],
            }
            if spec.kind == "line":
                series["marker"] = {"type": "circle", "size": 5}
            chart.add_series(series)
        chart.set_title({"name": spec.title, "name_font": {"size": 11}})
        chart.set_legend({"position": "bottom"} if len(spec.values) > 1 else {"none": True})
        chart.set_size({"width": spec.width, "height": spec.height})
        worksheet.insert_chart(spec.anchor, chart)


def _column_writer(worksheet: Worksheet, column: Column, formats: _Formats) -> Callable[[int, int, Any], Any]:
    """The writer of one column's cells, chosen once per column: formats are looked up here, and
    the value type the column's format expects is tested first (numbers in a number column,
    dates in a date column, text elsewhere); anything else goes the general way. Dates are
    written as Excel serial numbers under the column's date format (what ``write_datetime`` does,
    without its per-cell conversion).

    Cells go to XlsxWriter's undecorated ``_write_number`` and ``_write_string``: the public
    ``write_number``/``write_string`` are these behind a decorator that only translates "A1"
    cell references, which costs about a tenth of the export on a 100,000-row sheet."""
    number_format = column.number_format
    plain = formats.get(number_format, wrap=column.wrap)
    quoted = formats.get(number_format, quote=True, wrap=column.wrap)
    as_text = number_format == TEXT
    as_serial = number_format in (DATE, DATETIME)
    write_string, write_number = worksheet._write_string, worksheet._write_number
    write_datetime, write_boolean = worksheet.write_datetime, worksheet.write_boolean
    leaders = _LEADER_CHARACTERS
    epoch = _EXCEL_EPOCH

    def write_text(row: int, col: int, value: str) -> Any:
        if not value:
            return None
        style = quoted if value[0] in leaders else plain
        if len(value) > MAX_CELL_TEXT:
            value = value[:MAX_CELL_TEXT]
        return write_string(row, col, value if value.isprintable() else cell_text(value), style)

    def write_any(row: int, col: int, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return write_text(row, col, value)
        if kind is int or kind is float:
            return write_text(row, col, str(value)) if as_text else write_number(row, col, value, plain)
        if kind is date and as_serial:
            return write_number(row, col, value.toordinal() - epoch, plain)
        if kind is datetime and as_serial and value.tzinfo is None:
            return write_number(row, col, _datetime_serial(value), plain)
        if kind is Decimal:
            return write_text(row, col, str(value)) if as_text else write_number(row, col, float(value), plain)
        if kind is bool:
            return write_boolean(row, col, value, plain)
        if kind is Styled:
            return _write_value(worksheet, row, col, value, number_format, formats)
        if isinstance(value, (date, datetime)):
            default = DATETIME if isinstance(value, datetime) else DATE
            return write_datetime(row, col, value, plain if as_serial else formats.get(default, wrap=column.wrap))
        return write_text(row, col, str(value))

    if number_format in (NUMBER, MONEY):
        def write_numeric(row: int, col: int, value: Any) -> Any:
            if type(value) is int:
                return write_number(row, col, value, plain)
            return write_any(row, col, value)

        return write_numeric
    if number_format == DATE:
        def write_date(row: int, col: int, value: Any) -> Any:
            if type(value) is date:
                return write_number(row, col, value.toordinal() - epoch, plain)
            return write_any(row, col, value)

        return write_date
    if number_format == DATETIME:
        def write_moment(row: int, col: int, value: Any) -> Any:
            if type(value) is datetime and value.tzinfo is None:
                return write_number(row, col, _datetime_serial(value), plain)
            return write_any(row, col, value)

        return write_moment

    def write_textual(row: int, col: int, value: Any) -> Any:
        if type(value) is str:
            if not value:
                return None
            if len(value) <= MAX_CELL_TEXT and value.isprintable():
                return write_string(row, col, value, quoted if value[0] in leaders else plain)
            return write_text(row, col, value)
        return write_any(row, col, value)

    return write_textual


def _datetime_serial(value: datetime) -> float:
    """A naive datetime as Excel's serial number (days since its epoch, the time as a fraction)."""
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    return value.toordinal() - _EXCEL_EPOCH + seconds / 86400


def _write_value(worksheet: Worksheet, row: int, col: int, value: Any, number_format: str | None, formats: _Formats) -> None:
    style: dict[str, Any] = {}
    if isinstance(value, Styled):
        style = {"bold": value.bold, "italic": value.italic, "size": value.size}
        number_format = value.number_format or number_format
        value = value.value
    if value is None or value == "":
        return
    if isinstance(value, bool):
        worksheet.write_boolean(row, col, value, formats.get(number_format, **style))
    elif isinstance(value, (int, float, Decimal)):
        worksheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value, formats.get(number_format, **style))
    elif isinstance(value, datetime):
        worksheet.write_datetime(row, col, value, formats.get(number_format or DATETIME, **style))
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, formats.get(number_format or DATE, **style))
    else:
        text = str(value)[:MAX_CELL_TEXT]
        worksheet.write_string(row, col, cell_text(text), formats.get(number_format, quote=is_formula_like(text), **style))


# ---------------------------------------------------------------------- CSV


def write_csv(
    path: Path | str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    on_row: Callable[[int], None] | None = None,
) -> int:
    """The same table as a CSV file (UTF-8 with a byte-order mark, so Excel and WPS read the
    Chinese correctly; dates as ``YYYY-MM-DD``); formula-looking text behind an apostrophe.
    Returns the number of data rows; the file appears only when complete."""
    count = 0
    with _drafted(Path(path)) as draft, open(draft, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_text(column.header) for column in columns])
        for values in rows:
            writer.writerow([_csv_value(value) for value in values])
            count += 1
            if on_row is not None and count % PROGRESS_EVERY == 0:
                on_row(count)
    return count


def _csv_value(value: Any) -> str:
    if isinstance(value, Styled):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return csv_text(str(value))
