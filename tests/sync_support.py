"""Shared by the sync tests and the desk processes they start: a central, desks, a debit operation.

``TestDebit`` (kind ``test_debit``) is a small redemption: it debits ``points`` from the member's
lots through ``Ledger.debit`` after the same checks a redemption makes (available balance, the
offline limit), so sync is tested with the very code path desk operations use.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
from factories import DEFAULT_PASSWORD, TEST_KDF, place_empty_store
from sqlalchemy import text
from sqlalchemy.engine import make_url

from loyalty_desk.domain.errors import DomainError, NotFound
from loyalty_desk.domain.identity import make_member_no
from loyalty_desk.domain.offline import enforce_offline_limit
from loyalty_desk.services.audit import SYSTEM
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import Applied, OperationRequest, OperationRunner, payload_digest
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.models import Branch, CentralDesk, Member, Staff
from loyalty_desk.store.uow import UnitOfWork, uow_factory
from loyalty_desk.sync.central import add_desk
from loyalty_desk.sync.desk_settings import DeskSettings
from loyalty_desk.sync.service import SyncService

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
# How a test reaches central (the sync conftest's ``central_route``): straight to the server, or
# through PgBouncer in transaction pooling. pytest.mark.parametrize("central_route", ROUTES, indirect=True)
ROUTES = ("direct", "pooled")
BRANCH = "B001"
STAFF_PASSWORD = DEFAULT_PASSWORD  # every staff account the sync tests make


def admin_url() -> str:
    return os.environ.get("LOYALTY_DESK_TEST_PG", DEFAULT_PG)


class TestDebit:
    kind = "test_debit"
    maker_roles = frozenset({"officer", "supervisor"})  # who may sign it (central's signature check)

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        points = int(request.payload["points"])
        found = uow.members.by_no(request.payload["member_no"])
        if found is None:
            raise NotFound("member", request.payload["member_no"])
        member = uow.members.lock(found.id)
        assert member is not None
        used_today = uow.redemption.offline_points_today(offline=request.offline, member_id=member.id, day=context.clock().date())
        enforce_offline_limit(used_today, points, context.rules.redemption.offline_daily_limit_points)
        available = member.posted_balance - member.held_points
        if points > available:
            raise DomainError("balance.insufficient", available=available, requested=points)
        Ledger(uow, context.rules, now).debit(
            member,
            Posting(entry_uid=f"debit:{request.operation_id}", kind="redeem", rule="test", occurred_on=now.date(), operation_id=request.operation_id),
            points,
        )
        return Applied({"points": points, "balance_after": member.posted_balance}, member.id)


HANDLERS = [TestDebit()]


def seed_central(url: str, balances: list[int], *, earned_on: date | None = None) -> list[str]:
    """A branch, a supervisor, and one member per balance, each credited through the ledger; member numbers."""
    database = Database(url)
    factory = uow_factory(database)
    settings = SettingsService(factory)
    settings.seed_defaults(SYSTEM)
    now = datetime(2026, 11, 1, 9, 0)
    earned_on = earned_on or date.today()
    numbers: list[str] = []
    with factory(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH) or uow.reference.add_branch(
            Branch(code=BRANCH, name_zh="总行", name_en="Head office", is_head_office=True)
        )
        if not uow.staff.all():
            add_central_staff(uow, "sup1", "supervisor", branch.id, now)
        start = int(uow.ledger.session.query(Member).count())
        ledger = Ledger(uow, settings.current(), now)
        for i, points in enumerate(balances):
            no = make_member_no(1_000_000 + start + i)
            member = uow.members.add(
                Member(
                    member_no=no, name=f"Member {i}", name_pinyin=f"member {i}", id_type="passport", id_number=f"P{start + i:08d}",
                    mobile=f"1380000{start + i:04d}", mobile_last4=f"{(start + i) % 10000:04d}", branch_id=branch.id, joined_on=earned_on,
                    created_at=now, posted_balance=0, held_points=0,
                ),
                [],
            )
            if points:
                ledger.credit(member, Posting(entry_uid=f"seed:{no}", kind="earn", rule="seed", occurred_on=earned_on), points, qualifying=True)
            numbers.append(no)
        uow.commit()
    database.dispose()
    return numbers


def add_central_staff(uow: UnitOfWork, username: str, role: str, branch_id: int, now: datetime, *, password: str = STAFF_PASSWORD) -> Staff:
    """A staff account at central with its credential and registered signing key."""
    from loyalty_desk.services.staff_keys import issue_credential

    staff = uow.staff.add(Staff(username=username, display_name=username, role=role, branch_id=branch_id, created_at=now))
    issue_credential(uow, staff, password, now, kdf=TEST_KDF)
    return staff


def central_staff_key(url: str, username: str) -> Any:
    """A central staff member's signing key, unlocked with ``STAFF_PASSWORD`` (as their sign-in would)."""
    from loyalty_desk.services.staff_keys import unlock_key

    database = Database(url)
    try:
        with uow_factory(database)(write=True) as uow:
            staff = uow.staff.by_username(username)
            assert staff is not None
            credential = uow.staff.credential(staff.id)
            assert credential is not None
            key = unlock_key(uow, credential, STAFF_PASSWORD, datetime(2026, 11, 1, 9, 0))
            uow.commit()
            return key
    finally:
        database.dispose()


