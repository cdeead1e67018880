"""Rewards, branch stock (projection + append-only movements) and redemptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from loyalty_desk.store.models import LedgerEntry, Redemption, Reward, RewardStock, RewardStockMovement
from loyalty_desk.store.repositories.base import Repository


class RedemptionRepository(Repository):
    # rewards
    def rewards(self) -> list[Reward]:
        return list(self.session.scalars(select(Reward).order_by(Reward.points_cost, Reward.code)))

    def reward_by_code(self, code: str) -> Reward | None:
        return self.session.scalar(select(Reward).where(Reward.code == code))

    def reward(self, reward_id: int) -> Reward | None:
        return self.session.get(Reward, reward_id)

    def rewards_by_ids(self, reward_ids: Sequence[int]) -> dict[int, Reward]:
        ids = list(set(reward_ids))
        if not ids:
            return {}
        return {r.id: r for r in self.session.scalars(select(Reward).where(Reward.id.in_(ids)))}

    def add_reward(self, reward: Reward) -> Reward:
        return self._added(reward)

    # stock
    def stock_at_branch(self, branch_id: int) -> dict[int, int]:
        """``reward_id -> on_hand`` at ``branch_id``."""
        rows = self.session.execute(select(RewardStock.reward_id, RewardStock.on_hand).where(RewardStock.branch_id == branch_id))
        return dict(rows.all())

    def stock(self, branch_id: int, reward_id: int, *, lock: bool = False) -> RewardStock | None:
        return self._fresh_row(select(RewardStock).where(RewardStock.branch_id == branch_id, RewardStock.reward_id == reward_id), lock=lock)

    def move_stock(
        self,
        *,
        branch_id: int,
        reward_id: int,
        change: int,
        reason: str,
        at: datetime,
        operation_id: str | None = None,
        staff_id: int | None = None,
    ) -> RewardStock:
        """Appends a movement and keeps the on-hand projection in step (the caller checks the result is not negative)."""
        stock = self.stock(branch_id, reward_id, lock=True)
        if stock is None:
            stock = RewardStock(branch_id=branch_id, reward_id=reward_id, on_hand=0)
            self.session.add(stock)
        stock.on_hand += change
        self.session.add(
            RewardStockMovement(
                reward_id=reward_id, branch_id=branch_id, change=change, reason=reason, operation_id=operation_id, staff_id=staff_id, at=at
            )
        )
        self.session.flush()
        return stock

    def stock_movements(self, branch_id: int, reward_id: int) -> list[RewardStockMovement]:
        query = select(RewardStockMovement).where(RewardStockMovement.branch_id == branch_id, RewardStockMovement.reward_id == reward_id)
        return list(self.session.scalars(query.order_by(RewardStockMovement.id)))

    # redemptions
    def add(self, redemption: Redemption) -> Redemption:
        return self._added(redemption)

    def by_number(self, number: str) -> Redemption | None:
        return self._fresh_row(select(Redemption).where(Redemption.number == number), lock=False)

    def by_operation(self, operation_id: str) -> Redemption | None:
        return self._by_operation(Redemption, operation_id)

    def points_since(self, member_id: int, since: datetime) -> int:
        """Points of the member's redemptions made at or after ``since`` that were not reversed."""
        query = select(func.coalesce(func.sum(Redemption.points), 0)).where(
            Redemption.member_id == member_id, Redemption.redeemed_at >= since, Redemption.reversed_at.is_(None)
        )
        return int(self.session.scalar(query) or 0)

    def times_after(self, member_id: int, after: datetime) -> list[datetime]:
        """When the member's non-reversed redemptions after ``after`` were made."""
        query = select(Redemption.redeemed_at).where(
            Redemption.member_id == member_id, Redemption.redeemed_at > after, Redemption.reversed_at.is_(None)
        )
        return list(self.session.scalars(query.order_by(Redemption.redeemed_at)))

    def units_since(self, member_id: int, since: datetime) -> dict[int, int]:
        """``reward_id -> units`` the member redeemed (not reversed) at or after ``since``."""
        query = (
            select(Redemption.reward_id, func.sum(Redemption.qty))
            .where(Redemption.member_id == member_id, Redemption.redeemed_at >= since, Redemption.reversed_at.is_(None))
            .group_by(Redemption.reward_id)
        )
        return {reward_id: int(units) for reward_id, units in self.session.execute(query)}

    def page(self, *, member_id: int | None, limit: int, offset: int) -> tuple[int, list[Redemption]]:
        query = select(Redemption)
        count = select(func.count()).select_from(Redemption)
        if member_id is not None:
            query = query.where(Redemption.member_id == member_id)
            count = count.where(Redemption.member_id == member_id)
        total = int(self.session.scalar(count) or 0)
        rows = list(self.session.scalars(query.order_by(Redemption.redeemed_at.desc(), Redemption.id.desc()).limit(limit).offset(offset)))
        return total, rows

    # the offline limit (domain/offline.py)
    def redeemed_points(self, member_id: int, day: date) -> int:
        """Points the member redeemed on ``day`` (ledger entries of kind ``redeem``) that were not given back
        (a redemption reversal or a sync rejection restores the entry with ``reverses_entry_id``)."""
        reversal = aliased(LedgerEntry)
        query = select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
            LedgerEntry.member_id == member_id,
            LedgerEntry.occurred_on == day,
            LedgerEntry.kind == "redeem",
            LedgerEntry.points < 0,
            ~select(reversal.id).where(reversal.reverses_entry_id == LedgerEntry.id).exists(),
        )
        return -int(self.session.scalar(query) or 0)

    def offline_points_today(self, *, offline: bool, member_id: int, day: date) -> int | None:
        """The fact the offline limit needs; ``None`` when the rule does not apply (online, or on central)."""
        if not offline or self.is_postgres:
            return None
        return self.redeemed_points(member_id, day)
