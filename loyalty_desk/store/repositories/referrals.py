"""Referrals and their rewards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select, update

from loyalty_desk.store.models import Member, Referral, ReferralReward
from loyalty_desk.store.repositories.base import Repository, equal_to_any, in_chunks, where_given


class ReferralRepository(Repository):
    # referrals
    def add(self, referral: Referral) -> Referral:
        return self._added(referral)

    def get(self, referral_id: int, *, fresh: bool = False) -> Referral | None:
        return self._by_id(Referral, referral_id, fresh=fresh, lock=True)

    def by_operation(self, operation_id: str) -> Referral | None:
        return self._by_operation(Referral, operation_id)

    def for_referee(self, member_id: int) -> Referral | None:
        return self.session.scalar(select(Referral).where(Referral.referee_member_id == member_id))

    def referee_ids_with_status(self, member_ids: Iterable[int], statuses: Sequence[str]) -> set[int]:
        ids = list(dict.fromkeys(member_ids))
        found: set[int] = set()
        for chunk in in_chunks(ids):
            found.update(
                self.session.scalars(
                    select(Referral.referee_member_id).where(Referral.referee_member_id.in_(chunk), Referral.status.in_(list(statuses)))
                )
            )
        return found

    def parent_of(self, member_id: int) -> Referral | None:
        """The referral that brought ``member_id`` in (a rejected one does not count)."""
        return self.session.scalar(
            select(Referral).where(Referral.referee_member_id == member_id, Referral.status != "rejected")
        )

    def referrer_rewards_in(self, referrer_member_id: int, first: date, last: date) -> int:
        """Qualified referrals of the year that reward (or will reward) this referrer: the yearly cap's count."""
        query = (
            select(func.count())
            .select_from(ReferralReward)
            .join(Referral, Referral.id == ReferralReward.referral_id)
            .where(
                ReferralReward.member_id == referrer_member_id,
                ReferralReward.role == "referrer",
                ReferralReward.status.in_(("pending", "posted")),
                Referral.qualifying_on >= first,
                Referral.qualifying_on <= last,
            )
        )
        return int(self.session.scalar(query) or 0)

    def comparable(self, *, referrer_member_id: int, address_key: str | None, since: date) -> list[tuple[Referral, Member]]:
        """Earlier referrals a new one is compared with for fraud flags: the referrer's since ``since``,
        and any referral whose referee has the same address; with their referee."""
        condition: ColumnElement[bool] = (Referral.referrer_member_id == referrer_member_id) & (Referral.registered_on >= since)
        if address_key:
            condition = or_(condition, Referral.referee_address_key == address_key)
        query = (
            select(Referral, Member)
            .join(Member, Member.id == Referral.referee_member_id)
            .where(condition)
            .order_by(Referral.id)
            .limit(1000)
        )
        return [(r, m) for r, m in self.session.execute(query)]

    def sharing(self, *, address_key: str | None, phone_prefix: str | None, exclude_id: int, limit: int = 50) -> list[Referral]:
        """Evidence for a supervisor: other referrals whose referee shares the address or the number block."""
        shared = equal_to_any(Referral, referee_address_key=address_key, referee_phone_prefix=phone_prefix)
        if shared is None:
            return []
        query = select(Referral).where(shared, Referral.id != exclude_id).order_by(Referral.id.desc()).limit(limit)
        return list(self.session.scalars(query))

    def by_referrer_on(self, referrer_member_id: int, day: date, exclude_id: int) -> list[Referral]:
        query = select(Referral).where(
            Referral.referrer_member_id == referrer_member_id, Referral.registered_on == day, Referral.id != exclude_id
        )
        return list(self.session.scalars(query.order_by(Referral.id)))

    def made_by(self, member_ids: Sequence[int]) -> list[Referral]:
        if not member_ids:
            return []
        query = select(Referral).where(Referral.referrer_member_id.in_(list(member_ids))).order_by(Referral.registered_at, Referral.id)
        return list(self.session.scalars(query))

    def search(
        self,
        *,
        statuses: Sequence[str] | None = None,
        branch_id: int | None = None,
        referrer_member_id: int | None = None,
        member_id: int | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 1000,
    ) -> list[Referral]:
        query = where_given(select(Referral), branch_id=branch_id, referrer_member_id=referrer_member_id)
        if statuses:
            query = query.where(Referral.status.in_(list(statuses)))
        if member_id is not None:
            query = query.where(
                or_(
                    Referral.referrer_member_id == member_id,
                    Referral.referee_member_id == member_id,
                    Referral.second_level_member_id == member_id,
                )
            )
        if since is not None:
            query = query.where(Referral.registered_on >= since)
        if until is not None:
            query = query.where(Referral.registered_on <= until)
        return list(self.session.scalars(query.order_by(Referral.registered_at.desc(), Referral.id.desc()).limit(limit)))

    def due_for_release(self, as_of: date) -> list[int]:
        query = select(Referral.id).where(Referral.status == "qualified", Referral.rewards_pending_until <= as_of).order_by(Referral.id)
        return list(self.session.scalars(query))

    def due_for_expiry(self, registered_before: date) -> list[int]:
        query = select(Referral.id).where(Referral.status == "registered", Referral.registered_on < registered_before).order_by(Referral.id)
        return list(self.session.scalars(query))

    # rewards
    def add_reward(self, reward: ReferralReward) -> ReferralReward:
        return self._added(reward)

    def rewards(self, referral_ids: Sequence[int]) -> dict[int, list[ReferralReward]]:
        return self._by_parent(ReferralReward, "referral_id", referral_ids)

    def pending_for_member(self, member_id: int) -> list[ReferralReward]:
        query = select(ReferralReward).where(ReferralReward.member_id == member_id, ReferralReward.status == "pending")
        return list(self.session.scalars(query.order_by(ReferralReward.available_on, ReferralReward.id)))

    # referral codes
    def members_without_code(self, limit: int = 5000) -> list[tuple[int, str]]:
        query = select(Member.id, Member.member_no).where(Member.referral_code.is_(None)).order_by(Member.id).limit(limit)
        return [(row[0], row[1]) for row in self.session.execute(query)]

    def set_codes(self, codes: Sequence[tuple[int, str]]) -> None:
        for member_id, code in codes:
            self.session.execute(update(Member).where(Member.id == member_id).values(referral_code=code))

    def top_members(self, branch_id: int, limit: int) -> list[Member]:
        """Active people of a branch with the highest balances (demo referrers)."""
        query = (
            select(Member)
            .where(Member.branch_id == branch_id, Member.status == "active", Member.kind == "person")
            .order_by(Member.posted_balance.desc(), Member.id)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def member_by_code(self, code: str) -> Member | None:
        return self.session.scalar(select(Member).where(Member.referral_code == code))

    def members_with(self, *, id_number: str | None, mobile: str | None) -> list[Member]:
        matching = equal_to_any(Member, id_number=id_number, mobile=mobile)
        if matching is None:
            return []
        return list(self.session.scalars(select(Member).where(matching).limit(10)))
