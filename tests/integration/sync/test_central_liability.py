"""Head office's points liability from central (PostgreSQL): the same aggregates as on a desk, over
every desk's members, reconciled with central's lots."""

from __future__ import annotations

from datetime import date

import psycopg
from sqlalchemy.engine import make_url

from loyalty_desk.cli.main import main
from loyalty_desk.demo.staff import DEMO_PASSWORD


def _scalar(url: str, sql: str) -> int:
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
        row = connection.execute(sql).fetchone()
        assert row is not None
        return int(row[0] or 0)


def test_the_liability_of_last_month_from_central(central_url: str, tmp_path, capsys, monkeypatch) -> None:
    assert main(["demo", "--central", central_url, "--members", "40"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEMO_PASSWORD)
    today = date.today()
    month = f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"
    args = ["liability", "--central", central_url, "--month", month, "--user", "auditor", "--xlsx", str(tmp_path / "l.xlsx")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Reconciled: the closing balance of" in out and (tmp_path / "l.xlsx").exists()
    # this month's closing is what central's lots hold now (the demo posts nothing dated in the future)
    assert main(["liability", "--central", central_url, "--month", today.strftime("%Y-%m"), "--user", "auditor"]) == 0
    closing = capsys.readouterr().out.split("Reconciled: the closing balance of ")[1].split(" points")[0]
    assert int(closing.replace(",", "")) == _scalar(central_url, "SELECT sum(remaining) FROM lot")
    assert _scalar(central_url, "SELECT count(*) FROM audit_event WHERE action = 'export.liability'") == 2
    # central's aggregates, kept by its statement triggers as the demo's rows were copied in, agree with its ledger
    capsys.readouterr()
    assert main(["analytics", "verify", "--central", central_url]) == 0
    assert "agree with the ledger" in capsys.readouterr().out
    with psycopg.connect(make_url(central_url).set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
        connection.execute("DELETE FROM analytics_lot_day WHERE id = (SELECT min(id) FROM analytics_lot_day)")
    assert main(["analytics", "verify", "--central", central_url]) == 1
    assert "analytics_lot_day [" in capsys.readouterr().out
    assert main(["analytics", "rebuild", "--central", central_url]) == 0
    assert main(["analytics", "compact", "--central", central_url]) == 0
    assert main(["analytics", "verify", "--central", central_url]) == 0
