"""A supervisor's decision on an operation head office rejected (a sync exception): the rules.

Pure functions over plain values; ``services/sync_resolution.py`` applies them as the
``sync.resolve`` operation on the desk and on central.

* ``points_owed``: the member keeps what they got, so the points are taken again;
* ``goods_reversed``: the goods came back; nothing moves;
* ``written_off``: the bank absorbs it, with a second supervisor's approval
  (``check_write_off_approver``).
"""

from __future__ import annotations

import uuid
from typing import Any

from loyalty_desk.domain.adjustments import SUPERVISOR, DeciderFacts, SupervisorRefusals, check_supervisor
from loyalty_desk.domain.errors import Forbidden, ValidationError
from loyalty_desk.domain.identity import validate_member_no

POINTS_OWED, GOODS_REVERSED, WRITTEN_OFF = "points_owed", "goods_reversed", "written_off"
RESOLUTIONS = (POINTS_OWED, GOODS_REVERSED, WRITTEN_OFF)
RESOLVE_ROLES = frozenset({SUPERVISOR, "admin"})
NOTE_MINIMUM = 5
NOTE_MAXIMUM = 500
WRITE_OFF_APPROVER = SupervisorRefusals("sync.approver_same", "sync.approver_inactive", "sync.approver_not_supervisor", "sync.approver_other_branch")


def check_role(role: str) -> None:
    if role not in RESOLVE_ROLES:
        raise Forbidden("sync.resolve_role", role=role)


def check_resolution(value: Any) -> str:
    if value not in RESOLUTIONS:
        raise ValidationError("sync.resolution", field="resolution", value=value, allowed=list(RESOLUTIONS))
    return str(value)


def clean_note(value: Any) -> str:
    note = " ".join(str(value or "").split())
    if len(note) < NOTE_MINIMUM:
        raise ValidationError("sync.note_required", field="note", minimum=NOTE_MINIMUM)
    if len(note) > NOTE_MAXIMUM:
        raise ValidationError("sync.note_too_long", field="note", maximum=NOTE_MAXIMUM, actual=len(note))
    return note


def check_operation_id(value: Any, field: str = "operation_id") -> str:
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError):
        raise ValidationError("sync.operation_id", field=field, value=value) from None


def check_points(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("sync.points", field="points", value=value)
    return value


def check_member_no(value: Any) -> str | None:
    """The member a decision concerns; None for an operation that concerned none."""
    if value is None or value == "":
        return None
    return validate_member_no(str(value))


def check_goods(value: Any) -> dict[str, Any] | None:
    """A rejected redemption's reward, quantity and branch (for the branch's stock count), or None."""
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("reward_code"), str)
        or not isinstance(value.get("branch_code"), str)
        or isinstance(value.get("qty"), bool)
        or not isinstance(value.get("qty"), int)
        or value["qty"] < 1
    ):
        raise ValidationError("sync.goods", field="goods", value=value)
    return {"reward_code": value["reward_code"], "qty": value["qty"], "branch_code": value["branch_code"]}


def goods_of(operation_kind: str | None, operation_payload: Any) -> dict[str, Any] | None:
    """What a rejected operation handed out, when it was a redemption (its payload names it)."""
    if operation_kind != "redeem" or not isinstance(operation_payload, dict):
        return None
    try:
        return check_goods({k: operation_payload.get(k) for k in ("reward_code", "qty", "branch_code")})
    except ValidationError:
        return None


def check_approver_named(resolution: str, username: Any) -> str | None:
    """The approver's username a decision names: required for a write-off, refused for the others."""
    name = str(username or "").strip()
    if resolution != WRITTEN_OFF:
        if name:
            raise ValidationError("sync.approver_unexpected", field="approved_by", value=name, resolution=resolution)
        return None
    if not name:
        raise ValidationError("sync.approver_required", field="approved_by")
    return name


def check_write_off_approver(resolver: DeciderFacts, approver: DeciderFacts) -> None:
    """A second supervisor, active, never the resolver, of the resolver's branch (either of them may be
    of head office); checked in that order."""
    branch_allowed = approver.branch_id == resolver.branch_id or approver.head_office or resolver.head_office
    check_supervisor(approver, other_staff_id=resolver.staff_id, branch_allowed=branch_allowed, refusals=WRITE_OFF_APPROVER)
