"""Campaign administration: the rules of a campaign's fields, its life and who may decide on it.

A campaign is drafted, edited while a draft, submitted, then approved or rejected by a second person
with the campaign permission (never the maker); an approved campaign earns in its window until its
budget is spent, its end date passes or someone stops it early with a reason. Rejection sends it back
to draft with the note. The stored status is one of ``StoredStatus``; what a person sees
(``shown_status``) adds scheduled, running, ended and exhausted, derived from the dates and the budget,
so a campaign stops by itself with nothing to run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.fields import FieldErrors, InvalidFields
from loyalty_desk.domain.rules import Source, Tier

NAME_MAX = 100
NOTE_MIN = 10
NOTE_MAX = 500
MULTIPLIER_MIN = Decimal("1.01")
MULTIPLIER_MAX = Decimal("5")
BONUS_MAX = 100_000
BUDGET_MAX = 10**12
WITHIN_DAYS_MAX = 365  # a card-journey campaign's N days
TARGET_CNY_MAX = 10_000_000  # a spend-target campaign's X CNY
LONGEST_DAYS = 366
# Sources a campaign may name: those the earning engine multiplies or rewards through ``_multiplied_awards``.
CAMPAIGN_SOURCES = (
    Source.CARD_SPEND, Source.FINANCING, Source.REPAYMENT, Source.PROFILE_COMPLETED, Source.BRANCH_EVENT, Source.SURVEY,
)


class CampaignKind(StrEnum):
    MULTIPLIER = "multiplier"  # the transaction's points times the multiplier (the extra over the tier's)
    BONUS = "bonus"  # fixed points on each eligible transaction
    # Card-journey tasks (rules.md "card journey"): fixed points once per member, on one step of a new card.
    CARD_APPROVED = "card_approved"  # the card approved within N days of its application
    FIRST_TRANSACTION = "first_transaction"  # the member's first card transaction after approval
    SPEND_TARGET = "spend_target"  # card spend since approval reaching X CNY within N days of approval


# The transaction each card-journey kind rewards: its only source.
JOURNEY_SOURCES = {
    CampaignKind.CARD_APPROVED: Source.CARD_APPROVED,
    CampaignKind.FIRST_TRANSACTION: Source.CARD_SPEND,
    CampaignKind.SPEND_TARGET: Source.CARD_SPEND,
}
# The kinds with N days (``within_days``), and with X CNY (``target_cny``).
DAYS_KINDS = (CampaignKind.CARD_APPROVED, CampaignKind.SPEND_TARGET)


class Stacking(StrEnum):
    BEST = "best"  # competes with the tier and the other "best" campaigns: only the best applies (rules.md)
    COMBINE = "combine"  # its extra is added on top of whatever else applies


class StoredStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    STOPPED = "stopped"


class ShownStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCHEDULED = "scheduled"  # approved, window not begun
    RUNNING = "running"
    STOPPED = "stopped"
    ENDED = "ended"
    EXHAUSTED = "exhausted"


def shown_status(status: str, starts_on: date, ends_on: date, budget: int, spent: int, today: date) -> ShownStatus:
    if status != StoredStatus.APPROVED:
        return ShownStatus(status)
    if spent >= budget:
        return ShownStatus.EXHAUSTED
    if today > ends_on:
        return ShownStatus.ENDED
    if today < starts_on:
        return ShownStatus.SCHEDULED
    return ShownStatus.RUNNING


@dataclass(frozen=True)
class CampaignDraft:
    """A campaign's fields, checked (``check_draft``)."""

    name_zh: str
    name_en: str
    kind: CampaignKind
    multiplier: Decimal  # 1 for a bonus
    bonus_points: int  # 0 for a multiplier
    sources: tuple[Source, ...]
    tiers: tuple[Tier, ...]
    branches: tuple[str, ...]  # empty: every branch
    starts_on: date
    ends_on: date
    budget_points: int
    member_cap: int | None
    stacking: Stacking
    within_days: int | None = None  # card approved within N days of application; spend target within N days of approval
    target_cny: int | None = None  # the spend target's X CNY
    segment: str | None = None  # only this segment's members earn from it (domain/segments.py)

    def as_payload(self) -> dict[str, Any]:
        return {
            "name_zh": self.name_zh, "name_en": self.name_en, "kind": self.kind.value, "multiplier": str(self.multiplier),
            "bonus_points": self.bonus_points, "sources": [s.value for s in self.sources], "tiers": [t.value for t in self.tiers],
            "branches": list(self.branches), "starts_on": self.starts_on.isoformat(), "ends_on": self.ends_on.isoformat(),
            "budget_points": self.budget_points, "member_cap": self.member_cap, "stacking": self.stacking.value,
            "within_days": self.within_days, "target_cny": self.target_cny,
            "segment": self.segment,
        }


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any, field: str) -> date | ValidationError:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return ValidationError("campaign.date", field=field, value=_text(value))


