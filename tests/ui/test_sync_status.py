"""Sync at the desk: the status bar's sync state, the Sync status screen (screen 9) and head office's
answer after a redemption — standalone, offline (a central that cannot be reached: no PostgreSQL
needed) and, marked ``postgres``, against a real central database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from factories import carry_sign_ins
from PySide6.QtCore import Qt

from loyalty_desk.bootstrap import build_services
from loyalty_desk.sync.desk_settings import DeskSettings

UNREACHABLE = "postgresql://ld_desk_x:secret@127.0.0.1:1/central"  # nothing listens on port 1: refused at once


def _window(qtbot: Any, services: Any, session: Any, runner: Any, desk_settings: Any) -> Any:
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    window = MainWindow(services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


@pytest.fixture
def offline_services(desk_data: Any) -> Iterator[Any]:
    """The test desk's store with a central configured that cannot be reached."""
    data_dir = desk_data.services.data_dir
    DeskSettings(UNREACHABLE, "desk_x").save(data_dir)
    services = build_services(data_dir, desk_name="test-desk", clock=desk_data.store.clock)
    carry_sign_ins(desk_data.store.context, services, desk_data.officer, desk_data.officer2, desk_data.supervisor)
    yield services
    services.close()


def _sync_screen(qtbot: Any, window: Any) -> Any:
    screen = window.screens["sync"]
    window.navigate("sync")
    assert window.current_key() == "sync"
    return screen


# ---------------------------------------------------------------------------- standalone


def test_standalone_desk_says_so_in_the_status_bar_and_on_the_screen(qtbot, main_window):
    assert main_window.sync_label.text() == "Standalone"
    assert not main_window.sync_timer.isActive()  # nothing to poll without a central
    screen = _sync_screen(qtbot, main_window)
    assert screen.state_value.text().startswith("Standalone: no central database configured")
    assert not screen.sync_button.isEnabled()
    assert screen.values["last_push"].text() == "never"
    assert screen.waiting_model.rowCount() == 0 and screen.exceptions_model.rowCount() == 0


def test_auditors_and_admins_do_not_see_the_sync_screen(desk_data):
    from loyalty_desk.ui.registry import default_registry

    registry = default_registry()
    assert "sync" in [s.key for s in registry.for_role("officer")]
    assert "sync" in [s.key for s in registry.for_role("supervisor")]
    assert "sync" not in [s.key for s in registry.for_role("auditor")]


# ---------------------------------------------------------------------------- offline


def test_offline_desk_keeps_working_and_says_what_waits(qtbot, desk_data, offline_services, runner, desk_settings):
    window = _window(qtbot, offline_services, desk_data.supervisor, runner, desk_settings)
    assert window.sync_timer.isActive()
    qtbot.waitUntil(lambda: window.sync_status is not None, timeout=10_000)
    screen = _sync_screen(qtbot, window)
    assert screen.values["central"].text() == "postgresql://ld_desk_x@127.0.0.1:1/central"  # never the password
    assert "secret" not in screen.values["central"].text()
    assert screen.values["desk"].text() == "desk_x"

    with qtbot.waitSignal(screen.sig_synced, timeout=20_000):
        qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    assert screen.status.state == "offline"
    assert screen.state_value.text().startswith("Not connected")
    assert screen.banner.text().startswith("Head office cannot be reached")
    assert offline_services.sync.is_offline()

    # an operation made now is flagged offline by the runner itself and waits in the outbox
    supervisor = desk_data.supervisor
    operation_id = offline_services.adjustments.new_operation_id()
    offline_services.adjustments.request(
        operation_id=operation_id, session=supervisor, member_no=desk_data.wang, direction="credit", points=300,
        reason_code="SERVICE_RECOVERY", memo="complaint handled at the counter", evidence_ref="CMP-2026-001",
    )
    with desk_data.store.context.uow() as uow:
        assert uow.ledger.operation(operation_id).offline is True

    with qtbot.waitSignal(window.sig_sync_status, timeout=10_000, check_params_cb=lambda s: s.waiting == 1):
        window.poll_sync_status()
    assert window.sync_label.text() == "Offline · 1 waiting"
    qtbot.waitUntil(lambda: screen.waiting_model.rowCount() == 1, timeout=10_000)
    assert screen.waiting_model.index(0, 1).data() == "Adjustment request"
    assert screen.waiting_model.index(0, 2).data() == desk_data.wang
    assert screen.waiting_model.index(0, 4).data().startswith("made offline")
    assert offline_services.sync.confirmation(operation_id).state == "waiting"


