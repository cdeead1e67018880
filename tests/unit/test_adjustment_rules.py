"""Manual adjustment rules at their boundaries (rules.md, "Manual adjustments")."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from loyalty_desk.domain.adjustments import (
    DeciderFacts,
    RequestFacts,
    approval_completes,
    approvals_needed,
    check_cancel,
    check_decider,
    check_request,
    clean_note,
    due_for_expiry,
    expiry_time,
    from_signed,
    parse_points,
    validate_request,
)
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import AdjustmentSettings

SETTINGS = AdjustmentSettings()
NOW = datetime(2026, 6, 30, 12, 0)
MEMO = "Card spend of 6 May not credited"


def problems(**changes) -> list[tuple[str, str]]:
    form = {"direction": "credit", "points": 1_000, "reason_code": "MISSING_POINTS", "memo": MEMO, "evidence_ref": "TXN-1", "available": 10_000}
    form.update(changes)
    return [(p.code, p.field) for p in validate_request(**form, settings=SETTINGS)]


def test_a_complete_request_has_no_problems():
    assert problems() == []


def test_every_problem_is_listed_with_its_field_at_once():
    found = problems(direction="sideways", points="abc", reason_code="BONUS", memo="short", evidence_ref="")
    assert found == [
        ("adjust.direction", "direction"),
        ("adjust.reason_code", "reason_code"),
        ("adjust.points", "points"),
        ("adjust.memo_too_short", "memo"),
    ]


@pytest.mark.parametrize(("memo", "ok"), [("x" * 9, False), ("x" * 10, True), ("  spaced     ou  ", False), ("a b c d e f", True)])
def test_memo_needs_ten_characters_after_trimming(memo, ok):
    assert (problems(memo=memo) == []) is ok


@pytest.mark.parametrize(
    ("reason", "evidence", "needed"),
    [("MISSING_POINTS", "transaction_ref", True), ("SERVICE_RECOVERY", "complaint_ticket", True), ("CORRECTION", "ledger_entry", True),
     ("GOODWILL", None, False), ("FRAUD_REVERSAL", None, False)],
)
def test_evidence_is_required_where_the_reason_code_needs_it(reason, evidence, needed):
    direction = "debit" if reason == "FRAUD_REVERSAL" else "credit"
    found = validate_request(direction=direction, points=100, reason_code=reason, memo=MEMO, evidence_ref="  ", available=1_000, settings=SETTINGS)
    assert [(p.code, p.params.get("evidence")) for p in found] == ([("adjust.evidence_required", evidence)] if needed else [])


def test_goodwill_is_at_most_five_thousand():
    assert problems(reason_code="GOODWILL", points=5_000, evidence_ref=None) == []
    assert problems(reason_code="GOODWILL", points=5_001, evidence_ref=None) == [("adjust.goodwill_max", "points")]


def test_fraud_reversal_is_debit_only():
    assert problems(reason_code="FRAUD_REVERSAL", direction="credit") == [("adjust.debit_only", "direction")]
    assert problems(reason_code="FRAUD_REVERSAL", direction="debit") == []


def test_a_debit_never_goes_beyond_the_available_balance_a_credit_may():
    assert problems(direction="debit", points=10_000) == []
    assert problems(direction="debit", points=10_001) == [("adjust.beyond_available", "points")]
    assert problems(direction="credit", points=10_001) == []
    assert problems(direction="debit", points=10_001, available=None) == []  # unknown balance: checked later


@pytest.mark.parametrize(
    ("text", "value"), [("1,000", 1000), ("+20", 20), ("-500", -500), (300.0, 300), ("1.5", None), ("", None), (True, None), ("１２", None)]
)
def test_points_parse_whole_numbers_only(text, value):
    assert parse_points(text) == value


def test_signed_file_points_give_the_direction():
    assert from_signed("-500") == ("debit", 500)
    assert from_signed(1500) == ("credit", 1500)
    assert from_signed("0")[0] == ""


def test_check_request_cleans_or_raises_the_first_problem():
    cleaned = check_request(direction="DEBIT", points="2,000", reason_code="correction", memo="  wrong   posting of 3 May ",
                            evidence_ref=" LE-1 ", available=5_000, settings=SETTINGS)
    assert (cleaned.direction, cleaned.points, cleaned.reason_code, cleaned.memo, cleaned.evidence_ref, cleaned.signed_points) == (
        "debit", 2_000, "CORRECTION", "wrong posting of 3 May", "LE-1", -2_000)
    with pytest.raises(ValidationError) as raised:
        check_request(direction="credit", points=1, reason_code="GOODWILL", memo="tiny", evidence_ref=None, available=0, settings=SETTINGS)
    assert raised.value.code == "adjust.memo_too_short" and raised.value.field == "memo"


# ---------------------------------------------------------------------------- deciding


def request(**changes) -> RequestFacts:
    base = {"status": "pending", "maker_staff_id": 1, "branch_id": 10, "points": 1_000, "expires_at": NOW + timedelta(hours=1)}
    return RequestFacts(**{**base, **changes})


def decider(**changes) -> DeciderFacts:
    base = {"staff_id": 2, "role": "supervisor", "active": True, "branch_id": 10, "head_office": False, "username": "super"}
    return DeciderFacts(**{**base, **changes})


@pytest.mark.parametrize(
    ("req", "who", "code"),
    [
        ({}, {"staff_id": 1}, "adjust.own_request"),
        ({}, {"role": "officer"}, "adjust.not_supervisor"),
        ({}, {"role": "admin"}, "adjust.not_supervisor"),
        ({}, {"branch_id": 11}, "adjust.other_branch"),
        ({}, {"active": False}, "adjust.inactive_approver"),
        ({"status": "approved"}, {}, "adjust.already_decided"),
        ({"status": "cancelled"}, {}, "adjust.already_decided"),
        ({"expires_at": NOW}, {}, "adjust.expired"),
        ({"approver_ids": (2,)}, {}, "adjust.second_approver_same"),
        ({"status": "expired", "expires_at": NOW}, {"staff_id": 1}, "adjust.already_decided"),
    ],
)
def test_who_may_not_decide(req, who, code):
    with pytest.raises(DomainError) as refused:
        check_decider(request(**req), decider(**who), NOW)
    assert refused.value.code == code


def test_same_branch_or_head_office_supervisor_may_decide():
    check_decider(request(), decider(), NOW)
    check_decider(request(), decider(branch_id=1, head_office=True), NOW)


def test_fifty_thousand_needs_two_approvals():
    assert approvals_needed(49_999, SETTINGS) == 1 and approvals_needed(50_000, SETTINGS) == 2
    assert approval_completes(request(points=49_999), SETTINGS)
    assert not approval_completes(request(points=50_000), SETTINGS)
    assert approval_completes(request(points=50_000, approver_ids=(2,)), SETTINGS)


def test_cancel_by_the_maker_while_pending_only():
    check_cancel(request(), 1, NOW)
    with pytest.raises(DomainError, match=r"adjust\.cancel_not_maker"):
        check_cancel(request(), 2, NOW)
    with pytest.raises(DomainError, match=r"adjust\.already_decided"):
        check_cancel(request(status="rejected"), 1, NOW)


def test_lifetime_is_72_hours_and_the_sweep_picks_pending_past_their_time():
    created = datetime(2026, 6, 1, 8, 0)
    assert expiry_time(created, SETTINGS) == datetime(2026, 6, 4, 8, 0)
    rows = [(1, "pending", NOW), (2, "pending", NOW + timedelta(seconds=1)), (3, "approved", NOW - timedelta(days=1))]
    assert due_for_expiry(rows, NOW) == [1]


def test_reject_note_is_required():
    with pytest.raises(ValidationError, match=r"adjust\.note_required"):
        clean_note("   ", required=True)
    assert clean_note("  fine  ", required=False) == "fine"
