"""The monthly tier review at central, on real PostgreSQL: once a month however many appliers run
it at once, and its tier changes reach the desks through the change feed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sync_support import HANDLERS, Desk, central_scalar, new_desk, seed_central

from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.earning.dto import TierReviewReport
from loyalty_desk.services.earning.service import TIER_REVIEW_JOB, EarningService
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier, default_jobs

pytestmark = pytest.mark.postgres

REVIEW_DAY = date(2026, 6, 1)


def _lapsed_gold(url: str, count: int) -> list[str]:
    """Gold members without qualifying points, upgraded long ago (outside the protection period)."""
    numbers = seed_central(url, [0] * count)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE member SET tier = 'gold', last_upgrade_on = :upgraded WHERE member_no = ANY(:numbers)"),
                {"upgraded": date(2024, 5, 1), "numbers": numbers},
            )
    finally:
        engine.dispose()
    return numbers


def _review_job() -> dict[str, Callable[[ServiceContext, date], Any]]:
    return {TIER_REVIEW_JOB: default_jobs()[TIER_REVIEW_JOB]}


def test_concurrent_appliers_run_the_monthly_review_once(central_url: str) -> None:
    _lapsed_gold(central_url, 3)
    appliers = [Applier(central_url, HANDLERS) for _ in range(2)]
    barrier = threading.Barrier(2)
    ran: list[list[str]] = []

    def run(applier: Applier) -> None:
        barrier.wait()
        ran.append(applier.run_jobs(REVIEW_DAY, jobs=_review_job()))

    threads = [threading.Thread(target=run, args=(applier,)) for applier in appliers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(name for names in ran for name in names) == [TIER_REVIEW_JOB]
        assert central_scalar(central_url, "SELECT count(*) FROM audit_event WHERE action = 'job.tier_review'") == 1
        assert central_scalar(central_url, "SELECT run_key FROM job_run WHERE job = 'tier_review'") == "2026-06"
        # later in the month, and on another day: the month's review has run
        assert appliers[0].run_jobs(date(2026, 6, 20), jobs=_review_job()) == []
        assert appliers[1].run_jobs(date(2026, 7, 1), jobs=_review_job()) == [TIER_REVIEW_JOB]
    finally:
        for applier in appliers:
            applier.close()


def test_two_reviews_started_together_review_once(central_url: str) -> None:
    """The review's own claim on its month (a locked ``job_run`` row) holds without the appliers' advisory lock."""
    _lapsed_gold(central_url, 2)
    database = Database(central_url)
    factory = uow_factory(database)
    context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name="central")
    barrier = threading.Barrier(2)
    reports: list[TierReviewReport] = []
    errors: list[BaseException] = []

    def review() -> None:
        barrier.wait()
        try:
            reports.append(EarningService(context).review_tiers(as_of=REVIEW_DAY))
        except BaseException as error:  # reported below: a thread's exception would otherwise be lost
            errors.append(error)

    threads = [threading.Thread(target=review) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    database.dispose()
    assert errors == []
    assert sorted(report.already_run for report in reports) == [False, True]
    assert [report.reviewed for report in reports if not report.already_run] == [2]
    assert central_scalar(central_url, "SELECT count(*) FROM audit_event WHERE action = 'job.tier_review'") == 1


def test_a_tier_change_at_central_reaches_the_desk_through_the_feed(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = _lapsed_gold(central_url, 1)
    desk = new_desk(central_url, tmp_path / "desk", f"{desk_prefix}_a")
    applier = Applier(central_url, HANDLERS)
    try:
        assert _desk_member(desk, member_no) == ("gold", None, [])
        applier.run_jobs(REVIEW_DAY, jobs=_review_job())  # the grace: a warning first
        desk.sync.desk.pull()
        assert _desk_member(desk, member_no) == ("gold", REVIEW_DAY, [])
        applier.run_jobs(date(2026, 7, 1), jobs=_review_job())  # still below: down one tier
        assert central_scalar(central_url, "SELECT tier FROM member WHERE member_no = :no", no=member_no) == "silver"
        desk.sync.desk.pull()
        assert _desk_member(desk, member_no) == ("silver", None, [("monthly_review", 0, "gold", "silver")])
    finally:
        applier.close()
        desk.close()


def _desk_member(desk: Desk, member_no: str) -> tuple[str, date | None, list[tuple[str | None, int, str, str]]]:
    """The desk's copy: tier, standing downgrade warning, and the tier change lines of the history."""
    with desk.context.uow() as uow:
        member = uow.members.by_no(member_no)
        assert member is not None
        changes = [
            (entry.rule, entry.points, (entry.details or {})["from_tier"], (entry.details or {})["to_tier"])
            for entry in uow.ledger.entries_for_member(member.id) if entry.kind == "tier"
        ]
        return str(member.tier), member.tier_warned_on, changes


