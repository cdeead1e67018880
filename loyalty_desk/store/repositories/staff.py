"""Staff accounts."""

from __future__ import annotations

from sqlalchemy import select

from loyalty_desk.store.models import Branch, Staff, StaffCredential, StaffKey
from loyalty_desk.store.repositories.base import Repository


class StaffRepository(Repository):
    def by_username(self, username: str) -> Staff | None:
        return self.session.scalar(select(Staff).where(Staff.username == username))

    def get(self, staff_id: int) -> Staff | None:
        return self.session.get(Staff, staff_id)

    def branch_of(self, staff: Staff) -> Branch:
        branch = self.session.get(Branch, staff.branch_id)
        assert branch is not None
        return branch

    def all(self) -> list[Staff]:
        return list(self.session.scalars(select(Staff).order_by(Staff.username)))

    def add(self, staff: Staff) -> Staff:
        return self._added(staff)

    def credential(self, staff_id: int) -> StaffCredential | None:
        """The password verifier and wrapped signing key; None on a desk this person may not sign in at."""
        return self.session.get(StaffCredential, staff_id)

    def add_credential(self, credential: StaffCredential) -> StaffCredential:
        return self._added(credential)

    def keys(self, staff_id: int) -> list[StaffKey]:
        return list(self.session.scalars(select(StaffKey).where(StaffKey.staff_id == staff_id).order_by(StaffKey.version)))

    def add_key(self, key: StaffKey) -> StaffKey:
        return self._added(key)

    def active_with_id_number(self, id_number: str) -> Staff | None:
        return self.session.scalar(select(Staff).where(Staff.id_number == id_number, Staff.active.is_(True)))
