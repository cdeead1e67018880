"""The branch dashboard: the supervisor's home screen, read off the UI thread from the analytics aggregates."""

from __future__ import annotations

from typing import Any

from factories import add_staff, carry_sign_ins
from PySide6.QtCharts import QBarSeries

from loyalty_desk.ui.main_window import MainWindow
from loyalty_desk.ui.registry import default_registry


def _window(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, session: Any) -> MainWindow:
    window = MainWindow(desk_data.services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def _request(desk_data: Any, member_no: str, points: int = 300) -> Any:
    adjustments = desk_data.services.adjustments
    return adjustments.request(
        operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=member_no,
        direction="credit", points=points, reason_code="goodwill", memo="Client waited an hour at the counter",
    )


def test_the_supervisor_starts_on_the_dashboard_and_its_link_opens_the_approvals_queue(qtbot, desk_data, runner, desk_settings) -> None:
    _request(desk_data, desk_data.zhang)
    _request(desk_data, desk_data.zhang, 200)
    window = _window(qtbot, desk_data, runner, desk_settings, desk_data.supervisor)
    assert window.current_key() == "dashboard"
    screen = window.screens["dashboard"]
    qtbot.waitUntil(lambda: screen.dashboard is not None, timeout=10_000)
    assert screen.today_values["adjustments_requested"].text() == "2"
    assert screen.today_values["members_served"].text() == "1"  # the same member twice is one member served
    assert screen.month_values["adjustments_requested"].text() == "2"
    assert screen.approvals_value.text() == "2"
    assert not screen.branch.isVisible()  # a branch supervisor sees their own branch
    trend = screen.trend_model
    assert trend.rowCount() == 12
    assert trend.headers()[2] == "Points redeemed"
    series = screen.chart.series()
    assert len(series) == 1 and isinstance(series[0], QBarSeries) and series[0].count() == 2
    issued = [series[0].barSets()[0].at(i) for i in range(12)]
    assert issued == [float(trend.row(i).issued) for i in range(12)]

    screen.open_approvals.click()
    assert window.current_key() == "approvals"


def test_a_change_made_elsewhere_shows_when_the_store_moves(qtbot, desk_data, runner, desk_settings) -> None:
    window = _window(qtbot, desk_data, runner, desk_settings, desk_data.supervisor)
    screen = window.screens["dashboard"]
    qtbot.waitUntil(lambda: screen.dashboard is not None, timeout=10_000)
    assert screen.today_values["adjustments_requested"].text() == "0"
    _request(desk_data, desk_data.wang)
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.store_watch.check()
    assert screen.today_values["adjustments_requested"].text() == "1"
    assert screen.approvals_value.text() == "1"


def test_the_officer_opens_it_by_its_shortcut_and_head_office_chooses_a_branch(qtbot, desk_data, runner, desk_settings) -> None:
    window = _window(qtbot, desk_data, runner, desk_settings, desk_data.officer)
    assert window.current_key() == "lookup"
    window.navigate("dashboard")
    screen = window.screens["dashboard"]
    qtbot.waitUntil(lambda: screen.dashboard is not None, timeout=10_000)
    assert not screen.open_approvals.isVisible()  # the queue is the supervisor's
    assert screen.dashboard.branch_code == "BJ01"

    auditor = add_staff(desk_data.store.context, username="auditor1", display_name="审计员", role="auditor")
    carry_sign_ins(desk_data.store.context, desk_data.services, auditor)
    _request(desk_data, desk_data.zhang)
    head_office = _window(qtbot, desk_data, runner, desk_settings, auditor)
    head_office.navigate("dashboard")
    screen = head_office.screens["dashboard"]
    qtbot.waitUntil(lambda: screen.dashboard is not None and screen.branch.isVisible(), timeout=10_000)
    assert screen.branch.itemText(0) == "All branches"
    assert screen.today_values["adjustments_requested"].text() == "1"
    screen.branch.setCurrentIndex(screen.branch.findData("SH01"))
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        screen.branch.activated.emit(screen.branch.currentIndex())
    assert screen.dashboard.branch_code == "SH01"
    assert screen.today_values["adjustments_requested"].text() == "0"
