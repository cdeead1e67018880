"""What a desk's own login can read at central: its region's members, its branch's credentials, nothing else.

Every test here connects with nothing but a desk's login (the URL ``central add-desk`` prints) and
tries what an attacker holding a branch PC would: every table, the change feed paged and in bulk,
every function the role may call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sync_support import open_desk

from loyalty_desk.domain.identity import make_member_no
from loyalty_desk.services.analytics.service import AnalyticsService
from loyalty_desk.services.audit import SYSTEM
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.models import Branch, Member, Staff, StaffCredential
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync import central as central_module
from loyalty_desk.sync import feed as feed_module
from loyalty_desk.sync import protocol
from loyalty_desk.sync.central import add_desk
from loyalty_desk.sync.desk_settings import DeskSettings

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 1, 9, 0)


@dataclass
class World:
    url: str
    members: dict[str, int]  # label -> member id
    member_nos: dict[str, str]
    staff: dict[str, int]  # username -> staff id
    secrets: dict[str, str]  # text that must never reach a desk outside its scope -> whose


def _seed(url: str) -> World:
    database = Database(url)
    factory = uow_factory(database)
    settings = SettingsService(factory)
    settings.seed_defaults(SYSTEM)
    members: dict[str, int] = {}
    member_nos: dict[str, str] = {}
    staff: dict[str, int] = {}
    secrets: dict[str, str] = {}
    with factory(write=True) as uow:
        branches = {
            code: uow.reference.add_branch(Branch(code=code, name_zh=code, name_en=code, is_head_office=code == "HQ01", region=region))
            for code, region in (("HQ01", "north"), ("BJ01", "north"), ("SH01", "east"))
        }
        for username, role, code in (
            ("sup.hq", "supervisor", "HQ01"), ("off.hq", "officer", "HQ01"), ("admin.hq", "admin", "HQ01"),
            ("off.bj", "officer", "BJ01"), ("sup.bj", "supervisor", "BJ01"),
            ("off.sh", "officer", "SH01"), ("sup.sh", "supervisor", "SH01"),
        ):
            row = uow.staff.add(Staff(username=username, display_name=username, role=role, branch_id=branches[code].id, created_at=NOW))
            uow.staff.add_credential(StaffCredential(
                staff_id=row.id, password_hash=f"$argon2id$verifier-of-{username}", wrapped_private_key=f"wrapped-key-of-{username}",
                key_version=1, updated_at=NOW,
            ))
            staff[username] = row.id
        ledger = Ledger(uow, settings.current(), NOW)
        for i, (label, code) in enumerate((("bj", "BJ01"), ("hq", "HQ01"), ("sh", "SH01"), ("sh2", "SH01"))):
            no = make_member_no(1_000_000 + i)
            id_number, mobile = f"P9{i:07d}", f"1399000{i:04d}"
            member = uow.members.add(Member(
                member_no=no, name=f"Member {label}", name_pinyin=f"member {label}", id_type="passport", id_number=id_number,
                mobile=mobile, mobile_last4=mobile[-4:], card_no=f"62220000000{i:05d}", branch_id=branches[code].id,
                joined_on=date(2026, 1, 1), created_at=NOW, posted_balance=0, held_points=0,
            ), [f"member {label}"])
            ledger.credit(member, Posting(entry_uid=f"seed:{no}", kind="earn", rule="seed", occurred_on=date(2026, 10, 1)), 1_000 + i, qualifying=True)
            members[label], member_nos[label] = member.id, no
            if code == "SH01":
                secrets[id_number] = label
                secrets[mobile] = label
        uow.commit()
    database.dispose()
    return World(url, members, member_nos, staff, secrets)


@pytest.fixture
def world(central_url: str) -> World:
    return _seed(central_url)


def _desk_url(world: World, name: str, branch: str = "BJ01", holds: tuple[str, ...] = ()) -> str:
    engine = make_engine(world.url)
    try:
        return add_desk(engine, name, branch_code=branch, holds=holds).url(world.url)
    finally:
        engine.dispose()


def _credit_at_central(world: World, member: str, entry_uid: str, points: int) -> None:
    """Head office credits one member (a change the feed then carries)."""
    database = Database(world.url)
    try:
        factory = uow_factory(database)
        with factory(write=True) as uow:
            locked = uow.members.lock(world.members[member])
            Ledger(uow, SettingsService(factory).current(), NOW).credit(
                locked, Posting(entry_uid=entry_uid, kind="earn", rule="seed", occurred_on=date(2026, 10, 2)), points, qualifying=True
            )
            uow.commit()
    finally:
        database.dispose()


def _connect(desk_url: str) -> psycopg.Connection:
    return psycopg.connect(make_url(desk_url).set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True)


def _feed(connection: psycopg.Connection) -> list[tuple[str, dict]]:
    return [(entity, payload) for entity, payload in connection.execute("SELECT entity, payload FROM change_feed ORDER BY txid, seq")]


def _credential_holders(rows: list[tuple[str, dict]], world: World) -> set[str]:
    by_id = {v: k for k, v in world.staff.items()}
    return {by_id[payload["staff_id"]] for entity, payload in rows if entity == "staff_credential"}


def _member_ids(rows: list[tuple[str, dict]]) -> set[int]:
    found = set()
    for entity, payload in rows:
        if entity == "member":
            found.add(payload["id"])
        elif payload.get("member_id") is not None:
            found.add(payload["member_id"])
    return found


def test_a_desk_login_reads_only_its_regions_members_and_its_branchs_credentials(world: World, desk_prefix: str) -> None:
    with _connect(_desk_url(world, f"{desk_prefix}_bj")) as connection:
        rows = _feed(connection)
    assert _member_ids(rows) == {world.members["bj"], world.members["hq"]}  # north: BJ01 and HQ01, not SH01
    # its branch's staff, and head office's supervisors (who may approve at any branch's desk); nobody else's verifier
    assert _credential_holders(rows, world) == {"off.bj", "sup.bj", "sup.hq"}
    text = repr(rows)
    for secret, whose in world.secrets.items():
        assert secret not in text, f"{whose}'s {secret} reached another region's desk"
    for username in ("off.sh", "sup.sh", "off.hq", "admin.hq"):
        assert f"verifier-of-{username}" not in text and f"wrapped-key-of-{username}" not in text
    assert {p["username"] for e, p in rows if e == "staff"} >= {"off.sh", "sup.sh"}  # the directory of staff itself is global
    assert all("password_hash" not in p for e, p in rows if e == "staff")


def test_a_desk_login_can_read_no_table_but_the_feed_and_its_own_inbound_rows(world: World, desk_prefix: str) -> None:
    with _connect(_desk_url(world, f"{desk_prefix}_bj")) as connection:
        tables = [r[0] for r in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        assert "member" in tables and "staff_credential" in tables
        readable = []
        for table in tables:
            try:
                connection.execute(f'SELECT * FROM "{table}" LIMIT 1')
                readable.append(table)
            except psycopg.errors.InsufficientPrivilege:
                pass
        assert sorted(readable) == ["change_feed", "inbound_operation"]
        # functions it may call, other than trigger functions (which cannot be called)
        callable_ = {
            r[0] for r in connection.execute(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.prorettype <> 'trigger'::regtype AND has_function_privilege(p.oid, 'EXECUTE')"
            )
        }
        assert callable_ == {"ld_feed_horizon", "ld_desk_branch", "ld_desk_member_branches", "ld_desk_members", "ld_fetch_member", "ld_reserve_member_numbers",
                             "ld_desk_position"}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT ld_scope_branches('member', ARRAY[1::bigint], true, true)")
        assert connection.execute("SELECT ld_desk_members()").fetchone() == ([],)
        # session_user cannot be changed by a desk login, and the group role sees nothing more
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SET SESSION AUTHORIZATION postgres")
        connection.execute("SET ROLE loyalty_desk")
        assert _member_ids(_feed(connection)) == {world.members["bj"], world.members["hq"]}


def test_the_bulk_first_load_and_the_pages_both_bring_only_the_desks_scope(
    world: World, desk_prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, bulk in (("paged", False), ("bulk", True)):
        monkeypatch.setattr(feed_module, "BULK_MIN_ROWS", 1 if bulk else 10**9)
        data_dir = tmp_path / name
        DeskSettings(_desk_url(world, f"{desk_prefix}_{name}"), f"{desk_prefix}_{name}").save(data_dir)
        desk = open_desk(data_dir)
        try:
            desk.sync.desk.pull()
            with desk.context.uow() as uow:
                session = uow.ledger.session
                held = {m.member_no for m in session.query(Member).all()}
                credentials = {c.staff_id for c in session.query(StaffCredential).all()}
            assert held == {world.member_nos["bj"], world.member_nos["hq"]}, name
            assert credentials == {world.staff[u] for u in ("off.bj", "sup.bj", "sup.hq")}, name
            assert desk.balances() == {world.member_nos["bj"]: 1_000, world.member_nos["hq"]: 1_001}
            # the desk's analytics aggregates (rebuilt after a bulk load, kept by its triggers otherwise) agree with its ledger
            verified = AnalyticsService(desk.context).verify()
            with desk.context.uow() as uow:
                points = uow.analytics.session.execute(text("SELECT SUM(points) FROM analytics_entry_day")).scalar()
            assert verified.agrees, (name, verified)
            assert points == 2_001, name
        finally:
            desk.close()


def test_configured_branches_replace_the_region(world: World, desk_prefix: str) -> None:
    with _connect(_desk_url(world, f"{desk_prefix}_hq", branch="HQ01", holds=("HQ01", "SH01"))) as connection:
        rows = _feed(connection)
    assert _member_ids(rows) == {world.members["hq"], world.members["sh"], world.members["sh2"]}
    assert _credential_holders(rows, world) == {"sup.hq", "off.hq", "admin.hq"}  # credentials follow the desk's own branch


def test_fetching_one_member_from_another_region_returns_that_member_and_sends_their_later_changes(world: World, desk_prefix: str) -> None:
    with _connect(_desk_url(world, f"{desk_prefix}_bj")) as connection:
        assert list(connection.execute("SELECT * FROM ld_fetch_member('member_no', 'M0000000000')")) == []
        rows = list(connection.execute("SELECT entity, payload FROM ld_fetch_member('mobile', %s)", ("13990000002",)))
        assert {e for e, _ in rows} >= {"member", "ledger_entry", "lot", "member_name_key"}
        assert _member_ids(rows) == {world.members["sh"]}
        assert world.members["sh2"] not in _member_ids(_feed(connection))
        assert world.members["sh"] in _member_ids(_feed(connection))  # held now: its rows come with the feed
        assert connection.execute("SELECT ld_desk_members()").fetchone() == ([world.members["sh"]],)
        # a member of no referral the desk holds cannot be had as a "referral party"
        assert list(connection.execute("SELECT * FROM ld_fetch_member('referral_party', %s)", (str(world.members["sh2"]),))) == []
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            connection.execute("SELECT * FROM ld_fetch_member('name', 'Member sh2')")
    # a later change of the fetched member reaches this desk
    _credit_at_central(world, "sh", "later:sh", 5)
    with _connect(_desk_url(world, f"{desk_prefix}_bj")) as connection:  # same login, new password
        later = [p for e, p in _feed(connection) if e == "ledger_entry" and p["entry_uid"] == "later:sh"]
    assert len(later) == 1


def test_a_desk_can_fetch_only_so_many_members_a_day(world: World, desk_prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(protocol, "FETCH_LIMIT_PER_DAY", 1)
    engine = make_engine(world.url)
    try:
        central_module.install(engine)
    finally:
        engine.dispose()
    try:
        with _connect(_desk_url(world, f"{desk_prefix}_bj")) as connection:
            assert list(connection.execute("SELECT entity FROM ld_fetch_member('member_no', %s)", (world.member_nos["sh"],)))
            assert list(connection.execute("SELECT entity FROM ld_fetch_member('member_no', %s)", (world.member_nos["sh"],)))  # held: free
            assert list(connection.execute("SELECT entity FROM ld_fetch_member('member_no', %s)", (world.member_nos["bj"],)))  # own region: free
            with pytest.raises(psycopg.Error) as refused:
                connection.execute("SELECT entity FROM ld_fetch_member('member_no', %s)", (world.member_nos["sh2"],))
            assert refused.value.sqlstate == protocol.FETCH_LIMIT_STATE
            assert world.members["sh2"] not in _member_ids(_feed(connection))
    finally:
        monkeypatch.undo()
        engine = make_engine(world.url)
        try:
            central_module.install(engine)
        finally:
            engine.dispose()


def test_the_counter_fetches_a_member_of_another_region_by_exact_handle_and_keeps_them(world: World, desk_prefix: str, tmp_path: Path) -> None:
    from loyalty_desk.bootstrap import build_services

    data_dir = tmp_path / "desk"
    DeskSettings(_desk_url(world, f"{desk_prefix}_counter"), f"{desk_prefix}_counter").save(data_dir)
    services = build_services(data_dir)
    try:
        assert "offline" not in services.sync.sync_once()
        assert services.lookup.search(text=world.member_nos["bj"]).remote == ""  # held: nothing asked
        assert services.lookup.search(text="Member sh").total == 0  # names are never asked of head office
        found = services.lookup.search(text="1399 0000 002")  # the SH01 member's mobile
        assert (found.total, found.remote) == (1, "fetched") and found.rows[0].member_no == world.member_nos["sh"]
        assert services.members.view(member_no=world.member_nos["sh"]).available_balance == 1_002
        assert services.lookup.search(text="M0000000000").remote in ("absent", "")  # a number nobody has
        missing = services.lookup.search(text=world.member_nos["sh2"][:-1] + "0")
        assert missing.total == 0
        # head office credits the fetched member: the next round brings it
        _credit_at_central(world, "sh", "later:sh", 5)
        assert "offline" not in services.sync.sync_once()
        assert services.members.view(member_no=world.member_nos["sh"]).available_balance == 1_007
        with services.runner._context.uow() as uow:
            assert {m.member_no for m in uow.ledger.session.query(Member).all()} == {world.member_nos[k] for k in ("bj", "hq", "sh")}
    finally:
        services.close()


def test_offline_a_desk_says_the_member_is_not_held_here(world: World, desk_prefix: str, tmp_path: Path) -> None:
    from loyalty_desk.bootstrap import build_services

    data_dir = tmp_path / "desk"
    url = make_url(_desk_url(world, f"{desk_prefix}_away")).set(port=1).render_as_string(hide_password=False)  # nothing listens there
    DeskSettings(url, f"{desk_prefix}_away").save(data_dir)
    services = build_services(data_dir)
    try:
        assert "offline" in services.sync.sync_once()
        result = services.lookup.search(text=world.member_nos["sh"])
        assert (result.total, result.remote) == (0, "offline")
    finally:
        services.close()


def test_a_referral_across_regions_brings_its_other_members_and_keeps_the_desks_store_whole(world: World, desk_prefix: str, tmp_path: Path) -> None:
    """A Beijing client referred by a Shanghai member: the north desk holds the referee, so the
    referral reaches it, and with it the referrer it names (fetched, held from then on)."""
    import uuid

    from loyalty_desk.store.models import Operation, Referral

    database = Database(world.url)
    factory = uow_factory(database)
    with factory(write=True) as uow:
        session = uow.ledger.session
        bj = uow.reference.branch_by_code("BJ01")
        referee = uow.members.add(Member(
            member_no=make_member_no(1_000_010), name="Referee", name_pinyin="referee", id_type="passport", id_number="P98000010",
            mobile="13990000010", mobile_last4="0010", branch_id=bj.id, joined_on=date(2026, 10, 1), created_at=NOW,
            posted_balance=0, held_points=0,
        ), ["referee"])
        operation_id = str(uuid.uuid4())
        session.add(Operation(id=operation_id, kind="referral.register", member_id=referee.id, payload={}, payload_digest="0" * 64,
                              status="posted", origin="test", staff_id=world.staff["off.bj"], created_at=NOW))
        session.flush()
        session.add(Referral(operation_id=operation_id, code_used="ABCDEFGH", referrer_member_id=world.members["sh"], referee_member_id=referee.id,
                             branch_id=bj.id, staff_id=world.staff["off.bj"], status="registered", registered_at=NOW, registered_on=NOW.date()))
        uow.commit()
        referee_id = referee.id
    database.dispose()

    data_dir = tmp_path / "desk"
    DeskSettings(_desk_url(world, f"{desk_prefix}_ref"), f"{desk_prefix}_ref").save(data_dir)
    desk = open_desk(data_dir)
    try:
        desk.sync.desk.pull()
        with desk.context.uow() as uow:
            session = uow.ledger.session
            held = {m.id for m in session.query(Member).all()}
            assert session.query(Referral).count() == 1
            assert session.execute(__import__("sqlalchemy").text("PRAGMA foreign_key_check")).all() == []
        assert held == {world.members["bj"], world.members["hq"], referee_id, world.members["sh"]}  # not sh2
        assert desk.balances()[world.member_nos["sh"]] == 1_002  # the referrer's ledger came with them
    finally:
        desk.close()


def test_a_feed_written_before_rows_had_a_scope_is_scoped_by_central_init(world: World, desk_prefix: str) -> None:
    with psycopg.connect(make_url(world.url).set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True) as admin:
        admin.execute("DROP POLICY desk_scope ON change_feed")
        admin.execute("ALTER TABLE change_feed DROP COLUMN scope_members, DROP COLUMN scope_branches, DROP COLUMN credential_branch")
    engine = make_engine(world.url)
    try:
        central_module.install(engine)  # what the next `central init` does on such a central
    finally:
        engine.dispose()
    with _connect(_desk_url(world, f"{desk_prefix}_old")) as connection:
        rows = _feed(connection)
    assert _member_ids(rows) == {world.members["bj"], world.members["hq"]}
    assert _credential_holders(rows, world) == {"off.bj", "sup.bj", "sup.hq"}