def test_a_rejected_operation_stays_until_a_supervisor_decides(qtbot, desk_data, offline_services, runner, desk_settings):
    services = offline_services
    operation_id = services.adjustments.new_operation_id()
    services.adjustments.request(
        operation_id=operation_id, session=desk_data.officer, member_no=desk_data.zhang, direction="credit", points=500,
        reason_code="SERVICE_RECOVERY", memo="complaint handled at the counter", evidence_ref="CMP-2026-002",
    )
    # head office's verdict, applied through the desk's own rejection path
    services.sync.desk._reject_locally(operation_id, "balance.insufficient", {"available": 100, "requested": 500})

    officer_window = _window(qtbot, services, desk_data.officer, runner, desk_settings)
    officer_screen = _sync_screen(qtbot, officer_window)
    qtbot.waitUntil(lambda: officer_screen.exceptions_model.rowCount() == 1, timeout=10_000)
    assert not officer_screen.decide_row.isVisible()  # an officer sees, a supervisor resolves
    qtbot.waitUntil(lambda: officer_window.sync_status is not None, timeout=10_000)
    assert officer_window.sync_label.text().endswith("· 1 exception")
    officer_window.close()

    window = _window(qtbot, services, desk_data.supervisor, runner, desk_settings)
    screen = _sync_screen(qtbot, window)
    qtbot.waitUntil(lambda: screen.exceptions_model.rowCount() == 1, timeout=10_000)
    assert screen.exceptions_model.index(0, 2).data() == desk_data.zhang
    assert screen.exceptions_model.index(0, 4).data() == "Not enough points at head office: 100 available, 500 requested."
    assert screen.decide_row.isVisible()
    assert not screen.resolve_button.isEnabled()  # a note is required
    screen.resolution.setCurrentIndex(screen.resolution.findData("goods_reversed"))
    qtbot.keyClicks(screen.note, "request withdrawn with the client")
    assert screen.resolve_button.isEnabled()
    # the screen's own status after it reloaded the lists (the window's poll may tell one sooner)
    with qtbot.waitSignal(screen.sig_resolved, timeout=10_000), qtbot.waitSignals([screen.sig_sync_status, window.sig_sync_status], timeout=10_000):
        qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
    assert screen.exceptions_model.rowCount() == 0
    assert "1 exception" not in window.sync_label.text()
    resolved = services.sync.exceptions(include_resolved=True)
    assert [(e.resolution, e.resolved_by) for e in resolved] == [("goods_reversed", "super1")]
    events = list(desk_data.audit_rows("sync.exception_resolved"))
    assert len(events) == 1 and events[0].details["note"] == "request withdrawn with the client"
    # the decision is a desk operation of its own, waiting to be sent to head office
    decision = resolved[0].resolution_operation_id
    assert events[0].details["operation_id"] == decision
    assert [(w.operation_id, w.kind) for w in services.sync.waiting()] == [(decision, "sync.resolve")]


def test_a_resolution_note_over_its_limit_is_kept_and_refused(qtbot, desk_data, offline_services, runner, desk_settings):
    from loyalty_desk.domain.resolutions import NOTE_MAXIMUM

    services = offline_services
    operation_id = services.adjustments.new_operation_id()
    services.adjustments.request(
        operation_id=operation_id, session=desk_data.officer, member_no=desk_data.zhang, direction="credit", points=500,
        reason_code="SERVICE_RECOVERY", memo="complaint handled at the counter", evidence_ref="CMP-2026-003",
    )
    services.sync.desk._reject_locally(operation_id, "balance.insufficient", {"available": 100, "requested": 500})
    window = _window(qtbot, services, desk_data.supervisor, runner, desk_settings)
    screen = _sync_screen(qtbot, window)
    _decide(qtbot, screen, "goods_reversed", "checked")
    note = "withdrawn " * 51  # 510 characters
    screen.note.setText(note)
    assert screen.note.counter.text() == f"510 / {NOTE_MAXIMUM}"
    qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
    assert screen.banner.isVisible() and str(NOTE_MAXIMUM) in screen.banner.text()
    assert screen.note.text() == note and screen.exceptions_model.rowCount() == 1
    assert services.sync.exceptions(include_resolved=True)[0].resolution is None


