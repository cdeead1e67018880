"""The audit trail as an Excel workbook (``documents.workbooks``: constant memory for long trails)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from loyalty_desk.documents.workbooks import DATETIME, Column, Sheet, Styled, write_workbook

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
    """Writes the rows (already filtered) to ``path`` through the shared workbook writer (text
    such as ``=HYPERLINK(...)`` stays inert text); returns how many were written."""
    formats = {1: DATETIME}
    columns = [Column(header, width, formats.get(index)) for index, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True))]
    lines = (
        (row.id, row.occurred_at, row.actor, row.desk, row.branch_code or "", row.action, row.entity or "", row.entity_id or "",
         row.member_no or "", _json(row.before), _json(row.after), _json(row.details), row.hash[:16])
        for row in rows
    )
    sheet = Sheet(title, columns, lines, header="bold", lead=[Styled(f"{title} {filters}".strip(), italic=True)], auto_filter=False)
    write_workbook(Path(path), [sheet])
    return sheet.rows_written
