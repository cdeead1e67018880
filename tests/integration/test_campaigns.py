"""Campaign administration through the service and the operation runner on a SQLite store: drafts,
four-eyes approval, only approved campaigns earning, the budget and per-member cap, stopping, and the
cost forecast checked against the earning engine itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_desk.domain.campaigns import CampaignInvalid
from loyalty_desk.domain.earning import Campaign, EarningContext, EarningTxn, compute_earning
from loyalty_desk.domain.errors import DomainError, Forbidden
from loyalty_desk.domain.rules import Source, Tier
from loyalty_desk.services.audit import NoProgress
from loyalty_desk.services.campaigns.service import CampaignService, decision_refusal
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.handlers import operation_runner

START = datetime(2026, 6, 10, 9, 0)


def fields(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name_zh": "夏季双倍积分", "name_en": "Summer double points", "kind": "multiplier", "multiplier": "2",
        "sources": ["card_spend"], "tiers": ["standard", "silver", "gold", "platinum"], "starts_on": "2026-06-15",
        "ends_on": "2026-07-15", "budget_points": 10_000, "member_cap": None, "stacking": "best",
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
    branch_marketer: StaffSession
    officer: StaffSession
    members: list[str]

    def op(self) -> str:
        return self.service.new_operation_id()

    def approved(self, **changes: Any) -> str:
        view = self.service.create(operation_id=self.op(), session=self.maker, fields=fields(**changes))
        self.service.submit(operation_id=self.op(), session=self.maker, code=view.code)
        self.service.approve(operation_id=self.op(), session=self.checker, code=view.code)
        return view.code

    def spend(self, member_no: str, on: date, amount: str, txn_id: str) -> None:
        txn = EarningTxn(txn_id=txn_id, member_no=member_no, occurred_on=on, source=Source.CARD_SPEND, amount=Decimal(amount), product="")
        self.earning.post(txns=[txn], origin="test", actor=self.store.context.system_actor("test"))

    def balance(self, member_no: str) -> int:
        with self.store.context.uow() as uow:
            return uow.members.by_no(member_no).posted_balance

    def actions(self) -> list[tuple[str, str]]:
        with self.store.context.uow() as uow:
            _, rows = uow.audit.search(action="campaign.", limit=100)
            return [(r.action, r.actor) for r in reversed(rows)]


@pytest.fixture
def office(tmp_path: Path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    opened = Office(
        store, CampaignService(store.context, operation_runner(store.context)), EarningService(store.context),
        maker=add_staff(store.context, username="mkt.maker", role="marketing", branch_code="HQ01"),
        checker=add_staff(store.context, username="mkt.checker", role="marketing", branch_code="HQ01"),
        branch_marketer=add_staff(store.context, username="mkt.bj", role="marketing", branch_code="BJ01"),
        officer=add_staff(store.context, username="officer.bj", role="officer"),
        members=[add_member(store.context, name=f"会员{i}", tier="standard") for i in range(3)],
    )
    yield opened
    store.close()


def test_a_draft_is_edited_submitted_and_approved_by_a_second_person_never_the_maker(office):
    draft = office.service.create(operation_id=office.op(), session=office.maker, fields=fields())
    assert (draft.status, draft.shown_status, draft.created_by) == ("draft", "draft", "mkt.maker")
    edited = office.service.edit(operation_id=office.op(), session=office.maker, code=draft.code, fields=fields(multiplier="1.5"))
    assert edited.multiplier == "1.5"
    with pytest.raises(DomainError) as not_maker:
        office.service.edit(operation_id=office.op(), session=office.checker, code=draft.code, fields=fields())
    assert not_maker.value.code == "campaign.edit_not_maker"
    submitted = office.service.submit(operation_id=office.op(), session=office.maker, code=draft.code)
    assert submitted.status == "submitted"
    assert decision_refusal(submitted, "mkt.maker") == "campaign.maker_cannot_decide"
    with pytest.raises(DomainError) as refused:
        office.service.approve(operation_id=office.op(), session=office.maker, code=draft.code)
    assert refused.value.code == "campaign.maker_cannot_decide"
    assert refused.value.params["maker"] == "mkt.maker"
    with pytest.raises(DomainError) as editing_submitted:
        office.service.edit(operation_id=office.op(), session=office.maker, code=draft.code, fields=fields())
    assert editing_submitted.value.code == "campaign.wrong_status"
    approved = office.service.approve(operation_id=office.op(), session=office.checker, code=draft.code)
    assert (approved.status, approved.shown_status, approved.decided_by) == ("approved", "scheduled", "mkt.checker")
    assert office.actions() == [
        ("campaign.created", "mkt.maker"), ("campaign.edited", "mkt.maker"), ("campaign.submitted", "mkt.maker"),
        ("campaign.approved", "mkt.checker"),
    ]


def test_a_rejection_sends_it_back_to_draft_with_the_note_and_needs_a_second_person(office):
    draft = office.service.create(operation_id=office.op(), session=office.maker, fields=fields())
    office.service.submit(operation_id=office.op(), session=office.maker, code=draft.code)
    with pytest.raises(DomainError) as short:
        office.service.reject(operation_id=office.op(), session=office.checker, code=draft.code, note="no")
    assert short.value.code == "campaign.note_short"
    with pytest.raises(DomainError) as own:
        office.service.reject(operation_id=office.op(), session=office.maker, code=draft.code, note="Budget is too large for summer")
    assert own.value.code == "campaign.maker_cannot_decide"
    rejected = office.service.reject(operation_id=office.op(), session=office.checker, code=draft.code, note="Budget is too large for summer")
    assert (rejected.status, rejected.rejection_note, rejected.decided_by) == ("draft", "Budget is too large for summer", "mkt.checker")
    assert ("campaign.rejected", "mkt.checker") in office.actions()


def test_only_head_office_marketing_manages_campaigns(office):
    with pytest.raises(Forbidden):
        office.service.create(operation_id=office.op(), session=office.officer, fields=fields())
    with pytest.raises(DomainError) as branch:
        office.service.create(operation_id=office.op(), session=office.branch_marketer, fields=fields())
    assert branch.value.code == "campaign.head_office_only"


def test_every_bad_field_is_named_and_nothing_is_saved(office):
    bad = fields(name_en="", multiplier="9", starts_on="2026-07-20", ends_on="2026-07-01", budget_points=0, member_cap=50, tiers=[])
    with pytest.raises(CampaignInvalid) as invalid:
        office.service.create(operation_id=office.op(), session=office.maker, fields=bad)
    named = {error.field: error.code for error in invalid.value.errors}
    assert named == {
        "name_en": "campaign.name_required", "multiplier": "campaign.multiplier", "ends_on": "campaign.dates_order",
        "budget_points": "campaign.budget_range", "tiers": "campaign.none_chosen",
    }
    with pytest.raises(CampaignInvalid) as cap:
        office.service.create(operation_id=office.op(), session=office.maker, fields=fields(budget_points=100, member_cap=500))
    assert cap.value.code == "campaign.cap_over_budget"
    assert office.service.list(session=office.maker) == []


def test_only_an_approved_campaign_earns_and_its_budget_stops_it(office):
    draft = office.service.create(operation_id=office.op(), session=office.maker, fields=fields(budget_points=150))
    first, second, third = office.members
    office.store.clock.now = datetime(2026, 6, 20, 10, 0)
    office.spend(first, date(2026, 6, 20), "100.00", "T-DRAFT")
    assert office.balance(first) == 100 + 1_000  # not approved: tier points and the first-card bonus only
    office.service.submit(operation_id=office.op(), session=office.maker, code=draft.code)
    office.service.approve(operation_id=office.op(), session=office.checker, code=draft.code)
    office.spend(second, date(2026, 6, 20), "100.00", "T-1")  # 100 extra
    office.spend(third, date(2026, 6, 20), "100.00", "T-2")  # only 50 left
    office.spend(first, date(2026, 6, 21), "100.00", "T-3")  # nothing left
    assert office.balance(second) == 200 + 1_000
    assert office.balance(third) == 150 + 1_000
    assert office.balance(first) == 1_100 + 100
    view = office.service.get(session=office.maker, code=draft.code)
    assert (view.spent_points, view.budget_left, view.members_reached, view.shown_status) == (150, 0, 2, "exhausted")


def test_the_per_member_cap_and_a_stop_end_what_one_member_and_everyone_get(office):
    code = office.approved(budget_points=10_000, member_cap=120)
    member, other = office.members[0], office.members[1]
    office.store.clock.now = datetime(2026, 6, 20, 10, 0)
    office.spend(member, date(2026, 6, 20), "100.00", "C-1")  # 100 extra
    office.spend(member, date(2026, 6, 20), "100.00", "C-2")  # 20 extra: the cap
    assert office.balance(member) == 1_000 + 200 + 120
    with pytest.raises(DomainError) as short:
        office.service.stop(operation_id=office.op(), session=office.checker, code=code, reason="too")
    assert short.value.code == "campaign.note_short"
    stopped = office.service.stop(operation_id=office.op(), session=office.checker, code=code, reason="Fraud pattern seen at two branches")
    assert (stopped.shown_status, stopped.stop_reason) == ("stopped", "Fraud pattern seen at two branches")
    office.spend(other, date(2026, 6, 21), "100.00", "C-3")
    assert office.balance(other) == 1_000 + 100
    assert ("campaign.stopped", "mkt.checker") in office.actions()


def test_a_bonus_campaign_adds_its_points_as_a_line_of_its_own(office):
    code = office.approved(kind="bonus", bonus_points=300, multiplier="", stacking="combine")
    office.store.clock.now = datetime(2026, 6, 20, 10, 0)
    member = office.members[0]
    office.spend(member, date(2026, 6, 20), "100.00", "B-1")
    assert office.balance(member) == 1_000 + 100 + 300
    with office.store.context.uow() as uow:
        lines = [(e.rule, e.points, e.campaign_code) for e in uow.ledger.entries_for_member(uow.members.by_no(member).id)]
    assert ("campaign_bonus", 300, code) in lines


def test_the_forecast_replays_last_years_earnings_through_the_earning_engine(office):
    """The forecast's set-wise arithmetic gives what ``compute_earning`` gives entry by entry."""
    context = office.store.context
    tiers = ["standard", "silver", "gold", "platinum", "gold"]
    members = [add_member(context, name=f"客户{i}", tier=tier) for i, tier in enumerate(tiers)]
    amounts = ["88.88", "1234.56", "0.99", "15.50", "3000.01", "777.77"]
    posted: list[tuple[str, date, str]] = []
    office.store.clock.now = datetime(2026, 6, 10, 9, 0)
    for i, member in enumerate(members):
        for j, amount in enumerate(amounts):
            day = date(2025, 6, 16) + timedelta(days=(i * 7 + j * 5) % 40)
            office.spend(member, day, amount, f"F-{i}-{j}")
            posted.append((member, day, amount))
    for multiplier, stacking in (("2", "best"), ("1.3", "best"), ("1.75", "combine")):
        chosen = fields(multiplier=multiplier, stacking=stacking, budget_points=10**9, tiers=["silver", "gold", "platinum"])
        forecast = office.service.forecast(session=office.maker, fields=chosen, progress=NoProgress())
        assert (forecast.replayed_from, forecast.replayed_to, forecast.years_back) == (date(2025, 6, 15), date(2025, 7, 15), 1)
        campaign = Campaign(
            code="X", name_zh="x", name_en="x", starts_on=date(2025, 6, 15), ends_on=date(2025, 7, 15), sources=frozenset({Source.CARD_SPEND}),
            tiers=frozenset({Tier.SILVER, Tier.GOLD, Tier.PLATINUM}), multiplier=Decimal(multiplier), budget_points=10**9, spent_points=0,
            stacking=stacking,
        )
        expected = reached = 0
        seen = set()
        with context.uow() as uow:
            tier_of = {m: uow.members.by_no(m).tier for m in members}
        for member, day, amount in posted:
            ctx = EarningContext(tier=Tier(tier_of[member]), card_approved_on=None, first_card_bonus_given=True, spend_target_bonus_given=True,
                                 card_spend_cny_since_approval=Decimal(0), profile_bonus_given=True, surveys_in_year=0, campaigns=(campaign,))
            txn = EarningTxn(txn_id="r", member_no=member, occurred_on=day, source=Source.CARD_SPEND, amount=Decimal(amount), product="")
            extra = sum(a.campaign_extra_points for a in compute_earning(txn, ctx, context.rules).awards if a.campaign_code)
            expected += extra
            if extra and member not in seen:
                seen.add(member)
                reached += 1
        assert forecast.points_without_budget == expected, (multiplier, stacking)
        assert forecast.points == expected
        assert forecast.members_reached == reached
        assert forecast.cost_cny == (Decimal(expected) / 100).quantize(Decimal("0.01"))
        assert forecast.exhausted_on is None


