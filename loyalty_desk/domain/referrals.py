"""Referrals (rules.md "Referrals"): codes, registration checks, qualification, rewards, fraud flags.

Pure: no store, no clock. The service hands in the facts and gets decisions back.

Referral codes
--------------
8 characters of Crockford base32 (``0123456789ABCDEFGHJKMNPQRSTVWXYZ``): 7 payload characters and
one check character computed with the **Damm algorithm over GF(32)**. The quasigroup is
``x ∘ y = α·x ⊕ y`` in GF(2⁵) (modulus x⁵+x²+1, α = x = 2). Because α ∉ {0, 1}:

* every row and every column of the table is a permutation, so changing any single character
  (payload or check) changes the final interim value: every single substitution is caught;
* the table is totally anti-symmetric — ``(c∘x)∘y = (c∘y)∘x`` implies ``x = y`` since the two
  sides differ by ``(α+1)·(x⊕y)`` — so swapping two different adjacent characters (including the
  last payload character with the check character) is caught.

A code is valid when folding all 8 characters through the table ends at 0. The properties are
checked exhaustively over the table in ``tests/unit/test_referral_rules.py`` and, for sample codes,
over every substitution and transposition. (A weighted sum mod 32 cannot do both: a weight must be
odd to catch substitutions, and two odd weights differ by an even number, so some transpositions
would slip through. Crockford's own mod-37 check needs 37 symbols.)

Codes are made from the member's serial (``make_referral_code``) by a bijection of the serial onto
the 7-character payload space (multiplication by an odd constant mod 32⁷), so two members never
share a code and desk and central derive the same code for the same member.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import ReferralSettings

# --------------------------------------------------------------------- codes

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
PAYLOAD_LENGTH = CODE_LENGTH - 1
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's decoding aliases: I and L read as 1, O as 0. U is not a symbol at all.
_ALIASES = {"I": "1", "L": "1", "O": "0"}
_GF_MODULUS = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)
_ALPHA = 2
_PAYLOAD_SPACE = 32**PAYLOAD_LENGTH
_SCRAMBLE_MUL = 0x2F3A_5C6B_1  # odd: a bijection of Z/2^35
_SCRAMBLE_ADD = 0x1_3579_BDF1


def _gf_mul(a: int, b: int) -> int:
    result = 0
    while b:
        if b & 1:
            result ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _GF_MODULUS
    return result


# DAMM_TABLE[x][y] = α·x ⊕ y
DAMM_TABLE: tuple[tuple[int, ...], ...] = tuple(tuple(_gf_mul(_ALPHA, x) ^ y for y in range(32)) for x in range(32))


def _interim(values: Iterable[int]) -> int:
    interim = 0
    for value in values:
        interim = DAMM_TABLE[interim][value]
    return interim


def check_character(payload: str) -> str:
    """The check character to append to ``payload`` (canonical base32 characters)."""
    interim = _interim(_VALUES[ch] for ch in payload)
    # DAMM_TABLE[interim][c] == 0  <=>  c == α·interim
    return ALPHABET[_gf_mul(_ALPHA, interim)]


def is_check_valid(code: str) -> bool:
    """True when ``code`` (canonical characters) folds to 0 through the Damm table."""
    return all(ch in _VALUES for ch in code) and _interim(_VALUES[ch] for ch in code) == 0


def make_referral_code(serial: int) -> str:
    """The referral code of the member with this serial (the 9 digits of the member number)."""
    if not 0 <= serial < _PAYLOAD_SPACE:
        raise ValueError(f"referral serial out of range: {serial}")
    value = (serial * _SCRAMBLE_MUL + _SCRAMBLE_ADD) % _PAYLOAD_SPACE
    chars = []
    for _ in range(PAYLOAD_LENGTH):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    payload = "".join(reversed(chars))
    return payload + check_character(payload)


def random_referral_code(randbelow: Callable[[int], int]) -> str:
    """A code from a random source (``secrets.randbelow``): for codes not tied to a member serial."""
    payload = "".join(ALPHABET[randbelow(32)] for _ in range(PAYLOAD_LENGTH))
    return payload + check_character(payload)


def normalise_referral_code(text: str | None) -> str:
    """Upper case, spaces and dashes removed, Crockford aliases folded (I/L -> 1, O -> 0)."""
    value = unicodedata.normalize("NFKC", text or "").upper()
    value = "".join(ch for ch in value if ch not in " -\u00a0\t")
    return "".join(_ALIASES.get(ch, ch) for ch in value)


def validate_referral_code(text: str | None, field: str = "code") -> str:
    """The canonical code, or ``referral.code_required`` / ``referral.code_characters`` /
    ``referral.code_length`` / ``referral.code_check`` (a mistyped character)."""
    value = normalise_referral_code(text)
    if not value:
        raise ValidationError("referral.code_required", field=field)
    bad = sorted({ch for ch in value if ch not in _VALUES})
    if bad:
        raise ValidationError("referral.code_characters", field=field, value=value, characters="".join(bad))
    if len(value) != CODE_LENGTH:
        raise ValidationError("referral.code_length", field=field, expected=CODE_LENGTH, actual=len(value))
    if not is_check_valid(value):
        raise ValidationError("referral.code_check", field=field, value=value)
    return value


# --------------------------------------------------------------------- statuses


class Status(StrEnum):
    REGISTERED = "registered"
    QUALIFIED = "qualified"  # rewards pending
    REWARDED = "rewarded"  # rewards posted
    REJECTED = "rejected"
    FLAGGED = "flagged"  # waits for a supervisor
    EXPIRED = "expired"
    CLAWED_BACK = "clawed_back"


OPEN_STATUSES = (Status.REGISTERED, Status.FLAGGED)
COUNTED_STATUSES = (Status.QUALIFIED, Status.REWARDED)  # count toward the yearly cap


class Event(StrEnum):
    FINANCING = "financing"
    CARD = "card"


class RewardRole(StrEnum):
    REFEREE = "referee"
    REFERRER = "referrer"
    SECOND_LEVEL = "second_level"


class RewardStatus(StrEnum):
    PENDING = "pending"
    POSTED = "posted"
    CLAWED_BACK = "clawed_back"
    CAPPED = "capped"  # the referrer had reached the yearly cap: nothing is posted


class Flag(StrEnum):
    DAILY_VOLUME = "daily_volume"  # more than N referrals by one referrer in a day
    REFERRER_ADDRESS = "referrer_address"  # referee lives in the referrer's building (room varies)
    PHONE_PATTERN = "phone_pattern"  # same first 7 digits as the referrer or another of their referees
    SHARED_ADDRESS = "shared_address"  # several referees at the same address


# --------------------------------------------------------------------- normalising people


def normalise_address(text: str | None) -> str:
    """Full-width to half-width, lower case, whitespace and punctuation removed."""
    value = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in value if ch.isalnum())


_LAST_NUMBER = re.compile(r"\d+[^\d]*$")


def building_key(text: str | None) -> str:
    """The address without its last number and what follows (the room): ``…2单元1502室`` -> ``…2单元``.
    Empty when the address has no number (too vague to compare)."""
    value = normalise_address(text)
    if not _LAST_NUMBER.search(value):
        return ""
    return _LAST_NUMBER.sub("", value)


def phone_prefix(mobile: str | None) -> str:
    """The first 7 of 11 digits: the number block; the last 4 are what a SIM farm varies."""
    return (mobile or "")[:7] if mobile and len(mobile) == 11 else ""


# --------------------------------------------------------------------- registration checks


@dataclass(frozen=True)
class Person:
    id_number: str
    mobile: str
    address: str | None = None


@dataclass(frozen=True)
class ReferrerFacts:
    member_no: str
    status: str  # member status
    person: Person
    is_staff: bool  # the ID matches an active staff record
    qualified_this_year: int  # referrals counted toward the cap in the current calendar year
    freeze_reason: str | None = None  # a frozen referrer's freeze reason (domain/member_care.py)


@dataclass(frozen=True)
class ExistingMatch:
    """A member already holding the referee's ID or mobile."""

    field: str  # id_number | mobile
    member_no: str


