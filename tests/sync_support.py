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

from loyalty_desk.domain.errors import DomainError, NotFound
from loyalty_desk.domain.identity import make_member_no
from loyalty_desk.services.audit import SYSTEM
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import Applied, OperationRequest, OperationRunner
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import Branch, Member, Staff
from loyalty_desk.store.uow import UnitOfWork, uow_factory
from loyalty_desk.sync.central import add_desk
from loyalty_desk.sync.desk import DeskSettings
from loyalty_desk.sync.offline import enforce_offline_limit
from loyalty_desk.sync.service import SyncService

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
BRANCH = "B001"


def admin_url() -> str:
    return os.environ.get("LOYALTY_DESK_TEST_PG", DEFAULT_PG)


class TestDebit:
    kind = "test_debit"

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        points = int(request.payload["points"])
        found = uow.members.by_no(request.payload["member_no"])
        if found is None:
            raise NotFound("member", request.payload["member_no"])
        member = uow.members.lock(found.id)
        assert member is not None
        enforce_offline_limit(uow, context, request, member_id=member.id, points=points)
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
        branch = uow.reference.branch_by_code(BRANCH) or uow.reference.add_branch(Branch(code=BRANCH, name_zh="总行", name_en="Head office", is_head_office=True))
        if not uow.staff.all():
            uow.staff.add(Staff(username="sup1", display_name="Supervisor", role="supervisor", branch_id=branch.id, created_at=now))
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


@dataclass
class Desk:
    name: str
    data_dir: Path
    database: Database
    context: ServiceContext
    runner: OperationRunner
    sync: SyncService

    def debit(self, member_no: str, points: int, *, operation_id: str | None = None) -> Any:
        request = OperationRequest(
            operation_id=operation_id or str(uuid.uuid4()),
            kind="test_debit",
            payload={"member_no": member_no, "points": points},
            origin=self.name,
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
    database = Database.open_local(data_dir)
    factory = uow_factory(database)
    context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name=name)
    runner = OperationRunner(context, {h.kind: h for h in HANDLERS})
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
