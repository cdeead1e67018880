"""Head office's data on central: ``demo --central URL`` fills an empty central database
that a desk then joins, and ``import ... --central URL`` runs head office's imports against central so
the rows reach the desks through the change feed. Against a real PostgreSQL server."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sync_support import HELD_BY_NORTH, NORTH

from loyalty_desk.bootstrap import build_services
from loyalty_desk.cli.main import main
from loyalty_desk.domain.identity import make_resident_id
from loyalty_desk.store.db import make_engine
from loyalty_desk.sync.central import add_desk
from loyalty_desk.sync.desk_settings import DeskSettings

pytestmark = pytest.mark.postgres


def _scalar(url: str, sql: str, *, row: bool = False) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            result = connection.execute(text(sql))
            return result.one() if row else result.scalar()
    finally:
        engine.dispose()




def _join(central_url: str, data_dir: Path, name: str, branch: str = "BJ01") -> object:
    engine = make_engine(central_url)
    try:
        credentials = add_desk(engine, name, branch_code=branch)
    finally:
        engine.dispose()
    DeskSettings(credentials.url(central_url), name).save(data_dir)
    services = build_services(data_dir)
    result = services.sync.sync_once()
    assert "offline" not in result, result
    services.settings.invalidate()
    return services


def test_demo_into_central_then_a_desk_joins_and_head_office_imports_reach_it(
    central_url: str, desk_prefix: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    assert main(["demo", "--central", central_url, "--members", "40"]) == 0
    out = capsys.readouterr().out
    assert "Demo data in central" in out and "40 members" in out
    assert make_url(central_url).password is None or make_url(central_url).password not in out
    members = _scalar(central_url, "SELECT count(*) FROM member")
    assert members >= 40  # the generated members and the referral chains' new members
    assert _scalar(central_url, "SELECT count(*) FROM change_feed WHERE entity = 'member'") == members
    # the sequences moved past the copied ids: central can insert its own rows
    assert main(["demo", "--central", central_url, "--members", "5"]) == 1  # only an empty central is filled
    assert "empty central" in capsys.readouterr().err

    services = _join(central_url, tmp_path / "desk", f"{desk_prefix}_demo")
    try:
        with services.runner._context.uow() as uow:
            held = uow.ledger.session.execute(text("SELECT count(*), sum(posted_balance) FROM member")).one()
        # a BJ01 desk holds the north region (HQ01, BJ01), and any member of another region that a
        # referral of its region names (the referral's other members come with it)
        region = _scalar(central_url, f"SELECT count(*) FROM member WHERE branch_id IN ({NORTH})")
        central = _scalar(central_url, f"SELECT count(*), sum(posted_balance) FROM ({HELD_BY_NORTH}) AS m", row=True)
        assert 0 < region < members
        assert tuple(held) == tuple(central)
        session = services.auth.sign_in(username="officer.bj1", password="demo1234")  # staff and credentials came too
        assert session.branch_code == "BJ01"
        member_no = str(_scalar(central_url, f"SELECT member_no FROM member WHERE status = 'active' AND branch_id IN ({NORTH}) ORDER BY id LIMIT 1"))
        before = services.members.view(member_no=member_no).available_balance

        # head office: a transaction file into central
        feed = tmp_path / "feed.csv"
        day = (date.today() - timedelta(days=1)).isoformat()
        with feed.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(("txn_id", "member_no", "date", "source", "amount", "product", "due_date", "original_txn_id"))
            writer.writerow(("HO-1", member_no, day, "branch_event", "", "", "", ""))
        assert main(["import", "transactions", str(feed), "--central", central_url]) == 0
        assert "1 posted" in capsys.readouterr().out
        assert _scalar(central_url, "SELECT count(*) FROM ledger_entry WHERE operation_id IS NULL AND kind = 'earn' AND entry_uid LIKE '%HO-1%'") == 1

        # head office: a member file into central
        people = tmp_path / "members.csv"
        with people.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["name", "id_type", "id_number", "mobile", "branch_code"])
            writer.writerow(["总行新客", "resident_id", make_resident_id("110105", date(1991, 2, 3), 11), "13711112222", "BJ01"])
        assert main(["import", "members", str(people), "--central", central_url]) == 0
        assert "1 members registered" in capsys.readouterr().out
        assert _scalar(central_url, "SELECT count(*) FROM member") == members + 1

        # head office: an adjustment file into central, signed by central's own key and by the officer who filed it
        monkeypatch.setenv("LOYALTY_DESK_PASSWORD", "demo1234")
        adjustments = tmp_path / "adjustments.csv"
        with adjustments.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["member_no", "points", "reason_code", "memo"])
            writer.writerow([member_no, "200", "GOODWILL", "apology for the branch closure"])
        assert main(["import", "adjustments", str(adjustments), "--central", central_url, "--user", "officer.bj1"]) == 0
        capsys.readouterr()
        signatures = _scalar(central_url, "SELECT signatures FROM operation WHERE kind = 'adjust.request'")
        assert sorted(s["role"] for s in signatures) == ["central", "maker"]
        central_key = next(s for s in signatures if s["role"] == "central")
        assert _scalar(central_url, f"SELECT staff_id IS NULL FROM staff_key WHERE key_id = '{central_key['key_id']}'") is True

        # the desk's next round brings both
        assert "offline" not in services.sync.sync_once()
        after = services.members.view(member_no=member_no).available_balance
        assert after > before
        assert after == _scalar(central_url, f"SELECT posted_balance - held_points FROM member WHERE member_no = '{member_no}'")
        assert services.lookup.search(text="13711112222").total == 1
    finally:
        services.close()

    # the counter, from the command line: online, head office's verdict is awaited and reported
    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.sync.applier import Applier

    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", "demo1234")
    reward = str(_scalar(central_url, "SELECT code FROM reward WHERE NOT stock_tracked AND min_tier = 'standard' ORDER BY points_cost LIMIT 1"))
    rich = str(_scalar(central_url, f"SELECT member_no FROM member WHERE status = 'active' AND branch_id IN ({NORTH}) ORDER BY posted_balance DESC LIMIT 1"))
    desk_dir = str(tmp_path / "desk")
    assert main(["--data-dir", desk_dir, "redeem", rich, reward, "--user", "officer.bj1"]) == 0
    assert "Saved, waiting to send to head office (1 waiting)" in capsys.readouterr().out  # pushed, no applier yet
    applier = Applier(central_url, operation_handlers())
    try:
        assert applier.drain().posted == 1
    finally:
        applier.close()
    assert main(["--data-dir", desk_dir, "sync", "--once"]) == 0
    assert _scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'posted' AND NOT offline") == 1