def test_the_forecast_names_the_day_the_budget_would_run_out_and_can_be_cancelled(office):
    context = office.store.context
    member = add_member(context, name="客户", tier="standard")
    for i in range(10):
        office.spend(member, date(2025, 6, 20) + timedelta(days=i), "100.00", f"R-{i}")
    forecast = office.service.forecast(session=office.maker, fields=fields(budget_points=350))
    assert (forecast.points, forecast.points_without_budget, forecast.transactions) == (350, 1_000, 4)
    assert forecast.exhausted_on == date(2026, 6, 23)

    class Cancelled(NoProgress):
        def is_cancelled(self) -> bool:
            return True

    with pytest.raises(DomainError) as cancelled:
        office.service.forecast(session=office.maker, fields=fields(), progress=Cancelled())
    assert cancelled.value.code == "campaign.forecast_cancelled"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    budget=st.integers(min_value=1, max_value=3_000),
    cap=st.one_of(st.none(), st.integers(min_value=1, max_value=1_500)),
    spends=st.lists(st.tuples(st.integers(min_value=0, max_value=2), st.integers(min_value=1, max_value=120_000)), min_size=1, max_size=12),
    bonus=st.booleans(),
)
def test_a_campaign_never_gives_past_its_budget_or_a_members_cap(tmp_path_factory, budget, cap, spends, bonus) -> None:
    """Whatever the spends, the campaign's points in the ledger equal what it counts as spent, never
    more than its budget, and no member gets more than the cap."""
    store = open_store(tmp_path_factory.mktemp("budget") / "store", now=datetime(2026, 6, 20, 10, 0))
    try:
        add_branch(store.context, code="HQ01", name_zh="总行", name_en="Head Office", head_office=True)
        add_branch(store.context, code="BJ01")
        maker = add_staff(store.context, username="mkt.maker", role="marketing", branch_code="HQ01")
        checker = add_staff(store.context, username="mkt.checker", role="marketing", branch_code="HQ01")
        members = [add_member(store.context, name=f"会员{i}", tier="standard") for i in range(3)]
        service = CampaignService(store.context, operation_runner(store.context))
        chosen = fields(budget_points=budget, member_cap=min(cap, budget) if cap else None, starts_on="2026-06-20",
                        **({"kind": "bonus", "bonus_points": 250, "multiplier": ""} if bonus else {}))
        code = service.create(operation_id=service.new_operation_id(), session=maker, fields=chosen).code
        service.submit(operation_id=service.new_operation_id(), session=maker, code=code)
        service.approve(operation_id=service.new_operation_id(), session=checker, code=code)
        earning = EarningService(store.context)
        for n, (who, fen) in enumerate(spends):
            txn = EarningTxn(txn_id=f"P-{n}", member_no=members[who], occurred_on=date(2026, 6, 20), source=Source.CARD_SPEND,
                             amount=Decimal(fen) / 100, product="")
            earning.post(txns=[txn], origin="test", actor=store.context.system_actor("test"))
        with store.context.uow() as uow:
            row = uow.reference.campaign_by_code(code)
            given: dict[int, int] = {}
            for member_no in members:
                member = uow.members.by_no(member_no)
                given[member.id] = sum(int((e.details or {}).get("campaign_extra_points", 0))
                                       for e in uow.ledger.entries_for_member(member.id) if e.campaign_code == code)
            assert sum(given.values()) == row.spent_points <= budget
            assert row.members_reached == sum(1 for points in given.values() if points)
            if row.member_cap is not None:
                assert max(given.values()) <= row.member_cap
    finally:
        store.close()


