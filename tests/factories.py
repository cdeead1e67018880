"""Test data on a temp SQLite store: branches, staff, members with valid identities, points.

    store = open_store(tmp_path)
    add_branch(store.context, code="BJ01")
    member_no = add_member(store.context, name="张伟", branch_code="BJ01")
    post_earning(store.context, member_no, 1_000, on=date(2026, 5, 1))

Everything goes through the unit of work, the repositories and ``services.ledger.Ledger``,
so what the tests read back is what the application would have written. Identities are
derived from the member's serial (member number, card, mobile, resident ID), so a store
built twice the same way holds the same numbers.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from loyalty_desk.domain.identity import (
    make_card_no,
    make_member_no,
    make_resident_id,
    make_uscc,
)
from loyalty_desk.domain.names import member_name_keys, to_pinyin_key
from loyalty_desk.domain.rules import RuleSettings
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.passwords import hash_password
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.services.signing import KdfParams
from loyalty_desk.services.staff_keys import issue_credential, unlock_key
from loyalty_desk.store.db import LOCAL_STORE_FILENAME, Database
from loyalty_desk.store.models import Branch, Member, Staff
from loyalty_desk.store.uow import UnitOfWork, uow_factory

NOW = datetime(2026, 6, 30, 12, 0, 0)
# Test accounts wrap their keys with a light argon2id (the parameters are stored with each key; the
# application's own accounts use the RFC 9106 profile).
TEST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
DEFAULT_PASSWORD = "Correct-Horse-7"
FIRST_SERIAL = 100_000_000
CARD_PREFIX = "622202"
REGION = "110105"


@dataclass
class FixedClock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class LocalStore:
    database: Database
    context: ServiceContext
    clock: FixedClock

    def close(self) -> None:
        self.database.dispose()


@cache
def _empty_store_file() -> Path:
    """A store at the newest migration with no rows, made once per test session."""
    folder = Path(tempfile.mkdtemp(prefix="ld-empty-store-"))
    atexit.register(shutil.rmtree, folder, True)
    Database.open_local(folder).dispose()
    return folder / LOCAL_STORE_FILENAME


def place_empty_store(data_dir: Path) -> bool:
    """A folder with no store gets a copy of a store the migrations built once for the session
    (instead of running them again); True when it did, and the store needs no upgrade."""
    store_file = data_dir / LOCAL_STORE_FILENAME
    if store_file.exists():
        return False
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_empty_store_file(), store_file)
    return True


def open_store(data_dir: Path, *, now: datetime = NOW, desk_name: str = "test-desk") -> LocalStore:
    """A fresh local store in ``data_dir`` with a fixed clock and default rule settings."""
    database = Database.open_local(data_dir, upgrade=not place_empty_store(data_dir))
    factory = uow_factory(database)
    clock = FixedClock(now)
    context = ServiceContext(uow=factory, settings=SettingsService(factory, clock), desk_name=desk_name, clock=clock)
    return LocalStore(database, context, clock)


# ---------------------------------------------------------------------- branches and staff


def add_branch(
    context: ServiceContext,
    *,
    code: str = "BJ01",
    name_zh: str = "北京分行营业部",
    name_en: str = "Beijing Main Branch",
    head_office: bool = False,
) -> int:
    with context.uow(write=True) as uow:
        branch = uow.reference.add_branch(Branch(code=code, name_zh=name_zh, name_en=name_en, is_head_office=head_office))
        uow.commit()
        return branch.id


@cache
def _password_hash(password: str) -> str:
    return hash_password(password)


def add_staff(
    context: ServiceContext,
    *,
    username: str,
    role: str = "officer",
    branch_code: str = "BJ01",
    display_name: str | None = None,
    password: str = DEFAULT_PASSWORD,
    id_number: str | None = None,
    mobile: str | None = None,
) -> StaffSession:
    """Adds an active staff account with its credential and signing key; returns the session it
    would have once signed in, its key unlocked in the context's keyring as a sign-in leaves it."""
    with context.uow(write=True) as uow:
        branch = _branch(uow, branch_code)
        staff = uow.staff.add(
            Staff(
                username=username,
                display_name=display_name or username,
                role=role,
                branch_id=branch.id,
                active=True,
                failed_sign_ins=0,
                must_change_password=False,
                id_number=id_number,
                mobile=mobile,
                created_at=context.clock(),
            )
        )
        credential = issue_credential(uow, staff, password, staff.created_at, password_hash=_password_hash(password), kdf=TEST_KDF)
        uow.commit()
        context.keyring.put(unlock_key(uow, credential, password, staff.created_at))
        return StaffSession(
            staff_id=staff.id,
            username=staff.username,
            display_name=staff.display_name,
            role=staff.role,
            branch_code=branch.code,
            branch_name_zh=branch.name_zh,
            branch_name_en=branch.name_en,
        )


