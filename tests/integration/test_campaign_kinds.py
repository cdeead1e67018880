"""The card-journey campaign kinds end to end: drafted, approved by a second person, earning through
``EarningService`` on imported rows (once per member, within the budget and the per-member cap under the
campaign's lock), and forecast by replaying last year's approvals and card spend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_desk.domain.earning import check_transaction_row
from loyalty_desk.services.campaigns.service import CampaignService
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.handlers import operation_runner

IN_WINDOW = datetime(2026, 6, 20, 10, 0)


def journey(kind: str, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name_zh": "开卡任务", "name_en": "Card journey task", "kind": kind, "bonus_points": 500, "within_days": 14,
        "tiers": ["standard", "silver", "gold", "platinum"], "starts_on": "2026-06-15", "ends_on": "2026-07-15", "budget_points": 10_000,
        "member_cap": None, "stacking": "best", "target_cny": 1_000 if kind == "spend_target" else None,
    }
    values.update(changes)
    return values


@dataclass
class Office:
    store: LocalStore
    service: CampaignService
    earning: EarningService
    maker: StaffSession
    checker: StaffSession
    members: list[str]

    def approved(self, **fields: Any) -> str:
        view = self.service.create(operation_id=self.service.new_operation_id(), session=self.maker, fields=fields)
        self.service.submit(operation_id=self.service.new_operation_id(), session=self.maker, code=view.code)
        self.service.approve(operation_id=self.service.new_operation_id(), session=self.checker, code=view.code)
        return view.code

    def balance(self, member_no: str) -> int:
        with self.store.context.uow() as uow:
            return uow.members.by_no(member_no).posted_balance


@pytest.fixture
def office(tmp_path: Path):
    store = open_store(tmp_path / "store", now=datetime(2026, 6, 10, 9, 0))
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    yield Office(
        store, CampaignService(store.context, operation_runner(store.context)), EarningService(store.context),
        maker=add_staff(store.context, username="mkt.maker", role="marketing", branch_code="HQ01"),
        checker=add_staff(store.context, username="mkt.checker", role="marketing", branch_code="HQ01"),
        members=[add_member(store.context, name=f"会员{i}", tier="standard") for i in range(2)],
    )
    store.close()


def post_rows(office: Office, *rows: dict[str, Any]) -> None:
    """As an import does: each row checked, then the batch posted."""
    txns = []
    for row in rows:
        txn, errors = check_transaction_row(row, today=office.store.clock.now.date())
        assert not errors, errors
        txns.append(txn)
    office.earning.post(txns=txns, origin="import:test.csv", actor=office.store.context.system_actor("import"))


def campaign_lines(office: Office, member_no: str) -> list[tuple[str, int, str | None]]:
    with office.store.context.uow() as uow:
        entries = uow.ledger.entries_for_member(uow.members.by_no(member_no).id)
        return [(e.rule, e.points, e.campaign_code) for e in entries if e.campaign_code]


def test_a_card_approved_task_rewards_approvals_within_n_days_once(office):
    code = office.approved(**journey("card_approved", within_days=10))
    fast, slow = office.members[0], office.members[1]
    office.store.clock.now = IN_WINDOW
    before = office.balance(fast)
    post_rows(office,
              {"txn_id": "A-1", "member_no": fast, "date": "2026-06-18", "source": "card_approved", "applied_on": "2026-06-08"},
              {"txn_id": "A-2", "member_no": slow, "date": "2026-06-18", "source": "card_approved", "applied_on": "2026-06-07"})
    post_rows(office, {"txn_id": "A-3", "member_no": fast, "date": "2026-06-19", "source": "card_approved", "applied_on": "2026-06-19"})
    assert office.balance(fast) == before + 500
    assert campaign_lines(office, fast) == [("campaign_card_approved", 500, code)]
    assert campaign_lines(office, slow) == []
    view = office.service.get(session=office.maker, code=code)
    assert (view.kind, view.within_days, view.spent_points, view.members_reached) == ("card_approved", 10, 500, 1)


def test_first_transaction_and_spend_target_pay_once_each_and_stop_at_the_budget(office):
    gift = office.approved(**journey("first_transaction", bonus_points=300))
    target = office.approved(**journey("spend_target", bonus_points=700, within_days=20, target_cny=1_000, budget_points=1_000))
    first, second = office.members[0], office.members[1]
    office.store.clock.now = IN_WINDOW
    post_rows(office,
              {"txn_id": "J-A1", "member_no": first, "date": "2026-06-15", "source": "card_approved", "applied_on": "2026-06-01"},
              {"txn_id": "J-A2", "member_no": second, "date": "2026-06-15", "source": "card_approved"},
              {"txn_id": "J-1", "member_no": first, "date": "2026-06-16", "source": "card_spend", "amount": "600.00"},
              {"txn_id": "J-2", "member_no": first, "date": "2026-06-17", "source": "card_refund", "amount": "100.00"},
              {"txn_id": "J-3", "member_no": first, "date": "2026-06-18", "source": "card_spend", "amount": "499.99"},
              {"txn_id": "J-4", "member_no": first, "date": "2026-06-19", "source": "card_spend", "amount": "0.01"},
              {"txn_id": "J-5", "member_no": first, "date": "2026-06-20", "source": "card_spend", "amount": "900.00"})
    assert campaign_lines(office, first) == [("campaign_first_transaction", 300, gift), ("campaign_spend_target", 700, target)]
    with office.store.context.uow() as uow:
        paid_by = {e.entry_uid for e in uow.ledger.entries_for_member(uow.members.by_no(first).id) if e.campaign_code}
    assert paid_by == {f"txn:J-1:campaign:{gift}", f"txn:J-4:campaign:{target}"}  # the target reached at 1,000.00 exactly
    post_rows(office,
              {"txn_id": "K-1", "member_no": second, "date": "2026-06-19", "source": "card_spend", "amount": "2000.00"})
    assert campaign_lines(office, second) == [("campaign_first_transaction", 300, gift), ("campaign_spend_target", 300, target)]
    spent = office.service.get(session=office.maker, code=target)
    assert (spent.spent_points, spent.members_reached, spent.shown_status) == (1_000, 2, "exhausted")


def test_the_forecast_replays_last_years_approvals_and_card_spend_through_each_kind(office):
    context = office.store.context
    members = [add_member(context, name=f"客户{i}", tier="standard") for i in range(4)]
    office.store.clock.now = datetime(2026, 6, 10, 9, 0)
    # Last year: member 0 approved in 5 days, spends 600 + 500 (its target on day 4); member 1 approved in 20 days,
    # spends 300; member 2 approved and first spending before the window; member 3 approved in 3 days, spends 2,000 on day 15.
    plan = [
        (date(2025, 6, 20), 5, [(0, "600.00"), (4, "500.00")]),
        (date(2025, 6, 22), 20, [(1, "300.00")]),
        (date(2025, 5, 1), 2, [(10, "100.00"), (50, "5000.00")]),
        (date(2025, 6, 25), 3, [(15, "2000.00")]),
    ]
    for n, (member_no, (approved, took, spends)) in enumerate(zip(members, plan, strict=True)):
        rows = [{"txn_id": f"H-A{n}", "member_no": member_no, "date": approved.isoformat(), "source": "card_approved",
                 "applied_on": (approved - timedelta(days=took)).isoformat()}]
        rows += [{"txn_id": f"H-{n}-{i}", "member_no": member_no, "date": (approved + timedelta(days=day)).isoformat(), "source": "card_spend",
                  "amount": amount} for i, (day, amount) in enumerate(spends)]
        post_rows(office, *rows)

    def forecast(kind: str, **changes: Any) -> Any:
        found = office.service.forecast(session=office.maker, fields=journey(kind, **changes))
        assert (found.replayed_from, found.replayed_to) == (date(2025, 6, 15), date(2025, 7, 15))
        return found

    approvals = forecast("card_approved", within_days=10, bonus_points=400)
    assert (approvals.points, approvals.members_reached, approvals.transactions) == (800, 2, 2)  # members 0 and 3
    firsts = forecast("first_transaction", bonus_points=250, member_cap=200)
    assert (firsts.points, firsts.members_reached) == (600, 3)  # members 0, 1, 3 (member 2's first spend fell before the window)
    targets = forecast("spend_target", within_days=10, target_cny=1_000, bonus_points=900, budget_points=1_000)
    assert (targets.points, targets.points_without_budget, targets.members_reached) == (900, 900, 1)  # member 3 too late (day 15)
    assert targets.exhausted_on is None
    longer = forecast("spend_target", within_days=20, target_cny=1_000, bonus_points=900, budget_points=1_000)
    assert (longer.points, longer.points_without_budget, longer.members_reached) == (1_000, 1_800, 2)
    assert longer.exhausted_on == date(2026, 7, 10)  # member 3's target day, a year on
    assert longer.cost_cny == 10


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["card_approved", "first_transaction", "spend_target"]),
    bonus=st.integers(min_value=1, max_value=2_000),
    budget=st.integers(min_value=1, max_value=4_000),
    cap=st.one_of(st.none(), st.integers(min_value=1, max_value=2_000)),
    events=st.lists(st.tuples(st.integers(min_value=0, max_value=2), st.integers(min_value=0, max_value=12),
                              st.integers(min_value=1, max_value=300_000)), min_size=1, max_size=14),
)
def test_a_journey_task_pays_each_member_at_most_once_and_never_past_its_budget_or_cap(
    tmp_path_factory, kind, bonus, budget, cap, events
) -> None:
    """Approvals (the first of each member's rows) and card spends in any order of posting: the campaign's
    ledger lines add up to what it counts as spent, within the budget, one line a member at most, each
    within the cap."""
    store = open_store(tmp_path_factory.mktemp("journey") / "store", now=datetime(2026, 6, 14, 10, 0))
    try:
        add_branch(store.context, code="HQ01", name_zh="总行", name_en="Head Office", head_office=True)
        add_branch(store.context, code="BJ01")
        service = CampaignService(store.context, operation_runner(store.context))
        opened = Office(store, service, EarningService(store.context),
                        add_staff(store.context, username="mkt.maker", role="marketing", branch_code="HQ01"),
                        add_staff(store.context, username="mkt.checker", role="marketing", branch_code="HQ01"),
                        [add_member(store.context, name=f"会员{i}", tier="standard") for i in range(3)])
        code = opened.approved(**journey(kind, bonus_points=bonus, budget_points=budget, member_cap=min(cap, budget) if cap else None,
                                         within_days=10, target_cny=500))
        store.clock.now = datetime(2026, 6, 30, 10, 0)
        for n, (who, day, fen) in enumerate(events):
            on = date(2026, 6, 15) + timedelta(days=day)
            member_no = opened.members[who]
            if fen % 3 == 0:  # an approval row (again for a member already approved: nothing)
                post_rows(opened, {"txn_id": f"E-{n}", "member_no": member_no, "date": on.isoformat(), "source": "card_approved",
                                   "applied_on": (on - timedelta(days=fen % 15)).isoformat()})
            else:
                post_rows(opened, {"txn_id": f"E-{n}", "member_no": member_no, "date": on.isoformat(), "source": "card_spend",
                                   "amount": f"{fen / 100:.2f}"})
        with store.context.uow() as uow:
            row = uow.reference.campaign_by_code(code)
            spent, reached, member_cap = row.spent_points, row.members_reached, row.member_cap
            lines = {no: [e.points for e in uow.ledger.entries_for_member(uow.members.by_no(no).id) if e.campaign_code == code]
                     for no in opened.members}
        assert all(len(points) <= 1 for points in lines.values()), lines
        given_points = [sum(points) for points in lines.values()]
        assert sum(given_points) == spent <= budget
        assert reached == sum(1 for points in given_points if points)
        assert max(given_points) <= min(bonus, member_cap or bonus)
    finally:
        store.close()
