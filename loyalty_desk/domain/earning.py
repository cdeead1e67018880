"""Earning: validating transaction-feed rows and computing the points they earn.

Points are computed with ``Decimal`` and rounded down to whole points once, at
the end. Multipliers do not stack: the best of the tier multiplier and the
eligible campaigns' multipliers applies; the high-margin product factor is a
property of the product and does multiply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.identity import validate_member_no
from loyalty_desk.domain.rules import RuleSettings, Source, Tier
from loyalty_desk.domain.tiers import earn_multiplier

ONE = Decimal(1)
AMOUNT_DECIMALS = 2
AMOUNT_DIGITS = 12  # before the point: up to 999,999,999,999.99 CNY in one transaction
# The one text form of an amount: ASCII digits, an optional point and up to two decimals. No
# thousands separators (quoted or not), signs, spaces, currency symbols, exponents or full-width
# digits: any of them is refused, never guessed at. A leading "-" is read only to say "negative".
AMOUNT_TEXT = re.compile(rf"(-?)([0-9]{{1,{AMOUNT_DIGITS}}}(?:\.[0-9]{{1,{AMOUNT_DECIMALS}}})?)")
AMOUNT_LIMIT = Decimal(10) ** AMOUNT_DIGITS

# Sources whose ``amount`` column is required (the points depend on it).
AMOUNT_SOURCES = frozenset({Source.CARD_SPEND, Source.CARD_REFUND, Source.FINANCING})
# Sources on which the tier multiplier applies (rules.md: card spend and financing).
TIER_MULTIPLIED_SOURCES = frozenset({Source.CARD_SPEND, Source.FINANCING})

REQUIRED_COLUMNS = ("txn_id", "member_no", "date", "source")
OPTIONAL_COLUMNS = ("amount", "product", "due_date", "original_txn_id", "applied_on")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Campaign kinds that reward one step of a new card once per member (``domain.campaigns.JOURNEY_SOURCES``).
JOURNEY_KINDS = frozenset({"card_approved", "first_transaction", "spend_target"})
JOURNEY_RULES = frozenset(f"campaign_{kind}" for kind in JOURNEY_KINDS)


@dataclass(frozen=True)
class EarningTxn:
    txn_id: str
    member_no: str
    occurred_on: date
    source: Source
    amount: Decimal
    product: str
    due_date: date | None = None  # repayment: the instalment's due date
    original_txn_id: str | None = None  # card_refund: the refunded purchase
    applied_on: date | None = None  # card_approved: the day the card was applied for (the card journey's approval time)


# --------------------------------------------------------------------- row validation


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _parse_date(value: Any, field: str) -> tuple[date | None, ValidationError | None]:
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    else:
        text = _text(value)
        if not _ISO_DATE.match(text):
            return None, ValidationError("import.date_format", field=field, value=text, expected="YYYY-MM-DD")
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            return None, ValidationError("import.date_format", field=field, value=text, expected="YYYY-MM-DD")
    return parsed, None


def _parse_amount(value: Any, field: str) -> tuple[Decimal | None, ValidationError | None]:
    bad = ValidationError("import.amount_format", field=field, value=_text(value), decimals=AMOUNT_DECIMALS, digits=AMOUNT_DIGITS)
    if isinstance(value, bool):
        return None, bad
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))  # a spreadsheet's number: the shortest text that round-trips, not the binary expansion
    else:
        found = AMOUNT_TEXT.fullmatch(_text(value))
        if found is None:
            return None, bad
        amount = Decimal(found.group(2))
        if found.group(1) and amount != 0:
            return None, ValidationError("import.amount_negative", field=field, value=_text(value))
    if not amount.is_finite() or abs(amount) >= AMOUNT_LIMIT:
        return None, bad
    if amount != amount.quantize(Decimal(1).scaleb(-AMOUNT_DECIMALS), rounding=ROUND_FLOOR):
        return None, bad
    if amount < 0:
        return None, ValidationError("import.amount_negative", field=field, value=_text(value))
    return amount, None


def check_transaction_row(
    row: Mapping[str, Any], settings: RuleSettings | None = None, *, today: date | None = None
) -> tuple[EarningTxn | None, list[ValidationError]]:
    """Parses one feed row, collecting every bad field (``field`` = the column name).

    Returns the transaction and no errors, or ``None`` and all the errors. ``today``
    (default: the system date) refuses dates in the future. ``settings`` is accepted
    for symmetry with the other rules; no setting bounds the row format today.
    """
    del settings
    today = today or date.today()
    errors: list[ValidationError] = []

    def required(column: str) -> Any:
        value = row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(ValidationError("import.required", field=column))
            return None
        return value

    txn_id = required("txn_id")

    member_no: str | None = None
    if (raw_member := required("member_no")) is not None:
        try:
            member_no = validate_member_no(_text(raw_member), field="member_no")
        except ValidationError as refused:
            errors.append(refused)

    occurred_on: date | None = None
    if (raw_date := required("date")) is not None:
        occurred_on, error = _parse_date(raw_date, "date")
        if error:
            errors.append(error)
        elif occurred_on is not None and occurred_on > today:
            errors.append(ValidationError("import.date_future", field="date", value=occurred_on.isoformat()))
            occurred_on = None

    source: Source | None = None
    if (raw_source := required("source")) is not None:
        try:
            source = Source(_text(raw_source).lower())
        except ValueError:
            errors.append(
                ValidationError(
                    "import.unknown_source",
                    field="source",
                    value=_text(raw_source),
                    allowed=", ".join(s.value for s in Source),
                )
            )

    amount: Decimal | None = Decimal(0)
    raw_amount = row.get("amount")
    if raw_amount is None or (isinstance(raw_amount, str) and not raw_amount.strip()):
        if source in AMOUNT_SOURCES:
            errors.append(ValidationError("import.required", field="amount"))
            amount = None
    else:
        amount, error = _parse_amount(raw_amount, "amount")
        if error:
            errors.append(error)

    due_date: date | None = None
    raw_due = row.get("due_date")
    if raw_due is None or (isinstance(raw_due, str) and not raw_due.strip()):
        if source is Source.REPAYMENT:
            errors.append(ValidationError("import.due_date_required", field="due_date"))
    else:
        due_date, error = _parse_date(raw_due, "due_date")
        if error:
            errors.append(error)

    original_txn_id = _text(row.get("original_txn_id")) or None

    applied_on: date | None = None
    raw_applied = row.get("applied_on")
    if raw_applied is not None and not (isinstance(raw_applied, str) and not raw_applied.strip()):
        applied_on, error = _parse_date(raw_applied, "applied_on")
        if error:
            errors.append(error)
        elif source is not None and source is not Source.CARD_APPROVED:
            errors.append(ValidationError("import.applied_on_source", field="applied_on", source=source.value))
        elif applied_on is not None and occurred_on is not None and applied_on > occurred_on:
            errors.append(ValidationError("import.applied_after_approval", field="applied_on", value=applied_on.isoformat(),
                                          approved_on=occurred_on.isoformat()))

    if errors:
        return None, errors
    assert member_no is not None and occurred_on is not None and source is not None and amount is not None
    return (
        EarningTxn(
            txn_id=_text(txn_id),
            member_no=member_no,
            occurred_on=occurred_on,
            source=source,
            amount=amount,
            product=_text(row.get("product")),
            due_date=due_date,
            original_txn_id=original_txn_id,
            applied_on=applied_on,
        ),
        [],
    )


def parse_transaction_row(
    row: Mapping[str, Any], settings: RuleSettings | None = None, *, today: date | None = None
) -> EarningTxn:
    """Like ``check_transaction_row`` but raises the first ``ValidationError`` of a bad row."""
    txn, errors = check_transaction_row(row, settings, today=today)
    if errors:
        raise errors[0]
    assert txn is not None
    return txn


# --------------------------------------------------------------------- computing points


@dataclass(frozen=True)
class Campaign:
    code: str
    name_zh: str
    name_en: str
    starts_on: date  # inclusive
    ends_on: date  # inclusive
    sources: frozenset[Source]  # eligible sources (empty: none)
    tiers: frozenset[Tier]  # eligible tiers (empty: none)
    multiplier: Decimal
    budget_points: int  # extra points the campaign may give in total
    spent_points: int
    kind: str = "multiplier"  # domain.campaigns.CampaignKind
    bonus_points: int = 0
    branches: frozenset[str] = frozenset()  # the members' home branch codes; empty: every branch
    member_cap: int | None = None  # extra points one member may get from it in total
    member_spent: int = 0  # what it has given this member so far
    stacking: str = "best"  # domain.campaigns.Stacking
    within_days: int | None = None  # card-journey kinds: N days (domain.campaigns.CampaignDraft)
    target_cny: Decimal | None = None  # spend target: X CNY

    @property
    def remaining_budget(self) -> int:
        left = max(self.budget_points - self.spent_points, 0)
        if self.member_cap is not None:
            left = min(left, max(self.member_cap - self.member_spent, 0))
        return left

    def applies_to(self, txn: EarningTxn, tier: Tier, branch_code: str | None = None) -> bool:
        return (
            self.starts_on <= txn.occurred_on <= self.ends_on
            and txn.source in self.sources
            and tier in self.tiers
            and (not self.branches or branch_code in self.branches)
            and self.remaining_budget > 0
        )

    def journey_step_reached(self, txn: EarningTxn, ctx: EarningContext) -> bool:
        """A card-journey campaign's step done by ``txn`` (its window, tiers and budget apart); once per member."""
        if self.member_spent > 0:
            return False
        if self.kind == "card_approved":
            # The member's first approval, within N days of the application it carries.
            return (ctx.card_approved_on is None and txn.source is Source.CARD_APPROVED and txn.applied_on is not None
                    and 0 <= (txn.occurred_on - txn.applied_on).days <= (self.within_days or 0))
        if txn.source is not Source.CARD_SPEND or ctx.card_approved_on is None or txn.occurred_on < ctx.card_approved_on:
            return False
        if self.kind == "first_transaction":
            return ctx.card_spends_since_approval == 0
        if self.kind == "spend_target" and self.target_cny is not None and self.within_days is not None:
            before = spend_within(ctx.card_history, ctx.card_approved_on, self.within_days)
            return spend_target_reached(ctx.card_approved_on, before, txn, self.target_cny, self.within_days)
        return False

    def extra_points(self, base: Decimal, tier_points: int) -> int:
        """What it adds to an award of ``base`` points before multipliers (``tier_points`` after the
        tier's), before its budget caps it: a "best" multiplier its result over the tier's, a
        combinable multiplier its own extra over ×1, a bonus its points."""
        if self.kind == "bonus":
            return self.bonus_points
        if self.stacking == "combine":
            return floor_points(base * self.multiplier) - floor_points(base)
        return floor_points(base * self.multiplier) - tier_points


