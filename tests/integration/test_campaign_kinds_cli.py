"""``loyalty-desk campaigns create`` for the card-journey kinds: their parameters as flags, refused at the
flag that is wrong, shown by ``show`` (and in ``--json``), approved by a second marketer as any campaign."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_staff, open_store

from loyalty_desk.cli.main import main


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "store"
    store = open_store(folder, now=datetime.now())
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_staff(store.context, username="mkt.one", role="marketing", branch_code="HQ01")
    add_staff(store.context, username="mkt.two", role="marketing", branch_code="HQ01")
    store.close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    return folder


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "campaigns", *args])


def test_each_journey_kind_is_created_with_its_flags_and_shown(data_dir, capsys) -> None:
    starts = date.today() + timedelta(days=2)
    common = ["--user", "mkt.one", "--name-zh", "新卡任务", "--name-en", "New card task", "--budget", "500000",
              "--from", starts.isoformat(), "--to", (starts + timedelta(days=60)).isoformat()]
    assert run(data_dir, "create", *common, "--code", "FASTCARD", "--kind", "card_approved", "--bonus", "800", "--within-days", "0") == 1
    assert "The number of days must be from 1 to 365, not 0." in capsys.readouterr().err
    assert run(data_dir, "create", *common, "--code", "TARGET", "--kind", "spend_target", "--bonus", "2000", "--within-days", "65") == 1
    assert "target_cny" in capsys.readouterr().err  # the missing target named

    assert run(data_dir, "create", *common, "--code", "FASTCARD", "--kind", "card_approved", "--bonus", "800", "--within-days", "10") == 0
    assert run(data_dir, "create", *common, "--code", "FIRSTGIFT", "--kind", "first_transaction", "--bonus", "300") == 0
    assert run(data_dir, "create", *common, "--code", "TARGET", "--kind", "spend_target", "--bonus", "2000", "--within-days", "65",
               "--target-cny", "3000") == 0
    capsys.readouterr()
    assert run(data_dir, "show", "TARGET", "--user", "mkt.one") == 0
    assert "spend_target: +2,000 once, card spend 3,000 CNY within 65 days of approval" in capsys.readouterr().out
    assert run(data_dir, "show", "FASTCARD", "--user", "mkt.one") == 0
    assert "card_approved: +800 once, card approved within 10 days of application" in capsys.readouterr().out
    assert run(data_dir, "show", "FIRSTGIFT", "--user", "mkt.one", "--json", "--forecast") == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["campaign"]["kind"], shown["campaign"]["sources"], shown["campaign"]["bonus_points"]) == (
        "first_transaction", ["card_spend"], 300)
    assert shown["forecast"]["points"] == 0  # no card was approved last year in this store

    assert run(data_dir, "submit", "TARGET", "--user", "mkt.one") == 0
    assert run(data_dir, "approve", "TARGET", "--user", "mkt.one") == 1
    assert run(data_dir, "approve", "TARGET", "--user", "mkt.two") == 0
    assert "Campaign TARGET approved (scheduled)." in capsys.readouterr().out
