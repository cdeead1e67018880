"""The commands an operator types: central init, add-desk, run; sync --join and sync --once."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sync_support import central_balances, open_desk, seed_central

from loyalty_desk.cli.main import main
from loyalty_desk.demo.catalogue import seed_catalogue
from loyalty_desk.services.redemption.service import RedemptionService
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory

pytestmark = pytest.mark.postgres


def test_operator_commands(central_url: str, desk_prefix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "log"), "central", "init", "--url", central_url]) == 0  # again: idempotent
    (member_no,) = seed_central(central_url, [9_000])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        seed_catalogue(uow, date.today())
        uow.commit()
    database.dispose()
    assert main(["--data-dir", str(tmp_path / "log"), "central", "add-desk", f"{desk_prefix}_cli", "--branch", "B001", "--url", central_url]) == 0
    out = capsys.readouterr().out
    desk_url = next(line.strip() for line in out.splitlines() if line.strip().startswith("postgresql://"))
    password = desk_url.split(":")[2].split("@")[0]
    data_dir = tmp_path / "desk"
    assert main(["--data-dir", str(data_dir), "sync", "--join", desk_url, "--once"]) == 0
    out = capsys.readouterr().out
    assert password not in out and "online" in out
    assert json.loads((data_dir / "desk.json").read_text())["desk"] == f"{desk_prefix}_cli"
    assert (data_dir / "desk.json").stat().st_mode & 0o077 == 0
    assert password not in (data_dir / "desk.json").read_text()  # the login is kept apart (keychain, else a 0600 file)
    desk = open_desk(data_dir)
    try:
        session = desk.sign_in()  # the supervisor at the counter: their key signs the redemption
        RedemptionService(desk.context, desk.runner).redeem(
            operation_id=str(uuid.uuid4()), session=session, member_no=member_no, reward_code="GIFT-TUMBLER", qty=1
        )
        assert desk.sync.status().waiting == 1
    finally:
        desk.close()
    assert main(["--data-dir", str(data_dir), "sync", "--once"]) == 0  # pushes; nobody applies yet
    assert main(["--data-dir", str(tmp_path / "log"), "central", "run", "--url", central_url, "--once"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "sync", "--once"]) == 0
    out = capsys.readouterr().out
    assert "0 waiting" in out and password not in out
    assert central_balances(central_url)[member_no] == 4_500
    # an operation pushed with the desk's login but signed by no one: rejected, and `central status` says why
    with psycopg.connect(desk_url, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, status) "
            "VALUES (%s, current_user, 'redeem', %s, 'd', %s, NULL, false, 'received')",
            (str(uuid.uuid4()), json.dumps({"member_no": member_no}), f"{desk_prefix}_cli"),
        )
    assert main(["--data-dir", str(tmp_path / "log"), "central", "status", "--url", central_url]) == 0
    out = capsys.readouterr().out
    assert "Inbound backlog: 1 operation(s) waiting, the oldest for " in out and "No rejections." in out
    (desk_line,) = [row for row in out.splitlines() if f"{desk_prefix}_cli" in row and "last push" in row]
    assert "B001" in desk_line and "waiting 1" in desk_line and "never" not in desk_line
    # the runner as the systemd unit starts it: its URL from the config file
    config = tmp_path / "central.ini"
    config.write_text(f"[central]\nurl = {central_url}\nworkers = 1\npoll = yes\n", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "log"), "central", "run", "--config", str(config), "--once"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "log"), "central", "status", "--url", central_url]) == 0
    out = capsys.readouterr().out
    assert "Inbound backlog: 0 operation(s) waiting." in out
    assert "Last 5 minutes: 0.2 posted and 0.2 rejected a minute." in out  # the redemption and the unsigned operation
    assert "waiting 0" in out and "No streaming replica connected." in out
    (desk_line,) = [row for row in out.splitlines() if f"{desk_prefix}_cli" in row and "last push" in row]
    assert "last pull 20" in desk_line and " to transaction " in desk_line  # the desk said where its pull reached
    assert f"the slowest desk, {desk_prefix}_cli, has pulled to transaction" in out
    (line,) = [row for row in out.splitlines() if "signature.missing" in row]
    assert f"{desk_prefix}_cli" in line and "lacks the maker's signature" in line
    assert central_balances(central_url)[member_no] == 4_500


def test_central_run_refuses_a_config_without_its_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "central.ini"
    config.write_text("[desk]\nurl = postgresql://nowhere/none\n", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "log"), "central", "run", "--config", str(config), "--once"]) == 1
    assert "has no [central] section" in capsys.readouterr().err
    config.write_text("[central]\nurl = postgresql://nowhere/none\nworkers = many\n", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "log"), "central", "run", "--config", str(config), "--once"]) == 1
    assert "workers not a whole number" in capsys.readouterr().err