# ---------------------------------------------------------------------------- deciding on a rejected redemption


def _rejected_redemption(services: Any, desk_data: Any, *, points: int = 1_500) -> str:
    """王芳 (2,000 points) redeems a voucher; head office rejects it and the desk gives the points back."""
    from factories import add_staff

    admin = add_staff(desk_data.store.context, username="admin9", role="admin")
    services.redemption.upsert_reward(code="VCH-TEST", name_zh="礼券", name_en="Voucher", category="voucher",
                                      points_cost=points, cash_value="15", session=admin)
    operation_id = services.redemption.new_operation_id()
    services.redemption.redeem(operation_id=operation_id, session=desk_data.officer, member_no=desk_data.wang, reward_code="VCH-TEST")
    services.sync.desk._reject_locally(operation_id, "balance.insufficient", {"available": 300, "requested": points})
    return operation_id


def _decide(qtbot: Any, screen: Any, resolution: str, note: str) -> None:
    qtbot.waitUntil(lambda: screen.exceptions_model.rowCount() == 1 and screen.selected() is not None, timeout=10_000)
    screen.resolution.setCurrentIndex(screen.resolution.findData(resolution))
    screen.note.clear()
    qtbot.keyClicks(screen.note, note)


def test_a_write_off_asks_a_second_supervisor_at_the_desk(qtbot, desk_data, offline_services, runner, desk_settings):
    from factories import DEFAULT_PASSWORD, add_staff

    services = offline_services
    add_staff(desk_data.store.context, username="super2", display_name="王磊", role="supervisor")
    rejected = _rejected_redemption(services, desk_data)
    window = _window(qtbot, services, desk_data.supervisor, runner, desk_settings)
    screen = _sync_screen(qtbot, window)
    _decide(qtbot, screen, "written_off", "bank absorbs the loss")
    qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
    dialog = screen.write_off_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text().startswith(f"Write off 1,500 points for {desk_data.wang} (Redemption, refused by head office:")
    assert not screen.resolve_button.isEnabled()  # one decision at a time

    def approve_as(username: str) -> None:
        dialog.username.clear()
        qtbot.keyClicks(dialog.username, username)
        qtbot.keyClicks(dialog.password, DEFAULT_PASSWORD)

    approve_as("super1")  # the supervisor resolving it cannot also approve
    with qtbot.waitSignal(dialog.sig_failed, timeout=10_000):
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "super1 is resolving this exception and cannot also approve the write-off. A second supervisor must."
    assert dialog.password.text() == ""
    approve_as("officer1")
    with qtbot.waitSignal(dialog.sig_failed, timeout=10_000):
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "officer1 is not a supervisor. Only a supervisor can approve a write-off."
    assert [e.operation_id for e in services.sync.exceptions()] == [rejected]

    approve_as("super2")
    # the screen's own status after it reloaded the lists (the window's poll may tell one sooner)
    with qtbot.waitSignal(screen.sig_resolved, timeout=10_000), qtbot.waitSignals([screen.sig_sync_status, window.sig_sync_status], timeout=10_000):
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.write_off_dialog is None, timeout=10_000)
    assert screen.banner.text() == (
        f"Exception of {desk_data.wang} resolved: Write off (a second supervisor approves). 1,500 points written off, approved by super2."
    )
    assert screen.exceptions_model.rowCount() == 0
    (resolved,) = services.sync.exceptions(include_resolved=True)
    assert (resolved.resolution, resolved.resolved_by) == ("written_off", "super1")
    (event,) = desk_data.audit_rows("sync.exception_resolved")
    assert (event.details["approved_by"], event.details["written_off_points"]) == ("super2", 1_500)


