"""The audit trail as an Excel workbook (``documents.workbooks``: constant memory for long trails).

The workbook reads as the audit screen does: the caller passes its words (``AuditWording``: the
headers, action names, field names and value names in the screen's language); the stored codes
stay in the trail and in the last columns (action code, reference, hash) for anyone matching rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loyalty_desk.documents.workbooks import DATETIME, Column, Sheet, Styled, write_workbook
from loyalty_desk.domain.audit import AuditRow

HEADERS = ("ID", "Time (UTC)", "User", "Desk", "Branch", "Action", "Object", "Member", "Changes", "Details", "Action code", "Reference", "Hash")
WIDTHS = (8, 20, 18, 16, 8, 30, 30, 22, 50, 50, 24, 20, 20)


@dataclass(frozen=True)
class AuditWording:
    """The words of the export, in one language. Without words a code stands for itself."""

    title: str = "Audit trail"
    headers: tuple[str, ...] = HEADERS
    actions: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    subjects: Mapping[str, str] = field(default_factory=dict)  # entity kind -> pattern with {name}
    nothing: str = "—"

    def value(self, value: Any) -> str:
        if value is None or value == "":
            return self.nothing
        if isinstance(value, bool):
            return self.values.get(str(value).lower(), str(value).lower())
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, list):
            return ", ".join(self.value(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{self.fields.get(k, k)}: {self.value(v)}" for k, v in sorted(value.items()))
        return self.values.get(str(value), str(value))


def _changes(row: AuditRow, words: AuditWording) -> str:
    before, after = row.before or {}, row.after or {}
    keys = list(before) + [k for k in after if k not in before]
    return "\n".join(f"{words.fields.get(k, k)}: {words.value(before.get(k))} → {words.value(after.get(k))}"
                     for k in keys if before.get(k) != after.get(k))


def _details(row: AuditRow, words: AuditWording) -> str:
    return "\n".join(f"{words.fields.get(k, k)}: {words.value(v)}" for k, v in (row.details or {}).items())


def _subject(row: AuditRow, words: AuditWording, english: bool) -> str:
    if not row.subject_kind:
        return ""
    name = (row.subject_en if english and row.subject_en else row.subject) or row.entity_id or ""
    pattern = words.subjects.get(row.subject_kind)
    return pattern.format(name=name) if pattern else f"{row.subject_kind} {name}".strip()



def write_audit_workbook(path: Path, rows: Iterable[AuditRow], *, words: AuditWording | None = None, filters: str = "",
                         english: bool = True) -> int:
    """Writes the rows (already filtered) to ``path`` through the shared workbook writer (text
    such as ``=HYPERLINK(...)`` stays inert text); returns how many were written."""
    words = words or AuditWording()
    formats = {1: DATETIME}
    columns = [Column(header, width, formats.get(index)) for index, (header, width) in enumerate(zip(words.headers, WIDTHS, strict=True))]
    lines = (
        (row.id, row.occurred_at, row.actor_name or row.actor, row.desk, row.branch_code or "",
         words.actions.get(row.action, row.action), _subject(row, words, english),
         f"{row.member_no} {row.member_name or ''}".strip() if row.member_no else "",
         _changes(row, words), _details(row, words), row.action, row.entity_id or "", row.hash[:16])
        for row in rows
    )
    sheet = Sheet(words.title, columns, lines, header="bold", lead=[Styled(f"{words.title} {filters}".strip(), italic=True)], auto_filter=False)
    write_workbook(Path(path), [sheet])
    return sheet.rows_written
