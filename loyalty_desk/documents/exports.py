"""Excel exports: one data sheet streamed with openpyxl's write-only mode (constant memory, any
row count), with a styled, frozen header row, column widths, number and date formats and an
auto-filter, and a "Filter" sheet that says what was exported, by whom, and with which filter.

Cells that need a format share one pre-built style (copying a style array is far cheaper than
setting ``number_format`` on each of a million cells). Text from the store is written as text:
a value such as ``=HYPERLINK(...)`` never becomes a formula.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

NUMBER = "#,##0"
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm:ss"
TEXT = "@"
HEADER_FILL = PatternFill("solid", fgColor="9F1D20")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_SHEET_ROWS = 1_048_575  # Excel's limit, minus the header


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14
    number_format: str | None = None  # NUMBER, MONEY, DATE, DATETIME, TEXT or None (general)


def write_export(
    path: Path | str,
    *,
    sheet_title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    filters: Sequence[tuple[str, Any]],
    on_row: Callable[[int], None] | None = None,
) -> int:
    """Writes ``rows`` under ``columns`` and the filter sheet; returns the number of data rows.
    ``on_row(n)`` is called every 1,000 rows (progress; it may raise to cancel).

    openpyxl builds the workbook (styles, the header row, frozen panes, widths, the filter
    sheet); the data rows themselves are serialised here, straight into the sheet's XML in the
    zip, with the number formats openpyxl registered. openpyxl's own per-cell path costs about
    20 µs a cell (27 s for 100,000 ledger rows on a 2-core machine); this costs about a tenth,
    in constant memory."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    style_ids: list[int] = []
    for column in columns:
        template = WriteOnlyCell(sheet, None)
        if column.number_format:
            template.number_format = column.number_format
        style_ids.append(template.style_id if column.number_format else 0)
    last_letter = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last_letter}{_FILTER_PLACEHOLDER}"
    _filter_sheet(workbook, sheet_title, [*filters, ("Rows", _ROWS_PLACEHOLDER)])

    draft = path.with_name(path.name + ".part")
    workbook.save(draft)
    count = 0
    try:
        with zipfile.ZipFile(draft) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == _FILTER_SHEET:
                    filter_sheet = (info, data)  # written last, once the rows are counted
                    continue
                if info.filename != _DATA_SHEET:
                    target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
                    continue
                text = data.decode("utf-8")
                head, _, tail = text.partition("</sheetData>")
                with target.open(zipfile.ZipInfo(_DATA_SHEET, date_time=info.date_time), "w", force_zip64=True) as out:
                    out.write(head.encode("utf-8"))
                    count = _write_rows(out, columns, style_ids, rows, on_row)
                    out.write(("</sheetData>" + tail.replace(f"{last_letter}{_FILTER_PLACEHOLDER}", f"{last_letter}{count + 1}")).encode("utf-8"))
            info, data = filter_sheet
            data = data.replace(f"<v>{_ROWS_PLACEHOLDER}</v>".encode(), f"<v>{count}</v>".encode())
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    finally:
        draft.unlink(missing_ok=True)
    return count


_DATA_SHEET = "xl/worksheets/sheet1.xml"
_FILTER_SHEET = "xl/worksheets/sheet2.xml"
_ROWS_PLACEHOLDER = 987_654_321_123
_FILTER_PLACEHOLDER = 1048576
_EPOCH = datetime(1899, 12, 30)
_EPOCH_DAY = _EPOCH.date().toordinal()
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell_writer(style_id: int, number_format: str | None) -> Callable[[Any], str]:
    """The XML of one cell of a column. Cells carry no ``r`` reference: every cell of a row is
    written (an empty ``<c/>`` for nothing), so positions follow from order, as the format allows."""
    style = f' s="{style_id}"' if style_id else ""
    empty = "<c/>"
    number_open, number_close = f"<c{style}><v>", "</v></c>"
    text_open, text_close = f'<c{style} t="inlineStr"><is><t>', "</t></is></c>"
    text_open_space = f'<c{style} t="inlineStr"><is><t xml:space="preserve">'
    as_text = number_format == TEXT
    epoch_day = _EPOCH_DAY

    def write_str(value: str) -> str:
        if not value:
            return empty
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if _INVALID_XML.search(escaped):
            escaped = _INVALID_XML.sub("\ufffd", escaped)
        if value[0].isspace() or value[-1].isspace():
            return text_open_space + escaped + text_close
        return text_open + escaped + text_close

    def write_number(value: Any) -> str:
        return (text_open if as_text else number_open) + str(value) + (text_close if as_text else number_close)

    def write_date(value: date) -> str:
        return number_open + str(value.toordinal() - epoch_day) + number_close

    def write_datetime(value: datetime) -> str:
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return number_open + repr(value.toordinal() - epoch_day + seconds / 86400) + number_close

    def write_bool(value: bool) -> str:
        return f'<c{style} t="b"><v>{int(value)}</v></c>'

    by_type: dict[type, Callable[[Any], str]] = {
        str: write_str, int: write_number, float: write_number, Decimal: write_number,
        date: write_date, datetime: write_datetime, bool: write_bool,
    }

    def write(value: Any) -> str:
        if value is None:
            return empty
        writer = by_type.get(type(value))
        if writer is None:
            if isinstance(value, datetime):
                return write_datetime(value)
            if isinstance(value, date):
                return write_date(value)
            return write_str(str(value))
        return writer(value)

    return write


def _write_rows(
    out: Any, columns: Sequence[Column], style_ids: Sequence[int], rows: Iterable[Sequence[Any]], on_row: Callable[[int], None] | None
) -> int:
    writers = [_cell_writer(sid, c.number_format) for c, sid in zip(columns, style_ids)]
    buffer: list[str] = []
    count = 0
    for values in rows:
        count += 1
        buffer.append("<row>" + "".join([w(v) for w, v in zip(writers, values)]) + "</row>")
        if count % 1000 == 0:
            out.write("".join(buffer).encode("utf-8"))
            buffer.clear()
            if on_row is not None:
                on_row(count)
        if count >= MAX_SHEET_ROWS:
            break
    if buffer:
        out.write("".join(buffer).encode("utf-8"))
    return count


def _filter_sheet(workbook: Workbook, sheet_title: str, filters: Sequence[tuple[str, Any]]) -> None:
    described = workbook.create_sheet("Filter")
    described.column_dimensions["A"].width = 24
    described.column_dimensions["B"].width = 60
    title = WriteOnlyCell(described, sheet_title)
    title.font = Font(bold=True, size=13)
    described.append([title])
    for key, value in filters:
        label = WriteOnlyCell(described, key)
        label.font = Font(bold=True)
        if isinstance(value, datetime):
            shown: Any = WriteOnlyCell(described, value)
            shown.number_format = DATETIME
        elif isinstance(value, date):
            shown = WriteOnlyCell(described, value)
            shown.number_format = DATE
        elif value is None:
            shown = ""
        else:
            shown = WriteOnlyCell(described, value if isinstance(value, (int, float)) else str(value))
            if isinstance(value, str):
                shown.data_type = "s"
        described.append([label, shown])
