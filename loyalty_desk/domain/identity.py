"""Identities of the programme: member, card, ID document and mobile numbers.

Validators normalise their input and return the canonical form, or raise a
``ValidationError`` whose code names the rule that failed (``identity.length``,
``identity.check_digit`` with ``expected``/``actual`` ...). Maskers produce the
display forms of ``rules.md``. The ``make_*`` helpers build valid numbers for
test and demo data and are kept cheap (the demo generator calls them millions
of times).
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum

from loyalty_desk.domain.errors import ValidationError


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"
    USCC = "uscc"
    PASSPORT = "passport"


MEMBER_NO_PREFIX = "M"
MEMBER_SERIAL_DIGITS = 9
CARD_NO_DIGITS = 16
MOBILE_DIGITS = 11
PASSPORT_MIN_LENGTH = 5
PASSPORT_MAX_LENGTH = 20

RESIDENT_ID_LENGTH = 18
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"
RESIDENT_ID_EARLIEST_BIRTH = date(1900, 1, 1)

USCC_LENGTH = 18
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUES = {ch: i for i, ch in enumerate(USCC_ALPHABET)}

# Values that describe the allowed characters in ``identity.characters`` errors.
ALLOWED_DIGITS = "0-9"
ALLOWED_RESIDENT_ID = "0-9, X"
ALLOWED_LETTERS_DIGITS = "A-Z, 0-9"

# Luhn: the digit sum of 2*d for d in 0..9.
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


# --------------------------------------------------------------------- Luhn


def luhn_check_digit(digits: str) -> str:
    """The Luhn check digit to append to ``digits`` (ASCII digits only)."""
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"Luhn payload must be ASCII digits: {digits!r}")
    total = 0
    double = True  # the rightmost payload digit is doubled once the check digit is appended
    for ch in reversed(digits):
        d = ord(ch) - 48
        total += _LUHN_DOUBLED[d] if double else d
        double = not double
    return str((10 - total % 10) % 10)


def is_luhn_valid(number: str) -> bool:
    """True when ``number`` (ASCII digits, check digit last) passes the Luhn test."""
    if len(number) < 2 or not (number.isascii() and number.isdigit()):
        return False
    return luhn_check_digit(number[:-1]) == number[-1]


# --------------------------------------------------------------------- helpers


def _required(text: str | None, field: str) -> str:
    value = "" if text is None else str(text).strip()
    if not value:
        raise ValidationError("identity.required", field=field)
    return value


def _is_ascii_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _check_length(value: str, expected: int, field: str) -> None:
    if len(value) != expected:
        raise ValidationError("identity.length", field=field, expected=expected, actual=len(value))


# --------------------------------------------------------------------- member number


def make_member_no(serial: int) -> str:
    """``M`` + ``serial`` zero-padded to 9 digits + Luhn check digit over those 9 digits."""
    if not 0 <= serial < 10**MEMBER_SERIAL_DIGITS:
        raise ValueError(f"member serial out of range: {serial}")
    body = f"{serial:09d}"
    return MEMBER_NO_PREFIX + body + luhn_check_digit(body)


# Member serials from here up are provisional: given by a desk joined to central when it holds no
# number of central's sequence (offline, its reserved block used up), until central's copy of the
# member brings the final number. Central's sequence ends below them.
PROVISIONAL_SERIAL_FROM = 900_000_000
FIRST_SERIAL = 100_000_000  # the first member serial of an empty store


def is_provisional_member_no(member_no: str | None) -> bool:
    """True for a number a desk gave while offline, which central replaces with a final one."""
    if not member_no or len(member_no) != 1 + MEMBER_SERIAL_DIGITS + 1:
        return False
    serial = member_no[1:-1]
    return serial.isdigit() and int(serial) >= PROVISIONAL_SERIAL_FROM


def validate_member_no(text: str | None, field: str = "member_no") -> str:
    value = _required(text, field).upper()
    digits = value[1:]
    if (
        not value.startswith(MEMBER_NO_PREFIX)
        or len(digits) != MEMBER_SERIAL_DIGITS + 1
        or not _is_ascii_digits(digits)
    ):
        raise ValidationError("member_no.format", field=field, value=value)
    expected = luhn_check_digit(digits[:-1])
    if digits[-1] != expected:
        raise ValidationError("identity.check_digit", field=field, expected=expected, actual=digits[-1])
    return value


# --------------------------------------------------------------------- card number


def _card_digits(text: str | None, field: str) -> str:
    return _required(text, field).replace(" ", "")


def validate_card_no(text: str | None, field: str = "card_no") -> str:
    value = _card_digits(text, field)
    if not _is_ascii_digits(value):
        raise ValidationError("identity.characters", field=field, allowed=ALLOWED_DIGITS)
    _check_length(value, CARD_NO_DIGITS, field)
    expected = luhn_check_digit(value[:-1])
    if value[-1] != expected:
        raise ValidationError("identity.check_digit", field=field, expected=expected, actual=value[-1])
    return value


def make_card_no(prefix: str, serial: int) -> str:
    """A 16-digit Luhn-valid card number: ``prefix`` + zero-padded ``serial`` + check digit."""
    width = CARD_NO_DIGITS - 1 - len(prefix)
    if width < 0 or not _is_ascii_digits(prefix) or not 0 <= serial < 10**width:
        raise ValueError(f"card prefix {prefix!r} and serial {serial} do not fit 16 digits")
    body = f"{prefix}{serial:0{width}d}"
    return body + luhn_check_digit(body)


# --------------------------------------------------------------------- resident ID (GB 11643)


def resident_id_check_char(body17: str) -> str:
    total = 0
    for ch, weight in zip(body17, RESIDENT_ID_WEIGHTS, strict=True):
        total += (ord(ch) - 48) * weight
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def _birth_date_or_none(number: str) -> date | None:
    text = number[6:14]
    if not _is_ascii_digits(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def resident_id_birth_date(number: str) -> date:
    """The birth date encoded at positions 7-14 of a resident ID number."""
    born = _birth_date_or_none(number)
    if born is None:
        raise ValidationError("identity.birth_date", field="id_number", value=number[6:14])
    return born


def validate_resident_id(text: str | None, field: str = "id_number", *, today: date | None = None) -> str:
    """GB 11643 resident ID; ``today`` bounds the birth date (defaults to the system date)."""
    value = _required(text, field).replace(" ", "").upper()
    if not (_is_ascii_digits(value[:-1]) and value[-1] in "0123456789X"):
        raise ValidationError("identity.characters", field=field, allowed=ALLOWED_RESIDENT_ID)
    _check_length(value, RESIDENT_ID_LENGTH, field)
    born = _birth_date_or_none(value)
    if born is None or born < RESIDENT_ID_EARLIEST_BIRTH or born > (today or date.today()):
        raise ValidationError("identity.birth_date", field=field, value=value[6:14])
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError("identity.check_digit", field=field, expected=expected, actual=value[17])
    return value


def make_resident_id(region6: str, birth: date, seq3: int) -> str:
    """A valid resident ID for region code, birth date and sequence number (0-999)."""
    body = f"{region6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq3:03d}"
    if len(body) != 17 or not _is_ascii_digits(body):
        raise ValueError(f"cannot build a resident ID from {region6!r}, {birth}, {seq3}")
    return body + resident_id_check_char(body)


# --------------------------------------------------------------------- USCC (GB 32100)


def uscc_check_char(body17: str) -> str:
    total = 0
    for ch, weight in zip(body17, USCC_WEIGHTS, strict=True):
        total += _USCC_VALUES[ch] * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(text: str | None, field: str = "id_number") -> str:
    value = _required(text, field).replace(" ", "").upper()
    if any(ch not in _USCC_VALUES for ch in value):
        raise ValidationError("identity.characters", field=field, allowed=USCC_ALPHABET)
    _check_length(value, USCC_LENGTH, field)
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError("identity.check_digit", field=field, expected=expected, actual=value[17])
    return value


def make_uscc(body17: str) -> str:
    """Appends the GB 32100 check character to a 17-character body."""
    if len(body17) != 17 or any(ch not in _USCC_VALUES for ch in body17):
        raise ValueError(f"USCC body must be 17 characters of {USCC_ALPHABET}: {body17!r}")
    return body17 + uscc_check_char(body17)


# --------------------------------------------------------------------- passport / other


def validate_passport(text: str | None, field: str = "id_number") -> str:
    value = _required(text, field).replace(" ", "").upper()
    if not (value.isascii() and value.isalnum()):
        raise ValidationError("identity.characters", field=field, allowed=ALLOWED_LETTERS_DIGITS)
    if not PASSPORT_MIN_LENGTH <= len(value) <= PASSPORT_MAX_LENGTH:
        raise ValidationError(
            "identity.length_range",
            field=field,
            minimum=PASSPORT_MIN_LENGTH,
            maximum=PASSPORT_MAX_LENGTH,
            actual=len(value),
        )
    return value


def validate_id(id_type: IdType | str, text: str | None, field: str = "id_number", *, today: date | None = None) -> str:
    try:
        kind = IdType(id_type)
    except ValueError:
        raise ValidationError(
            "identity.id_type", field="id_type", value=str(id_type), allowed=", ".join(t.value for t in IdType)
        ) from None
    if kind is IdType.RESIDENT_ID:
        return validate_resident_id(text, field, today=today)
    if kind is IdType.USCC:
        return validate_uscc(text, field)
    return validate_passport(text, field)


# --------------------------------------------------------------------- mobile


def validate_mobile(text: str | None, field: str = "mobile") -> str:
    """11 digits starting with 1; spaces, dashes and a +86 / 0086 country prefix are removed."""
    value = _required(text, field)
    for separator in (" ", "-", "\u00a0"):
        value = value.replace(separator, "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and len(value) == MOBILE_DIGITS + 2:
        value = value[2:]
    if value.startswith("+"):  # another country's prefix: not a mainland mobile
        raise ValidationError("identity.mobile_format", field=field)
    if not _is_ascii_digits(value):
        raise ValidationError("identity.characters", field=field, allowed=ALLOWED_DIGITS)
    if len(value) != MOBILE_DIGITS or not value.startswith("1"):
        raise ValidationError("identity.mobile_format", field=field)
    return value


# --------------------------------------------------------------------- masking


def mask_card(card: str) -> str:
    """``6222 **** **** 1234``."""
    digits = card.replace(" ", "")
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_id(id_type: IdType | str, number: str) -> str:
    """First 6 and last 4 for resident IDs and USCCs; last 4 only for passports."""
    if IdType(id_type) is IdType.PASSPORT:
        return "*" * max(len(number) - 4, 0) + number[-4:]
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_mobile(mobile: str) -> str:
    """``138****5678``."""
    return mobile[:3] + "****" + mobile[-4:]


def _has_cjk(text: str) -> bool:
    return any(
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch <= "\U0003134f"
        for ch in text
    )


BUSINESS_NAME_MIN_LENGTH = 5  # CJK names longer than 4 characters are business names


def mask_name(name: str) -> str:
    """张伟 -> 张*, 张晓明 -> 张**, Zhang Wei -> Zhang W., 北京星辰科技有限公司 -> 北京******公司."""
    name = name.strip()
    if not name:
        return name
    if _has_cjk(name):
        if len(name) >= BUSINESS_NAME_MIN_LENGTH:
            return name[:2] + "*" * (len(name) - 4) + name[-2:]
        return name[0] + "*" * (len(name) - 1)
    first, *others = name.split()
    return " ".join([first, *(f"{word[0]}." for word in others)])


# --------------------------------------------------------------------- names and addresses
#
# The name of a person or a business as it is registered (member import, referral, staff).
# A person's name is written in one script: Chinese characters (a transliterated name joins its
# parts with the middle dot, 阿依古丽·买买提), or Latin letters, accented ones included, with
# spaces and an apostrophe or a hyphen between letters (O'Neil, Jean-Luc). A business name may
# also hold digits, both scripts and the punctuation of registered names: ( ) （ ） . , & ' -.
# Neither may hold control characters, emoji, markup characters, or begin with a character a
# spreadsheet takes for a formula; an address gets the same refusals and a length limit.

NAME_MIN_LENGTH = 2
PERSON_NAME_MAX_LENGTH = 50
BUSINESS_NAME_MAX_LENGTH = 100
ADDRESS_MAX_LENGTH = 200
MIDDLE_DOT = "\u00b7"
FORMULA_LEADERS = ("=", "+", "-", "@")
MARKUP_CHARACTERS = frozenset('<>"`{}[]\\|;$')
_VARIANTS = {
    "\u30fb": MIDDLE_DOT, "\uff65": MIDDLE_DOT, "\u2022": MIDDLE_DOT, "\u2027": MIDDLE_DOT, "\u22c5": MIDDLE_DOT,
    "\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u3000": " ", "\u00a0": " ",
}
_PERSON_JOINERS = frozenset({"'", "-"})  # between two Latin letters
_BUSINESS_PUNCTUATION = frozenset("().,&'-\uff08\uff09" + MIDDLE_DOT)
ALLOWED_PERSON_NAME = "Chinese characters (parts joined by ·), or Latin letters with spaces and ' or - between letters"
ALLOWED_BUSINESS_NAME = "Chinese characters, Latin letters, digits, spaces and ( ) . , & ' - ·"


def is_han(ch: str) -> bool:
    """A Chinese character (CJK unified ideographs, extensions, compatibility ideographs, 〇)."""
    return (
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f" or ch == "\u3007"
    )


def is_latin_letter(ch: str) -> bool:
    """A Latin letter, accented ones included (é, ü, ø, ł)."""
    if ch.isascii():
        return ch.isalpha()
    return unicodedata.category(ch).startswith("L") and unicodedata.name(ch, "").startswith("LATIN ")


def _shown(ch: str) -> str:
    """A character as a message can show it: control and invisible ones as U+XXXX."""
    visible = ch.isprintable() and not unicodedata.category(ch).startswith(("Z", "C", "M"))
    return ch if visible else f"U+{ord(ch):04X}"


def _is_emoji_or_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Co") or "\U0001f000" <= ch <= "\U0001faff" or ch in "\ufe0f\u20e3"


def _refuse_unsafe(value: str, field: str) -> None:
    """The refusals names and addresses share; the first offending character is named."""
    if value.startswith(FORMULA_LEADERS):
        raise ValidationError("identity.formula_start", field=field, character=value[0])
    for position, ch in enumerate(value, start=1):
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Cn", "Zl", "Zp"):
            raise ValidationError("identity.control_character", field=field, character=_shown(ch), position=position)
        if _is_emoji_or_symbol(ch):
            raise ValidationError("identity.emoji", field=field, character=_shown(ch), position=position)
        if ch in MARKUP_CHARACTERS:
            raise ValidationError("identity.markup", field=field, character=ch, position=position)


def _normalised(text: str | None) -> str:
    """NFC, one spelling of the middle dot, apostrophe and hyphen, one space between words.
    Only spaces are collapsed: tabs, line breaks and other control characters stay, to be refused."""
    value = unicodedata.normalize("NFC", "" if text is None else str(text)).strip()
    for variant, canonical in _VARIANTS.items():
        value = value.replace(variant, canonical)
    return " ".join(part for part in value.split(" ") if part)


def validate_name(text: str | None, field: str = "name", *, kind: str = "person") -> str:
    """A person's (``kind="person"``) or a business's name, normalised, or a ``ValidationError``
    naming the rule: ``identity.required``, ``identity.control_character``, ``identity.emoji``,
    ``identity.markup``, ``identity.formula_start``, ``identity.name_script``,
    ``identity.name_characters`` (``identity.business_name_characters``), ``identity.name_punctuation``
    or ``identity.length_range``."""
    value = _normalised(text)
    if not value:
        raise ValidationError("identity.required", field=field)
    _refuse_unsafe(value, field)
    if kind == "business":
        for ch in value:
            if not (is_han(ch) or is_latin_letter(ch) or "0" <= ch <= "9" or ch == " " or ch in _BUSINESS_PUNCTUATION):
                raise ValidationError("identity.business_name_characters", field=field, character=_shown(ch), allowed=ALLOWED_BUSINESS_NAME)
        maximum = BUSINESS_NAME_MAX_LENGTH
    else:
        han = any(is_han(ch) for ch in value)
        if han and any(is_latin_letter(ch) for ch in value):
            raise ValidationError("identity.name_script", field=field)
        if han:  # 阿依古丽 · 买买提 -> 阿依古丽·买买提
            value = value.replace(" " + MIDDLE_DOT, MIDDLE_DOT).replace(MIDDLE_DOT + " ", MIDDLE_DOT)
        letter = is_han if han else is_latin_letter
        for index, ch in enumerate(value):
            if letter(ch) or ch == " ":
                continue
            if ch == MIDDLE_DOT or (ch in _PERSON_JOINERS and not han):
                before = value[index - 1] if index > 0 else ""
                after = value[index + 1] if index + 1 < len(value) else ""
                if before and after and letter(before) and letter(after):
                    continue
                raise ValidationError("identity.name_punctuation", field=field, character=ch)
            raise ValidationError("identity.name_characters", field=field, character=_shown(ch), allowed=ALLOWED_PERSON_NAME)
        maximum = PERSON_NAME_MAX_LENGTH
    if len(value.replace(" ", "")) < NAME_MIN_LENGTH or len(value) > maximum:
        raise ValidationError("identity.length_range", field=field, minimum=NAME_MIN_LENGTH, maximum=maximum, actual=len(value))
    return value


def validate_address(text: str | None, field: str = "address") -> str | None:
    """An optional postal address, one space between words; ``None`` when empty. Refused:
    control characters, emoji, markup characters, a formula-leading first character, more
    than ``ADDRESS_MAX_LENGTH`` characters."""
    value = _normalised(text)
    if not value:
        return None
    _refuse_unsafe(value, field)
    if len(value) > ADDRESS_MAX_LENGTH:
        raise ValidationError("identity.length_range", field=field, minimum=1, maximum=ADDRESS_MAX_LENGTH, actual=len(value))
    return value


def validate_note(text: str | None, field: str = "note", *, minimum: int, maximum: int) -> str:
    """A free-text note kept on a record (why a member was frozen, ...), one space between words.
    Refused like an address (control characters, emoji, markup, a formula-leading first character)
    and outside ``minimum``..``maximum`` characters (``identity.required`` when empty)."""
    value = _normalised(text)
    if not value:
        raise ValidationError("identity.required", field=field)
    _refuse_unsafe(value, field)
    if not minimum <= len(value) <= maximum:
        raise ValidationError("identity.length_range", field=field, minimum=minimum, maximum=maximum, actual=len(value))
    return value
