"""A standalone desk runs its jobs itself (at start, then on its hourly timer, on the write worker): the
adjustment expiry sweep every time, the points expiry once a day, the tier review once a month; a desk
synced with central leaves them to central's jobs and the change feed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from factories import carry_sign_ins

from loyalty_desk.bootstrap import build_services
from loyalty_desk.sync.desk_settings import DeskSettings

UNREACHABLE = "postgresql://ld_desk_x:secret@127.0.0.1:1/central"  # nothing listens on port 1


def _request_debit(desk_data: Any, services: Any, points: int) -> int:
    filed = services.adjustments.request(
        operation_id=services.adjustments.new_operation_id(), session=desk_data.officer, member_no=desk_data.wang, direction="debit",
        points=points, reason_code="CORRECTION", memo="duplicate credit of 1 May", evidence_ref="LE-77",
    )
    assert filed.status == "pending"
    return filed.request_id


def _status(services: Any, request_id: int) -> str:
    return services.adjustments.get(request_id=request_id).status


def _held(services: Any, member_no: str) -> int:
    return services.members.view(member_no=member_no).held_points


def _stop(qtbot: Any, desk: Any) -> None:
    desk.shutdown()
    if desk.sign_in_page is not None:
        desk.sign_in_page.close()
        desk.sign_in_page.deleteLater()
    qtbot.waitUntil(lambda: desk.runner.active_count() == 0)


@pytest.fixture
def synced_services(desk_data: Any) -> Iterator[Any]:
    """The test desk's store with a central configured (which cannot be reached)."""
    data_dir = desk_data.services.data_dir
    DeskSettings(UNREACHABLE, "desk_x").save(data_dir)
    services = build_services(data_dir, desk_name="test-desk", clock=desk_data.store.clock)
    carry_sign_ins(desk_data.store.context, services, desk_data.officer, desk_data.officer2, desk_data.supervisor)
    yield services
    services.close()


def test_standalone_desk_expires_due_requests_at_start_and_on_its_timer(qtbot, desk_data, desk_settings):
    from loyalty_desk.ui.app import Desk

    services = desk_data.services
    first = _request_debit(desk_data, services, 300)
    desk_data.store.clock.advance(hours=72, minutes=1)  # past its 72 hours
    assert (_status(services, first), _held(services, desk_data.wang)) == ("pending", 300)

    desk = Desk(services, desk_settings)
    desk.start()
    assert desk.jobs is not None and desk.jobs.timer.isActive()
    assert desk.jobs.timer.interval() == 60 * 60 * 1000
    qtbot.waitUntil(lambda: _status(services, first) == "expired", timeout=10_000)
    assert _held(services, desk_data.wang) == 0
    qtbot.waitUntil(lambda: not desk.jobs.running, timeout=10_000)

    # a later request falls due between two ticks: the next tick expires it
    second = _request_debit(desk_data, services, 200)
    desk_data.store.clock.advance(hours=73)
    assert _status(services, second) == "pending"
    with qtbot.waitSignal(desk.jobs.sig_swept, timeout=10_000) as swept:
        desk.jobs.timer.timeout.emit()  # the hourly tick
    assert (swept.args[0].expired, swept.args[0].points_released) == (1, 200)
    assert _status(services, second) == "expired" and _held(services, desk_data.wang) == 0
    [row] = [r for r in desk_data.audit_rows("adjustment.expire") if r.details["points_released"] == 200]
    assert row.actor == "system"

    # nothing due: a tick posts nothing
    with qtbot.waitSignal(desk.jobs.sig_swept, timeout=10_000) as idle:
        desk.jobs.timer.timeout.emit()
    assert idle.args[0].expired == 0
    assert len(desk_data.audit_rows("adjustment.expire")) == 2
    _stop(qtbot, desk)
    assert not desk.jobs.timer.isActive()


def test_desk_synced_with_central_leaves_the_sweep_to_central(qtbot, desk_data, synced_services, desk_settings):
    from loyalty_desk.ui.app import Desk
    from loyalty_desk.ui.jobs import start_standalone_jobs

    request_id = _request_debit(desk_data, synced_services, 300)
    desk_data.store.clock.advance(hours=80)
    desk = Desk(synced_services, desk_settings)
    desk.start()
    assert desk.jobs is None
    assert start_standalone_jobs(synced_services, desk.runner) is None
    _stop(qtbot, desk)
    assert _status(synced_services, request_id) == "pending"  # central's sweep decides; the feed brings it


def test_standalone_desk_runs_the_points_expiry_daily_and_the_tier_review_monthly(qtbot, desk_data, desk_settings):
    from loyalty_desk.ui.app import Desk

    desk = Desk(desk_data.services, desk_settings)
    desk.start()
    qtbot.waitUntil(lambda: len(desk_data.audit_rows("job.tier_review")) == 1 and not desk.jobs.running, timeout=10_000)
    assert len(desk_data.audit_rows("job.expiry")) == 1

    with qtbot.waitSignal(desk.jobs.sig_ran, timeout=10_000) as same_day:
        desk.jobs.timer.timeout.emit()  # the hourly tick, the same day: neither runs again
    assert (same_day.args[0].expiry, same_day.args[0].tier_review) == (None, None)

    desk_data.store.clock.advance(days=31)  # another day, another month
    with qtbot.waitSignal(desk.jobs.sig_ran, timeout=10_000) as next_month:
        desk.jobs.timer.timeout.emit()
    assert next_month.args[0].expiry is not None and next_month.args[0].tier_review is not None
    assert not next_month.args[0].tier_review.already_run
    assert len(desk_data.audit_rows("job.tier_review")) == 2 and len(desk_data.audit_rows("job.expiry")) == 2
    _stop(qtbot, desk)
