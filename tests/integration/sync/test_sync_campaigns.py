"""Campaigns on a real PostgreSQL central: drafted and submitted at one desk, approved at another by a
second marketer (the maker refused there too), every desk hearing of each step through the change feed;
then earning posted by several processes at once at central never awards past the budget, and the
desks see the budget spent."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sync_support import BRANCH, Desk, add_central_staff, central_rows, new_desk, seed_central

from loyalty_desk.domain.campaigns import years_later
from loyalty_desk.domain.earning import EarningTxn
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.campaigns.service import CampaignService
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.handlers import operation_runner as applier_runner_for
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres

BUDGET = 2_500
POSTERS = 4
SPENDS_EACH = 12  # 100 CNY each: 100 extra points at x2 for a standard member, far more than the budget in all


def _session(desk: Desk, username: str) -> StaffSession:
    session = desk.sign_in(username)
    return StaffSession(session.staff_id, session.username, session.display_name, session.role, BRANCH, "总行", "Head office")


def _settled(desk: Desk, applier: Applier, operation_id: str) -> str:
    desk.sync.desk.push([operation_id])
    applier.drain()
    verdict = desk.sync.confirm(operation_id, wait=2.0)
    assert verdict is not None
    return verdict.outcome


def _status(desk: Desk, code: str) -> tuple[str, int]:
    with desk.context.uow() as uow:
        row = uow.reference.campaign_by_code(code)
        assert row is not None
        return row.status, int(row.spent_points)


def test_a_campaign_travels_through_central_and_its_budget_holds_under_concurrent_earning(
    central_url: str, desk_prefix: str, tmp_path: Path
) -> None:
    members = seed_central(central_url, [0] * POSTERS)
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        add_central_staff(uow, "mkt1", "marketing", branch.id, datetime(2026, 11, 1, 9, 0))
        add_central_staff(uow, "mkt2", "marketing", branch.id, datetime(2026, 11, 1, 9, 0))
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    today = date.today()
    fields = {
        "name_zh": "双倍积分", "name_en": "Double points", "kind": "multiplier", "multiplier": "2", "sources": ["card_spend"],
        "tiers": ["standard", "silver", "gold", "platinum"], "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat(),
        "budget_points": BUDGET, "stacking": "best",
    }
    try:
        maker = _session(desk_a, "mkt1")
        at_a = CampaignService(desk_a.context, desk_a.runner)
        created, submitted = at_a.new_operation_id(), at_a.new_operation_id()
        draft = at_a.create(operation_id=created, session=maker, fields=fields, code="RUSH")
        assert _settled(desk_a, applier, created) == "accepted"
        at_a.submit(operation_id=submitted, session=maker, code=draft.code)
        assert _settled(desk_a, applier, submitted) == "accepted"
        assert central_rows(central_url, "SELECT status, created_by, submitted_by FROM campaign WHERE code = 'RUSH'") == [
            ("submitted", "mkt1", "mkt1")]
        desk_a.sync.desk.pull()  # central's row replaces the desk's own
        assert _status(desk_a, "RUSH") == ("submitted", 0)

        desk_b.sync.desk.pull()
        at_b = CampaignService(desk_b.context, desk_b.runner)
        assert at_b.get(session=maker, code="RUSH").status == "submitted"
        with pytest.raises(DomainError) as own:
            at_b.approve(operation_id=at_b.new_operation_id(), session=_session(desk_b, "mkt1"), code="RUSH")
        assert own.value.code == "campaign.maker_cannot_decide"
        approved = at_b.new_operation_id()
        at_b.approve(operation_id=approved, session=_session(desk_b, "mkt2"), code="RUSH")
        assert _settled(desk_b, applier, approved) == "accepted"
        desk_a.sync.desk.pull()
        assert _status(desk_a, "RUSH") == ("approved", 0)
        assert central_rows(central_url, "SELECT action, actor FROM audit_event WHERE action LIKE 'campaign.%' ORDER BY id") == [
            ("campaign.created", "mkt1"), ("campaign.submitted", "mkt1"), ("campaign.approved", "mkt2")]

        # several processes post earning at central at once, each its own connections
        errors: list[BaseException] = []
        start = threading.Barrier(POSTERS)

        def post(index: int) -> None:
            poster_db = Database(central_url)
            try:
                factory = uow_factory(poster_db)
                service = EarningService(ServiceContext(uow=factory, settings=SettingsService(factory), desk_name=f"import{index}"))
                start.wait()
                for n in range(SPENDS_EACH):
                    txn = EarningTxn(txn_id=f"RUSH-{index}-{n}", member_no=members[index], occurred_on=today, source=Source.CARD_SPEND,
                                     amount=Decimal("100.00"), product="")
                    service.post(txns=[txn], origin="concurrent import", actor=Actor("importer", f"import{index}", BRANCH))
            except BaseException as error:
                errors.append(error)
            finally:
                poster_db.dispose()

        threads = [threading.Thread(target=post, args=(i,)) for i in range(POSTERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        [(spent, reached)] = central_rows(central_url, "SELECT spent_points, members_reached FROM campaign WHERE code = 'RUSH'")
        assert spent == BUDGET
        awarded = central_rows(
            central_url, "SELECT coalesce(sum(CAST(details->>'campaign_extra_points' AS bigint)), 0) FROM ledger_entry WHERE campaign_code = 'RUSH'")
        assert awarded == [(BUDGET,)]
        assert central_rows(central_url, "SELECT sum(points), count(*) FROM campaign_member") == [(BUDGET, reached)]
        # every spend earned its own points; only the campaign's extra stopped at the budget
        assert central_rows(central_url, "SELECT count(*) FROM ledger_entry WHERE rule = 'card_spend'") == [(POSTERS * SPENDS_EACH,)]

        # the forecast's SQL on PostgreSQL: this year's spends replayed as if the same window had run a year ago
        central_db = Database(central_url)
        try:
            factory = uow_factory(central_db)
            central_context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name="central")
            at_central = CampaignService(central_context, applier_runner_for(central_context))
            later = {**fields, "starts_on": (today + timedelta(days=335)).isoformat(), "ends_on": years_later(today, 1).isoformat()}
            forecast = at_central.forecast(session=maker, fields=later)
        finally:
            central_db.dispose()
        assert (forecast.replayed_to, forecast.years_back) == (today, 1)
        assert (forecast.points_without_budget, forecast.points, forecast.members_reached) == (POSTERS * SPENDS_EACH * 100, BUDGET, POSTERS)

        for _round in range(10):  # the feed holds back rows of transactions still open below its horizon: the next pull brings them
            desk_b.sync.desk.pull()
            if _status(desk_b, "RUSH") == ("approved", BUDGET):
                break
        assert _status(desk_b, "RUSH") == ("approved", BUDGET)
        assert at_b.get(session=maker, code="RUSH").shown_status == "exhausted"
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()


def test_a_decision_central_refuses_is_undone_on_the_desk(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    seed_central(central_url, [0])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        add_central_staff(uow, "mkt1", "marketing", branch.id, datetime(2026, 11, 1, 9, 0))
        add_central_staff(uow, "mkt2", "marketing", branch.id, datetime(2026, 11, 1, 9, 0))
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    today = date.today()
    fields = {
        "name_zh": "双倍积分", "name_en": "Double points", "kind": "multiplier", "multiplier": "2", "sources": ["card_spend"],
        "tiers": ["standard"], "starts_on": (today + timedelta(days=1)).isoformat(), "ends_on": (today + timedelta(days=30)).isoformat(),
        "budget_points": 1_000, "stacking": "best",
    }
    try:
        at_a, at_b = CampaignService(desk_a.context, desk_a.runner), CampaignService(desk_b.context, desk_b.runner)
        maker = _session(desk_a, "mkt1")
        for step in ("create", "submit"):
            operation_id = at_a.new_operation_id()
            if step == "create":
                at_a.create(operation_id=operation_id, session=maker, fields=fields, code="CLASH")
            else:
                at_a.submit(operation_id=operation_id, session=maker, code="CLASH")
            assert _settled(desk_a, applier, operation_id) == "accepted"
        desk_a.sync.desk.pull()
        desk_b.sync.desk.pull()
        # mkt2 rejects at B, and approves at A before A hears of it: central takes B's and refuses A's
        rejected, approved = at_b.new_operation_id(), at_a.new_operation_id()
        at_b.reject(operation_id=rejected, session=_session(desk_b, "mkt2"), code="CLASH", note="Budget not agreed with finance")
        at_a.approve(operation_id=approved, session=_session(desk_a, "mkt2"), code="CLASH")
        assert _status(desk_a, "CLASH") == ("approved", 0)
        assert _settled(desk_b, applier, rejected) == "accepted"
        assert _settled(desk_a, applier, approved) == "rejected"
        assert central_rows(central_url, "SELECT reason_code FROM inbound_operation WHERE operation_id = :o", o=approved) == [
            ("campaign.wrong_status",)]
        assert _status(desk_a, "CLASH") == ("submitted", 0)  # the refused approval undone at once
        desk_a.sync.desk.pull()
        assert _status(desk_a, "CLASH") == ("draft", 0)  # then central's rejection arrives
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()
