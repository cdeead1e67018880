"""The analytics aggregates on a desk's store: kept by the store's triggers whatever writes the rows
(the services, raw statements as a feed pull or a provisional row giving way writes them, rows of a
member arriving before the member), checked by ``analytics verify`` and repaired by ``analytics rebuild``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from loyalty_desk.cli.main import main
from loyalty_desk.store.db import LOCAL_STORE_FILENAME


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("analytics-demo")
    assert main(["--data-dir", str(folder), "demo", "--members", "60"]) == 0
    return folder


def _sql(folder: Path, *statements: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(folder / LOCAL_STORE_FILENAME, isolation_level=None)
    try:
        connection.execute("PRAGMA defer_foreign_keys = ON")
        connection.execute("BEGIN")
        rows: list[tuple[object, ...]] = []
        for statement in statements:
            rows = connection.execute(statement).fetchall()
        connection.execute("COMMIT")
        return rows
    finally:
        connection.close()


def _verify(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(folder), "analytics", "verify"])
    return code, capsys.readouterr().out


def test_the_demo_store_agrees_and_a_lost_row_is_found_and_rebuilt(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(demo_dir, capsys)
    assert code == 0, out
    assert "agree with the ledger" in out
    _sql(demo_dir, "DELETE FROM analytics_entry_day WHERE id = (SELECT MAX(id) FROM analytics_entry_day WHERE kind = 'earn')")
    code, out = _verify(demo_dir, capsys)
    assert code == 1
    assert "DIFFER from the ledger" in out and "analytics_entry_day [" in out and "earn" in out
    assert main(["--data-dir", str(demo_dir), "analytics", "rebuild"]) == 0
    assert _verify(demo_dir, capsys)[0] == 0


def test_raw_writes_as_a_feed_pull_makes_them_are_counted(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    member_id, branch_id = _sql(demo_dir, "SELECT id, branch_id FROM member WHERE posted_balance > 0 ORDER BY id LIMIT 1")[0]
    other = _sql(demo_dir, f"SELECT id FROM branch WHERE id <> {branch_id} ORDER BY id LIMIT 1")[0][0]
    # a tier and a home branch change move the member's history; a deleted entry (a provisional row giving way) leaves it
    _sql(
        demo_dir,
        f"UPDATE member SET tier = CASE tier WHEN 'gold' THEN 'silver' ELSE 'gold' END, branch_id = {other} WHERE id = {member_id}",
        "DELETE FROM lot_movement WHERE entry_id = (SELECT MAX(id) FROM ledger_entry WHERE kind = 'redeem')",
    )
    assert _verify(demo_dir, capsys)[0] == 0
    # a member's entry and lot arriving before the member row (a feed page in another order), in one transaction
    new_id = 9_000_001
    connection = sqlite3.connect(demo_dir / LOCAL_STORE_FILENAME, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA defer_foreign_keys = ON")
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO ledger_entry (id, entry_uid, member_id, kind, rule, points, balance_after, occurred_on, posted_at, branch_id) "
            f"VALUES (9000001, 'test:early', {new_id}, 'earn', 'card_spend', 700, 700, date('now'), datetime('now'), {branch_id})"
        )
        connection.execute(
            "INSERT INTO lot (id, member_id, entry_id, rule, earned_on, expires_on, original, remaining, qualifying) "
            f"VALUES (9000001, {new_id}, 9000001, 'card_spend', date('now'), date('now', '+2 years'), 700, 700, 1)"
        )
        unheld = connection.execute("SELECT SUM(points) FROM analytics_entry_day WHERE branch_id IS NULL").fetchone()[0]
        assert unheld == 700  # counted under no branch until the member arrives
        connection.execute(
            "INSERT INTO member (id, member_no, kind, name, name_pinyin, id_type, id_number, mobile, mobile_last4, branch_id, status, tier, "
            "joined_on, profile_bonus_given, posted_balance, held_points, created_at) "
            f"VALUES ({new_id}, 'M9900000001', 'person', '测试', 'ce shi', 'resident_id', '110101199001011234', '13800000000', '0000', "
            f"{branch_id}, 'active', 'silver', date('now'), 0, 700, 0, datetime('now'))"
        )
        connection.execute("COMMIT")
    finally:
        connection.close()
    code, out = _verify(demo_dir, capsys)
    assert code == 0, out
    held = _sql(demo_dir, f"SELECT SUM(points) FROM analytics_entry_day WHERE branch_id = {branch_id} AND tier = 'silver' AND source = 'card_spend' "
                          "AND day = date('now')")[0][0]
    assert held is not None and int(held) >= 700
    unattributed = _sql(demo_dir, "SELECT COALESCE(SUM(points), 0) FROM analytics_entry_day WHERE branch_id IS NULL")[0][0]
    assert unattributed == 0


def test_compaction_keeps_every_sum_and_folds_closed_months(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(demo_dir, "INSERT INTO analytics_entry_day (day, branch_id, tier, desk_branch_id, kind, source, points, entries) "
                   "SELECT day, branch_id, tier, desk_branch_id, kind, source, 0, 0 FROM analytics_entry_day WHERE day < date('now', 'start of month')")
    before = _sql(demo_dir, "SELECT COUNT(*), SUM(points), SUM(entries) FROM analytics_entry_day")[0]
    assert main(["--data-dir", str(demo_dir), "analytics", "compact"]) == 0
    after = _sql(demo_dir, "SELECT COUNT(*), SUM(points), SUM(entries) FROM analytics_entry_day")[0]
    assert after[1:] == before[1:] and after[0] < before[0]
    assert _sql(demo_dir, "SELECT COUNT(*) FROM analytics_entry_day WHERE day < date('now', 'start of month') AND strftime('%d', day) <> '01'")[0][0] == 0
    assert _verify(demo_dir, capsys)[0] == 0


def test_a_lost_active_member_row_is_found_and_rebuilt(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _sql(demo_dir, "SELECT COUNT(*) FROM analytics_active_month")[0][0] > 0
    _sql(demo_dir, "DELETE FROM analytics_active_month WHERE (month, member_id) = (SELECT month, member_id FROM analytics_active_month LIMIT 1)")
    code, out = _verify(demo_dir, capsys)
    assert code == 1 and "active members: 1 missing from the aggregate, 0 it should not hold" in out
    assert main(["--data-dir", str(demo_dir), "analytics", "rebuild"]) == 0
    assert _verify(demo_dir, capsys)[0] == 0


def test_each_member_set_counts_the_rows_it_lacks_and_the_rows_it_should_not_hold(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _sql(demo_dir, "SELECT COUNT(*) FROM analytics_campaign_month")[0][0] > 0
    _sql(
        demo_dir,
        "DELETE FROM analytics_served WHERE (branch_id, day, member_id) IN (SELECT branch_id, day, member_id FROM analytics_served LIMIT 2)",
        "INSERT INTO analytics_served (branch_id, day, member_id) SELECT MIN(id), '2001-01-01', 1 FROM branch",
        "DELETE FROM analytics_campaign_month WHERE (campaign_code, month, member_id) = "
        "(SELECT campaign_code, month, member_id FROM analytics_campaign_month LIMIT 1)",
        "INSERT INTO analytics_campaign_month (campaign_code, month, member_id) VALUES ('NO-SUCH', '2001-01-01', 1), ('NO-SUCH', '2001-02-01', 1)",
        "INSERT INTO analytics_active_month (month, member_id) VALUES ('2001-01-01', 1)",
    )
    code, out = _verify(demo_dir, capsys)
    assert code == 1
    assert "members served: 2 missing from the aggregate, 1 it should not hold" in out
    assert "campaign participants: 1 missing from the aggregate, 2 it should not hold" in out
    assert "active members: 0 missing from the aggregate, 1 it should not hold" in out
    assert main(["--data-dir", str(demo_dir), "analytics", "rebuild"]) == 0
    assert _verify(demo_dir, capsys)[0] == 0
