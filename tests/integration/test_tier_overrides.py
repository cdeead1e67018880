"""Manual tier overrides (rules.md "Tiers": a reason, an end date, supervisor approval like an
adjustment) through the service, the operation runner and the command line, on a SQLite store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from factories import DEFAULT_PASSWORD, LocalStore, add_branch, add_member, add_staff, open_store

from loyalty_desk.domain.errors import DomainError, Forbidden, ValidationError
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.members.service import MemberService
from loyalty_desk.services.tier_overrides import TierOverrideService

START = datetime(2026, 6, 10, 9, 0)


@dataclass
class Desk:
    store: LocalStore
    service: TierOverrideService
    officer: StaffSession
    supervisor: StaffSession
    supervisor2: StaffSession
    other_branch_supervisor: StaffSession
    hq_supervisor: StaffSession
    member: str

    def request(self, tier: str = "gold", *, who: StaffSession | None = None, until: date = date(2026, 9, 30),
                reason: str = "Private banking client, agreed with the branch head"):
        return self.service.request(operation_id=self.service.new_operation_id(), session=who or self.supervisor, member_no=self.member,
                                    tier=tier, reason=reason, ends_on=until)

    def approve(self, override_id: int, who: StaffSession):
        return self.service.approve(operation_id=self.service.new_operation_id(), session=who, override_id=override_id, note="checked")

    def tier(self) -> str:
        with self.store.context.uow() as uow:
            return uow.members.by_no(self.member).tier

    def tier_lines(self) -> list[tuple[str | None, str, str]]:
        with self.store.context.uow() as uow:
            member = uow.members.by_no(self.member)
            return [(e.rule, e.details["from_tier"], e.details["to_tier"]) for e in uow.ledger.entries_for_member(member.id) if e.kind == "tier"]

    def audit(self) -> list:
        with self.store.context.uow() as uow:
            _, rows = uow.audit.search(action="tier_override.", limit=100)
            return [SimpleNamespace(action=r.action, actor=r.actor) for r in reversed(rows)]


@pytest.fixture
def desk(tmp_path: Path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    add_branch(store.context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    service = TierOverrideService(store.context, operation_runner(store.context))
    opened = Desk(
        store, service,
        officer=add_staff(store.context, username="officer.bj", role="officer"),
        supervisor=add_staff(store.context, username="super.bj", role="supervisor"),
        supervisor2=add_staff(store.context, username="super.bj2", role="supervisor"),
        other_branch_supervisor=add_staff(store.context, username="super.sh", role="supervisor", branch_code="SH01"),
        hq_supervisor=add_staff(store.context, username="super.hq", role="supervisor", branch_code="HQ01"),
        member=add_member(store.context, name="张伟", tier="silver"),
    )
    yield opened
    store.close()


def test_a_request_changes_nothing_until_another_supervisor_approves_it(desk):
    requested = desk.request()
    assert (requested.status, requested.tier, requested.member_tier, requested.maker_username) == ("pending", "gold", "silver", "super.bj")
    assert desk.tier() == "silver" and desk.tier_lines() == []
    with pytest.raises(DomainError) as own:
        desk.approve(requested.override_id, desk.supervisor)  # the maker cannot approve
    assert own.value.code == "adjust.own_request"
    with pytest.raises(DomainError) as elsewhere:
        desk.approve(requested.override_id, desk.other_branch_supervisor)
    assert elsewhere.value.code == "adjust.other_branch"
    with pytest.raises(Forbidden):
        desk.approve(requested.override_id, desk.officer)

    approved = desk.approve(requested.override_id, desk.supervisor2)
    assert (approved.status, approved.member_tier, approved.previous_tier, approved.decided_by_username) == ("approved", "gold", "silver", "super.bj2")
    assert desk.tier() == "gold"
    assert desk.tier_lines() == [("override", "silver", "gold")]
    with desk.store.context.uow() as uow:
        assert uow.members.by_no(desk.member).last_upgrade_on is None  # an override starts no protection period
    with pytest.raises(DomainError) as twice:
        desk.approve(requested.override_id, desk.hq_supervisor)
    assert twice.value.code == "adjust.already_decided"
    assert [row.action for row in desk.audit()] == ["tier_override.request", "tier_override.approve"]

    history = MemberService(desk.store.context).history(member_no=desk.member).rows[0]
    assert (history.kind, history.description, history.points) == ("tier", "tier.override", 0)


def test_a_request_needs_a_supervisor_a_reason_a_future_end_date_and_another_tier(desk):
    with pytest.raises(Forbidden):
        desk.request(who=desk.officer)
    with pytest.raises(ValidationError) as short:
        desk.request(reason="VIP")
    assert short.value.code == "tier_override.reason_short"
    with pytest.raises(ValidationError) as past:
        desk.request(until=date(2026, 6, 10))
    assert past.value.code == "tier_override.ends_in_past"
    with pytest.raises(DomainError) as same:
        desk.request(tier="silver")
    assert same.value.code == "tier_override.same_tier"
    desk.request()
    with pytest.raises(DomainError) as second:
        desk.request(tier="platinum", who=desk.supervisor2)
    assert second.value.code == "tier_override.open"


def test_a_rejected_request_changes_nothing_and_needs_a_note(desk):
    requested = desk.request()
    with pytest.raises(ValidationError):
        desk.service.reject(operation_id=desk.service.new_operation_id(), session=desk.hq_supervisor, override_id=requested.override_id, note="")
    rejected = desk.service.reject(operation_id=desk.service.new_operation_id(), session=desk.hq_supervisor,
                                   override_id=requested.override_id, note="Not a private banking client")
    assert (rejected.status, rejected.decision_note, desk.tier()) == ("rejected", "Not a private banking client", "silver")
    assert desk.tier_lines() == []


def test_the_override_ends_on_its_end_date_and_the_review_leaves_it_alone_meanwhile(desk):
    override = desk.request(until=date(2026, 8, 15))
    desk.approve(override.override_id, desk.supervisor2)
    earning = EarningService(desk.store.context)
    july = earning.review_tiers(as_of=date(2026, 7, 1))  # Gold without Gold's points: an override in force is not reviewed
    assert (july.reviewed, july.warned, july.downgraded) == (0, 0, 0)
    assert desk.tier() == "gold"

    assert desk.service.end_due(as_of=date(2026, 8, 14)) == 0
    assert desk.service.end_due(as_of=date(2026, 8, 15)) == 1  # the end date: back to Silver
    assert desk.service.end_due(as_of=date(2026, 8, 16)) == 0
    assert desk.tier() == "silver"
    assert desk.tier_lines() == [("override", "silver", "gold"), ("override_ended", "gold", "silver")]
    [ended] = desk.service.list(statuses=("ended",))
    assert ended.override_id == override.override_id
    assert [row.action for row in desk.audit()][-1] == "tier_override.end"


def test_the_monthly_review_ends_a_due_override_before_reviewing(desk):
    override = desk.request(until=date(2026, 7, 20))
    desk.approve(override.override_id, desk.supervisor2)
    report = EarningService(desk.store.context).review_tiers(as_of=date(2026, 8, 1))
    assert desk.tier() == "silver"  # ended first, then reviewed as Silver (no qualifying points: warned)
    assert (report.reviewed, report.warned) == (1, 1)


def test_an_approval_after_the_end_date_is_refused(desk):
    override = desk.request(until=date(2026, 6, 20))
    desk.store.clock.advance(days=11)  # 2026-06-21
    with pytest.raises(DomainError) as late:
        desk.approve(override.override_id, desk.supervisor2)
    assert late.value.code == "tier_override.ended_before_approval"
    assert desk.tier() == "silver"


def test_the_command_line_requests_approves_and_lists(desk, tmp_path: Path, capsys, monkeypatch):
    from loyalty_desk.cli.main import main

    data_dir = tmp_path / "store"
    desk.store.close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    until = (date.today() + timedelta(days=90)).isoformat()

    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "tiers", "override", *args])

    assert run("request", desk.member, "--tier", "platinum", "--until", until, "--reason", "Agreed retention offer", "--user", "super.bj") == 0
    out = capsys.readouterr().out
    assert "requested" in out and "Another supervisor must approve it." in out
    override_id = out.split("#")[1].split(" ")[0]
    assert run("approve", override_id, "--user", "super.bj") == 1
    assert "made this request and cannot approve" in capsys.readouterr().err
    assert run("approve", override_id, "--user", "super.hq") == 0
    assert f"is platinum until {until}, then back to silver" in capsys.readouterr().out
    assert run("list") == 0
    assert f"approved  {desk.member} -> platinum" in capsys.readouterr().out
