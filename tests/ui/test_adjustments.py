"""Manual adjustments at the desk (pytest-qt, offscreen): request with limits checked as the officer
types, approval at the desk by a supervisor signing in, the approvals queue with its badge,
rejection, and the audit viewer's integrity check naming a tampered row."""

from __future__ import annotations

from typing import Any

import pytest
from factories import add_staff, carry_sign_ins
from PySide6.QtCore import Qt
from sqlalchemy import text
from ui_support import PASSWORD, type_text

from loyalty_desk.ui.main_window import MainWindow
from loyalty_desk.ui.registry import default_registry


def _window(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, session: Any) -> MainWindow:
    window = MainWindow(desk_data.services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def _open_member(qtbot: Any, window: MainWindow, member_no: str) -> Any:
    member = window.screens["member"]
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000):
        window.navigate("member", member_no=member_no)
    qtbot.waitUntil(lambda: member.pending_panel.member_no == member_no, timeout=5_000)
    return member


def _available(desk_data: Any, member_no: str) -> tuple[int, int]:
    view = desk_data.services.members.view(member_no=member_no)
    return view.available_balance, view.held_points


def _fill(qtbot: Any, dialog: Any, *, direction: str, points: int, reason: str, memo: str, evidence: str = "") -> None:
    dialog.direction.setCurrentIndex(dialog.direction.findData(direction))
    dialog.points.setValue(points)
    dialog.reason.setCurrentIndex(dialog.reason.findData(reason))
    dialog.memo.clear()
    type_text(qtbot, dialog.memo, memo)
    dialog.evidence.setText(evidence)


def _open_request_dialog(qtbot: Any, member: Any) -> Any:
    member.tabs.setCurrentWidget(member.pending_panel)  # the "Adjustments" tab holds the request button (F7 anywhere)
    qtbot.mouseClick(member.adjust_button, Qt.MouseButton.LeftButton)
    return member.adjustment_dialog


def _request_via_dialog(qtbot: Any, member: Any, **form: Any) -> Any:
    _open_request_dialog(qtbot, member)
    dialog = member.adjustment_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.limits is not None, timeout=5_000)
    _fill(qtbot, dialog, **form)
    assert dialog.submit_button.isEnabled(), [label.text() for label in dialog.errors.values()]
    with qtbot.waitSignal(dialog.sig_submitted, timeout=10_000) as filed:
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    return dialog, filed.args[0]


def test_limits_are_checked_as_the_officer_types(qtbot, main_window, desk_data):
    member = _open_member(qtbot, main_window, desk_data.zhang)
    qtbot.keyClick(member, Qt.Key.Key_F7)  # the keyboard way
    dialog = member.adjustment_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.limits is not None, timeout=5_000)
    _fill(qtbot, dialog, direction="credit", points=6_000, reason="GOODWILL", memo="Waited an hour")
    assert dialog.errors["points"].isVisible() and "5,000" in dialog.errors["points"].text()
    assert not dialog.submit_button.isEnabled()
    dialog.points.setValue(5_000)
    assert not dialog.errors["points"].isVisible() and dialog.submit_button.isEnabled()
    dialog.reason.setCurrentIndex(dialog.reason.findData("FRAUD_REVERSAL"))
    assert "debit" in dialog.errors["direction"].text()
    dialog.direction.setCurrentIndex(dialog.direction.findData("debit"))
    available = member.view.available_balance
    dialog.points.setValue(available + 1)
    assert "available balance" in dialog.errors["points"].text() and not dialog.submit_button.isEnabled()
    dialog.reason.setCurrentIndex(dialog.reason.findData("MISSING_POINTS"))
    assert "evidence" in dialog.errors["evidence_ref"].text()
    dialog.reject()


