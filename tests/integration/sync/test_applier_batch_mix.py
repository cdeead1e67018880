"""The desk's whole mix in the applier's batch decides as the same operations applied one per
transaction: referral registrations (their referrer, identity and fraud checks answered from the
facts the batch read up front), adjustment requests and their approvals, redemptions and their
reversals (the decisions' targets read with their members' locks). Two worlds get the same plan,
each its own referrer and identities; one world's operations are applied in one batch, the other's
one per transaction, and every verdict, balance, referral and request must come out the same."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url
from sync_support import add_central_staff, central_staff_key, register_test_desk, seed_central, signed_row

from loyalty_desk.demo.catalogue import seed_catalogue
from loyalty_desk.domain.identity import PROVISIONAL_SERIAL_FROM, make_member_no
from loyalty_desk.domain.redemption import redemption_number
from loyalty_desk.services.clock import utc_now
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.referrals.records import referral_code_for
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres

REWARDS = {"VCH-DIDI30": 3_000, "GIFT-TUMBLER": 4_500}
SHELF = 4
BALANCES = (5_000, 20_000)
DESK = "mix"
_worlds = itertools.count(1)
_new_numbers = itertools.count(PROVISIONAL_SERIAL_FROM + 1)

register = st.tuples(st.just("register"), st.integers(0, 3), st.integers(0, 3), st.sampled_from([None, 0, 1]))
request = st.tuples(st.just("request"), st.sampled_from([300, 4_000, 60_000]), st.just(0), st.just(None))  # 60,000: two approvals
approve = st.tuples(st.just("approve"), st.integers(0, 9), st.sampled_from(["sup1", "sup2"]), st.just(None))  # the n-th request so far (modulo)
redeem = st.tuples(st.just("redeem"), st.sampled_from(sorted(REWARDS)), st.integers(1, 2), st.just(None))
reverse = st.tuples(st.just("reverse"), st.integers(0, 9), st.just(0), st.just(None))  # the n-th redemption so far (modulo)
steps = st.lists(st.one_of(register, register, request, approve, redeem, reverse), min_size=4, max_size=14)


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _operations(world: int, member_no: str, plan: list[tuple[Any, ...]]) -> list[tuple[str, str, dict[str, Any], str]]:
    """(operation id, kind, payload, signer) of each step for ``world``: its referrer is ``member_no``,
    its referees' identity numbers, mobiles and addresses its own (the n-th of the plan's pool)."""
    made: list[tuple[str, str, dict[str, Any], str]] = []
    requests: list[str] = []
    redemptions: list[str] = []
    for kind, first, second, third in plan:
        operation_id = str(uuid.uuid4())
        if kind == "register":
            payload: dict[str, Any] = {
                "code": referral_code_for(member_no), "name": "新会员", "id_type": "passport", "id_number": f"N{world:05d}{first:07d}",
                "mobile": f"15{world:05d}{second:04d}", "address": None if third is None else f"上海市浦东新区世纪大道{world}号{third}室",
                "member_no": make_member_no(next(_new_numbers)),
            }
            made.append((operation_id, "referral.register", payload, "off1"))
        elif kind == "request":
            large = first > 5_000  # beyond a goodwill credit: a correction with its evidence
            payload = {"member_no": member_no, "direction": "credit", "points": first, "reason_code": "CORRECTION" if large else "GOODWILL",
                       "memo": "the counter's error on the statement", "evidence_ref": "TICKET-2026-001" if large else None}
            made.append((operation_id, "adjust.request", payload, "off1"))
            requests.append(operation_id)
        elif kind == "approve" and requests:
            made.append((operation_id, "adjust.approve", {"request": requests[first % len(requests)], "note": "checked"}, second))
        elif kind == "redeem":
            payload = {"member_no": member_no, "reward_code": first, "qty": second, "points": REWARDS[first] * second, "branch_code": "B001"}
            made.append((operation_id, "redeem", payload, "off1"))
            redemptions.append(redemption_number("B001", operation_id))
        elif kind == "reverse" and redemptions:
            made.append((operation_id, "redeem.reverse", {"number": redemptions[first % len(redemptions)], "reason": "changed their mind"}, "sup1"))
    return made


def _received(url: str, operations: list[tuple[str, str, dict[str, Any], str]], keys: dict[str, Any]) -> list[str]:
    with psycopg.connect(_dsn(url), autocommit=True) as connection:
        connection.execute("UPDATE reward_stock SET on_hand = %s", (SHELF,))
        for position, (operation_id, kind, payload, signer) in enumerate(operations):
            row = signed_row(keys[signer], kind, payload, desk=DESK, operation_id=operation_id)
            connection.execute(
                "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, "
                "signatures, status, received_at) VALUES (%(id)s, %(desk)s, %(kind)s, %(payload)s, %(digest)s, %(origin)s, %(staff)s, false, "
                "%(made_at)s, %(signatures)s, 'received', (now() AT TIME ZONE 'UTC') + %(position)s * interval '1 ms')",
                {**row, "position": position},
            )
    return [operation_id for operation_id, *_ in operations]


def _outcome(url: str, member_no: str, ids: list[str]) -> tuple[Any, ...]:
    """Every verdict, the member's balances, its redemptions and requests, and the referrals it made with their flags."""
    with psycopg.connect(_dsn(url)) as connection:
        verdicts = {r[0]: (r[1], r[2]) for r in connection.execute(
            "SELECT operation_id, status, reason_code FROM inbound_operation WHERE operation_id = ANY(%s)", (ids,))}
        member_id, balance, held = connection.execute(
            "SELECT id, posted_balance, held_points FROM member WHERE member_no = %s", (member_no,)).fetchone()
        redeemed = connection.execute("SELECT count(*) FILTER (WHERE reversed_at IS NULL), count(*) FROM redemption WHERE member_id = %s",
                                      (member_id,)).fetchone()
        requests = [tuple(r) for r in connection.execute(
            "SELECT points, status, (SELECT count(*) FROM adjustment_approval a WHERE a.request_id = q.id) FROM adjustment_request q "
            "WHERE member_id = %s ORDER BY id", (member_id,))]
        referrals = [(status, sorted(flag["code"] for flag in flags or [])) for status, flags in connection.execute(
            "SELECT status, flag_reasons FROM referral WHERE referrer_member_id = %s ORDER BY id", (member_id,))]
        (stock,) = connection.execute("SELECT sum(on_hand) FROM reward_stock").fetchone()
    return [verdicts[i] for i in ids], balance, held, tuple(redeemed), requests, referrals, stock


