"""Changes to the programme's rules: settings named by path, their validation, and the calendar of
approved versions that says which rules are in force on a date.

A setting is named by a dotted path: ``section.field`` (``earning.card_points_per_cny``), or for a
tier's row ``tiers.<tier>.<field>`` (``tiers.gold.qualifying_points``). A change is a mapping of
paths to new values; a version is an approved change with its effective date. The rules in force on
a day are the base settings with every version effective on or before that day applied in order of
effective date, then version number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from itertools import pairwise
from typing import Any

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.rules import TIER_ORDER, RuleSettings, Tier

REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 500
LARGEST_NUMBER = 1_000_000_000
MULTIPLIER_LOW, MULTIPLIER_HIGH = Decimal("0"), Decimal("10")
PRODUCT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
TIER_FIELDS = ("qualifying_points", "monthly_redemption_cap", "earn_multiplier")


class ChangeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# The least a whole-number setting may be; a setting not named here may be 0 but never negative.
MINIMUMS: dict[str, int] = {
    "tiers.qualifying_window_months": 1,
    "earning.financing_cny_per_point": 1,
    "earning.card_spend_target_days": 1,
    "earning.card_approval_service_days": 1,
    "earning.point_value_cny_per_100_points": 1,
    "expiry.lot_lifetime_months": 1,
    "redemption.max_redemptions_per_window": 1,
    "redemption.window_hours": 1,
    "adjustments.memo_min_length": 1,
    "adjustments.dual_approval_threshold": 1,
    "adjustments.request_lifetime_hours": 1,
    "referrals.qualification_days": 1,
    "referrals.daily_flag_threshold": 1,
    "security.max_failed_sign_ins": 1,
    "security.lockout_minutes": 1,
    "security.idle_lock_minutes": 1,
    "lookup.max_results": 1,
}
# The most a whole-number setting may be, where less than ``LARGEST_NUMBER``.
MAXIMUMS: dict[str, int] = {
    "tiers.qualifying_window_months": 60,
    "tiers.downgrade_protection_months": 60,
    "expiry.lot_lifetime_months": 240,
    "lookup.max_results": 500,
    "adjustments.memo_min_length": 200,
}


def _section_paths(rules: RuleSettings) -> Iterable[tuple[str, Any]]:
    for section in RuleSettings.SECTIONS:
        value = getattr(rules, section)
        for f in fields(value):
            if section == "tiers" and f.name == "rules":
                for tier_rule in value.rules:
                    for name in TIER_FIELDS:
                        yield f"tiers.{tier_rule.tier.value}.{name}", getattr(tier_rule, name)
                continue
            if section == "tiers" and f.name == "benefits":  # the tiers' benefit definitions are not changed by a rules change
                continue
            yield f"{section}.{f.name}", getattr(value, f.name)


def flatten(rules: RuleSettings) -> dict[str, Any]:
    """Every setting of ``rules`` by path, JSON-ready (tuples as lists), in the sections' order."""
    return {path: list(value) if isinstance(value, tuple) else value for path, value in _section_paths(rules)}


SETTING_PATHS: tuple[str, ...] = tuple(flatten(RuleSettings()))
_DEFAULTS = flatten(RuleSettings())


def section_of(path: str) -> str:
    return path.split(".", 1)[0]


def apply_changes(rules: RuleSettings, changes: Mapping[str, Any]) -> RuleSettings:
    """``rules`` with each path of ``changes`` set to its value (values as ``parse_value`` gives them)."""
    by_section: dict[str, dict[str, Any]] = {}
    tier_values: dict[str, dict[str, Any]] = {}
    for path, value in changes.items():
        if path not in _DEFAULTS:
            raise ValidationError("rules.unknown_setting", field=path, setting=path)
        parts = path.split(".")
        if len(parts) == 3:
            tier_values.setdefault(parts[1], {})[parts[2]] = value
        else:
            by_section.setdefault(parts[0], {})[parts[1]] = tuple(value) if isinstance(value, list) else value
    if tier_values:
        new_rules = tuple(replace(r, **tier_values.get(r.tier.value, {})) for r in rules.tiers.rules)
        by_section.setdefault("tiers", {})["rules"] = new_rules
    for section, values in by_section.items():
        rules = replace(rules, **{section: replace(getattr(rules, section), **values)})
    return rules


