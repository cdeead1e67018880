"""The central applier on a realistic mix of real desk operations, on a central with ``--members`` members and their history.

The store: ``--members`` members (default 1,000,000) written with ``COPY``, each with an earning
entry and its lot, a third of them with a redemption earlier this year (its operation, ledger entry
and lot movement), the demo catalogue with stock at the head office. The operations: made as desks
make them (the payloads the desk services send, each signed by the officer or the supervisor who made
it, ``sync_support.signed_row``), spread over ``DESKS`` desks, each desk's in the order it made them,
on members drawn from the whole store:

* 60 % ``redeem``: a voucher without limits, a voucher with a yearly limit, a physical gift whose
  stock is counted per branch; one in ten for a handful of busy members, so the three-in-24-hours
  and monthly cap refuse some, as at a real counter;
* 15 % ``referral.register``: a new member under a member's referral code (a provisional number
  central replaces with its own);
* 15 % adjustments: ``adjust.request`` (an officer's goodwill credit) and the supervisor's
  ``adjust.approve`` of a request made earlier at the same desk;
* 10 % ``redeem.reverse`` of an earlier redemption and ``sync.resolve`` (points owed for an
  operation central refused).

Applied by 1, 2 and 4 applier processes (``bench_sync._run_appliers``), beside pgbench TPC-B-like
on the same server in the same run. ``LOYALTY_BENCH_MIX_OPS`` operations per run (default 6,000).
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: sync_support

import psycopg  # noqa: E402
from bench_sync import THROUGHPUT_TARGET, _Central, _dsn, _pgbench, _run_appliers, _seed_rewards  # noqa: E402
from common import BenchOptions, Row, benchmark  # noqa: E402

DESKS = 40
BUSY_MEMBERS = 40  # the members a tenth of the redemptions go to
HISTORY_BALANCE = 200_000
REWARDS = (("VCH-DIDI30", 3_000), ("VCH-STARBUCKS", 3_300), ("GIFT-TUMBLER", 4_500))
MIX = (("redeem", 60), ("referral.register", 15), ("adjust.request", 8), ("adjust.approve", 7), ("redeem.reverse", 5), ("sync.resolve", 5))
MEMO = "goodwill for a long wait at the counter"


def _member_numbers(count: int) -> list[str]:
    from loyalty_desk.domain.identity import make_member_no

    return [make_member_no(200_000_000 + i) for i in range(count)]


def build_store(central: _Central, members: int) -> list[str]:
    """The members and their history; returns their numbers (``members[i]`` has id order ``i``)."""
    from sync_support import add_central_staff, seed_central

    from loyalty_desk.services.referrals.records import referral_code_for
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory

    seed_central(central.url, [])
    _seed_rewards(central.url)
    database = Database(central.url)
    try:
        with uow_factory(database)(write=True) as uow:
            branch = uow.reference.branch_by_code("B001")
            assert branch is not None
            if uow.staff.by_username("off1") is None:
                add_central_staff(uow, "off1", "officer", branch.id, datetime(2026, 11, 1, 9, 0))
            uow.commit()
    finally:
        database.dispose()
    numbers = _member_numbers(members)
    now = datetime.now(UTC).replace(tzinfo=None)
    joined = date(2024, 1, 1)
    with psycopg.connect(_dsn(central.url), autocommit=True) as connection:
        branch_id, staff_id = connection.execute("SELECT b.id, s.id FROM branch b, staff s WHERE b.code = 'B001' AND s.username = 'sup1'").fetchone()
        columns = ("member_no, kind, name, name_pinyin, id_type, id_number, mobile, mobile_last4, branch_id, status, tier, joined_on, "
                   "profile_bonus_given, referral_code, posted_balance, held_points, created_at, language, marketing_opt_out")
        with connection.cursor() as cursor, cursor.copy(f"COPY member ({columns}) FROM STDIN") as copy:
            for i, no in enumerate(numbers):
                mobile = f"139{i:08d}"
                balance = HISTORY_BALANCE if (200_000_000 + i) % 3 == 0 else HISTORY_BALANCE + 3_000  # every third redeemed 3,000 this year
                copy.write_row((no, "person", f"会员{i}", f"huiyuan {i}", "passport", f"P{i:09d}", mobile, mobile[-4:], branch_id, "active",
                                "standard", joined, False, referral_code_for(no), balance, 0, now, "zh_CN", False))
        # an earning entry and its lot each; a redemption earlier this year for every third member
        connection.execute(
            "INSERT INTO ledger_entry (id, entry_uid, member_id, kind, rule, points, balance_after, occurred_on, posted_at, branch_id) "
            "SELECT nextval(pg_get_serial_sequence('ledger_entry', 'id')), 'hist:earn:' || m.id, m.id, 'earn', 'base', %(earned)s, %(earned)s, "
            "%(earned_on)s, %(earned_on)s, %(branch)s FROM member m WHERE m.member_no LIKE 'M2%%'",
            {"earned": HISTORY_BALANCE + 3_000, "earned_on": date(now.year, 1, 2), "branch": branch_id},
        )
        connection.execute(
            "INSERT INTO lot (id, member_id, entry_id, rule, earned_on, expires_on, original, remaining, qualifying) "
            "SELECT nextval(pg_get_serial_sequence('lot', 'id')), e.member_id, e.id, 'base', e.occurred_on, e.occurred_on + 730, e.points, "
            "CASE WHEN substr(m.member_no, 2, 9)::bigint % 3 = 0 THEN e.points - 3000 ELSE e.points END, true "
            "FROM ledger_entry e JOIN member m ON m.id = e.member_id WHERE e.entry_uid LIKE 'hist:earn:%'"
        )
        reward_id = connection.execute("SELECT id FROM reward WHERE code = 'VCH-DIDI30'").fetchone()[0]
        redeemed_at = datetime(now.year, 1, 3, 10, 0) if now.month > 1 else now - timedelta(days=2)
        connection.execute(
            "INSERT INTO operation (id, kind, member_id, payload, payload_digest, status, origin, staff_id, created_at, offline) "
            "SELECT 'hist-' || lpad(m.id::text, 31, '0'), 'redeem', m.id, json_build_object('member_no', m.member_no), 'history', 'posted', "
            "'history', %(staff)s, %(at)s, false FROM member m WHERE m.member_no LIKE 'M2%%' AND substr(m.member_no, 2, 9)::bigint %% 3 = 0",
            {"staff": staff_id, "at": redeemed_at},
        )
        connection.execute(
            "INSERT INTO ledger_entry (id, entry_uid, operation_id, member_id, kind, rule, points, balance_after, occurred_on, posted_at, branch_id, staff_id) "
            "SELECT nextval(pg_get_serial_sequence('ledger_entry', 'id')), 'hist:redeem:' || o.member_id, o.id, o.member_id, 'redeem', 'redemption', "
            "-3000, %(after)s, %(at)s, %(at)s, %(branch)s, %(staff)s FROM operation o WHERE o.origin = 'history'",
            {"after": HISTORY_BALANCE, "at": redeemed_at, "branch": branch_id, "staff": staff_id},
        )
        connection.execute(
            "INSERT INTO lot_movement (id, entry_id, lot_id, points) SELECT nextval(pg_get_serial_sequence('lot_movement', 'id')), e.id, l.id, -3000 "
            "FROM ledger_entry e JOIN lot l ON l.member_id = e.member_id WHERE e.entry_uid LIKE 'hist:redeem:%'"
        )
        connection.execute(
            "INSERT INTO redemption (id, number, operation_id, member_id, reward_id, qty, points, entry_id, branch_id, staff_id, redeemed_at) "
            "SELECT nextval(pg_get_serial_sequence('redemption', 'id')), 'R-H-' || e.member_id, e.operation_id, e.member_id, %(reward)s, 1, 3000, "
            "e.id, %(branch)s, %(staff)s, %(at)s FROM ledger_entry e WHERE e.entry_uid LIKE 'hist:redeem:%%'",
            {"reward": reward_id, "branch": branch_id, "staff": staff_id, "at": redeemed_at},
        )
        # the gift's shelf at the head office: enough for the run
        connection.execute(
            "INSERT INTO reward_stock_movement (reward_id, branch_id, change, reason, at) "
            "SELECT reward_id, branch_id, 1000000, 'received', %(at)s FROM reward_stock WHERE branch_id = %(branch)s",
            {"at": now, "branch": branch_id},
        )
        connection.execute("UPDATE reward_stock SET on_hand = on_hand + 1000000 WHERE branch_id = %(branch)s", {"branch": branch_id})
        connection.execute("ANALYZE")
    return numbers


def _mix_rows(central: _Central, count: int, numbers: list[str], rng: random.Random) -> list[dict[str, Any]]:
    """``count`` signed operations of the mix, in the order the desks made them (``row['desk']`` each)."""
    from sync_support import central_staff_key, register_test_desk, signed_row

    from loyalty_desk.domain.identity import make_member_no
    from loyalty_desk.domain.redemption import redemption_number
    from loyalty_desk.services.referrals.records import referral_code_for
    from loyalty_desk.simulation.world import chinese_numerals

    logins = [f"mix{d:02d}" for d in range(DESKS)]
    for login in logins:
        register_test_desk(central.url, login)
    officer, supervisor = central_staff_key(central.url, "off1"), central_staff_key(central.url, "sup1")
    busy = rng.sample(numbers, BUSY_MEMBERS)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    made_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=5)
    redeemed: dict[str, list[str]] = {login: [] for login in logins}  # redemption numbers a desk may reverse
    requested: dict[str, list[str]] = {login: [] for login in logins}  # adjustment requests a desk may approve
    serial = rng.randrange(10**6)
    rows: list[dict[str, Any]] = []
    for position in range(count):
        desk = logins[position % DESKS]
        kind = rng.choices(kinds, weights)[0]
        if kind == "redeem.reverse" and not redeemed[desk]:
            kind = "redeem"
        if kind == "adjust.approve" and not requested[desk]:
            kind = "adjust.request"
        operation_id = str(uuid.uuid4())
        if kind == "redeem":
            code, points = REWARDS[position % len(REWARDS)]
            member_no = rng.choice(busy) if rng.random() < 0.1 else rng.choice(numbers)
            payload: dict[str, Any] = {"member_no": member_no, "reward_code": code, "qty": 1, "points": points, "branch_code": "B001"}
            redeemed[desk].append(redemption_number("B001", operation_id))
            key = officer
        elif kind == "referral.register":
            serial += 1
            payload = {"code": referral_code_for(rng.choice(numbers)), "name": f"推荐新会员{chinese_numerals(serial)}", "id_type": "passport",
                       "id_number": f"N{serial:012d}", "mobile": f"15{serial % 10**9:09d}", "address": None,
                       "member_no": make_member_no(900_000_000 + serial)}
            key = officer
        elif kind == "adjust.request":
            payload = {"member_no": rng.choice(numbers), "direction": "credit", "points": rng.randint(100, 800), "reason_code": "GOODWILL",
                       "memo": MEMO, "evidence_ref": None}
            requested[desk].append(operation_id)
            key = officer
        elif kind == "adjust.approve":
            payload = {"request": requested[desk].pop(0), "note": "checked against the branch's complaint log"}
            key = supervisor
        elif kind == "redeem.reverse":
            payload = {"number": redeemed[desk].pop(rng.randrange(len(redeemed[desk]))), "reason": "the member changed their mind at the counter"}
            key = supervisor
        else:
            payload = {"rejected_operation_id": str(uuid.uuid4()), "resolution": "points_owed", "note": "the member keeps the voucher",
                       "member_no": rng.choice(numbers), "points": 100, "reason_code": "balance.insufficient", "resolved_by": "sup1",
                       "approved_by": None, "goods": None}
            key = supervisor
        row = signed_row(key, kind, payload, desk=desk, operation_id=operation_id, made_at=made_at + timedelta(microseconds=position))
        rows.append(row)
    return rows


def copy_inbound(central: _Central, columns: str, rows: Iterable[tuple[Any, ...]], *, vacuum: bool = False) -> None:
    """``inbound_operation`` emptied and filled with ``rows`` (values of ``columns``) by one COPY, then analysed (and vacuumed)."""
    with psycopg.connect(_dsn(central.url), autocommit=True) as connection:
        connection.execute("TRUNCATE inbound_operation")
        with connection.cursor() as cursor, cursor.copy(f"COPY inbound_operation ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE inbound_operation")


def load_mix(central: _Central, rows: list[dict[str, Any]]) -> None:
    """The operations into ``inbound_operation`` as the desks' pushes leave them: received in the order made."""
    received = datetime.now(UTC).replace(tzinfo=None)
    columns = "operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, signatures, status, received_at"
    copy_inbound(central, columns, ((row["id"], row["desk"], row["kind"], row["payload"], row["digest"], row["origin"], row["staff"], False,
                                     row["made_at"], row["signatures"], "received", received + timedelta(microseconds=position))
                                    for position, row in enumerate(rows)))


