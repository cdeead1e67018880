"""The statements and exports screen: only the fields the chosen export takes, buttons at their own size."""

from __future__ import annotations

from PySide6.QtCore import QLocale


def test_the_export_form_shows_only_the_fields_of_the_chosen_kind(qtbot, main_window):
    main_window.navigate("documents")
    screen = main_window.screens["documents"]

    def choose(kind: str) -> None:
        screen.kind.setCurrentIndex(screen.kind.findData(kind))

    choose("members")
    assert not screen.period.isVisible() and not screen.within.isVisible()
    choose("ledger")
    assert screen.period.isVisible() and not screen.within.isVisible()
    choose("expiring")
    assert screen.within.isVisible() and not screen.period.isVisible()


def test_the_documents_buttons_keep_their_own_width(qtbot, main_window):
    main_window.resize(1920, 1080)
    main_window.navigate("documents")
    screen = main_window.screens["documents"]
    qtbot.waitUntil(lambda: screen.export_button.width() > 0)
    for button in (screen.export_button, screen.batch_button):
        if button.isVisible():
            assert button.width() <= button.sizeHint().width() + 2, button.text()


def test_the_export_period_reads_in_the_locales_date_format(qtbot, main_window):
    main_window.navigate("documents")
    screen = main_window.screens["documents"]
    assert screen.date_from.displayFormat() == QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    assert "-" not in screen.date_from.text()  # 01/06/2026, never 2026-06-01
