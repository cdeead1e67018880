"""Tier benefits through sync on a real PostgreSQL central: uses at one desk reach another through the
feed, which then says how many are left; the last use taken at two desks before either heard of the
other is refused by central for the second."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sync_support import BRANCH, Desk, central_rows, new_desk, seed_central

from loyalty_desk.services.benefits import BenefitService
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.store.db import make_engine
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres


def _session(desk: Desk) -> StaffSession:
    session = desk.sign_in("sup1")
    return StaffSession(session.staff_id, session.username, session.display_name, session.role, BRANCH, "总行", "Head office")


def _settled(desk: Desk, applier: Applier, operation_id: str) -> str:
    desk.sync.desk.push([operation_id])
    applier.drain()
    verdict = desk.sync.confirm(operation_id, wait=2.0)
    assert verdict is not None
    return verdict.outcome


def _left(service: BenefitService, member_no: str, benefit: str) -> int:
    return {line.benefit: line.left for line in service.for_member(member_no=member_no).lines}[benefit]


def test_benefit_uses_reach_the_other_desk_and_central_refuses_one_too_many(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    [member_no] = seed_central(central_url, [1_000])
    engine = make_engine(central_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE member SET tier = 'gold' WHERE member_no = :m"), {"m": member_no})
    engine.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        service_a, service_b = BenefitService(desk_a.context, desk_a.runner), BenefitService(desk_b.context, desk_b.runner)
        session_a, session_b = _session(desk_a), _session(desk_b)
        assert _left(service_b, member_no, "airport_lounge") == 4
        for _ in range(3):
            used = service_a.use(operation_id=service_a.new_operation_id(), session=session_a, member_no=member_no, benefit="airport_lounge")
            assert _settled(desk_a, applier, used.operation_id) == "accepted"
        desk_b.sync.desk.pull()
        assert _left(service_b, member_no, "airport_lounge") == 1

        # the last one, taken at both desks before either hears of the other: central refuses the second
        last_a = service_a.use(operation_id=service_a.new_operation_id(), session=session_a, member_no=member_no, benefit="airport_lounge")
        last_b = service_b.use(operation_id=service_b.new_operation_id(), session=session_b, member_no=member_no, benefit="airport_lounge")
        assert (last_a.left, last_b.left) == (0, 0)
        assert _settled(desk_a, applier, last_a.operation_id) == "accepted"
        assert _settled(desk_b, applier, last_b.operation_id) == "rejected"
        assert central_rows(central_url, "SELECT reason_code FROM inbound_operation WHERE operation_id = :o", o=last_b.operation_id) == [
            ("benefit.used_up",)]
        desk_b.sync.desk.pull()
        assert _left(service_b, member_no, "airport_lounge") == 0
        assert central_rows(central_url, "SELECT count(*) FROM operation WHERE kind = 'benefit.use' AND status = 'posted'") == [(4,)]
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()
