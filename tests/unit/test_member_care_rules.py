"""The member maintenance rules (domain/member_care.py): freeze reasons and notes, what a freeze
refuses, who is frozen, and a mobile change's checks; and every freeze reason worded in the catalogue."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

import loyalty_desk
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.member_care import (
    NOTE_MAX_LENGTH,
    NOTE_MIN_LENGTH,
    FreezeReason,
    check_freeze,
    check_mobile_change,
    check_unfreeze,
    refuse_if_frozen,
)
from loyalty_desk.domain.redemption import MemberFacts, Reward, RewardCategory, evaluate_redemption
from loyalty_desk.domain.rules import RuleSettings, Tier
from loyalty_desk.messages import FREEZE_REASONS, FREEZE_REASONS_CONTEXT, describe

TRANSLATIONS = Path(loyalty_desk.__file__).parent.parent / "resources" / "translations" / "loyalty_desk_zh_CN.ts"


def test_a_freeze_takes_a_listed_reason_and_a_cleaned_note():
    cleaned = check_freeze(reason=" Lost_Card ", note="  card   stolen  at the ATM ", status="active")
    assert (cleaned.reason, cleaned.note) == (FreezeReason.LOST_CARD, "card stolen at the ATM")
    assert cleaned.as_payload() == {"reason": "lost_card", "note": "card stolen at the ATM"}


@pytest.mark.parametrize(("reason", "note", "code", "field"), [
    ("stolen", "card stolen at the ATM", "member.freeze_reason", "reason_code"),
    (None, "card stolen at the ATM", "member.freeze_reason", "reason_code"),
    ("lost_card", None, "identity.required", "note"),
    ("lost_card", "a" * (NOTE_MIN_LENGTH - 1), "identity.length_range", "note"),
    ("lost_card", "a" * (NOTE_MAX_LENGTH + 1), "identity.length_range", "note"),
    ("lost_card", "card\tstolen", "identity.control_character", "note"),
    ("lost_card", "+ card stolen", "identity.formula_start", "note"),
])
def test_a_bad_reason_or_note_names_its_field(reason, note, code, field):
    with pytest.raises(ValidationError) as refused:
        check_freeze(reason=reason, note=note, status=None)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_the_note_limits_are_inclusive():
    assert check_freeze(reason="deceased", note="a" * NOTE_MIN_LENGTH, status=None).note == "a" * NOTE_MIN_LENGTH
    assert len(check_unfreeze(note="b" * NOTE_MAX_LENGTH, status="frozen")) == NOTE_MAX_LENGTH


@pytest.mark.parametrize(("status", "code"), [("frozen", "member.already_frozen"), ("closed", "member.closed")])
def test_only_an_active_member_can_be_frozen(status, code):
    with pytest.raises(DomainError) as refused:
        check_freeze(reason="lost_card", note="card stolen", status=status)
    assert refused.value.code == code


def test_only_a_frozen_member_can_be_unfrozen():
    with pytest.raises(DomainError) as refused:
        check_unfreeze(note="new card issued", status="active")
    assert refused.value.code == "member.not_frozen"


def test_a_frozen_member_is_refused_with_the_reason_and_an_active_one_is_not():
    refuse_if_frozen(member_no="M1000000008", status="active", reason=None, action="redeem")
    with pytest.raises(DomainError) as refused:
        refuse_if_frozen(member_no="M1000000008", status="frozen", reason="court_order", action="refer")
    assert refused.value.params == {"member_no": "M1000000008", "freeze_reason": "court_order", "action": "refer"}
    assert describe(refused.value).startswith("The member is frozen (Court or authority order)")


def test_redemption_names_the_freeze_rather_than_a_bare_status():
    reward = Reward(code="V1", name_zh="券", name_en="Voucher", category=RewardCategory.VOUCHER, points_cost=10, cash_value=Decimal("1"))
    now = datetime(2026, 6, 10, 9, 0)
    frozen = MemberFacts(status="frozen", tier=Tier.STANDARD, available=1_000, redeemed_this_month=0, freeze_reason="lost_card")
    closed = MemberFacts(status="closed", tier=Tier.STANDARD, available=1_000, redeemed_this_month=0)
    assert [(b.code, dict(b.params)) for b in evaluate_redemption(reward, 1, frozen, None, RuleSettings(), now)] == [
        ("member.frozen", {"freeze_reason": "lost_card", "action": "redeem"})]
    assert [b.code for b in evaluate_redemption(reward, 1, closed, None, RuleSettings(), now)] == ["redeem.member_inactive"]


def test_a_new_mobile_is_read_as_the_imports_read_it_and_must_differ():
    assert check_mobile_change(mobile="+86 139-1234-5678", current="13800001111") == "13912345678"
    with pytest.raises(ValidationError) as same:
        check_mobile_change(mobile="138 0000 1111", current="13800001111")
    assert (same.value.code, same.value.field) == ("member.same_mobile", "mobile")
    with pytest.raises(ValidationError) as bad:
        check_mobile_change(mobile="+44 7700 900123", current=None)
    assert bad.value.code == "identity.mobile_format"


def test_every_freeze_reason_has_words_and_their_chinese():
    assert set(FREEZE_REASONS) == {r.value for r in FreezeReason}
    translated = {}
    for context in ET.parse(TRANSLATIONS).getroot().iter("context"):
        if context.findtext("name") == FREEZE_REASONS_CONTEXT:
            for message in context.iter("message"):
                node = message.find("translation")
                if node is not None and node.get("type") is None and node.text:
                    translated[message.findtext("source")] = node.text
    assert set(FREEZE_REASONS.values()) <= set(translated)
