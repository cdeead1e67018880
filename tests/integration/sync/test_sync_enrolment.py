"""Enrolling a walk-in client through sync on a real PostgreSQL central: a member enrolled at desk A
(a number from A's reserved block) reaches central and, through the feed, desk B of the same region,
where the same mobile is then refused naming the member; a member enrolled at A while central cannot
be reached gets a provisional number that central replaces with a final one, which both desks then hold."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sync_support import central_rows

from loyalty_desk.bootstrap import build_services
from loyalty_desk.cli.main import main
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.identity import is_provisional_member_no, make_resident_id
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.store.db import make_engine
from loyalty_desk.sync.applier import Applier
from loyalty_desk.sync.central import add_desk
from loyalty_desk.sync.desk_settings import DeskSettings

pytestmark = pytest.mark.postgres


def _client(n: int) -> dict[str, str]:
    return {"name": f"新客{'一二三四五'[n % 5]}", "id_type": "resident_id",
            "id_number": make_resident_id("310104", date(1986, 1, 1) + timedelta(days=41 * n), 200 + n), "mobile": f"1570000{n:04d}"}


def _joined_desk(central_url: str, data_dir: Path, name: str):
    engine = make_engine(central_url)
    try:
        credentials = add_desk(engine, name, branch_code="BJ01")
    finally:
        engine.dispose()
    DeskSettings(credentials.url(central_url), name).save(data_dir)
    desk = build_services(data_dir)
    assert "offline" not in desk.sync.sync_once()
    desk.settings.invalidate()
    return desk


def test_a_member_enrolled_at_one_desk_reaches_another_through_central(central_url: str, desk_prefix: str, tmp_path: Path, capsys) -> None:
    assert main(["demo", "--central", central_url, "--members", "30"]) == 0
    capsys.readouterr()
    desk_a = _joined_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = _joined_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        officer_a = desk_a.auth.sign_in(username="officer.bj1", password="demo1234")
        officer_b = desk_b.auth.sign_in(username="officer.bj1", password="demo1234")
        card = "6222021234567894"
        online = desk_a.enrolment.enrol(operation_id=desk_a.enrolment.new_operation_id(), session=officer_a, card_no=card, **_client(1))
        assert not online.member_no_provisional

        # offline at A with its block used up: a provisional number, shown as such
        with desk_a.runner._context.uow(write=True) as uow:
            uow.ledger.session.execute(text("UPDATE member_no_block SET next_serial = last_serial + 1"))
            uow.commit()
        desk_a.sync.desk._mark(state="offline")
        offline = desk_a.enrolment.enrol(operation_id=desk_a.enrolment.new_operation_id(), session=officer_a, **_client(2))
        assert offline.member_no_provisional and is_provisional_member_no(offline.member_no)

        assert "offline" not in desk_a.sync.sync_once(wait=0.0)
        assert applier.drain().posted == 2
        assert "offline" not in desk_a.sync.sync_once(wait=1.0)
        assert central_rows(central_url, "SELECT member_no, card_no, status FROM member WHERE mobile = :m", m=_client(1)["mobile"]) == [
            (online.member_no, card, "active")]
        [(final,)] = central_rows(central_url, "SELECT member_no FROM member WHERE mobile = :m", m=_client(2)["mobile"])
        assert not is_provisional_member_no(final)
        assert central_rows(central_url, "SELECT kind FROM operation WHERE id = :o", o=online.operation_id) == [("member.enrol",)]
        # A's own copy follows central's number
        assert [(r.member_no, r.member_no_provisional) for r in desk_a.lookup.search(text=_client(2)["mobile"]).rows] == [(final, False)]

        # B hears of both through the feed, and refuses the same mobile or card naming the member
        assert "offline" not in desk_b.sync.sync_once(wait=1.0)
        assert [r.member_no for r in desk_b.lookup.search(text=_client(1)["mobile"]).rows] == [online.member_no]
        assert [r.member_no for r in desk_b.lookup.search(text=_client(2)["mobile"]).rows] == [final]
        with pytest.raises(ValidationError) as refused:
            desk_b.enrolment.enrol(operation_id=desk_b.enrolment.new_operation_id(), session=officer_b,
                                   **{**_client(3), "mobile": _client(1)["mobile"]})
        assert (refused.value.code, refused.value.params["member_no"]) == ("member.identity_taken", online.member_no)
        problems = desk_b.enrolment.problems(**{**_client(4), "card_no": card})
        assert [(p.params["field"], p.params["member_no"]) for p in problems] == [("card_no", online.member_no)]
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()
