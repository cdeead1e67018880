"""Segments: each criterion counted by the database against members built to sit on either side of it,
saving as an audited operation (created, changed, a racing edit refused), bad criteria refused at
their field, and ``loyalty-desk segments``."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_member, add_staff, open_store, post_debit, post_earning
from sqlalchemy import update

from loyalty_desk.cli.main import main
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.segments import SegmentInvalid, months_back
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.segments.service import SegmentService
from loyalty_desk.store.models import Member

NOW = datetime(2026, 6, 10, 9, 0)
TODAY = NOW.date()


@pytest.fixture
def office(tmp_path: Path):
    store = open_store(tmp_path / "store", now=NOW)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    add_branch(store.context, code="SH01")
    marketer = add_staff(store.context, username="mkt.one", role="marketing", branch_code="HQ01")
    other = add_staff(store.context, username="mkt.two", role="marketing", branch_code="HQ01")
    branch_marketer = add_staff(store.context, username="mkt.bj", role="marketing", branch_code="BJ01")
    ctx = store.context
    members = {
        "gold_new": add_member(ctx, name="金新", tier="gold", joined_on=TODAY - timedelta(days=10)),
        "silver_sh": add_member(ctx, name="银沪", tier="silver", branch_code="SH01"),
        "active": add_member(ctx, name="活跃"),
        "dormant": add_member(ctx, name="沉睡"),
        "closed": add_member(ctx, name="销户", status="closed"),
    }
    post_earning(ctx, members["active"], 5000, on=TODAY - timedelta(days=5))
    post_debit(ctx, members["active"], 1000, on=TODAY - timedelta(days=3))
    post_earning(ctx, members["dormant"], 800, on=TODAY - timedelta(days=400))
    post_earning(ctx, members["gold_new"], 200, on=TODAY - timedelta(days=100))
    yield store, SegmentService(ctx, operation_runner(ctx)), marketer, other, branch_marketer, members
    store.close()


def count(service: SegmentService, session: Any, **criteria: Any) -> int:
    return service.count(session=session, fields={"criteria": criteria}).members


def test_each_criterion_counts_the_members_on_its_side(office) -> None:
    store, service, marketer, _, _, members = office
    assert count(service, marketer) == 4  # the closed account is in no segment
    assert count(service, marketer, tiers=["gold"]) == 1
    assert count(service, marketer, tiers=["gold", "silver"]) == 2
    assert count(service, marketer, branches=["SH01"]) == 1
    assert count(service, marketer, joined_within_days=30) == 1
    assert count(service, marketer, earned_within_days=30) == 1
    assert count(service, marketer, earned_within_days=120) == 2
    assert count(service, marketer, redeemed_within_days=7) == 1
    assert count(service, marketer, redeemed_within_days=2) == 0
    assert count(service, marketer, balance_min=4000) == 1
    assert count(service, marketer, balance_min=100, balance_max=1000) == 2
    assert count(service, marketer, dormant_months=6) == 2  # the dormant member and the silver one who never earned
    assert count(service, marketer, dormant_months=6, tiers=["standard"]) == 1
    assert count(service, marketer, has_referred="yes") == 0
    assert count(service, marketer, has_referred="no") == 4
    with store.context.uow() as uow:
        expiries = sorted(lot.expires_on for no in members.values() for lot in uow.ledger.lots_for_member(uow.members.by_no(no).id, open_only=True))
    soonest = (expiries[0] - TODAY).days
    assert soonest > 1 and expiries[1] > expiries[0]
    assert count(service, marketer, expiring_within_days=soonest) == 1
    assert count(service, marketer, expiring_within_days=soonest - 1) == 0
    with store.context.uow(write=True) as uow:
        member_id = uow.members.by_no(members["gold_new"]).id
        uow.ledger.session.execute(update(Member).where(Member.id == member_id).values(card_applied_on=TODAY - timedelta(days=3)))
        uow.commit()
    assert count(service, marketer, card_stage="applied") == 1
    assert count(service, marketer, card_stage="approved") == 0
    assert count(service, marketer, card_stage="no_card") == 3


def test_months_back_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_back(date(2026, 6, 10), 6) == date(2025, 12, 10)
    assert months_back(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_back(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_saving_is_an_audited_operation_and_a_racing_edit_is_refused(office) -> None:
    store, service, marketer, other, branch_marketer, _ = office
    fields = {"name_zh": "金卡会员", "name_en": "Gold members", "criteria": {"tiers": ["gold"]}}
    view = service.save(operation_id=service.new_operation_id(), session=marketer, code="gold", fields=fields)
    assert (view.code, view.version, view.described) == ("GOLD", 1, ("tier gold",))
    assert service.count(session=other, code="GOLD").members == 1
    changed = service.save(operation_id=service.new_operation_id(), session=other, code="GOLD", version=1,
                           fields={**fields, "criteria": {"tiers": ["gold", "silver"]}})
    assert (changed.version, changed.updated_by) == (2, "mkt.two")
    assert service.count(session=other, code="GOLD").members == 2
    with pytest.raises(DomainError) as stale:
        service.save(operation_id=service.new_operation_id(), session=marketer, code="GOLD", version=1, fields=fields)
    assert stale.value.code == "segment.changed"
    with pytest.raises(DomainError) as branch:
        service.save(operation_id=service.new_operation_id(), session=branch_marketer, code="MINE", fields=fields)
    assert branch.value.code == "segment.head_office_only"
    with store.context.uow() as uow:
        _, rows = uow.audit.search(action="segment.", limit=10)
        events = [(row.action, row.actor, (row.before or {}).get("criteria", {}).get("tiers"), row.after["criteria"]["tiers"])
                  for row in reversed(rows)]
    assert events == [("segment.created", "mkt.one", None, ["gold"]), ("segment.changed", "mkt.two", ["gold"], ["gold", "silver"])]


def test_bad_criteria_are_refused_at_their_fields_and_nothing_is_saved(office) -> None:
    _, service, marketer, _, _, _ = office
    bad = {"name_zh": "", "name_en": "x", "criteria": {"tiers": ["bronze"], "branches": ["NOPE"], "balance_min": "500", "balance_max": "100",
                                                          "dormant_months": "3", "earned_within_days": "30", "expiring_within_days": "-2"}}
    with pytest.raises(SegmentInvalid) as refused:
        service.save(operation_id=service.new_operation_id(), session=marketer, code="BAD", fields=bad)
    assert {(e.code, e.field) for e in refused.value.errors} == {
        ("segment.name_required", "name_zh"), ("segment.choice", "tiers"), ("segment.branch_unknown", "branches"),
        ("segment.balance_order", "balance_max"), ("segment.dormant_and_active", "dormant_months"), ("segment.range", "expiring_within_days"),
    }
    with pytest.raises(DomainError) as code:
        service.save(operation_id=service.new_operation_id(), session=marketer, code="a b", fields={**bad, "name_zh": "x"})
    assert code.value.code == "segment.code"
    assert service.list(session=marketer) == []


def test_the_segments_command(office, tmp_path, monkeypatch, capsys) -> None:
    data_dir = tmp_path / "store"
    office[0].close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)

    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "segments", *args])

    assert run("count", "--user", "mkt.one", "--tiers", "gold,silver") == 0
    assert capsys.readouterr().out.startswith("2 members on ")
    assert run("create", "GOLDSILVER", "--user", "mkt.one", "--name-zh", "金银", "--name-en", "Gold and silver", "--tiers", "gold,silver",
               "--balance-max", "100", "--balance-min", "500") == 1
    assert "must not be below the lowest balance" in capsys.readouterr().err
    assert run("create", "GOLDSILVER", "--user", "mkt.one", "--name-zh", "金银", "--name-en", "Gold and silver", "--tiers", "gold,silver") == 0
    assert "Segment GOLDSILVER saved (version 1): tier gold, silver." in capsys.readouterr().out
    assert run("list", "--user", "mkt.two") == 0
    assert "GOLDSILVER" in capsys.readouterr().out
    assert run("show", "GOLDSILVER", "--user", "mkt.two", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["count"]["members"] == 2 and shown["segment"]["criteria"]["tiers"] == ["gold", "silver"]
    assert run("count", "GOLDSILVER", "--user", "mkt.two") == 0
    assert capsys.readouterr().out.startswith("2 members on ")
