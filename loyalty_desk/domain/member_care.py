"""Member maintenance at the counter (product.md, "Member care"): freezing and unfreezing a member,
and changing a member's mobile.

A member is frozen with a reason from a fixed list and a note; anyone at the counter (officer or
supervisor) may freeze to protect the account, only a supervisor may lift a freeze, with a note.
While frozen the member keeps what they have and goes on earning from card spending, but nothing
is taken out or given by hand: ``refuse_if_frozen`` is called by redemption, referral registration
(a frozen member cannot refer) and adjustments that credit points (request and approval). A debit
adjustment stays allowed: taking points back is what a fraud freeze may need. A referee is always a
new person (an existing member, frozen or not, is refused as "already a member").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.identity import validate_mobile, validate_note

NOTE_MIN_LENGTH = 5
NOTE_MAX_LENGTH = 500


class MemberStatus(StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"
    CLOSED = "closed"


class FreezeReason(StrEnum):
    SUSPECTED_FRAUD = "suspected_fraud"
    LOST_CARD = "lost_card"
    CUSTOMER_REQUEST = "customer_request"
    DECEASED = "deceased"  # the estate is being settled
    COURT_ORDER = "court_order"
    IDENTITY_REVIEW = "identity_review"  # documents expired or in doubt (KYC)


# What a frozen member is refused, as the ``action`` parameter of ``member.frozen``.
REDEEM, REFER, CREDIT = "redeem", "refer", "credit"
REFUSED_ACTIONS = (REDEEM, REFER, CREDIT)


@dataclass(frozen=True)
class Freeze:
    reason: FreezeReason
    note: str

    def as_payload(self) -> dict[str, Any]:
        return {"reason": self.reason.value, "note": self.note}


def check_reason(reason: Any) -> FreezeReason:
    try:
        return FreezeReason(str(reason or "").strip().lower())
    except ValueError:
        raise ValidationError("member.freeze_reason", field="reason_code", value=reason,
                              allowed=", ".join(r.value for r in FreezeReason)) from None


def check_note(note: Any) -> str:
    return validate_note(None if note is None else str(note), "note", minimum=NOTE_MIN_LENGTH, maximum=NOTE_MAX_LENGTH)


def check_freeze(*, reason: Any, note: Any, status: str | None) -> Freeze:
    """The freeze's fields, cleaned; raises the first problem. ``status``: the member's status now
    (None when not read yet, as in a form)."""
    cleaned = Freeze(check_reason(reason), check_note(note))
    if status == MemberStatus.FROZEN:
        raise DomainError("member.already_frozen")
    if status == MemberStatus.CLOSED:
        raise DomainError("member.closed")
    return cleaned


def check_unfreeze(*, note: Any, status: str | None) -> str:
    """The unfreeze note, cleaned; the member must be frozen."""
    cleaned = check_note(note)
    if status is not None and status != MemberStatus.FROZEN:
        raise DomainError("member.not_frozen", status=status)
    return cleaned


def refuse_if_frozen(*, member_no: str, status: str, reason: str | None, action: str) -> None:
    """``member.frozen`` (with the freeze's reason) when a frozen member is asked to ``action``."""
    if status == MemberStatus.FROZEN:
        raise DomainError("member.frozen", member_no=member_no, freeze_reason=reason or "", action=action)


def check_mobile_change(*, mobile: Any, current: str | None) -> str:
    """The new mobile as the imports take it (``identity.validate_mobile``), and not the one held now."""
    value = validate_mobile(None if mobile is None else str(mobile), "mobile")
    if current is not None and value == current:
        raise ValidationError("member.same_mobile", field="mobile")
    return value
