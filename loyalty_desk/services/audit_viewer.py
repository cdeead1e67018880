"""The audit viewer (auditors and supervisors): search the trail with filters and paging, verify
the hash chain with progress, export the filtered trail to Excel (the export is itself audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from loyalty_desk.domain.audit import AuditRow
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.identity import mask_name
from loyalty_desk.services.audit import AuditService, Digest, NoProgress, Progress, record
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
class AuditPage:
    total: int
    offset: int
    rows: tuple[AuditRow, ...]


class _Names:
    """Looks up, once per page, the names a row's codes and ids stand for."""

    def __init__(self, uow: Any) -> None:
        self._uow = uow
        self._staff: dict[str, Any] = {}
        self._members: dict[str, Any] = {}
        self._subjects: dict[tuple[str, str], tuple[str | None, str | None]] = {}

    def staff_by_username(self, username: str) -> Any:
        if username not in self._staff:
            self._staff[username] = self._uow.staff.by_username(username)
        return self._staff[username]

    def member(self, member_no: str) -> Any:
        if member_no not in self._members:
            self._members[member_no] = self._uow.members.by_no(member_no)
        return self._members[member_no]

    def subject(self, entity: str | None, entity_id: str | None) -> tuple[str | None, str | None]:
        if not entity or not entity_id:
            return None, None
        key = (entity, entity_id)
        if key not in self._subjects:
            self._subjects[key] = self._look_up(entity, entity_id)
        return self._subjects[key]

    def _look_up(self, entity: str, entity_id: str) -> tuple[str | None, str | None]:
        if entity == "reward":
            reward = self._uow.redemption.reward_by_code(entity_id)
            return (reward.name_zh, reward.name_en) if reward else (entity_id, entity_id)
        if entity == "reward_stock" and ":" in entity_id:
            branch, code = entity_id.split(":", 1)
            reward = self._uow.redemption.reward_by_code(code)
            return (f"{reward.name_zh} · {branch}", f"{reward.name_en} · {branch}") if reward else (entity_id, entity_id)
        if entity == "staff":
            staff = self._uow.staff.get(int(entity_id)) if entity_id.isdigit() else self.staff_by_username(entity_id)
            name = staff.display_name if staff else entity_id
            return name, name
        if entity == "member":
            member = self._uow.members.get(int(entity_id)) if entity_id.isdigit() else None
            name = _member_text(member) if member else entity_id
            return name, name
        if entity == "referral":
            referral = self._uow.referrals.by_operation(entity_id)
            if referral is None:
                return entity_id, entity_id
            referrer, referee = self._uow.members.get(referral.referrer_member_id), self._uow.members.get(referral.referee_member_id)
            name = f"{_member_text(referrer)} → {_member_text(referee)}" if referrer and referee else entity_id
            return name, name
        return entity_id, entity_id


def _member_text(member: Any) -> str:
    return f"{member.member_no} {mask_name(member.name)}"


def _row(event: Any, names: _Names | None = None) -> AuditRow:
    actor_name = member_name = subject = subject_en = None
    if names is not None:
        staff = names.staff_by_username(event.actor)
        actor_name = staff.display_name if staff else None
        member = names.member(event.member_no) if event.member_no else None
        member_name = mask_name(member.name) if member else None
        subject, subject_en = names.subject(event.entity, event.entity_id)
    return AuditRow(event.id, event.occurred_at, event.actor, event.desk, event.branch_code, event.action, event.entity,
                    event.entity_id, event.member_no, event.before, event.after, event.details, event.hash,
                    actor_name=actor_name, member_name=member_name, subject_kind=event.entity, subject=subject, subject_en=subject_en)


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
            names = _Names(uow)
            return AuditPage(total, offset, tuple(_row(r, names) for r in rows))

    def actions(self) -> tuple[str, ...]:
        """The action prefixes the filter offers."""
        return ("adjustment.", "auth.", "staff.", "member.", "redemption.", "referral.", "import.", "export.", "statement.", "audit.",
                "settings.", "rules.", "reward.", "stock.", "sync.", "job.", "tier_override.", "segment.", "outreach.")

    def verify(self, progress: Progress | None = None, *, session: StaffSession, digest: Digest | None = None) -> AuditVerifyResult:
        """Walks the whole chain (progress and cancel through ``progress``); the result names the
        first bad row. The check itself is recorded in the trail."""
        require(session.role, Permission.AUDIT_VERIFY)
        result = self._audit.verify(progress or NoProgress(), digest=digest)
        with self._context.uow(write=True) as uow:
            record(uow, self._context.actor_of(session), "audit.verify", entity="audit_event",
                   details={"ok": result.ok, "rows_checked": result.rows_checked, "first_bad_row": result.first_bad_row,
                            "problem": result.problem}, now=self._context.clock())
            uow.commit()
        return result

    def export(self, progress: Progress | None = None, *, session: StaffSession, filters: AuditFilter | None = None, path: Path,
               words: Any = None, english: bool = True, filters_text: str | None = None) -> int:
        """Writes the filtered trail to an Excel workbook; returns the rows written. Audited.
        ``words``: the screen's ``AuditWording`` (action, field and value names in its language);
        ``filters_text``: the filters as the screen words them, for the workbook's first line."""
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
        count = write_audit_workbook(path, rows(), words=words, filters=filters_text if filters_text is not None else filters.describe(), english=english)
        self._context.audit.record(self._context.actor_of(session), "audit.export", entity="file", entity_id=path.name,
                                   details={"file": path.name, "rows": count, "filters": filters.describe() or "none", "cancelled": progress.is_cancelled()})
        return count
