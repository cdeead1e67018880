"""Programme rules through sync on a real PostgreSQL central: an administrator at desk A proposes a
change, a second administrator at desk B (which heard of it through the feed) approves it, central
applies both with the same handlers, and the version reaches desk A through the feed, in force there
from its effective date only. The proposer cannot approve at the other desk either."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sync_support import BRANCH, Desk, add_central_staff, central_rows, new_desk, seed_central

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.rule_changes import RuleChangeService
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres


def _session(desk: Desk, username: str) -> StaffSession:
    session = desk.sign_in(username)
    return StaffSession(session.staff_id, session.username, session.display_name, session.role, BRANCH, "总行", "Head office")


def _settled(desk: Desk, applier: Applier, operation_id: str) -> str:
    desk.sync.desk.push([operation_id])
    applier.drain()
    verdict = desk.sync.confirm(operation_id, wait=2.0)
    assert verdict is not None
    return verdict.outcome


def test_a_version_approved_at_one_desk_reaches_another_through_central(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    seed_central(central_url, [1_000])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        for username in ("admin.a", "admin.b", "admin.c"):
            add_central_staff(uow, username, "admin", branch.id, datetime(2026, 11, 1, 9, 0))
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    effective = date.today() + timedelta(days=10)
    try:
        rules_a = RuleChangeService(desk_a.context, desk_a.runner)
        rules_b = RuleChangeService(desk_b.context, desk_b.runner)
        admin_a = _session(desk_a, "admin.a")
        proposed = rules_a.propose(operation_id=str(uuid.uuid4()), session=admin_a, effective_on=effective,
                                   changes={"earning.card_points_per_cny": 2, "tiers.gold.qualifying_points": 90_000},
                                   reason="Card spend campaign for the new year")
        assert _settled(desk_a, applier, proposed.operation_id) == "accepted"

        desk_b.sync.desk.pull()
        waiting = rules_b.pending()
        assert [(w.operation_id, w.maker_username) for w in waiting] == [(proposed.operation_id, "admin.a")]

        # the proposer signed in at desk B cannot approve there either: refused naming the rule, nothing sent
        own_b = _session(desk_b, "admin.a")
        with pytest.raises(DomainError) as own:
            rules_b.approve(operation_id=str(uuid.uuid4()), session=own_b, change_id=waiting[0].change_id)
        assert own.value.code == "rules.own_change"

        admin_b = _session(desk_b, "admin.b")
        approve_id = str(uuid.uuid4())
        approved = rules_b.approve(operation_id=approve_id, session=admin_b, change_id=waiting[0].change_id, note="budget agreed")
        assert (approved.status, approved.version) == ("approved", 1)
        assert _settled(desk_b, applier, approve_id) == "accepted"
        assert central_rows(central_url, "SELECT status, version, effective_on FROM rule_change") == [("approved", 1, effective)]

        desk_a.sync.desk.pull()
        assert [v.version for v in rules_a.history()] == [1]
        day_before, on_the_day = rules_a.rules_on(effective - timedelta(days=1)), rules_a.rules_on(effective)
        assert (day_before.version, on_the_day.version) == (0, 1)
        assert (day_before.settings["earning.card_points_per_cny"], on_the_day.settings["earning.card_points_per_cny"]) == (1, 2)
        assert on_the_day.settings["tiers.gold.qualifying_points"] == 90_000
        assert desk_a.context.rules.earning.card_points_per_cny == 1  # today: the old rules still
        assert desk_a.context.rules_on(effective).earning.card_points_per_cny == 2  # what the engines read on that day
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()



def test_a_decision_central_refuses_is_undone_at_its_desk(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    seed_central(central_url, [1_000])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        for username in ("admin.a", "admin.b", "admin.c"):
            add_central_staff(uow, username, "admin", branch.id, datetime(2026, 11, 1, 9, 0))
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    effective = date.today() + timedelta(days=3)
    try:
        rules_a = RuleChangeService(desk_a.context, desk_a.runner)
        rules_b = RuleChangeService(desk_b.context, desk_b.runner)
        proposed = rules_a.propose(operation_id=str(uuid.uuid4()), session=_session(desk_a, "admin.a"), effective_on=effective,
                                   changes={"redemption.offline_daily_limit_points": 10_000}, reason="Tighter offline limit for the audit")
        assert _settled(desk_a, applier, proposed.operation_id) == "accepted"
        desk_a.sync.desk.pull()
        desk_b.sync.desk.pull()
        change_id = rules_b.pending()[0].change_id

        # B rejects and A (another administrator) approves the same proposal, each at its own desk
        reject_id, approve_id = str(uuid.uuid4()), str(uuid.uuid4())
        rules_b.reject(operation_id=reject_id, session=_session(desk_b, "admin.b"), change_id=change_id, note="Not this quarter")
        rules_a.approve(operation_id=approve_id, session=_session(desk_a, "admin.c"), change_id=change_id)
        assert rules_a.rules_on(effective).version == 1  # in force at A, provisionally

        assert _settled(desk_b, applier, reject_id) == "accepted"
        assert _settled(desk_a, applier, approve_id) == "rejected"
        assert central_rows(central_url, "SELECT reason_code FROM inbound_operation WHERE operation_id = :o", o=approve_id) == [
            ("rules.not_pending",)]
        # the refused approval is undone at A: no version, the offline limit as it was
        assert rules_a.rules_on(effective).version == 0
        assert desk_a.context.rules_on(effective).redemption.offline_daily_limit_points == 20_000
        desk_a.sync.desk.pull()
        assert [(c.status, c.decided_by_username) for c in rules_a.changes()] == [("rejected", "admin.b")]
        assert rules_a.history() == []
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()
