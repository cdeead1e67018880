"""Statements for many members in one run: one file each or one combined file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from loyalty_desk.domain.errors import NotFound, ValidationError
from loyalty_desk.services.audit import Actor, NoProgress, Progress
from loyalty_desk.services.statements.dto import BatchResult, StatementData
from loyalty_desk.services.statements.service import StatementService


def run_batch(
    progress: Progress | None,
    *,
    service: StatementService,
    member_nos: Sequence[str],
    period_from: date,
    period_to: date,
    language: str = "zh_CN",
    out: Path | str,
    combined: bool = False,
    actor: Actor | None = None,
) -> BatchResult:
    """Statements for ``member_nos``: one PDF per member in the folder ``out`` (``<member_no>.pdf``),
    or all in the one file ``out`` when ``combined``. Cancellable between statements; a member that
    fails (unknown number) is listed and the others go on. Saved statements are audited."""
    from loyalty_desk.documents.statements import render_statement, render_statements

    progress = progress or NoProgress()
    out = Path(out)
    total = len(member_nos)
    built: list[StatementData] = []
    written: list[str] = []
    failed: list[tuple[str, str]] = []
    cancelled = False
    progress.set_status("statements.building")
    if not combined:
        out.mkdir(parents=True, exist_ok=True)
    for index, member_no in enumerate(member_nos, start=1):
        if progress.is_cancelled():
            cancelled = True
            break
        try:
            data = service.build(member_no=member_no, period_from=period_from, period_to=period_to, language=language)
        except (NotFound, ValidationError) as error:
            failed.append((member_no, error.code))
            progress.set_progress(index, total)
            continue
        if combined:
            built.append(data)
        else:
            written.append(str(render_statement(data, out / f"{data.member_no}.pdf")))
            built.append(data)
        progress.set_progress(index, total)
    if combined and built and not cancelled:
        progress.set_status("statements.writing")
        written.append(str(render_statements(built, out)))
    if actor is not None and written:
        service.audit_batch(actor, "statement.save", built, batch=len(built), combined=combined)
    return BatchResult(total, tuple(written), len(built) if written else 0, tuple(failed), cancelled)
