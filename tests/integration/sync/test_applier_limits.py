"""The redemption limits in the applier's batch: counted from the batch's preloaded redemptions
(``BatchState.redemptions``) and the stock rows it locked, they decide exactly as the queries of an
operation applied alone do. Two members with the same balance get the same operations; one
member's are applied in one batch, the other's one per transaction; every verdict, reason and
balance must be the same."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url
from sync_support import central_staff_key, register_test_desk, seed_central, signed_row

from loyalty_desk.demo.catalogue import seed_catalogue
from loyalty_desk.domain.redemption import redemption_number
from loyalty_desk.services.clock import utc_now
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres

# 3,000 points, no limit; 3,300, 12 a year; physical gifts of 4,500 and 9,900 whose stock is counted at the branch
REWARDS = {"VCH-DIDI30": 3_000, "VCH-STARBUCKS": 3_300, "GIFT-TUMBLER": 4_500, "GIFT-RICE": 9_900}
SHELF = 6  # each gift's stock at the head office before each member's operations


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


redeem = st.tuples(st.just("redeem"), st.sampled_from(sorted(REWARDS)), st.integers(1, 4))
reverse = st.tuples(st.just("reverse"), st.integers(0, 20), st.just(0))  # the n-th redemption made so far (modulo)
steps = st.lists(st.one_of(redeem, redeem, redeem, reverse), min_size=4, max_size=14)


def _operations(member_no: str, plan: list[tuple[str, Any, int]]) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The plan as (kind, payload) for ``member_no``, with the operation ids the redemptions get (the reversals name their numbers)."""
    import uuid

    operations: list[tuple[str, dict[str, Any]]] = []
    ids: list[str] = []
    redemptions: list[str] = []
    for kind, what, qty in plan:
        operation_id = str(uuid.uuid4())
        if kind == "redeem":
            operations.append(("redeem", {"member_no": member_no, "reward_code": what, "qty": qty, "points": REWARDS[what] * qty,
                                          "branch_code": "B001"}))
            redemptions.append(redemption_number("B001", operation_id))
        elif redemptions:
            operations.append(("redeem.reverse", {"number": redemptions[what % len(redemptions)], "reason": "the member changed their mind"}))
        else:
            operations.append(("redeem.reverse", {"number": "R-B001-000000000000", "reason": "the member changed their mind"}))
        ids.append(operation_id)
    return operations, ids


def _received(url: str, member_no: str, plan: list[tuple[str, Any, int]]) -> list[str]:
    """The member's operations received in the order of the plan, signed by the supervisor at desk ``limits``; their ids in that order."""
    operations, ids = _operations(member_no, plan)
    register_test_desk(url, "limits")
    key = central_staff_key(url, "sup1")
    with psycopg.connect(_dsn(url), autocommit=True) as connection:
        connection.execute("UPDATE reward_stock SET on_hand = %s", (SHELF,))
        for position, ((kind, payload), operation_id) in enumerate(zip(operations, ids, strict=True)):
            row = signed_row(key, kind, payload, desk="limits", operation_id=operation_id)
            connection.execute(
                "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, "
                "signatures, status, received_at) VALUES (%(id)s, %(desk)s, %(kind)s, %(payload)s, %(digest)s, %(origin)s, %(staff)s, false, "
                "%(made_at)s, %(signatures)s, 'received', (now() AT TIME ZONE 'UTC') + %(position)s * interval '1 ms')",
                {**row, "position": position},
            )
    return ids


def _verdicts(url: str, ids: list[str]) -> list[tuple[str, str | None]]:
    with psycopg.connect(_dsn(url)) as connection:
        found = {r[0]: (r[1], r[2]) for r in connection.execute(
            "SELECT operation_id, status, reason_code FROM inbound_operation WHERE operation_id = ANY(%s)", (ids,))}
    return [found[i] for i in ids]


def _member(url: str, member_no: str) -> tuple[int, int, int]:
    """Balance, redemptions not reversed, stock left on the two shelves."""
    with psycopg.connect(_dsn(url)) as connection:
        balance, redeemed = connection.execute(
            "SELECT m.posted_balance, (SELECT count(*) FROM redemption r WHERE r.member_id = m.id AND r.reversed_at IS NULL) "
            "FROM member m WHERE m.member_no = %s", (member_no,)).fetchone()
        (stock,) = connection.execute("SELECT sum(on_hand) FROM reward_stock").fetchone()
    return int(balance), int(redeemed), int(stock)


@pytest.mark.postgres
def test_redemption_limits_in_one_batch_decide_as_one_operation_at_a_time(central_url: str) -> None:
    seed_central(central_url, [])
    database = Database(central_url)
    try:
        with uow_factory(database)(write=True) as uow:
            seed_catalogue(uow, utc_now().date())
            uow.commit()
    finally:
        database.dispose()
    in_batches = Applier(central_url, operation_handlers(), batch=100)
    one_by_one = Applier(central_url, operation_handlers(), batch=1)  # below the batch write's smallest size: every query asked

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(plan=steps, balance=st.sampled_from([6_000, 20_000, 60_000]))
    def property(plan: list[tuple[str, Any, int]], balance: int) -> None:
        batched_member, single_member = seed_central(central_url, [balance, balance])
        batched_ids = _received(central_url, batched_member, plan)
        assert in_batches.apply_batch().total == len(plan)  # all of them in one batch
        batched = (_verdicts(central_url, batched_ids), _member(central_url, batched_member))
        single_ids = _received(central_url, single_member, plan)
        one_by_one.drain()
        single = (_verdicts(central_url, single_ids), _member(central_url, single_member))
        assert batched == single

    try:
        property()
    finally:
        in_batches.close()
        one_by_one.close()