def register_test_desk(url: str, login: str, *, branch_code: str = BRANCH) -> None:
    """A desk central knows (``central_desk``) without a login role: operations the tests insert in its name."""
    database = Database(url)
    try:
        with uow_factory(database)(write=True) as uow:
            branch = uow.reference.branch_by_code(branch_code)
            assert branch is not None
            if uow.ledger.session.get(CentralDesk, login) is None:
                uow.ledger.session.add(CentralDesk(login=login, desk=login, branch_id=branch.id, created_at=datetime(2026, 11, 1, 9, 0)))
            uow.commit()
    finally:
        database.dispose()


def central_rows(url: str, sql: str, **params: Any) -> list[Any]:
    """The rows of one query at central, read as its owner."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), params).all())
    finally:
        engine.dispose()


def central_scalar(url: str, sql: str, **params: Any) -> Any:
    """The first column of the first row of one query at central (None when there is none)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def desk_login_dsn(url: str, name: str, *, branch_code: str = BRANCH) -> str:
    """A new desk login (``central add-desk``) as a psycopg DSN: all an attacker with the branch PC holds."""
    engine = make_engine(url)
    try:
        credentials = add_desk(engine, name, branch_code=branch_code)
    finally:
        engine.dispose()
    return make_url(credentials.url(url)).set(drivername="postgresql").render_as_string(hide_password=False)


def push_as_desk(dsn: str, row: dict[str, Any]) -> str:
    """One operation (``signed_row``'s keys) put into ``inbound_operation`` with the desk's own login; its id."""
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, signatures, status) "
            "VALUES (%(id)s, current_user, %(kind)s, %(payload)s, %(digest)s, %(origin)s, %(staff)s, false, %(made_at)s, %(signatures)s, 'received')",
            row,
        )
    return str(row["id"])


def signed_row(key: Any, kind: str, payload: dict[str, Any], *, desk: str, operation_id: str | None = None,
               made_at: datetime | None = None, role: str = "maker") -> dict[str, Any]:
    """The columns of an ``inbound_operation`` row as a desk named ``desk`` would push it, signed with ``key``."""
    import json

    from loyalty_desk.services.signing import sign_operation

    operation_id = operation_id or str(uuid.uuid4())
    from loyalty_desk.services.clock import utc_now

    made_at = made_at or utc_now()
    digest = payload_digest(kind, payload)
    signature = sign_operation(key, role=role, operation_id=operation_id, kind=kind, payload_digest=digest, origin=desk, made_at=made_at)
    return {"id": operation_id, "desk": desk, "kind": kind, "payload": json.dumps(payload), "digest": digest, "origin": desk,
            "staff": key.staff_id, "made_at": made_at, "signatures": json.dumps([signature.as_json()])}


INSERT_SIGNED = (
    "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, signatures, status) "
    "VALUES (:id, :desk, :kind, CAST(:payload AS json), :digest, :origin, :staff, false, :made_at, CAST(:signatures AS json), 'received')"
)


