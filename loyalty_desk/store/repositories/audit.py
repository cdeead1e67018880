"""The audit trail rows: appended, read in order, never changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select, text

from loyalty_desk.store.models import AuditEvent
from loyalty_desk.store.repositories.base import Repository, where_given


class AuditRepository(Repository):
    def lock_chain(self) -> None:
        """Serialises appends to the chain (SQLite writers already hold the store lock)."""
        if self.is_postgres:
            self.session.execute(text("SELECT pg_advisory_xact_lock(7401)"))

    def last(self) -> AuditEvent | None:
        return self.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))

    def add(self, event: AuditEvent) -> AuditEvent:
        return self._added(event)

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(AuditEvent)) or 0)

    def in_order(self, batch: int = 2000) -> Iterator[AuditEvent]:
        last_id = 0
        while True:
            rows = list(self.session.scalars(select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)))
            if not rows:
                return
            yield from rows
            last_id = rows[-1].id
            self.session.expunge_all()

    def members_served(self, *, desk: str, actions: tuple[str, ...], since: datetime, limit: int) -> list[str]:
        """Member numbers with one of ``actions`` recorded at ``desk`` since ``since``, the latest first."""
        latest = func.max(AuditEvent.id)
        query = (
            select(AuditEvent.member_no, latest)
            .where(
                AuditEvent.desk == desk,
                AuditEvent.action.in_(list(actions)),
                AuditEvent.occurred_at >= since,
                AuditEvent.member_no.is_not(None),
            )
            .group_by(AuditEvent.member_no)
            .order_by(latest.desc())
            .limit(limit)
        )
        return [member_no for member_no, _latest in self.session.execute(query) if member_no is not None]

    def search(
        self,
        *,
        actor: str | None = None,
        member_no: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        offset: int = 0,
        limit: int = 200,
    ) -> tuple[int, list[AuditEvent]]:
        query = where_given(select(AuditEvent), actor=actor, member_no=member_no)
        if action:
            query = query.where(AuditEvent.action.startswith(action))
        if since:
            query = query.where(AuditEvent.occurred_at >= since)
        if until:
            query = query.where(AuditEvent.occurred_at < until)
        total = int(self.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = list(self.session.scalars(query.order_by(AuditEvent.id.desc()).offset(offset).limit(limit)))
        return total, rows
