"""``loyalty-desk campaigns``: a draft made, refused at its fields, submitted, refused to its maker,
approved by a second marketer, listed with its figures, its forecast shown, and stopped."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_member, add_staff, open_store, post_earning

from loyalty_desk.cli.main import main


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "store"
    store = open_store(folder, now=datetime.now())
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    add_staff(store.context, username="mkt.one", role="marketing", branch_code="HQ01")
    add_staff(store.context, username="mkt.two", role="marketing", branch_code="HQ01")
    member_no = add_member(store.context, name="张伟")
    post_earning(store.context, member_no, 500, on=date.today() - timedelta(days=300))
    store.close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    return folder


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "campaigns", *args])


def test_a_campaign_from_draft_to_approval_and_stop(data_dir, capsys) -> None:
    starts = date.today() + timedelta(days=3)
    window = ["--from", starts.isoformat(), "--to", (starts + timedelta(days=30)).isoformat()]
    assert run(data_dir, "create", "--user", "mkt.one", "--code", "NEWYEAR", "--name-zh", "新年双倍", "--name-en", "New year double",
               "--multiplier", "9", "--sources", "card_spend", "--budget", "0", *window) == 1
    err = capsys.readouterr().err
    assert "The multiplier must be a number from 1.01 to 5" in err and "The budget must be more than 0 points" in err

    assert run(data_dir, "create", "--user", "mkt.one", "--code", "NEWYEAR", "--name-zh", "新年双倍", "--name-en", "New year double",
               "--multiplier", "2", "--sources", "card_spend,financing", "--budget", "100000", "--member-cap", "2000", *window) == 0
    assert "Campaign NEWYEAR drafted" in capsys.readouterr().out
    assert run(data_dir, "submit", "NEWYEAR", "--user", "mkt.one") == 0
    capsys.readouterr()
    assert run(data_dir, "approve", "NEWYEAR", "--user", "mkt.one") == 1
    assert "Four eyes: mkt.one drafted or submitted campaign NEWYEAR" in capsys.readouterr().err
    assert run(data_dir, "approve", "NEWYEAR", "--user", "mkt.two", "--note", "budget agreed") == 0
    assert "Campaign NEWYEAR approved (scheduled)." in capsys.readouterr().out

    assert run(data_dir, "list", "--user", "mkt.two") == 0
    listed = capsys.readouterr().out
    assert "NEWYEAR" in listed and "scheduled" in listed and "budget 100,000, used 0, left 100,000, 0 members" in listed
    assert run(data_dir, "show", "NEWYEAR", "--user", "mkt.two", "--forecast", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["campaign"]["decided_by"] == "mkt.two"
    assert shown["forecast"]["budget_points"] == 100_000

    assert run(data_dir, "stop", "NEWYEAR", "--user", "mkt.two", "--reason", "Replaced by the spring campaign") == 0
    assert "Campaign NEWYEAR stopped after 0 points." in capsys.readouterr().out
    assert run(data_dir, "list", "--user", "mkt.one", "--status", "stopped") == 0
    assert "stopped" in capsys.readouterr().out
