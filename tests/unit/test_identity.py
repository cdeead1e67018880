from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.identity import (
    IdType,
    is_luhn_valid,
    luhn_check_digit,
    make_card_no,
    make_member_no,
    make_resident_id,
    make_uscc,
    mask_card,
    mask_id,
    mask_mobile,
    mask_name,
    resident_id_birth_date,
    validate_card_no,
    validate_id,
    validate_member_no,
    validate_mobile,
    validate_passport,
    validate_resident_id,
    validate_uscc,
)
from loyalty_desk.messages import describe

TODAY = date(2026, 11, 22)
KNOWN_RESIDENT_ID = "11010519491231002X"
KNOWN_USCC = "91350100M000100Y43"


def refused(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        func(*args, **kwargs)
    return caught.value


# ------------------------------------------------------------------ Luhn


def test_luhn_known_numbers():
    assert is_luhn_valid("79927398713")
    assert not is_luhn_valid("79927398710")
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_check_digit("0") == "0"


def test_luhn_rejects_non_digits():
    assert not is_luhn_valid("7992739871a")
    assert not is_luhn_valid("")
    with pytest.raises(ValueError):
        luhn_check_digit("12a")


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_luhn_round_trip(payload: str):
    number = payload + luhn_check_digit(payload)
    assert is_luhn_valid(number)
    wrong = str((int(number[-1]) + 1) % 10)
    assert not is_luhn_valid(number[:-1] + wrong)


@given(st.text(alphabet="0123456789", min_size=2, max_size=20), st.data())
def test_luhn_detects_any_single_digit_change(payload: str, data: st.DataObject):
    number = payload + luhn_check_digit(payload)
    position = data.draw(st.integers(0, len(number) - 1))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    assert not is_luhn_valid(number[:position] + replacement + number[position + 1 :])


# ------------------------------------------------------------------ member number


def test_member_no_is_m_nine_digits_and_luhn_digit():
    number = make_member_no(100000001)
    # Standard Luhn over "100000001" gives 6; rules.md's example M1000000018 does not pass Luhn.
    assert number == "M1000000016"
    assert validate_member_no(number) == number
    assert make_member_no(0) == "M0000000000"


def test_rules_md_member_example_fails_luhn_with_expected_digit():
    error = refused(validate_member_no, "M1000000018")
    assert error.code == "identity.check_digit"
    assert error.params == {"field": "member_no", "expected": "6", "actual": "8"}
    assert describe(error) == "member_no: check digit should be 6, not 8"


def test_member_no_normalises_case_and_spaces():
    assert validate_member_no("  m1000000016 ") == "M1000000016"


@pytest.mark.parametrize("text", ["1000000016", "M100000001", "M10000000166", "MA000000016", "X1000000016"])
def test_member_no_format(text: str):
    error = refused(validate_member_no, text, field="referrer")
    assert error.code == "member_no.format"
    assert error.field == "referrer"


@pytest.mark.parametrize("text", ["", "   ", None])
def test_member_no_required(text):
    assert refused(validate_member_no, text).code == "identity.required"


def test_make_member_no_range():
    with pytest.raises(ValueError):
        make_member_no(10**9)
    with pytest.raises(ValueError):
        make_member_no(-1)


@given(st.integers(0, 10**9 - 1))
def test_member_no_round_trip(serial: int):
    assert validate_member_no(make_member_no(serial)) == make_member_no(serial)


# ------------------------------------------------------------------ card number


def test_card_no_valid_with_spaces():
    card = make_card_no("622202", 1234)
    spaced = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    assert validate_card_no(spaced) == card


def test_card_no_wrong_check_digit_says_what_it_should_be():
    card = make_card_no("622202", 1234)
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    error = refused(validate_card_no, wrong)
    assert error.code == "identity.check_digit"
    assert error.params == {"field": "card_no", "expected": card[-1], "actual": wrong[-1]}


def test_card_no_length_and_characters():
    error = refused(validate_card_no, "4242 4242 4242 424")
    assert (error.code, error.params["expected"], error.params["actual"]) == ("identity.length", 16, 15)
    assert refused(validate_card_no, "4242-4242-4242-4242").code == "identity.characters"
    assert refused(validate_card_no, "").code == "identity.required"


def test_mask_card():
    assert mask_card("6222021234561234") == "6222 **** **** 1234"
    assert mask_card("6222 0212 3456 1234") == "6222 **** **** 1234"


@given(st.text(alphabet="0123456789", min_size=1, max_size=8), st.integers(0, 10**7 - 1))
def test_make_card_no_always_valid(prefix: str, serial: int):
    card = make_card_no(prefix, serial)
    assert len(card) == 16 and card.startswith(prefix)
    assert validate_card_no(card) == card


def test_make_card_no_refuses_overflow():
    with pytest.raises(ValueError):
        make_card_no("622202", 10**9)


# ------------------------------------------------------------------ resident ID


def test_known_resident_id_is_valid_and_lowercase_x_normalised():
    assert validate_resident_id(KNOWN_RESIDENT_ID, today=TODAY) == KNOWN_RESIDENT_ID
    assert validate_resident_id("11010519491231002x", today=TODAY) == KNOWN_RESIDENT_ID
    assert resident_id_birth_date(KNOWN_RESIDENT_ID) == date(1949, 12, 31)


def test_resident_id_check_digit_message():
    error = refused(validate_resident_id, "110105194912310027", today=TODAY)
    assert error.code == "identity.check_digit"
    assert error.params == {"field": "id_number", "expected": "X", "actual": "7"}
    assert describe(error) == "id_number: check digit should be X, not 7"


@pytest.mark.parametrize(
    "birth",
    ["19491331", "19490230", "18991231", "20261123", "00000000"],
)
def test_resident_id_birth_date_rules(birth: str):
    body = "110105" + birth + "002"
    # a correct check character so that only the birth date is wrong
    from loyalty_desk.domain.identity import resident_id_check_char

    error = refused(validate_resident_id, body + resident_id_check_char(body), today=TODAY)
    assert error.code == "identity.birth_date"
    assert error.params["value"] == birth


def test_resident_id_birth_date_boundaries():
    assert validate_resident_id(make_resident_id("110105", date(1900, 1, 1), 1), today=TODAY)
    assert validate_resident_id(make_resident_id("110105", TODAY, 1), today=TODAY)
    assert validate_resident_id(make_resident_id("110105", date(2000, 2, 29), 1), today=TODAY)


def test_resident_id_length_and_characters():
    error = refused(validate_resident_id, "11010519491231002", today=TODAY)
    assert error.code == "identity.length" and error.params["actual"] == 17
    assert refused(validate_resident_id, "1101051949123100X2", today=TODAY).code == "identity.characters"
    assert refused(validate_resident_id, "11010519491231002Y", today=TODAY).code == "identity.characters"


@given(
    st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    st.dates(date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)
def test_resident_id_round_trip(region: str, birth: date, seq: int):
    number = make_resident_id(region, birth, seq)
    assert validate_resident_id(number, today=TODAY) == number
    assert resident_id_birth_date(number) == birth


def test_mask_resident_id_rules_md_example():
    # A valid ID whose last four are 123X, as in rules.md's display example.
    number = next(
        n
        for day in range(1, 29)
        if (n := make_resident_id("110105", date(1990, 1, day), 123)).endswith("123X")
    )
    assert mask_id(IdType.RESIDENT_ID, number) == "110105********123X"
    assert mask_id("resident_id", KNOWN_RESIDENT_ID) == "110105********002X"


# ------------------------------------------------------------------ USCC


def test_known_uscc_is_valid():
    assert validate_uscc(KNOWN_USCC) == KNOWN_USCC
    assert validate_uscc(KNOWN_USCC.lower()) == KNOWN_USCC
    assert make_uscc(KNOWN_USCC[:17]) == KNOWN_USCC


def test_uscc_check_char_message():
    error = refused(validate_uscc, KNOWN_USCC[:17] + "4")
    assert error.code == "identity.check_digit"
    assert error.params == {"field": "id_number", "expected": "3", "actual": "4"}


def test_uscc_alphabet_excludes_i_o_z_s_v():
    for letter in "IOZSV":
        assert refused(validate_uscc, letter + KNOWN_USCC[1:]).code == "identity.characters"
    assert refused(validate_uscc, KNOWN_USCC[:-1]).code == "identity.length"


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_uscc_round_trip(body: str):
    assert validate_uscc(make_uscc(body)) == make_uscc(body)


def test_mask_uscc_first_six_last_four():
    assert mask_id(IdType.USCC, KNOWN_USCC) == "913501********0Y43"


# ------------------------------------------------------------------ passport / validate_id


def test_passport_rules():
    assert validate_passport(" e1234 5678 ") == "E12345678"
    assert refused(validate_passport, "E123").code == "identity.length_range"
    assert refused(validate_passport, "E" * 21).code == "identity.length_range"
    assert validate_passport("E" * 20) == "E" * 20
    assert validate_passport("AB123") == "AB123"
    assert refused(validate_passport, "E1234-567").code == "identity.characters"
    assert refused(validate_passport, "护照12345").code == "identity.characters"


def test_mask_passport_last_four():
    assert mask_id(IdType.PASSPORT, "E12341234") == "*****1234"


def test_validate_id_dispatches_by_type():
    assert validate_id(IdType.RESIDENT_ID, KNOWN_RESIDENT_ID, today=TODAY) == KNOWN_RESIDENT_ID
    assert validate_id("uscc", KNOWN_USCC) == KNOWN_USCC
    assert validate_id("passport", "g12345678") == "G12345678"
    error = refused(validate_id, "driving_licence", "123456")
    assert error.code == "identity.id_type" and error.field == "id_type"
    assert refused(validate_id, IdType.USCC, KNOWN_RESIDENT_ID, field="referee_id").field == "referee_id"


# ------------------------------------------------------------------ mobile


@pytest.mark.parametrize(
    "text", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678", "008613812345678", "8613812345678"]
)
def test_mobile_normalised(text: str):
    assert validate_mobile(text) == "13812345678"


@pytest.mark.parametrize("text", ["23812345678", "1381234567", "138123456789", "+85213812345678"])
def test_mobile_format(text: str):
    error = refused(validate_mobile, text)
    assert error.code == "identity.mobile_format"
    assert error.field == "mobile"


def test_mobile_characters_and_required():
    assert refused(validate_mobile, "138abcd5678").code == "identity.characters"
    assert refused(validate_mobile, " ").code == "identity.required"


def test_mask_mobile():
    assert mask_mobile("13812345678") == "138****5678"


# ------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张伟", "张*"),
        ("张晓明", "张**"),
        ("欧阳娜娜", "欧***"),
        ("北京星辰科技有限公司", "北京******公司"),
        ("Zhang Wei", "Zhang W."),
        ("Mary Ann Smith", "Mary A. S."),
        ("Madonna", "Madonna"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str):
    assert mask_name(name) == masked
