"""Every screen at 1024×700 and 1920×1080 in both languages: the window fits and no text is cut."""

from __future__ import annotations

import pytest
from factories import add_staff
from layout_support import clipped_texts
from PySide6.QtWidgets import QApplication

from loyalty_desk.ui.app import apply_font, apply_stylesheet, install_language

SIZES = [(1024, 700), (1920, 1080)]


@pytest.fixture
def styled(qapp):
    """The desk's own font and style sheet, as the application starts with them."""
    font, style, sheet = qapp.font(), qapp.style().name(), qapp.styleSheet()

    def apply(language: str) -> None:
        install_language(qapp, language)
        apply_font(qapp, language)
        apply_stylesheet(qapp)

    yield apply
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setFont(font)
    install_language(qapp, "en")


def _window(qtbot, services, session, runner, desk_settings):
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    window = MainWindow(services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def _staff(desk_data, role: str):
    """The supervisor has the counter's screens, the administrator the catalogue and staff screens."""
    if role == "supervisor":
        return desk_data.supervisor
    return add_staff(desk_data.store.context, username="admin1", role="admin")


@pytest.mark.parametrize("role", ["supervisor", "admin"])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_main_window_shrinks_to_a_1024_by_700_screen(qtbot, styled, desk_data, runner, desk_settings, language, role):
    styled(language)
    window = _window(qtbot, desk_data.services, _staff(desk_data, role), runner, desk_settings)
    for key in list(window.screens):
        kwargs = {"member_no": desk_data.wang} if key in ("member", "redeem") else {}
        window.navigate(key, **kwargs)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 700, (language, key, hint)


@pytest.mark.parametrize("role", ["supervisor", "admin"])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_screen_cuts_its_text(qtbot, styled, desk_data, runner, desk_settings, language, size, role):
    styled(language)
    window = _window(qtbot, desk_data.services, _staff(desk_data, role), runner, desk_settings)
    window.resize(*size)
    problems = []
    for key in list(window.screens):
        kwargs = {"member_no": desk_data.wang} if key in ("member", "redeem") else {}
        try:
            window.navigate(key, **kwargs)
        except TypeError:
            window.navigate(key)
        QApplication.processEvents()
        qtbot.waitUntil(lambda: runner.active_count() == 0, timeout=10_000)  # the screen has its data
        QApplication.processEvents()  # ...and has laid it out
        problems += [f"{key}: {line}" for line in clipped_texts(window)]
    assert not problems, "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_frozen_members_view_fits_a_1024_by_700_screen(qtbot, styled, desk_data, runner, desk_settings, language):
    """The freeze line with its reason and note takes room above the card; the view still fits and cuts nothing."""
    from uuid import uuid4

    desk_data.services.member_care.freeze(operation_id=str(uuid4()), session=desk_data.supervisor, member_no=desk_data.wang,
                                          reason="lost_card", note="Card reported stolen by telephone, new card ordered")
    styled(language)
    window = _window(qtbot, desk_data.services, desk_data.supervisor, runner, desk_settings)
    screen = window.screens["member"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("member", member_no=desk_data.wang)
    qtbot.waitUntil(lambda: runner.active_count() == 0, timeout=10_000)
    QApplication.processEvents()
    assert screen.frozen_banner.isVisible()
    qtbot.waitUntil(lambda: window.minimumSizeHint().height() <= 700, timeout=5_000)  # the layout settles in a few events
    assert window.minimumSizeHint().width() <= 1024
    window.resize(1024, 700)
    QApplication.processEvents()
    assert not clipped_texts(window)
