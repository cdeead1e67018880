"""A desk upgraded to a new release keeps its store: a store made by an older release,
at the first migration only and holding data, is brought to the newest schema when the desk starts
(``build_services`` → ``Database.open_local``), and everything in it is still there."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

from alembic import command
from factories import DEFAULT_PASSWORD, FixedClock, add_branch, add_member, post_debit, post_earning
from sqlalchemy import text

from loyalty_desk.bootstrap import build_services
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.passwords import hash_password
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import LOCAL_STORE_FILENAME, Database, alembic_config, current_revision, head_revision, sqlite_url
from loyalty_desk.store.uow import uow_factory

OLDEST = "0001"
COPIED_TABLES = ("branch", "member", "member_name_key", "ledger_entry", "lot", "lot_movement", "audit_event")


def _copy_rows(source: Path, target: Path, tables: tuple[str, ...]) -> None:
    """Every row of ``tables`` from ``source`` into ``target``, in the columns ``target``'s tables have."""
    connection = sqlite3.connect(target)
    try:
        connection.execute("ATTACH DATABASE ? AS source", (str(source),))
        with connection:
            for table in tables:
                kept = {row[1] for row in connection.execute(f"PRAGMA main.table_info({table})")}
                columns = ", ".join(row[1] for row in connection.execute(f"PRAGMA source.table_info({table})") if row[1] in kept)
                connection.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM source.{table}")
        connection.execute("DETACH DATABASE source")
    finally:
        connection.close()


def _store_at_oldest_release(data_dir: Path) -> dict[str, object]:
    data_dir.mkdir(parents=True)
    database = Database(sqlite_url(data_dir / LOCAL_STORE_FILENAME))
    config = alembic_config(database.url)
    with database.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, OLDEST)
    assert current_revision(database.write_engine) == OLDEST

    # The members and their ledger are made by today's factories in a store at the newest schema and
    # copied over in the columns the oldest schema has: the current models cannot write a store
    # whose tables lack their newer columns.
    head = Database.open_local(data_dir.parent / "made-at-head")
    clock = FixedClock(datetime(2026, 6, 1, 9, 0))
    factory = uow_factory(head)
    context = ServiceContext(uow=factory, settings=SettingsService(factory, clock), desk_name="old-desk", clock=clock)
    add_branch(context, code="BJ01", name_zh="北京分行营业部", name_en="Beijing Main Branch")
    zhang = add_member(context, name="张伟", tier="silver")
    wang = add_member(context, name="王芳")
    post_earning(context, zhang, 30_000, on=date(2026, 1, 10))
    post_earning(context, zhang, 5_000, on=date(2026, 3, 1))
    post_debit(context, zhang, 2_000, on=date(2026, 4, 2))
    post_earning(context, wang, 800, on=date(2026, 5, 5))
    head.dispose()
    _copy_rows(data_dir.parent / "made-at-head" / LOCAL_STORE_FILENAME, data_dir / LOCAL_STORE_FILENAME, COPIED_TABLES)
    # Rows as the older release wrote them: its staff row kept the password hash (the upgrade moves it
    # to staff_credential).
    with database.write_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO staff (username, display_name, role, branch_id, password_hash, active, failed_sign_ins, must_change_password, created_at) "
                 "VALUES ('officer1', '李娜', 'officer', (SELECT id FROM branch WHERE code = 'BJ01'), :hash, 1, 0, 0, '2026-06-01 09:00:00')"),
            {"hash": hash_password(DEFAULT_PASSWORD)},
        )
    # The older release's campaign: live already, so it arrives approved (campaign administration came later).
    with database.write_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO campaign (code, name_zh, name_en, starts_on, ends_on, sources, tiers, multiplier, budget_points, spent_points) "
                 "VALUES ('SF2026', '春节双倍积分', 'Spring Festival double points', '2026-02-03', '2026-03-03', '[\"card_spend\"]', "
                 "'[\"standard\"]', '2', 1000000, 805123)")
        )
    # A desk operation recorded by the older release (the table exists since the first migration).
    with database.write_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO operation (id, kind, payload, payload_digest, status, origin, created_at) "
                 "VALUES (:id, 'redemption', :payload, 'd1', 'posted', 'desk', '2026-05-06 10:00:00')"),
            {"id": "00000000-0000-4000-8000-000000000001", "payload": json.dumps({"member_no": zhang})},
        )
    with database.read_engine.connect() as connection:
        counts = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                  for table in ("member", "staff", "ledger_entry", "lot", "audit_event", "operation")}
    database.dispose()
    return {"zhang": zhang, "wang": wang, "counts": counts}


def test_the_desk_upgrades_an_old_store_on_start_and_keeps_its_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "LoyaltyDesk"
    old = _store_at_oldest_release(data_dir)
    assert head_revision() != OLDEST  # there is something to upgrade

    services = build_services(data_dir, desk_name="new-desk")  # what `loyalty-desk` does on start
    try:
        assert current_revision(services_engine(data_dir)) == head_revision()

        zhang = services.members.view(member_no=old["zhang"])
        assert (zhang.name, zhang.posted_balance, zhang.available_balance) == ("张伟", 33_000, 33_000)
        assert sum(lot.remaining for lot in zhang.lots) == 33_000
        assert services.members.view(member_no=old["wang"]).posted_balance == 800

        found = services.lookup.search(text="王芳")
        assert [row.member_no for row in found.rows] == [old["wang"]]
        assert services.auth.sign_in(username="officer1", password=DEFAULT_PASSWORD).username == "officer1"
        assert services.audit.verify().ok  # the hash chain written by the old release still verifies
    finally:
        services.close()

    engine = Database(sqlite_url(data_dir / LOCAL_STORE_FILENAME)).read_engine
    with engine.connect() as connection:
        for table, before in old["counts"].items():  # type: ignore[union-attr]
            after = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            assert after >= before, table  # nothing lost (signing in adds audit rows)
        assert connection.execute(text("SELECT status FROM operation")).scalars().all() == ["posted"]
        assert connection.execute(text("SELECT code, status, kind, stacking, spent_points FROM campaign")).all() == [
            ("SF2026", "approved", "multiplier", "best", 805123)]
    engine.dispose()


def test_starting_again_on_an_upgraded_store_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "LoyaltyDesk"
    _store_at_oldest_release(data_dir)
    build_services(data_dir, desk_name="new-desk").close()
    before = (data_dir / LOCAL_STORE_FILENAME).stat().st_size
    services = build_services(data_dir, desk_name="new-desk")
    services.close()
    assert current_revision(services_engine(data_dir)) == head_revision()
    assert (data_dir / LOCAL_STORE_FILENAME).stat().st_size == before


def services_engine(data_dir: Path):  # type: ignore[no-untyped-def]
    return Database(sqlite_url(data_dir / LOCAL_STORE_FILENAME)).read_engine
