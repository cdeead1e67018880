"""Programme rules administration on a SQLite store: four eyes (the proposer never decides), versions by
effective date, the engines using the version in force on a transaction's date, and the command line."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from earning_support import Desk, open_desk, txn
from factories import add_staff, approve_rules

from loyalty_desk.domain.errors import DomainError, Forbidden, ValidationError
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.rule_changes import RuleChangeService

TODAY = date(2026, 6, 30)
JULY_15 = date(2026, 7, 15)


@pytest.fixture
def desk(tmp_path: Path):
    opened = open_desk(tmp_path / "store")
    yield opened
    opened.close()


@pytest.fixture
def rules(desk: Desk) -> RuleChangeService:
    return RuleChangeService(desk.context, operation_runner(desk.context))


def _propose(rules: RuleChangeService, who, changes=None, effective_on=JULY_15, reason="Double card points for the summer"):
    return rules.propose(operation_id=rules.new_operation_id(), session=who, changes=changes or {"earning.card_points_per_cny": 2},
                         effective_on=effective_on, reason=reason)


def _audit(desk: Desk) -> list:
    with desk.context.uow() as uow:
        _, rows = uow.audit.search(action="rules.", limit=100)
        return [(r.action, r.actor, r.before, r.after) for r in reversed(rows)]


def test_a_change_is_in_force_from_its_effective_date_once_a_second_administrator_approves_it(desk, rules):
    maker = add_staff(desk.context, username="admin.a", role="admin")
    checker = add_staff(desk.context, username="admin.b", role="admin")
    proposed = _propose(rules, maker)
    assert (proposed.status, proposed.version, proposed.maker_username) == ("pending", None, "admin.a")
    assert [(s.path, s.before, s.after) for s in proposed.settings] == [("earning.card_points_per_cny", 1, 2)]
    assert rules.rules_on(date(2026, 8, 1)).settings["earning.card_points_per_cny"] == 1  # nothing until approved

    with pytest.raises(DomainError) as own:
        rules.approve(operation_id=rules.new_operation_id(), session=maker, change_id=proposed.change_id)
    assert own.value.code == "rules.own_change" and own.value.params["username"] == "admin.a"
    assert rules.pending()[0].status == "pending"

    approved = rules.approve(operation_id=rules.new_operation_id(), session=checker, change_id=proposed.change_id, note="agreed")
    assert (approved.status, approved.version, approved.decided_by_username) == ("approved", 1, "admin.b")
    before, on, after = (rules.rules_on(d) for d in (JULY_15 - timedelta(days=1), JULY_15, date(2027, 1, 1)))
    assert (before.version, on.version, after.version) == (0, 1, 1)
    assert [r.settings["earning.card_points_per_cny"] for r in (before, on, after)] == [1, 2, 2]
    assert rules.rules_on().settings["earning.card_points_per_cny"] == 1  # today is before the effective date
    assert [v.version for v in rules.history()] == [1]
    assert _audit(desk) == [
        ("rules.propose", "admin.a", {"earning.card_points_per_cny": 1}, {"earning.card_points_per_cny": 2}),
        ("rules.approve", "admin.b", {"earning.card_points_per_cny": 1}, {"earning.card_points_per_cny": 2}),
    ]


def test_an_earning_before_the_effective_date_uses_the_old_rate_and_after_it_the_new(desk):
    member_no = desk.add_member()
    approve_rules(desk.context, {"earning.card_points_per_cny": 2, "expiry.lot_lifetime_months": 12}, effective_on=JULY_15)
    desk.clock.now = desk.clock.now + timedelta(days=30)  # 30 July: both dates are in the past
    desk.post(txn("T-before", member_no, date(2026, 7, 14), Source.CARD_SPEND, 1_000),
              txn("T-after", member_no, date(2026, 7, 15), Source.CARD_SPEND, 1_000))
    by_day = {lot.earned_on: lot for lot in desk.lots(member_no)}
    assert (by_day[date(2026, 7, 14)].original, by_day[date(2026, 7, 15)].original) == (1_000, 2_000)
    # the lot lifetime in force on the day each was earned: 24 months, then 12
    assert (by_day[date(2026, 7, 14)].expires_on, by_day[date(2026, 7, 15)].expires_on) == (date(2028, 7, 31), date(2027, 7, 31))


def test_a_redemption_cap_is_that_of_the_operation_date(desk):
    from loyalty_desk.services.redemption.service import RedemptionService

    member_no = desk.add_member()
    desk.post(txn("T-1", member_no, date(2026, 6, 1), Source.CARD_SPEND, 15_000))  # Standard still
    officer = add_staff(desk.context, username="officer.a", role="officer")
    admin = add_staff(desk.context, username="cat.admin", role="admin")
    redemption = RedemptionService(desk.context, operation_runner(desk.context))
    redemption.upsert_reward(session=admin, code="VOUCHER-12K", name_zh="礼券", name_en="Voucher", category="voucher", points_cost=12_000,
                             cash_value="200")
    approve_rules(desk.context, {"tiers.standard.monthly_redemption_cap": 10_000})  # today
    with pytest.raises(DomainError) as capped:
        redemption.redeem(operation_id=redemption.new_operation_id(), session=officer, member_no=member_no, reward_code="VOUCHER-12K",
                          qty=1, expected_points=12_000)
    assert (capped.value.code, capped.value.params["cap"]) == ("redeem.monthly_cap", 10_000)


def test_bad_values_and_wrong_people_change_nothing(desk, rules):
    maker = add_staff(desk.context, username="admin.a", role="admin")
    supervisor = add_staff(desk.context, username="super.a", role="supervisor")
    with pytest.raises(ValidationError) as bad:
        _propose(rules, maker, {"tiers.gold.qualifying_points": 10_000})
    assert (bad.value.code, bad.value.field) == ("rules.tier_order", "tiers.gold.qualifying_points")
    with pytest.raises(ValidationError) as past:
        _propose(rules, maker, effective_on=TODAY - timedelta(days=1))
    assert past.value.code == "rules.effective_past"
    with pytest.raises(Forbidden):
        _propose(rules, supervisor)
    assert rules.changes() == [] and _audit(desk) == []
    problems = rules.form_problems(changes={"expiry.lot_lifetime_months": "0", "referrals.yearly_cap": "lots"}, effective_on=TODAY)
    assert {(p.field, p.code) for p in problems} == {("expiry.lot_lifetime_months", "rules.below_minimum"),
                                                     ("referrals.yearly_cap", "rules.not_a_whole_number")}


def test_rejection_and_withdrawal_are_audited_and_leave_the_rules_alone(desk, rules):
    maker = add_staff(desk.context, username="admin.a", role="admin")
    checker = add_staff(desk.context, username="admin.b", role="admin")
    first = _propose(rules, maker)
    with pytest.raises(ValidationError):
        rules.reject(operation_id=rules.new_operation_id(), session=checker, change_id=first.change_id, note="")
    with pytest.raises(DomainError) as own:
        rules.reject(operation_id=rules.new_operation_id(), session=maker, change_id=first.change_id, note="changed my mind")
    assert own.value.code == "rules.own_change"
    rejected = rules.reject(operation_id=rules.new_operation_id(), session=checker, change_id=first.change_id, note="Budget not approved")
    assert (rejected.status, rejected.decision_note) == ("rejected", "Budget not approved")
    with pytest.raises(DomainError) as again:
        rules.approve(operation_id=rules.new_operation_id(), session=checker, change_id=first.change_id)
    assert again.value.code == "rules.not_pending"

    second = _propose(rules, maker, {"referrals.yearly_cap": 10})
    with pytest.raises(DomainError) as not_theirs:
        rules.withdraw(operation_id=rules.new_operation_id(), session=checker, change_id=second.change_id)
    assert not_theirs.value.code == "rules.withdraw_not_proposer"
    assert rules.withdraw(operation_id=rules.new_operation_id(), session=maker, change_id=second.change_id).status == "withdrawn"
    assert rules.history() == [] and rules.rules_on(date(2027, 1, 1)).version == 0
    assert [a[0] for a in _audit(desk)] == ["rules.propose", "rules.reject", "rules.propose", "rules.withdraw"]
    assert _audit(desk)[3][2:] == ({"referrals.yearly_cap": 20}, {"referrals.yearly_cap": 10})


def test_a_change_whose_effective_date_passed_while_pending_cannot_be_approved(desk, rules):
    maker = add_staff(desk.context, username="admin.a", role="admin")
    checker = add_staff(desk.context, username="admin.b", role="admin")
    proposed = _propose(rules, maker, effective_on=date(2026, 7, 1))
    desk.clock.now = desk.clock.now + timedelta(days=2)
    with pytest.raises(DomainError) as late:
        rules.approve(operation_id=rules.new_operation_id(), session=checker, change_id=proposed.change_id)
    assert late.value.code == "rules.effective_passed"


def test_the_same_operation_id_again_changes_nothing(desk, rules):
    maker = add_staff(desk.context, username="admin.a", role="admin")
    checker = add_staff(desk.context, username="admin.b", role="admin")
    proposed = _propose(rules, maker)
    operation_id = rules.new_operation_id()
    rules.approve(operation_id=operation_id, session=checker, change_id=proposed.change_id)
    assert rules.approve(operation_id=operation_id, session=checker, change_id=proposed.change_id).version == 1
    assert [v.version for v in rules.history()] == [1]



def test_the_command_line_shows_proposes_approves_and_lists_history(tmp_path, capsys, monkeypatch):
    from factories import DEFAULT_PASSWORD, add_branch, open_store

    from loyalty_desk.cli.common import PASSWORD_ENV
    from loyalty_desk.cli.main import main

    folder = tmp_path / "cli-store"
    store = open_store(folder)
    add_branch(store.context)
    add_staff(store.context, username="admin.a", role="admin")
    add_staff(store.context, username="admin.b", role="admin")
    store.close()
    monkeypatch.setenv(PASSWORD_ENV, DEFAULT_PASSWORD)

    def run(*args: str) -> int:
        return main(["--data-dir", str(folder), "rules", *args])

    assert run("propose", "--set", "expiry.lot_lifetime_months=0", "--effective", "2030-01-01", "--reason", "Shorter expiry", "--user",
               "admin.a") == 1
    assert "Points expire after (months) (expiry.lot_lifetime_months) must be at least 1 (given 0)." in capsys.readouterr().err
    assert run("propose", "--set", "earning.card_points_per_cny=3", "--set", "referrals.yearly_cap=25", "--effective", "2030-01-01",
               "--reason", "New year programme refresh", "--user", "admin.a") == 0
    out = capsys.readouterr().out
    assert "Rules change #1 proposed, effective 2030-01-01" in out and "earning.card_points_per_cny: 1 -> 3" in out
    assert run("approve", "1", "--user", "admin.a") == 1
    assert "Four eyes: admin.a proposed rules change 1 and may not decide it" in capsys.readouterr().err
    assert run("pending") == 0 and "#1" in capsys.readouterr().out
    assert run("approve", "1", "--note", "ok", "--user", "admin.b") == 0
    assert "approved as version 1, in force from 2030-01-01" in capsys.readouterr().out
    assert run("show", "--on", "2029-12-31") == 0
    before = capsys.readouterr().out
    assert run("show", "--on", "2030-01-01") == 0
    after = capsys.readouterr().out
    assert "the installed settings" in before and "version 1" in after
    line = next(li for li in after.splitlines() if "earning.card_points_per_cny" in li)
    assert line.split()[1] == "3"
    assert next(li for li in before.splitlines() if "earning.card_points_per_cny" in li).split()[1] == "1"
    assert run("history") == 0 and "version 1 effective 2030-01-01" in capsys.readouterr().out