def parse_value(path: str, raw: Any) -> Any:
    """The typed value of setting ``path`` from text or a JSON value, refused naming the setting when
    it is not of the setting's kind (a whole number, a decimal, yes/no, a list)."""
    if path not in _DEFAULTS:
        raise ValidationError("rules.unknown_setting", field=path, setting=path)
    kind = _DEFAULTS[path]
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(kind, bool):
        if isinstance(text, bool):
            return text
        lowered = str(text).lower()
        if lowered in ("yes", "true", "on", "1"):
            return True
        if lowered in ("no", "false", "off", "0"):
            return False
        raise ValidationError("rules.not_yes_no", field=path, setting=path, value=raw)
    if isinstance(kind, int):
        return _whole(path, text, raw)
    if isinstance(kind, str):
        try:
            number = Decimal(str(text))
        except InvalidOperation:
            raise ValidationError("rules.not_a_decimal", field=path, setting=path, value=raw) from None
        if not number.is_finite():
            raise ValidationError("rules.not_a_decimal", field=path, setting=path, value=raw)
        return str(number)
    items = text if isinstance(text, list) else [part for part in re.split(r"[,\s]+", str(text)) if part]
    if (kind and isinstance(kind[0], int)) or path == "expiry.reminder_windows_days":
        return [_whole(path, item.strip() if isinstance(item, str) else item, raw) for item in items]
    return [str(item).strip().upper() for item in items]


def _whole(path: str, text: Any, raw: Any) -> int:
    if isinstance(text, bool):
        raise ValidationError("rules.not_a_whole_number", field=path, setting=path, value=raw)
    if isinstance(text, int):
        return text
    cleaned = str(text).replace(",", "").replace("_", "")
    if not re.fullmatch(r"[+-]?\d{1,12}", cleaned):
        raise ValidationError("rules.not_a_whole_number", field=path, setting=path, value=raw)
    return int(cleaned)


def problems(rules: RuleSettings) -> list[ValidationError]:
    """Every rule ``rules`` breaks, each naming its setting (``field``) and the rule (the code)."""
    found: list[ValidationError] = []
    flat = flatten(rules)
    for path, value in flat.items():
        kind = _DEFAULTS[path]
        if isinstance(kind, bool):
            continue
        if isinstance(kind, int):
            found.extend(_number_problems(path, value))
        elif isinstance(kind, str):
            number = Decimal(value)
            if not MULTIPLIER_LOW < number <= MULTIPLIER_HIGH:
                found.append(ValidationError("rules.multiplier_range", field=path, setting=path, value=value,
                                             low=str(MULTIPLIER_LOW), high=str(MULTIPLIER_HIGH)))
        elif path == "expiry.reminder_windows_days":
            found.extend(_window_problems(path, value))
        else:
            for code in value:
                if not PRODUCT_CODE.match(str(code)):
                    found.append(ValidationError("rules.product_code", field=path, setting=path, value=code))
                    break
    found.extend(_tier_problems(rules))
    return found


def _number_problems(path: str, value: int) -> list[ValidationError]:
    if value < 0:
        return [ValidationError("rules.negative", field=path, setting=path, value=value)]
    minimum = MINIMUMS.get(path, 0)
    if value < minimum:
        return [ValidationError("rules.below_minimum", field=path, setting=path, value=value, minimum=minimum)]
    maximum = MAXIMUMS.get(path, LARGEST_NUMBER)
    if value > maximum:
        return [ValidationError("rules.above_maximum", field=path, setting=path, value=value, maximum=maximum)]
    return []


def _window_problems(path: str, windows: list[int]) -> list[ValidationError]:
    if not windows:
        return [ValidationError("rules.windows_empty", field=path, setting=path)]
    for window in windows:
        if not 1 <= window <= 366:
            return [ValidationError("rules.window_range", field=path, setting=path, value=window)]
    if list(windows) != sorted(set(windows)):
        return [ValidationError("rules.windows_order", field=path, setting=path, value=", ".join(str(w) for w in windows))]
    return []


def _tier_problems(rules: RuleSettings) -> list[ValidationError]:
    found: list[ValidationError] = []
    by_tier = {r.tier: r for r in rules.tiers.rules}
    base = by_tier[Tier.STANDARD]
    if base.qualifying_points != 0:
        path = "tiers.standard.qualifying_points"
        found.append(ValidationError("rules.tier_base_threshold", field=path, setting=path, value=base.qualifying_points))
    for lower, higher in pairwise(TIER_ORDER):
        low, high = by_tier[lower], by_tier[higher]
        if high.qualifying_points <= low.qualifying_points:
            path = f"tiers.{higher.value}.qualifying_points"
            found.append(ValidationError("rules.tier_order", field=path, setting=path, tier=higher.value, value=high.qualifying_points,
                                         lower_tier=lower.value, lower_value=low.qualifying_points))
    return found