def receive_signed(url: str, operations: list[tuple[str, dict[str, Any]]], *, desk: str = "other", username: str = "sup1") -> list[str]:
    """Operations another desk (``desk``, registered at central) pushed, signed by ``username``, received in this order; their ids."""
    from sqlalchemy import text

    from loyalty_desk.store.db import make_engine

    register_test_desk(url, desk)
    key = central_staff_key(url, username)
    rows = [signed_row(key, kind, payload, desk=desk) for kind, payload in operations]
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for position, row in enumerate(rows):
                connection.execute(text(INSERT_SIGNED.replace("'received')", "'received', (now() AT TIME ZONE 'UTC') + :position * interval '1 ms')")
                                        .replace("signatures, status)", "signatures, status, received_at)")), {**row, "position": position})
    finally:
        engine.dispose()
    return [row["id"] for row in rows]


@dataclass
class Desk:
    name: str
    data_dir: Path
    database: Database
    context: ServiceContext
    runner: OperationRunner
    sync: SyncService
    staff_id: int | None = None  # who is signed in (their key in the context's keyring)

    def sign_in(self, username: str = "sup1", password: str = STAFF_PASSWORD) -> Any:
        from loyalty_desk.services.auth import AuthService

        session = AuthService(self.context).sign_in(username=username, password=password)
        self.staff_id = session.staff_id
        return session

    def debit(self, member_no: str, points: int, *, operation_id: str | None = None) -> Any:
        if self.staff_id is None:  # a desk restarted from its data folder: its supervisor signs in again
            self.sign_in()
        request = OperationRequest(
            operation_id=operation_id or str(uuid.uuid4()),
            kind="test_debit",
            payload={"member_no": member_no, "points": points},
            origin=self.name,
            staff_id=self.staff_id,
            offline=self.sync.is_offline(),
        )
        return self.runner.execute(request)

    def balance(self, member_no: str) -> int:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert member is not None
            return member.posted_balance

    def balances(self) -> dict[str, int]:
        with self.context.uow() as uow:
            return {m.member_no: m.posted_balance for m in uow.ledger.session.query(Member).all()}

    def close(self) -> None:
        self.sync.close()
        self.database.dispose()


def open_desk(data_dir: Path, name: str | None = None) -> Desk:
    """A desk from its data folder (desk.json and the local store), as a restarted process opens it."""
    settings = DeskSettings.load(data_dir)
    name = name or (settings.desk if settings else "desk")
    database = Database.open_local(data_dir, upgrade=not place_empty_store(data_dir))
    factory = uow_factory(database)
    context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name=name)
    runner = OperationRunner(context, {h.kind: h for h in [*operation_handlers(), *HANDLERS]})
    sync = SyncService.open(data_dir, database, context)
    sync.attach(runner)
    return Desk(name, data_dir, database, context, runner, sync)


def new_desk(central_url: str, data_dir: Path, name: str, *, pull: bool = True) -> Desk:
    from loyalty_desk.store.db import make_engine

    engine = make_engine(central_url)
    try:
        credentials = add_desk(engine, name, branch_code=BRANCH)
    finally:
        engine.dispose()
    DeskSettings(credentials.url(central_url), name).save(data_dir)
    desk = open_desk(data_dir, name)
    if pull:
        desk.sync.desk.pull()
        desk.context.settings.invalidate()
        desk.sign_in()
    return desk


def central_balances(url: str) -> dict[str, int]:
    from sqlalchemy import text

    from loyalty_desk.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("SELECT member_no, posted_balance FROM member")).all())
    finally:
        engine.dispose()


# The demo's north region (HQ01, BJ01): what a BJ01 desk holds of a demo central.
NORTH = "SELECT id FROM branch WHERE region = 'north'"
HELD_BY_NORTH = (  # the region's members and, through referrals, every member a referral links to them
    f"WITH RECURSIVE held(id) AS (SELECT id FROM member WHERE branch_id IN ({NORTH}) UNION "
    "SELECT x FROM referral r JOIN held h ON h.id IN (r.referee_member_id, r.referrer_member_id, r.second_level_member_id), "
    "unnest(ARRAY[r.referee_member_id, r.referrer_member_id, r.second_level_member_id]) AS x WHERE x IS NOT NULL) "
    "SELECT m.* FROM member m WHERE m.id IN (SELECT id FROM held)"
)
