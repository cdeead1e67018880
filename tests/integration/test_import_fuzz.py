"""Fuzzing the transaction import's reader: generated CSV files (encodings, BOMs, separators,
quotes, line ends, NULs and other control characters, long fields, extra and missing fields,
amounts in every shape) are imported, and the outcome is compared with an independent reading
of the same bytes written here from the documented file format (README, "Transaction file
format"), with its own CSV parser: every file is either refused (with the rows the oracle finds
bad named, and nothing posted) or posts exactly the rows the oracle reads. Never a crash."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from earning_support import ACTOR, Desk
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from loyalty_desk.domain.errors import DomainError

# ---------------------------------------------------------------------- the oracle: the documented format

COLUMNS = ("txn_id", "member_no", "date", "source", "amount", "product", "due_date", "original_txn_id")
REQUIRED = ("txn_id", "member_no", "date", "source", "amount", "product")
LIMITS = {"txn_id": 64, "original_txn_id": 64, "member_no": 20, "date": 20, "due_date": 20, "source": 24, "amount": 20, "product": 64}
OTHER_LIMIT = 500
SOURCES = {"card_spend", "card_refund", "financing", "repayment", "profile_completed", "branch_event", "survey", "card_approved"}
AMOUNT_SOURCES = {"card_spend", "card_refund", "financing"}
CONTROL = set(range(0x00, 0x20)) | set(range(0x7F, 0xA0)) | {0x2028, 0x2029}
AMOUNT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TODAY = date(2026, 6, 30)  # the test desk's clock


class Unreadable(Exception):
    """The oracle's parser met text the documented CSV dialect does not allow (the whole file is refused)."""


