"""Tier benefits as entitlements through the service and the operation runner on a SQLite store: each
tier's privileges from the rule settings, used at the counter without points, "n of m left this year",
refused when used up, outside the tier, for an unknown benefit or a member who is not active; counted
again from the next calendar year; idempotent on the operation id; the command line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from factories import add_branch, add_member, add_staff, open_store, post_earning

from loyalty_desk.domain.errors import DomainError, Forbidden, ValidationError
from loyalty_desk.domain.rules import DEFAULT_RULES, RuleSettings, Tier, TierBenefit
from loyalty_desk.messages import describe
from loyalty_desk.services.benefits import BenefitService
from loyalty_desk.services.handlers import operation_runner

START = datetime(2026, 6, 10, 9, 0)


@pytest.fixture
def desk(tmp_path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    service = BenefitService(store.context, operation_runner(store.context))
    officer = add_staff(store.context, username="officer.bj", role="officer")
    auditor = add_staff(store.context, username="auditor.hq", role="auditor", branch_code="HQ01")
    gold = add_member(store.context, name="张伟", tier="gold", last_upgrade_on=date(2026, 3, 1))
    standard = add_member(store.context, name="李娜")
    post_earning(store.context, gold, 1_000, on=date(2026, 5, 1))
    yield store, service, officer, auditor, gold, standard
    store.close()


def _use(service, officer, member_no, benefit="airport_lounge", op=None):
    return service.use(operation_id=op or service.new_operation_id(), session=officer, member_no=member_no, benefit=benefit)


def test_a_gold_member_uses_lounge_visits_without_points_until_the_years_are_used_up(desk):
    store, service, officer, _auditor, gold, _standard = desk
    lines = {line.benefit: (line.used, line.allowed, line.left) for line in service.for_member(member_no=gold).lines}
    assert lines == {"airport_lounge": (0, 4, 4), "car_wash": (0, 6, 6)}
    for n in range(1, 5):
        used = _use(service, officer, gold)
        assert (used.used, used.left) == (n, 4 - n)
    with pytest.raises(DomainError) as used_up:
        _use(service, officer, gold)
    assert (used_up.value.code, used_up.value.params["allowed"], used_up.value.params["year"]) == ("benefit.used_up", 4, 2026)
    assert "All 4 of airport_lounge for 2026 are used" in describe(used_up.value)
    with store.context.uow() as uow:
        assert uow.members.by_no(gold).posted_balance == 1_000  # no points moved
        _, rows = uow.audit.search(action="member.benefit_use", limit=10)
        assert len(rows) == 4 and rows[0].details["benefit"] == "airport_lounge"
    # a new calendar year: the entitlements are whole again
    store.clock.now = datetime(2027, 1, 2, 9, 0)
    assert {line.benefit: line.left for line in service.for_member(member_no=gold).lines}["airport_lounge"] == 4


def test_a_benefit_outside_the_tier_or_unknown_or_for_an_inactive_member_is_refused(desk):
    store, service, officer, auditor, gold, standard = desk
    assert service.for_member(member_no=standard).lines == ()
    with pytest.raises(ValidationError) as not_in_tier:
        _use(service, officer, standard, "car_wash")
    assert (not_in_tier.value.code, not_in_tier.value.params["tier"]) == ("benefit.not_in_tier", "standard")
    with pytest.raises(ValidationError) as unknown:
        _use(service, officer, gold, "spa_day")
    assert unknown.value.code == "benefit.unknown" and "airport_lounge" in unknown.value.params["allowed"]
    with pytest.raises(Forbidden):
        _use(service, auditor, gold, "car_wash")
    with store.context.uow(write=True) as uow:
        uow.members.by_no(gold).status = "frozen"
        uow.commit()
    with pytest.raises(DomainError) as inactive:
        _use(service, officer, gold, "car_wash")
    assert inactive.value.code == "benefit.member_inactive"


def test_the_same_operation_id_uses_a_benefit_once(desk):
    _store, service, officer, _auditor, gold, _standard = desk
    op = service.new_operation_id()
    first = _use(service, officer, gold, "car_wash", op=op)
    again = _use(service, officer, gold, "car_wash", op=op)
    assert (again.used, again.replayed, first.used) == (1, True, 1)
    assert {line.benefit: line.used for line in service.for_member(member_no=gold).lines}["car_wash"] == 1


def test_each_tiers_benefits_come_from_the_rule_settings():
    settings = replace(DEFAULT_RULES, tiers=replace(DEFAULT_RULES.tiers, benefits=(TierBenefit(Tier.SILVER, "spa_day", 2),)))
    again = RuleSettings.from_dict(settings.to_dict())
    assert again.tiers.benefits == (TierBenefit(Tier.SILVER, "spa_day", 2),)
    assert RuleSettings.from_dict(DEFAULT_RULES.to_dict()).tiers.benefits == DEFAULT_RULES.tiers.benefits


def test_the_command_line_lists_the_tiers_benefits_and_uses_one(tmp_path, capsys, monkeypatch):
    from factories import DEFAULT_PASSWORD

    from loyalty_desk.cli.common import PASSWORD_ENV
    from loyalty_desk.cli.main import main

    folder = tmp_path / "store"
    store = open_store(folder, now=START)
    add_branch(store.context)
    add_staff(store.context, username="officer.bj", role="officer")
    gold = add_member(store.context, name="张伟", tier="gold", last_upgrade_on=date(2026, 3, 1))
    store.close()
    monkeypatch.setenv(PASSWORD_ENV, DEFAULT_PASSWORD)
    assert main(["--data-dir", str(folder), "tiers", "benefits"]) == 0
    out = capsys.readouterr().out
    assert "gold" in out and "airport_lounge" in out and "4 a year" in out
    assert main(["--data-dir", str(folder), "member", "use-benefit", gold, "--benefit", "car_wash", "--user", "officer.bj"]) == 0
    assert "1 of 6 used" in capsys.readouterr().out
    assert main(["--data-dir", str(folder), "tiers", "benefits", "--member", gold]) == 0
    assert "car_wash: 5 of 6 left this year" in capsys.readouterr().out
    assert main(["--data-dir", str(folder), "member", gold, "--json"]) == 0
    assert '"benefits"' in capsys.readouterr().out