def registration_problems(
    *, referee: Person, referrer: ReferrerFacts | None, existing: Sequence[ExistingMatch], year: int, settings: ReferralSettings
) -> list[DomainError]:
    """Every reason the registration is refused, in the order the officer should fix them."""
    problems: list[DomainError] = []
    for match in existing:
        if referrer is not None and match.member_no == referrer.member_no:
            continue  # the referrer's own ID or mobile: said below as a self-referral
        problems.append(ValidationError("referral.already_member", field=match.field, member_no=match.member_no))
    if referrer is None:
        return problems
    if referrer.status == "frozen":
        problems.append(DomainError("member.frozen", member_no=referrer.member_no, freeze_reason=referrer.freeze_reason or "", action="refer"))
    elif referrer.status != "active":
        problems.append(DomainError("referral.referrer_inactive", member_no=referrer.member_no, status=referrer.status))
    same = []
    if referee.id_number and referee.id_number == referrer.person.id_number:
        same.append("id_number")
    if referee.mobile and referee.mobile == referrer.person.mobile:
        same.append("mobile")
    if normalise_address(referee.address) and normalise_address(referee.address) == normalise_address(referrer.person.address):
        same.append("address")
    for field_name in same:
        problems.append(ValidationError("referral.self_referral", field=field_name, member_no=referrer.member_no))
    if referrer.is_staff:
        problems.append(DomainError("referral.referrer_staff", member_no=referrer.member_no))
    if referrer.qualified_this_year >= settings.yearly_cap:
        problems.append(
            DomainError("referral.referrer_cap", member_no=referrer.member_no, cap=settings.yearly_cap,
                        year=year, count=referrer.qualified_this_year)
        )
    return problems


# --------------------------------------------------------------------- fraud flags


@dataclass(frozen=True)
class OtherReferral:
    """Another referral the new one is compared with."""

    referral_id: int
    referrer_member_id: int
    referee_mobile: str
    referee_address: str | None
    registered_on: date


