"""Staff accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from loyalty_desk.store.models import Branch, Staff


class StaffRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

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
        self.session.add(staff)
        self.session.flush()
        return staff

    def active_with_id_number(self, id_number: str) -> Staff | None:
        return self.session.scalar(select(Staff).where(Staff.id_number == id_number, Staff.active.is_(True)))
