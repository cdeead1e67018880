"""The member view shows what MemberService.view says; history pages in lazily; reveal is audited."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from ui_support import audit_actions, type_text

from loyalty_desk.domain.identity import make_member_no
from loyalty_desk.services.members.dto import HistoryFilter
from loyalty_desk.ui import fmt


@pytest.fixture
def member_screen(qtbot, main_window, desk_data):
    screen = main_window.screens["member"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        main_window.navigate("member", member_no=desk_data.zhang)
    qtbot.waitUntil(lambda: screen.history_model.rowCount() > 0 and not screen.history_model.is_loading)
    return screen


def test_the_figures_match_the_member_service(member_screen, desk_data):
    view = desk_data.services.members.view(member_no=desk_data.zhang)
    screen = member_screen
    assert screen.name.text() == "张伟"
    assert screen.f_member_no.value.text() == view.member_no
    assert screen.f_id.value.text() == view.masked_id
    assert screen.f_mobile.value.text() == view.masked_mobile
    assert screen.f_card.value.text() == view.masked_card
    assert screen.tier_badge.text() == "Gold"
    assert screen.t_available.value.text() == f"{view.available_balance:,}"
    assert screen.t_posted.value.text() == f"{view.posted_balance:,}"
    assert screen.t_held.value.text() == f"{view.held_points:,}"
    for expiring in view.expiring:
        assert screen.t_exp[expiring.within_days].value.text() == f"{expiring.points:,}"
    assert screen.lots_model.rowCount() == len(view.lots)
    for row, lot in enumerate(view.lots):
        assert screen.lots_model.index(row, 4).data() == f"{lot.remaining:,}"
    tier = view.tier
    if tier.points_to_next is not None:
        assert screen.tier_next.text() == f"{tier.points_to_next:,} points to reach Platinum"
    if tier.keep_points_needed:
        assert screen.tier_keep.text().startswith(f"{tier.keep_points_needed:,} points by ")


def test_history_loads_a_page_at_a_time(qtbot, member_screen, desk_data):
    model = member_screen.history_model
    total = desk_data.services.members.history(member_no=desk_data.zhang, offset=0, limit=1, filter=HistoryFilter()).total
    assert total == 75
    assert model.rowCount() == 50  # one page
    assert model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 75)
    assert not model.canFetchMore()
    first = desk_data.services.members.history(member_no=desk_data.zhang, offset=0, limit=1, filter=HistoryFilter()).rows[0]
    assert model.row(0).entry_id == first.entry_id
    assert member_screen.history_count.text() == "75 of 75 entries"


def test_history_filters_by_kind_and_dates(qtbot, member_screen):
    model = member_screen.history_model
    index = member_screen.kind_filter.findData("redeem")
    with qtbot.waitSignal(model.sig_loaded):
        member_screen.kind_filter.setCurrentIndex(index)
    assert model.rowCount() == 15
    assert {model.row(i).kind for i in range(model.rowCount())} == {"redeem"}
    assert model.index(0, 3).data().startswith("−")

    with qtbot.waitSignal(model.sig_loaded):
        member_screen.date_from.setDate(QDate(2026, 3, 1))
    with qtbot.waitSignal(model.sig_loaded):
        member_screen.date_to.setDate(QDate(2026, 4, 30))
    assert member_screen.current_filter() == HistoryFilter(("redeem",), date(2026, 3, 1), date(2026, 4, 30))
    days = {model.row(i).occurred_at.date() for i in range(model.rowCount())}
    assert days and all(date(2026, 3, 1) <= day <= date(2026, 4, 30) for day in days)


def test_reveal_needs_a_reason_and_is_audited(qtbot, member_screen, desk_data):
    screen = member_screen
    screen.ask_reveal()
    dialog = screen.reveal_dialog
    assert dialog is not None
    type_text(qtbot, dialog.reason, "abc")
    assert not dialog.ok_button.isEnabled()  # fewer than 5 characters
    type_text(qtbot, dialog.reason, " 客户核对")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(screen.sig_revealed, timeout=10_000) as revealed:
        dialog.ok_button.click()
    identity = revealed.args[0]
    assert screen.f_id.value.text() == identity.id_number and "*" not in identity.id_number
    assert screen.f_mobile.value.text() == identity.mobile
    rows = desk_data.audit_rows("member.reveal")
    assert len(rows) == 1
    assert (rows[0].actor, rows[0].member_no, rows[0].details["reason"]) == ("officer1", desk_data.zhang, "abc 客户核对")


def test_cancelled_reveal_reveals_nothing(qtbot, member_screen, desk_data):
    member_screen.ask_reveal()
    dialog = member_screen.reveal_dialog
    type_text(qtbot, dialog.reason, "checking the phone")
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert "*" in member_screen.f_id.value.text()
    assert "member.reveal" not in audit_actions(desk_data)


def test_escape_goes_back_to_lookup_with_the_box_focused(qtbot, member_screen, main_window):
    qtbot.keyClick(member_screen, Qt.Key.Key_Escape)
    assert main_window.current_key() == "lookup"
    assert main_window.focusWidget() is main_window.screens["lookup"].search


def test_an_unknown_member_shows_a_message(qtbot, main_window):
    screen = main_window.screens["member"]
    with qtbot.waitSignal(screen.sig_failed, timeout=10_000):
        main_window.navigate("member", member_no=make_member_no(999_999_999))
    assert "No member found" in screen.banner.text()
    assert not screen.reveal_button.isEnabled()


def test_a_standing_downgrade_warning_is_said_on_the_tier_line(qtbot, main_window, desk_data):
    context = desk_data.store.context
    with context.uow(write=True) as uow:
        member = uow.members.by_no(desk_data.zhang)
        member.tier_warned_on = context.today()  # as the last monthly review left it
        uow.commit()
    tier = desk_data.services.members.view(member_no=desk_data.zhang).tier
    assert tier.keep_points_needed and tier.downgrade_due_on and tier.downgrade_to == "silver"
    screen = main_window.screens["member"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        main_window.navigate("member", member_no=desk_data.zhang)
    assert screen.tier_keep.text() == (
        f"Downgrade to Silver due at the review on {fmt.day(tier.downgrade_due_on)} unless {tier.keep_points_needed:,} more points"
    )