def test_head_office_runs_the_review_at_central_from_the_command_line(central_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from loyalty_desk.cli.main import main

    _lapsed_gold(central_url, 2)
    argv = ["--data-dir", str(tmp_path / "unused"), "tiers", "review", "--central", central_url]
    assert main([*argv, "--as-of", "2026-06-01"]) == 0
    assert "2 reviewed, 0 upgraded, 0 downgraded, 2 warned" in capsys.readouterr().out
    assert main([*argv, "--as-of", "2026-06-30"]) == 0
    assert "already ran" in capsys.readouterr().out
    applier = Applier(central_url, HANDLERS)
    try:
        assert applier.run_jobs(date(2026, 6, 30), jobs=_review_job()) == []  # central's own run finds the month done
    finally:
        applier.close()


def test_an_override_requested_at_one_desk_and_approved_at_another_is_central_and_every_desk(
    central_url: str, desk_prefix: str, tmp_path: Path
) -> None:
    from datetime import datetime, timedelta

    from sync_support import BRANCH, add_central_staff

    from loyalty_desk.services.dto import StaffSession
    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.services.tier_overrides import TierOverrideService

    (member_no,) = seed_central(central_url, [0])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        sup2_id = add_central_staff(uow, "sup2", "supervisor", branch.id, datetime(2026, 11, 1)).id
        sup1 = uow.staff.by_username("sup1")
        assert sup1 is not None
        sup1_id = sup1.id
        uow.commit()
    database.dispose()

    def session(staff_id: int, username: str) -> StaffSession:
        return StaffSession(staff_id=staff_id, username=username, display_name=username, role="supervisor", branch_code=BRANCH,
                            branch_name_zh="总行", branch_name_en="Head office")

    maker_desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    checker_desk = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    until = date.today() + timedelta(days=60)
    try:
        maker = TierOverrideService(maker_desk.context, maker_desk.runner)
        requested = maker.request(operation_id=maker.new_operation_id(), session=session(sup1_id, "sup1"), member_no=member_no, tier="gold",
                                  reason="Retention offer agreed with the branch head", ends_on=until)
        assert requested.status == "pending"
        maker_desk.sync.desk.push()
        assert applier.drain().posted == 1
        checker_desk.sync.desk.pull()
        checker_desk.sign_in("sup2")
        checker = TierOverrideService(checker_desk.context, checker_desk.runner)
        [waiting] = checker.list()
        assert (waiting.member_no, waiting.tier, waiting.maker_username) == (member_no, "gold", "sup1")
        checker.approve(operation_id=checker.new_operation_id(), session=session(sup2_id, "sup2"), override_id=waiting.override_id)
        checker_desk.sync.desk.push()
        assert applier.drain().posted == 1
        assert central_scalar(central_url, "SELECT tier FROM member WHERE member_no = :no", no=member_no) == "gold"
        assert central_scalar(central_url, "SELECT status FROM tier_override") == "approved"
        maker_desk.sync.desk.pull()
        [seen] = maker.list()
        assert (seen.status, seen.member_tier, seen.previous_tier, seen.decided_by_username) == ("approved", "gold", "standard", "sup2")
        assert _desk_member(maker_desk, member_no) == ("gold", None, [("override", 0, "standard", "gold")])
        checker_desk.sync.desk.sync_once(wait=0.5)  # its own copies give way to central's
        assert _desk_member(checker_desk, member_no) == ("gold", None, [("override", 0, "standard", "gold")])
        assert [(row.status, row.member_tier) for row in checker.list()] == [("approved", "gold")]
        assert applier.run_jobs(until, jobs={"tier_override_end": default_jobs()["tier_override_end"]}) == ["tier_override_end"]
        maker_desk.sync.desk.pull()
        assert _desk_member(maker_desk, member_no)[0] == "standard"
    finally:
        applier.close()
        maker_desk.close()
        checker_desk.close()


def test_an_approval_central_refuses_puts_the_desk_member_back_on_their_tier(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    """Two desks decide the same request: central takes the first decision (a rejection) and refuses the
    second (an approval), whose desk had already moved the member; the desk moves them back."""
    from datetime import datetime, timedelta

    from sync_support import BRANCH, add_central_staff

    from loyalty_desk.services.dto import StaffSession
    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.services.tier_overrides import TierOverrideService

    (member_no,) = seed_central(central_url, [0])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        ids = {name: add_central_staff(uow, name, "supervisor", branch.id, datetime(2026, 11, 1)).id for name in ("sup2", "sup3")}
        sup1 = uow.staff.by_username("sup1")
        assert sup1 is not None
        ids["sup1"] = sup1.id
        uow.commit()
    database.dispose()

    def session(username: str) -> StaffSession:
        return StaffSession(staff_id=ids[username], username=username, display_name=username, role="supervisor", branch_code=BRANCH,
                            branch_name_zh="总行", branch_name_en="Head office")

    approving_desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    rejecting_desk = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        approving = TierOverrideService(approving_desk.context, approving_desk.runner)
        approving.request(operation_id=approving.new_operation_id(), session=session("sup1"), member_no=member_no, tier="gold",
                          reason="Retention offer agreed with the branch head", ends_on=date.today() + timedelta(days=60))
        approving_desk.sync.desk.push()
        applier.drain()
        rejecting_desk.sync.desk.pull()
        rejecting_desk.sign_in("sup2")
        rejecting = TierOverrideService(rejecting_desk.context, rejecting_desk.runner)
        [waiting] = rejecting.list()
        rejecting.reject(operation_id=rejecting.new_operation_id(), session=session("sup2"), override_id=waiting.override_id,
                         note="Not agreed by the branch head")
        rejecting_desk.sync.desk.push()
        assert applier.drain().posted == 1

        approving_desk.sign_in("sup3")
        [mine] = approving.list()
        approving.approve(operation_id=approving.new_operation_id(), session=session("sup3"), override_id=mine.override_id)
        assert _desk_member(approving_desk, member_no)[0] == "gold"  # moved here at once
        approving_desk.sync.desk.push()
        assert applier.drain().rejected == 1  # already decided at central
        for _ in range(2):
            approving_desk.sync.sync_once(wait=0.5)
        tier, _, lines = _desk_member(approving_desk, member_no)
        assert tier == "standard" == central_scalar(central_url, "SELECT tier FROM member WHERE member_no = :no", no=member_no)
        assert lines[-1] == ("refused_centrally", 0, "gold", "standard")
        assert [row.status for row in approving.list(statuses=())] == ["rejected"]
    finally:
        applier.close()
        approving_desk.close()
        rejecting_desk.close()
