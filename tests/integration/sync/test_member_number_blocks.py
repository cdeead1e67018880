"""A registration's member number must come from a block central reserved to the desk that sends it:
with nothing but a desk's login, a number from another desk's block or one central never handed out
is rejected with its recorded reason and creates no member; a provisional number is not judged by
the blocks (central gives it a final one)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import psycopg
from sqlalchemy import text
from sync_support import add_central_staff, central_staff_key, desk_login_dsn, push_as_desk, signed_row

from loyalty_desk.domain.identity import PROVISIONAL_SERIAL_FROM, make_member_no, make_resident_id
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.referrals import referral_code_for
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.models import Branch
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier


def _officer(url: str) -> None:
    database = Database(url)
    try:
        with uow_factory(database)(write=True) as uow:
            here = uow.reference.add_branch(Branch(code="BR01", name_zh="网点一", name_en="Branch one", is_head_office=False))
            add_central_staff(uow, "off_here", "officer", here.id, datetime(2026, 11, 1, 9, 0))
            uow.commit()
    finally:
        database.dispose()


def _reserve(dsn: str, count: int) -> tuple[int, int]:
    with psycopg.connect(dsn, autocommit=True) as connection:
        row = connection.execute("SELECT first_serial, last_serial FROM ld_reserve_member_numbers(%s)", (count,)).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])

def _registration(n: int, member_no: str) -> dict[str, Any]:
    return {"code": referral_code_for(make_member_no(123)), "name": "新客", "id_type": "resident_id",
            "id_number": make_resident_id("310104", date(1985, 1, n), 100 + n), "mobile": f"1371234{n:04d}", "address": None, "member_no": member_no}


def _verdicts(url: str, ids: list[str]) -> dict[str, tuple[str, str | None, Any]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT operation_id, status, reason_code, reason_params FROM inbound_operation "
                                           "WHERE operation_id = ANY(:ids)"), {"ids": ids}).all()
            assert connection.scalar(text("SELECT count(*) FROM operation WHERE id = ANY(:ids)"), {"ids": ids}) == 0
    finally:
        engine.dispose()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_a_desk_cannot_register_a_member_with_a_number_outside_its_own_blocks(central_url: str, desk_prefix: str) -> None:
    _officer(central_url)
    desk_a, desk_b = f"{desk_prefix}_a", f"{desk_prefix}_b"
    dsn_a, dsn_b = desk_login_dsn(central_url, desk_a, branch_code="BR01"), desk_login_dsn(central_url, desk_b, branch_code="BR01")
    own_first, _ = _reserve(dsn_a, 5)
    other_first, other_last = _reserve(dsn_b, 5)
    key = central_staff_key(central_url, "off_here")
    others = make_member_no(other_first + 2)
    never_given = make_member_no(other_last + 500)
    provisional = make_member_no(PROVISIONAL_SERIAL_FROM + 3)
    ids = {name: push_as_desk(dsn_a, signed_row(key, "referral.register", _registration(i + 1, number), desk=desk_a, operation_id=str(uuid.uuid4())))
           for i, (name, number) in enumerate([("others", others), ("never", never_given), ("own", make_member_no(own_first)),
                                                ("provisional", provisional)])}
    applier = Applier(central_url, operation_handlers())
    try:
        applier.drain()
    finally:
        applier.close()
    verdicts = _verdicts(central_url, list(ids.values()))
    assert verdicts[ids["others"]] == ("rejected", "member_no.not_reserved", {"member_no": others, "desk": desk_a})
    assert verdicts[ids["never"]] == ("rejected", "member_no.not_reserved", {"member_no": never_given, "desk": desk_a})
    # the number rule lets these two through to the handler, which refuses the made-up referral code
    assert verdicts[ids["own"]][:2] == ("rejected", "referral.code_unknown")
    assert verdicts[ids["provisional"]][:2] == ("rejected", "referral.code_unknown")
