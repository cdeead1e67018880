"""What to offer now on a SQLite store: the hints read from the member's facts, and the officer's
responses recorded as ``hint.respond`` operations (audited, kept off the view for the day once
accepted or declined)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store, post_earning

from loyalty_desk.domain.errors import DomainError, Forbidden, ValidationError
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.hints import RESPOND, HintService
from loyalty_desk.services.redemption.service import RedemptionService

START = datetime(2026, 6, 10, 9, 0)  # today 2026-06-10: a lot earned in June 2024 expires on 2026-06-30


@dataclass
class Desk:
    store: LocalStore
    hints: HintService
    redemption: RedemptionService
    officer: StaffSession
    admin: StaffSession

    def reward(self, code: str, points: int, **fields):
        values = {"name_zh": f"测试礼品{code}", "name_en": f"Test reward {code}", "category": "voucher", "cash_value": "1.00"} | fields
        return self.redemption.upsert_reward(session=self.admin, code=code, points_cost=points, **values)

    def respond(self, member_no: str, key: str, response: str, *, op: str | None = None, who: StaffSession | None = None):
        return self.hints.respond(operation_id=op or self.hints.new_operation_id(), session=who or self.officer, member_no=member_no,
                                  hint_key=key, response=response)

    def shown(self, member_no: str) -> dict[str, object]:
        return {h.key: h for h in self.hints.for_member(member_no=member_no).hints}

    def recorded(self) -> list[tuple[str, str, str, date]]:
        """Every response recorded, in order, each with its audit row."""
        from sqlalchemy import select

        from loyalty_desk.store.models import HintResponse

        with self.store.context.uow() as uow:
            rows = list(uow.hints.session.scalars(select(HintResponse).order_by(HintResponse.id)))
            _, audited = uow.audit.search(action="member.hint_response", limit=50)
            assert sorted(int(a.details["response_id"]) for a in audited) == [r.id for r in rows]
            return [(uow.members.get(r.member_id).member_no, r.hint_key, r.response, r.responded_on) for r in rows]


@pytest.fixture
def desk(tmp_path: Path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="BJ01")
    runner = operation_runner(store.context)
    opened = Desk(
        store, HintService(store.context, runner), RedemptionService(store.context, runner),
        add_staff(store.context, username="officer.bj", role="officer"),
        add_staff(store.context, username="admin.hq", role="admin"),
    )
    opened.reward("TEA", 800)
    opened.reward("MUG", 2_000)
    opened.reward("LOUNGE", 2_500, min_tier="gold")
    yield opened
    store.close()


@pytest.fixture
def expiring(desk) -> str:
    """A Standard member with 2,500 points expiring on 2026-06-30 and 5,000 more in 2027."""
    member_no = add_member(desk.store.context, name="张伟")
    post_earning(desk.store.context, member_no, 2_500, on=date(2024, 6, 15), reference="T-OLD")
    post_earning(desk.store.context, member_no, 5_000, on=date(2025, 9, 1), reference="T-NEW")
    return member_no


def test_points_expiring_within_30_days_are_offered_with_the_rewards_they_buy(desk, expiring):
    hints = desk.hints.for_member(member_no=expiring)
    first = hints.hints[0]
    assert (first.kind, first.key) == ("expiring", "expiring:30")
    assert first.facts["points"] == 2_500 and first.facts["first_expires_on"] == date(2026, 6, 30)
    assert first.facts["rewards"] == ("MUG", "TEA")  # LOUNGE is for Gold members
    assert first.reward_names == {"MUG": ("测试礼品MUG", "Test reward MUG"), "TEA": ("测试礼品TEA", "Test reward TEA")}
    assert hints.closed_today == 0 and not first.offered_today


def test_a_declined_hint_is_recorded_audited_and_not_shown_again_that_day(desk, expiring):
    answer = desk.respond(expiring, "expiring:30", "declined")
    assert (answer.response, answer.responded_on, answer.replayed) == ("declined", date(2026, 6, 10), False)
    assert "expiring:30" not in desk.shown(expiring)
    assert desk.hints.for_member(member_no=expiring).closed_today == 1
    assert desk.recorded() == [(expiring, "expiring:30", "declined", date(2026, 6, 10))]
    with desk.store.context.uow() as uow:
        operation = uow.ledger.operation(answer.operation_id)
        assert operation.kind == RESPOND and operation.payload["facts"]["points"] == 2_500
        assert operation.payload["facts"]["first_expires_on"] == "2026-06-30"
    with pytest.raises(DomainError) as again:  # declined twice the same day: it is no longer offered
        desk.respond(expiring, "expiring:30", "declined")
    assert again.value.code == "hint.not_offered"
    desk.store.clock.advance(days=1)
    assert "expiring:30" in desk.shown(expiring)  # the next day it is offered again


def test_an_offered_hint_stays_until_the_member_answers(desk, expiring):
    desk.respond(expiring, "expiring:30", "offered")
    assert desk.shown(expiring)["expiring:30"].offered_today
    desk.respond(expiring, "expiring:30", "accepted")
    assert "expiring:30" not in desk.shown(expiring)
    assert [r[2] for r in desk.recorded()] == ["offered", "accepted"]


def test_the_same_operation_id_records_once(desk, expiring):
    op = desk.hints.new_operation_id()
    first = desk.respond(expiring, "expiring:30", "declined", op=op)
    again = desk.respond(expiring, "expiring:30", "declined", op=op)
    assert again.replayed and again.operation_id == first.operation_id
    assert len(desk.recorded()) == 1


def test_bad_responses_are_refused_at_their_field_and_record_nothing(desk, expiring):
    with pytest.raises(ValidationError) as refused:
        desk.respond(expiring, "expiring:30", "maybe")
    assert (refused.value.code, refused.value.field) == ("hint.response", "response")
    with pytest.raises(ValidationError) as refused:
        desk.respond(expiring, "gift:1", "offered")
    assert refused.value.field == "kind"
    with pytest.raises(DomainError) as refused:
        desk.respond(expiring, "refer_again", "offered")  # not a hint this member has
    assert refused.value.code == "hint.not_offered"
    with pytest.raises(Forbidden):
        desk.respond(expiring, "expiring:30", "offered", who=desk.admin)
    assert desk.recorded() == []


def test_what_the_tier_redeems_most_that_the_member_can_afford(desk, expiring):
    for n in range(3):
        other = add_member(desk.store.context, name="李娜", serial=500 + n)
        post_earning(desk.store.context, other, 10_000, on=date(2026, 5, 1))
        desk.redemption.redeem(operation_id=desk.hints.new_operation_id(), session=desk.officer, member_no=other, reward_code="TEA", qty=1)
    gold = add_member(desk.store.context, name="王强", serial=600, tier="gold")
    post_earning(desk.store.context, gold, 10_000, on=date(2026, 5, 1))
    desk.redemption.redeem(operation_id=desk.hints.new_operation_id(), session=desk.officer, member_no=gold, reward_code="MUG", qty=1)
    fresh = HintService(desk.store.context, operation_runner(desk.store.context))  # popularity is counted once a day per service
    hints = {h.key: h for h in fresh.for_member(member_no=expiring).hints}
    # TEA is named by the expiry hint already; MUG was redeemed only by a Gold member
    assert not any(key.startswith("popular_reward:") for key in hints)
    newcomer = add_member(desk.store.context, name="赵敏", serial=700)
    post_earning(desk.store.context, newcomer, 1_000, on=date(2026, 6, 1))
    (popular,) = [h for h in fresh.for_member(member_no=newcomer).hints if h.kind == "popular_reward"]
    assert popular.facts["reward"] == "TEA" and popular.facts["tier_redemptions"] == 3 and popular.reward_names["TEA"][1] == "Test reward TEA"


def test_a_gift_out_of_stock_at_the_branch_is_not_offered(desk, expiring):
    desk.reward("MUG", 2_000, category="physical_gift", stock_tracked=True)
    assert desk.hints.for_member(member_no=expiring).hints[0].facts["rewards"] == ("TEA",)


def test_a_member_without_activity_for_six_months_is_to_be_re_engaged(desk):
    member_no = add_member(desk.store.context, name="周杰", serial=800, joined_on=date(2025, 1, 1))
    post_earning(desk.store.context, member_no, 300, on=date(2025, 12, 9))
    (dormant,) = [h for h in desk.hints.for_member(member_no=member_no).hints if h.kind == "dormant"]
    assert dormant.facts["last_activity_on"] == date(2025, 12, 9) and dormant.facts["months_inactive"] == 6
    post_earning(desk.store.context, member_no, 300, on=date(2026, 6, 1))
    assert all(h.kind != "dormant" for h in desk.hints.for_member(member_no=member_no).hints)


def test_the_member_command_shows_the_hints(tmp_path: Path, capsys):
    import json

    from loyalty_desk.cli.main import main
    from loyalty_desk.domain.dates import add_months

    folder = tmp_path / "cli"
    store = open_store(folder)
    add_branch(store.context)
    member_no = add_member(store.context, name="张伟")
    this_month = date.today().replace(day=1)  # the command runs on the real clock
    post_earning(store.context, member_no, 1_200, on=add_months(this_month, -24))  # expires at the end of this month
    store.close()
    assert main(["--data-dir", str(folder), "member", member_no, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["hints"]
    assert shown["member_no"] == member_no
    (expiry,) = [h for h in shown["hints"] if h["kind"] == "expiring"]
    assert expiry["key"] in ("expiring:30", "expiring:60") and expiry["facts"]["points"] == 1_200
    assert main(["--data-dir", str(folder), "member", member_no]) == 0
    assert "1,200 points expire within" in capsys.readouterr().out
