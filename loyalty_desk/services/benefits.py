"""Tier benefits at the counter: each tier's entitlements (``domain/benefits.py``, defined in the rule
settings), what a member has left this year, and the operation ``benefit.use`` that takes one without
points. The uses are counted from the member's posted ``benefit.use`` operations of the calendar year, on
the desk (its own and, through the feed, the other desks') and again at central, where the handler runs
once more: a use two offline desks both allowed is refused there when it would go past the year's number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loyalty_desk.domain.benefits import check_benefit_key, check_use, entitlements, entitlements_of
from loyalty_desk.domain.identity import validate_member_no
from loyalty_desk.domain.rules import Tier
from loyalty_desk.services.adjustments.records import acting_staff, actor_of
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.members.records import locked_member, member_or_fail
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, OperationService
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import Member
from loyalty_desk.store.uow import UnitOfWork

USE = "benefit.use"


@dataclass(frozen=True)
class BenefitLine:
    benefit: str
    allowed: int  # this calendar year
    used: int
    left: int


@dataclass(frozen=True)
class MemberBenefits:
    member_no: str
    tier: str
    status: str
    year: int
    lines: tuple[BenefitLine, ...]


@dataclass(frozen=True)
class TierBenefits:
    tier: str
    lines: tuple[tuple[str, int], ...]  # (benefit, a year)


@dataclass(frozen=True)
class BenefitUse:
    operation_id: str
    member_no: str
    benefit: str
    allowed: int
    used: int  # with this one
    left: int
    replayed: bool = False


def _year_start(now: datetime) -> datetime:
    return datetime(now.year, 1, 1)


def used_this_year(uow: UnitOfWork, member: Member, now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    for payload in uow.members.operation_payloads(member.id, USE, since=_year_start(now)):
        key = str(payload.get("benefit") or "")
        counts[key] = counts.get(key, 0) + 1
    return counts


class UseBenefitHandler:
    """Payload: ``member_no``, ``benefit``, ``branch_code``. An officer or a supervisor."""

    kind = USE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules
        staff = acting_staff(uow, request.staff_id, Permission.BENEFIT_USE)
        member = locked_member(uow, payload.get("member_no"))
        benefit = check_benefit_key(payload.get("benefit"), settings)
        used = used_this_year(uow, member, now).get(benefit, 0)
        taken = check_use(benefit=benefit, tier=member.tier, status=member.status, used=used, settings=settings, year=now.year)
        record(
            uow, actor_of(uow, staff, request.origin), "member.benefit_use", entity="member", entity_id=str(member.id), member_no=member.member_no,
            details={"operation_id": request.operation_id, "benefit": benefit, "tier": member.tier, "used": used + 1, "allowed": taken.allowed,
                     "year": now.year, "branch_code": payload.get("branch_code")}, now=now,
        )
        return Applied(result={"member_no": member.member_no, "benefit": benefit, "allowed": taken.allowed, "used": used + 1,
                               "left": taken.allowed - used - 1}, member_id=member.id)


def handlers() -> list[OperationHandler]:
    """The benefit handler, for the desk runner and central's applier."""
    return [UseBenefitHandler()]


class BenefitService(OperationService):
    def tiers(self) -> tuple[TierBenefits, ...]:
        """Every tier's entitlements, lowest tier first (a tier without any has no lines)."""
        settings = self._context.rules
        return tuple(TierBenefits(tier.value, tuple(entitlements_of(tier, settings).items())) for tier in Tier)

    def for_member(self, *, member_no: str) -> MemberBenefits:
        """The member's entitlements this calendar year and what is left of each."""
        now = self._context.clock()
        with self._context.uow() as uow:
            member = member_or_fail(uow, validate_member_no(member_no))
            lines = entitlements(member.tier, used_this_year(uow, member, now), self._context.rules)
            return MemberBenefits(member.member_no, member.tier, member.status, now.year,
                                  tuple(BenefitLine(e.benefit, e.allowed, e.used, e.left) for e in lines))

    def use(self, *, operation_id: str, session: StaffSession, member_no: str, benefit: str) -> BenefitUse:
        require(session.role, Permission.BENEFIT_USE)
        member_no = validate_member_no(member_no)
        key = check_benefit_key(benefit, self._context.rules)
        outcome = self._run(operation_id, USE, {"member_no": member_no, "benefit": key, "branch_code": session.branch_code}, session.staff_id)
        r: dict[str, Any] = outcome.result
        return BenefitUse(operation_id, str(r["member_no"]), str(r["benefit"]), int(r["allowed"]), int(r["used"]), int(r["left"]),
                          outcome.replayed)