@dataclass(frozen=True)
class EarningContext:
    """What is known about the member when the transaction is posted (excluding this transaction)."""

    tier: Tier
    card_approved_on: date | None
    first_card_bonus_given: bool
    spend_target_bonus_given: bool
    card_spend_cny_since_approval: Decimal  # card spend before this transaction
    profile_bonus_given: bool
    surveys_in_year: int  # surveys already rewarded in the calendar year of the transaction
    original_purchase: tuple[int, Decimal] | None = None  # (points, amount) of the refunded purchase
    campaigns: tuple[Campaign, ...] = ()
    branch_code: str | None = None  # the member's home branch (a campaign may name branches)
    card_spends_since_approval: int = 0  # card spends posted on or after approval before this one
    # (source, date, amount) of the card spends and refunds posted on or after approval (spend-target campaigns)
    card_history: tuple[tuple[Source, date, Decimal], ...] = ()


def spend_within(history: Any, approved_on: date, days: int) -> Decimal:
    """Card spend less refunds from the approval day to ``days`` after it (rules.md "card journey")."""
    end = approved_on + timedelta(days=days)
    total = Decimal(0)
    for source, on, amount in history:
        if approved_on <= on <= end:
            total += -amount if source is Source.CARD_REFUND else amount
    return total


def spend_target_reached(approved_on: date, spend_before: Decimal, txn: EarningTxn, target_cny: Decimal | int, days: int) -> bool:
    """Whether ``txn`` brings the card spend since approval to ``target_cny`` within ``days`` of approval:
    the programme's spend-target rule and the spend-target campaigns'. Day 0 is the approval day; a
    purchase on day ``days`` still counts."""
    days_since_approval = (txn.occurred_on - approved_on).days
    return 0 <= days_since_approval <= days and spend_before + txn.amount >= target_cny