def _whole(value: Any, field: str, *, minimum: int, maximum: int, code: str, not_number: str = "campaign.number") -> int | ValidationError:
    if isinstance(value, bool):
        return ValidationError(not_number, field=field, value=str(value))
    try:
        number = int(_text(value).replace(",", "")) if not isinstance(value, int) else value
    except ValueError:
        return ValidationError(not_number, field=field, value=_text(value))
    if not minimum <= number <= maximum:
        return ValidationError(code, field=field, value=number, minimum=minimum, maximum=maximum)
    return number


def _choices(values: Any, kind: type[Any], field: str, allowed: Iterable[Any]) -> tuple[Any, ...] | ValidationError:
    items = [values] if isinstance(values, str) else list(values or ())
    found: list[Any] = []
    allowed_set = set(allowed)
    for item in items:
        try:
            value = kind(_text(item).lower())
        except ValueError:
            value = None
        if value is None or value not in allowed_set:
            return ValidationError("campaign.choice", field=field, value=_text(item), allowed=", ".join(str(a) for a in allowed))
        if value not in found:
            found.append(value)
    if not found:
        return ValidationError("campaign.none_chosen", field=field)
    return tuple(found)


def check_draft(
    fields: Mapping[str, Any], *, today: date, known_branches: Iterable[str] | None = None, known_segments: Iterable[str] | None = None,
) -> CampaignDraft:
    """Every field of a draft checked; raises ``CampaignInvalid`` with one ``ValidationError`` a bad field
    (``errors``), so a form marks each at its field. ``today``: a new window may not begin in the past."""
    errors = FieldErrors()
    keep = errors.keep
    names = errors.names(fields, required="campaign.name_required", too_long="campaign.name_long", maximum=NAME_MAX)
    kind = keep(_choices(fields.get("kind") or CampaignKind.MULTIPLIER.value, CampaignKind, "kind", list(CampaignKind)))
    kind = kind[0] if kind else None
    multiplier = Decimal(1)
    bonus = 0
    if kind is CampaignKind.MULTIPLIER:
        try:
            multiplier = Decimal(_text(fields.get("multiplier")))
            if not multiplier.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(ValidationError("campaign.multiplier", field="multiplier", value=_text(fields.get("multiplier")),
                                          minimum=str(MULTIPLIER_MIN), maximum=str(MULTIPLIER_MAX)))
        else:
            if not MULTIPLIER_MIN <= multiplier <= MULTIPLIER_MAX or multiplier != multiplier.quantize(Decimal("0.01")):
                errors.append(ValidationError("campaign.multiplier", field="multiplier", value=str(multiplier),
                                              minimum=str(MULTIPLIER_MIN), maximum=str(MULTIPLIER_MAX)))
            multiplier = multiplier.normalize()
    elif kind is CampaignKind.BONUS:
        bonus = keep(_whole(fields.get("bonus_points"), "bonus_points", minimum=1, maximum=BONUS_MAX, code="campaign.bonus_range")) or 0
    within_days: int | None = None
    target_cny: int | None = None
    if kind in JOURNEY_SOURCES:
        bonus = keep(_whole(fields.get("bonus_points"), "bonus_points", minimum=1, maximum=BONUS_MAX, code="campaign.bonus_range")) or 0
        if kind in DAYS_KINDS:
            within_days = keep(_whole(fields.get("within_days"), "within_days", minimum=1, maximum=WITHIN_DAYS_MAX,
                                      code="campaign.within_days_range", not_number="campaign.whole_number"))
        if kind is CampaignKind.SPEND_TARGET:
            target_cny = keep(_whole(fields.get("target_cny"), "target_cny", minimum=1, maximum=TARGET_CNY_MAX, code="campaign.target_range",
                                     not_number="campaign.whole_number"))
        sources: tuple[Source, ...] = (JOURNEY_SOURCES[kind],)  # the step's own transaction, whatever the form sent
    else:
        sources = keep(_choices(fields.get("sources"), Source, "sources", CAMPAIGN_SOURCES)) or ()
    tiers = keep(_choices(fields.get("tiers"), Tier, "tiers", list(Tier))) or ()
    branches = tuple(dict.fromkeys(_text(b).upper() for b in (fields.get("branches") or ()) if _text(b)))
    if known_branches is not None:
        known = set(known_branches)
        for code in branches:
            if code not in known:
                errors.append(ValidationError("campaign.branch_unknown", field="branches", value=code))
                break
    starts_on = keep(_date(fields.get("starts_on"), "starts_on"))
    ends_on = keep(_date(fields.get("ends_on"), "ends_on"))
    if isinstance(starts_on, date) and starts_on < today:
        errors.append(ValidationError("campaign.starts_in_past", field="starts_on", starts_on=starts_on.isoformat(), today=today.isoformat()))
    if isinstance(starts_on, date) and isinstance(ends_on, date):
        if ends_on < starts_on:
            errors.append(ValidationError("campaign.dates_order", field="ends_on", starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat()))
        elif (ends_on - starts_on).days + 1 > LONGEST_DAYS:
            errors.append(ValidationError("campaign.too_long", field="ends_on", maximum=LONGEST_DAYS, actual=(ends_on - starts_on).days + 1))
    budget = keep(_whole(fields.get("budget_points"), "budget_points", minimum=1, maximum=BUDGET_MAX, code="campaign.budget_range"))
    cap: int | None = None
    raw_cap = fields.get("member_cap")
    if raw_cap not in (None, "", 0, "0"):
        cap = keep(_whole(raw_cap, "member_cap", minimum=1, maximum=BUDGET_MAX, code="campaign.cap_range"))
        if cap is not None and budget is not None and cap > budget:
            errors.append(ValidationError("campaign.cap_over_budget", field="member_cap", cap=cap, budget=budget))
    stacking = keep(_choices(fields.get("stacking") or Stacking.BEST.value, Stacking, "stacking", list(Stacking)))
    segment = _text(fields.get("segment")).upper() or None
    if segment is not None and known_segments is not None and segment not in set(known_segments):
        errors.append(ValidationError("campaign.segment_unknown", field="segment", value=segment))
    if errors:
        raise CampaignInvalid(errors)
    assert isinstance(kind, CampaignKind) and isinstance(starts_on, date) and isinstance(ends_on, date) and isinstance(budget, int)
    return CampaignDraft(
        name_zh=names["name_zh"], name_en=names["name_en"], kind=kind, multiplier=multiplier, bonus_points=bonus, sources=sources, tiers=tiers,
        branches=branches, starts_on=starts_on, ends_on=ends_on, budget_points=budget, member_cap=cap, stacking=stacking[0],
        within_days=within_days, target_cny=target_cny,
        segment=segment,
    )


