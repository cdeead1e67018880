"""The round trip: a desk operation goes to central, is applied by the same code, and comes back."""

from __future__ import annotations

import queue
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sync_support import HANDLERS, ROUTES, central_balances, new_desk, receive_signed, seed_central

from loyalty_desk.store.db import make_engine
from loyalty_desk.sync.applier import Applier

# each test runs against central directly and through PgBouncer in transaction pooling (conftest.py)
pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("central_route", ROUTES, indirect=True)]


def test_online_operation_is_confirmed_and_replaced_by_central_copy(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [5000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, HANDLERS)
    try:
        assert desk.balance(member_no) == 5000
        outcome = desk.debit(member_no, 1200)
        assert outcome.status == "posted" and desk.balance(member_no) == 3800
        assert desk.sync.status().waiting == 1
        desk.sync.desk.push()
        assert applier.drain().posted == 1
        verdicts = desk.sync.desk.collect_outcomes(wait=1.0)
        assert [v.outcome for v in verdicts] == ["accepted"]
        desk.sync.desk.pull()
        assert desk.balance(member_no) == 3800
        assert central_balances(central_url)[member_no] == 3800
        status = desk.sync.status()
        assert status.state == "online" and status.waiting == 0 and status.exceptions == 0
        password = desk.sync.settings.central_url.split(":")[2].split("@")[0]
        assert len(password) > 20 and password not in (status.central_url or "") and status.central_url.endswith(central_url.rsplit("/", 1)[1])
        with desk.context.uow() as uow:  # the provisional entry gave way to central's copy (same entry uid, central id)
            entries = uow.ledger.entries_for_member(uow.members.by_no(member_no).id)
            assert [e.points for e in entries] == [5000, -1200]
            assert all(e.id < 1 << 48 for e in entries)
            assert uow.ledger.sum_lot_remaining(entries[0].member_id) == 3800
    finally:
        applier.close()
        desk.close()


def test_rejected_operation_is_reversed_locally_and_queued(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [1000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, HANDLERS)
    engine = make_engine(central_url)
    try:
        desk.debit(member_no, 800)
        # meanwhile central spends it elsewhere (another desk's operation, already applied)
        receive_signed(central_url, [("test_debit", {"member_no": member_no, "points": 700})])
        assert applier.drain().posted == 1
        result = desk.sync.sync_once(wait=0.2)
        assert result["outcomes"] == []  # not judged yet: no applier ran
        applier.drain()
        result = desk.sync.sync_once(wait=1.0)
        assert [(o.outcome, o.code) for o in result["outcomes"]] == [("rejected", "balance.insufficient")]
        assert desk.balance(member_no) == 300 == central_balances(central_url)[member_no]
        (exception,) = desk.sync.exceptions()
        assert exception.reason_code == "balance.insufficient" and exception.member_no == member_no
        assert exception.params["available"] == 300
        status = desk.sync.status()
        assert status.waiting == 0 and status.exceptions == 1
        # it leaves the queue only by a supervisor's decision, which is audited (and is an operation of
        # its own: tests/integration/sync/test_sync_resolution.py)
        from loyalty_desk.domain.errors import DomainError
        from loyalty_desk.services.audit import Actor

        officer, supervisor = Actor("off1", desk.name, "B001"), Actor("sup1", desk.name, "B001")
        with pytest.raises(DomainError):
            desk.sync.resolve(exception_id=exception.id, resolution="points_owed", actor=officer, role="officer")
        assert desk.sync.status().exceptions == 1
        desk.sync.resolve(exception_id=exception.id, resolution="goods_reversed", actor=supervisor, role="supervisor", note="goods returned")
        assert desk.sync.status().exceptions == 0 and desk.sync.exceptions(include_resolved=True)[0].resolution == "goods_reversed"
        with desk.context.uow() as uow:
            _total, events = uow.audit.search(action="sync.")
            assert {e.action for e in events} == {"sync.rejected", "sync.exception_resolved"}
    finally:
        engine.dispose()
        applier.close()
        desk.close()


def _after_rounds(rounds: queue.Queue, condition, timeout: float = 15.0) -> bool:
    """Checks ``condition`` after each background sync round (the round's status is its signal)."""
    deadline = time.monotonic() + timeout
    while not condition():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            rounds.get(timeout=remaining)
        except queue.Empty:
            return condition()
    return True


def test_background_sync_pushes_at_once_and_exceptions_need_a_supervisor(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [1000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, HANDLERS)
    try:
        rounds: queue.Queue = queue.Queue()
        desk.sync.start_background(interval=3600, on_status=rounds.put)  # only an operation's commit wakes it
        first = desk.debit(member_no, 600).operation_id
        assert _after_rounds(rounds, lambda: _pushed(central_url, first))
        applier.drain()
        desk.debit(member_no, 400)  # wakes it again: the first verdict comes back, this one goes out
        assert _after_rounds(rounds, lambda: applier.drain().total > 0 or desk.sync.status().waiting == 0)
        desk.sync.stop_background()
        desk.sync.sync_once(wait=1.0)
        assert desk.sync.status().waiting == 0 and desk.balance(member_no) == 0
    finally:
        applier.close()
        desk.close()


def _pushed(url: str, operation_id: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1 FROM inbound_operation WHERE operation_id = :i"), {"i": operation_id}).scalar() is not None
    finally:
        engine.dispose()
