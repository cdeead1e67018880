"""Changes to the programme's rules and the approved versions among them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text, true

from loyalty_desk.store.models import RuleChange, RuleSetting
from loyalty_desk.store.repositories.base import Repository


class RuleChangeRepository(Repository):
    def add(self, change: RuleChange) -> RuleChange:
        return self._added(change)

    def get(self, change_id: int) -> RuleChange | None:
        return self.session.get(RuleChange, change_id)

    def by_operation(self, operation_id: str) -> RuleChange | None:
        return self._by_operation(RuleChange, operation_id)

    def lock_decisions(self) -> None:
        """Rule decisions one at a time (version numbers are handed out in order); SQLite's write lock already is one."""
        if self.is_postgres:
            self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('rule_change'))"))

    def locked(self, operation_id: str) -> RuleChange | None:
        """The change re-read after ``lock_decisions`` (a racing decision shows)."""
        return self._fresh_row(select(RuleChange).where(RuleChange.operation_id == operation_id))

    def remove_provisional(self, change: RuleChange) -> None:
        """A desk's own proposal that central refused (it never existed there)."""
        self.session.delete(change)
        self.session.flush()

    def approved(self) -> list[RuleChange]:
        query = select(RuleChange).where(RuleChange.status == "approved").order_by(RuleChange.effective_on, RuleChange.version)
        return list(self.session.scalars(query))

    def last_version(self) -> int:
        return int(self.session.scalar(select(func.max(RuleChange.version))) or 0)

    def search(self, *, statuses: Sequence[str] = (), limit: int = 500) -> list[RuleChange]:
        query = select(RuleChange)
        if statuses:
            query = query.where(RuleChange.status.in_(list(statuses)))
        return list(self.session.scalars(query.order_by(RuleChange.id.desc()).limit(limit)))

    def stamp(self) -> tuple[Any, ...]:
        """Moves whenever a version is approved or a base section changes (the settings cache's key)."""
        versions = select(func.count().label("approved"), func.max(RuleChange.decided_at).label("decided")).where(
            RuleChange.status == "approved").subquery()
        sections = select(func.count().label("sections"), func.max(RuleSetting.updated_at).label("updated"),
                          func.sum(RuleSetting.version).label("version")).subquery()
        both = select(versions, sections).select_from(versions.join(sections, true()))  # one round trip: each side is one row
        return tuple(self.session.execute(both).one())
