"""The checks of a referral registration: the referrer, the referee's fields and the fraud flags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from loyalty_desk.domain import referrals as rules
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.fields import run_checks
from loyalty_desk.domain.identity import (
    IdType,
    validate_address,
    validate_id,
    validate_mobile,
    validate_name,
)
from loyalty_desk.domain.rules import ReferralSettings
from loyalty_desk.services.referrals.records import year_bounds
from loyalty_desk.store.models import Member
from loyalty_desk.store.uow import UnitOfWork

FLAG_LOOKBACK_DAYS = 365  # how far back the referrer's earlier referrals are compared


SAME_ADDRESS_REFEREES = 2  # "several referees with the same address": this many, the new one included


def referrer_facts(uow: UnitOfWork, referrer: Member, today: date) -> rules.ReferrerFacts:
    first, last = year_bounds(today)
    return rules.ReferrerFacts(
        member_no=referrer.member_no,
        status=referrer.status,
        person=rules.Person(referrer.id_number, referrer.mobile, referrer.address),
        is_staff=uow.staff.active_with_id_number(referrer.id_number) is not None,
        qualified_this_year=uow.referrals.referrer_rewards_in(referrer.id, first, last),
        freeze_reason=referrer.freeze_reason,
    )


def existing_matches(uow: UnitOfWork, id_number: str | None, mobile: str | None) -> list[rules.ExistingMatch]:
    matches: list[rules.ExistingMatch] = []
    for member in uow.referrals.members_with(id_number=id_number, mobile=mobile):
        if id_number and member.id_number == id_number:
            matches.append(rules.ExistingMatch("id_number", member.member_no))
        if mobile and member.mobile == mobile:
            matches.append(rules.ExistingMatch("mobile", member.member_no))
    return matches


def referrer_by_code(uow: UnitOfWork, code: str) -> Member:
    referrer = uow.referrals.member_by_code(code)
    if referrer is None:
        raise ValidationError("referral.code_unknown", field="code", value=code)
    return referrer


def clean_fields(
    *, code: Any, name: Any, id_type: Any, id_number: Any, mobile: Any, address: Any, today: date
) -> tuple[dict[str, Any], list[DomainError]]:
    """Each field validated on its own: (the clean values that passed, every problem)."""
    checks: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("code", lambda: rules.validate_referral_code(code)),
        ("name", lambda: validate_name(name, "name", kind="business" if id_type == IdType.USCC.value else "person")),
        ("id_number", lambda: validate_id(id_type or "", id_number, today=today)),
        ("mobile", lambda: validate_mobile(mobile)),
        ("address", lambda: validate_address(address, "address")),
    )
    clean, problems = run_checks(checks)
    if "id_number" in clean:
        clean["id_type"] = IdType(id_type).value
    return clean, problems


def flags_for(uow: UnitOfWork, settings: ReferralSettings, referee: rules.Person, referrer: Member, today: date) -> list[rules.FlagFinding]:
    address_key = rules.normalise_address(referee.address) or None
    others = [
        rules.OtherReferral(r.id, r.referrer_member_id, m.mobile, m.address, r.registered_on)
        for r, m in uow.referrals.comparable(
            referrer_member_id=referrer.id, address_key=address_key, since=today - timedelta(days=FLAG_LOOKBACK_DAYS)
        )
    ]
    return rules.fraud_flags(
        referee=referee, referrer_member_id=referrer.id, referrer=rules.Person(referrer.id_number, referrer.mobile, referrer.address),
        registered_on=today, others=others, settings=settings, same_address_referees=SAME_ADDRESS_REFEREES,
    )