def carry_sign_ins(context: ServiceContext, services: Any, *sessions: StaffSession) -> None:
    """``sessions`` signed in at ``services`` too (another set of services over the same store): their
    unlocked keys put in its keyring, as a sign-in there would."""
    for session in sessions:
        key = context.keyring.get(session.staff_id)
        assert key is not None, session.username
        services.auth.keyring.put(key)


# ---------------------------------------------------------------------- members


def mobile_for(serial: int) -> str:
    return f"139{serial % 10**8:08d}"


def card_for(serial: int) -> str:
    return make_card_no(CARD_PREFIX, serial % 10**9)


def resident_id_for(serial: int) -> str:
    return make_resident_id(REGION, date(1970, 1, 1) + timedelta(days=serial % 15_000), serial % 1000)


def uscc_for(serial: int) -> str:
    return make_uscc(f"91110105MA{serial % 10**7:07d}")


def add_member(
    context: ServiceContext,
    *,
    name: str = "张伟",
    branch_code: str = "BJ01",
    serial: int | None = None,
    kind: str = "person",
    id_type: str = "resident_id",
    id_number: str | None = None,
    mobile: str | None = None,
    card_no: str | None = "",
    tier: str = "standard",
    status: str = "active",
    joined_on: date = date(2024, 1, 1),
    last_upgrade_on: date | None = None,
    referral_code: str | None = None,
    address: str | None = None,
) -> str:
    """Adds a member and their name keys; returns the member number.

    Unless given, the serial follows the highest member number in the store and the card,
    mobile and ID number are derived from it (``card_no=None`` for a member without a card).
    """
    with context.uow(write=True) as uow:
        branch_id = _branch_id(uow, branch_code)
        if serial is None:
            highest = uow.members.max_member_no()
            serial = int(highest[1:-1]) + 1 if highest else FIRST_SERIAL
        if id_number is None:
            id_number = {"resident_id": resident_id_for, "uscc": uscc_for}.get(id_type, lambda s: f"E{s:08d}")(serial)
        mobile = mobile or mobile_for(serial)
        member_no = make_member_no(serial)
        uow.members.add(
            Member(
                member_no=member_no,
                kind=kind,
                name=name,
                name_pinyin=to_pinyin_key(name),
                id_type=id_type,
                id_number=id_number,
                mobile=mobile,
                mobile_last4=mobile[-4:],
                card_no=card_for(serial) if card_no == "" else card_no,
                address=address,
                branch_id=branch_id,
                status=status,
                tier=tier,
                last_upgrade_on=last_upgrade_on,
                joined_on=joined_on,
                referral_code=referral_code,
                posted_balance=0,
                held_points=0,
                created_at=context.clock(),
            ),
            member_name_keys(name),
        )
        uow.commit()
        return member_no


def set_held_points(context: ServiceContext, member_no: str, points: int) -> None:
    """Points held by pending operations (until the adjustment and redemption services place holds)."""
    with context.uow(write=True) as uow:
        member = _locked_member(uow, member_no)
        member.held_points = points
        uow.commit()


# ---------------------------------------------------------------------- points


_uid_counter = 0


def _next_uid(prefix: str) -> str:
    global _uid_counter
    _uid_counter += 1
    return f"test:{prefix}:{_uid_counter}"


