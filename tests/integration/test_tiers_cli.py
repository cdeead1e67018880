"""``loyalty-desk tiers review``: the counts it prints, the rerun in the same month, and what the
member view and history say afterwards."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from factories import add_branch, add_member, open_store, post_earning

from loyalty_desk.cli.main import main


@pytest.fixture
def store_with_gold_member(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "store"
    store = open_store(folder, now=datetime(2026, 6, 30, 12))
    add_branch(store.context)
    member_no = add_member(store.context, name="张伟", tier="gold")
    with store.context.uow(write=True) as uow:
        member = uow.members.by_no(member_no)
        assert member is not None
        member.last_upgrade_on = date(2024, 5, 1)  # long out of the protection period
        uow.commit()
    post_earning(store.context, member_no, 30_000, on=date(2026, 3, 1))  # Silver's worth, not Gold's
    store.close()
    return folder, member_no


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def test_review_warns_then_downgrades_and_a_rerun_in_the_month_says_it_already_ran(store_with_gold_member, capsys) -> None:
    data_dir, member_no = store_with_gold_member
    assert run(data_dir, "tiers", "review", "--as-of", "2026-06-01") == 0
    assert "Tier review for 2026-06 (as of 2026-06-01): 1 reviewed, 0 upgraded, 0 downgraded, 1 warned" in capsys.readouterr().out

    assert run(data_dir, "tiers", "review", "--as-of", "2026-06-20") == 0
    assert capsys.readouterr().out.strip() == "The tier review for 2026-06 already ran; nothing changed."

    assert run(data_dir, "member", member_no) == 0
    assert "Downgrade to silver due at the review on" in capsys.readouterr().out

    assert run(data_dir, "tiers", "review", "--as-of", "2026-07-01") == 0
    assert "Tier review for 2026-07 (as of 2026-07-01): 1 reviewed, 0 upgraded, 1 downgraded, 0 warned" in capsys.readouterr().out
    assert run(data_dir, "member", member_no) == 0
    shown = capsys.readouterr().out
    assert "Tier silver" in shown and "Tier changed Gold -> Silver (monthly review)" in shown


def test_a_bad_date_is_refused_by_the_parser(store_with_gold_member, capsys) -> None:
    data_dir, _ = store_with_gold_member
    with pytest.raises(SystemExit) as stopped:
        run(data_dir, "tiers", "review", "--as-of", "1 June")
    assert stopped.value.code == 2
    assert "not a date in the form YYYY-MM-DD" in capsys.readouterr().err
