"""Who must sign an operation, what they sign, and whether central accepts it (``docs/security.md``).

Pure: the bytes signed, the roles each kind allows, and the judgement of a signed operation from
facts central loaded (keys, staff, the pushing desk). The cryptography itself (Ed25519, key
wrapping) lives in ``services/signing.py`` and is handed in as a ``verify`` function.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

MAKER = "maker"  # the staff member the operation is made by (``operation.staff_id``)
APPROVER = "approver"  # a second person the operation names as approving it (a write-off's second supervisor)
CENTRAL = "central"  # head office's own key: imports and jobs run at central
SIGNER_ROLES = (MAKER, APPROVER, CENTRAL)

MESSAGE_VERSION = "loyalty-desk-operation-signature/1"

# Reason codes central records in inbound_operation.reason_code.
MISSING = "signature.missing"
INVALID = "signature.invalid"
UNKNOWN_KEY = "signature.unknown_key"
KEY_NOT_VALID = "signature.key_not_valid"
SIGNER_INACTIVE = "signature.signer_inactive"
ROLE_NOT_ALLOWED = "signature.role_not_allowed"
WRONG_BRANCH = "signature.wrong_branch"
WRONG_DESK = "signature.wrong_desk"
WRONG_SIGNER = "signature.wrong_signer"
MADE_IN_FUTURE = "signature.made_in_future"
UNKNOWN_DESK = "signature.unknown_desk"
REASON_CODES = (MISSING, INVALID, UNKNOWN_KEY, KEY_NOT_VALID, SIGNER_INACTIVE, ROLE_NOT_ALLOWED, WRONG_BRANCH, WRONG_DESK,
                WRONG_SIGNER, MADE_IN_FUTURE, UNKNOWN_DESK)

OFFICER, SUPERVISOR, ADMIN, MARKETING = "officer", "supervisor", "admin", "marketing"

# The staff roles that may make each kind of desk operation (services/roles.py says the same per permission).
MAKER_ROLES: dict[str, frozenset[str]] = {
    "redeem": frozenset({OFFICER, SUPERVISOR}),
    "redeem.reverse": frozenset({SUPERVISOR}),
    "referral.register": frozenset({OFFICER, SUPERVISOR}),
    "referral.clear": frozenset({SUPERVISOR}),
    "referral.reject": frozenset({SUPERVISOR}),
    "adjust.request": frozenset({OFFICER, SUPERVISOR}),
    "adjust.cancel": frozenset({OFFICER, SUPERVISOR}),
    "adjust.approve": frozenset({SUPERVISOR}),
    "adjust.reject": frozenset({SUPERVISOR}),
    "tier.override_request": frozenset({SUPERVISOR}),
    "tier.override_approve": frozenset({SUPERVISOR}),
    "tier.override_reject": frozenset({SUPERVISOR}),
    "member.freeze": frozenset({OFFICER, SUPERVISOR}),
    "member.unfreeze": frozenset({SUPERVISOR}),
    "member.change_mobile": frozenset({OFFICER, SUPERVISOR}),
    "member.enrol": frozenset({OFFICER, SUPERVISOR}),
    "member.change_address": frozenset({OFFICER, SUPERVISOR}),
    "member.change_card": frozenset({OFFICER, SUPERVISOR}),
    "member.close": frozenset({OFFICER, SUPERVISOR}),
    "benefit.use": frozenset({OFFICER, SUPERVISOR}),
    "member.outreach_preferences": frozenset({OFFICER, SUPERVISOR}),
    "sync.resolve": frozenset({SUPERVISOR, ADMIN}),
    "hint.respond": frozenset({OFFICER, SUPERVISOR}),
    "rules.propose": frozenset({ADMIN}),
    "rules.approve": frozenset({ADMIN}),
    "rules.reject": frozenset({ADMIN}),
    "rules.withdraw": frozenset({ADMIN}),
    **{f"campaign.{action}": frozenset({MARKETING}) for action in ("create", "edit", "submit", "approve", "reject", "stop")},
    "segment.save": frozenset({MARKETING}),
}
APPROVER_ROLES: dict[str, frozenset[str]] = {"sync.resolve": frozenset({SUPERVISOR}), "member.close": frozenset({SUPERVISOR})}

# A desk's clock may run a little ahead of central's; an operation made later than this after it arrived is refused.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class SigningMessage:
    """What one signature covers. ``canonical()`` is the exact bytes signed: a JSON array in a fixed
    order (no key ordering or whitespace to agree on), prefixed with the format's version."""

    operation_id: str
    kind: str
    payload_digest: str
    origin: str
    staff_id: int | None  # None for central's own key
    role: str
    key_id: str
    made_at: datetime

    def canonical(self) -> bytes:
        fields = [MESSAGE_VERSION, self.operation_id, self.kind, self.payload_digest, self.origin, self.staff_id, self.role,
                  self.key_id, made_at_text(self.made_at)]
        return json.dumps(fields, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def made_at_text(value: datetime) -> str:
    """Naive UTC to the microsecond: the same text whichever store the time went through."""
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def approvers_named(kind: str, payload: Mapping[str, Any]) -> tuple[str, ...]:
    """Usernames the payload names as approving the operation: each must sign it as ``approver``."""
    if kind in ("sync.resolve", "member.close") and payload.get("approved_by"):
        return (str(payload["approved_by"]),)
    return ()


def maker_named(kind: str, payload: Mapping[str, Any]) -> str | None:
    """A username the payload names as the operation's maker, which must be the signing maker."""
    if kind == "sync.resolve" and payload.get("resolved_by"):
        return str(payload["resolved_by"])
    return None


@dataclass(frozen=True)
class Signature:
    """One signature as it travels (``operation.signatures``, ``inbound_operation.signatures``)."""

    role: str
    staff_id: int | None
    key_id: str
    signature: str  # base64

    def as_json(self) -> dict[str, Any]:
        return {"role": self.role, "staff_id": self.staff_id, "key_id": self.key_id, "signature": self.signature}

    @staticmethod
    def from_json(value: Any) -> Signature | None:
        """None for anything that is not a well-formed signature entry."""
        if not isinstance(value, Mapping):
            return None
        role, staff_id, key_id, signature = value.get("role"), value.get("staff_id"), value.get("key_id"), value.get("signature")
        if role not in SIGNER_ROLES or not isinstance(key_id, str) or not isinstance(signature, str):
            return None
        if staff_id is not None and (not isinstance(staff_id, int) or isinstance(staff_id, bool)):
            return None
        return Signature(role, staff_id, key_id, signature)


@dataclass(frozen=True)
class RegisteredKey:
    """A public key central holds, with its owner's standing (loaded once per batch)."""

    key_id: str
    staff_id: int | None
    public_key: str
    valid_from: datetime
    valid_until: datetime | None
    username: str | None = None
    staff_role: str | None = None
    branch_id: int | None = None
    head_office: bool = False
    active: bool = True
    deactivated_at: datetime | None = None


@dataclass(frozen=True)
class Inbound:
    """The parts of a pushed operation the judgement reads."""

    operation_id: str
    kind: str
    payload: Mapping[str, Any]
    payload_digest: str
    origin: str
    staff_id: int | None
    made_at: datetime | None
    received_at: datetime | None
    signatures: Any


@dataclass(frozen=True)
class Refusal:
    code: str
    params: dict[str, Any]


def judge(
    operation: Inbound,
    *,
    desk_name: str | None,
    desk_branch_id: int | None,
    keys: Mapping[str, RegisteredKey],
    verify: Callable[[str, bytes, str], bool],
    maker_roles: Mapping[str, frozenset[str]] = MAKER_ROLES,
) -> Refusal | None:
    """None when every check passes; otherwise the first refusal, in a fixed order (the desk, the
    signatures' form, each signature's key, cryptographic validity, then the signer's standing)."""
    if desk_name is None or desk_branch_id is None:
        return Refusal(UNKNOWN_DESK, {})
    if operation.origin != desk_name:
        return Refusal(WRONG_DESK, {"origin": operation.origin, "desk": desk_name})
    entries = operation.signatures if isinstance(operation.signatures, Sequence) and not isinstance(operation.signatures, str) else []
    signatures = [Signature.from_json(entry) for entry in entries]
    if any(s is None for s in signatures):
        return Refusal(INVALID, {"why": "malformed"})
    makers = [s for s in signatures if s is not None and s.role == MAKER]
    approvers = [s for s in signatures if s is not None and s.role == APPROVER]
    if operation.staff_id is None or len(makers) != 1:
        return Refusal(MISSING, {"missing": MAKER})
    if makers[0].staff_id != operation.staff_id:
        return Refusal(WRONG_SIGNER, {"role": MAKER, "staff_id": makers[0].staff_id})
    named = approvers_named(operation.kind, operation.payload)
    if len(approvers) < len(named):
        return Refusal(MISSING, {"missing": APPROVER})
    if len(approvers) > len(named):
        return Refusal(WRONG_SIGNER, {"role": APPROVER, "why": "not named by the operation"})
    if operation.made_at is None:  # the time is part of what was signed
        return Refusal(INVALID, {"why": "no time of making"})
    if operation.received_at is not None and operation.made_at > operation.received_at + CLOCK_SKEW:
        return Refusal(MADE_IN_FUTURE, {"made_at": made_at_text(operation.made_at)})
    for signature in (*makers, *approvers):
        key = keys.get(signature.key_id)
        if key is None or key.staff_id is None or key.staff_id != signature.staff_id:
            return Refusal(UNKNOWN_KEY, {"role": signature.role, "key_id": signature.key_id})
        message = SigningMessage(operation.operation_id, operation.kind, operation.payload_digest, operation.origin,
                                 signature.staff_id, signature.role, signature.key_id, operation.made_at).canonical()
        if not verify(key.public_key, message, signature.signature):
            return Refusal(INVALID, {"role": signature.role, "staff_id": signature.staff_id})
        if operation.made_at < key.valid_from or (key.valid_until is not None and operation.made_at >= key.valid_until):
            return Refusal(KEY_NOT_VALID, {"role": signature.role, "username": key.username, "key_id": key.key_id})
        refusal = _standing(operation, signature.role, key, desk_branch_id, maker_roles)
        if refusal is not None:
            return refusal
    maker_key = keys[makers[0].key_id]
    if (name := maker_named(operation.kind, operation.payload)) is not None and name != maker_key.username:
        return Refusal(WRONG_SIGNER, {"role": MAKER, "named": name, "username": maker_key.username})
    signed_approvers = sorted(keys[s.key_id].username or "" for s in approvers)
    if signed_approvers != sorted(named):
        return Refusal(WRONG_SIGNER, {"role": APPROVER, "named": list(named), "signed": signed_approvers})
    if approvers and maker_key.staff_id in {keys[s.key_id].staff_id for s in approvers}:
        return Refusal(WRONG_SIGNER, {"role": APPROVER, "why": "the maker cannot approve"})
    return None


def _standing(operation: Inbound, role: str, key: RegisteredKey, desk_branch_id: int,
              maker_roles: Mapping[str, frozenset[str]]) -> Refusal | None:
    assert operation.made_at is not None
    who = {"role": role, "username": key.username}
    if key.deactivated_at is not None and operation.made_at >= key.deactivated_at:
        return Refusal(SIGNER_INACTIVE, {**who, "deactivated_at": made_at_text(key.deactivated_at)})
    if not key.active and key.deactivated_at is None:
        return Refusal(SIGNER_INACTIVE, who)
    allowed = (maker_roles if role == MAKER else APPROVER_ROLES).get(operation.kind, frozenset())
    if key.staff_role not in allowed:
        return Refusal(ROLE_NOT_ALLOWED, {**who, "staff_role": key.staff_role, "kind": operation.kind})
    if key.branch_id != desk_branch_id and not key.head_office:
        return Refusal(WRONG_BRANCH, {**who, "signer_branch_id": key.branch_id, "desk_branch_id": desk_branch_id})
    return None
