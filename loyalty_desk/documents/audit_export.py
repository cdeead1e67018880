"""The audit trail as an Excel workbook (openpyxl write-only: constant memory for long trails)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

HEADERS = ("ID", "Time (UTC)", "User", "Desk", "Branch", "Action", "Entity", "Entity ID", "Member no.", "Before", "After", "Details", "Hash")
WIDTHS = (8, 20, 18, 16, 8, 24, 18, 14, 14, 50, 50, 50, 20)


class AuditLine(Protocol):
    id: int
    occurred_at: datetime
    actor: str
    desk: str
    branch_code: str | None
    action: str
    entity: str | None
    entity_id: str | None
    member_no: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    details: dict[str, Any] | None
    hash: str


def _json(value: dict[str, Any] | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def write_audit_workbook(path: Path, rows: Iterable[AuditLine], *, title: str = "Audit trail", filters: str = "") -> int:
    """Writes the rows (already filtered) to ``path``; returns how many were written. Text values
    are written as strings, so a value such as ``=HYPERLINK(...)`` never becomes a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
    note = WriteOnlyCell(sheet, value=f"{title} {filters}".strip())
    note.font = Font(italic=True)
    sheet.append([note])
    header = []
    for name in HEADERS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        values: list[Any] = [row.id, row.occurred_at, row.actor, row.desk, row.branch_code or "", row.action, row.entity or "",
                             row.entity_id or "", row.member_no or "", _json(row.before), _json(row.after), _json(row.details), row.hash[:16]]
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    path = Path(path)
    workbook.save(path)
    return count