@dataclass(frozen=True)
class Award:
    key: str  # makes the ledger entry id unique per transaction: "base", "first_card", "spend_target"
    rule: str  # "card_spend", "financing", "financing_high_margin", "repayment", ...
    points: int  # negative for a refund clawback
    qualifying: bool
    multiplier: Decimal
    campaign_code: str | None = None
    campaign_extra_points: int = 0
    tier_multiplier: Decimal = field(default=ONE, compare=False)  # what applies when the campaign's budget grants nothing after all


@dataclass(frozen=True)
class EarningOutcome:
    awards: tuple[Award, ...]
    skipped_code: str | None = None

    @property
    def points(self) -> int:
        return sum(award.points for award in self.awards)


def stored_decimal(value: Any) -> Decimal:
    """A number as stored (an amount in a ledger entry's details, a campaign's multiplier); zero when
    it is missing or unreadable."""
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def floor_points(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _multiplied_awards(
    key: str, rule: str, base: Decimal, txn: EarningTxn, ctx: EarningContext, settings: RuleSettings
) -> list[Award]:
    """The award of ``base`` points: the best of the tier multiplier (if the source has one) and the
    eligible "best" multiplier campaigns; then, as awards of their own (key ``campaign:<code>``), the
    best "best" bonus campaign and every combinable campaign. A campaign's extra points are capped by
    what is left of its budget and of its per-member cap (the service claims them under a lock)."""
    tier_multiplier = earn_multiplier(ctx.tier, settings.tiers) if txn.source in TIER_MULTIPLIED_SOURCES else ONE
    tier_points = floor_points(base * tier_multiplier)
    best = Award(key, rule, tier_points, True, tier_multiplier)
    eligible = [c for c in ctx.campaigns if c.kind not in JOURNEY_KINDS and c.applies_to(txn, ctx.tier, ctx.branch_code)]
    for campaign in eligible:
        if campaign.kind != "multiplier" or campaign.stacking != "best" or campaign.multiplier <= tier_multiplier:
            continue
        extra = min(campaign.extra_points(base, tier_points), campaign.remaining_budget)
        if extra > 0 and tier_points + extra > best.points:
            best = Award(key, rule, tier_points + extra, True, campaign.multiplier, campaign.code, extra, tier_multiplier)
    awards = [best]
    best_bonus: Award | None = None
    for campaign in eligible:
        if campaign.kind == "multiplier" and campaign.stacking == "best":
            continue
        extra = min(campaign.extra_points(base, tier_points), campaign.remaining_budget)
        if extra <= 0:
            continue
        award = Award(f"campaign:{campaign.code}", f"campaign_{campaign.kind}", extra, True, ONE, campaign.code, extra)
        if campaign.stacking == "combine":
            awards.append(award)
        elif best_bonus is None or extra > best_bonus.points:
            best_bonus = award
    if best_bonus is not None:
        awards.append(best_bonus)
    return awards


def journey_awards(txn: EarningTxn, ctx: EarningContext) -> list[Award]:
    """The card-journey campaigns' points for the step ``txn`` does, each its own award (key
    ``campaign:<code>``): of each kind, every combinable campaign and the best "best" one. Capped by
    what is left of the budget and the per-member cap (the service claims them under a lock)."""
    awards: list[Award] = []
    best: dict[str, Award] = {}
    for campaign in ctx.campaigns:
        if campaign.kind not in JOURNEY_KINDS or not campaign.applies_to(txn, ctx.tier, ctx.branch_code):
            continue
        if not campaign.journey_step_reached(txn, ctx):
            continue
        points = min(campaign.bonus_points, campaign.remaining_budget)
        if points <= 0:
            continue
        award = Award(f"campaign:{campaign.code}", f"campaign_{campaign.kind}", points, True, ONE, campaign.code, points)
        if campaign.stacking == "combine":
            awards.append(award)
        elif campaign.kind not in best or points > best[campaign.kind].points:
            best[campaign.kind] = award
    return awards + list(best.values())


def _outcome(*awards: Award, skipped_when_empty: str = "earning.no_points") -> EarningOutcome:
    kept = tuple(award for award in awards if award.points != 0)
    return EarningOutcome(kept) if kept else EarningOutcome((), skipped_when_empty)


def _flat(rule: str, points: int, txn: EarningTxn, ctx: EarningContext, settings: RuleSettings) -> EarningOutcome:
    return _outcome(*_multiplied_awards("base", rule, Decimal(points), txn, ctx, settings))


def _card_spend(txn: EarningTxn, ctx: EarningContext, settings: RuleSettings) -> EarningOutcome:
    rules = settings.earning
    awards = _multiplied_awards("base", "card_spend", txn.amount * rules.card_points_per_cny, txn, ctx, settings)
    if not ctx.first_card_bonus_given:
        awards.append(Award("first_card", "card_first_transaction", rules.card_first_transaction_points, True, ONE))
    if not ctx.spend_target_bonus_given and ctx.card_approved_on is not None and spend_target_reached(
        ctx.card_approved_on, ctx.card_spend_cny_since_approval, txn, rules.card_spend_target_cny, rules.card_spend_target_days
    ):
        awards.append(Award("spend_target", "card_spend_target", rules.card_spend_target_points, True, ONE))
    awards.extend(journey_awards(txn, ctx))
    return _outcome(*awards)


def _card_refund(txn: EarningTxn, ctx: EarningContext, settings: RuleSettings) -> EarningOutcome:
    if ctx.original_purchase is not None:
        original_points, original_amount = ctx.original_purchase
        if original_amount <= 0:
            return _outcome()
        share = min(txn.amount / original_amount, ONE)  # never claw back more than was earned
        clawback = floor_points(Decimal(original_points) * share)
        return _outcome(Award("base", "card_refund", -clawback, True, ONE))
    multiplier = earn_multiplier(ctx.tier, settings.tiers)
    clawback = floor_points(txn.amount * settings.earning.card_points_per_cny * multiplier)
    return _outcome(Award("base", "card_refund", -clawback, True, multiplier))


def _financing(txn: EarningTxn, ctx: EarningContext, settings: RuleSettings) -> EarningOutcome:
    rules = settings.earning
    if txn.amount < rules.financing_minimum_cny:
        return EarningOutcome((), "earning.financing_below_minimum")
    base = txn.amount / rules.financing_cny_per_point
    high_margin_products = {p.strip().upper() for p in rules.high_margin_products}
    if txn.product.strip().upper() in high_margin_products:
        base *= Decimal(rules.financing_high_margin_multiplier)
        return _outcome(*_multiplied_awards("base", "financing_high_margin", base, txn, ctx, settings))
    return _outcome(*_multiplied_awards("base", "financing", base, txn, ctx, settings))


def compute_earning(txn: EarningTxn, ctx: EarningContext, settings: RuleSettings) -> EarningOutcome:
    """The awards one transaction earns, or why it earns nothing (``skipped_code``)."""
    rules = settings.earning
    source = txn.source
    if source is Source.CARD_SPEND:
        return _card_spend(txn, ctx, settings)
    if source is Source.CARD_REFUND:
        return _card_refund(txn, ctx, settings)
    if source is Source.FINANCING:
        return _financing(txn, ctx, settings)
    if source is Source.REPAYMENT:
        if txn.due_date is None or txn.occurred_on > txn.due_date:
            return EarningOutcome((), "earning.repayment_late")
        return _flat("repayment", rules.repayment_points, txn, ctx, settings)
    if source is Source.PROFILE_COMPLETED:
        if ctx.profile_bonus_given:
            return EarningOutcome((), "earning.profile_already_rewarded")
        return _flat("profile_completed", rules.profile_completed_points, txn, ctx, settings)
    if source is Source.BRANCH_EVENT:
        return _flat("branch_event", rules.branch_event_points, txn, ctx, settings)
    if source is Source.SURVEY:
        if ctx.surveys_in_year >= rules.survey_max_per_year:
            return EarningOutcome((), "earning.survey_limit")
        return _flat("survey", rules.survey_points, txn, ctx, settings)
    if source is Source.CARD_APPROVED:  # recorded on the member; a card-journey campaign may reward it
        return _outcome(*journey_awards(txn, ctx), skipped_when_empty="earning.card_approved_recorded")
    raise DomainError("earning.unknown_source", source=str(source))