def decode(data: bytes) -> str | None:
    """UTF-8 (a leading BOM dropped), else GB18030; None when neither reads the bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def records(content: str) -> list[list[str]]:
    """RFC 4180 with Excel's habits: fields separated by commas, records by CR, LF or CRLF; a field
    that starts with a double quote is quoted (a doubled quote inside is one quote, line breaks are
    data), the closing quote must be followed by a comma or a line end; a quote inside an unquoted
    field is a plain character; an empty line is an empty record."""
    out: list[list[str]] = []
    i, n = 0, len(content)
    while i < n:
        fields: list[str] = []
        if content[i] in "\r\n":  # an empty line
            i += 2 if content.startswith("\r\n", i) else 1
            out.append(fields)
            continue
        while True:
            if i < n and content[i] == '"':
                i += 1
                value = []
                while True:
                    if i >= n:
                        raise Unreadable("end of file inside quotes")
                    if content[i] == '"':
                        if i + 1 < n and content[i + 1] == '"':
                            value.append('"')
                            i += 2
                            continue
                        i += 1
                        break
                    value.append(content[i])
                    i += 1
                if i < n and content[i] not in ",\r\n":
                    raise Unreadable("text after a closing quote")
                fields.append("".join(value))
            else:
                start = i
                while i < n and content[i] not in ",\r\n":
                    i += 1
                fields.append(content[start:i])
            if i < n and content[i] == ",":
                i += 1
                continue
            break  # a line end or the end of the file
        if i < n:
            i += 2 if content.startswith("\r\n", i) else 1
        out.append(fields)
    return out


@dataclass(frozen=True)
class Reading:
    refused_file: bool  # encoding, header or a CSV the reader cannot follow: nothing posted, whatever the option
    bad_rows: frozenset[int]
    valid: dict[str, tuple[str, date, str, Decimal, str]]  # txn_id -> member, date, source, amount, product


def has_control(value: str) -> bool:
    return any(ord(c) in CONTROL for c in value)


def blank(value: str) -> bool:
    return not value.strip()


def oracle(data: bytes, members: set[str]) -> Reading:
    content = decode(data)
    if content is None:
        return Reading(True, frozenset(), {})
    try:
        table = records(content)
    except Unreadable:
        return Reading(True, frozenset(), {})
    if not table or all(blank(v) for v in table[0]):
        return Reading(True, frozenset(), {})
    header = [name.strip().lower() for name in table[0]]
    named = [name for name in header if name]
    if any(has_control(name) for name in table[0]) or len(set(named)) != len(named) or not set(REQUIRED) <= set(named):
        return Reading(True, frozenset(), {})
    bad: set[int] = set()
    valid: dict[str, tuple[str, date, str, Decimal, str]] = {}
    seen_ids: set[str] = set()
    for number, record in enumerate(table[1:], start=2):
        if any(has_control(v) for v in record):
            bad.add(number)
            continue
        if all(blank(v) for v in record):
            continue
        if len(record) != len(header):
            bad.add(number)
            continue
        row = {name: record[index] for index, name in enumerate(header) if name}
        if any(len(value.strip()) > LIMITS.get(name, OTHER_LIMIT) for name, value in row.items()):
            bad.add(number)
            continue
        row = {name: value.strip() for name, value in row.items()}
        txn_id, member, day, source, amount = row["txn_id"], row["member_no"], row["date"], row["source"].lower(), row["amount"]
        ok = bool(txn_id) and member in members and source in SOURCES
        when = date.fromisoformat(day) if ISO_DATE.fullmatch(day) and _is_date(day) else None
        ok = ok and when is not None and when <= TODAY
        ok = ok and (AMOUNT.fullmatch(amount) is not None if amount else source not in AMOUNT_SOURCES)
        if source == "repayment":
            ok = False  # the generator never writes a due date
        if txn_id:
            if txn_id in seen_ids:
                ok = False
            seen_ids.add(txn_id)
        if ok:
            assert when is not None
            valid[txn_id] = (member, when, source, Decimal(amount or "0"), row["product"])
        else:
            bad.add(number)
    return Reading(False, frozenset(bad), valid)


def _is_date(text_value: str) -> bool:
    try:
        date.fromisoformat(text_value)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------- generated files

CLEAN = list("abcXYZ019 -_.网点活动é,\"'\u3000")
DIRTY = ["\x00", "\x07", "\t", "\n", "\r", "\x1f", "\x7f", "\x85", "\u2028"]
TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(CLEAN), max_size=8),
    st.text(alphabet=st.sampled_from(CLEAN), max_size=8),
    st.text(alphabet=st.sampled_from(CLEAN), max_size=8),
    st.text(alphabet=st.sampled_from(CLEAN), max_size=8),
    st.text(alphabet=st.sampled_from(CLEAN), max_size=8),
    st.text(alphabet=st.sampled_from(CLEAN + DIRTY), max_size=8),
)
AMOUNTS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
    st.integers(min_value=0, max_value=10**6).map(str),
    st.sampled_from(["1,000.00", "1.000,00", "１００", "¥100", "100 000", " 12.50 ", "1e3", ".5", "5.", "+5", "-5", "12.345", "", "1000000000000"]),
)


@st.composite
def rows(draw: st.DrawFn, members: list[str]) -> dict[str, str]:
    source = draw(st.sampled_from(["card_spend", "card_spend", "card_spend", "branch_event", "survey", "Card_Spend", "lottery", ""]))
    return {
        "txn_id": draw(st.sampled_from(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "", "L" * 70])),
        "member_no": draw(st.sampled_from(members * 4 + ["M1000000008", "M123", ""])),
        "date": draw(st.sampled_from(["2026-03-01"] * 6 + ["2026-01-31", "2026-06-30"] * 3 + ["2026-12-31", "2026-3-1", "2026/03/01", "2026-02-30", ""])),
        "source": source,
        "amount": draw(AMOUNTS) if source.lower() == "card_spend" else draw(st.one_of(st.just(""), AMOUNTS)),
        "product": draw(st.one_of(TEXT, TEXT, TEXT, TEXT, TEXT, st.text(alphabet="P网", min_size=60, max_size=70))),
        "due_date": "",
        "original_txn_id": "",
    }


def cell(value: str, mode: str) -> str:
    if mode == "always" or (mode == "auto" and any(c in value for c in ',"\r\n')):
        return '"' + value.replace('"', '""') + '"'
    return value  # "never": written raw, whatever it holds (commas make extra fields, quotes may break the file)


@st.composite
def files(draw: st.DrawFn, members: list[str], prefix: str) -> bytes:
    """The bytes of a transaction file; its transaction ids start with ``prefix``."""
    order = draw(st.permutations(COLUMNS))
    header = list(order) + (["note"] if draw(st.booleans()) else [])
    separator = draw(st.sampled_from([","] * 12 + [";"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [separator.join(cell(name, "auto") for name in header)]
    for row in draw(st.lists(rows(members), max_size=6)):
        row["txn_id"] = prefix + row["txn_id"] if row["txn_id"] else ""
        values = [row[name] for name in order] + (["x"] if len(header) > len(order) else [])
        fault = draw(st.sampled_from(["none"] * 6 + ["extra", "missing", "blank"]))
        if fault == "extra":
            values.append(draw(TEXT))
        elif fault == "missing":
            values.pop()
        elif fault == "blank":
            lines.append("")
        modes = draw(st.lists(st.sampled_from(["auto"] * 6 + ["always", "always", "never"]), min_size=len(values), max_size=len(values)))
        lines.append(separator.join(cell(v, m) for v, m in zip(values, modes, strict=True)))
    content = newline.join(lines) + (newline if draw(st.booleans()) else "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    data = content.encode(encoding)
    if draw(st.sampled_from([False] * 12 + [True])):  # a corrupt byte somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xff" + data[at:]
    return data


# ---------------------------------------------------------------------- the test


def posted(desk: Desk, prefix: str) -> dict[str, tuple[str, date, str, Decimal, str]]:
    with desk.context.uow() as uow:
        found = uow.ledger.session.execute(
            text(
                "SELECT t.txn_id, m.member_no, t.occurred_on, t.source, t.amount, t.product FROM earning_txn t "
                "JOIN member m ON m.id = t.member_id WHERE t.txn_id LIKE :prefix"
            ),
            {"prefix": prefix + "%"},
        ).all()
    return {r[0]: (r[1], r[2] if isinstance(r[2], date) else date.fromisoformat(str(r[2])), r[3], Decimal(r[4]), r[5]) for r in found}


@pytest.fixture
def members(desk: Desk) -> list[str]:
    return [desk.add_member(), desk.add_member(tier="gold")]


EXAMPLE = itertools.count()


@settings(max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), skip_invalid=st.booleans())
def test_every_generated_file_is_refused_or_posts_what_the_format_says(
    desk: Desk, members: list[str], tmp_path: Path, data: st.DataObject, skip_invalid: bool
) -> None:
    prefix = f"F{next(EXAMPLE)}-"
    content = data.draw(files(members, prefix))
    path = tmp_path / f"{prefix}feed.csv"
    path.write_bytes(content)
    expected = oracle(content, set(members))

    try:
        report = desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=skip_invalid)
    except DomainError as refusal:  # a file the reader cannot decode is refused as a whole
        event("refused: encoding")
        assert refusal.code == "import.encoding", refusal
        assert expected.refused_file and decode(content) is None
        assert posted(desk, prefix) == {}
        return

    assert report.error_report is None or Path(report.error_report).exists()
    if expected.refused_file:
        event("refused: header or unreadable CSV")
        assert not report.posted and report.problems and posted(desk, prefix) == {}
        return
    assert {p.row for p in report.problems} == expected.bad_rows, (content, report.problems)
    assert all(p.message and p.message != p.code for p in report.problems)
    event(f"rows: {len(expected.valid)} valid, {min(len(expected.bad_rows), 3)}+ bad, skip_invalid={skip_invalid}")
    if expected.bad_rows and not skip_invalid:
        assert not report.posted and posted(desk, prefix) == {}
    else:
        assert report.posted
        assert posted(desk, prefix) == expected.valid