@dataclass(frozen=True)
class FlagFinding:
    flag: Flag
    params: dict[str, object] = field(default_factory=dict)
    evidence: tuple[int, ...] = ()  # ids of the other referrals that show the pattern

    def as_json(self) -> dict[str, object]:
        return {"code": self.flag.value, "params": dict(self.params), "evidence": list(self.evidence)}


def fraud_flags(
    *,
    referee: Person,
    referrer_member_id: int,
    referrer: Person,
    registered_on: date,
    others: Sequence[OtherReferral],
    settings: ReferralSettings,
    same_address_referees: int = 2,
) -> list[FlagFinding]:
    """The patterns of rules.md that make a registration wait for a supervisor.

    ``others`` are the earlier referrals worth comparing (the same referrer's, and any referral whose
    referee shares the new referee's address); the new one is not among them.
    """
    findings: list[FlagFinding] = []
    same_day = [o for o in others if o.referrer_member_id == referrer_member_id and o.registered_on == registered_on]
    if len(same_day) + 1 > settings.daily_flag_threshold:
        findings.append(
            FlagFinding(Flag.DAILY_VOLUME, {"count": len(same_day) + 1, "threshold": settings.daily_flag_threshold,
                                            "day": registered_on.isoformat()}, tuple(o.referral_id for o in same_day))
        )
    key = building_key(referee.address)
    if key and key == building_key(referrer.address):
        findings.append(FlagFinding(Flag.REFERRER_ADDRESS, {"building": key}))
    prefix = phone_prefix(referee.mobile)
    if prefix:
        siblings = tuple(
            o.referral_id for o in others
            if o.referrer_member_id == referrer_member_id and phone_prefix(o.referee_mobile) == prefix and o.referee_mobile != referee.mobile
        )
        if (prefix == phone_prefix(referrer.mobile) and referee.mobile != referrer.mobile) or siblings:
            findings.append(FlagFinding(Flag.PHONE_PATTERN, {"prefix": prefix}, siblings))
    address = normalise_address(referee.address)
    if address:
        sharing = tuple(o.referral_id for o in others if normalise_address(o.referee_address) == address)
        if len(sharing) + 1 >= same_address_referees:
            findings.append(FlagFinding(Flag.SHARED_ADDRESS, {"count": len(sharing) + 1}, sharing))
    return findings


# --------------------------------------------------------------------- qualification


def window_end(registered_on: date, settings: ReferralSettings) -> date:
    """The last day a qualifying event counts (day 90 after registration counts, day 91 does not)."""
    return registered_on + timedelta(days=settings.qualification_days)


def in_window(registered_on: date, event_on: date, settings: ReferralSettings) -> bool:
    return registered_on <= event_on <= window_end(registered_on, settings)


def financing_qualifies(amount: Decimal, registered_on: date, event_on: date, settings: ReferralSettings) -> bool:
    """A financing drawdown of at least the minimum within the window (the first such one qualifies)."""
    return amount >= settings.financing_minimum_cny and in_window(registered_on, event_on, settings)


def card_qualifies(
    card_approved_on: date | None, net_spend: Decimal, registered_on: date, event_on: date, settings: ReferralSettings
) -> bool:
    """A card activated and at least the minimum spent on it (net of refunds) within the window."""
    return (
        card_approved_on is not None
        and card_approved_on <= window_end(registered_on, settings)
        and net_spend >= settings.card_spend_minimum_cny
        and in_window(registered_on, event_on, settings)
    )


def is_expired(registered_on: date, as_of: date, settings: ReferralSettings) -> bool:
    return as_of > window_end(registered_on, settings)


@dataclass(frozen=True)
class RewardPlan:
    role: RewardRole
    points: int
    status: RewardStatus


def plan_rewards(
    *, event: Event, has_second_level: bool, referrer_rewarded_this_year: int, settings: ReferralSettings
) -> list[RewardPlan]:
    """Referee welcome, referrer (doubled for financing; capped per calendar year), second level.
    No deeper levels."""
    referrer_points = settings.referrer_financing_points if event is Event.FINANCING else settings.referrer_points
    capped = referrer_rewarded_this_year >= settings.yearly_cap
    plans = [
        RewardPlan(RewardRole.REFEREE, settings.referee_points, RewardStatus.PENDING),
        RewardPlan(RewardRole.REFERRER, referrer_points, RewardStatus.CAPPED if capped else RewardStatus.PENDING),
    ]
    if has_second_level:
        plans.append(RewardPlan(RewardRole.SECOND_LEVEL, settings.second_level_points, RewardStatus.PENDING))
    return plans


def available_on(event_on: date, settings: ReferralSettings) -> date:
    """Rewards sit pending for ``pending_days`` after the qualifying event."""
    return event_on + timedelta(days=settings.pending_days)


DECISION_NOTE_MAXIMUM = 500


def clean_decision_note(text: str | None, field: str = "note", maximum: int = DECISION_NOTE_MAXIMUM) -> str:
    note = (text or "").strip()
    if not note:
        raise ValidationError("referral.note_required", field=field)
    if len(note) > maximum:
        raise ValidationError("referral.note_too_long", field=field, maximum=maximum, actual=len(note))
    return note