def test_points_owed_without_the_balance_says_so_and_another_decision_follows(qtbot, desk_data, offline_services, runner, desk_settings):
    from factories import post_debit

    services = offline_services
    rejected = _rejected_redemption(services, desk_data)
    post_debit(desk_data.store.context, desk_data.wang, 1_000, on=date(2026, 6, 1))  # 1,000 left of the 2,000
    window = _window(qtbot, services, desk_data.supervisor, runner, desk_settings)
    screen = _sync_screen(qtbot, window)
    _decide(qtbot, screen, "points_owed", "member keeps the voucher")
    first_try = None
    with qtbot.waitSignal(screen.sig_failed, timeout=10_000):
        qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
        first_try = screen.operation_id
    assert screen.banner.text() == (
        "The member has only 1,000 points available, so the 1,500 points cannot be taken again as points owed. "
        "Choose another decision: reverse the goods, or write off with a second supervisor's approval."
    )
    assert screen.banner.property("tone") == "error"
    assert screen.exceptions_model.rowCount() == 1 and screen.resolve_button.isEnabled()
    assert screen.operation_id == first_try  # the same decision tried again is the same operation

    screen.resolution.setCurrentIndex(screen.resolution.findData("goods_reversed"))
    assert screen.operation_id is None  # another decision is another operation
    with qtbot.waitSignal(screen.sig_resolved, timeout=10_000):
        qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
    assert screen.last_resolution.resolution == "goods_reversed" and screen.last_resolution.operation_id != first_try
    assert [(e.operation_id, e.resolution) for e in services.sync.exceptions(include_resolved=True)] == [(rejected, "goods_reversed")]


def test_a_decision_head_office_refuses_comes_back_to_the_list(qtbot, desk_data, offline_services, runner, desk_settings):
    services = offline_services
    rejected = _rejected_redemption(services, desk_data)
    window = _window(qtbot, services, desk_data.supervisor, runner, desk_settings)
    screen = _sync_screen(qtbot, window)
    _decide(qtbot, screen, "points_owed", "member keeps the voucher")
    with qtbot.waitSignal(screen.sig_resolved, timeout=10_000):
        qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
    assert screen.banner.text() == (
        f"Exception of {desk_data.wang} resolved: Accept as points owed by the member. 1,500 points taken again; available balance now 500."
    )
    qtbot.waitUntil(lambda: screen.exceptions_model.rowCount() == 0, timeout=10_000)
    # head office refuses the decision (the balance went elsewhere meanwhile): the exception is back
    services.sync.desk._reject_locally(screen.last_resolution.operation_id, "balance.insufficient", {"available": 200, "requested": 1_500})
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        screen.refresh()
    assert screen.exceptions_model.rowCount() == 1 and screen.exceptions[0].operation_id == rejected
    assert screen.exceptions_model.index(0, 4).data() == (
        "Not enough points at head office: 300 available, 1,500 requested. Head office refused the decision taken on it "
        "(Accept as points owed by the member): Not enough points at head office: 200 available, 1,500 requested."
    )


def test_the_offline_limit_shows_before_the_officer_confirms(qtbot, desk_data, offline_services):
    """The one offline rule: the quote shows it (before confirming) and the handler refuses."""
    from loyalty_desk.domain.errors import DomainError

    services = offline_services
    assert "offline" in services.sync.sync_once()  # central unreachable: the desk knows it is offline
    admin_session = desk_data.supervisor
    from factories import add_staff, post_earning

    admin = add_staff(desk_data.store.context, username="admin9", role="admin")
    services.redemption.upsert_reward(code="VCH-15K", name_zh="礼券", name_en="Voucher", category="voucher",
                                      points_cost=15_000, cash_value="150", session=admin)
    post_earning(desk_data.store.context, desk_data.wang, 40_000, on=date(2026, 5, 2))
    first = services.redemption.redeem(operation_id=str(uuid.uuid4()), session=admin_session, member_no=desk_data.wang, reward_code="VCH-15K")
    assert first.points == 15_000
    quote = services.redemption.quote(member_no=desk_data.wang, reward_code="VCH-15K", qty=1, branch_code=admin_session.branch_code)
    assert [b.code for b in quote.blocks] == ["redeem.offline_limit"]
    with pytest.raises(DomainError) as refused:
        services.redemption.redeem(operation_id=str(uuid.uuid4()), session=admin_session, member_no=desk_data.wang, reward_code="VCH-15K")
    assert refused.value.code == "redeem.offline_limit" and refused.value.params == {"limit": 20_000, "used": 15_000, "needed": 15_000}