class CampaignInvalid(InvalidFields):
    """Several fields of a campaign refused at once."""


def check_note(note: Any, *, field: str = "note") -> str:
    text = _text(note)
    if len(text) < NOTE_MIN:
        raise ValidationError("campaign.note_short", field=field, minimum=NOTE_MIN, actual=len(text))
    if len(text) > NOTE_MAX:
        raise ValidationError("campaign.note_long", field=field, maximum=NOTE_MAX, actual=len(text))
    return text


def check_status(code: str, status: str, *allowed: StoredStatus) -> None:
    if status not in {a.value for a in allowed}:
        raise DomainError("campaign.wrong_status", campaign=code, status=status, allowed=", ".join(a.value for a in allowed))


def check_decider(code: str, maker: str | None, decider: str) -> None:
    """Four eyes: whoever drafted or submitted the campaign may not approve or reject it."""
    if maker is not None and maker == decider:
        raise DomainError("campaign.maker_cannot_decide", campaign=code, maker=maker)


# --------------------------------------------------------------------- the cost forecast


@dataclass(frozen=True)
class ReplayRate:
    """How an earn entry of ``rule`` had its base points, in whole numbers so a database computes them
    exactly: base = units × num / den, where units are the amount in fen (``on_amount``) or ``points``."""

    rule: str
    on_amount: bool
    points: int
    num: int
    den: int
    tier_multiplied: bool