def test_request_then_approval_at_the_desk_maker_refused_supervisor_posts(qtbot, main_window, desk_data):
    member = _open_member(qtbot, main_window, desk_data.zhang)
    before, _ = _available(desk_data, desk_data.zhang)
    dialog, outcome = _request_via_dialog(qtbot, member, direction="debit", points=800, reason="CORRECTION",
                                          memo="Duplicate posting of the 3 May card spend", evidence="LE-12345")
    assert outcome.status == "pending"
    assert _available(desk_data, desk_data.zhang) == (before - 800, 800)  # held, shown as pending
    qtbot.waitUntil(lambda: len(member.pending_panel.rows) == 1, timeout=5_000)

    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    approval = dialog.approval_dialog
    assert approval is not None
    username_height = approval.username.height()
    # Reject with nothing filled in: both things missing are said at once, and the fields keep their size
    qtbot.mouseClick(approval.reject_button, Qt.MouseButton.LeftButton)
    assert approval.error.isVisible()
    assert "username and password" in approval.error.text() and "note" in approval.error.text()
    assert approval.username.height() >= min(username_height, approval.username.sizeHint().height())
    assert approval.username.height() >= approval.username.sizeHint().height()
    # the maker signs in: refused by the service, shown in the dialog
    approval.username.setText("officer1")
    approval.password.setText(PASSWORD)
    with qtbot.waitSignal(approval.sig_failed, timeout=10_000):
        qtbot.mouseClick(approval.approve_button, Qt.MouseButton.LeftButton)
    assert "cannot approve" in approval.error.text()
    # the supervisor signs in with their own credentials
    approval.username.setText("super1")
    approval.password.setText(PASSWORD)
    approval.note.setText("Checked the duplicate entry")
    with qtbot.waitSignal(approval.sig_decided, timeout=10_000) as decided:
        qtbot.mouseClick(approval.approve_button, Qt.MouseButton.LeftButton)
    assert decided.args[0].status == "approved" and decided.args[0].posted
    assert _available(desk_data, desk_data.zhang) == (before - 800, 0)
    assert "approved and posted" in dialog.done_text.text()
    dialog.accept()
    qtbot.waitUntil(lambda: member.pending_panel.rows == (), timeout=5_000)
    actions = [(r.action, r.actor) for r in desk_data.audit_rows("adjustment.")]
    assert actions == [("adjustment.request", "officer1"), ("adjustment.approve", "super1")]


def _supervisor_window(qtbot, desk_data, runner, desk_settings):
    window = _window(qtbot, desk_data, runner, desk_settings, desk_data.supervisor)
    queue = window.screens["approvals"]
    return window, queue


def test_request_then_queue_approval_with_badge(qtbot, main_window, desk_data, runner, desk_settings):
    member = _open_member(qtbot, main_window, desk_data.zhang)
    before, _ = _available(desk_data, desk_data.zhang)
    dialog, outcome = _request_via_dialog(qtbot, member, direction="credit", points=1_200, reason="MISSING_POINTS",
                                          memo="Card spend of 6 May was not credited", evidence="TXN-998")
    dialog.accept()
    assert "approvals" not in main_window.screens  # officers have no queue

    window, queue = _supervisor_window(qtbot, desk_data, runner, desk_settings)
    qtbot.waitUntil(lambda: window.badges.get("approvals") == 1, timeout=10_000)
    nav_texts = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Approvals queue  (1)" in nav_texts
    with qtbot.waitSignal(queue.sig_loaded, timeout=10_000):
        window.navigate("approvals")
    assert queue.select_request(outcome.request_id)
    assert queue.model.cell(queue.selected(), 7) == "0/1"
    queue.note.setText("Statement checked")
    with qtbot.waitSignal(queue.sig_decided, timeout=10_000) as decided:
        qtbot.mouseClick(queue.approve_button, Qt.MouseButton.LeftButton)
    assert decided.args[0].posted
    qtbot.waitUntil(lambda: window.badges.get("approvals") == 0, timeout=10_000)
    assert _available(desk_data, desk_data.zhang) == (before + 1_200, 0)