def verdicts_by_kind(central: _Central) -> dict[str, tuple[int, int]]:
    with psycopg.connect(_dsn(central.url)) as connection:
        return {kind: (posted, rejected) for kind, posted, rejected in connection.execute(
            "SELECT kind, count(*) FILTER (WHERE status = 'posted'), count(*) FILTER (WHERE status = 'rejected') FROM inbound_operation GROUP BY kind"
        )}


def refusals(central: _Central) -> dict[str, int]:
    with psycopg.connect(_dsn(central.url)) as connection:
        return {f"{kind}: {code}": n for kind, code, n in connection.execute(
            "SELECT kind, reason_code, count(*) FROM inbound_operation WHERE status = 'rejected' GROUP BY kind, reason_code ORDER BY 3 DESC"
        )}


@benchmark("applier_mix")
def bench_applier_mix(options: BenchOptions) -> list[Row]:
    operations = int(os.environ.get("LOYALTY_BENCH_MIX_OPS", "6000"))
    rng = random.Random(options.seed)
    central = _Central()
    rows: list[Row] = []
    try:
        started = time.perf_counter()
        numbers = build_store(central, options.members)
        rows.append(Row(f"building the central: {options.members:,} members with history", time.perf_counter() - started, "s"))
        rates: dict[int, float] = {}
        for workers in (1, 2, 4):
            load_mix(central, _mix_rows(central, operations, numbers, rng))
            rates[workers], _posted, rejected = _run_appliers(central, workers, real=True)
            print(f"applier_mix {workers} worker(s): {rates[workers]:,.0f} ops/s, refused: {refusals(central)}", file=sys.stderr, flush=True)
            rows.append(Row(f"applier throughput, real mix of {operations:,} operations on {options.members:,} members, {workers} worker(s)",
                            rates[workers], "ops/s", THROUGHPUT_TARGET, better="higher"))
            rows.append(Row(f"  of which refused by the rules ({workers} worker(s))", rejected, "operations"))
        tps = _pgbench(4)
        if tps:
            rows.append(Row("pgbench TPC-B-like, 4 clients, same server", tps, "tps"))
            rows += [Row(f"applier, real mix ({w} worker(s)) / pgbench", rate / tps, "ratio", 1.0, better="higher") for w, rate in rates.items()]
    finally:
        central.drop()
    return rows
