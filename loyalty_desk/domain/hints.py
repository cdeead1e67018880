"""What to offer now: the member view's hints for the officer, from the member's facts alone.

``hints_for(facts)`` is pure: the same facts give the same hints, in the same order. Each hint has a
kind, a priority (higher first), a key that stays the same for the same offer through the day (what
an officer's response is recorded against) and its reason as facts (numbers, dates, reward codes),
never prose: the screens word it in their language.

Numbers rules.md does not give are the constants below (see docs/architecture.md, "What to offer now").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.dates import add_months, first_of_next_month
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.lots import OpenLot, expiring_within
from loyalty_desk.domain.rules import TIER_ORDER, RuleSettings, Tier
from loyalty_desk.domain.tiers import qualifying_points, threshold

# rules.md defines no dormancy: a member with no activity for this many months is offered re-engagement.
DORMANT_AFTER_MONTHS = 6
# A tier is "within reach" when the points still needed are at most this share (in percent) of its threshold.
TIER_REACH_PERCENT = 25
# A member with at least this many successful (qualified) referrals is asked to refer again.
GOOD_REFERRER_MIN = 2
# How many rewards an expiry hint names, and how many "popular in your tier" hints are given.
EXPIRY_REWARDS = 3
POPULAR_REWARDS = 2
# Redemptions counted for "what members of the same tier redeem most".
POPULAR_WINDOW_DAYS = 90
HINT_KEY_MAX = 60


class HintKind(StrEnum):
    EXPIRING = "expiring"
    TIER_REACH = "tier_reach"
    POPULAR_REWARD = "popular_reward"
    DORMANT = "dormant"
    REFER_AGAIN = "refer_again"


class HintResponse(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"


# A response that ends the hint for the day: it is not shown again until tomorrow.
CLOSING_RESPONSES = frozenset({HintResponse.ACCEPTED, HintResponse.DECLINED})

# Base priorities; an expiry hint's rises the sooner its points expire.
_PRIORITY = {
    HintKind.EXPIRING: 100,
    HintKind.TIER_REACH: 70,
    HintKind.DORMANT: 60,
    HintKind.POPULAR_REWARD: 40,
    HintKind.REFER_AGAIN: 30,
}


@dataclass(frozen=True)
class RewardFacts:
    """One reward of the catalogue as the hints see it: active today, in stock where stock counts."""

    code: str
    points_cost: int
    min_tier: Tier
    tier_redemptions: int = 0  # redemptions of it by members of this member's tier in the recent window


@dataclass(frozen=True)
class MemberFacts:
    as_of: date
    status: str  # active | frozen | closed
    tier: Tier
    available_balance: int
    lots: tuple[OpenLot, ...]
    qualifying_earnings: tuple[tuple[date, int], ...]  # (earned_on, points), the window's and before
    last_activity_on: date  # the member's latest own activity (earning, redemption, ...), else the day they joined
    successful_referrals: int  # referrals of theirs that qualified (ever)
    referrals_this_year: int  # qualified referrals rewarding them this calendar year (the yearly cap's count)
    has_referral_code: bool
    catalogue: tuple[RewardFacts, ...]


@dataclass(frozen=True)
class Hint:
    kind: HintKind
    key: str  # the same offer keeps its key through the day: "expiring:30", "popular_reward:R-TEA"
    priority: int
    facts: Mapping[str, Any] = field(default_factory=dict)  # ints, dates, strings and tuples of strings


def hints_for(facts: MemberFacts, settings: RuleSettings) -> list[Hint]:
    """Every hint the facts support, highest priority first (ties by key). A member who is not active
    gets none: there is nothing to offer a frozen or closed account at the counter."""
    if facts.status != "active":
        return []
    found: list[Hint] = []
    expiry = _expiry_hint(facts, settings)
    if expiry is not None:
        found.append(expiry)
    tier = _tier_hint(facts, settings)
    if tier is not None:
        found.append(tier)
    named = set(expiry.facts["rewards"]) if expiry is not None else set()
    found.extend(_popular_hints(facts, exclude=named))
    dormant = _dormant_hint(facts)
    if dormant is not None:
        found.append(dormant)
    referrer = _referrer_hint(facts, settings)
    if referrer is not None:
        found.append(referrer)
    return sorted(found, key=lambda hint: (-hint.priority, hint.key))


def affordable(catalogue: tuple[RewardFacts, ...], tier: Tier, points: int) -> list[RewardFacts]:
    """Rewards this tier may redeem that cost at most ``points``."""
    return [r for r in catalogue if r.min_tier.rank <= tier.rank and 0 < r.points_cost <= points]


def _expiry_hint(facts: MemberFacts, settings: RuleSettings) -> Hint | None:
    """The smallest reminder window (30/60/90 days) in which points expire, and the rewards that use
    most of them: the dearest the member can afford that costs no more than what expires."""
    for days in sorted(settings.expiry.reminder_windows_days):
        points = expiring_within(facts.lots, facts.as_of, days)
        if points <= 0:
            continue
        first = min(lot.expires_on for lot in facts.lots if lot.remaining > 0 and lot.expires_on >= facts.as_of)
        budget = min(points, facts.available_balance)
        best = sorted(affordable(facts.catalogue, facts.tier, budget), key=lambda r: (-r.points_cost, r.code))[:EXPIRY_REWARDS]
        return Hint(
            HintKind.EXPIRING, f"{HintKind.EXPIRING.value}:{days}", _PRIORITY[HintKind.EXPIRING] - (days // 30 - 1) * 10,
            {"within_days": days, "points": points, "first_expires_on": first, "rewards": tuple(r.code for r in best),
             "reward_costs": tuple(r.points_cost for r in best)},
        )
    return None


def reach_by(as_of: date) -> date:
    """The last day of ``as_of``'s month: the day before the next monthly review."""
    return date.fromordinal(first_of_next_month(as_of).toordinal() - 1)


