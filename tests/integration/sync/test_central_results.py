"""Head office's programme results from central (PostgreSQL): the same reads as on a desk over every
desk's members; the branches add up to the whole, and a lost active-member row is found and rebuilt."""

from __future__ import annotations

import json
from datetime import date

import psycopg
from sqlalchemy.engine import make_url

from loyalty_desk.cli.main import main
from loyalty_desk.demo.staff import DEMO_PASSWORD
from loyalty_desk.domain.dates import add_months


def _results(central_url: str, capsys, first: str, last: str, *extra: str) -> dict:
    capsys.readouterr()
    assert main(["analytics", "results", "--central", central_url, "--from", first, "--to", last, "--user", "auditor", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_programme_results_from_central(central_url: str, tmp_path, capsys, monkeypatch) -> None:
    assert main(["demo", "--central", central_url, "--members", "40"]) == 0
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEMO_PASSWORD)
    this_month = date.today().replace(day=1)
    first, last = f"{add_months(this_month, -11):%Y-%m}", f"{this_month:%Y-%m}"
    whole = _results(central_url, capsys, first, last, "--xlsx", str(tmp_path / "r.xlsx"))
    assert whole["issued"] > 0 and whole["active"] > 0 and (tmp_path / "r.xlsx").exists()
    with psycopg.connect(make_url(central_url).set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
        codes = [row[0] for row in connection.execute("SELECT code FROM branch ORDER BY code")]
        assert connection.execute("SELECT count(*) FROM audit_event WHERE action = 'export.results'").fetchone() == (1,)
    parts = [_results(central_url, capsys, first, last, "--branch", code) for code in codes]
    for name in ("members", "active", "active_previous", "retained", "issued", "redeemed", "expired"):
        assert sum(part[name] for part in parts) == whole[name], name
    tiers = [_results(central_url, capsys, first, last, "--tier", tier) for tier in ("standard", "silver", "gold", "platinum")]
    assert sum(part["active"] for part in tiers) == whole["active"] and sum(part["issued"] for part in tiers) == whole["issued"]

    with psycopg.connect(make_url(central_url).set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
        connection.execute("DELETE FROM analytics_active_month WHERE (month, member_id) = (SELECT month, member_id FROM analytics_active_month LIMIT 1)")
    capsys.readouterr()
    assert main(["analytics", "verify", "--central", central_url]) == 1
    assert "active members: 1 missing from the aggregate" in capsys.readouterr().out
    assert main(["analytics", "rebuild", "--central", central_url]) == 0
    assert _results(central_url, capsys, first, last)["active"] == whole["active"]

    # the campaigns' spend comparison reads the spend aggregate, which central's triggers keep and verify checks
    spending = [c for c in whole["campaigns"] if c["months_compared"] is not None]
    assert spending and any(c["participants"] > 0 and c["incremental_spend"] is not None for c in spending)
    with psycopg.connect(make_url(central_url).set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
        connection.execute("DELETE FROM analytics_campaign_month WHERE (campaign_code, month, member_id) = "
                            "(SELECT campaign_code, month, member_id FROM analytics_campaign_month LIMIT 1)")
    capsys.readouterr()
    assert main(["analytics", "verify", "--central", central_url]) == 1
    assert "campaign participants: 1 missing from the aggregate" in capsys.readouterr().out
    with psycopg.connect(make_url(central_url).set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
        assert connection.execute("SELECT count(*) FROM analytics_member_spend WHERE purchases > 0").fetchone()[0] > 0
        connection.execute("DELETE FROM analytics_member_spend WHERE id = (SELECT max(id) FROM analytics_member_spend)")
    capsys.readouterr()
    assert main(["analytics", "verify", "--central", central_url]) == 1
    assert "analytics_member_spend [" in capsys.readouterr().out
    assert main(["analytics", "rebuild", "--central", central_url]) == 0
    assert _results(central_url, capsys, first, last)["campaigns"] == whole["campaigns"]
