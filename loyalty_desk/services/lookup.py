"""Member lookup: one search box that understands what was typed.

What the text is taken for (``classify``):

==========================================  ==================  ==========================
typed                                       handle              searched
==========================================  ==================  ==========================
nothing (or only punctuation)               EMPTY               nothing
``M`` + 10 digits                           MEMBER_NO           member number, exact
``M`` + fewer digits                        NUMBER_PREFIX       member numbers starting so
16 digits (spaces allowed)                  CARD_NO             card number, exact
11 digits starting with 1 (+86 allowed)     MOBILE              mobile, exact
exactly 4 digits                            MOBILE_LAST4        last four of the mobile
18 characters, 17 digits + digit/X          RESIDENT_ID         ID number, exact
other 18 characters of the USCC alphabet    USCC                ID number, exact
5-20 letters and digits, with a digit       PASSPORT            ID number, exact
other digits (5-15, not yet a handle)       NUMBER_PREFIX       card / mobile / member no.
                                                                starting with them
Chinese characters                          NAME                part of the name
Latin letters (2 or more)                   NAME                start of pinyin / Latin
                                                                name, spaces removed
==========================================  ==================  ==========================

Everything shown is masked; a mistyped check digit simply finds nothing (no error while
typing). Counting stops at ``COUNT_CAP`` (2,000): a larger total is reported as 2,000 with
``total_is_lower_bound`` set, and the screen says "more than 2,000, type more". Counting all
members called 王 would cost more than the rest of the lookup, and tells the officer nothing
more. Name results are ranked within the first 500 matches (see ``LookupRepository.by_name``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.identity import (
    CARD_NO_DIGITS,
    MEMBER_NO_PREFIX,
    MEMBER_SERIAL_DIGITS,
    MOBILE_DIGITS,
    PASSPORT_MAX_LENGTH,
    PASSPORT_MIN_LENGTH,
    RESIDENT_ID_LENGTH,
    USCC_ALPHABET,
    mask_id,
    mask_mobile,
    mask_name,
    validate_mobile,
)
from loyalty_desk.domain.names import is_cjk, to_pinyin_key
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import HandleKind, LookupResult, MemberSummary
from loyalty_desk.store.repositories.lookup import DEFAULT_COUNT_CAP, LookupPage, LookupRepository, LookupRow

COUNT_CAP = DEFAULT_COUNT_CAP  # counting stops here: "more than 2,000, type more" is all the counter needs
MIN_LATIN_NAME_LETTERS = 2  # one Latin letter matches a tenth of the directory; wait for the second
MIN_NUMBER_PREFIX_DIGITS = 5  # 4 digits are the last four of a mobile
MAX_INPUT_LENGTH = 100

_SEPARATORS = re.compile(r"[\s\-]+")
_MOBILE_WITH_COUNTRY = re.compile(r"^(\+?86|0086)?1\d{10}$")
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
_PASSPORT = re.compile(rf"^(?=.*\d)[A-Z0-9]{{{PASSPORT_MIN_LENGTH},{PASSPORT_MAX_LENGTH}}}$")
_USCC_CHARS = frozenset(USCC_ALPHABET)


@dataclass(frozen=True)
class LookupQuery:
    """What a typed text was understood as, and the normalised value searched for."""

    handle: HandleKind
    value: str  # for NUMBER_PREFIX: the digits typed (without a leading M)
    member_no_prefix: bool = False  # NUMBER_PREFIX typed with the leading M


def classify(text: str) -> LookupQuery:
    """Pure: no store access. Never raises."""
    raw = (text or "").strip()[:MAX_INPUT_LENGTH]
    if not raw:
        return LookupQuery(HandleKind.EMPTY, "")
    if not raw.isascii() and is_cjk(raw):
        return LookupQuery(HandleKind.NAME, "".join(raw.split()))

    compact = _SEPARATORS.sub("", raw).upper()
    if compact.isascii() and compact.isdigit():
        return _classify_digits(compact)
    if compact.startswith(MEMBER_NO_PREFIX) and compact[1:].isascii() and compact[1:].isdigit():
        if len(compact) == 1 + MEMBER_SERIAL_DIGITS + 1:
            return LookupQuery(HandleKind.MEMBER_NO, compact)
        return LookupQuery(HandleKind.NUMBER_PREFIX, compact[1:], member_no_prefix=True)
    if compact == MEMBER_NO_PREFIX:
        return LookupQuery(HandleKind.EMPTY, "")
    if _MOBILE_WITH_COUNTRY.match(compact):
        try:
            return LookupQuery(HandleKind.MOBILE, validate_mobile(compact))
        except ValidationError:
            pass
    if len(compact) == RESIDENT_ID_LENGTH:
        if _RESIDENT_ID.match(compact):
            return LookupQuery(HandleKind.RESIDENT_ID, compact)
        if all(ch in _USCC_CHARS for ch in compact):
            return LookupQuery(HandleKind.USCC, compact)
    if _PASSPORT.match(compact):
        return LookupQuery(HandleKind.PASSPORT, compact)

    letters = to_pinyin_key(raw)
    if len(letters) >= MIN_LATIN_NAME_LETTERS:
        return LookupQuery(HandleKind.NAME, letters)
    return LookupQuery(HandleKind.EMPTY, "")


def _classify_digits(digits: str) -> LookupQuery:
    if len(digits) == CARD_NO_DIGITS:
        return LookupQuery(HandleKind.CARD_NO, digits)
    if len(digits) == MOBILE_DIGITS and digits.startswith("1"):
        return LookupQuery(HandleKind.MOBILE, digits)
    if len(digits) == 4:
        return LookupQuery(HandleKind.MOBILE_LAST4, digits)
    if len(digits) == RESIDENT_ID_LENGTH:
        return LookupQuery(HandleKind.RESIDENT_ID, digits)  # an all-digit USCC is searched the same way
    for country in ("86", "0086"):
        if len(digits) == len(country) + MOBILE_DIGITS and digits.startswith(country + "1"):
            return LookupQuery(HandleKind.MOBILE, digits[len(country) :])
    if MIN_NUMBER_PREFIX_DIGITS <= len(digits) < CARD_NO_DIGITS:
        return LookupQuery(HandleKind.NUMBER_PREFIX, digits)
    return LookupQuery(HandleKind.EMPTY, "")


# Exact handles a desk may ask head office for when it does not hold the member (a desk holds its
# region's members; docs/sync.md, "What a desk may read"), with the name central's fetch knows them by.
REMOTE_HANDLES = {
    HandleKind.MEMBER_NO: "member_no",
    HandleKind.CARD_NO: "card",
    HandleKind.MOBILE: "mobile",
    HandleKind.RESIDENT_ID: "id_number",
    HandleKind.USCC: "id_number",
    HandleKind.PASSPORT: "id_number",
}


SERVED_LIMIT = 50
SERVED_ACTIONS = (
    "redemption.redeem", "redemption.reverse", "redemption.receipt_print", "adjustment.request", "referral.register", "member.create",
    "statement.print", "statement.save", "member.reveal",
)


class LookupService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._remote: Callable[[str, str], str] | None = None

    def attach_remote(self, fetch: Callable[[str, str], str]) -> None:
        """``fetch(kind, value)`` asks head office for one member by an exact handle and keeps them
        here; it answers ``fetched``, ``absent``, ``offline`` or ``limit`` (``SyncService.fetch_member``)."""
        self._remote = fetch

    def search(self, *, text: str, limit: int | None = None) -> LookupResult:
        max_results = self._context.rules.lookup.max_results
        limit = max_results if limit is None else max(1, min(limit, max_results))
        query = classify(text)
        if query.handle is HandleKind.EMPTY:
            return LookupResult(query=text, handle=query.handle, total=0, rows=(), limit=limit)
        with self._context.uow() as uow:
            page = _run(uow.lookup, query, limit)
        remote = ""
        if page.total == 0 and self._remote is not None and query.handle in REMOTE_HANDLES:
            remote = self._remote(REMOTE_HANDLES[query.handle], query.value)
            if remote == "fetched":
                with self._context.uow() as uow:
                    page = _run(uow.lookup, query, limit)
        return LookupResult(
            query=text,
            handle=query.handle,
            total=page.total,
            rows=tuple(_summary(row) for row in page.rows),
            limit=limit,
            total_is_lower_bound=page.total_capped,
            remote=remote,
        )


    def served_today(self, *, limit: int = SERVED_LIMIT) -> tuple[MemberSummary, ...]:
        """Members served at this desk today (local day), the latest first: any redemption,
        reversal, receipt, adjustment request, referral, new member, statement or reveal recorded here."""
        now = self._context.clock()
        local_now = now.replace(tzinfo=UTC).astimezone()
        midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        since = midnight.astimezone(UTC).replace(tzinfo=None)
        with self._context.uow() as uow:
            numbers = uow.audit.members_served(desk=self._context.desk_name, actions=SERVED_ACTIONS, since=since, limit=limit)
            rows: list[LookupRow] = []
            for member_no in numbers:
                rows.extend(uow.lookup.by_member_no(member_no, limit=1).rows)
        return tuple(_summary(row) for row in rows)


def _run(repository: LookupRepository, query: LookupQuery, limit: int) -> LookupPage:
    handle, value = query.handle, query.value
    if handle is HandleKind.MEMBER_NO:
        return repository.by_member_no(value, limit=limit)
    if handle is HandleKind.CARD_NO:
        return repository.by_card_no(value, limit=limit)
    if handle is HandleKind.MOBILE:
        return repository.by_mobile(value, limit=limit)
    if handle is HandleKind.MOBILE_LAST4:
        return repository.by_mobile_last4(value, limit=limit, count_cap=COUNT_CAP)
    if handle in (HandleKind.RESIDENT_ID, HandleKind.USCC, HandleKind.PASSPORT):
        return repository.by_id_number(value, limit=limit)
    if handle is HandleKind.NUMBER_PREFIX:
        if query.member_no_prefix:
            return repository.by_number_prefix(
                member_no_prefix=MEMBER_NO_PREFIX + value, digits_prefix=None, limit=limit, count_cap=COUNT_CAP
            )
        return repository.by_number_prefix(
            member_no_prefix=MEMBER_NO_PREFIX + value if len(value) <= MEMBER_SERIAL_DIGITS + 1 else None,
            digits_prefix=value,
            limit=limit,
            count_cap=COUNT_CAP,
        )
    return repository.by_name(value, limit=limit, count_cap=COUNT_CAP)


def _summary(row: LookupRow) -> MemberSummary:
    return MemberSummary(
        member_no=row.member_no,
        masked_name=mask_name(row.name),
        masked_id=mask_id(row.id_type, row.id_number),
        masked_mobile=mask_mobile(row.mobile),
        tier=row.tier,
        balance=row.posted_balance,
        branch_code=row.branch_code,
        status=row.status,
    )