def _ratio(value: Any) -> tuple[int, int]:
    return Decimal(str(value)).as_integer_ratio()


def replay_rates(settings: Any, sources: Iterable[Source]) -> list[ReplayRate]:
    """The earn rules a campaign on ``sources`` adds to, with the base the earning engine multiplies
    (``domain.earning``: card spend per CNY, financing per 100 CNY and the high-margin factor, the flat
    rules' points). ``settings``: ``RuleSettings``."""
    rules = settings.earning
    wanted = set(sources)
    ppc_n, ppc_d = _ratio(rules.card_points_per_cny)
    cpp_n, cpp_d = _ratio(rules.financing_cny_per_point)
    hm_n, hm_d = _ratio(rules.financing_high_margin_multiplier)
    rates: list[ReplayRate] = []
    if Source.CARD_SPEND in wanted:
        rates.append(ReplayRate("card_spend", True, 0, ppc_n, 100 * ppc_d, True))
    if Source.FINANCING in wanted:
        rates.append(ReplayRate("financing", True, 0, cpp_d, 100 * cpp_n, True))
        rates.append(ReplayRate("financing_high_margin", True, 0, cpp_d * hm_n, 100 * cpp_n * hm_d, True))
    flat = {
        Source.REPAYMENT: ("repayment", rules.repayment_points), Source.PROFILE_COMPLETED: ("profile_completed", rules.profile_completed_points),
        Source.BRANCH_EVENT: ("branch_event", rules.branch_event_points), Source.SURVEY: ("survey", rules.survey_points),
    }
    for source, (rule, points) in flat.items():
        if source in wanted:
            rates.append(ReplayRate(rule, False, int(points), 1, 1, False))
    return rates


def multiplier_ratio(value: Any) -> tuple[int, int]:
    return _ratio(value)


def replay_window(starts_on: date, ends_on: date, today: date) -> tuple[date, date, int] | None:
    """The campaign's calendar days a whole number of years earlier, ending on or before ``today``, cut to
    the last 12 months: (from, to, years back), or None when nothing of it falls in them."""
    years = 1
    while _years_back(ends_on, years) > today:
        years += 1
    replay_from = max(_years_back(starts_on, years), _years_back(today, 1) + _ONE_DAY)
    replay_to = _years_back(ends_on, years)
    if replay_to < replay_from:
        return None
    return replay_from, replay_to, years


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _years_back(day: date, years: int) -> date:
    return years_later(day, -years)


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


@dataclass(frozen=True)
class ReplayDay:
    day: date
    points: int  # extra points awarded that day (per-member cap applied)
    transactions: int
    first_members: int  # members whose first award from the campaign falls on that day


@dataclass(frozen=True)
class ReplayTotals:
    points: int
    points_without_budget: int
    transactions: int
    members: int
    exhausted_on: date | None  # the replayed day the budget ran out


def total_with_budget(days: Iterable[ReplayDay], budget: int) -> ReplayTotals:
    """Walks the replayed days in order: the budget caps the points, and the day it runs out ends the
    campaign (the members and transactions counted up to that day)."""
    points = transactions = members = 0
    unlimited = 0
    exhausted: date | None = None
    for item in sorted(days, key=lambda d: d.day):
        unlimited += item.points
        if exhausted is not None:
            continue
        transactions += item.transactions
        members += item.first_members
        if points + item.points >= budget:
            points = budget
            exhausted = item.day
        else:
            points += item.points
    return ReplayTotals(points, unlimited, transactions, members, exhausted)