def _tier_hint(facts: MemberFacts, settings: RuleSettings) -> Hint | None:
    """The next tier when the points it still needs by the end of the month (earnings leaving the
    rolling window by then no longer count) are within ``TIER_REACH_PERCENT`` of its threshold."""
    if facts.tier.rank + 1 >= len(TIER_ORDER):
        return None
    target = TIER_ORDER[facts.tier.rank + 1]
    by = reach_by(facts.as_of)
    window = settings.tiers.qualifying_window_months
    counted = qualifying_points([(d, p) for d, p in facts.qualifying_earnings if d <= facts.as_of], by, window)
    goal = threshold(target, settings)
    needed = goal - counted
    if needed <= 0 or needed * 100 > goal * TIER_REACH_PERCENT:
        return None
    return Hint(
        HintKind.TIER_REACH, f"{HintKind.TIER_REACH.value}:{target.value}", _PRIORITY[HintKind.TIER_REACH],
        {"tier": target.value, "points_needed": needed, "by": by, "threshold": goal, "qualifying_points": counted},
    )


def _popular_hints(facts: MemberFacts, *, exclude: set[str]) -> list[Hint]:
    """The rewards the member's tier redeems most that the member can afford now."""
    candidates = [r for r in affordable(facts.catalogue, facts.tier, facts.available_balance) if r.tier_redemptions > 0 and r.code not in exclude]
    best = sorted(candidates, key=lambda r: (-r.tier_redemptions, r.code))[:POPULAR_REWARDS]
    return [
        Hint(
            HintKind.POPULAR_REWARD, f"{HintKind.POPULAR_REWARD.value}:{r.code}", _PRIORITY[HintKind.POPULAR_REWARD] - i,
            {"reward": r.code, "points_cost": r.points_cost, "tier": facts.tier.value, "tier_redemptions": r.tier_redemptions,
             "window_days": POPULAR_WINDOW_DAYS},
        )
        for i, r in enumerate(best)
    ]


def _dormant_hint(facts: MemberFacts) -> Hint | None:
    if add_months(facts.last_activity_on, DORMANT_AFTER_MONTHS) > facts.as_of:
        return None
    months = (facts.as_of.year - facts.last_activity_on.year) * 12 + facts.as_of.month - facts.last_activity_on.month
    if facts.as_of.day < facts.last_activity_on.day:
        months -= 1
    return Hint(
        HintKind.DORMANT, HintKind.DORMANT.value, _PRIORITY[HintKind.DORMANT],
        {"last_activity_on": facts.last_activity_on, "months_inactive": months, "dormant_after_months": DORMANT_AFTER_MONTHS},
    )


def _referrer_hint(facts: MemberFacts, settings: RuleSettings) -> Hint | None:
    cap = settings.referrals.yearly_cap
    if not facts.has_referral_code or facts.successful_referrals < GOOD_REFERRER_MIN or facts.referrals_this_year >= cap:
        return None
    return Hint(
        HintKind.REFER_AGAIN, HintKind.REFER_AGAIN.value, _PRIORITY[HintKind.REFER_AGAIN],
        {"successful_referrals": facts.successful_referrals, "referrals_this_year": facts.referrals_this_year, "yearly_cap": cap,
         "referrer_points": settings.referrals.referrer_points},
    )


def check_response(kind: Any, key: Any, response: Any) -> tuple[HintKind, str, HintResponse]:
    """An officer's response to a hint, as the recording operation takes it; each refusal names its field."""
    try:
        hint_kind = HintKind(str(kind))
    except ValueError:
        raise ValidationError("hint.kind", field="kind", value=kind) from None
    text = str(key or "")
    if not (text == hint_kind.value or text.startswith(f"{hint_kind.value}:")) or len(text) > HINT_KEY_MAX:
        raise ValidationError("hint.key", field="hint_key", value=text[:HINT_KEY_MAX], kind=hint_kind.value)
    try:
        answer = HintResponse(str(response))
    except ValueError:
        raise ValidationError("hint.response", field="response", value=response, allowed=", ".join(r.value for r in HintResponse)) from None
    return hint_kind, text, answer


def facts_as_json(facts: Mapping[str, Any]) -> dict[str, Any]:
    """A hint's facts as JSON primitives (dates as ISO text, tuples as lists), for an operation's payload."""
    out: dict[str, Any] = {}
    for name, value in facts.items():
        if isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out
