"""Referral rules without a store (rules.md "Referrals"): the code's check character, the
registration refusals, the fraud patterns, the qualification boundaries and the rewards."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from loyalty_desk.domain import referrals as r
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.rules import ReferralSettings
from loyalty_desk.messages import describe

SETTINGS = ReferralSettings()
T = r.DAMM_TABLE


# ---------------------------------------------------------------------------- the check character


def test_the_quasigroup_rows_and_columns_are_permutations():
    """Exhaustive: so any single changed character changes the final value (substitutions caught)."""
    for x in range(32):
        assert sorted(T[x]) == list(range(32))
        assert sorted(T[y][x] for y in range(32)) == list(range(32))


def test_the_quasigroup_is_totally_anti_symmetric():
    """Exhaustive over every interim value c and pair x != y: (c∘x)∘y != (c∘y)∘x, so swapping two
    different adjacent characters — anywhere, the check character included — is caught."""
    for c in range(32):
        for x in range(32):
            for y in range(32):
                if x != y:
                    assert T[T[c][x]][y] != T[T[c][y]][x]


def _codes(n: int) -> list[str]:
    rng = random.Random(6)
    return [r.make_referral_code(rng.randrange(10**9)) for _ in range(n)] + [r.random_referral_code(rng.randrange) for _ in range(n)]


def test_every_single_substitution_and_adjacent_transposition_is_refused():
    """For a sample of codes, every one of the 8 × 31 substitutions and every adjacent swap."""
    for code in _codes(150):
        assert r.is_check_valid(code)
        for i in range(r.CODE_LENGTH):
            for ch in r.ALPHABET:
                if ch != code[i]:
                    assert not r.is_check_valid(code[:i] + ch + code[i + 1 :]), (code, i, ch)
        for i in range(r.CODE_LENGTH - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert not r.is_check_valid(swapped), (code, i)


def test_codes_from_serials_are_distinct_and_valid():
    serials = [*range(100_000_000, 100_050_000), 0, 999_999_999]
    codes = {r.make_referral_code(s) for s in serials}
    assert len(codes) == len(serials)
    assert all(len(c) == 8 and set(c) <= set(r.ALPHABET) and r.is_check_valid(c) for c in codes)
    assert not set("ILOU") & set("".join(codes))


def test_validation_normalises_case_spaces_and_crockford_aliases():
    code = r.make_referral_code(100_000_123)
    typed = f" {code[:4].lower()}-{code[4:]} ".replace("1", "l").replace("0", "O")
    assert r.validate_referral_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "error"),
    [("", "referral.code_required"), ("ABCU1234", "referral.code_characters"), ("ABC123", "referral.code_length")],
)
def test_malformed_codes_name_the_rule(typed, error):
    with pytest.raises(ValidationError) as caught:
        r.validate_referral_code(typed)
    assert caught.value.code == error and caught.value.field == "code"


def test_a_mistyped_character_gets_a_clear_message():
    code = r.make_referral_code(100_000_001)
    wrong = code[:2] + ("Z" if code[2] != "Z" else "Y") + code[3:]
    with pytest.raises(ValidationError) as caught:
        r.validate_referral_code(wrong)
    assert caught.value.code == "referral.code_check"
    assert describe(caught.value) == f"code: {wrong} is not a valid referral code; a character is mistyped (check character does not match)"


# ---------------------------------------------------------------------------- registration


REFERRER = r.ReferrerFacts("M1000000018", "active", r.Person("110105198001010014", "13911112222", "北京市朝阳区建国路88号1栋2单元1502室"), False, 0)
REFEREE = r.Person("310104198502020021", "15800001111", "上海市徐汇区漕溪北路1号")


def codes(**changes):
    referrer = changes.pop("referrer", REFERRER)
    referee = changes.pop("referee", REFEREE)
    existing = changes.pop("existing", ())
    problems = r.registration_problems(referee=referee, referrer=referrer, existing=existing, year=2026, settings=SETTINGS)
    return [(p.code, p.params.get("field")) for p in problems]


def test_a_clean_registration_has_no_problems():
    assert codes() == []


def test_existing_members_are_refused_by_id_and_by_mobile():
    existing = [r.ExistingMatch("id_number", "M1000000026"), r.ExistingMatch("mobile", "M1000000034")]
    assert codes(existing=existing) == [("referral.already_member", "id_number"), ("referral.already_member", "mobile")]


def test_self_referral_by_id_mobile_or_address_ignoring_spacing_and_width():
    referee = r.Person(REFERRER.person.id_number, REFERRER.person.mobile, "北京市朝阳区建国路８８号 1栋2单元1502室")
    assert codes(referee=referee) == [("referral.self_referral", f) for f in ("id_number", "mobile", "address")]


def test_staff_inactive_and_capped_referrers_are_refused():
    from dataclasses import replace

    assert codes(referrer=replace(REFERRER, is_staff=True)) == [("referral.referrer_staff", None)]
    assert codes(referrer=replace(REFERRER, status="closed")) == [("referral.referrer_inactive", None)]
    assert codes(referrer=replace(REFERRER, status="frozen")) == [("member.frozen", None)]
    assert codes(referrer=replace(REFERRER, qualified_this_year=19)) == []
    assert codes(referrer=replace(REFERRER, qualified_this_year=20)) == [("referral.referrer_cap", None)]


# ---------------------------------------------------------------------------- fraud flags


def flags(referee=REFEREE, others=(), day=date(2026, 3, 2)):
    found = r.fraud_flags(referee=referee, referrer_member_id=1, referrer=REFERRER.person, registered_on=day, others=others, settings=SETTINGS)
    return {f.flag.value: f.evidence for f in found}


def other(i, referrer=1, mobile="15899990000", address=None, day=date(2026, 3, 2)):
    return r.OtherReferral(i, referrer, mobile, address, day)


def test_the_sixth_referral_of_a_day_is_flagged_not_the_fifth():
    assert flags(others=[other(i, mobile=f"1{i}700001111") for i in range(4)]) == {}
    assert flags(others=[other(i, mobile=f"1{i}700001111") for i in range(5)]) == {"daily_volume": (0, 1, 2, 3, 4)}
    assert flags(others=[other(i, mobile=f"1{i}700001111", day=date(2026, 3, 1)) for i in range(9)]) == {}


def test_the_referrers_building_and_number_block_are_flagged():
    neighbour = r.Person(REFEREE.id_number, REFEREE.mobile, "北京市朝阳区建国路88号1栋2单元1503室")
    assert flags(referee=neighbour) == {"referrer_address": ()}
    block = r.Person(REFEREE.id_number, "13911119876", REFEREE.address)
    assert flags(referee=block) == {"phone_pattern": ()}
    assert r.building_key("朝阳区某小区") == ""  # no number: too vague to compare


def test_referees_from_one_number_block_and_one_address_are_flagged():
    assert flags(others=[other(7, mobile="15800002222")]) == {"phone_pattern": (7,)}
    assert flags(others=[other(7, mobile="15800002222", referrer=2)]) == {}  # another referrer's referee
    assert flags(others=[other(8, referrer=2, address="上海市徐汇区漕溪北路1号")]) == {"shared_address": (8,)}


# ---------------------------------------------------------------------------- qualification and rewards


D0 = date(2026, 3, 2)


@pytest.mark.parametrize(("amount", "ok"), [("99999.99", False), ("100000", True), ("100000.00", True)])
def test_financing_minimum(amount, ok):
    assert r.financing_qualifies(Decimal(amount), D0, D0 + timedelta(days=1), SETTINGS) is ok


@pytest.mark.parametrize(("day", "ok"), [(0, True), (90, True), (91, False), (-1, False)])
def test_window_is_day_0_to_day_90(day, ok):
    assert r.financing_qualifies(Decimal(100_000), D0, D0 + timedelta(days=day), SETTINGS) is ok
    assert r.card_qualifies(D0, Decimal(500), D0, D0 + timedelta(days=day), SETTINGS) is ok


def test_card_needs_activation_and_500():
    assert not r.card_qualifies(None, Decimal(900), D0, D0, SETTINGS)
    assert not r.card_qualifies(D0, Decimal("499.99"), D0, D0, SETTINGS)
    assert r.card_qualifies(D0, Decimal("500.00"), D0, D0, SETTINGS)


def test_rewards_doubled_for_financing_second_level_and_cap():
    planned = r.plan_rewards(event=r.Event.FINANCING, has_second_level=True, referrer_rewarded_this_year=0, settings=SETTINGS)
    plan = {p.role.value: (p.points, p.status.value) for p in planned}
    assert plan == {"referee": (2_000, "pending"), "referrer": (10_000, "pending"), "second_level": (500, "pending")}
    planned = r.plan_rewards(event=r.Event.CARD, has_second_level=False, referrer_rewarded_this_year=20, settings=SETTINGS)
    plan = {p.role.value: (p.points, p.status.value) for p in planned}
    assert plan == {"referee": (2_000, "pending"), "referrer": (5_000, "capped")}


def test_pending_period_and_expiry():
    assert r.available_on(D0, SETTINGS) == D0 + timedelta(days=30)
    assert not r.is_expired(D0, D0 + timedelta(days=90), SETTINGS)
    assert r.is_expired(D0, D0 + timedelta(days=91), SETTINGS)
