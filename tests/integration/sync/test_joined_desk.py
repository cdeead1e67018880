"""A desk joined to central never diverges from it and is never stuck (real PostgreSQL).

* Imports on a joined desk are refused with a message saying how to do it at head office; nothing is
  written.
* Rows an older release wrote into a joined desk's store outside the operations (a member import, a
  transaction import), with head office then giving that member's number to someone else: the desk
  keeps syncing, its operations on the member it imported are never sent, every other operation
  goes through, the rows give way and are in the exceptions queue with their reason, and the desk's
  balances end equal to central's.
* A waiting registration whose new member clashes with central's row on pull: the local row gives
  way, the operation goes to the exceptions queue (``sync.conflict``), the round goes on.
* A row central's database refuses at push rejects only that operation.
* Member numbers: a joined desk's come from blocks of central's sequence; offline with none left, a
  provisional number shown as such until central's copy brings the final one; blocks of two desks
  and head office's own numbers never meet, and a desk's login may only reserve.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sync_support import BRANCH, HANDLERS, HELD_BY_NORTH, TestDebit, central_balances, central_scalar, new_desk, seed_central

from loyalty_desk.central_data import central_services
from loyalty_desk.cli.main import main
from loyalty_desk.domain.identity import make_resident_id
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.earning.file_import import ImportService
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.members.file_import import MemberImportService
from loyalty_desk.store.db import make_engine
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres

HEAD_OFFICE = Actor(username="ho.operator", desk="head-office")


def _members_file(path: Path, people: list[tuple[str, str, str]], branch: str = BRANCH) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "id_type", "id_number", "mobile", "branch_code"])
        for name, id_number, mobile in people:
            writer.writerow([name, "resident_id", id_number, mobile, branch])
    return path


def _transactions_file(path: Path, member_no: str, count: int, prefix: str = "LOCAL") -> Path:
    day = (date.today() - timedelta(days=1)).isoformat()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("txn_id", "member_no", "date", "source", "amount", "product", "due_date", "original_txn_id"))
        for i in range(count):
            writer.writerow((f"{prefix}-{i}", member_no, day, "branch_event", "", "", "", ""))
    return path


def test_imports_and_jobs_on_a_joined_desk_are_refused_with_the_way_to_do_it(central_url: str, desk_prefix: str, tmp_path: Path, capsys) -> None:
    (member_no,) = seed_central(central_url, [1000])
    data_dir = tmp_path / "desk"
    desk = new_desk(central_url, data_dir, f"{desk_prefix}_a")
    desk.close()
    people = _members_file(tmp_path / "people.csv", [("本地新客", make_resident_id("110105", date(1990, 1, 2), 11), "13712345678")])
    feed = _transactions_file(tmp_path / "feed.csv", member_no, 2)
    adjustments = tmp_path / "adjustments.csv"
    adjustments.write_text(f"member_no,points,reason_code,memo,evidence_ref\n{member_no},100,goodwill,x,y\n", encoding="utf-8")

    before = (data_dir / "loyalty.db").stat().st_size if (data_dir / "loyalty.db").exists() else None
    for argv in (
        ["import", "members", str(people)],
        ["import", "transactions", str(feed)],
        ["import", "adjustments", str(adjustments), "--user", "sup1"],
    ):
        assert main(["--data-dir", str(data_dir), *argv]) == 1, argv
        err = capsys.readouterr().err
        assert "joined to head office" in err and "--central" in err, err
        assert "password" not in err.lower()
    for argv in (["expire"], ["approvals", "expire"], ["referrals", "sweep"], ["tiers", "review"]):  # head office runs the jobs
        assert main(["--data-dir", str(data_dir), *argv]) == 1, argv
        err = capsys.readouterr().err
        assert "joined to head office" in err and "central run" in err, err
    from sync_support import open_desk

    desk = open_desk(data_dir)
    try:
        with desk.context.uow() as uow:
            session = uow.ledger.session
            assert session.execute(text("SELECT count(*) FROM member")).scalar() == 1
            assert session.execute(text("SELECT count(*) FROM ledger_entry WHERE id >= :b"), {"b": 1 << 48}).scalar() == 0
            assert session.execute(text("SELECT count(*) FROM audit_event WHERE action LIKE 'import.%' OR action LIKE 'expiry%'")).scalar() == 0
        assert desk.balance(member_no) == 1000
    finally:
        desk.close()
    assert before is None or (data_dir / "loyalty.db").exists()


def test_a_desk_with_local_rows_of_an_older_release_keeps_syncing_and_ends_equal_to_central(
    central_url: str, desk_prefix: str, tmp_path: Path
) -> None:
    numbers = seed_central(central_url, [27_548, 5_000, 3_000])
    rich, other, third = numbers
    desk = new_desk(central_url, tmp_path / "desk", f"{desk_prefix}_a")
    applier = Applier(central_url, HANDLERS)
    head_office = central_services(central_url)
    try:
        # What an older release let an operator do on a joined desk: import straight into the desk's store.
        local_people = _members_file(tmp_path / "local.csv", [("本地新客", make_resident_id("110105", date(1990, 1, 2), 11), "13712345678")])
        local = MemberImportService(desk.context).import_members(path=local_people, actor=HEAD_OFFICE)
        assert local.registered == 1
        local_no = local.member_nos[0]
        imports = ImportService(desk.context, EarningService(desk.context))
        earned = imports.import_transactions(path=_transactions_file(tmp_path / "local-feed.csv", rich, 4), actor=HEAD_OFFICE)
        assert earned.points_posted > 0 and desk.balance(rich) == 27_548 + earned.points_posted
        imports.import_transactions(path=_transactions_file(tmp_path / "local-feed-2.csv", local_no, 2, prefix="NEW"), actor=HEAD_OFFICE)
        spent_locally = desk.debit(local_no, desk.balance(local_no))  # the desk serves the member it imported

        # head office's next member import gives the same number to someone else
        central_people = _members_file(tmp_path / "ho.csv", [("总行新客", make_resident_id("110105", date(1991, 2, 3), 12), "13799998888")])
        imported = head_office.member_import.import_members(path=central_people, actor=HEAD_OFFICE)
        assert imported.member_nos == (local_no,)
        credit_someone_else(central_url, local_no, 900)

        # the desk keeps working meanwhile: operations before and after
        assert desk.debit(other, 700).status == "posted"
        for _ in range(3):
            result = desk.sync.sync_once(wait=0.0)
            assert "offline" not in result, result
            applier.drain()
        assert desk.debit(third, 300).status == "posted"
        for _ in range(2):
            result = desk.sync.sync_once(wait=1.0)
            assert "offline" not in result, result
            applier.drain()

        status = desk.sync.status()
        assert status.state == "online" and status.waiting == 0
        by_reason = {}
        for e in desk.sync.exceptions():
            by_reason.setdefault(e.reason_code, []).append(e)
        assert sorted(by_reason) == ["sync.local_only", "sync.member_unknown"]
        tables = sorted((e.params["table"], e.params["member_no"]) for e in by_reason["sync.local_only"])
        assert tables == [("ledger_entry", rich), ("member", local_no)]
        (entries,) = [e for e in by_reason["sync.local_only"] if e.params["table"] == "ledger_entry"]
        assert entries.params["points"] == earned.points_posted
        (never_sent,) = by_reason["sync.member_unknown"]
        assert never_sent.operation_id == spent_locally.operation_id and never_sent.params["member_no"] == local_no
        # the operation on the desk's own member never reached head office, where the number is someone else's
        assert central_scalar(central_url, f"SELECT count(*) FROM inbound_operation WHERE operation_id = '{spent_locally.operation_id}'") == 0
        assert central_balances(central_url)[local_no] == 900
        assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'posted'") == 2
        assert all(len(e.operation_id) == 36 for e in desk.sync.exceptions())  # UUIDs: a supervisor decides on them as on any other
        assert desk.balances() == central_balances(central_url)
        with desk.context.uow() as uow:
            member = uow.members.by_no(local_no)
            assert member is not None and member.name == "总行新客" and member.id < 1 << 48
            assert uow.ledger.session.execute(text("SELECT count(*) FROM ledger_entry WHERE id >= :b"), {"b": 1 << 48}).scalar() == 0
    finally:
        head_office.close()
        applier.close()
        desk.close()


def credit_someone_else(url: str, member_no: str, points: int) -> None:
    """Head office credits the member its import registered (through the ledger)."""
    from loyalty_desk.services.ledger import Ledger, Posting
    from loyalty_desk.services.settings import SettingsService
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory

    database = Database(url)
    try:
        factory = uow_factory(database)
        settings = SettingsService(factory)
        with factory(write=True) as uow:
            member = uow.members.lock(uow.members.by_no(member_no).id)
            Ledger(uow, settings.current(), datetime(2026, 11, 2, 9, 0)).credit(
                member, Posting(entry_uid=f"seed:{member_no}", kind="earn", rule="seed", occurred_on=date.today()), points, qualifying=True
            )
            uow.commit()
    finally:
        database.dispose()


def test_a_waiting_registration_whose_member_clashes_with_central_gives_way_and_the_round_goes_on(
    central_url: str, desk_prefix: str, tmp_path: Path
) -> None:
    """A registration an older release numbered after the desk's highest member, still waiting, while
    head office's import gives that number to someone else: the pull meets the clash."""
    from loyalty_desk.services.dto import StaffSession
    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.services.referrals.records import referral_code_for
    from loyalty_desk.services.referrals.service import ReferralService

    referrer, other = seed_central(central_url, [1_000, 4_000])
    engine = make_engine(central_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE member SET referral_code = :c WHERE member_no = :n"), {"c": referral_code_for(referrer), "n": referrer})
            staff_id = connection.execute(text("SELECT id FROM staff WHERE username = 'sup1'")).scalar()
    finally:
        engine.dispose()
    desk = new_desk(central_url, tmp_path / "desk", f"{desk_prefix}_r")
    referrals = ReferralService(desk.context, desk.runner)  # numbers after the desk's highest, as an older release did
    applier = Applier(central_url, [*HANDLERS, *operation_handlers()])
    head_office = central_services(central_url)
    try:
        session = StaffSession(int(staff_id), "sup1", "Supervisor", "supervisor", BRANCH, "总行", "Head office")
        registered = referrals.register(operation_id=referrals.new_operation_id(), session=session, code=referral_code_for(referrer), **_person(7))
        imported = head_office.member_import.import_members(
            path=_members_file(tmp_path / "ho.csv", [("总行新客", make_resident_id("110105", date(1991, 2, 3), 12), "13799998888")]),
            actor=HEAD_OFFICE,
        )
        assert imported.member_nos == (registered.referee_no,)
        assert desk.debit(other, 1_500).status == "posted"

        result = desk.sync.sync_once(wait=0.0)  # pushed, no verdict yet; the pull brings central's member
        assert "offline" not in result, result
        (exception,) = desk.sync.exceptions()
        assert exception.operation_id == registered.operation_id and exception.reason_code == "sync.conflict"
        assert exception.params["column"] == "member_no" and exception.params["value"] == registered.referee_no
        applier.drain()  # central refuses the registration too (the number is taken there)
        for _ in range(2):
            assert "offline" not in desk.sync.sync_once(wait=1.0)
        assert central_scalar(central_url, f"SELECT status FROM inbound_operation WHERE operation_id = '{registered.operation_id}'") == "rejected"
        assert [e.operation_id for e in desk.sync.exceptions()] == [registered.operation_id]
        status = desk.sync.status()
        assert status.state == "online" and status.waiting == 0
        assert desk.balances() == central_balances(central_url)
        with desk.context.uow() as uow:
            assert uow.members.by_no(registered.referee_no).name == "总行新客"
            assert uow.ledger.session.execute(text("SELECT count(*) FROM referral")).scalar() == 0
    finally:
        head_office.close()
        applier.close()
        desk.close()


def _person(n: int) -> dict[str, str]:
    return {
        "name": f"新客{'一二三四五'[n % 5]}",
        "id_type": "resident_id",
        "id_number": make_resident_id("310104", date(1985, 1, 1) + timedelta(days=37 * n), 100 + n),
        "mobile": f"1580000{n:04d}",
        "address": f"上海市徐汇区漕溪北路{n}号",
    }


def test_member_numbers_of_a_joined_desk_come_from_central_and_a_provisional_one_is_confirmed(
    central_url: str, desk_prefix: str, tmp_path: Path, capsys
) -> None:
    import json as json_module

    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.domain.identity import is_provisional_member_no, make_member_no
    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.sync.central import add_desk
    from loyalty_desk.sync.desk_settings import DeskSettings

    assert main(["demo", "--central", central_url, "--members", "30"]) == 0
    capsys.readouterr()
    engine = make_engine(central_url)
    try:
        credentials = add_desk(engine, f"{desk_prefix}_n", branch_code="BJ01")
    finally:
        engine.dispose()
    data_dir = tmp_path / "desk"
    DeskSettings(credentials.url(central_url), f"{desk_prefix}_n").save(data_dir)
    desk = build_services(data_dir)
    applier = Applier(central_url, operation_handlers())
    head_office = central_services(central_url)
    try:
        assert "offline" not in desk.sync.sync_once()
        desk.settings.invalidate()
        # the round reserved a block of central's sequence for this desk, recorded per desk at central
        first, last = (int(v) for v in _central_row(central_url, "SELECT first_serial, last_serial FROM member_no_block"))
        assert central_scalar(central_url, "SELECT desk FROM member_no_block") == f"{desk_prefix}_n"
        officer = desk.auth.sign_in(username="officer.bj1", password="demo1234")
        code = str(central_scalar(central_url, "SELECT referral_code FROM member WHERE status = 'active' AND referral_code IS NOT NULL ORDER BY id LIMIT 1"))

        online = desk.referrals.register(operation_id=desk.referrals.new_operation_id(), session=officer, code=code, **_person(1))
        assert online.referee_no == make_member_no(first) and not is_provisional_member_no(online.referee_no)
        # head office's import numbers from the same sequence: never a number of the desk's block
        imported = head_office.member_import.import_members(
            path=_members_file(tmp_path / "ho.csv", [("总行新客", make_resident_id("110105", date(1991, 2, 3), 12), "13799998888")], "BJ01"),
            actor=HEAD_OFFICE,
        )
        assert imported.registered == 1, imported.problems
        assert int(imported.member_nos[0][1:-1]) > last

        # offline with the block used up: a provisional number, shown as such
        with desk.runner._context.uow(write=True) as uow:  # the block used up by earlier registrations
            uow.ledger.session.execute(text("UPDATE member_no_block SET next_serial = last_serial + 1"))
            uow.commit()
        desk.sync.desk._mark(state="offline")  # central unreachable at this moment
        offline = desk.referrals.register(operation_id=desk.referrals.new_operation_id(), session=officer, code=code, **_person(2))
        assert is_provisional_member_no(offline.referee_no)
        assert desk.members.view(member_no=offline.referee_no).member_no_provisional
        assert [r.member_no_provisional for r in desk.lookup.search(text=_person(2)["mobile"]).rows] == [True]
        assert main(["--data-dir", str(data_dir), "member", offline.referee_no, "--json"]) == 0
        assert json_module.loads(capsys.readouterr().out)["member"]["member_no_provisional"] is True
        assert main(["--data-dir", str(data_dir), "member", offline.referee_no]) == 0
        assert "(provisional)" in capsys.readouterr().out

        # back online: central gives the final number, the desk's copy follows
        assert "offline" not in desk.sync.sync_once(wait=0.0)
        assert applier.drain().posted == 2
        assert "offline" not in desk.sync.sync_once(wait=1.0)
        final = str(central_scalar(central_url, f"SELECT member_no FROM member WHERE mobile = '{_person(2)['mobile']}'"))
        assert not is_provisional_member_no(final) and int(final[1:-1]) > last
        rows = desk.lookup.search(text=_person(2)["mobile"]).rows
        assert [(r.member_no, r.member_no_provisional) for r in rows] == [(final, False)]
        assert [r.member_no for r in desk.lookup.search(text=_person(1)["mobile"]).rows] == [online.referee_no]
        status = desk.sync.status()
        assert status.waiting == 0 and status.exceptions == 0
        with desk.runner._context.uow() as uow:
            session = uow.ledger.session
            assert session.execute(text("SELECT count(*) FROM member WHERE id >= :b"), {"b": 1 << 48}).scalar() == 0
            # a BJ01 desk holds the north region's members
            assert session.execute(text("SELECT count(*) FROM member")).scalar() == central_scalar(central_url, f"SELECT count(*) FROM ({HELD_BY_NORTH}) AS m")
        # the next block was reserved as this one ran out
        assert central_scalar(central_url, "SELECT count(*) FROM member_no_block") == 2
    finally:
        head_office.close()
        applier.close()
        desk.close()


def _central_row(url: str, sql: str) -> tuple:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return tuple(connection.execute(text(sql)).one())
    finally:
        engine.dispose()


class _LongKindDebit(TestDebit):
    """A debit whose kind is longer than central's ``inbound_operation.kind`` column: central refuses that row."""

    __test__ = False
    kind = "test_debit_of_a_kind_central_cannot_hold"


def test_a_row_central_refuses_at_push_rejects_only_that_operation(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    import uuid

    from loyalty_desk.services.operations import OperationRequest

    first, second = seed_central(central_url, [5_000, 5_000])
    desk = new_desk(central_url, tmp_path / "desk", f"{desk_prefix}_p")
    applier = Applier(central_url, HANDLERS)
    try:
        desk.runner.register(_LongKindDebit())
        assert desk.debit(first, 100).status == "posted"
        refused = desk.runner.execute(
            OperationRequest(
                operation_id=str(uuid.uuid4()), kind=_LongKindDebit.kind, payload={"member_no": second, "points": 400}, origin=desk.name,
                staff_id=desk.staff_id,
            )
        )
        assert refused.status == "posted" and desk.balance(second) == 4_600
        assert desk.debit(second, 200).status == "posted"
        report = desk.sync.desk.push()
        assert (report.sent, report.refused) == (2, 1)
        assert desk.sync.status().state == "online"
        assert applier.drain().posted == 2
        assert "offline" not in desk.sync.sync_once(wait=1.0)
        (exception,) = desk.sync.exceptions()
        assert exception.operation_id == refused.operation_id and exception.reason_code == "sync.push_refused"
        assert "value too long" in exception.params["reason"]
        assert desk.balances() == central_balances(central_url) == {first: 4_900, second: 4_800}
    finally:
        applier.close()
        desk.close()


def test_member_number_blocks_are_disjoint_and_only_the_reservation_is_open_to_a_desk(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    """Two desks reserving at once and head office numbering meanwhile never meet; a desk's login may
    reserve a block for itself and do nothing else with the numbers."""
    from concurrent.futures import ThreadPoolExecutor

    import psycopg

    from loyalty_desk.sync.central import add_desk

    seed_central(central_url, [0])
    engine = make_engine(central_url)
    try:
        logins = [add_desk(engine, f"{desk_prefix}_{n}", branch_code=BRANCH).url(central_url) for n in ("x", "y")]
    finally:
        engine.dispose()

    def reserve(url: str) -> list[tuple[int, int]]:
        with psycopg.connect(url, autocommit=True) as connection:
            return [tuple(connection.execute("SELECT first_serial, last_serial FROM ld_reserve_member_numbers(37)").fetchone()) for _ in range(6)]

    def head_office() -> list[tuple[int, int]]:
        with psycopg.connect(central_url) as connection:
            taken = []
            for _ in range(6):
                first = connection.execute("SELECT ld_member_serials(25)").fetchone()[0]
                connection.commit()
                taken.append((first, first + 24))
            return taken

    with ThreadPoolExecutor(3) as pool:
        runs = [pool.submit(reserve, logins[0]), pool.submit(reserve, logins[1]), pool.submit(head_office)]
        ranges = [r for run in runs for r in run.result()]
    serials = [s for first, last in ranges for s in range(first, last + 1)]
    assert len(serials) == len(set(serials)) == 2 * 6 * 37 + 6 * 25
    assert central_scalar(central_url, "SELECT count(*) FROM member_no_block") == 12
    assert central_scalar(central_url, f"SELECT count(DISTINCT desk) FROM member_no_block WHERE desk LIKE '{desk_prefix}%'") == 2

    with psycopg.connect(logins[0], autocommit=True) as connection:
        for sql in ("SELECT ld_member_serials(5)", "SELECT * FROM member_no_block", "SELECT nextval('member_no_serial')",
                    "SELECT * FROM ld_reserve_member_numbers(5000)"):
            with pytest.raises(psycopg.Error):
                connection.execute(sql)


def test_accounts_are_not_created_reset_or_disabled_in_a_joined_desks_own_store(
    central_url: str, desk_prefix: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    """Central would never learn such an account's key (or that it was disabled): the desk refuses and says
    how head office does it; unlocking stays local (only the desk's own sign-in lock)."""
    from sync_support import STAFF_PASSWORD, add_central_staff

    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory

    seed_central(central_url, [1000])
    database = Database(central_url)
    try:
        with uow_factory(database)(write=True) as uow:
            add_central_staff(uow, "admin1", "admin", uow.reference.branch_by_code(BRANCH).id, datetime(2026, 11, 1, 9, 0))
            uow.commit()
    finally:
        database.dispose()
    data_dir = tmp_path / "desk"
    new_desk(central_url, data_dir, f"{desk_prefix}_a").close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", STAFF_PASSWORD)
    monkeypatch.setenv("LOYALTY_DESK_NEW_PASSWORD", "Temporary-pass-1")
    here = ["--data-dir", str(data_dir)]
    for argv in (["staff", "add", "clerk9", "--name", "Clerk", "--role", "officer", "--branch", BRANCH],
                 ["staff", "reset-password", "sup1"], ["staff", "deactivate", "sup1"]):
        assert main([*here, *argv, "--user", "admin1"]) == 1, argv
        err = capsys.readouterr().err
        assert "joined to head office" in err and f"staff {argv[1]}" in err and "--central" in err, err
    from sync_support import open_desk

    desk = open_desk(data_dir)
    try:
        with desk.context.uow() as uow:
            session = uow.ledger.session
            assert session.execute(text("SELECT count(*) FROM staff WHERE username = 'clerk9'")).scalar() == 0
            assert session.execute(text("SELECT active, must_change_password FROM staff WHERE username = 'sup1'")).one() == (True, False)
        desk.sign_in("sup1")  # the password and key it had still open
    finally:
        desk.close()
    assert central_scalar(central_url, "SELECT count(*) FROM staff WHERE username = 'clerk9'") == 0
