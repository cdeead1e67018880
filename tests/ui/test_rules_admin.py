"""The Programme rules screen: the rules in force on a day, a bad value refused at its field with
nothing proposed, a proposal shown before and after, the proposer unable to decide it (told why), and a
second administrator approving it into a version in force from its effective date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from factories import add_staff, carry_sign_ins
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from loyalty_desk.ui import fmt
from loyalty_desk.ui.registry import default_registry
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.rules_admin import RulesScreen


@pytest.fixture
def admins(desk_data: Any) -> tuple[Any, Any]:
    context = desk_data.store.context
    first = add_staff(context, username="admin1", display_name="周敏", role="admin")
    second = add_staff(context, username="admin2", display_name="孙丽", role="admin")
    carry_sign_ins(context, desk_data.services, first, second)
    return first, second


def open_screen(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, session: Any) -> RulesScreen:
    context = ScreenContext(services=desk_data.services, session=session, runner=runner, settings=desk_settings,
                            navigate=lambda *a, **k: None)
    screen = RulesScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000), qtbot.waitSignal(screen.sig_lists_loaded, timeout=10_000):
        screen.activate()
    return screen


def test_only_administrators_have_the_screen() -> None:
    spec = default_registry().get("rules")
    assert spec.roles == frozenset({"admin"})
    taken = [s.shortcut for s in default_registry().for_role("admin") if s.key != "rules"]
    assert spec.shortcut not in taken


def test_a_bad_value_is_refused_at_its_field_and_nothing_is_proposed(qtbot, desk_data, runner, desk_settings, admins) -> None:
    screen = open_screen(qtbot, desk_data, runner, desk_settings, admins[0])
    assert screen.fields["expiry.lot_lifetime_months"].text() == "24"
    assert screen.version_label.text() == "The installed settings (no version yet)"
    lifetime = screen.fields["expiry.lot_lifetime_months"]
    lifetime.setText("0")
    screen.fields["tiers.gold.qualifying_points"].setText("10000")
    qtbot.keyClicks(screen.reason, "Shorter expiry for the pilot")
    qtbot.mouseClick(screen.propose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.errors["expiry.lot_lifetime_months"].isVisibleTo(screen), timeout=10_000)
    assert "must be at least 1 (given 0)" in screen.errors["expiry.lot_lifetime_months"].text()
    assert "must rise tier by tier" in screen.errors["tiers.gold.qualifying_points"].text()
    assert "nothing was proposed" in screen.banner.text()
    assert screen.proposal_dialog is None
    assert desk_data.services.rule_changes.changes() == []


def test_propose_then_the_proposer_is_refused_and_a_second_administrator_approves(qtbot, desk_data, runner, desk_settings, admins) -> None:
    maker = open_screen(qtbot, desk_data, runner, desk_settings, admins[0])
    maker.effective_on.setDate(fmt.qdate(date(2026, 7, 15)))
    card = maker.fields["earning.card_points_per_cny"]
    card.setText("2")
    qtbot.keyClicks(maker.reason, "Double card points for the summer")
    qtbot.mouseClick(maker.propose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: maker.proposal_dialog is not None, timeout=10_000)
    dialog = maker.proposal_dialog
    assert "Card spend: points per CNY" in dialog.diff.text() and "<b>2</b>" in dialog.diff.text()
    assert "15/07/2026" in dialog.findChild(type(maker.title), "FieldLabel").text()
    with qtbot.waitSignal(maker.sig_proposed, timeout=10_000) as proposed:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert proposed.args[0].status == "pending"
    qtbot.waitUntil(lambda: maker.pending_model.rowCount() == 1, timeout=10_000)

    maker.pending_table.selectRow(0)
    assert not maker.approve_button.isEnabled() and not maker.reject_button.isEnabled()
    assert maker.withdraw_button.isEnabled()
    assert "a second administrator must approve or reject it" in maker.decide_hint.text()

    checker = open_screen(qtbot, desk_data, runner, desk_settings, admins[1])
    checker.tabs.setCurrentIndex(1)
    checker.pending_table.selectRow(0)
    assert checker.approve_button.isEnabled() and checker.decide_hint.isHidden()
    with qtbot.waitSignal(checker.sig_decided, timeout=10_000) as decided:
        qtbot.mouseClick(checker.approve_button, Qt.MouseButton.LeftButton)
    assert (decided.args[0].status, decided.args[0].version) == ("approved", 1)
    assert "approved as version 1, in force from 15/07/2026" in checker.banner.text()
    qtbot.waitUntil(lambda: checker.history_model.rowCount() == 1, timeout=10_000)

    # the date picker: on the effective date the new value and the version, the day before the old one
    with qtbot.waitSignal(checker.sig_loaded, timeout=10_000):
        checker.on_date.setDate(fmt.qdate(date(2026, 7, 15)))
    assert (checker.fields["earning.card_points_per_cny"].text(), checker.version_label.text()) == ("2", "Version 1")
    with qtbot.waitSignal(checker.sig_loaded, timeout=10_000):
        checker.on_date.setDate(fmt.qdate(date(2026, 7, 14)))
    assert checker.fields["earning.card_points_per_cny"].text() == "1"


def test_the_screenshots_show_a_refusal_and_a_proposal_and_propose_nothing(qapp, desk_data, runner, desk_settings) -> None:
    from factories import DEFAULT_PASSWORD

    from loyalty_desk.ui.screenshots.desk import _wait
    from loyalty_desk.ui.screenshots.rules import render_rules_screenshots
    from loyalty_desk.ui.screenshots.windows import Shots

    add_staff(desk_data.store.context, username="admin", role="admin")
    shots: list[tuple[str, Any]] = []

    def save(widget: Any, name: str, overlay: Any = None) -> None:
        shots.append((name, widget.grab().size()))

    render_rules_screenshots(Shots(qapp, desk_data.services, desk_settings, runner, (1280, 800), "en", save, _wait, DEFAULT_PASSWORD))
    assert [name for name, _ in shots] == ["12b-rules-refused", "12c-rules-proposal"]
    assert shots[0][1].width() == 1280
    assert desk_data.services.rule_changes.changes() == []
