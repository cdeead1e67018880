"""The Campaigns screen end to end: a marketer drafts a campaign (a bad field refused at the field, nothing
saved), sees its forecast, submits it, and may not approve it (the button disabled, saying why); a second
marketer approves it in the dialog with the forecast; the campaign then earns, and its budget stops it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_staff, carry_sign_ins
from PySide6.QtCore import Qt
from ui_support import type_text

from loyalty_desk.domain.earning import EarningTxn
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor


@pytest.fixture
def marketers(desk_data: Any) -> tuple[Any, Any]:
    context = desk_data.store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    maker = add_staff(context, username="mkt.maker", display_name="赵敏", role="marketing", branch_code="HQ01")
    checker = add_staff(context, username="mkt.checker", display_name="钱芳", role="marketing", branch_code="HQ01")
    carry_sign_ins(context, desk_data.services, maker, checker)
    return maker, checker


def spend(desk_data: Any, member_no: str, on: date, amount: str, txn_id: str) -> None:
    txn = EarningTxn(txn_id=txn_id, member_no=member_no, occurred_on=on, source=Source.CARD_SPEND, amount=Decimal(amount), product="")
    desk_data.services.earning.post(txns=[txn], origin="test", actor=Actor("importer", "test-desk", "BJ01"))


def window_for(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, session: Any) -> Any:
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    window = MainWindow(desk_data.services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    screen = window.screens["campaigns"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("campaigns")
    return window, screen


def balance(desk_data: Any, member_no: str) -> int:
    with desk_data.store.context.uow() as uow:
        return uow.members.by_no(member_no).posted_balance


def test_draft_forecast_submit_maker_refused_second_person_approves_campaign_earns_budget_stops_it(
    qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, marketers: Any
) -> None:
    maker, checker = marketers
    for i in range(4):  # last year's spending in the same window: what the forecast replays
        spend(desk_data, desk_data.wang, date(2025, 7, 10) + timedelta(days=i), "500.00", f"LAST-{i}")
    window, screen = window_for(qtbot, desk_data, runner, desk_settings, maker)
    assert screen.model.rowCount() == 0

    # a bad budget and a name left out: refused at their fields, nothing saved
    type_text(qtbot, screen.name_zh, "暑期双倍积分")
    screen.multiplier.setText("2")
    screen.starts_on.setDate(screen.starts_on.date().fromString("2026-07-08", "yyyy-MM-dd"))
    screen.ends_on.setDate(screen.ends_on.date().fromString("2026-07-20", "yyyy-MM-dd"))
    qtbot.keyClicks(screen.budget, "0")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "a campaign needs a name in Chinese and in English" in screen.errors["name_en"].text()
    assert "The budget must be more than 0 points" in screen.errors["budget_points"].text()
    assert screen.errors["budget_points"].isVisibleTo(screen)
    assert desk_data.services.campaigns.list(session=maker) == []

    qtbot.keyClicks(screen.name_en, "Summer double points")
    screen.budget.setText("600")

    # the forecast of the form, computed off the UI thread
    with qtbot.waitSignal(screen.forecast.sig_shown, timeout=20_000) as shown:
        qtbot.mouseClick(screen.forecast_button, Qt.MouseButton.LeftButton)
    forecast = shown.args[0]
    assert (forecast.replayed_from, forecast.replayed_to) == (date(2025, 7, 8), date(2025, 7, 20))
    assert (forecast.points_without_budget, forecast.points, forecast.members_reached) == (2_000, 600, 1)
    assert forecast.exhausted_on == date(2026, 7, 11)
    assert "600 points to 1 members" in screen.forecast.text.text() and "run out on" in screen.forecast.text.text()

    with qtbot.waitSignal(screen.sig_saved, timeout=10_000) as saved:
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    code = saved.args[0].code
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and screen.current() is not None, timeout=10_000)
    assert screen.current().status == "draft"
    with qtbot.waitSignal(screen.sig_saved, timeout=10_000):
        qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.current() is not None and screen.current().status == "submitted", timeout=10_000)
    # the maker may not approve: the button is disabled and says why
    assert not screen.decide_button.isEnabled()
    assert "Four eyes" in screen.decide_reason.text() and "second marketer" in screen.decide_reason.text()
    window.close()

    # a second marketer approves in the dialog, the forecast in view
    window2, screen2 = window_for(qtbot, desk_data, runner, desk_settings, checker)
    assert screen2.select_code(code)
    assert screen2.decide_button.isEnabled() and screen2.decide_reason.text() == ""
    screen2.open_decision()
    dialog = screen2.decision_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.forecast.forecast is not None, timeout=20_000)
    assert dialog.forecast.forecast.points == 600
    with qtbot.waitSignal(dialog.sig_decided, timeout=10_000) as decided:
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert decided.args[0].status == "approved"
    qtbot.waitUntil(lambda: screen2.current() is not None and screen2.current().shown_status == "scheduled", timeout=10_000)
    assert [(r.action, r.actor) for r in desk_data.audit_rows("campaign.")] == [
        ("campaign.created", "mkt.maker"), ("campaign.submitted", "mkt.maker"), ("campaign.approved", "mkt.checker")]

    # the campaign earns in its window until its budget is spent
    desk_data.store.clock.now = datetime(2026, 7, 10, 10, 0)
    before = balance(desk_data, desk_data.wang)
    spend(desk_data, desk_data.wang, date(2026, 7, 10), "500.00", "NOW-1")  # 500 extra
    spend(desk_data, desk_data.wang, date(2026, 7, 10), "500.00", "NOW-2")  # 100 left
    spend(desk_data, desk_data.wang, date(2026, 7, 10), "500.00", "NOW-3")  # none
    assert balance(desk_data, desk_data.wang) - before == 1_500 + 500 + 100
    with qtbot.waitSignal(screen2.sig_loaded, timeout=10_000):
        screen2.refresh()
    assert screen2.select_code(code)
    headers = screen2.model.headers()
    row = next(i for i in range(screen2.model.rowCount()) if screen2.model.row(i).code == code)
    assert screen2.model.index(row, headers.index("Status")).data() == "Budget spent"
    assert screen2.model.index(row, headers.index("Left")).data() == "0"
    assert screen2.model.index(row, headers.index("Members reached")).data() == "1"
    assert not screen2.stop_button.isEnabled() or screen2.current().status == "approved"
    window2.close()


def test_a_stop_needs_a_reason_and_is_audited(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, marketers: Any) -> None:
    maker, checker = marketers
    service = desk_data.services.campaigns
    fields = {"name_zh": "春季", "name_en": "Spring", "kind": "bonus", "bonus_points": 300, "sources": ["card_spend"],
              "tiers": ["standard", "silver", "gold", "platinum"], "starts_on": "2026-07-01", "ends_on": "2026-07-31", "budget_points": 10_000,
              "stacking": "combine"}
    view = service.create(operation_id=service.new_operation_id(), session=maker, fields=fields)
    service.submit(operation_id=service.new_operation_id(), session=maker, code=view.code)
    service.approve(operation_id=service.new_operation_id(), session=checker, code=view.code)
    window, screen = window_for(qtbot, desk_data, runner, desk_settings, maker)
    assert screen.select_code(view.code)
    assert screen.stop_button.isEnabled() and not screen.save_button.isEnabled()
    screen.open_stop()
    dialog = screen.stop_dialog
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert "At least 10 characters" in dialog.note_error.text()
    assert service.get(session=maker, code=view.code).status == "approved"
    dialog.note.setPlainText("Fraud pattern at two branches")
    with qtbot.waitSignal(dialog.sig_stopped, timeout=10_000):
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.current() is not None and screen.current().status == "stopped", timeout=10_000)
    assert "stopped by mkt.maker: Fraud pattern at two branches" in screen.status_line.text()
    assert [(r.action, r.actor) for r in desk_data.audit_rows("campaign.stopped")] == [("campaign.stopped", "mkt.maker")]
    window.close()


def test_the_campaign_screenshots_render_the_list_and_a_drafts_forecast_in_both_languages(
    qapp: Any, desk_data: Any, runner: Any, desk_settings: Any, tmp_path: Any
) -> None:
    from loyalty_desk.ui.app import install_language
    from loyalty_desk.ui.screenshots.campaigns import render_campaign_screenshots
    from loyalty_desk.ui.screenshots.desk import _wait
    from loyalty_desk.ui.screenshots.windows import Shots

    context = desk_data.store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_staff(context, username="marketing.1", role="marketing", branch_code="HQ01")
    for i in range(3):
        spend(desk_data, desk_data.wang, date(2025, 7, 20) + timedelta(days=i), "300.00", f"SHOT-{i}")
    saved: dict[str, Any] = {}

    def save(widget: Any, name: str) -> None:
        saved[name] = widget.grab().toImage()
        saved[name].save(str(tmp_path / f"{name}.png"))

    for language in ("en", "zh_CN"):
        install_language(qapp, language)
        desk_settings.language = language
        saved.clear()
        render_campaign_screenshots(Shots(qapp, desk_data.services, desk_settings, runner, (1280, 800), language, save, _wait, DEFAULT_PASSWORD))
        assert set(saved) == {"50-campaigns", "51-campaign-forecast", "52-campaign-spend-target"}, language
        assert (saved["51-campaign-forecast"].width(), saved["51-campaign-forecast"].height()) == (1280, 800)


def test_a_forecast_can_be_cancelled_and_its_late_answer_is_ignored(
    qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, marketers: Any
) -> None:
    maker, _checker = marketers
    for i in range(3):
        spend(desk_data, desk_data.wang, date(2025, 7, 10) + timedelta(days=i), "500.00", f"CANCEL-{i}")
    window, screen = window_for(qtbot, desk_data, runner, desk_settings, maker)
    screen.name_zh.setText("暑期")
    screen.name_en.setText("Summer")
    screen.budget.setText("1000")
    qtbot.mouseClick(screen.forecast_button, Qt.MouseButton.LeftButton)
    assert screen.forecast.cancel_button.isVisibleTo(screen.forecast) and screen.forecast.progress.isVisibleTo(screen.forecast)
    qtbot.mouseClick(screen.forecast.cancel_button, Qt.MouseButton.LeftButton)
    assert screen.forecast.text.text() == "The forecast was cancelled."
    assert not screen.forecast.cancel_button.isVisibleTo(screen.forecast)
    qtbot.waitUntil(lambda: runner.active_count() == 0, timeout=20_000)
    assert screen.forecast.forecast is None and screen.forecast.text.text() == "The forecast was cancelled."
    # asked again, it runs to the end
    with qtbot.waitSignal(screen.forecast.sig_shown, timeout=20_000):
        qtbot.mouseClick(screen.forecast_button, Qt.MouseButton.LeftButton)
    assert screen.forecast.forecast is not None and screen.forecast.forecast.points == 1_000
    window.close()
