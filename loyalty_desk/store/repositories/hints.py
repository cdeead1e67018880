"""The facts of the member view's hints that no other repository reads, and the officers' responses to them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select

from loyalty_desk.store.models import HintResponse, LedgerEntry, Member, Redemption, Referral, Reward
from loyalty_desk.store.repositories.base import Repository

# Entries that are not the member's own doing: the expiry job and tier changes.
_NOT_ACTIVITY = ("expire", "tier")


class HintRepository(Repository):
    def add_response(self, response: HintResponse) -> HintResponse:
        return self._added(response)

    def responses_on(self, member_id: int, day: date) -> list[HintResponse]:
        query = select(HintResponse).where(HintResponse.member_id == member_id, HintResponse.responded_on == day)
        return list(self.session.scalars(query.order_by(HintResponse.id)))

    def last_activity_on(self, member_id: int) -> date | None:
        """The business date of the member's latest ledger entry of their own (not expiry, not a tier change)."""
        query = select(func.max(LedgerEntry.occurred_on)).where(LedgerEntry.member_id == member_id, LedgerEntry.kind.not_in(_NOT_ACTIVITY))
        return self.session.scalar(query)

    def successful_referrals(self, member_id: int, statuses: Sequence[str]) -> int:
        query = select(func.count()).select_from(Referral).where(Referral.referrer_member_id == member_id, Referral.status.in_(list(statuses)))
        return int(self.session.scalar(query) or 0)

    def active_rewards(self, day: date) -> list[Reward]:
        query = select(Reward).where(
            (Reward.active_from.is_(None)) | (Reward.active_from <= day), (Reward.active_to.is_(None)) | (Reward.active_to >= day)
        )
        return list(self.session.scalars(query.order_by(Reward.code)))

    def redemptions_by_tier(self, since: datetime) -> list[tuple[str, int, int]]:
        """``(tier, reward_id, redemptions)`` of the redemptions since ``since`` not reversed, by the redeeming member's tier now."""
        query = (
            select(Member.tier, Redemption.reward_id, func.count())
            .select_from(Redemption)
            .join(Member, Member.id == Redemption.member_id)
            .where(Redemption.redeemed_at >= since, Redemption.reversed_at.is_(None))
            .group_by(Member.tier, Redemption.reward_id)
        )
        return [(str(tier), int(reward_id), int(count)) for tier, reward_id, count in self.session.execute(query)]