def test_the_desk_mix_in_one_batch_decides_as_one_operation_at_a_time(central_url: str) -> None:
    seed_central(central_url, [])
    database = Database(central_url)
    try:
        with uow_factory(database)(write=True) as uow:
            seed_catalogue(uow, utc_now().date())
            branch = uow.reference.branch_by_code("B001")
            assert branch is not None
            for username, role in (("off1", "officer"), ("sup2", "supervisor")):
                if uow.staff.by_username(username) is None:
                    add_central_staff(uow, username, role, branch.id, datetime(2026, 11, 1, 9, 0))
            uow.commit()
    finally:
        database.dispose()
    # every member is made before the first registration: central's new numbers come after them
    pool = {balance: iter(seed_central(central_url, [balance] * 150)) for balance in BALANCES}
    register_test_desk(central_url, DESK)
    keys = {name: central_staff_key(central_url, name) for name in ("off1", "sup1", "sup2")}
    in_batches = Applier(central_url, operation_handlers(), batch=100)
    one_by_one = Applier(central_url, operation_handlers(), batch=1)  # below the batch write's smallest size: every query asked

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(plan=steps, split=st.integers(0, 14), balance=st.sampled_from(BALANCES))
    @example(plan=[("request", 60_000, 0, None), ("redeem", "GIFT-TUMBLER", 1, None), ("approve", 0, "sup1", None), ("approve", 0, "sup2", None),
                   ("reverse", 0, 0, None), ("reverse", 0, 0, None)], split=2, balance=20_000)  # two decisions and two reversals of the first push
    def property(plan: list[tuple[Any, ...]], split: int, balance: int) -> None:
        """The plan arrives in two pushes: decisions and reversals in the second may name requests and
        redemptions of the first, which the second batch reads up front."""
        outcomes = []
        for applier, whole_batch in ((in_batches, True), (one_by_one, False)):
            member_no = next(pool[balance])
            with psycopg.connect(_dsn(central_url), autocommit=True) as connection:
                connection.execute("UPDATE member SET referral_code = %s WHERE member_no = %s", (referral_code_for(member_no), member_no))
            operations = _operations(next(_worlds), member_no, plan)
            ids: list[str] = []
            for push in (operations[:split], operations[split:]):
                ids += _received(central_url, push, keys)
                if whole_batch:
                    assert applier.apply_batch().total == len(push)  # all of them in one batch
                else:
                    applier.drain()
            outcomes.append(_outcome(central_url, member_no, ids))
        assert outcomes[0] == outcomes[1]

    try:
        property()
    finally:
        in_batches.close()
        one_by_one.close()
