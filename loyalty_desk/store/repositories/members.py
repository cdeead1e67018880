"""Members: reading, locking and adding. Lookup queries live in ``lookup.py``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, text

from loyalty_desk.domain.identity import PROVISIONAL_SERIAL_FROM
from loyalty_desk.store.models import Branch, Member, MemberNameKey, MemberNoBlock, Operation
from loyalty_desk.store.repositories.base import ID_SOURCE, Repository

PROVISIONAL_MEMBER_NO_FROM = f"M{PROVISIONAL_SERIAL_FROM:09d}"


class MemberRepository(Repository):
    def by_no(self, member_no: str) -> Member | None:
        return self.session.scalar(select(Member).where(Member.member_no == member_no))

    def get(self, member_id: int) -> Member | None:
        return self.session.get(Member, member_id)

    def lock(self, member_id: int) -> Member | None:
        """The member row locked for the rest of the transaction (SQLite writers already hold the store lock)."""
        return self._fresh_row(select(Member).where(Member.id == member_id))

    def with_mobile(self, mobile: str, *, other_than: int) -> Member | None:
        """A member other than ``other_than`` who holds ``mobile`` (the lowest number first)."""
        query = select(Member).where(Member.mobile == mobile, Member.id != other_than).order_by(Member.member_no).limit(1)
        return self.session.scalar(query)

    def operation_payloads(self, member_id: int, kind: str, *, since: datetime) -> list[dict[str, Any]]:
        """The payloads of the member's posted operations of ``kind`` made since ``since`` (this desk's and,
        through the feed, the others')."""
        query = select(Operation.payload).where(
            Operation.member_id == member_id, Operation.kind == kind, Operation.status == "posted", Operation.created_at >= since
        )
        return [dict(payload or {}) for payload in self.session.scalars(query)]

    def card_approvals(self, *, first: date, last: date, branch_id: int | None) -> list[tuple[str, str, int, date | None, date]]:
        """(member no., name, home branch id, applied on, approved on) of every card approved from
        ``first`` to ``last``, by approval date."""
        query = (
            select(Member.member_no, Member.name, Member.branch_id, Member.card_applied_on, Member.card_approved_on)
            .where(Member.card_approved_on >= first, Member.card_approved_on <= last)
            .order_by(Member.card_approved_on, Member.member_no)
        )
        if branch_id is not None:
            query = query.where(Member.branch_id == branch_id)
        return [(no, name, branch, applied, approved) for no, name, branch, applied, approved in self.session.execute(query) if approved is not None]

    def with_card(self, card_no: str) -> Member | None:
        """The member holding the card ``card_no`` (card numbers are unique)."""
        return self.session.scalar(select(Member).where(Member.card_no == card_no))

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
        self._added(member)
        self.session.add_all(MemberNameKey(key=key, member_id=member.id) for key in dict.fromkeys(name_keys))
        if self.session.info.get(ID_SOURCE) is None:
            self.session.flush()
        return member

    def max_member_no(self) -> str | None:
        """The highest final member number (provisional numbers, ``M9...``, left out)."""
        return self.session.scalar(
            select(Member.member_no).where(Member.member_no < PROVISIONAL_MEMBER_NO_FROM).order_by(Member.member_no.desc()).limit(1)
        )

    def new_member_serials(self, count: int, *, first: int) -> int:
        """The first of ``count`` new serials: at central from its sequence (``ld_member_serials``, which
        desks reserve blocks from too), in a standalone store after its highest number."""
        if self.is_postgres:
            with self.session.no_autoflush:  # the sequence sees no row: nothing pending need be written first
                return int(self.session.execute(text("SELECT ld_member_serials(:n)"), {"n": count}).scalar_one())
        highest = self.max_member_no()
        return int(highest[1:-1]) + 1 if highest else first

    def take_block_serials(self, count: int) -> list[int]:
        """Up to ``count`` serials from the blocks this desk reserved from central, oldest block first."""
        taken: list[int] = []
        blocks = self.session.scalars(
            select(MemberNoBlock).where(MemberNoBlock.next_serial <= MemberNoBlock.last_serial).order_by(MemberNoBlock.first_serial)
        )
        for block in blocks:
            while len(taken) < count and block.next_serial <= block.last_serial:
                taken.append(block.next_serial)
                block.next_serial += 1
            if len(taken) == count:
                break
        self.session.flush()
        return taken

    def block_serials_left(self) -> int:
        left = self.session.scalar(select(func.sum(MemberNoBlock.last_serial - MemberNoBlock.next_serial + 1)).where(
            MemberNoBlock.next_serial <= MemberNoBlock.last_serial
        ))
        return int(left or 0)

    def add_block(self, *, desk: str, first: int, last: int, now: Any) -> None:
        self.session.add(MemberNoBlock(desk=desk, first_serial=first, last_serial=last, next_serial=first, reserved_at=now))
        self.session.flush()

    def next_provisional_serial(self, first: int) -> int:
        highest = self.session.scalar(
            select(Member.member_no).where(Member.member_no >= PROVISIONAL_MEMBER_NO_FROM).order_by(Member.member_no.desc()).limit(1)
        )
        return int(highest[1:-1]) + 1 if highest else first
