"""The member view's "Offer now" tab: today's hints in words, and the member's answer recorded."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from loyalty_desk.store.models import HintResponse


@pytest.fixture
def offers(qtbot, main_window, desk_data, catalogue):
    """张伟's member view open, its hints shown (points of July 2024 expire on 2026-07-31, 31 days after today)."""
    screen = main_window.screens["member"]
    with qtbot.waitSignal(screen.offer_panel.sig_loaded, timeout=10_000):
        main_window.navigate("member", member_no=desk_data.zhang)
    return screen


def texts(panel) -> list[str]:
    return [panel.list.item(row).text() for row in range(panel.list.count())]


def test_points_expiring_soon_are_offered_in_words(offers, desk_data):
    panel = offers.offer_panel
    hints = desk_data.services.hints.for_member(member_no=desk_data.zhang)
    expiry = hints.hints[0]
    assert expiry.key == "expiring:60"
    assert texts(panel)[0] == (
        f"{expiry.facts['points']:,} points expire within 60 days (the first on 31/07/2026): they would buy JD e-card 100 CNY (10,000)."
    )
    assert len(texts(panel)) == len(hints.hints)
    assert offers.tabs.tabText(offers.tabs.indexOf(panel)) == f"Offer now ({len(hints.hints)})"


def test_ctrl_o_brings_the_keyboard_to_the_hints(qtbot, offers):
    offers.tabs.setCurrentIndex(0)
    offers.offer_action.trigger()
    assert offers.tabs.currentWidget() is offers.offer_panel
    qtbot.waitUntil(lambda: offers.offer_panel.list.hasFocus())
    assert offers.offer_panel.list.currentRow() == 0


def test_declined_is_recorded_and_hides_the_hint_for_the_day(qtbot, offers, desk_data):
    panel = offers.offer_panel
    shown = len(texts(panel))
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.sig_answered, timeout=10_000) as answered:
        qtbot.mouseClick(panel.answer_buttons["declined"], Qt.MouseButton.LeftButton)
    assert (answered.args[0].hint_key, answered.args[0].response) == ("expiring:60", "declined")
    qtbot.waitUntil(lambda: panel.data is not None and len(panel.data.hints) == shown - 1, timeout=10_000)
    assert not any(" points expire within " in text for text in texts(panel))
    assert panel.answered.text() == "Nothing more to offer today; 1 hint answered."
    assert panel.banner.text() == "Recorded as declined; not shown again today."
    assert offers.tabs.tabText(offers.tabs.indexOf(panel)) == (f"Offer now ({shown - 1})" if shown > 1 else "Offer now")
    with desk_data.store.context.uow() as uow:
        rows = list(uow.hints.session.scalars(select(HintResponse)))
        assert [(r.hint_key, r.response, r.responded_on) for r in rows] == [("expiring:60", "declined", date(2026, 6, 30))]
    audited = desk_data.audit_rows("member.hint_response")
    assert [(a.actor, a.member_no) for a in audited] == [("officer1", desk_data.zhang)]
    # opened again the same day: still not offered
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        offers.open_member(desk_data.zhang)
    assert not any(" points expire within " in text for text in texts(panel))


def test_offered_stays_on_the_list_marked(qtbot, offers):
    panel = offers.offer_panel
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.sig_answered, timeout=10_000):
        panel.answer_buttons["offered"].click()
    qtbot.waitUntil(lambda: panel.list.count() > 0 and texts(panel)[0].endswith("(offered today)"), timeout=10_000)
    assert not panel.answer_buttons["offered"].isEnabled()
    assert panel.answer_buttons["accepted"].isEnabled() and panel.answer_buttons["declined"].isEnabled()
