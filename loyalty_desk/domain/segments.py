"""Segments: named, saved member filters for head-office marketing (campaign targets, outreach batches).

A segment's criteria are all optional; a member is in the segment when every criterion given holds.
Periods are counted back from the day the segment is evaluated (``today``), so a saved segment follows
the calendar: "earned within 30 days" is always the last 30 days.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.fields import FieldErrors, InvalidFields
from loyalty_desk.domain.rules import Tier

CODE_PATTERN = r"[A-Z0-9][A-Z0-9_-]{2,31}"
NAME_MAX = 100
DAYS_MAX = 3660  # ten years: any longer period is every member
BALANCE_MAX = 10**12
DORMANT_MONTHS_MAX = 120


class CardStage(StrEnum):
    """Where a member is on the card journey (``member.card_applied_on`` / ``card_approved_on``)."""

    NO_CARD = "no_card"  # neither applied nor approved
    APPLIED = "applied"  # applied, not yet approved
    APPROVED = "approved"  # the card is approved


@dataclass(frozen=True)
class SegmentCriteria:
    tiers: tuple[Tier, ...] = ()  # empty: every tier
    branches: tuple[str, ...] = ()  # home branch codes; empty: every branch
    joined_within_days: int | None = None
    earned_within_days: int | None = None
    redeemed_within_days: int | None = None
    balance_min: int | None = None
    balance_max: int | None = None
    expiring_within_days: int | None = None  # has points in lots expiring within the days
    dormant_months: int | None = None  # no earning and no redemption for the months
    has_referred: bool | None = None  # True: has referred someone; False: never has
    card_stage: CardStage | None = None

    def as_payload(self) -> dict[str, Any]:
        return {
            "tiers": [t.value for t in self.tiers], "branches": list(self.branches), "joined_within_days": self.joined_within_days,
            "earned_within_days": self.earned_within_days, "redeemed_within_days": self.redeemed_within_days,
            "balance_min": self.balance_min, "balance_max": self.balance_max, "expiring_within_days": self.expiring_within_days,
            "dormant_months": self.dormant_months, "has_referred": self.has_referred,
            "card_stage": self.card_stage.value if self.card_stage is not None else None,
        }

    def describe(self) -> list[str]:
        """The criteria given, one English phrase each (the command line's wording)."""
        said: list[str] = []
        if self.tiers:
            said.append("tier " + ", ".join(t.value for t in self.tiers))
        if self.branches:
            said.append("home branch " + ", ".join(self.branches))
        for days, phrase in ((self.joined_within_days, "joined"), (self.earned_within_days, "earned"),
                             (self.redeemed_within_days, "redeemed"), (self.expiring_within_days, "points expiring")):
            if days is not None:
                said.append(f"{phrase} within {days} days")
        if self.balance_min is not None or self.balance_max is not None:
            said.append(f"balance {self.balance_min if self.balance_min is not None else 0:,}.."
                        f"{'' if self.balance_max is None else f'{self.balance_max:,}'} points")
        if self.dormant_months is not None:
            said.append(f"dormant for {self.dormant_months} months")
        if self.has_referred is not None:
            said.append("has referred" if self.has_referred else "never referred")
        if self.card_stage is not None:
            said.append(f"card journey: {self.card_stage.value}")
        return said or ["every member"]


@dataclass(frozen=True)
class SegmentDates:
    """The criteria's periods as dates, for ``today``: what the database compares."""

    joined_since: date | None
    earned_since: date | None
    redeemed_since: date | None
    expiring_by: date | None
    dormant_since: date | None


def months_back(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it has fewer)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def dates_for(criteria: SegmentCriteria, today: date) -> SegmentDates:
    def since(days: int | None) -> date | None:
        return None if days is None else today - timedelta(days=days)

    return SegmentDates(
        joined_since=since(criteria.joined_within_days), earned_since=since(criteria.earned_within_days),
        redeemed_since=since(criteria.redeemed_within_days),
        expiring_by=None if criteria.expiring_within_days is None else today + timedelta(days=criteria.expiring_within_days),
        dormant_since=None if criteria.dormant_months is None else months_back(today, criteria.dormant_months),
    )


@dataclass(frozen=True)
class SegmentFields:
    """A segment's fields, checked (``check_segment``)."""

    name_zh: str
    name_en: str
    criteria: SegmentCriteria

    def as_payload(self) -> dict[str, Any]:
        return {"name_zh": self.name_zh, "name_en": self.name_en, "criteria": self.criteria.as_payload()}


class SegmentInvalid(InvalidFields):
    """Several fields of a segment refused at once."""


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _optional_whole(value: Any, field: str, *, minimum: int, maximum: int) -> int | ValidationError | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        return ValidationError("segment.number", field=field, value=str(value))
    try:
        number = value if isinstance(value, int) else int(_text(value).replace(",", ""))
    except ValueError:
        return ValidationError("segment.number", field=field, value=_text(value))
    if not minimum <= number <= maximum:
        return ValidationError("segment.range", field=field, value=number, minimum=minimum, maximum=maximum)
    return number


def _flag(value: Any, field: str) -> bool | ValidationError | None:
    if value is None or isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in ("", "any"):
        return None
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    return ValidationError("segment.choice", field=field, value=text, allowed="yes, no, any")


def check_code(code: Any) -> str:
    chosen = _text(code).upper()
    if not re.fullmatch(CODE_PATTERN, chosen):
        raise ValidationError("segment.code", field="code", value=chosen)
    return chosen


def check_segment(fields: Mapping[str, Any], *, known_branches: Iterable[str] | None = None) -> SegmentFields:
    """Every field checked; raises ``SegmentInvalid`` with one ``ValidationError`` a bad field."""
    errors = FieldErrors()
    keep = errors.keep
    names = errors.names(fields, required="segment.name_required", too_long="segment.name_long", maximum=NAME_MAX)
    given = fields.get("criteria")
    criteria: Mapping[str, Any] = given if isinstance(given, Mapping) else fields
    tiers: list[Tier] = []
    raw_tiers = criteria.get("tiers") or ()
    for item in [raw_tiers] if isinstance(raw_tiers, str) else raw_tiers:
        try:
            tier = Tier(_text(item).lower())
        except ValueError:
            errors.append(ValidationError("segment.choice", field="tiers", value=_text(item), allowed=", ".join(t.value for t in Tier)))
            break
        if tier not in tiers:
            tiers.append(tier)
    raw_branches = criteria.get("branches") or ()
    branches = tuple(dict.fromkeys(_text(b).upper() for b in ([raw_branches] if isinstance(raw_branches, str) else raw_branches) if _text(b)))
    if known_branches is not None:
        known = set(known_branches)
        unknown = [code for code in branches if code not in known]
        if unknown:
            errors.append(ValidationError("segment.branch_unknown", field="branches", value=unknown[0]))
    days = {
        field: keep(_optional_whole(criteria.get(field), field, minimum=1, maximum=DAYS_MAX))
        for field in ("joined_within_days", "earned_within_days", "redeemed_within_days", "expiring_within_days")
    }
    balance_min = keep(_optional_whole(criteria.get("balance_min"), "balance_min", minimum=0, maximum=BALANCE_MAX))
    balance_max = keep(_optional_whole(criteria.get("balance_max"), "balance_max", minimum=0, maximum=BALANCE_MAX))
    if balance_min is not None and balance_max is not None and balance_min > balance_max:
        errors.append(ValidationError("segment.balance_order", field="balance_max", minimum=balance_min, maximum=balance_max))
    dormant = keep(_optional_whole(criteria.get("dormant_months"), "dormant_months", minimum=1, maximum=DORMANT_MONTHS_MAX))
    if dormant is not None and (days["earned_within_days"] is not None or days["redeemed_within_days"] is not None):
        errors.append(ValidationError("segment.dormant_and_active", field="dormant_months"))
    has_referred = keep(_flag(criteria.get("has_referred"), "has_referred"))
    stage: CardStage | None = None
    raw_stage = _text(criteria.get("card_stage")).lower()
    if raw_stage and raw_stage != "any":
        try:
            stage = CardStage(raw_stage)
        except ValueError:
            errors.append(ValidationError("segment.choice", field="card_stage", value=raw_stage, allowed=", ".join(s.value for s in CardStage)))
    if errors:
        raise SegmentInvalid(errors)
    return SegmentFields(
        name_zh=names["name_zh"], name_en=names["name_en"],
        criteria=SegmentCriteria(
            tiers=tuple(tiers), branches=branches, joined_within_days=days["joined_within_days"],
            earned_within_days=days["earned_within_days"], redeemed_within_days=days["redeemed_within_days"], balance_min=balance_min,
            balance_max=balance_max, expiring_within_days=days["expiring_within_days"], dormant_months=dormant, has_referred=has_referred,
            card_stage=stage,
        ),
    )


def criteria_of(stored: Mapping[str, Any] | None) -> SegmentCriteria:
    """The criteria of a stored segment (already checked when it was saved)."""
    return check_segment({"name_zh": "-", "name_en": "-", "criteria": dict(stored or {})}).criteria
