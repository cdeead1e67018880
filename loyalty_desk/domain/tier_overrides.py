"""Manual tier overrides (rules.md, "Tiers"): a supervisor requests a tier for a member with a reason
and an end date, a second supervisor approves (never the maker), and the override ends on its end
date, when the member goes back to the tier they had."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.adjustments import SupervisorRefusals
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import Tier

REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 500

# The same refusals as an adjustment's decision: the sentences speak of "this request".
OVERRIDE_DECIDER = SupervisorRefusals("adjust.own_request", "adjust.inactive_approver", "adjust.not_supervisor", "adjust.other_branch")


class OverrideStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"  # in force until its end date
    REJECTED = "rejected"
    ENDED = "ended"


@dataclass(frozen=True)
class OverrideRequest:
    tier: Tier
    reason: str
    ends_on: date

    def as_payload(self) -> dict[str, Any]:
        return {"tier": self.tier.value, "reason": self.reason, "ends_on": self.ends_on.isoformat()}


def check_override_request(*, tier: Any, reason: Any, ends_on: Any, current: Tier | None, today: date) -> OverrideRequest:
    """The request's fields, cleaned; raises the first problem. ``current``: the member's tier (None
    when not known yet, as in a form before the member is read)."""
    try:
        wanted = Tier(str(tier or "").strip().lower())
    except ValueError:
        raise ValidationError("tier_override.tier", field="tier", value=tier) from None
    text = " ".join(str(reason or "").split())
    if len(text) < REASON_MIN_LENGTH:
        raise ValidationError("tier_override.reason_short", field="reason", minimum=REASON_MIN_LENGTH, actual=len(text))
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError("tier_override.reason_long", field="reason", maximum=REASON_MAX_LENGTH, actual=len(text))
    if isinstance(ends_on, date):
        end = ends_on
    else:
        try:
            end = date.fromisoformat(str(ends_on or ""))
        except ValueError:
            raise ValidationError("tier_override.ends_on", field="ends_on", value=ends_on) from None
    if end <= today:
        raise ValidationError("tier_override.ends_in_past", field="ends_on", ends_on=end, today=today)
    if current is not None and wanted is current:
        raise DomainError("tier_override.same_tier", tier=wanted.value)
    return OverrideRequest(wanted, text, end)


def check_pending(status: str, ends_on: date, today: date) -> None:
    """A decision needs a pending request whose end date has not come."""
    if status != OverrideStatus.PENDING:
        raise DomainError("adjust.already_decided", status=status)
    if ends_on <= today:
        raise DomainError("tier_override.ended_before_approval", ends_on=ends_on)


def is_due_to_end(status: str, ends_on: date, as_of: date) -> bool:
    """An approved override ends on its end date."""
    return status == OverrideStatus.APPROVED and ends_on <= as_of
