"""Central through PgBouncer in transaction pooling: no statement is prepared on the server (a
transaction may run on any server connection), and desks syncing through the pooler, each under its
own login, lose nothing and post nothing twice."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pg_servers import PgBouncer
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sync_support import HANDLERS, central_balances, central_scalar, new_desk, seed_central

from loyalty_desk.store.db import make_engine, prepare_threshold
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres


def _prepared_after_repeats(url: str, repeats: int = 10) -> int:
    """Statements prepared on the server by one connection that ran the same query ``repeats`` times."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            for _ in range(repeats):
                connection.execute(text("SELECT count(*) FROM member WHERE id > :id"), {"id": 0}).scalar()
            return int(connection.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one())
    finally:
        engine.dispose()


def test_central_connections_prepare_nothing_unless_the_url_asks(central_url: str) -> None:
    assert _prepared_after_repeats(central_url) == 0
    asked = make_url(central_url).update_query_dict({"prepare_threshold": "2"}).render_as_string(hide_password=False)
    assert _prepared_after_repeats(asked) >= 1


def test_prepare_threshold_in_the_url() -> None:
    assert prepare_threshold(None) is None
    assert prepare_threshold("none") is None
    assert prepare_threshold("5") == 5
    with pytest.raises(ValueError, match="prepare_threshold in the central URL must be a whole number"):
        prepare_threshold("-1")
    with pytest.raises(ValueError, match="prepare_threshold"):
        make_engine("postgresql://u@127.0.0.1:1/x?prepare_threshold=often")


@pytest.mark.parametrize("central_route", ["pooled"], indirect=True)
def test_desks_sync_through_the_pooler_under_their_own_logins_and_lose_nothing(
    central_url: str, pgbouncer: PgBouncer, desk_prefix: str, tmp_path: Path
) -> None:
    desks_wanted, rounds, points = 12, 3, 7
    members = seed_central(central_url, [10_000] * 4)
    database = make_url(central_url).database
    desks = [new_desk(central_url, tmp_path / f"d{i}", f"{desk_prefix}_d{i}") for i in range(desks_wanted)]
    applier = Applier(central_url, HANDLERS)
    made: list[str] = []
    try:
        for _ in range(rounds):
            for i, desk in enumerate(desks):
                operation_id = str(uuid.uuid4())
                desk.debit(members[i % len(members)], points, operation_id=operation_id)
                made.append(operation_id)
                desk.sync.desk.push()
            applier.drain()
            for desk in desks:
                desk.sync.desk.sync_once(wait=0.5)
        applier.drain()
        for desk in desks:
            desk.sync.desk.sync_once(wait=0.5)
        pools = [p for p in pgbouncer.pools() if p["database"] == database]
        # every desk signed in through the pooler under its own login
        assert {f"ld_desk_{desk_prefix}_d{i}" for i in range(desks_wanted)} <= {p["user"] for p in pools}
        assert all(p["pool_mode"] == "transaction" for p in pools)
        posted = central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE status = 'posted' AND operation_id = ANY(:ids)", ids=made)
        assert posted == len(made)
        assert central_scalar(central_url, "SELECT count(*) FROM ledger_entry WHERE kind = 'redeem'") == len(made)
        expected = {no: 10_000 - points * sum(1 for k in range(rounds * desks_wanted) if k % desks_wanted % len(members) == m)
                    for m, no in enumerate(members)}
        assert central_balances(central_url) == expected
        for desk in desks:
            assert desk.balances() == expected
    finally:
        for desk in desks:
            desk.close()
        applier.close()
