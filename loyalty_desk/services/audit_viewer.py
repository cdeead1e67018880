"""The audit viewer (auditors and supervisors): search the trail with filters and paging, verify
the hash chain with progress, export the filtered trail to Excel (the export is itself audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.services.audit import Actor, AuditService, Digest, NoProgress, Progress, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import AuditVerifyResult, StaffSession
from loyalty_desk.services.roles import Permission, require

PAGE_MAX = 1000
EXPORT_BATCH = 2000


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None  # username, exact
    member_no: str | None = None
    action: str | None = None  # prefix: "adjustment." matches every adjustment action
    date_from: date | None = None  # UTC days, inclusive
    date_to: date | None = None

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in (("user", self.actor), ("member", self.member_no), ("action", self.action),
                                         ("from", self.date_from), ("to", self.date_to)) if v]
        return ", ".join(parts)


@dataclass(frozen=True)
class AuditRow:
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


@dataclass(frozen=True)
class AuditPage:
    total: int
    offset: int
    rows: tuple[AuditRow, ...]


def _row(event: Any) -> AuditRow:
    return AuditRow(event.id, event.occurred_at, event.actor, event.desk, event.branch_code, event.action, event.entity,
                    event.entity_id, event.member_no, event.before, event.after, event.details, event.hash)


def _bounds(filters: AuditFilter) -> tuple[datetime | None, datetime | None]:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError("audit.filter_dates", field="date_to", since=filters.date_from, until=filters.date_to)
    since = datetime.combine(filters.date_from, time.min) if filters.date_from else None
    until = datetime.combine(filters.date_to + timedelta(days=1), time.min) if filters.date_to else None
    return since, until


class AuditViewerService:
    def __init__(self, context: ServiceContext, audit: AuditService) -> None:
        self._context = context
        self._audit = audit

    def _actor(self, session: StaffSession) -> Actor:
        return Actor(session.username, self._context.desk_name, session.branch_code)

    def search(self, *, session: StaffSession, filters: AuditFilter | None = None, offset: int = 0, limit: int = 200) -> AuditPage:
        """Newest first."""
        require(session.role, Permission.AUDIT_READ)
        filters = filters or AuditFilter()
        if offset < 0:
            raise ValidationError("history.offset", field="offset", value=offset)
        if not 1 <= limit <= PAGE_MAX:
            raise ValidationError("history.limit", field="limit", minimum=1, maximum=PAGE_MAX, actual=limit)
        since, until = _bounds(filters)
        with self._context.uow() as uow:
            total, rows = uow.audit.search(
                actor=(filters.actor or "").strip() or None, member_no=(filters.member_no or "").strip().upper() or None,
                action=(filters.action or "").strip() or None, since=since, until=until, offset=offset, limit=limit,
            )
            return AuditPage(total, offset, tuple(_row(r) for r in rows))

    def actions(self) -> tuple[str, ...]:
        """The action prefixes the filter offers."""
        return ("adjustment.", "auth.", "staff.", "member.", "redemption.", "import.", "audit.", "settings.", "reward.", "stock.")

    def verify(self, progress: Progress | None = None, *, session: StaffSession, digest: Digest | None = None) -> AuditVerifyResult:
        """Walks the whole chain (progress and cancel through ``progress``); the result names the
        first bad row. The check itself is recorded in the trail."""
        require(session.role, Permission.AUDIT_VERIFY)
        result = self._audit.verify(progress or NoProgress(), digest=digest)
        with self._context.uow(write=True) as uow:
            record(uow, self._actor(session), "audit.verify", entity="audit_event",
                   details={"ok": result.ok, "rows_checked": result.rows_checked, "first_bad_row": result.first_bad_row,
                            "problem": result.problem}, now=self._context.clock())
            uow.commit()
        return result

    def export(self, progress: Progress | None = None, *, session: StaffSession, filters: AuditFilter | None = None, path: Path) -> int:
        """Writes the filtered trail to an Excel workbook; returns the rows written. Audited."""
        from loyalty_desk.documents.audit_export import write_audit_workbook

        require(session.role, Permission.AUDIT_EXPORT)
        progress = progress or NoProgress()
        filters = filters or AuditFilter()
        first = self.search(session=session, filters=filters, offset=0, limit=1)
        total = first.total
        progress.set_status("audit.export")

        def rows() -> Any:
            offset = 0
            while offset < total:
                if progress.is_cancelled():
                    return
                page = self.search(session=session, filters=filters, offset=offset, limit=PAGE_MAX)
                if not page.rows:
                    return
                yield from page.rows
                offset += len(page.rows)
                progress.set_progress(min(offset, total), total)

        path = Path(path)
        count = write_audit_workbook(path, rows(), title="Audit trail", filters=filters.describe())
        with self._context.uow(write=True) as uow:
            record(uow, self._actor(session), "audit.export", entity="file", entity_id=path.name,
                   details={"file": path.name, "rows": count, "filters": filters.describe() or "none",
                            "cancelled": progress.is_cancelled()}, now=self._context.clock())
            uow.commit()
        return count