def post_earning(
    context: ServiceContext,
    member_no: str,
    points: int,
    *,
    on: date,
    rule: str = "card_spend",
    qualifying: bool = True,
    reference: str | None = None,
    campaign_code: str | None = None,
    details: dict[str, Any] | None = None,
    entry_uid: str | None = None,
) -> int:
    """Credits ``points`` as a new lot earned ``on``; returns the ledger entry id."""
    with context.uow(write=True) as uow:
        member = _locked_member(uow, member_no)
        entry = Ledger(uow, context.rules, context.clock()).credit(
            member,
            Posting(
                entry_uid=entry_uid or _next_uid("earn"),
                kind="earn",
                rule=rule,
                occurred_on=on,
                branch_id=member.branch_id,
                reference=reference,
                campaign_code=campaign_code,
                details=details,
            ),
            points,
            qualifying=qualifying,
        )
        uow.commit()
        return entry.id


def post_debit(
    context: ServiceContext,
    member_no: str,
    points: int,
    *,
    on: date,
    kind: str = "redeem",
    rule: str | None = None,
    reference: str | None = None,
    details: dict[str, Any] | None = None,
    entry_uid: str | None = None,
) -> int:
    """Takes ``points`` from the member's lots, soonest-expiring first; returns the ledger entry id."""
    with context.uow(write=True) as uow:
        member = _locked_member(uow, member_no)
        entry = Ledger(uow, context.rules, context.clock()).debit(
            member,
            Posting(
                entry_uid=entry_uid or _next_uid(kind),
                kind=kind,
                rule=rule,
                occurred_on=on,
                branch_id=member.branch_id,
                reference=reference,
                details=details,
            ),
            points,
        )
        uow.commit()
        return entry.id


# ---------------------------------------------------------------------- helpers


def _branch_id(uow: UnitOfWork, code: str) -> int:
    """Only the id (a column every release had): the store-upgrade test adds members to a store of the oldest release."""
    found = uow.ledger.session.execute(select(Branch.id).where(Branch.code == code)).scalar()
    if found is None:
        raise LookupError(f"no branch {code!r}: add_branch(context, code={code!r}) first")
    return int(found)


def _branch(uow: UnitOfWork, code: str) -> Branch:
    branch = uow.reference.branch_by_code(code)
    if branch is None:
        raise LookupError(f"no branch {code!r}: add_branch(context, code={code!r}) first")
    return branch


def _locked_member(uow: UnitOfWork, member_no: str) -> Member:
    found = uow.members.by_no(member_no)
    if found is None:
        raise LookupError(f"no member {member_no!r}")
    member = uow.members.lock(found.id)
    assert member is not None
    return member


# ---------------------------------------------------------------------- programme rules


def install_rules(context: ServiceContext, rules: RuleSettings) -> None:
    """``rules`` as the store's base settings (what an installation starts from, before any version):
    in force on every day, past ones included."""
    with context.uow(write=True) as uow:
        for section, value in rules.to_dict().items():
            uow.reference.put_rule_section(section, value, by="test", now=context.clock())
        uow.commit()


_rule_admins = itertools.count(1)


def approve_rules(context: ServiceContext, changes: dict[str, Any], *, effective_on: date | None = None, branch_code: str = "BJ01") -> int:
    """``changes`` in force from ``effective_on`` (today when None) the way administrators make them:
    proposed by one, approved by a second. Returns the version."""
    from loyalty_desk.services.handlers import operation_runner
    from loyalty_desk.services.rule_changes import RuleChangeService

    service = RuleChangeService(context, operation_runner(context))
    n = next(_rule_admins)
    maker = add_staff(context, username=f"rules.maker{n}", role="admin", branch_code=branch_code)
    checker = add_staff(context, username=f"rules.checker{n}", role="admin", branch_code=branch_code)
    proposed = service.propose(operation_id=service.new_operation_id(), session=maker, changes=changes,
                               effective_on=effective_on or context.today(), reason="Rules change for this test scenario")
    approved = service.approve(operation_id=service.new_operation_id(), session=checker, change_id=proposed.change_id)
    assert approved.version is not None
    return approved.version
