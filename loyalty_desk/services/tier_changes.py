"""Changing a member's tier: the member row, a zero-point ``tier`` ledger entry (so the history and
the statement show "Tier changed Gold -> Silver (monthly review)" among the postings, append-only like
every entry) and the audit row, in the caller's transaction.

The entry's ``rule`` says why (``TierChangeReason``), its details name the tiers, and its id comes
from what caused the change (the review's month, the earning transaction), so a rerun posts nothing twice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.rules import Tier
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.store.models import Member
from loyalty_desk.store.uow import UnitOfWork

TIER_ENTRY_KIND = "tier"


class TierChangeReason(StrEnum):
    MONTHLY_REVIEW = "monthly_review"
    POINTS_REACHED = "points_reached"  # an upgrade as soon as the qualifying points reach the threshold
    OVERRIDE = "override"  # a manual override came into force (services/tier_overrides.py)
    OVERRIDE_ENDED = "override_ended"  # back to the tier before the override, on its end date
    REFUSED_CENTRALLY = "refused_centrally"  # head office refused the operation that changed it here


def tier_entry_uid(member_no: str, cause: str) -> str:
    return f"tier:{member_no}:{cause}"


def change_tier(
    uow: UnitOfWork,
    ledger: Ledger,
    member: Member,
    new: Tier,
    *,
    reason: TierChangeReason,
    cause: str,
    occurred_on: date,
    actor: Actor,
    now: datetime,
    details: dict[str, Any] | None = None,
    starts_protection: bool = True,
    operation_id: str | None = None,
    staff_id: int | None = None,
    branch_id: int | None = None,
) -> None:
    """Moves the locked ``member`` to ``new``; an upgrade starts the downgrade protection period
    unless ``starts_protection`` is False (a manual override, which ends on a date of its own).
    ``operation_id``, ``staff_id``, ``branch_id``: of the desk operation that made the change."""
    current = Tier(member.tier)
    member.tier = new.value
    member.tier_warned_on = None  # a warning is about the tier the member had
    after: dict[str, Any] = {"tier": new.value}
    if new.rank > current.rank and starts_protection:
        member.last_upgrade_on = occurred_on
        after["last_upgrade_on"] = occurred_on.isoformat()
    entry_details = {"from_tier": current.value, "to_tier": new.value, **(details or {})}
    ledger.note(
        member,
        Posting(entry_uid=tier_entry_uid(member.member_no, cause), kind=TIER_ENTRY_KIND, rule=reason.value, occurred_on=occurred_on,
                operation_id=operation_id, branch_id=branch_id, staff_id=staff_id, details=entry_details),
    )
    action = "member.tier_upgrade" if new.rank > current.rank else "member.tier_downgrade"
    record(
        uow, actor, action, entity="member", entity_id=str(member.id), member_no=member.member_no,
        before={"tier": current.value}, after=after, details={"reason": reason.value, **(details or {})}, now=now,
    )


def undo_tier_change(ledger: Ledger, member: Member, entry: Any, posting: Posting) -> None:
    """Puts the locked ``member`` back on the tier ``entry`` (a ``tier`` entry) moved them from, with a
    zero-point line of ``posting``'s id and references: head office refused the operation that made it."""
    details = dict(entry.details or {})
    back, undone = str(details.get("from_tier") or member.tier), str(details.get("to_tier") or member.tier)
    member.tier = back
    member.tier_warned_on = None
    ledger.note(member, replace(posting, kind=TIER_ENTRY_KIND, rule=TierChangeReason.REFUSED_CENTRALLY.value,
                                details={**(posting.details or {}), "from_tier": undone, "to_tier": back}))
