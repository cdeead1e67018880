"""Operations that depend on each other, pushed together: central applies a desk's operations in the
order the desk made them, and an operation whose prerequisite central has received but not applied
yet waits for it instead of being refused as not found."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sync_support import (
    BRANCH,
    INSERT_SIGNED,
    add_central_staff,
    central_balances,
    central_rows,
    central_scalar,
    central_staff_key,
    new_desk,
    receive_signed,
    register_test_desk,
    seed_central,
    signed_row,
)

from loyalty_desk.demo.catalogue import seed_catalogue
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.redemption.service import RedemptionService
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier, waiting_prerequisites

pytestmark = pytest.mark.postgres

MEMO = "duplicate posting of the 3 May card spend"


def _add_officer(central_url: str, *, with_catalogue: bool = False) -> None:
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        add_central_staff(uow, "off1", "officer", branch.id, datetime(2026, 11, 1))
        if with_catalogue:
            seed_catalogue(uow, date.today())
        uow.commit()
    database.dispose()


def _verdicts(central_url: str, *operation_ids: str) -> list[tuple[str, str | None]]:
    rows = {r.operation_id: (r.status, r.reason_code) for r in central_rows(
        central_url, "SELECT operation_id, status, reason_code FROM inbound_operation WHERE operation_id = ANY(:ids)", ids=list(operation_ids))}
    return [rows[i] for i in operation_ids]


@contextmanager
def _held_by_another_applier(central_url: str, operation_id: str) -> Iterator[None]:
    """The inbound row locked as another applier's batch holds it while it runs."""
    dsn = make_url(central_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as connection:
        locked = connection.execute("SELECT operation_id FROM inbound_operation WHERE operation_id = %s FOR UPDATE", (operation_id,)).fetchall()
        assert locked == [(operation_id,)]
        yield
        connection.rollback()


def test_a_request_and_its_approval_pushed_in_one_round_are_applied_in_the_order_made(
        central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    _add_officer(central_url)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        officer, supervisor = desk.sign_in("off1"), desk.sign_in("sup1")
        service = AdjustmentService(desk.context, desk.runner)
        request_id, approval_id = str(uuid.uuid4()), str(uuid.uuid4())
        filed = service.request(operation_id=request_id, session=officer, member_no=member_no, direction="debit", points=700,
                                reason_code="CORRECTION", memo=MEMO, evidence_ref="LE-4411")
        service.approve(operation_id=approval_id, request_id=filed.request_id, session=supervisor)
        assert desk.sync.desk.push().sent == 2  # one push round
        report = applier.drain()
        assert (report.posted, report.rejected) == (2, 0)
        assert _verdicts(central_url, request_id, approval_id) == [("posted", None), ("posted", None)]
        desk.sync.desk.collect_outcomes()
        desk.sync.desk.pull()
        assert desk.sync.exceptions() == []
        assert desk.balance(member_no) == 4300 == central_balances(central_url)[member_no]
    finally:
        applier.close()
        desk.close()


def test_an_approval_made_before_central_returned_its_request_follows_central_copy_of_the_request(
        central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    """The request is posted at central; the desk approves it before the feed brings the request back.
    Central's copy replaces the desk's provisional request, and the waiting approval's row follows it
    (the page is written, nothing is stuck), then the approval goes to central and is posted."""
    (member_no,) = seed_central(central_url, [5000])
    _add_officer(central_url)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        officer, supervisor = desk.sign_in("off1"), desk.sign_in("sup1")
        service = AdjustmentService(desk.context, desk.runner)
        request_id, approval_id = str(uuid.uuid4()), str(uuid.uuid4())
        filed = service.request(operation_id=request_id, session=officer, member_no=member_no, direction="credit", points=300,
                                reason_code="CORRECTION", memo=MEMO, evidence_ref="LE-4411")
        desk.sync.desk.push()
        assert applier.drain().posted == 1
        service.approve(operation_id=approval_id, request_id=filed.request_id, session=supervisor)
        desk.sync.desk.collect_outcomes()
        assert desk.sync.desk.pull().stopped_at is None  # central's request replaces ours; our waiting approval names it
        with desk.context.uow() as uow:
            request = uow.adjustments.by_operation(request_id)
            approval = uow.adjustments.approval_by_operation(approval_id)
            assert request is not None and approval is not None and approval.request_id == request.id
        desk.sync.desk.push()
        assert applier.drain().posted == 1
        desk.sync.desk.collect_outcomes()
        assert desk.sync.desk.pull().stopped_at is None
        assert desk.sync.exceptions() == [] and desk.sync.desk.waiting_ids() == []
        assert desk.balance(member_no) == 5300 == central_balances(central_url)[member_no]
    finally:
        applier.close()
        desk.close()


def test_an_approval_waits_while_another_applier_holds_its_request(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    _add_officer(central_url)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        officer, supervisor = desk.sign_in("off1"), desk.sign_in("sup1")
        service = AdjustmentService(desk.context, desk.runner)
        request_id, approval_id = str(uuid.uuid4()), str(uuid.uuid4())
        filed = service.request(operation_id=request_id, session=officer, member_no=member_no, direction="credit", points=300,
                                reason_code="CORRECTION", memo=MEMO, evidence_ref="LE-4411")
        service.approve(operation_id=approval_id, request_id=filed.request_id, session=supervisor)
        desk.sync.desk.push()
        with _held_by_another_applier(central_url, request_id):
            report = applier.apply_batch()
            assert report.total == 0  # the approval was not refused: it waits for its request
            assert _verdicts(central_url, request_id, approval_id) == [("received", None), ("received", None)]
        report = applier.drain()
        assert (report.posted, report.rejected) == (2, 0)
        desk.sync.desk.collect_outcomes()
        desk.sync.desk.pull()
        assert desk.sync.exceptions() == []
        assert desk.balance(member_no) == 5300 == central_balances(central_url)[member_no]
    finally:
        applier.close()
        desk.close()


def test_a_decision_received_before_its_request_from_another_desk_waits_for_it(central_url: str) -> None:
    (member_no,) = seed_central(central_url, [5000])
    _add_officer(central_url)
    register_test_desk(central_url, "desk_x")
    register_test_desk(central_url, "desk_y")
    request_id = str(uuid.uuid4())
    request = signed_row(central_staff_key(central_url, "off1"), "adjust.request",
                         {"member_no": member_no, "direction": "credit", "points": 200, "reason_code": "CORRECTION", "memo": MEMO,
                          "evidence_ref": "LE-1"}, desk="desk_x", operation_id=request_id)
    approval = signed_row(central_staff_key(central_url, "sup1"), "adjust.approve", {"request": request_id, "note": ""}, desk="desk_y")
    engine = make_engine(central_url)
    try:
        with engine.begin() as connection:  # the approval arrives first
            for row in (approval, request):
                connection.execute(_insert(), row)
    finally:
        engine.dispose()
    applier = Applier(central_url, operation_handlers())
    try:
        report = applier.drain()
        assert (report.posted, report.rejected) == (2, 0)
        assert _verdicts(central_url, request_id, approval["id"]) == [("posted", None), ("posted", None)]
        assert central_balances(central_url)[member_no] == 5200
    finally:
        applier.close()


def _insert() -> object:
    from sqlalchemy import text

    return text(INSERT_SIGNED.replace("'received')", "'received', clock_timestamp() AT TIME ZONE 'UTC')")
                .replace("signatures, status)", "signatures, status, received_at)"))


def test_a_reversal_pushed_with_its_redemption_is_applied_after_it(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [50_000])
    _add_officer(central_url, with_catalogue=True)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        supervisor = desk.sign_in("sup1")
        redemption = RedemptionService(desk.context, desk.runner)
        redeem_id, reverse_id = str(uuid.uuid4()), str(uuid.uuid4())
        receipt = redemption.redeem(operation_id=redeem_id, session=supervisor, member_no=member_no, reward_code="GIFT-TUMBLER", qty=1)
        redemption.reverse(operation_id=reverse_id, session=supervisor, redemption_number=receipt.number, reason="Wrong colour")
        assert desk.balance(member_no) == 50_000
        desk.sync.desk.push()
        report = applier.drain()
        assert (report.posted, report.rejected) == (2, 0)
        desk.sync.desk.collect_outcomes()
        desk.sync.desk.pull()
        assert desk.sync.exceptions() == []
        assert desk.balance(member_no) == 50_000 == central_balances(central_url)[member_no]
    finally:
        applier.close()
        desk.close()


def test_a_reversal_waits_while_its_redemption_is_still_queued(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [50_000])
    _add_officer(central_url, with_catalogue=True)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        supervisor = desk.sign_in("sup1")
        redemption = RedemptionService(desk.context, desk.runner)
        redeem_id, reverse_id = str(uuid.uuid4()), str(uuid.uuid4())
        receipt = redemption.redeem(operation_id=redeem_id, session=supervisor, member_no=member_no, reward_code="GIFT-TUMBLER", qty=1)
        redemption.reverse(operation_id=reverse_id, session=supervisor, redemption_number=receipt.number, reason="Wrong colour")
        desk.sync.desk.push()
        with _held_by_another_applier(central_url, redeem_id):
            assert applier.apply_batch().total == 0
            assert _verdicts(central_url, redeem_id, reverse_id) == [("received", None), ("received", None)]
        report = applier.drain()
        assert (report.posted, report.rejected) == (2, 0)
        desk.sync.desk.collect_outcomes()
        desk.sync.desk.pull()
        assert desk.balance(member_no) == 50_000 == central_balances(central_url)[member_no]
    finally:
        applier.close()
        desk.close()



def test_an_approval_central_refuses_is_compensated_at_the_desk_and_the_desk_ends_equal_to_central(
        central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    _add_officer(central_url)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        officer, supervisor = desk.sign_in("off1"), desk.sign_in("sup1")
        service = AdjustmentService(desk.context, desk.runner)
        request_id, approval_id = str(uuid.uuid4()), str(uuid.uuid4())
        service.request(operation_id=request_id, session=officer, member_no=member_no, direction="credit", points=300,
                        reason_code="CORRECTION", memo=MEMO, evidence_ref="LE-4411")
        desk.sync.desk.push()
        assert applier.drain().posted == 1
        desk.sync.desk.collect_outcomes()
        desk.sync.desk.pull()
        # another desk's supervisor rejects the request at central before this desk hears of it
        receive_signed(central_url, [("adjust.reject", {"request": request_id, "note": "The spend was posted once only"})], desk="desk_z")
        assert applier.drain().posted == 1
        (queued,) = service.queue(session=supervisor)
        service.approve(operation_id=approval_id, request_id=queued.request_id, session=supervisor)
        assert desk.balance(member_no) == 5300
        desk.sync.desk.push()
        assert applier.drain().rejected == 1
        outcomes = desk.sync.desk.collect_outcomes()
        assert [(o.operation_id, o.outcome) for o in outcomes] == [(approval_id, "rejected")]
        desk.sync.desk.pull()
        (exception,) = desk.sync.exceptions()
        assert exception.operation_id == approval_id
        assert desk.balance(member_no) == 5000 == central_balances(central_url)[member_no]
        with desk.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert (member.posted_balance, member.held_points) == (5000, 0)
    finally:
        applier.close()
        desk.close()


def test_a_refused_request_and_the_approval_made_on_it_leave_the_desk_equal_to_central(
        central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    _add_officer(central_url)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        officer, supervisor = desk.sign_in("off1"), desk.sign_in("sup1")
        service = AdjustmentService(desk.context, desk.runner)
        request_id, approval_id = str(uuid.uuid4()), str(uuid.uuid4())
        filed = service.request(operation_id=request_id, session=officer, member_no=member_no, direction="credit", points=300,
                                reason_code="CORRECTION", memo=MEMO, evidence_ref="LE-4411")
        service.approve(operation_id=approval_id, request_id=filed.request_id, session=supervisor)
        assert desk.balance(member_no) == 5300
        # another branch froze the member at central first: central refuses the credit, then the approval of a request it never had
        receive_signed(central_url, [("member.freeze", {"member_no": member_no, "reason": "lost_card", "note": "reported at the counter"})],
                       desk="desk_z")
        assert applier.drain().posted == 1
        desk.sync.desk.push()
        report = applier.drain()
        assert (report.posted, report.rejected) == (0, 2)
        assert [code for _, code in _verdicts(central_url, request_id, approval_id)] == ["member.frozen", "not_found"]
        outcomes = desk.sync.desk.collect_outcomes()
        assert sorted(o.outcome for o in outcomes) == ["rejected", "rejected"]
        pulled = desk.sync.desk.pull()
        assert pulled.stopped_at is None
        assert {e.operation_id for e in desk.sync.exceptions()} == {request_id, approval_id}
        with desk.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert (member.posted_balance, member.held_points, member.status) == (5000, 0, "frozen")
            assert uow.adjustments.by_operation(request_id) is None  # the request central never had is gone with its approval
        assert central_balances(central_url)[member_no] == 5000
    finally:
        applier.close()
        desk.close()


def test_the_waiting_prerequisites_lookup_matches_queued_operations_by_id_or_its_start_ignoring_case(central_url: str) -> None:
    """What ``waiting_prerequisites`` finds: queued (``received``) operations whose id is the reference or starts with it,
    in any case; never an applied one. A reference shorter than the indexed key (no handler makes one) still matches."""
    queued = "3f2a9c1b-7d4e-4a11-9e11-0123456789ab"
    other = "3f2a9c1b-7d4e-4b22-8f22-ba9876543210"  # the same first 13 characters (as a redemption number carries them)
    applied = "3f2a9c1b-7d4f-4c33-9a33-0123456789ab"
    engine = make_engine(central_url)
    try:
        with engine.begin() as connection:
            for operation_id, status in ((queued, "received"), (applied, "posted"), (other, "received")):
                connection.execute(text(
                    "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, offline, status) "
                    "VALUES (:id, 'desk_x', 'redeem', CAST('{}' AS json), '', 'desk_x', false, :status)"), {"id": operation_id, "status": status})
    finally:
        engine.dispose()
    database = Database(central_url)
    try:
        with database.write_sessions() as session:
            refs = [queued, queued.upper(), queued[:13], queued[:13].upper(), queued[:20], applied, applied[:13], queued[:6], "nothing-like-it"]
            both = {queued, other}
            assert {ref: set(found) for ref, found in waiting_prerequisites(session, refs).items()} == {
                queued: {queued}, queued.upper(): {queued}, queued[:13]: both, queued[:13].upper(): both, queued[:20]: {queued},
                queued[:6]: both,
            }
            assert waiting_prerequisites(session, []) == {}
    finally:
        database.dispose()


def _received_in_order(central_url: str, rows: list[dict[str, object]]) -> None:
    engine = make_engine(central_url)
    try:
        with engine.begin() as connection:
            for row in rows:
                connection.execute(_insert(), row)
    finally:
        engine.dispose()


def _credit_request(central_url: str, member_no: str, desk: str, points: int = 200) -> dict[str, object]:
    return signed_row(central_staff_key(central_url, "off1"), "adjust.request",
                      {"member_no": member_no, "direction": "credit", "points": points, "reason_code": "CORRECTION", "memo": MEMO,
                       "evidence_ref": "LE-1"}, desk=desk)


def _approval(central_url: str, request: dict[str, object], desk: str) -> dict[str, object]:
    return signed_row(central_staff_key(central_url, "sup1"), "adjust.approve", {"request": request["id"], "note": ""}, desk=desk)


def test_a_waiting_operation_does_not_hold_back_its_desk_later_operations_on_other_members(central_url: str) -> None:
    """An approval received before its request (another desk's, arriving later) waits for it; the operations
    its desk made after it on other members are applied meanwhile, in the same batch as the request."""
    waiting_member, other_member = seed_central(central_url, [5000, 5000])
    _add_officer(central_url)
    register_test_desk(central_url, "desk_x")
    register_test_desk(central_url, "desk_y")
    request = _credit_request(central_url, waiting_member, "desk_x")
    approval = _approval(central_url, request, "desk_y")
    later = [_credit_request(central_url, other_member, "desk_y", points) for points in (10, 20)]
    _received_in_order(central_url, [approval, *later, request])
    applier = Applier(central_url, operation_handlers())
    try:
        report = applier.apply_batch()
        assert (report.posted, report.rejected) == (3, 0)
        assert _verdicts(central_url, approval["id"], *(row["id"] for row in later), request["id"]) == [
            ("received", None), ("posted", None), ("posted", None), ("posted", None)]
        assert applier.drain().posted == 1
        assert _verdicts(central_url, approval["id"]) == [("posted", None)]
        assert central_balances(central_url)[waiting_member] == 5200
    finally:
        applier.close()


def test_a_later_operation_of_the_desk_on_the_waiting_operation_member_waits_with_it(central_url: str) -> None:
    """Order is kept where it can matter: the desk's later operation on the member the waiting approval
    concerns (found through its request) is applied after the approval, not before."""
    (member_no,) = seed_central(central_url, [5000])
    _add_officer(central_url)
    register_test_desk(central_url, "desk_x")
    register_test_desk(central_url, "desk_y")
    request = _credit_request(central_url, member_no, "desk_x")
    approval = _approval(central_url, request, "desk_y")
    later = _credit_request(central_url, member_no, "desk_y", 10)
    _received_in_order(central_url, [approval, later, request])
    applier = Applier(central_url, operation_handlers())
    try:
        assert applier.apply_batch().posted == 1
        assert _verdicts(central_url, approval["id"], later["id"], request["id"]) == [
            ("received", None), ("received", None), ("posted", None)]
        assert applier.drain().posted == 2
        applied = central_rows(central_url, "SELECT operation_id FROM inbound_operation WHERE operation_id = ANY(:ids) ORDER BY applied_at",
                               ids=[approval["id"], later["id"]])
        assert [row.operation_id for row in applied] == [approval["id"], later["id"]]
    finally:
        applier.close()


def test_a_desk_operation_received_before_its_own_desk_prerequisite_waits_for_it_and_nothing_is_stuck(central_url: str) -> None:
    """A desk's approval received before the desk's own request it approves (pushed out of order): the
    request is applied although it comes after the waiting approval, then the approval."""
    (member_no,) = seed_central(central_url, [5000])
    _add_officer(central_url)
    register_test_desk(central_url, "desk_y")
    request = _credit_request(central_url, member_no, "desk_y")
    approval = _approval(central_url, request, "desk_y")
    _received_in_order(central_url, [approval, request])
    applier = Applier(central_url, operation_handlers())
    try:
        report = applier.drain()
        assert (report.posted, report.rejected) == (2, 0)
        assert central_balances(central_url)[member_no] == 5200
    finally:
        applier.close()


def _back_off(desk: object, operation_id: str, until: datetime) -> None:
    """The outbox row as a failed push leaves it: waiting for its next attempt at ``until``."""
    from loyalty_desk.store.models import Outbox

    with desk.database.write_sessions() as session:  # type: ignore[attr-defined]
        row = session.get(Outbox, operation_id)
        row.attempts, row.last_error, row.next_attempt_at = 1, "connection refused", until
        session.commit()


def test_an_operation_backing_off_stops_the_push_round_and_then_goes_first_with_the_rest_in_order(
        central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    """A desk's push keeps the order it made its operations in: while one backs off after a failed push,
    the ones made after it wait too (none overtakes it); once its backoff is over they all go, in order."""
    members = seed_central(central_url, [5000, 5000, 5000])
    _add_officer(central_url)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    try:
        officer = desk.sign_in("off1")
        service = AdjustmentService(desk.context, desk.runner)
        made = [str(uuid.uuid4()) for _ in members]
        service.request(operation_id=made[0], session=officer, member_no=members[0], direction="credit", points=100,
                        reason_code="CORRECTION", memo=MEMO, evidence_ref="LE-1")
        now = desk.context.clock()
        _back_off(desk, made[0], now + timedelta(minutes=5))
        for operation_id, member_no in zip(made[1:], members[1:], strict=True):
            service.request(operation_id=operation_id, session=officer, member_no=member_no, direction="credit", points=100,
                            reason_code="CORRECTION", memo=MEMO, evidence_ref="LE-1")
        assert desk.sync.desk.push().sent == 0  # the first still backs off: the round stops there
        assert central_scalar(central_url, "SELECT count(*) FROM inbound_operation WHERE operation_id = ANY(:ids)", ids=made) == 0
        _back_off(desk, made[0], now - timedelta(seconds=1))  # its backoff is over
        assert desk.sync.desk.push().sent == 3
        received = central_rows(central_url, "SELECT operation_id FROM inbound_operation WHERE operation_id = ANY(:ids) "
                                "ORDER BY received_at, operation_id", ids=made)
        assert [row.operation_id for row in received] == made
    finally:
        desk.close()