# ---------------------------------------------------------------------------- a real central


def _pg_admin_url() -> str:
    return os.environ.get("LOYALTY_DESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def central(tmp_path: Path) -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    from sqlalchemy.engine import make_url

    from loyalty_desk.sync.central import init_central
    from loyalty_desk.sync.protocol import DESK_LOGIN_PREFIX

    admin = make_url(_pg_admin_url()).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        psycopg.connect(admin, autocommit=True, connect_timeout=3).close()
    except psycopg.Error as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL not reachable: {error}")
        pytest.skip(f"PostgreSQL not reachable (LOYALTY_DESK_TEST_PG): {error}")
    name = f"ld_sync_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(_pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    init_central(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as connection:
        roles = [r[0] for r in connection.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (DESK_LOGIN_PREFIX + f"{name[8:]}%",))]
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in roles:
            connection.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.mark.postgres
def test_online_redemption_is_confirmed_by_head_office(qtbot, central, tmp_path, runner, desk_settings):
    from sqlalchemy.engine import make_url
    from sync_support import STAFF_PASSWORD, new_desk, seed_central

    from loyalty_desk.demo.catalogue import seed_catalogue
    from loyalty_desk.services.handlers import operation_handlers
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory
    from loyalty_desk.sync.applier import Applier

    (member_no,) = seed_central(central, [50_000])
    database = Database(central)
    with uow_factory(database)(write=True) as uow:
        seed_catalogue(uow, date.today())
        uow.commit()
    database.dispose()
    desk_name = f"{make_url(central).database[8:]}_ui"
    desk = new_desk(central, tmp_path / "desk", desk_name)  # joins and loads central's directory
    desk.close()
    services = build_services(tmp_path / "desk")
    session = services.auth.sign_in(username="sup1", password=STAFF_PASSWORD)  # unlocks the key the desk signs with
    applier = Applier(central, operation_handlers())
    try:
        window = _window(qtbot, services, session, runner, desk_settings)
        screen = _sync_screen(qtbot, window)
        with qtbot.waitSignal(screen.sig_synced, timeout=20_000):
            qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
        assert screen.state_value.text() == "Connected to head office"
        assert screen.values["last_pull"].text() != "never"
        assert window.sync_label.text() == "Online"

        redeem = window.screens["redeem"]
        receipt = services.redemption.redeem(operation_id=services.redemption.new_operation_id(), session=session,
                                             member_no=member_no, reward_code="GIFT-TUMBLER")
        answers: list[Any] = []
        redeem.sig_sync_confirmed.connect(answers.append)
        redeem.last_receipt = receipt
        redeem._ask_head_office(receipt)  # what _redeemed does after the receipt dialog opens
        assert redeem.sync_note_text == "Sending to head office…"
        # central's applier runs beside the desk: poll it until the desk has its verdict (no sleeps)
        qtbot.waitUntil(lambda: applier.drain() is not None and bool(answers), timeout=20_000)
        assert answers[0].state == "confirmed"
        assert redeem.sync_note_text == "Confirmed by head office."
        assert redeem.banner.text().endswith("Confirmed by head office.")
    finally:
        applier.close()
        services.close()


def test_the_refusal_of_points_owed_reads_in_chinese(qapp):
    from loyalty_desk.domain.errors import DomainError
    from loyalty_desk.ui.app import install_language
    from loyalty_desk.ui.screens.sync_status.models import resolution_error_text

    install_language(qapp, "zh_CN")
    refused = DomainError("balance.insufficient", available=1_000, requested=1_500)
    assert resolution_error_text("points_owed", refused) == (
        "会员可用积分仅 1,000，无法将 1,500 积分作为欠积分重新扣除。请选择其他处理方式：收回礼品，或经另一位主管批准后核销。"
    )
    assert resolution_error_text("goods_reversed", DomainError("sync.approver_same", username="super1")).startswith("super1 正在处理该异常")
