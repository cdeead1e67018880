"""The reward catalogue's rules: a reward row as the domain sees it, a member's facts, offers and reward fields."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.redemption import (
    Block,
    MemberFacts,
    Reward,
    RewardCategory,
    window_start,
)
from loyalty_desk.domain.rules import RuleSettings, Tier
from loyalty_desk.services.redemption.dto import BlockReason, RewardOffer
from loyalty_desk.store.models import Member
from loyalty_desk.store.models import Reward as RewardRow
from loyalty_desk.store.uow import UnitOfWork

REWARD_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")


def to_domain_reward(row: RewardRow) -> Reward:
    return Reward(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        category=RewardCategory(row.category),
        points_cost=int(row.points_cost),
        cash_value=Decimal(row.cash_value),
        min_tier=Tier(row.min_tier),
        active_from=row.active_from,
        active_to=row.active_to,
        yearly_limit_per_member=row.yearly_limit_per_member,
        stock_tracked=bool(row.stock_tracked),
    )


def _month_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, 1)


def year_start(now: datetime) -> datetime:
    return datetime(now.year, 1, 1)


def available_of(member: Member) -> int:
    return int(member.posted_balance) - int(member.held_points)


def member_facts(
    uow: UnitOfWork, member: Member, settings: RuleSettings, now: datetime, reward_id: int | None = None, *, offline: bool = False
) -> MemberFacts:
    """The member's side of the rules; ``reward_count_this_year`` is for ``reward_id`` (0 without one);
    ``offline`` adds today's redeemed points for the offline daily limit (``loyalty_desk.domain.offline``)."""
    recent = uow.redemption.times_after(member.id, window_start(now, settings.redemption.window_hours))
    units = uow.redemption.units_since(member.id, year_start(now)) if reward_id is not None else {}
    return MemberFacts(
        status=member.status,
        tier=Tier(member.tier),
        available=available_of(member),
        redeemed_this_month=uow.redemption.points_since(member.id, _month_start(now)),
        recent_redemptions=tuple(recent),
        reward_count_this_year=units.get(reward_id, 0) if reward_id is not None else 0,
        offline_points_today=uow.redemption.offline_points_today(offline=offline, member_id=member.id, day=now.date()),
        freeze_reason=member.freeze_reason,
    )


def block_reason(block: Block) -> BlockReason:
    return BlockReason(block.code, dict(block.params))


def offer_of(row: RewardRow, stock: int | None, blocks: list[Block]) -> RewardOffer:
    return RewardOffer(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        category=row.category,
        points_cost=int(row.points_cost),
        cash_value=Decimal(row.cash_value),
        min_tier=row.min_tier,
        active_from=row.active_from,
        active_to=row.active_to,
        yearly_limit_per_member=row.yearly_limit_per_member,
        stock_tracked=bool(row.stock_tracked),
        stock=stock,
        available=not blocks,
        blocks=tuple(block_reason(b) for b in blocks),
    )


def reward_dict(row: RewardRow) -> dict[str, Any]:
    return {
        "code": row.code, "name_zh": row.name_zh, "name_en": row.name_en, "category": row.category,
        "points_cost": int(row.points_cost), "cash_value": row.cash_value, "min_tier": row.min_tier,
        "active_from": row.active_from.isoformat() if row.active_from else None,
        "active_to": row.active_to.isoformat() if row.active_to else None,
        "yearly_limit_per_member": row.yearly_limit_per_member, "stock_tracked": bool(row.stock_tracked),
    }


def validate_reward_fields(**v: Any) -> dict[str, Any]:
    """Checks an administrator's reward form; ``reward.invalid`` names the field and the rule."""

    def bad(field: str, value: Any, rule: str) -> ValidationError:
        return ValidationError("reward.invalid", field=field, value=value, rule=rule)

    code = str(v["code"] or "").strip().upper()
    if not REWARD_CODE.match(code):
        raise bad("code", v["code"], "2-32 capital letters, digits, - or _")
    names = {}
    for key in ("name_zh", "name_en"):
        name = " ".join(str(v[key] or "").split())
        if not 1 <= len(name) <= 100:
            raise bad(key, v[key], "1-100 characters")
        names[key] = name
    if v["category"] not in {c.value for c in RewardCategory}:
        raise bad("category", v["category"], "one of " + ", ".join(c.value for c in RewardCategory))
    cost = v["points_cost"]
    if isinstance(cost, bool) or not isinstance(cost, int) or cost <= 0:
        raise bad("points_cost", cost, "a whole number of points above 0")
    try:
        cash = Decimal(str(v["cash_value"]).strip())
    except (InvalidOperation, ValueError):
        raise bad("cash_value", v["cash_value"], "an amount in CNY") from None
    if not cash.is_finite() or cash < 0 or cash.as_tuple().exponent < -2:  # type: ignore[operator]
        raise bad("cash_value", v["cash_value"], "an amount in CNY, at least 0, at most 2 decimals")
    if v["min_tier"] not in {t.value for t in Tier}:
        raise bad("min_tier", v["min_tier"], "one of " + ", ".join(t.value for t in Tier))
    if v["active_from"] and v["active_to"] and v["active_to"] < v["active_from"]:
        raise bad("active_to", v["active_to"], "on or after the first day")
    limit = v["yearly_limit_per_member"]
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise bad("yearly_limit_per_member", limit, "empty (unlimited) or at least 1")
    return {
        "code": code, **names, "category": v["category"], "points_cost": cost, "cash_value": f"{cash.quantize(Decimal('0.01'))}",
        "min_tier": v["min_tier"], "active_from": v["active_from"], "active_to": v["active_to"],
        "yearly_limit_per_member": limit, "stock_tracked": bool(v["stock_tracked"]),
    }
