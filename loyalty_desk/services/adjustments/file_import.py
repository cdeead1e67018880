"""Bulk adjustment requests from a head-office file: every row checked first, each filed once."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from loyalty_desk.domain.adjustments import (
    EVIDENCE_MAX_LENGTH,
    MEMO_MAX_LENGTH,
    AdjustmentInput,
    Direction,
    check_request,
    from_signed,
    validate_request,
)
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.identity import validate_member_no
from loyalty_desk.services.adjustments.dto import AdjustmentOutcome
from loyalty_desk.services.adjustments.handlers import REQUEST
from loyalty_desk.services.audit import Actor, Progress, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import ImportReport, RowProblem, StaffSession
from loyalty_desk.services.roles import Permission, require

IMPORT_NAMESPACE = uuid.UUID("6f1c7c2e-4b7e-4f0e-9a53-2d7c1b0e4a11")


IMPORT_COLUMNS = ("member_no", "points", "reason_code", "memo", "evidence_ref")


IMPORT_REQUIRED = ("member_no", "points", "reason_code", "memo")


# The longest text each column of the file may hold (memo and evidence as the store keeps them).
IMPORT_LIMITS = {"member_no": 20, "points": 20, "reason_code": 20, "memo": MEMO_MAX_LENGTH, "evidence_ref": EVIDENCE_MAX_LENGTH}


# Points in a file: ASCII digits, a leading "-" for a debit; no thousands separators, spaces or decimals.
FILE_POINTS = re.compile(r"-?[0-9]{1,9}")


# How the file import files one request: (operation id, kind, payload, staff id) -> outcome.
Execute = Callable[[str, str, dict[str, Any], int], AdjustmentOutcome]


def import_request_file(
    context: ServiceContext, execute: Execute, *, path: Path, session: StaffSession, skip_invalid: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Files one request per row of a CSV/XLSX (``member_no, points, reason_code, memo,
    evidence_ref``; negative points are debits). Every row is checked first; bad rows stop the
    import (or are skipped) and go to an Excel error report. Each row's operation id derives from
    the file's content and row, so importing the same file again files nothing twice."""
    from loyalty_desk.documents.transactions import error_report_path, open_table, write_error_report
    from loyalty_desk.services.import_rows import ReadRows, file_problems, row_problem, start_reading

    require(session.role, Permission.ADJUST_IMPORT)
    path, progress, digest = start_reading(path, progress)
    problems: list[RowProblem] = []
    valid: list[tuple[int, str, AdjustmentInput]] = []
    settings = context.rules.adjustments
    with open_table(path, IMPORT_LIMITS) as sheet, context.uow() as uow:
        header = file_problems(sheet, IMPORT_REQUIRED)
        if header:
            report = write_error_report(error_report_path(path), header)
            return ImportReport(path.name, 0, 0, 0, 0, 0, tuple(header), False, str(report))
        progress.set_status("import.checking")
        available: dict[str, int] = {}
        read = ReadRows(sheet, problems)
        for item in read:
            values = item.values
            row_errors: list[DomainError] = []
            member_no = str(values.get("member_no") or "").strip().upper()
            try:
                member_no = validate_member_no(member_no)
            except DomainError as error:
                row_errors.append(error)
                member_no = ""
            if member_no and member_no not in available:
                member = uow.members.by_no(member_no)
                if member is None:
                    row_errors.append(ValidationError("import.unknown_member", field="member_no", value=member_no))
                else:
                    available[member_no] = int(member.posted_balance) - int(member.held_points)
            raw_points = values.get("points")
            points_format = isinstance(raw_points, str) and bool(raw_points.strip()) and FILE_POINTS.fullmatch(raw_points.strip()) is None
            direction, points = from_signed(None if points_format else raw_points)
            kwargs = {"direction": direction or "credit", "points": points, "reason_code": values.get("reason_code"),
                      "memo": values.get("memo"), "evidence_ref": values.get("evidence_ref")}
            errors = validate_request(**kwargs, available=available.get(member_no), settings=settings)
            if points_format:
                errors = [e for e in errors if e.field != "points"] + [ValidationError("import.points_format", field="points", value=str(raw_points))]
            elif not direction:
                signed = ValidationError("adjust.signed_points", field="points", value=str(values.get("points") or ""))
                errors = [e for e in errors if e.field != "points"] + [signed]
            row_errors.extend(errors)
            for row_error in row_errors:
                field_name = row_error.field if isinstance(row_error, ValidationError) else ""
                column = field_name if field_name in values else "points"  # the file has no direction column: its sign is in points
                problems.append(row_problem(item.row, row_error, values.get(column)))
            if not row_errors:
                cleaned = check_request(**kwargs, available=available.get(member_no), settings=settings)
                if cleaned.direction == Direction.DEBIT:
                    available[member_no] -= cleaned.points  # later rows see this row's hold
                valid.append((item.row, member_no, cleaned))
            if read.rows_read % 500 == 0:
                progress.set_progress(*sheet.position())
    rows_read = read.rows_read
    problems.sort(key=lambda p: p.row)
    if read.fatal or (problems and not skip_invalid):
        report = write_error_report(error_report_path(path), problems)
        return ImportReport(path.name, rows_read, len(valid), 0, 0, 0, tuple(problems), False, str(report))
    report_path = str(write_error_report(error_report_path(path), problems)) if problems else None

    progress.set_status("import.posting")
    filed = already = points_total = 0
    for done, (row, member_no, cleaned) in enumerate(valid, start=1):
        if progress.is_cancelled():
            break
        operation_id = str(uuid.uuid5(IMPORT_NAMESPACE, f"{digest}:{row}"))
        outcome = execute(operation_id, REQUEST, {"member_no": member_no, **cleaned.as_payload()}, session.staff_id)
        if outcome.replayed:
            already += 1
        else:
            filed += 1
            points_total += cleaned.points
        progress.set_progress(done, len(valid))
    with context.uow(write=True) as uow:
        record(uow, Actor(session.username, context.desk_name, session.branch_code), "import.adjustments",
               entity="file", entity_id=digest[:16],
               details={"file": path.name, "sha256": digest, "rows_read": rows_read, "rows_valid": len(valid),
                        "requests_filed": filed, "rows_already_imported": already, "points_requested": points_total,
                        "rows_skipped_invalid": len({p.row for p in problems})},
               now=context.clock())
        uow.commit()
    return ImportReport(path.name, rows_read, len(valid), filed, already, points_total, tuple(problems), True, report_path)
