"""A new card's journey on the member view and in ``member --json``: days from application (the import's
applied_on, on the card_approved row) to approval against the 20-day target, the first transaction done or
not, spend so far against the 3,000 CNY target with the days left, and the points each step earns."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from factories import add_branch, add_member, open_store

from loyalty_desk.domain.earning import EarningTxn, check_transaction_row
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.members.service import MemberService

START = datetime(2026, 6, 10, 9, 0)
ACTOR = Actor("import", "test-desk")


def _txn(txn_id, member_no, on, source, amount="0", applied_on=None):
    return EarningTxn(txn_id=txn_id, member_no=member_no, occurred_on=on, source=source, amount=Decimal(amount), product="",
                      applied_on=applied_on)


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context)
    yield store
    store.close()


def test_the_journey_shows_approval_against_target_first_transaction_and_spend_with_days_left(store):
    member_no = add_member(store.context, name="张伟")
    earning, members = EarningService(store.context), MemberService(store.context)
    assert members.view(member_no=member_no).card_journey is None  # no card approved yet
    earning.post(txns=[_txn("A1", member_no, date(2026, 5, 25), Source.CARD_APPROVED, applied_on=date(2026, 5, 1))], origin="t", actor=ACTOR)
    journey = members.view(member_no=member_no).card_journey
    assert (journey.applied_on, journey.approval_days, journey.approval_target_days, journey.approval_within_target) == (
        date(2026, 5, 1), 24, 20, False)
    assert (journey.first_transaction_on, journey.first_transaction_points, journey.spend_cny) == (None, 1_000, Decimal(0))
    assert (journey.spend_target_cny, journey.spend_deadline, journey.spend_days_left, journey.spend_target_points) == (
        3_000, date(2026, 7, 29), 49, 3_000)

    earning.post(txns=[_txn("S1", member_no, date(2026, 6, 1), Source.CARD_SPEND, "1200.00"),
                       _txn("R1", member_no, date(2026, 6, 2), Source.CARD_REFUND, "200.00")], origin="t", actor=ACTOR)
    journey = members.view(member_no=member_no).card_journey
    assert (journey.first_transaction_on, journey.spend_cny, journey.spend_target_reached_on) == (date(2026, 6, 1), Decimal("1000.00"), None)
    earning.post(txns=[_txn("S2", member_no, date(2026, 6, 9), Source.CARD_SPEND, "2000.00")], origin="t", actor=ACTOR)
    journey = members.view(member_no=member_no).card_journey
    assert (journey.spend_cny, journey.spend_target_reached_on) == (Decimal("3000.00"), date(2026, 6, 9))


def test_without_the_application_date_the_approval_time_is_unknown_not_guessed(store):
    member_no = add_member(store.context, name="王芳")
    EarningService(store.context).post(txns=[_txn("A2", member_no, date(2026, 6, 1), Source.CARD_APPROVED)], origin="t", actor=ACTOR)
    journey = MemberService(store.context).view(member_no=member_no).card_journey
    assert (journey.applied_on, journey.approval_days, journey.approval_within_target) == (None, None, None)


def test_the_import_takes_applied_on_only_on_a_card_approved_row_and_not_after_the_approval():
    today = date(2026, 6, 10)
    row = {"txn_id": "A3", "member_no": "M1000000008", "date": "2026-06-01", "source": "card_approved", "applied_on": "2026-05-20"}
    txn, errors = check_transaction_row(row, today=today)
    assert errors == [] and txn.applied_on == date(2026, 5, 20)
    _, errors = check_transaction_row({**row, "applied_on": "2026-06-05"}, today=today)
    assert [(e.code, e.params["field"]) for e in errors] == [("import.applied_after_approval", "applied_on")]
    _, errors = check_transaction_row({**row, "source": "card_spend", "amount": "10", "applied_on": "2026-05-20"}, today=today)
    assert [e.code for e in errors] == ["import.applied_on_source"]
    _, errors = check_transaction_row({**row, "applied_on": "20-05-2026"}, today=today)
    assert [e.params["field"] for e in errors] == ["applied_on"]


def test_member_json_carries_the_card_journey(tmp_path, capsys):
    from loyalty_desk.cli.main import main

    folder = tmp_path / "store"
    store = open_store(folder, now=START)
    add_branch(store.context)
    member_no = add_member(store.context, name="张伟")
    EarningService(store.context).post(txns=[_txn("A4", member_no, date(2026, 6, 1), Source.CARD_APPROVED, applied_on=date(2026, 5, 22))],
                                       origin="t", actor=ACTOR)
    store.close()
    assert main(["--data-dir", str(folder), "member", member_no, "--json"]) == 0
    journey = json.loads(capsys.readouterr().out)["member"]["card_journey"]
    assert (journey["approval_days"], journey["approval_within_target"], journey["first_transaction_on"]) == (10, True, None)
    assert journey["spend_target_cny"] == 3000
    assert main(["--data-dir", str(folder), "member", member_no]) == 0
    assert "Card journey: approved in 10 days (target 20)" in capsys.readouterr().out
