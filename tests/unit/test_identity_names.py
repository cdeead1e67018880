"""The identity-name rules: what a person's or a business's name and an address may hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.identity import (
    BUSINESS_NAME_MAX_LENGTH,
    PERSON_NAME_MAX_LENGTH,
    validate_address,
    validate_name,
)
from loyalty_desk.messages import MESSAGES, describe


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张伟", "张伟"),
        ("  欧阳  晓明 ", "欧阳 晓明"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽 ・ 买买提", "阿依古丽·买买提"),  # the Japanese middle dot and spaces around it
        ("Zhang Wei", "Zhang Wei"),
        ("O’Neil-Smith", "O'Neil-Smith"),  # typographic apostrophe
        ("José María Núñez", "José María Núñez"),
        ("Łukasz Żółć", "Łukasz Żółć"),
        ("Jose\u0301", "José"),  # decomposed accent, composed
    ],
)
def test_person_names_that_are_accepted(text: str, expected: str) -> None:
    assert validate_name(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        ("", "identity.required", {}),
        ("   ", "identity.required", {}),
        ("Robert'); DROP TABLE member;--😀", "identity.markup", {"character": ";"}),
        ("Robert 😀", "identity.emoji", {"character": "😀"}),
        ("张伟❤", "identity.emoji", {"character": "❤"}),
        ('=HYPERLINK("http://x","y")', "identity.formula_start", {"character": "="}),
        ("+86 Zhang", "identity.formula_start", {"character": "+"}),
        ("-Zhang", "identity.formula_start", {"character": "-"}),
        ("@Zhang", "identity.formula_start", {"character": "@"}),
        ("<b>Zhang</b>", "identity.markup", {"character": "<"}),
        ("Zhang\tWei", "identity.control_character", {"character": "U+0009", "position": 6}),
        ("Zhang\u202eWei", "identity.control_character", {"character": "U+202E"}),  # right-to-left override
        ("Zhang\u200bWei", "identity.control_character", {"character": "U+200B"}),  # zero-width space
        ("张Wei", "identity.name_script", {}),
        ("张三2", "identity.name_characters", {"character": "2"}),
        ("Zhang.Wei", "identity.name_characters", {"character": "."}),
        ("Иван Петров", "identity.name_characters", {"character": "И"}),
        ("'Neil", "identity.name_punctuation", {"character": "'"}),
        ("Jean--Luc", "identity.name_punctuation", {"character": "-"}),
        ("张伟·", "identity.name_punctuation", {"character": "·"}),
        ("张", "identity.length_range", {"minimum": 2, "maximum": PERSON_NAME_MAX_LENGTH, "actual": 1}),
        ("Wei " * 13, "identity.length_range", {"actual": 51}),
    ],
)
def test_person_names_that_are_refused_name_the_field_and_the_rule(text: str, code: str, params: dict) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_name(text, "name")
    assert refused.value.code == code
    assert refused.value.params["field"] == "name"
    assert params.items() <= refused.value.params.items()
    assert code in MESSAGES
    assert describe(refused.value).startswith("name")


def test_business_names_allow_digits_both_scripts_and_registered_punctuation() -> None:
    assert validate_name("北京星辰科技有限公司", kind="business") == "北京星辰科技有限公司"
    assert validate_name("Johnson & Johnson (China) Co., Ltd.", kind="business") == "Johnson & Johnson (China) Co., Ltd."
    assert validate_name("中信银行（CITIC）第1分理处", kind="business") == "中信银行（CITIC）第1分理处"
    for text, code in (("=1+1 Ltd", "identity.formula_start"), ("<script>", "identity.markup"), ("星辰🚀科技", "identity.emoji"),
                       ("星辰科技#1", "identity.business_name_characters"), ("星" * (BUSINESS_NAME_MAX_LENGTH + 1), "identity.length_range")):
        with pytest.raises(ValidationError) as refused:
            validate_name(text, kind="business")
        assert refused.value.code == code


def test_addresses_get_the_control_formula_and_markup_refusals() -> None:
    assert validate_address("北京市朝阳区建国路88号2单元1502室") == "北京市朝阳区建国路88号2单元1502室"
    assert validate_address("Flat 5, 12-14 Queen's Road #3") == "Flat 5, 12-14 Queen's Road #3"
    assert validate_address("  ") is None and validate_address(None) is None
    for text, code in (("=HYPERLINK(\"x\")", "identity.formula_start"), ("-1 Main St", "identity.formula_start"),
                       ("Room <script>", "identity.markup"), ("Room 5\x00", "identity.control_character"),
                       ("Room 5\nBlock 2", "identity.control_character"), ("Room 🏠 5", "identity.emoji"),
                       ("路" * 201, "identity.length_range")):
        with pytest.raises(ValidationError) as refused:
            validate_address(text)
        assert (refused.value.code, refused.value.params["field"]) == (code, "address")


@given(st.text(max_size=60))
def test_an_accepted_name_is_safe_in_any_spreadsheet_or_page(text: str) -> None:
    """Whatever is typed, a name that passes holds no control character, emoji, markup or
    formula-leading character, and passes again unchanged."""
    try:
        name = validate_name(text)
    except ValidationError:
        return
    assert name == validate_name(name)
    assert not name.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert not set(name) & set('<>"`{}[]\\|;$') and name.isprintable()
    assert len(name.replace(" ", "")) >= 2 and len(name) <= PERSON_NAME_MAX_LENGTH
