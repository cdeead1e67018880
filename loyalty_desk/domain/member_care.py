"""Member maintenance at the counter (product.md, "Member care"): freezing and unfreezing a member,
changing a member's mobile, and the checks of enrolling a walk-in client at the desk.

A member is frozen with a reason from a fixed list and a note; anyone at the counter (officer or
supervisor) may freeze to protect the account, only a supervisor may lift a freeze, with a note.
While frozen the member keeps what they have and goes on earning from card spending, but nothing
is taken out or given by hand: ``refuse_if_frozen`` is called by redemption, referral registration
(a frozen member cannot refer) and adjustments that credit points (request and approval). A debit
adjustment stays allowed: taking points back is what a fraud freeze may need. A referee is always a
new person (an existing member, frozen or not, is refused as "already a member").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.adjustments import SupervisorRefusals
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.fields import run_checks
from loyalty_desk.domain.identity import (
    IdType,
    validate_address,
    validate_card_no,
    validate_id,
    validate_mobile,
    validate_name,
    validate_note,
)
from loyalty_desk.domain.referrals import validate_referral_code

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


# Who may approve forfeiting a closing account's points: a second supervisor, never the one closing it.
CLOSE_APPROVER = SupervisorRefusals("member.close_approver_same", "member.close_approver_inactive", "member.close_approver_not_supervisor",
                                    "member.close_approver_other_branch")

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



def check_address_change(*, address: Any, current: str | None) -> str:
    """The new postal address as the imports take it (``identity.validate_address``), required, and not
    the one held now (compared with spaces folded)."""
    value = validate_address(None if address is None else str(address), "address")
    if value is None:
        raise ValidationError("identity.required", field="address")
    if current is not None and value == " ".join(current.split()):
        raise ValidationError("member.same_address", field="address")
    return value


def check_card_change(*, card_no: Any, current: str | None) -> str:
    """The new card number (16 digits, Luhn-valid: ``identity.validate_card_no``), not the one held now."""
    value = validate_card_no(None if card_no is None else str(card_no), "card_no")
    if current is not None and value == current:
        raise ValidationError("member.same_card", field="card_no")
    return value


# --------------------------------------------------------------------- closing an account


@dataclass(frozen=True)
class ClosingPlan:
    """What closing an account does with its points: ``redeemed`` go to the closing redemption (0 without
    one), ``forfeited`` are what is left, and forfeiting any needs a second supervisor's approval."""

    balance: int
    redeemed: int
    forfeited: int

    @property
    def needs_approval(self) -> bool:
        return self.forfeited > 0


def check_close(*, status: str, held_points: int) -> None:
    """An account closes once: ``member.closed`` when it is closed already, ``member.close_held`` while
    points are held for a redemption still waiting for head office's verdict."""
    if status == MemberStatus.CLOSED:
        raise DomainError("member.closed")
    if held_points > 0:
        raise DomainError("member.close_held", held=held_points)


def closing_plan(*, balance: int, redemption_points: int) -> ClosingPlan:
    """The closing redemption may use at most the balance; the rest is forfeited."""
    if redemption_points > balance:
        raise DomainError("redeem.balance", available=balance, needed=redemption_points)
    return ClosingPlan(balance, redemption_points, balance - redemption_points)


def refuse_if_closed(*, member_no: str, status: str, action: str) -> None:
    """``member.account_closed`` when a closed member is asked to ``action`` (redeem, refer, earn)."""
    if status == MemberStatus.CLOSED:
        raise DomainError("member.account_closed", member_no=member_no, action=action)


# --------------------------------------------------------------------- enrolling a walk-in client

ENROL_FIELDS = ("name", "id_number", "mobile", "card_no", "address", "code")


@dataclass(frozen=True)
class IdentityHolder:
    """A member already holding one of the handles a new member would take."""

    member_no: str
    id_number: str
    mobile: str
    card_no: str | None


def check_enrolment(
    *, name: Any, id_type: Any, id_number: Any, mobile: Any, card_no: Any, address: Any, code: Any, today: date
) -> tuple[dict[str, Any], list[DomainError]]:
    """A walk-in client's fields, each checked on its own as the member import checks them (the ID's
    rules and check character, the mobile, a name in one script, a Luhn-valid card, a safe address):
    (the clean values that passed, every problem). The card, the address and the referral code are
    optional; a business (a unified social credit code) is a business member."""
    raw_type = str(id_type or "").strip()
    kind = "business" if raw_type == IdType.USCC.value else "person"

    def id_check() -> str:
        if not raw_type:
            raise ValidationError("identity.required", field="id_number")
        try:
            chosen = IdType(raw_type)
        except ValueError:
            raise ValidationError("identity.id_type", field="id_number", value=raw_type,
                                  allowed=", ".join(t.value for t in IdType)) from None
        return validate_id(chosen, None if id_number is None else str(id_number), "id_number", today=today)

    def optional(value: Any, check: Callable[[str], Any]) -> Any:
        text = "" if value is None else str(value).strip()
        return check(text) if text else None

    checks: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("name", lambda: validate_name(None if name is None else str(name), "name", kind=kind)),
        ("id_number", id_check),
        ("mobile", lambda: validate_mobile(None if mobile is None else str(mobile), "mobile")),
        ("card_no", lambda: optional(card_no, lambda text: validate_card_no(text, "card_no"))),
        ("address", lambda: validate_address(None if address is None else str(address), "address")),
        ("code", lambda: optional(code, lambda text: validate_referral_code(text, "code"))),
    )
    clean, problems = run_checks(checks)
    if "id_number" in clean:
        clean["id_type"], clean["kind"] = raw_type, kind
    return clean, problems


def identity_clashes(clean: dict[str, Any], holders: list[IdentityHolder]) -> list[DomainError]:
    """``member.identity_taken`` for each of the new member's ID number, mobile and card that an
    existing member holds, naming that member (one problem a field)."""
    problems: list[DomainError] = []
    for field in ("id_number", "mobile", "card_no"):
        value = clean.get(field)
        if not value:
            continue
        holder = next((h for h in sorted(holders, key=lambda h: h.member_no) if getattr(h, field) == value), None)
        if holder is not None:
            problems.append(ValidationError("member.identity_taken", field=field, member_no=holder.member_no))
    return problems
