"""A card-journey campaign on a real PostgreSQL central: its kind and parameters travel from the desk that
drafted it to central and through the change feed to another desk; earning posted by several processes
at once at central gives each member its gift once and never passes the budget (the campaign's row lock);
the forecast's journey SQL runs on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sync_support import BRANCH, Desk, add_central_staff, central_rows, new_desk, seed_central

from loyalty_desk.domain.campaigns import years_later
from loyalty_desk.domain.earning import EarningTxn
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

MEMBERS = 4
GIFT = 1_000
BUDGET = 2_500  # two gifts and half of a third


def _session(desk: Desk, username: str) -> StaffSession:
    session = desk.sign_in(username)
    return StaffSession(session.staff_id, session.username, session.display_name, session.role, BRANCH, "总行", "Head office")


def _settled(desk: Desk, applier: Applier, operation_id: str) -> str:
    desk.sync.desk.push([operation_id])
    applier.drain()
    verdict = desk.sync.confirm(operation_id, wait=2.0)
    assert verdict is not None
    return verdict.outcome


def test_a_first_transaction_gift_travels_and_pays_each_member_once_within_its_budget(
    central_url: str, desk_prefix: str, tmp_path: Path
) -> None:
    today = date.today()
    members = seed_central(central_url, [0] * MEMBERS)
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
    fields = {
        "name_zh": "首刷有礼", "name_en": "First-transaction gift", "kind": "first_transaction", "bonus_points": GIFT,
        "tiers": ["standard", "silver", "gold", "platinum"], "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat(),
        "budget_points": BUDGET, "stacking": "best",
    }
    try:
        at_a = CampaignService(desk_a.context, desk_a.runner)
        created = at_a.new_operation_id()
        at_a.create(operation_id=created, session=_session(desk_a, "mkt1"), fields=fields, code="FIRSTGIFT")
        assert _settled(desk_a, applier, created) == "accepted"
        spend_target = {**fields, "kind": "spend_target", "within_days": 65, "target_cny": 3_000}
        created_target = at_a.new_operation_id()
        at_a.create(operation_id=created_target, session=_session(desk_a, "mkt1"), fields=spend_target, code="TARGET65")
        assert _settled(desk_a, applier, created_target) == "accepted"
        submitted = at_a.new_operation_id()
        at_a.submit(operation_id=submitted, session=_session(desk_a, "mkt1"), code="FIRSTGIFT")
        assert _settled(desk_a, applier, submitted) == "accepted"
        assert central_rows(central_url, "SELECT code, kind, sources, within_days, target_cny FROM campaign ORDER BY code") == [
            ("FIRSTGIFT", "first_transaction", ["card_spend"], None, None), ("TARGET65", "spend_target", ["card_spend"], 65, 3_000)]

        desk_b.sync.desk.pull()
        at_b = CampaignService(desk_b.context, desk_b.runner)
        travelled = at_b.get(session=_session(desk_b, "mkt2"), code="TARGET65")
        assert (travelled.kind, travelled.within_days, travelled.target_cny, travelled.sources) == ("spend_target", 65, 3_000, ("card_spend",))
        approved = at_b.new_operation_id()
        at_b.approve(operation_id=approved, session=_session(desk_b, "mkt2"), code="FIRSTGIFT")
        assert _settled(desk_b, applier, approved) == "accepted"

        # each member's card approved, then several processes post first (and second) spends at once
        central_db = Database(central_url)
        factory = uow_factory(central_db)
        central_context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name="central")
        approvals = [EarningTxn(f"APP-{i}", no, today, Source.CARD_APPROVED, Decimal(0), "", applied_on=today - timedelta(days=3))
                     for i, no in enumerate(members)]
        EarningService(central_context).post(txns=approvals, origin="card approvals", actor=Actor("importer", "central", BRANCH))
        errors: list[BaseException] = []
        start = threading.Barrier(MEMBERS)

        def post(index: int) -> None:
            poster_db = Database(central_url)
            try:
                poster_factory = uow_factory(poster_db)
                service = EarningService(ServiceContext(uow=poster_factory, settings=SettingsService(poster_factory), desk_name=f"imp{index}"))
                start.wait()
                for n in range(2):  # each member's first and second spend, and one for the next member: a race on its lock
                    for member_no in (members[index], members[(index + 1) % MEMBERS]):
                        txn = EarningTxn(f"G-{index}-{n}-{member_no}", member_no, today, Source.CARD_SPEND, Decimal("50.00"), "")
                        service.post(txns=[txn], origin="concurrent import", actor=Actor("importer", f"imp{index}", BRANCH))
            except BaseException as error:
                errors.append(error)
            finally:
                poster_db.dispose()

        threads = [threading.Thread(target=post, args=(i,)) for i in range(MEMBERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert central_rows(central_url, "SELECT spent_points, members_reached FROM campaign WHERE code = 'FIRSTGIFT'") == [(BUDGET, 3)]
        per_member = central_rows(central_url, "SELECT member_id, count(*), sum(points) FROM ledger_entry WHERE campaign_code = 'FIRSTGIFT' "
                                               "GROUP BY member_id ORDER BY 3 DESC")
        assert [(count, points) for _member, count, points in per_member] == [(1, GIFT), (1, GIFT), (1, BUDGET - 2 * GIFT)]

        # the forecast's journey SQL on PostgreSQL: today's approvals replayed as if the window had run a year ago
        at_central = CampaignService(central_context, applier_runner_for(central_context))
        later = {**fields, "kind": "card_approved", "within_days": 5, "starts_on": (today + timedelta(days=335)).isoformat(),
                 "ends_on": years_later(today, 1).isoformat(), "budget_points": 10**6}
        forecast = at_central.forecast(session=_session(desk_b, "mkt2"), fields=later)
        assert (forecast.points, forecast.members_reached) == (MEMBERS * GIFT, MEMBERS)
        target = {**spend_target, "starts_on": later["starts_on"], "ends_on": later["ends_on"], "target_cny": 100}
        assert at_central.forecast(session=_session(desk_b, "mkt2"), fields=target).members_reached == MEMBERS
        central_db.dispose()
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()
