"""The outreach files: the SMS platform's file (CSV with a header, UTF-8, and a ``.sha256`` file beside
it in ``sha256sum``'s format), the platform's delivery report read back, and a batch's review workbook."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loyalty_desk.documents.sheets import read_table
from loyalty_desk.documents.workbooks import DATETIME, NUMBER, TEXT, Column, Sheet, Styled, write_workbook

SMS_COLUMNS = ("message_id", "mobile", "language", "text")
DELIVERY_COLUMNS = ("message_id", "status")


def checksum_path(path: Path | str) -> Path:
    return Path(f"{path}.sha256")


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sms_file(path: Path | str, rows: Iterable[Sequence[str]]) -> tuple[int, str]:
    """The messages as the SMS platform takes them, then the checksum file; returns (messages, sha256).
    Both files appear only when complete."""
    target = Path(path)
    draft = target.with_name(target.name + ".part")
    count = 0
    try:
        with open(draft, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
            writer.writerow(SMS_COLUMNS)
            for row in rows:
                writer.writerow(row)
                count += 1
        digest = sha256_of(draft)
        os.replace(draft, target)
    finally:
        draft.unlink(missing_ok=True)
    checksum = checksum_path(target)
    checksum.write_text(f"{digest}  {target.name}\n", encoding="ascii")
    return count, digest


def checksum_matches(path: Path | str) -> bool:
    """Whether the file still matches the checksum file written beside it."""
    recorded = checksum_path(path).read_text(encoding="ascii").split()[0]
    return recorded == sha256_of(path)


@dataclass(frozen=True)
class DeliveryRow:
    row: int  # as a spreadsheet shows it: the header is row 1
    message_id: str
    status: str


@dataclass(frozen=True)
class DeliveryFile:
    missing_columns: tuple[str, ...]
    rows: tuple[DeliveryRow, ...]
    unreadable_rows: tuple[int, ...]


def read_delivery_file(path: Path | str) -> DeliveryFile:
    """The SMS platform's delivery report: a CSV or XLSX with the columns message_id and status."""
    table = read_table(Path(path), required=DELIVERY_COLUMNS, text_columns=DELIVERY_COLUMNS)
    rows: list[DeliveryRow] = []
    unreadable: list[int] = []
    for row in table.rows:
        if row.problems or row.fatal:
            unreadable.append(row.row)
            continue
        rows.append(DeliveryRow(row.row, str(row.values.get("message_id") or "").strip(), str(row.values.get("status") or "").strip().lower()))
    return DeliveryFile(table.missing_columns, tuple(rows), tuple(unreadable))


def write_batch_workbook(path: Path | str, summary: Sequence[tuple[str, Any]], messages: Iterable[Sequence[Any]]) -> int:
    """A batch for review before sending: its figures, then one row a message (mobiles masked)."""
    summary_sheet = Sheet(
        title="Batch", columns=(Column("Item", 28), Column("Value", 48, TEXT)), header="bold", auto_filter=False,
        rows=[(Styled(label, bold=True), value) for label, value in summary],
    )
    message_sheet = Sheet(
        title="Messages",
        columns=(Column("Message ID", 24, TEXT), Column("Member no.", 14, TEXT), Column("Mobile (masked)", 14, TEXT), Column("Language", 9),
                 Column("Text", 80, TEXT, wrap=True), Column("Status", 10), Column("Status at (UTC)", 19, DATETIME),
                 Column("Characters", 10, NUMBER)),
        rows=messages,
    )
    return write_workbook(path, [summary_sheet, message_sheet])[1]
