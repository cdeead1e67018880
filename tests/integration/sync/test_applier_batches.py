"""The applier's batch: many operations written in one flush, and what happens when one of them fails."""

from __future__ import annotations

from datetime import datetime

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sync_support import HANDLERS, TestDebit, central_balances, receive_signed, seed_central

from loyalty_desk.central_data import central_services
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import Applied, OperationRequest
from loyalty_desk.store.uow import UnitOfWork
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres


class TestCredit:
    """Credits ``points`` into a new lot (the lot must be seen by a debit later in the same batch)."""

    kind = "test_credit"
    maker_roles = frozenset({"supervisor"})

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        member = uow.members.by_no(request.payload["member_no"])
        assert member is not None
        member = uow.members.lock(member.id)
        assert member is not None
        posting = Posting(entry_uid=f"credit:{request.operation_id}", kind="earn", rule="test", occurred_on=now.date(), operation_id=request.operation_id)
        Ledger(uow, context.rules, now).credit(member, posting, int(request.payload["points"]), qualifying=True)
        return Applied({"balance_after": member.posted_balance}, member.id)


class ReusedEntryUid(TestDebit):
    """A debit whose entry uid is the same for every operation: only the database's unique index
    refuses the second, when the batch's rows are written."""

    kind = "test_reused_uid"
    maker_roles = frozenset({"supervisor"})

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        member = uow.members.by_no(request.payload["member_no"])
        assert member is not None
        member = uow.members.lock(member.id)
        assert member is not None
        posting = Posting(entry_uid="always-the-same", kind="redeem", rule="test", occurred_on=now.date(), operation_id=request.operation_id)
        Ledger(uow, context.rules, now).debit(member, posting, int(request.payload["points"]))
        return Applied({"balance_after": member.posted_balance}, member.id)


class LooksThenRefuses:
    """Reads the member's lots (a query: the session first writes what earlier operations of the batch
    left pending) and then refuses, as a rule checked after a lookup does; counts its runs."""

    kind = "test_looks_then_refuses"
    maker_roles = frozenset({"supervisor"})
    runs = 0

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        LooksThenRefuses.runs += 1
        member = uow.members.by_no(request.payload["member_no"])
        assert member is not None
        uow.ledger.lots_for_member(member.id)
        raise DomainError("test.refused_after_looking")


ALL_HANDLERS = [*HANDLERS, TestCredit(), ReusedEntryUid(), LooksThenRefuses()]


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _receive(url: str, operations: list[tuple[str, dict[str, object]]]) -> list[str]:
    """Inbound operations as desks leave them (signed by the desk's supervisor), received in this order; their ids."""
    return receive_signed(url, operations, desk="test")


def _verdicts(url: str, ids: list[str]) -> list[tuple[str, str | None]]:
    with psycopg.connect(_dsn(url)) as connection:
        found = {
            row[0]: (row[1], row[2])
            for row in connection.execute("SELECT operation_id, status, reason_code FROM inbound_operation WHERE operation_id = ANY(%s)", (ids,))
        }
    return [found[i] for i in ids]


def _assert_ledger_consistent(url: str) -> None:
    with psycopg.connect(_dsn(url)) as connection:
        bad = connection.execute(
            "SELECT count(*) FROM member m WHERE m.posted_balance <> (SELECT coalesce(sum(points), 0) FROM ledger_entry e WHERE e.member_id = m.id) "
            "OR m.posted_balance <> (SELECT coalesce(sum(remaining), 0) FROM lot l WHERE l.member_id = m.id) "
            "OR EXISTS (SELECT 1 FROM lot l WHERE l.member_id = m.id AND (l.remaining < 0 OR l.remaining > l.original))"
        ).fetchone()[0]
        movements = connection.execute(
            "SELECT count(*) FROM lot l WHERE l.remaining <> (SELECT coalesce(sum(points), 0) FROM lot_movement v WHERE v.lot_id = l.id) + "
            "(SELECT points FROM ledger_entry e WHERE e.id = l.entry_id)"
        ).fetchone()[0]
    assert bad == 0
    assert movements == 0
    # the analytics aggregates, kept by central's statement triggers over the batch's COPY, agree with the ledger
    services = central_services(url)
    try:
        verified = services.analytics.verify()
    finally:
        services.close()
    assert verified.agrees, verified.differences
    assert verified.rows["analytics_entry_day"] > 0 and verified.rows["analytics_lot_day"] > 0


