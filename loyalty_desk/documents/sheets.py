"""Import files in general: any CSV/XLSX table with its own required columns, the shared Excel
error report, and the downloadable templates (header row, an example row, a notes sheet).

The reading itself is ``documents.transactions``' (encodings, blank rows, header
normalisation, spreadsheet row numbers); this module adds a table's own required columns and
turns numbers Excel stored for identifier columns (mobiles, cards, ID numbers) back into text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loyalty_desk.documents.transactions import (
    OPTIONAL_COLUMNS as TRANSACTION_OPTIONAL,
)
from loyalty_desk.documents.transactions import (
    REQUIRED_COLUMNS as TRANSACTION_REQUIRED,
)
from loyalty_desk.documents.transactions import (
    TransactionRow,
    error_report_path,
    identifier_text,
    open_table,
    write_error_report,
)
from loyalty_desk.documents.workbooks import TEXT, Column, Sheet, Styled, write_workbook

__all__ = ["TEMPLATES", "Table", "error_report_path", "open_table", "read_table", "text_values", "write_error_report", "write_template"]

TableRow = TransactionRow


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    missing_columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


def text_values(values: dict[str, Any], text_columns: Iterable[str]) -> dict[str, Any]:
    """``values`` with the ``text_columns`` as text (numbers Excel stored for identifiers)."""
    text = frozenset(text_columns)
    return {k: (identifier_text(v) if k in text else v) for k, v in values.items()}


def read_table(path: Path, *, required: Sequence[str], text_columns: Iterable[str] = (), limits: Mapping[str, int] | None = None) -> Table:
    """Rows of a (small) CSV/XLSX file keyed by normalised header; ``missing_columns`` lists the
    ``required`` columns the header lacks; ``text_columns`` come back as text. Rows the reader
    refused keep their ``problems`` (and no values)."""
    with open_table(Path(path), limits) as sheet:
        rows = tuple(TableRow(row.row, text_values(row.values, text_columns), row.problems, row.fatal) for row in sheet.rows())
        return Table(sheet.columns, sheet.missing(required), rows)


# ---------------------------------------------------------------------- templates


@dataclass(frozen=True)
class TemplateColumn:
    name: str
    example: Any
    note_en: str
    note_zh: str
    required: bool = True
    width: int = 16


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    columns: tuple[TemplateColumn, ...]
    notes: tuple[str, ...]


TEMPLATES: dict[str, Template] = {
    "transactions": Template(
        "transactions",
        "Earning transactions 积分交易",
        (
            TemplateColumn(
                "txn_id", "T202606300001", "Unique id of the transaction at its source; importing it again posts nothing",
                "交易流水号，唯一；重复导入不会重复记分", width=18,
            ),
            TemplateColumn("member_no", "M1000000008", "Member number (M + 10 digits)", "会员号"),
            TemplateColumn("date", "2026-06-30", "Business date YYYY-MM-DD, not in the future", "交易日期"),
            TemplateColumn(
                "source", "card_spend", "card_spend, card_refund, financing, repayment, profile_completed, branch_event, survey, card_approved",
                "积分来源", width=18,
            ),
            TemplateColumn(
                "amount", "1288.50",
                "CNY: digits, an optional . and at most 2 decimals, no thousands separators (empty or 0 where the source has no amount)",
                "金额（元）：数字，可带小数点和最多2位小数，不要千位分隔符",
            ),
            TemplateColumn("product", "CARD", "Product code (financing: flags high-margin or structured products)", "产品代码"),
            TemplateColumn("due_date", "", "Repayments only: the instalment's due date", "应还日期（仅还款）", required=False),
            TemplateColumn("original_txn_id", "", "Refunds only: the purchase refunded", "原交易流水号（仅退货）", required=False, width=18),
            TemplateColumn("applied_on", "", "card_approved only: the day the card was applied for (the card journey's approval time)",
                           "开卡申请日期（仅card_approved）", required=False),
        ),
        ("One row per transaction; the header row must stay as it is (column order is free).",),
    ),
    "adjustments": Template(
        "adjustments",
        "Manual adjustment requests 手工调整申请",
        (
            TemplateColumn("member_no", "M1000000008", "Member number", "会员号"),
            TemplateColumn("points", 500, "Points: digits only; positive credits, negative (leading -) debits", "积分：只填数字（正数为调增，负数为调减）"),
            TemplateColumn(
                "reason_code", "MISSING_POINTS", "MISSING_POINTS, SERVICE_RECOVERY, CORRECTION, GOODWILL (max 5,000), FRAUD_REVERSAL (debit only)",
                "调整原因", width=20,
            ),
            TemplateColumn("memo", "Card purchase of 2026-06-12 not credited", "At least 10 characters", "说明（至少10个字）", width=40),
            TemplateColumn("evidence_ref", "T202606120042", "Required for MISSING_POINTS, SERVICE_RECOVERY, CORRECTION", "凭证编号", required=False, width=18),
        ),
        ("Each row becomes a request waiting for a supervisor's approval; nothing is posted until approved.",),
    ),
    "members": Template(
        "members",
        "New members 新会员",
        (
            TemplateColumn("name", "张伟", "Full name (Chinese or Latin); business members: the registered name", "姓名 / 企业名称", width=20),
            TemplateColumn("id_type", "resident_id", "resident_id (居民身份证), uscc (统一社会信用代码) or passport", "证件类型", width=14),
            TemplateColumn(
                "id_number", "11010519491231002X", "Checked: GB 11643 for resident IDs, GB 32100 for USCC; type it as text",
                "证件号码（请设为文本格式）", width=22,
            ),
            TemplateColumn("mobile", "13800138000", "11 digits starting with 1", "手机号"),
            TemplateColumn("card_no", "", "16 digits, Luhn-valid; empty when no card", "卡号（可空）", required=False, width=20),
            TemplateColumn("branch_code", "BJ01", "Home branch code (or give --branch when importing)", "开户网点代码", required=False, width=12),
            TemplateColumn("kind", "person", "person or business (uscc IDs are business members)", "会员类型", required=False, width=10),
            TemplateColumn("joined_on", "2026-06-30", "YYYY-MM-DD; empty for today", "入会日期（可空）", required=False, width=12),
            TemplateColumn("address", "", "Optional, at most 200 characters", "地址（可空）", required=False, width=30),
        ),
        (
            "Member numbers are assigned on import; a member already registered with the same ID, name and mobile is skipped, "
            "so the same file can be imported again.",
            "Any other clash with an existing member (same ID, mobile or card) is an error.",
        ),
    ),
}


def write_template(kind: str, path: Path | str) -> Path:
    """The import template of ``kind``: header, one example row, and a Notes sheet. Every column
    is formatted as text, so identifiers and dates typed into it are neither rounded nor turned
    into numbers."""
    template = TEMPLATES[kind]
    columns = [Column(c.name, c.width, TEXT) for c in template.columns]
    example = [c.example if c.example == "" or isinstance(c.example, (int, float)) else str(c.example) for c in template.columns]
    notes_columns = [Column(header, width, wrap=True) for header, width in zip(("Column", "Required", "Rule", "说明"), (18, 10, 70, 30), strict=True)]
    notes: list[Sequence[Any]] = [
        *([line] for line in template.notes),
        ["Delete the example row before importing."],
        [],
        [Styled("Column", bold=True), Styled("Required", bold=True), Styled("Rule", bold=True), Styled("说明", bold=True)],
        *([c.name, "yes" if c.required else "no", c.note_en, c.note_zh] for c in template.columns),
    ]
    path = Path(path)
    write_workbook(path, [
        Sheet(template.kind.capitalize(), columns, [example], header="banner", auto_filter=False, text_columns=True),
        Sheet("Notes", notes_columns, notes, header=None, lead=[Styled(template.title, bold=True, size=13)], freeze=False, auto_filter=False),
    ])
    return path


def template_columns(kind: str) -> tuple[str, ...]:
    return tuple(c.name for c in TEMPLATES[kind].columns)


# the transaction import's columns, kept in step with its reader
assert tuple(c.name for c in TEMPLATES["transactions"].columns) == TRANSACTION_REQUIRED + TRANSACTION_OPTIONAL
