"""Importing transaction files: every row is checked first; bad rows stop the import (or are
skipped on request) and are listed in an Excel error report beside the file.

Valid rows are posted in date order, in batches of ``BATCH_ROWS`` rows per transaction.
Entry ids derive from the transaction ids, so importing the same file again, or rerunning
an import that was killed midway, posts nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from loyalty_desk.documents.transactions import (
    TransactionFile,
    error_report_path,
    read_transactions,
    write_error_report,
)
from loyalty_desk.domain.earning import EarningTxn, check_transaction_row
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.messages import describe
from loyalty_desk.services.audit import Actor, NoProgress, Progress, record
from loyalty_desk.services.context import ServiceContext, refuse_local_import
from loyalty_desk.services.dto import ImportReport, RowProblem
from loyalty_desk.services.earning import EarningService, txn_digest

BATCH_ROWS = 1_000
FILE_ROW = 1  # file-level problems (a missing column) are reported on the header row


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _problem(row: int, error: DomainError, value: Any) -> RowProblem:
    column = error.field if isinstance(error, ValidationError) else str(error.params.get("field", ""))
    return RowProblem(
        row=row,
        column=column,
        value=_display(value),
        code=error.code,
        params={key: _display(v) for key, v in error.params.items()},
        message=describe(error),
    )


@dataclass(frozen=True)
class _ValidRow:
    row: int
    txn: EarningTxn


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ImportService:
    def __init__(self, context: ServiceContext, earning: EarningService) -> None:
        self._context = context
        self._earning = earning

    def import_transactions(
        self, *, path: Path, skip_invalid: bool = False, actor: Actor, progress: Progress | None = None
    ) -> ImportReport:
        refuse_local_import(self._context, "transactions")
        progress = progress or NoProgress()
        path = Path(path)
        progress.set_status("import.reading")
        digest = file_digest(path)
        sheet = read_transactions(path)
        rows_read = len(sheet.rows)

        if sheet.missing_columns:
            problems = [
                _problem(FILE_ROW, ValidationError("import.missing_column", field=column, column=column), "")
                for column in sheet.missing_columns
            ]
            return self._refused(path, rows_read, 0, problems)

        progress.set_status("import.checking")
        valid, problems = self._check(sheet, progress)
        if problems and not skip_invalid:
            return self._refused(path, rows_read, len(valid), problems)
        report_path = str(write_error_report(error_report_path(path), problems)) if problems else None

        progress.set_status("import.posting")
        valid.sort(key=lambda item: (item.txn.occurred_on, item.row))  # each member's rows in date order
        origin = f"import:{path.name}"
        posted = already = points = no_points = upgrades = 0
        cancelled = False
        for start in range(0, len(valid), BATCH_ROWS):
            if progress.is_cancelled():
                cancelled = True
                break
            batch = [item.txn for item in valid[start : start + BATCH_ROWS]]
            counts = self._earning.post(txns=batch, origin=origin, actor=actor)
            posted += counts.posted
            already += counts.already_posted
            points += counts.points
            no_points += counts.no_points
            upgrades += counts.upgrades
            progress.set_progress(min(start + BATCH_ROWS, len(valid)), len(valid))

        details = {
            "file": path.name,
            "sha256": digest,
            "rows_read": rows_read,
            "rows_valid": len(valid),
            "rows_skipped_invalid": len({p.row for p in problems}),
            "rows_posted": posted,
            "rows_already_imported": already,
            "rows_without_points": no_points,
            "points_posted": points,
            "tier_upgrades": upgrades,
            "cancelled": cancelled,
        }
        with self._context.uow(write=True) as uow:
            record(uow, actor, "import.transactions", entity="file", entity_id=digest[:16], details=details, now=self._context.clock())
            uow.commit()
        return ImportReport(
            file=path.name,
            rows_read=rows_read,
            rows_valid=len(valid),
            rows_posted=posted,
            rows_already_imported=already,
            points_posted=points,
            problems=tuple(problems),
            posted=not cancelled,
            error_report=report_path,
        )

    def _refused(self, path: Path, rows_read: int, rows_valid: int, problems: list[RowProblem]) -> ImportReport:
        report = write_error_report(error_report_path(path), problems)
        return ImportReport(
            file=path.name,
            rows_read=rows_read,
            rows_valid=rows_valid,
            rows_posted=0,
            rows_already_imported=0,
            points_posted=0,
            problems=tuple(problems),
            posted=False,
            error_report=str(report),
        )

    def _check(self, sheet: TransactionFile, progress: Progress) -> tuple[list[_ValidRow], list[RowProblem]]:
        """Every row through the domain checks, then duplicates within the file and unknown members."""
        settings = self._context.rules
        today = self._context.today()
        problems: list[RowProblem] = []
        parsed: list[_ValidRow] = []
        first_row_of: dict[str, int] = {}
        total = len(sheet.rows)
        for index, item in enumerate(sheet.rows, start=1):
            values: Mapping[str, Any] = item.values
            txn, errors = check_transaction_row(values, settings, today=today)
            for error in errors:
                problems.append(_problem(item.row, error, values.get(error.field)))
            raw_id = values.get("txn_id")
            txn_id = _display(raw_id).strip()
            if txn_id:
                if txn_id in first_row_of:
                    problems.append(
                        _problem(
                            item.row,
                            ValidationError("import.duplicate_txn_id", field="txn_id", value=txn_id, first_row=first_row_of[txn_id]),
                            raw_id,
                        )
                    )
                    txn = None
                else:
                    first_row_of[txn_id] = item.row
            if txn is not None:
                parsed.append(_ValidRow(item.row, txn))
            if index % 1000 == 0:
                progress.set_progress(index, total)
        with self._context.uow() as uow:
            known = uow.earning.member_ids_by_no(item.txn.member_no for item in parsed)
            posted_before = uow.earning.txn_digests([item.txn.txn_id for item in parsed])
        valid: list[_ValidRow] = []
        for item in parsed:
            if item.txn.member_no not in known:
                error = ValidationError("import.unknown_member", field="member_no", value=item.txn.member_no)
                problems.append(_problem(item.row, error, item.txn.member_no))
            elif posted_before.get(item.txn.txn_id, txn_digest(item.txn)) != txn_digest(item.txn):
                error = ValidationError("import.txn_id_reused", field="txn_id", value=item.txn.txn_id)
                problems.append(_problem(item.row, error, item.txn.txn_id))
            else:
                valid.append(item)
        problems.sort(key=lambda p: p.row)
        progress.set_progress(total, total)
        return valid, problems
