"""The card service report's workbook: approval times by branch against the service target, and
the approvals over it member by member."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loyalty_desk.documents.workbooks import DATE, NUMBER, TEXT, Column, Sheet, Styled, write_workbook

DAYS = "0.0"
SHARE = '0.0"%"'

BRANCH_COLUMNS = (
    Column("Branch", 8, TEXT), Column("Branch name", 20, TEXT), Column("Cards approved", 14, NUMBER),
    Column("With application date", 14, NUMBER), Column("Within target", 13, NUMBER), Column("Over target", 12, NUMBER),
    Column("Within target (%)", 13, SHARE), Column("Median days", 12, DAYS), Column("90th percentile days", 14, NUMBER),
    Column("Longest days", 12, NUMBER),
)
LATE_COLUMNS = (
    Column("Member no.", 14, TEXT), Column("Name", 16, TEXT), Column("Branch", 8, TEXT), Column("Applied on", 12, DATE),
    Column("Approved on", 12, DATE), Column("Days", 8, NUMBER),
)


def _branch_row(line: Any, name: str) -> tuple[Any, ...]:
    return (
        line.branch_code, name, line.approvals, line.measured, line.within_target, line.over_target,
        line.within_share, line.median_days, line.p90_days, line.longest_days,
    )


def write_card_service_workbook(report: Any, path: Path | str) -> Path:
    path = Path(path)
    scope = report.branch_code or "all branches"
    lead = (
        Styled(f"Card approval times, {report.first.isoformat()} to {report.last.isoformat()}, {scope}", bold=True, size=13),
        Styled(
            f"Service target: approval within {report.target_days} days of the application. Produced "
            f"{report.produced_at:%Y-%m-%d %H:%M} UTC by {report.produced_by}. Approvals imported without an application "
            "date are counted and not measured.",
            italic=True,
        ),
    )
    rows = [_branch_row(line, line.branch_name_en) for line in report.lines]
    rows.append(_branch_row(report.total, "Total"))
    late = ((item.member_no, item.name, item.branch_code, item.applied_on, item.approved_on, item.days) for item in report.late)
    write_workbook(path, [
        Sheet("By branch", BRANCH_COLUMNS, rows, lead=lead),
        Sheet("Over target", LATE_COLUMNS, late, lead=(Styled(f"Cards approved more than {report.target_days} days after the application", bold=True),)),
    ])
    return path
