"""Members: reading, locking and adding. Lookup queries live in ``lookup.py``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from loyalty_desk.store.models import Branch, Member, MemberNameKey


class MemberRepository:
    def __init__(self, session: Session, is_postgres: bool) -> None:
        self.session = session
        self.is_postgres = is_postgres

    def by_no(self, member_no: str) -> Member | None:
        return self.session.scalar(select(Member).where(Member.member_no == member_no))

    def get(self, member_id: int) -> Member | None:
        return self.session.get(Member, member_id)

    def lock(self, member_id: int) -> Member | None:
        """The member row locked for the rest of the transaction (SQLite writers already hold the store lock)."""
        query = select(Member).where(Member.id == member_id)
        if self.is_postgres:
            query = query.with_for_update()
        return self.session.scalar(query.execution_options(populate_existing=True))

    def by_ids(self, member_ids: Iterable[int]) -> list[Member]:
        ids = list(member_ids)
        if not ids:
            return []
        return list(self.session.scalars(select(Member).where(Member.id.in_(ids))))

    def branch(self, member: Member) -> Branch:
        branch = self.session.get(Branch, member.branch_id)
        assert branch is not None
        return branch

    def add(self, member: Member, name_keys: Iterable[str]) -> Member:
        self.session.add(member)
        self.session.flush()
        self.session.add_all(MemberNameKey(key=key, member_id=member.id) for key in dict.fromkeys(name_keys))
        self.session.flush()
        return member

    def max_member_no(self) -> str | None:
        return self.session.scalar(select(Member.member_no).order_by(Member.member_no.desc()).limit(1))
