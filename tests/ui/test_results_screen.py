"""The programme results screen: read off the UI thread, filters, charts with their tables, drill-down
to the rows behind a figure, export to Excel (its charts read back) and PDF."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from factories import add_branch, add_staff, carry_sign_ins, post_earning
from openpyxl import load_workbook
from PySide6.QtCharts import QHorizontalBarSeries, QLineSeries

from loyalty_desk.domain.rules import Tier
from loyalty_desk.services.ledger import Ledger
from loyalty_desk.services.tier_changes import TierChangeReason, change_tier
from loyalty_desk.store.models import Campaign
from loyalty_desk.ui.main_window import MainWindow
from loyalty_desk.ui.registry import default_registry
from loyalty_desk.ui.screens.results.screen import ResultsScreen


def _window(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, session: Any) -> MainWindow:
    window = MainWindow(desk_data.services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def _auditor(desk_data: Any) -> Any:
    add_branch(desk_data.store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    auditor = add_staff(desk_data.store.context, username="auditor1", display_name="审计员", role="auditor", branch_code="HQ01")
    carry_sign_ins(desk_data.store.context, desk_data.services, auditor)
    return auditor


def _open(qtbot: Any, window: MainWindow) -> ResultsScreen:
    window.navigate("results")
    screen = window.screens["results"]
    assert isinstance(screen, ResultsScreen)
    qtbot.waitUntil(lambda: screen.results is not None, timeout=10_000)
    return screen


def _choose(qtbot: Any, screen: ResultsScreen, box: Any, data: str) -> None:
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        box.setCurrentIndex(box.findData(data))
        box.activated.emit(box.currentIndex())


def test_the_auditor_reads_the_results_filters_them_and_the_charts_follow_their_tables(qtbot, desk_data, runner, desk_settings) -> None:
    window = _window(qtbot, desk_data, runner, desk_settings, _auditor(desk_data))
    assert any(action.shortcut().toString() == "Ctrl+Shift+G" for action in window.go_menu.actions())
    screen = _open(qtbot, window)
    results = screen.results
    assert screen.branch.isVisible() and screen.branch.currentData() == "*"
    assert results.issued > 0 and screen.headline_values["issued"].text() == f"{results.issued:,}"
    months = screen.models["months"]
    assert months.rowCount() == 12
    line = screen.charts["months"].series()
    assert len(line) == 2 and all(isinstance(series, QLineSeries) for series in line)
    assert [point.y() for point in line[0].points()] == [float(m.issued) for m in results.months]
    funnel = screen.charts["referrals"].series()
    assert len(funnel) == 1 and isinstance(funnel[0], QHorizontalBarSeries)
    sources = screen.models["sources"]
    assert sources.rowCount() == len(results.issued_by_source) and sources.headers()[0] == "Source"

    _choose(qtbot, screen, screen.branch, "SH01")
    assert screen.results.branch_code == "SH01" and screen.results.issued < results.issued
    _choose(qtbot, screen, screen.tier, "gold")
    assert screen.results.tier == "gold" and screen.results.issued == 0  # Shanghai's member is Standard
    _choose(qtbot, screen, screen.branch, "*")
    assert screen.results.branch_code is None and screen.results.issued > 0  # Zhang is Gold


def test_double_clicking_a_row_opens_the_entries_behind_it(qtbot, desk_data, runner, desk_settings) -> None:
    window = _window(qtbot, desk_data, runner, desk_settings, _auditor(desk_data))
    screen = _open(qtbot, window)
    sources = screen.models["sources"]
    row = next(i for i in range(sources.rowCount()) if sources.row(i).key == "card_spend")
    expected = next(s for s in screen.results.issued_by_source if s.source == "card_spend")
    screen.open_drill("sources", sources.index(row, 0))
    dialog = screen.drill_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.total is not None, timeout=10_000)
    assert dialog.model.total == expected.entries
    shown = [dialog.model.row(i) for i in range(dialog.model.rowCount())]
    assert sum(row.points for row in shown) == expected.points
    assert all(row.what == "earn:card_spend" for row in shown)
    assert "of" in dialog.count.text()
    dialog.reject()
    qtbot.waitUntil(lambda: screen.drill_dialog is None, timeout=5_000)
    # the summary's rows that are no list open nothing
    screen.open_drill("summary", screen.models["summary"].index(2, 0))
    assert screen.drill_dialog is None


def test_exporting_the_view_writes_a_workbook_with_its_charts_and_a_pdf(qtbot, desk_data, runner, desk_settings, tmp_path: Path) -> None:
    window = _window(qtbot, desk_data, runner, desk_settings, _auditor(desk_data))
    screen = _open(qtbot, window)
    with qtbot.waitSignal(screen.sig_exported, timeout=20_000) as exported:
        screen.export_to(tmp_path / "results.xlsx", "xlsx")
    assert exported.args[0].xlsx.endswith("results.xlsx") and "results.xlsx" in screen.banner.text()
    workbook = load_workbook(tmp_path / "results.xlsx")
    charted = {sheet.title: len(sheet._charts) for sheet in workbook.worksheets}  # openpyxl's reader keeps them there
    assert sum(charted.values()) == 6 and charted["Issued and redeemed by month"] == 1 and charted["Tier movements"] == 1
    with qtbot.waitSignal(screen.sig_exported, timeout=20_000):
        screen.export_to(tmp_path / "results.pdf", "pdf")
    assert (tmp_path / "results.pdf").read_bytes().startswith(b"%PDF")


def test_a_branch_supervisor_sees_only_their_branch(qtbot, desk_data, runner, desk_settings) -> None:
    window = _window(qtbot, desk_data, runner, desk_settings, desk_data.supervisor)
    screen = _open(qtbot, window)
    assert not screen.branch.isVisible() and screen.results.branch_code == desk_data.supervisor.branch_code


def test_the_tier_moves_tab_shows_each_branch_up_and_down_beside_its_chart(qtbot, desk_data, runner, desk_settings) -> None:
    context = desk_data.store.context
    today = desk_data.services.results.today()
    with context.uow(write=True) as uow:
        found = uow.members.by_no(desk_data.wang)
        assert found is not None
        member = uow.members.lock(found.id)
        assert member is not None
        change_tier(uow, Ledger(uow, context.rules, context.clock()), member, Tier.SILVER, reason=TierChangeReason.OVERRIDE, cause="screen-test",
                    occurred_on=today, actor=context.system_actor("test"), now=context.clock())
        uow.commit()
    window = _window(qtbot, desk_data, runner, desk_settings, _auditor(desk_data))
    screen = _open(qtbot, window)
    assert [(m.branch_code, m.up, m.down) for m in screen.results.tier_moves] == [("SH01", 1, 0)]
    moves = screen.models["moves"]
    assert moves.headers() == ["Home branch", "Moved up", "Moved down"] and screen.tabs.tabText(5) == "Tier moves"
    assert [moves.row(i).cells for i in range(moves.rowCount())] == [("SH01 Shanghai Branch", "1", "0"), ("Total", "1", "0")]
    chart = screen.charts["moves"].series()
    assert len(chart) == 1 and isinstance(chart[0], QHorizontalBarSeries)
    assert [[one.at(i) for i in range(one.count())] for one in chart[0].barSets()] == [[1.0], [0.0]]


def test_the_campaigns_tab_compares_participants_spend_with_eligible_members_who_did_not_take_part(qtbot, desk_data, runner, desk_settings) -> None:
    context = desk_data.store.context
    today = desk_data.services.results.today()
    post_earning(context, desk_data.zhang, 600, on=today, details={"amount": "300.00"}, campaign_code="AUTUMN")
    post_earning(context, desk_data.latin, 200, on=today, details={"amount": "100.00"})
    post_earning(context, desk_data.wang, 900, on=today, details={"amount": "900.00"})  # Shanghai: not eligible
    with context.uow(write=True) as uow:
        uow.reference.add_campaign(
            Campaign(code="AUTUMN", name_zh="秋季活动", name_en="Autumn drive", starts_on=today - timedelta(days=40), ends_on=today,
                     sources=["card_spend"], tiers=["standard", "gold"], branches=["BJ01"], multiplier="2", budget_points=10_000,
                     spent_points=500, members_reached=1, status="approved")
        )
        uow.commit()
    window = _window(qtbot, desk_data, runner, desk_settings, _auditor(desk_data))
    screen = _open(qtbot, window)
    (autumn,) = screen.results.campaigns
    spend = screen.models["campaign_spend"]
    assert spend.headers()[:3] == ["Campaign", "Incremental spend (CNY)", "Return per CNY"]
    # Zhang spent 300.00; Zhang Wei and the business 100.00 between them: (300 - 50) x 1 = 250.00 for 5.00 CNY of points
    assert (autumn.participants, autumn.comparison_members) == (1, 2)
    assert spend.row(0).cells[:7] == ("AUTUMN", "250.00", "50.00", "1", "300.00", "2", "50.00")
    screen.open_drill("campaign_spend", spend.index(0, 0))  # the campaign's entries, as from its row in the campaigns table
    dialog = screen.drill_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.total is not None, timeout=10_000)
    dialog.reject()
    qtbot.waitUntil(lambda: screen.drill_dialog is None, timeout=5_000)