def test_a_campaign_aimed_at_a_segment_earns_and_forecasts_only_for_its_members(office):
    from loyalty_desk.services.segments.service import SegmentService

    segments = SegmentService(office.store.context, operation_runner(office.store.context))
    newcomer = add_member(office.store.context, name="新客", tier="standard", joined_on=date(2025, 5, 1))
    old_hand = office.members[0]
    segments.save(operation_id=office.op(), session=office.maker, code="NEWCOMERS",
                  fields={"name_zh": "新客户", "name_en": "Newcomers", "criteria": {"joined_within_days": 450}})
    with pytest.raises(CampaignInvalid) as unknown:
        office.service.create(operation_id=office.op(), session=office.maker, fields=fields(segment="NOBODY"))
    assert (unknown.value.code, unknown.value.field) == ("campaign.segment_unknown", "segment")
    for i, member in enumerate((newcomer, old_hand)):
        office.spend(member, date(2025, 6, 20), "100.00", f"S-OLD-{i}")
    aimed = office.service.forecast(session=office.maker, fields=fields(segment="newcomers"))
    everyone = office.service.forecast(session=office.maker, fields=fields())
    assert (aimed.members_reached, aimed.points) == (1, 100)
    assert (everyone.members_reached, everyone.points) == (2, 200)

    code = office.approved(segment="NEWCOMERS")
    assert office.service.get(session=office.maker, code=code).segment == "NEWCOMERS"
    office.store.clock.now = datetime(2026, 6, 20, 10, 0)
    office.spend(newcomer, date(2026, 6, 20), "100.00", "S-1")
    office.spend(old_hand, date(2026, 6, 20), "100.00", "S-2")
    with office.store.context.uow() as uow:
        aimed_at = {no: {e.campaign_code for e in uow.ledger.entries_for_member(uow.members.by_no(no).id)} for no in (newcomer, old_hand)}
    assert code in aimed_at[newcomer] and code not in aimed_at[old_hand]
    view = office.service.get(session=office.maker, code=code)
    assert (view.spent_points, view.members_reached) == (100, 1)
