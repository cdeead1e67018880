"""Tier benefits as entitlements: each tier's privileges (an airport-lounge visit, a car wash, ...) are
defined in the rule settings (``TierSettings.benefits``) as so many a calendar year; the counter uses one
without points (the operation ``benefit.use``), and the member view says how many are left
("2 of 4 left this year"). A member takes the entitlements of the tier they hold at the time of use;
an active member only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import RuleSettings, Tier

BENEFIT_KEY_MAX = 32


@dataclass(frozen=True)
class Entitlement:
    benefit: str
    allowed: int  # a calendar year
    used: int

    @property
    def left(self) -> int:
        return max(0, self.allowed - self.used)


def entitlements_of(tier: Tier | str, settings: RuleSettings) -> dict[str, int]:
    """The benefits of ``tier`` and how many a year, in the order the settings list them."""
    chosen = Tier(tier)
    return {b.benefit: b.per_year for b in settings.tiers.benefits if b.tier == chosen and b.per_year > 0}


def benefit_keys(settings: RuleSettings) -> tuple[str, ...]:
    """Every benefit any tier has, in the order the settings first name them."""
    return tuple(dict.fromkeys(b.benefit for b in settings.tiers.benefits))


def entitlements(tier: Tier | str, used: Mapping[str, int], settings: RuleSettings) -> list[Entitlement]:
    return [Entitlement(benefit, allowed, int(used.get(benefit, 0))) for benefit, allowed in entitlements_of(tier, settings).items()]


def check_benefit_key(value: Any, settings: RuleSettings) -> str:
    """A benefit the programme defines (``benefit.unknown`` naming the known ones otherwise)."""
    key = str(value or "").strip().lower()
    known = benefit_keys(settings)
    if not key:
        raise ValidationError("identity.required", field="benefit")
    if key not in known:
        raise ValidationError("benefit.unknown", field="benefit", value=key[:BENEFIT_KEY_MAX], allowed=", ".join(known))
    return key


def check_use(*, benefit: str, tier: Tier | str, status: str, used: int, settings: RuleSettings, year: int) -> Entitlement:
    """The entitlement one more use takes from; refused for a member who is not active, a benefit the
    member's tier does not have (``benefit.not_in_tier``) and one used up this year (``benefit.used_up``)."""
    if status != "active":
        raise DomainError("benefit.member_inactive", status=status)
    allowed = entitlements_of(tier, settings).get(benefit)
    if allowed is None:
        raise ValidationError("benefit.not_in_tier", field="benefit", benefit=benefit, tier=str(Tier(tier).value))
    if used >= allowed:
        raise DomainError("benefit.used_up", benefit=benefit, allowed=allowed, used=used, year=year)
    return Entitlement(benefit, allowed, used)
