"""The real redemption handler through sync: desk redeems, central applies the same code, desk converges."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sync_support import BRANCH, central_balances, central_scalar, new_desk, seed_central

from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.redemption import RedemptionService, seed_catalogue
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier
from loyalty_desk.sync.desk import PROVISIONAL_BASE

pytestmark = pytest.mark.postgres


def test_online_redemption_with_stock_round_trip(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [50_000])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        seed_catalogue(uow, date.today())
        uow.commit()
        staff = uow.staff.by_username("sup1")
        assert staff is not None
        session = StaffSession(staff.id, staff.username, staff.display_name, staff.role, BRANCH, "总行", "Head office")
    database.dispose()
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    redemption = RedemptionService(desk.context, desk.runner)
    applier = Applier(central_url, operation_handlers())
    try:
        on_hand_before = central_scalar(central_url, "SELECT on_hand FROM reward_stock s JOIN reward r ON r.id = s.reward_id WHERE r.code = 'GIFT-TUMBLER'")
        operation_id = str(uuid.uuid4())
        receipt = redemption.redeem(operation_id=operation_id, session=session, member_no=member_no, reward_code="GIFT-TUMBLER", qty=1)
        assert receipt.points == 4_500 and desk.balance(member_no) == 45_500
        desk.sync.desk.push([operation_id])
        assert applier.drain().posted == 1
        verdict = desk.sync.confirm(operation_id, wait=2.0)
        assert verdict is not None and verdict.outcome == "accepted"
        desk.sync.desk.pull()
        assert desk.balance(member_no) == 45_500 == central_balances(central_url)[member_no]
        assert central_scalar(central_url, "SELECT count(*) FROM redemption") == 1
        with desk.context.uow() as uow:
            session_ = uow.ledger.session
            # the provisional redemption, entry and stock movement gave way to central's copies
            assert session_.execute(text(f"SELECT count(*) FROM redemption WHERE id < {PROVISIONAL_BASE}")).scalar() == 1
            assert session_.execute(text(f"SELECT count(*) FROM redemption WHERE id >= {PROVISIONAL_BASE}")).scalar() == 0
            assert session_.execute(text(f"SELECT count(*) FROM ledger_entry WHERE id >= {PROVISIONAL_BASE}")).scalar() == 0
            on_hand = session_.execute(
                text("SELECT on_hand FROM reward_stock s JOIN reward r ON r.id = s.reward_id JOIN branch b ON b.id = s.branch_id "
                     f"WHERE r.code = 'GIFT-TUMBLER' AND b.code = '{BRANCH}'")
            ).scalar()
        assert on_hand == on_hand_before - 1
        assert redemption.get(number=receipt.number).points == 4_500
    finally:
        applier.close()
        desk.close()


def _desk_on_hand(desk: object, code: str) -> int:
    with desk.context.uow() as uow:  # type: ignore[attr-defined]
        reward = uow.redemption.reward_by_code(code)
        return uow.redemption.stock_at_branch(uow.reference.branch_by_code(BRANCH).id)[reward.id]


def test_desk_stock_counts_its_own_redemptions_central_has_not_applied_yet(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [50_000])
    database = Database(central_url)
    factory = uow_factory(database)
    with factory(write=True) as uow:
        seed_catalogue(uow, date.today())
        uow.commit()
        staff = uow.staff.by_username("sup1")
        assert staff is not None
        session = StaffSession(staff.id, staff.username, staff.display_name, staff.role, BRANCH, "总行", "Head office")
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    redemption = RedemptionService(desk.context, desk.runner)
    applier = Applier(central_url, operation_handlers())
    central_on_hand = "SELECT on_hand FROM reward_stock s JOIN reward r ON r.id = s.reward_id JOIN branch b ON b.id = s.branch_id " \
        f"WHERE r.code = 'GIFT-TUMBLER' AND b.code = '{BRANCH}'"
    try:
        start = _desk_on_hand(desk, "GIFT-TUMBLER")
        assert start == central_scalar(central_url, central_on_hand) == 40
        operation_id = str(uuid.uuid4())
        redemption.redeem(operation_id=operation_id, session=session, member_no=member_no, reward_code="GIFT-TUMBLER", qty=2)  # not pushed yet
        assert _desk_on_hand(desk, "GIFT-TUMBLER") == 38
        # head office receives goods for the branch meanwhile: the pull brings central's count (45)...
        with factory(write=True) as uow:
            branch = uow.reference.branch_by_code(BRANCH)
            reward = uow.redemption.reward_by_code("GIFT-TUMBLER")
            uow.redemption.move_stock(branch_id=branch.id, reward_id=reward.id, change=5, reason="received", at=datetime(2026, 11, 2, 9, 0))
            uow.commit()
        desk.sync.desk.pull()
        # ...less the two tumblers this desk handed out that central has not heard of
        assert central_scalar(central_url, central_on_hand) == 45
        assert _desk_on_hand(desk, "GIFT-TUMBLER") == 43
        # pushed and applied at central, the verdict collected, not pulled yet: still 43
        desk.sync.desk.push([operation_id])
        assert applier.drain().posted == 1
        verdict = desk.sync.confirm(operation_id, wait=2.0)
        assert verdict is not None and verdict.outcome == "accepted"
        assert _desk_on_hand(desk, "GIFT-TUMBLER") == 43
        # pulled: central's count now includes them, and they are not taken off twice
        desk.sync.desk.pull()
        assert central_scalar(central_url, central_on_hand) == 43 == _desk_on_hand(desk, "GIFT-TUMBLER")
        with desk.context.uow() as uow:
            assert uow.ledger.session.execute(text(f"SELECT count(*) FROM reward_stock_movement WHERE id >= {PROVISIONAL_BASE}")).scalar() == 0
        desk.sync.desk.pull()  # nothing new: unchanged
        assert _desk_on_hand(desk, "GIFT-TUMBLER") == 43
    finally:
        applier.close()
        desk.close()
        database.dispose()
