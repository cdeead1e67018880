"""Importing transaction files: every row is checked first; bad rows stop the import (or are
skipped on request) and are listed in an Excel error report beside the file.

Two passes, neither holding the file in memory: the checking pass reads the file as a stream
(``documents.transactions.open_table``), checks each row, and puts the valid rows and the
problems into a scratch spool (``store.spool``; it also finds a transaction id used twice);
only when it found no problem (or ``skip_invalid``) does the posting pass read the valid rows
back from the spool in date order and post them in batches of ``BATCH_ROWS`` rows per
transaction. Entry ids derive from the transaction ids, so importing the same file again, or
rerunning an import that was killed midway, posts nothing twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from loyalty_desk.documents.transactions import (
    REQUIRED_COLUMNS,
    TRANSACTION_LIMITS,
    TableReader,
    error_report_path,
    open_table,
    write_error_report,
)
from loyalty_desk.domain.earning import EarningTxn, check_transaction_row
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor, Progress, record
from loyalty_desk.services.context import ServiceContext, refuse_local_import
from loyalty_desk.services.dto import ImportReport, RowProblem
from loyalty_desk.services.earning.service import EarningService, txn_digest
from loyalty_desk.services.import_rows import (
    ReadRows,
    display_value,
    file_problems,
    header_spool,
    listed_problems,
    row_problem,
    spooled_problems,
    start_reading,
)
from loyalty_desk.store.spool import ImportSpool

BATCH_ROWS = 1_000


PROGRESS_ROWS = 1_000  # rows checked between two progress reports


class ImportService:
    def __init__(self, context: ServiceContext, earning: EarningService) -> None:
        self._context = context
        self._earning = earning

    def import_transactions(
        self, *, path: Path, skip_invalid: bool = False, actor: Actor, progress: Progress | None = None
    ) -> ImportReport:
        refuse_local_import(self._context, "transactions")
        path, progress, digest = start_reading(path, progress)
        with open_table(path, TRANSACTION_LIMITS) as table, ImportSpool() as spool:
            header = file_problems(table, REQUIRED_COLUMNS)
            if header:
                return self._refused(path, 0, 0, header_spool(spool, header))

            progress.set_status("import.checking")
            rows_read, fatal = self._check(table, spool, progress)
            rows_valid = spool.valid_count
            if fatal or (spool.problem_count and not skip_invalid):
                return self._refused(path, rows_read, rows_valid, spool)
            report_path = str(write_error_report(error_report_path(path), spooled_problems(spool))) if spool.problem_count else None

            progress.set_status("import.posting")
            origin = f"import:{path.name}"
            posted = already = points = no_points = upgrades = done = 0
            cancelled = False
            for payloads in spool.rows(BATCH_ROWS):  # by date, then row: each member's rows in date order
                if progress.is_cancelled():
                    cancelled = True
                    break
                counts = self._earning.post(txns=[txn_from_payload(p) for p in payloads], origin=origin, actor=actor)
                posted += counts.posted
                already += counts.already_posted
                points += counts.points
                no_points += counts.no_points
                upgrades += counts.upgrades
                done += len(payloads)
                progress.set_progress(done, rows_valid)
            listed, more = listed_problems(spool)
            skipped = len({p.row for p in spooled_problems(spool)}) if spool.problem_count else 0

        details = {
            "file": path.name,
            "sha256": digest,
            "rows_read": rows_read,
            "rows_valid": rows_valid,
            "rows_skipped_invalid": skipped,
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
            rows_valid=rows_valid,
            rows_posted=posted,
            rows_already_imported=already,
            points_posted=points,
            problems=listed,
            posted=not cancelled,
            error_report=report_path,
            more_problems=more,
        )

    def _refused(self, path: Path, rows_read: int, rows_valid: int, spool: ImportSpool) -> ImportReport:
        report = write_error_report(error_report_path(path), spooled_problems(spool))
        listed, more = listed_problems(spool)
        return ImportReport(
            file=path.name,
            rows_read=rows_read,
            rows_valid=rows_valid,
            rows_posted=0,
            rows_already_imported=0,
            points_posted=0,
            problems=listed,
            posted=False,
            error_report=str(report),
            more_problems=more,
        )

    def _check(self, table: TableReader, spool: ImportSpool, progress: Progress) -> tuple[int, bool]:
        """Every row through the reader's and the domain's checks and against the earlier rows of
        the file, then, a batch at a time, against the store (unknown members, reused ids). Valid
        rows and problems go to the spool. Returns the rows read and whether the file broke off."""
        settings = self._context.rules
        today = self._context.today()
        batch: list[tuple[int, EarningTxn]] = []
        problems: list[RowProblem] = []

        def flush() -> None:
            with self._context.uow() as uow:
                known = uow.earning.member_ids_by_no(txn.member_no for _, txn in batch)
                posted_before = uow.earning.txn_digests([txn.txn_id for _, txn in batch])
            valid: list[tuple[str, int, dict[str, Any]]] = []
            for row, txn in batch:
                if txn.member_no not in known:
                    problems.append(row_problem(row, ValidationError("import.unknown_member", field="member_no", value=txn.member_no), txn.member_no))
                elif posted_before.get(txn.txn_id, txn_digest(txn)) != txn_digest(txn):
                    problems.append(row_problem(row, ValidationError("import.txn_id_reused", field="txn_id", value=txn.txn_id), txn.txn_id))
                else:
                    valid.append((txn.occurred_on.isoformat(), row, txn_payload(txn)))
            spool.add_rows(valid)
            problems.sort(key=lambda p: p.row)
            spool.add_problems(dataclasses.asdict(p) for p in problems)
            batch.clear()
            problems.clear()

        def after_row() -> None:
            if len(batch) >= BATCH_ROWS or len(problems) >= BATCH_ROWS:  # a file of refused rows holds no more than a batch either
                flush()
            if read.rows_read % PROGRESS_ROWS == 0:
                progress.set_progress(*table.position())

        read = ReadRows(table, problems, on_refused=after_row)
        for item in read:
            values: Mapping[str, Any] = item.values
            txn, errors = check_transaction_row(values, settings, today=today)
            for error in errors:
                problems.append(row_problem(item.row, error, values.get(error.field)))
            raw_id = values.get("txn_id")
            txn_id = display_value(raw_id).strip()
            if txn_id:
                first_row = spool.claim("txn_id", txn_id, item.row)
                if first_row is not None:
                    problems.append(
                        row_problem(item.row, ValidationError("import.duplicate_txn_id", field="txn_id", value=txn_id, first_row=first_row), raw_id)
                    )
                    txn = None
            if txn is not None:
                batch.append((item.row, txn))
            after_row()
        flush()
        progress.set_progress(*table.position())
        return read.rows_read, read.fatal


def txn_payload(txn: EarningTxn) -> dict[str, Any]:
    return {
        "txn_id": txn.txn_id, "member_no": txn.member_no, "occurred_on": txn.occurred_on.isoformat(), "source": txn.source.value,
        "amount": str(txn.amount), "product": txn.product, "due_date": txn.due_date.isoformat() if txn.due_date else None,
        "original_txn_id": txn.original_txn_id, "applied_on": txn.applied_on.isoformat() if txn.applied_on else None,
    }


def txn_from_payload(payload: Mapping[str, Any]) -> EarningTxn:
    due = payload["due_date"]
    return EarningTxn(
        txn_id=payload["txn_id"], member_no=payload["member_no"], occurred_on=date.fromisoformat(payload["occurred_on"]),
        source=Source(payload["source"]), amount=Decimal(payload["amount"]), product=payload["product"],
        due_date=date.fromisoformat(due) if due else None, original_txn_id=payload["original_txn_id"],
        applied_on=date.fromisoformat(payload["applied_on"]) if payload.get("applied_on") else None,
    )
