"""The programme's rule settings with their defaults from ``rules.md``.

Every number of the programme lives here as data. The store keeps one JSON
document per section (``RuleSettings.to_dict``) so an administrator can change
it and central can sync it; code reads numbers only from a ``RuleSettings``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum
from typing import Any


class Tier(StrEnum):
    STANDARD = "standard"
    SILVER = "silver"
    GOLD = "gold"
    PLATINUM = "platinum"

    @property
    def rank(self) -> int:
        return TIER_ORDER.index(self)


TIER_ORDER: tuple[Tier, ...] = (Tier.STANDARD, Tier.SILVER, Tier.GOLD, Tier.PLATINUM)


class Source(StrEnum):
    """Where earned points come from (the ``source`` column of transaction files)."""

    CARD_SPEND = "card_spend"
    CARD_REFUND = "card_refund"
    FINANCING = "financing"
    REPAYMENT = "repayment"
    PROFILE_COMPLETED = "profile_completed"
    BRANCH_EVENT = "branch_event"
    SURVEY = "survey"
    CARD_APPROVED = "card_approved"


@dataclass(frozen=True)
class TierRule:
    tier: Tier
    qualifying_points: int
    monthly_redemption_cap: int
    earn_multiplier: str  # decimal as text, e.g. "1.25": exact, JSON-safe


@dataclass(frozen=True)
class TierBenefit:
    """A privilege a tier's members take at the counter without points, so many times a calendar year
    (``domain/benefits.py``)."""

    tier: Tier
    benefit: str  # a key: airport_lounge, car_wash, ...
    per_year: int


@dataclass(frozen=True)
class TierSettings:
    rules: tuple[TierRule, ...] = (
        TierRule(Tier.STANDARD, 0, 30_000, "1.0"),
        TierRule(Tier.SILVER, 20_000, 80_000, "1.1"),
        TierRule(Tier.GOLD, 80_000, 200_000, "1.25"),
        TierRule(Tier.PLATINUM, 300_000, 600_000, "1.5"),
    )
    qualifying_window_months: int = 12
    downgrade_protection_months: int = 12
    # Downgrade grace: the first review that would downgrade warns instead; the next one downgrades
    # if the member is still below. rules.md says nothing of it; on by default.
    downgrade_warning: bool = True
    # Each tier's privileges as entitlements (rules.md leaves their number to the programme): used at the
    # counter as the operation benefit.use, counted per calendar year.
    benefits: tuple[TierBenefit, ...] = (
        TierBenefit(Tier.SILVER, "car_wash", 4),
        TierBenefit(Tier.GOLD, "airport_lounge", 4),
        TierBenefit(Tier.GOLD, "car_wash", 6),
        TierBenefit(Tier.PLATINUM, "airport_lounge", 12),
        TierBenefit(Tier.PLATINUM, "car_wash", 12),
        TierBenefit(Tier.PLATINUM, "airport_fast_track", 6),
    )

    def rule(self, tier: Tier) -> TierRule:
        for rule in self.rules:
            if rule.tier == tier:
                return rule
        raise KeyError(tier)


@dataclass(frozen=True)
class EarningSettings:
    card_points_per_cny: int = 1
    financing_minimum_cny: int = 100_000
    financing_cny_per_point: int = 100
    financing_high_margin_multiplier: str = "1.5"
    high_margin_products: tuple[str, ...] = ("FIN-HM", "FIN-STRUCT")  # product codes earning the high-margin factor
    repayment_points: int = 200
    profile_completed_points: int = 500
    branch_event_points: int = 1_000
    survey_points: int = 200
    survey_max_per_year: int = 4
    card_first_transaction_points: int = 1_000
    card_spend_target_cny: int = 3_000
    card_spend_target_days: int = 65
    card_spend_target_points: int = 3_000
    card_approval_service_days: int = 20
    point_value_cny_per_100_points: int = 1


@dataclass(frozen=True)
class ExpirySettings:
    lot_lifetime_months: int = 24
    reminder_windows_days: tuple[int, ...] = (30, 60, 90)


@dataclass(frozen=True)
class RedemptionSettings:
    max_redemptions_per_window: int = 3
    window_hours: int = 24
    offline_daily_limit_points: int = 20_000
    reversal_window_days: int = 30


@dataclass(frozen=True)
class AdjustmentSettings:
    memo_min_length: int = 10
    goodwill_max_points: int = 5_000
    dual_approval_threshold: int = 50_000
    request_lifetime_hours: int = 72


@dataclass(frozen=True)
class ReferralSettings:
    qualification_days: int = 90
    financing_minimum_cny: int = 100_000
    card_spend_minimum_cny: int = 500
    referee_points: int = 2_000
    referrer_points: int = 5_000
    referrer_financing_points: int = 10_000
    second_level_points: int = 500
    pending_days: int = 30
    yearly_cap: int = 20
    daily_flag_threshold: int = 5


@dataclass(frozen=True)
class SecuritySettings:
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5


@dataclass(frozen=True)
class LookupSettings:
    max_results: int = 50


@dataclass(frozen=True)
class RuleSettings:
    tiers: TierSettings = field(default_factory=TierSettings)
    earning: EarningSettings = field(default_factory=EarningSettings)
    expiry: ExpirySettings = field(default_factory=ExpirySettings)
    redemption: RedemptionSettings = field(default_factory=RedemptionSettings)
    adjustments: AdjustmentSettings = field(default_factory=AdjustmentSettings)
    referrals: ReferralSettings = field(default_factory=ReferralSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    lookup: LookupSettings = field(default_factory=LookupSettings)

    SECTIONS = ("tiers", "earning", "expiry", "redemption", "adjustments", "referrals", "security", "lookup")

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Sections as JSON-ready dicts (the store keeps one row per section)."""
        return {name: _jsonable(asdict(getattr(self, name))) for name in self.SECTIONS}

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, Any]]) -> RuleSettings:
        """Builds settings from stored sections; a missing section or key keeps its default."""
        settings = cls()
        for name in cls.SECTIONS:
            if name not in data:
                continue
            current = getattr(settings, name)
            known = {f.name for f in fields(current)}
            values = {k: v for k, v in data[name].items() if k in known}
            if name == "tiers" and "rules" in values:
                values["rules"] = tuple(
                    TierRule(Tier(r["tier"]), int(r["qualifying_points"]), int(r["monthly_redemption_cap"]), str(r["earn_multiplier"]))
                    for r in values["rules"]
                )
            if name == "tiers" and "benefits" in values:
                values["benefits"] = tuple(TierBenefit(Tier(b["tier"]), str(b["benefit"]), int(b["per_year"])) for b in values["benefits"])
            for key, value in list(values.items()):
                if isinstance(value, list):
                    values[key] = tuple(value)
            settings = replace(settings, **{name: replace(current, **values)})
        return settings


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


DEFAULT_RULES = RuleSettings()