def test_a_batch_posts_what_it_can_and_rejects_the_rest_with_the_reason(central_url: str) -> None:
    alice, bob = seed_central(central_url, [100, 50])
    ids = _receive(
        central_url,
        [
            ("test_debit", {"member_no": alice, "points": 30}),
            ("test_debit", {"member_no": alice, "points": 30}),
            ("test_debit", {"member_no": bob, "points": 80}),  # more than bob has
            ("test_debit", {"member_no": alice, "points": 30}),
            ("test_debit", {"member_no": alice, "points": 30}),  # alice has 10 left by now
            ("test_credit", {"member_no": bob, "points": 40}),
            ("test_debit", {"member_no": bob, "points": 80}),  # 90 now: takes from the lot credited in this batch
        ],
    )
    applier = Applier(central_url, ALL_HANDLERS, batch=50)
    try:
        report = applier.drain()
    finally:
        applier.close()
    assert (report.posted, report.rejected) == (5, 2)
    statuses = _verdicts(central_url, ids)
    # within a batch the applier takes each member's operations in the order they were received
    assert statuses == [
        ("posted", None),
        ("posted", None),
        ("rejected", "balance.insufficient"),
        ("posted", None),
        ("rejected", "balance.insufficient"),
        ("posted", None),
        ("posted", None),
    ]
    assert central_balances(central_url) == {alice: 10, bob: 10}
    _assert_ledger_consistent(central_url)


def test_a_row_the_database_refuses_rejects_only_its_own_operation(central_url: str) -> None:
    """The batch's rows are written together; when the database refuses one (here a unique index),
    the batch is applied again an operation at a time and only the culprit is rejected."""
    (member,) = seed_central(central_url, [1000])
    ids = _receive(
        central_url,
        [
            ("test_debit", {"member_no": member, "points": 100}),
            ("test_reused_uid", {"member_no": member, "points": 100}),
            ("test_debit", {"member_no": member, "points": 100}),
            ("test_reused_uid", {"member_no": member, "points": 100}),
            ("test_debit", {"member_no": member, "points": 100}),
        ],
    )
    applier = Applier(central_url, ALL_HANDLERS, batch=50)
    try:
        report = applier.drain()
    finally:
        applier.close()
    assert (report.posted, report.rejected) == (4, 1)
    assert _verdicts(central_url, ids) == [
        ("posted", None),
        ("posted", None),
        ("posted", None),
        ("rejected", "central.constraint"),
        ("posted", None),
    ]
    assert central_balances(central_url) == {member: 600}
    _assert_ledger_consistent(central_url)


def test_a_refusal_after_a_lookup_keeps_the_rest_of_the_batch_without_running_it_again(central_url: str) -> None:
    """The lookup wrote the earlier operations' rows, not the refused operation's own: the batch takes
    the refusal and goes on, each operation run once, and the refused one leaves no row behind."""
    (member,) = seed_central(central_url, [1000])
    kinds = ["test_debit", "test_debit", "test_looks_then_refuses", "test_debit", "test_looks_then_refuses", "test_debit"]
    ids = _receive(central_url, [(kind, {"member_no": member, "points": 100}) for kind in kinds])
    LooksThenRefuses.runs = 0
    applier = Applier(central_url, ALL_HANDLERS, batch=50)
    try:
        report = applier.drain()
    finally:
        applier.close()
    assert (report.posted, report.rejected) == (4, 2)
    assert LooksThenRefuses.runs == 2
    assert _verdicts(central_url, ids) == [
        ("posted", None), ("posted", None), ("rejected", "test.refused_after_looking"),
        ("posted", None), ("rejected", "test.refused_after_looking"), ("posted", None),
    ]
    with psycopg.connect(_dsn(central_url)) as connection:
        kept = {row[0] for row in connection.execute("SELECT id FROM operation WHERE id = ANY(%s)", (ids,))}
    assert kept == {ids[0], ids[1], ids[3], ids[5]}
    assert central_balances(central_url) == {member: 600}
    _assert_ledger_consistent(central_url)


def test_rows_written_in_one_batch_reach_the_change_feed(central_url: str) -> None:
    (member,) = seed_central(central_url, [1000])
    ids = _receive(central_url, [("test_debit", {"member_no": member, "points": 10}) for _ in range(20)])
    applier = Applier(central_url, ALL_HANDLERS, batch=50)
    try:
        assert applier.drain().posted == 20
    finally:
        applier.close()
    with psycopg.connect(_dsn(central_url)) as connection:
        fed = dict(
            connection.execute(
                "SELECT entity, count(*) FROM change_feed WHERE entity IN ('operation', 'ledger_entry', 'lot_movement') "
                "AND (payload->>'operation_id' = ANY(%s) OR payload->>'id' = ANY(%s) "
                "OR (payload->>'entry_id')::bigint IN (SELECT id FROM ledger_entry WHERE operation_id = ANY(%s))) GROUP BY entity",
                (ids, ids, ids),
            ).fetchall()
        )
    assert fed == {"operation": 20, "ledger_entry": 20, "lot_movement": 20}
