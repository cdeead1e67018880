"""Maker-checker across desks: a request made at one desk is decided by central's copy and shows
in every desk's queue of that branch, with its held points."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_support import BRANCH, add_central_staff, central_balances, new_desk, seed_central

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import AdjustmentRequest
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres


def _session(staff_id: int, username: str, role: str) -> StaffSession:
    return StaffSession(
        staff_id=staff_id, username=username, display_name=username, role=role,
        branch_code=BRANCH, branch_name_zh="总行", branch_name_en="Head office",
    )


def test_a_request_made_at_one_desk_reaches_the_other_desk_queue(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        officer = add_central_staff(uow, "off1", "officer", branch.id, datetime(2026, 11, 1))
        supervisor = uow.staff.by_username("sup1")
        officer_id, supervisor_id = officer.id, supervisor.id
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        desk_a.sign_in("off1")
        maker_desk = AdjustmentService(desk_a.context, desk_a.runner)
        maker_desk.request(
            operation_id=str(uuid.uuid4()), session=_session(officer_id, "off1", "officer"), member_no=member_no,
            direction="debit", points=1000, reason_code="CORRECTION", memo="duplicate posting of the 3 May card spend", evidence_ref="LE-4411",
        )
        desk_a.sync.desk.push()
        assert applier.drain().posted == 1
        desk_a.sync.desk.pull()
        desk_b.sync.desk.pull()
        queue = AdjustmentService(desk_b.context, desk_b.runner).queue(session=_session(supervisor_id, "sup1", "supervisor"))
        assert [(row.member_no, row.direction, row.points, row.maker_username) for row in queue] == [(member_no, "debit", 1000, "off1")]
        with desk_b.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert (member.posted_balance, member.held_points) == (5000, 1000)
        assert central_balances(central_url)[member_no] == 5000
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()


def test_a_rejection_at_a_desk_is_applied_by_central_not_refused(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        add_central_staff(uow, "off1", "officer", branch.id, datetime(2026, 11, 1))
        uow.commit()
    database.dispose()
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        officer_session, supervisor_session = desk.sign_in("off1"), desk.sign_in("sup1")
        service = AdjustmentService(desk.context, desk.runner)
        filed = service.request(
            operation_id=str(uuid.uuid4()), session=officer_session, member_no=member_no,
            direction="debit", points=1000, reason_code="CORRECTION", memo="duplicate posting of the 3 May card spend", evidence_ref="LE-4411",
        )
        desk.sync.desk.push()
        assert applier.drain().posted == 1
        desk.sync.desk.pull()
        (queued,) = service.queue(session=supervisor_session)  # central's number for the request now
        assert queued.maker_username == "off1" and filed.request_id != queued.request_id
        rejected = service.reject(operation_id=str(uuid.uuid4()), request_id=queued.request_id,
                                  session=supervisor_session, note="The card spend was posted once only")
        assert rejected.status == "rejected"
        desk.sync.desk.push()
        report = applier.drain()
        assert (report.posted, report.rejected) == (1, 0)
        desk.sync.desk.pull()
        # central applied the decision: no exception waits at the desk, the hold is released everywhere
        assert desk.sync.exceptions() == []
        with desk.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert (member.posted_balance, member.held_points) == (5000, 0)
        assert central_balances(central_url)[member_no] == 5000
    finally:
        applier.close()
        desk.close()


def test_a_request_approved_here_before_central_had_it_is_not_offered_or_posted_twice(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    """A desk's own request, approved here while central had only the request: when central's copy of
    the request (still pending there) takes the place of this desk's, the approval's posting is still
    here and still on its way. The queue does not offer the request again, and a second supervisor's
    approval is refused as already decided instead of failing on the posting's key."""
    (member_no,) = seed_central(central_url, [5000])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        officer = add_central_staff(uow, "off1", "officer", branch.id, datetime(2026, 11, 1))
        second = add_central_staff(uow, "sup2", "supervisor", branch.id, datetime(2026, 11, 1))
        supervisor = uow.staff.by_username("sup1")
        officer_id, supervisor_id, second_id = officer.id, supervisor.id, second.id
        uow.commit()
    database.dispose()
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, operation_handlers())
    try:
        adjustments = AdjustmentService(desk.context, desk.runner)
        desk.sign_in("off1")
        request_operation = str(uuid.uuid4())
        filed = adjustments.request(
            operation_id=request_operation, session=_session(officer_id, "off1", "officer"), member_no=member_no,
            direction="credit", points=300, reason_code="GOODWILL", memo="queue took over an hour",
        )
        desk.sync.desk.push()
        assert applier.drain().posted == 1  # central has the request, pending
        desk.sign_in("sup1")
        adjustments.approve(operation_id=str(uuid.uuid4()), request_id=filed.request_id, session=_session(supervisor_id, "sup1", "supervisor"))
        desk.sync.desk.pull()  # central's copy of the request replaces this desk's; the approval is not pushed yet
        queue = adjustments.queue(session=_session(second_id, "sup2", "supervisor"))
        assert [row.member_no for row in queue] == []
        with desk.context.uow() as uow:  # central's id, as a queue read before the pull showed it
            request_id = uow.adjustments.session.scalar(select(AdjustmentRequest.id).where(AdjustmentRequest.operation_id == request_operation))
        desk.sign_in("sup2")
        with pytest.raises(DomainError) as refused:
            adjustments.approve(operation_id=str(uuid.uuid4()), request_id=request_id, session=_session(second_id, "sup2", "supervisor"))
        assert refused.value.code == "adjust.already_decided"
        desk.sync.desk.push()
        assert applier.drain().posted == 1
        desk.sync.desk.pull()
        assert central_balances(central_url)[member_no] == 5300
        with desk.context.uow() as uow:
            assert uow.members.by_no(member_no).posted_balance == 5300
    finally:
        applier.close()
        desk.close()
