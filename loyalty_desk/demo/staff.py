"""The demo's branches, staff accounts and other reference rows."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from typing import Any

from loyalty_desk.demo.reference_data import BRANCHES, GIVEN_CHARS, REGIONS, SURNAMES
from loyalty_desk.domain.identity import (
    make_resident_id,
)
from loyalty_desk.domain.rules import DEFAULT_RULES

DEMO_PASSWORD = "demo1234"


def staff_plan() -> list[tuple[str, str, int, str]]:
    """(username, role, branch_id, display name)."""
    rng = random.Random("staff")
    plan: list[tuple[str, str, int, str]] = []
    surnames = [s for s, _ in SURNAMES[:30]]

    def person() -> str:
        return rng.choice(surnames) + rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS)

    for branch_id, branch in enumerate(BRANCHES, start=1):
        key = branch[4]
        if branch[3]:
            plan.append(("admin", "admin", branch_id, person()))
            plan.append(("auditor", "auditor", branch_id, person()))
        for n in (1, 2):
            plan.append((f"supervisor.{key}{n}", "supervisor", branch_id, person()))
        for n in (1, 2):
            plan.append((f"officer.{key}{n}", "officer", branch_id, person()))
    # head-office marketing last, so every other account keeps its id: two, one drafts and the other approves
    head_office = next(branch_id for branch_id, branch in enumerate(BRANCHES, start=1) if branch[3])
    for n in (1, 2):
        plan.append((f"marketing.{n}", "marketing", head_office, person()))
    return plan


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(username, role, branch_code, password) of every demo staff account."""
    return [(u, role, BRANCHES[b - 1][0], DEMO_PASSWORD) for u, role, b, _ in staff_plan()]


def write_reference(database: Any, today: date, password_hash: str) -> None:
    """Branches, staff and rule settings through the unit of work (ids 1..n, in order)."""
    from loyalty_desk.services.audit import SYSTEM, record
    from loyalty_desk.services.staff_keys import issue_credential
    from loyalty_desk.store.models import Branch, Staff
    from loyalty_desk.store.uow import uow_factory

    now = datetime.combine(today, time(0, 0))
    with uow_factory(database)(write=True) as uow:
        for branch_id, (code, zh, en, hq, _key, _city, _w) in enumerate(BRANCHES, start=1):
            uow.reference.add_branch(Branch(id=branch_id, code=code, name_zh=zh, name_en=en, is_head_office=hq, region=REGIONS[code]))
            record(uow, SYSTEM, "branch.created", entity="branch", entity_id=code,
                   after={"code": code, "name_zh": zh, "name_en": en, "is_head_office": hq, "region": REGIONS[code]}, now=now)
        for staff_id, (username, role, branch_id, display) in enumerate(staff_plan(), start=1):
            birth = date(1975 + staff_id % 20, 1 + staff_id % 12, 1 + staff_id % 28)
            staff = uow.staff.add(Staff(
                id=staff_id, username=username, display_name=display, role=role, branch_id=branch_id,
                active=True, failed_sign_ins=0, locked_until=None,
                must_change_password=False, id_number=make_resident_id("110105", birth, 900 + staff_id),
                mobile=f"1390000{staff_id:04d}", created_at=now,
            ))
            issue_credential(uow, staff, DEMO_PASSWORD, now, password_hash=password_hash)
            record(uow, SYSTEM, "staff.created", entity="staff", entity_id=username,
                   after={"username": username, "role": role, "branch": BRANCHES[branch_id - 1][0]}, now=now)
        for section, value in DEFAULT_RULES.to_dict().items():
            uow.reference.put_rule_section(section, value, by="system", now=now)
            record(uow, SYSTEM, "settings.changed", entity="rule_setting", entity_id=section, after=value, now=now)
        uow.commit()
