"""The member record every feature reads by its member number, and the member's tier progress."""

from __future__ import annotations

from datetime import date

from loyalty_desk.domain import tiers as tier_rules
from loyalty_desk.domain.errors import or_not_found
from loyalty_desk.domain.identity import validate_member_no
from loyalty_desk.domain.rules import RuleSettings, Tier
from loyalty_desk.store.models import Member
from loyalty_desk.store.uow import UnitOfWork


def member_or_fail(uow: UnitOfWork, member_no: str) -> Member:
    return or_not_found(uow.members.by_no(member_no), "member", member_no)


def locked_member(uow: UnitOfWork, member_no: object) -> Member:
    """The member a handler changes, by the number in its payload, locked for the operation's transaction."""
    member = uow.members.lock(member_or_fail(uow, validate_member_no(str(member_no or ""))).id)
    assert member is not None
    return member


def qualifying_earnings(uow: UnitOfWork, member: Member, as_of: date, settings: RuleSettings) -> list[tuple[date, int]]:
    """The member's qualifying earnings (and clawbacks) in the qualifying window ending on ``as_of``."""
    window = settings.tiers.qualifying_window_months
    return uow.earning.qualifying_earnings(member.id, after=tier_rules.window_start(as_of, window))


def tier_progress_of(uow: UnitOfWork, member: Member, as_of: date, settings: RuleSettings) -> tier_rules.TierProgress:
    earnings = qualifying_earnings(uow, member, as_of, settings)
    return tier_rules.tier_progress(Tier(member.tier), member.last_upgrade_on, earnings, as_of, settings)