def check_rules(rules: RuleSettings) -> None:
    """Raises the first problem of ``rules`` (``problems``)."""
    found = problems(rules)
    if found:
        raise found[0]


@dataclass(frozen=True)
class CleanProposal:
    changes: dict[str, Any]  # path -> new value, only the settings that change
    before: dict[str, Any]  # path -> the value in force on the effective date
    effective_on: date
    reason: str

    def as_payload(self) -> dict[str, Any]:
        return {"changes": self.changes, "effective_on": self.effective_on.isoformat(), "reason": self.reason}


def parse_date(value: Any, field: str = "effective_on") -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError("rules.effective_on", field=field, value=value) from None


def clean_reason(reason: Any) -> str:
    text = " ".join(str(reason or "").split())
    if len(text) < REASON_MIN_LENGTH:
        raise ValidationError("rules.reason_short", field="reason", minimum=REASON_MIN_LENGTH, actual=len(text))
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError("rules.reason_long", field="reason", maximum=REASON_MAX_LENGTH, actual=len(text))
    return text


def clean_decision_note(note: Any, *, required: bool) -> str:
    text = " ".join(str(note or "").split())
    if required and not text:
        raise ValidationError("rules.note_required", field="note")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError("rules.note_long", field="note", maximum=NOTE_MAX_LENGTH, actual=len(text))
    return text


def proposal_problems(base: RuleSettings, changes: Mapping[str, Any]) -> tuple[dict[str, Any], list[ValidationError]]:
    """(the typed changes that differ from ``base``, every problem found): values of the wrong kind and
    rules the resulting settings break, each naming its setting."""
    typed: dict[str, Any] = {}
    found: list[ValidationError] = []
    current = flatten(base)
    for path, raw in changes.items():
        try:
            value = parse_value(path, raw)
        except ValidationError as error:
            found.append(error)
            continue
        before = current[path]
        same = Decimal(value) == Decimal(before) if isinstance(before, str) else value == before
        if not same:
            typed[path] = value
    unreadable = {e.field for e in found}
    return typed, found + [e for e in problems(apply_changes(base, typed)) if e.field not in unreadable]


def check_proposal(*, base: RuleSettings, changes: Mapping[str, Any], effective_on: Any, reason: Any, today: date) -> CleanProposal:
    """A proposal as it may be filed, or the first problem: a setting of the wrong kind or breaking a
    rule, no setting changing, an effective date before ``today``, a short reason."""
    when = parse_date(effective_on)
    if when < today:
        raise ValidationError("rules.effective_past", field="effective_on", effective_on=when, today=today)
    typed, found = proposal_problems(base, changes)
    if found:
        raise found[0]
    if not typed:
        raise ValidationError("rules.no_change", field="changes")
    cleaned_reason = clean_reason(reason)
    current = flatten(base)
    return CleanProposal(changes=typed, before={p: current[p] for p in typed}, effective_on=when, reason=cleaned_reason)


@dataclass(frozen=True)
class RuleVersion:
    """An approved change: its number, the day it takes effect and the settings it sets."""

    version: int
    effective_on: date
    changes: Mapping[str, Any]


class RuleCalendar:
    """The base settings and every approved version: the rules in force on any day."""

    def __init__(self, base: RuleSettings, versions: Iterable[RuleVersion] = ()) -> None:
        self.base = base
        self.versions = tuple(sorted(versions, key=lambda v: (v.effective_on, v.version)))
        self._on: dict[date, RuleSettings] = {}

    def on(self, day: date) -> RuleSettings:
        found = self._on.get(day)
        if found is None:
            found = self.base
            for version in self.versions:
                if version.effective_on > day:
                    break
                found = apply_changes(found, version.changes)
            self._on[day] = found
        return found

    def version_on(self, day: date) -> int:
        """The number of the last version in force on ``day`` (0: the base settings)."""
        number = 0
        for version in self.versions:
            if version.effective_on > day:
                break
            number = version.version
        return number

    def with_version(self, version: RuleVersion) -> RuleCalendar:
        return RuleCalendar(self.base, (*self.versions, version))

    def check_from(self, day: date) -> None:
        """Raises the first problem of the rules in force on ``day`` or on any later version's effective date."""
        for when in sorted({day, *(v.effective_on for v in self.versions if v.effective_on > day)}):
            check_rules(self.on(when))
