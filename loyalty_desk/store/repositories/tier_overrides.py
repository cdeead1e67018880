"""Manual tier overrides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from loyalty_desk.store.models import TierOverride
from loyalty_desk.store.repositories.base import Repository


class TierOverrideRepository(Repository):
    def add(self, override: TierOverride) -> TierOverride:
        return self._added(override)

    def get(self, override_id: int) -> TierOverride | None:
        return self.session.get(TierOverride, override_id)

    def by_operation(self, operation_id: str, *, fresh: bool = False) -> TierOverride | None:
        """``fresh=True`` re-reads the row (call it after locking the member, to see a racing decision)."""
        query = select(TierOverride).where(TierOverride.operation_id == operation_id)
        if fresh:
            query = query.execution_options(populate_existing=True)
        return self.session.scalar(query)

    def open_for_member(self, member_id: int, statuses: Sequence[str]) -> TierOverride | None:
        query = select(TierOverride).where(TierOverride.member_id == member_id, TierOverride.status.in_(list(statuses)))
        return self.session.scalar(query.order_by(TierOverride.id.desc()).limit(1))

    def due_to_end(self, status: str, as_of: date) -> list[tuple[str, int]]:
        """``(operation_id, member_id)`` of the overrides in ``status`` whose end date is on or before ``as_of``."""
        query = select(TierOverride.operation_id, TierOverride.member_id).where(TierOverride.status == status, TierOverride.ends_on <= as_of)
        return [(operation_id, member_id) for operation_id, member_id in self.session.execute(query.order_by(TierOverride.id))]

    def member_ids_with_status(self, status: str) -> set[int]:
        return set(self.session.scalars(select(TierOverride.member_id).where(TierOverride.status == status)))

    def search(self, *, statuses: Sequence[str] = (), member_id: int | None = None, limit: int = 500) -> list[TierOverride]:
        query = select(TierOverride)
        if statuses:
            query = query.where(TierOverride.status.in_(list(statuses)))
        if member_id is not None:
            query = query.where(TierOverride.member_id == member_id)
        return list(self.session.scalars(query.order_by(TierOverride.id.desc()).limit(limit)))
