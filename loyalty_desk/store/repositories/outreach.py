"""Outreach batches and their messages, and what a batch reads of a page of members (their contact
details, points expiring, earlier messages, the card journey), one query per page each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from loyalty_desk.store.models import Branch, LedgerEntry, Lot, Member, OutreachBatch, OutreachMessage
from loyalty_desk.store.repositories.base import Repository


@dataclass(frozen=True)
class Recipient:
    member_id: int
    member_no: str
    name: str
    mobile: str
    language: str
    opted_out: bool
    tier: str
    branch_code: str
    card_approved_on: date | None


class OutreachRepository(Repository):
    def recipients(self, member_ids: Sequence[int]) -> list[Recipient]:
        rows = self.session.execute(
            select(Member.id, Member.member_no, Member.name, Member.mobile, Member.language, Member.marketing_opt_out, Member.tier,
                   Branch.code, Member.card_approved_on)
            .join(Branch, Branch.id == Member.branch_id).where(Member.id.in_(list(member_ids))).order_by(Member.id)
        )
        return [Recipient(int(r[0]), r[1], r[2], r[3] or "", r[4] or "zh_CN", bool(r[5]), r[6], r[7], r[8]) for r in rows]

    def expiring(self, member_ids: Sequence[int], start: date, end: date) -> dict[int, tuple[int, date]]:
        """Per member: the points in open lots expiring from ``start`` to ``end``, and the first such date."""
        rows = self.session.execute(
            select(Lot.member_id, func.sum(Lot.remaining), func.min(Lot.expires_on))
            .where(Lot.member_id.in_(list(member_ids)), Lot.expires_on >= start, Lot.expires_on <= end, Lot.remaining > 0)
            .group_by(Lot.member_id)
        )
        return {int(m): (int(points), first) for m, points, first in rows}

    def with_rule(self, member_ids: Sequence[int], rule: str) -> set[int]:
        """The members who have a ledger entry of ``rule`` (the card journey's first-transaction gift)."""
        return set(self.session.scalars(
            select(LedgerEntry.member_id).where(LedgerEntry.member_id.in_(list(member_ids)), LedgerEntry.rule == rule).distinct()
        ))

    def already_messaged(self, member_ids: Sequence[int], reason: str, period: str) -> set[int]:
        return set(self.session.scalars(
            select(OutreachMessage.member_id).where(OutreachMessage.member_id.in_(list(member_ids)), OutreachMessage.reason == reason,
                                                    OutreachMessage.period == period)
        ))

    def add_batch(self, batch: OutreachBatch) -> OutreachBatch:
        return self._added(batch)

    def add_messages(self, messages: Sequence[dict[str, Any]]) -> None:
        """One page of messages (their column values) in one executemany, not one ORM object each."""
        if messages:
            self.session.execute(insert(OutreachMessage), list(messages))

    def batches(self) -> list[OutreachBatch]:
        return list(self.session.scalars(select(OutreachBatch).order_by(OutreachBatch.id.desc())))

    def batch(self, code: str) -> OutreachBatch | None:
        return self.session.scalar(select(OutreachBatch).where(OutreachBatch.code == code))

    def status_counts(self, batch_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = {}
        rows = self.session.execute(
            select(OutreachMessage.batch_id, OutreachMessage.status, func.count())
            .where(OutreachMessage.batch_id.in_(list(batch_ids))).group_by(OutreachMessage.batch_id, OutreachMessage.status)
        )
        for batch_id, status, count in rows:
            counts.setdefault(int(batch_id), {})[status] = int(count)
        return counts

    def messages(self, batch_id: int, *, page: int = 5000) -> Iterator[tuple[OutreachMessage, str]]:
        """The batch's messages with each member's number, in message order, a page at a time."""
        after = 0
        while True:
            rows = self.session.execute(
                select(OutreachMessage, Member.member_no).join(Member, Member.id == OutreachMessage.member_id)
                .where(OutreachMessage.batch_id == batch_id, OutreachMessage.id > after).order_by(OutreachMessage.id).limit(page)
            ).all()
            if not rows:
                return
            yield from ((row[0], row[1]) for row in rows)
            after = rows[-1][0].id

    def messages_by_id(self, message_ids: Sequence[str]) -> dict[str, OutreachMessage]:
        return {m.message_id: m for m in self.session.scalars(select(OutreachMessage).where(OutreachMessage.message_id.in_(list(message_ids))))}

    def unsent(self, batch_id: int, *, after: int = 0, limit: int = 1000) -> list[tuple[int, str, str, str, str]]:
        """A page of the batch's messages still only written (never accepted or refused by the platform),
        in order from the row after ``after``: (row id, message id, mobile, language, text)."""
        rows = self.session.execute(
            select(OutreachMessage.id, OutreachMessage.message_id, OutreachMessage.mobile, OutreachMessage.language, OutreachMessage.body)
            .where(OutreachMessage.batch_id == batch_id, OutreachMessage.status == "written", OutreachMessage.id > after)
            .order_by(OutreachMessage.id).limit(limit)
        )
        return [(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    def unsent_count(self, batch_id: int) -> int:
        return int(self.session.scalar(
            select(func.count()).select_from(OutreachMessage).where(OutreachMessage.batch_id == batch_id, OutreachMessage.status == "written")
        ) or 0)

    def mark_unsent(self, row_ids: Sequence[int], status: str, at: datetime) -> int:
        """Sets ``status`` on those of the messages still only written (a delivery report imported meanwhile wins)."""
        if not row_ids:
            return 0
        result = self.session.execute(
            update(OutreachMessage).where(OutreachMessage.id.in_(list(row_ids)), OutreachMessage.status == "written")
            .values(status=status, status_at=at)
        )
        return int(getattr(result, "rowcount", 0) or 0)