def test_queue_rejection_needs_a_note_and_posts_nothing(qtbot, desk_data, runner, desk_settings):
    adjustments = desk_data.services.adjustments
    filed = adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                                direction="debit", points=500, reason_code="FRAUD_REVERSAL", memo="Disputed charge of 2 June")
    own = adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.supervisor, member_no=desk_data.zhang,
                              direction="credit", points=100, reason_code="GOODWILL", memo="Queue took over an hour")
    before = _available(desk_data, desk_data.zhang)
    window, queue = _supervisor_window(qtbot, desk_data, runner, desk_settings)
    with qtbot.waitSignal(queue.sig_loaded, timeout=10_000):
        window.navigate("approvals")
    # the supervisor's own request: the buttons are off (and the service would refuse)
    assert queue.select_request(own.request_id)
    assert not queue.approve_button.isEnabled() and not queue.reject_button.isEnabled()
    assert "another supervisor must decide it" in queue.detail_text.text()  # the reason, beside the disabled buttons
    assert queue.select_request(filed.request_id)
    qtbot.mouseClick(queue.reject_button, Qt.MouseButton.LeftButton)
    assert queue.note_error.isVisible() and "note" in queue.note_error.text()  # said at the note field
    assert queue.note.hasFocus()
    queue.note.setText("Charge was genuine: client confirmed")
    with qtbot.waitSignal(queue.sig_decided, timeout=10_000) as decided:
        qtbot.mouseClick(queue.reject_button, Qt.MouseButton.LeftButton)
    assert decided.args[0].status == "rejected" and not decided.args[0].posted
    assert _available(desk_data, desk_data.zhang) == (before[0] + 500, 0)  # the hold is released, nothing posted
    with desk_data.store.context.uow() as uow:
        m = uow.members.by_no(desk_data.zhang)
        assert not [e for e in uow.ledger.entries_for_member(m.id) if e.kind == "adjust"]


def test_audit_viewer_verify_names_the_tampered_row(qtbot, desk_data, runner, desk_settings):
    auditor = add_staff(desk_data.store.context, username="auditor1", role="auditor", display_name="审计员")
    adjustments = desk_data.services.adjustments
    filed = adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                                direction="credit", points=300, reason_code="GOODWILL", memo="Queue took over an hour")
    adjustments.approve(operation_id=adjustments.new_operation_id(), request_id=filed.request_id, session=desk_data.supervisor)
    window = _window(qtbot, desk_data, runner, desk_settings, auditor)
    assert "approvals" not in window.screens and "audit" in window.screens
    screen = window.screens["audit"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("audit")
    screen.action.setCurrentText("adjustment.")
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000) as loaded:
        qtbot.mouseClick(screen.search_button, Qt.MouseButton.LeftButton)
    assert [r.action for r in loaded.args[0].rows] == ["adjustment.approve", "adjustment.request"]
    changed = [[screen.changes.item(r, c).text() for c in range(3)] for r in range(screen.changes.rowCount())]
    assert ["Status", "Pending", "Approved"] in changed

    with qtbot.waitSignal(screen.sig_loaded, timeout=20_000), qtbot.waitSignal(screen.sig_verified, timeout=20_000) as intact:
        qtbot.mouseClick(screen.verify_button, Qt.MouseButton.LeftButton)  # the page reloads after the check
    assert intact.args[0].ok and "intact" in screen.banner.text()

    with desk_data.store.database.write_engine.begin() as connection:
        bad = connection.execute(text("SELECT id FROM audit_event WHERE action = 'adjustment.request'")).scalar()
        connection.execute(text("UPDATE audit_event SET after = '{\"points\": 30000}' WHERE id = :id"), {"id": bad})
    with qtbot.waitSignal(screen.sig_loaded, timeout=20_000), qtbot.waitSignal(screen.sig_verified, timeout=20_000) as broken:
        qtbot.mouseClick(screen.verify_button, Qt.MouseButton.LeftButton)
    result = broken.args[0]
    assert (result.ok, result.first_bad_row, result.problem) == (False, bad, "hash_mismatch")
    assert f"broken at event {bad}" in screen.banner.text()


