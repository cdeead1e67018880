"""Queries the earning, import, expiry and tier-review jobs need (reads plus row locks)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import func, select, update

from loyalty_desk.store.models import Campaign, CampaignMember, EarningTxn, LedgerEntry, Lot, Member
from loyalty_desk.store.repositories.base import Repository, in_chunks


class EarningRepository(Repository):
    # members
    def member_ids_by_no(self, member_nos: Iterable[str]) -> dict[str, int]:
        """``member_no -> id`` for the numbers that exist (unknown numbers are absent)."""
        wanted = sorted(set(member_nos))
        found: dict[str, int] = {}
        for chunk in in_chunks(wanted):
            for member_no, member_id in self.session.execute(select(Member.member_no, Member.id).where(Member.member_no.in_(chunk))):
                found[member_no] = member_id
        return found

    def member_ids_in_tiers(self, tiers: Sequence[str]) -> list[int]:
        return list(self.session.scalars(select(Member.id).where(Member.tier.in_(list(tiers))).order_by(Member.id)))

    # transactions of the feeds
    def txn_digests(self, txn_ids: Sequence[str]) -> dict[str, str]:
        """``txn_id -> digest`` of the transactions among ``txn_ids`` that were posted before."""
        found: dict[str, str] = {}
        ids = list(dict.fromkeys(txn_ids))
        for chunk in in_chunks(ids):
            found.update(self.session.execute(select(EarningTxn.txn_id, EarningTxn.digest).where(EarningTxn.txn_id.in_(chunk))).all())
        return found

    def add_txn(self, txn: EarningTxn) -> None:
        self.session.add(txn)

    def card_amounts(self, member_id: int, *, on_or_after: date, on_or_before: date) -> list[tuple[str, str]]:
        """``(source, amount)`` of the member's card spends and refunds in the period."""
        query = select(EarningTxn.source, EarningTxn.amount).where(
            EarningTxn.member_id == member_id,
            EarningTxn.source.in_(("card_spend", "card_refund")),
            EarningTxn.occurred_on >= on_or_after,
            EarningTxn.occurred_on <= on_or_before,
        )
        return [(source, amount) for source, amount in self.session.execute(query)]

    def card_history(self, member_id: int, on_or_after: date) -> list[tuple[str, date, str]]:
        """``(source, date, amount)`` of the member's card spends and refunds posted from ``on_or_after``."""
        query = select(EarningTxn.source, EarningTxn.occurred_on, EarningTxn.amount).where(
            EarningTxn.member_id == member_id,
            EarningTxn.source.in_(("card_spend", "card_refund")),
            EarningTxn.occurred_on >= on_or_after,
        )
        return [(source, on, amount) for source, on, amount in self.session.execute(query.order_by(EarningTxn.occurred_on))]

    # ledger entries written by earning
    def entries_with_rules(
        self, member_id: int, rules: Sequence[str], *, on_or_after: date | None = None, on_or_before: date | None = None
    ) -> list[LedgerEntry]:
        query = select(LedgerEntry).where(LedgerEntry.member_id == member_id, LedgerEntry.rule.in_(list(rules)))
        if on_or_after is not None:
            query = query.where(LedgerEntry.occurred_on >= on_or_after)
        if on_or_before is not None:
            query = query.where(LedgerEntry.occurred_on <= on_or_before)
        return list(self.session.scalars(query.order_by(LedgerEntry.id)))

    def has_entry_with_rule(self, member_id: int, rule: str) -> bool:
        query = select(LedgerEntry.id).where(LedgerEntry.member_id == member_id, LedgerEntry.rule == rule).limit(1)
        return self.session.scalar(query) is not None

    def first_entry_on(self, member_id: int, rule: str) -> tuple[date, int] | None:
        """(date, points) of the member's earliest entry with ``rule``, or None."""
        query = select(LedgerEntry.occurred_on, LedgerEntry.points).where(LedgerEntry.member_id == member_id, LedgerEntry.rule == rule)
        row = self.session.execute(query.order_by(LedgerEntry.occurred_on, LedgerEntry.id).limit(1)).first()
        return (row[0], int(row[1])) if row is not None else None

    def count_entries_with_rule(self, member_id: int, rule: str, *, on_or_after: date, on_or_before: date) -> int:
        query = select(func.count()).where(
            LedgerEntry.member_id == member_id,
            LedgerEntry.rule == rule,
            LedgerEntry.occurred_on >= on_or_after,
            LedgerEntry.occurred_on <= on_or_before,
        )
        return int(self.session.scalar(query) or 0)

    def qualifying_earnings(self, member_id: int, *, after: date) -> list[tuple[date, int]]:
        """``(date, points)`` of qualifying lots earned after ``after`` plus clawbacks of earnings
        (negative) in the same period; the tier rules sum them over their window."""
        lots = self.session.execute(
            select(Lot.earned_on, Lot.original).where(Lot.member_id == member_id, Lot.qualifying.is_(True), Lot.earned_on > after)
        )
        clawbacks = self.session.execute(
            select(LedgerEntry.occurred_on, LedgerEntry.points).where(
                LedgerEntry.member_id == member_id, LedgerEntry.kind == "clawback", LedgerEntry.occurred_on > after
            )
        )
        return [(day, int(points)) for day, points in lots] + [(day, int(points)) for day, points in clawbacks]

    # campaigns
    def campaign_given_to_member(self, member_id: int, campaign_ids: Sequence[int]) -> dict[int, int]:
        """``campaign id -> points`` the campaigns gave the member so far (read under the member's lock)."""
        if not campaign_ids:
            return {}
        query = select(CampaignMember.campaign_id, CampaignMember.points).where(
            CampaignMember.member_id == member_id, CampaignMember.campaign_id.in_(list(campaign_ids))
        )
        return {campaign_id: int(points) for campaign_id, points in self.session.execute(query)}

    def claim_campaign_points(self, code: str, member_id: int, wanted: int, *, once: bool = False) -> int:
        """Takes up to ``wanted`` points from the campaign's budget and its per-member cap, inside the
        earning transaction, and returns how many were granted (0 when it is spent, no longer approved
        or gone). The campaign row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite's writer holds
        the database), so earnings posted at once by several processes never award past the budget.
        The member is locked by the caller, so the per-member figure cannot race either. ``once``: nothing
        for a member the campaign has given points already (the card-journey kinds)."""
        query = select(Campaign.id, Campaign.budget_points, Campaign.spent_points, Campaign.member_cap, Campaign.status).where(
            Campaign.code == code
        )
        if self.is_postgres:
            query = query.with_for_update()
        row = self.session.execute(query).one_or_none()
        if row is None or row.status != "approved" or wanted <= 0:
            return 0
        granted = min(wanted, max(int(row.budget_points) - int(row.spent_points), 0))
        given = self.session.get(CampaignMember, (row.id, member_id), populate_existing=True)
        if once and given is not None and int(given.points) > 0:
            return 0
        if row.member_cap is not None:
            granted = min(granted, max(int(row.member_cap) - (int(given.points) if given else 0), 0))
        if granted <= 0:
            return 0
        if given is None:
            self.session.add(CampaignMember(campaign_id=row.id, member_id=member_id, points=granted))
        else:
            given.points = int(given.points) + granted
        self.session.execute(
            update(Campaign)
            .where(Campaign.id == row.id)
            .values(spent_points=Campaign.spent_points + granted, members_reached=Campaign.members_reached + (0 if given else 1))
            .execution_options(synchronize_session=False)
        )
        return granted