def test_audit_export_writes_the_filtered_trail(qtbot, desk_data, runner, desk_settings, tmp_path):
    adjustments = desk_data.services.adjustments
    adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                        direction="credit", points=300, reason_code="GOODWILL", memo="Queue took over an hour")
    window = _window(qtbot, desk_data, runner, desk_settings, desk_data.supervisor)
    screen = window.screens["audit"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("audit")
    out = tmp_path / "trail.xlsx"
    with qtbot.waitSignal(screen.sig_exported, timeout=20_000) as exported:
        screen.export_to(out)
    assert out.exists() and exported.args[0] == 1
    assert desk_data.audit_rows("audit.export")[-1].actor == "super1"


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_staff_screen_by_role(qtbot, desk_data, runner, desk_settings, role):
    session = add_staff(desk_data.store.context, username=f"{role}9", role=role) if role == "admin" else desk_data.supervisor
    window = _window(qtbot, desk_data, runner, desk_settings, session)
    screen = window.screens["staff"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("staff")
    assert screen.new_button.isVisibleTo(screen) is (role == "admin")
    assert screen.unlock_button.isVisibleTo(screen)


def test_points_keep_what_was_typed_and_say_why_it_is_refused(qtbot, main_window, desk_data):
    member = _open_member(qtbot, main_window, desk_data.zhang)
    qtbot.keyClick(member, Qt.Key.Key_F7)
    dialog = member.adjustment_dialog
    qtbot.waitUntil(lambda: dialog.limits is not None, timeout=5_000)
    assert "10,000,000" in dialog.points.placeholderText()
    for typed, words in (("12a0", "whole number"), ("-300", "whole number"), ("20000000", "10,000,000")):
        dialog.points.clear()
        dialog.points.setFocus()
        qtbot.keyClicks(dialog.points, typed)
        assert dialog.points.text() == typed  # no letter, minus sign or digit silently dropped
        assert dialog.errors["points"].isVisible() and words in dialog.errors["points"].text()
        assert not dialog.submit_button.isEnabled()
    dialog.reject()


def test_a_refusal_is_said_beside_its_request_only(qtbot, desk_data, runner, desk_settings):
    adjustments = desk_data.services.adjustments
    filed = adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                                direction="credit", points=300, reason_code="GOODWILL", memo="Queue took over an hour")
    own = adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.supervisor, member_no=desk_data.wang,
                              direction="credit", points=100, reason_code="GOODWILL", memo="Printer jammed twice")
    other = add_staff(desk_data.store.context, username="super2", role="supervisor")
    carry_sign_ins(desk_data.store.context, desk_data.services, other)
    window, queue = _supervisor_window(qtbot, desk_data, runner, desk_settings)
    with qtbot.waitSignal(queue.sig_loaded, timeout=10_000):
        window.navigate("approvals")
    assert queue.select_request(filed.request_id)
    # a second supervisor decides it first, at another desk
    adjustments.reject(operation_id=adjustments.new_operation_id(), request_id=filed.request_id, session=other,
                       note="Duplicate of an earlier request")
    queue.note.setText("Checked the queue log")
    with qtbot.waitSignal(queue.sig_failed, timeout=10_000):
        qtbot.mouseClick(queue.approve_button, Qt.MouseButton.LeftButton)
    assert queue.banner.isVisible() and "rejected" in queue.banner.text()
    # on the supervisor's own request the refusal of the other one is gone; the reason for the disabled buttons is shown
    qtbot.waitUntil(lambda: queue.select_request(own.request_id) and queue.selected().request_id == own.request_id, timeout=10_000)
    assert not queue.banner.isVisible()
    assert not queue.approve_button.isEnabled()
    assert "another supervisor must decide it" in queue.detail_text.text()


def test_a_decision_note_too_long_is_refused_at_the_note(qtbot, desk_data, runner, desk_settings):
    from loyalty_desk.domain.adjustments import NOTE_MAX_LENGTH

    adjustments = desk_data.services.adjustments
    filed = adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                                direction="credit", points=300, reason_code="GOODWILL", memo="Queue took over an hour")
    window, queue = _supervisor_window(qtbot, desk_data, runner, desk_settings)
    with qtbot.waitSignal(queue.sig_loaded, timeout=10_000):
        window.navigate("approvals")
    assert queue.select_request(filed.request_id)
    long_note = "x" * (NOTE_MAX_LENGTH + 1)
    queue.note.setText(long_note)
    with qtbot.waitSignal(queue.sig_failed, timeout=10_000):
        qtbot.mouseClick(queue.approve_button, Qt.MouseButton.LeftButton)
    assert queue.note_error.isVisible() and str(NOTE_MAX_LENGTH) in queue.note_error.text()
    assert queue.note.text() == long_note and not queue.banner.isVisible()
    assert adjustments.queue(session=desk_data.supervisor)[0].status == "pending"
