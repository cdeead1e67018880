"""The screenshots' second windows: the desk as another demo account sees it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Shots:
    """What a screenshot script of one screen works with: the application, the desk's services and settings,
    the task runner, the window size, the language, ``save(widget, name, overlay=None)``,
    ``wait(app, signal, ...)`` and the demo accounts' password."""

    app: Any
    services: Any
    settings: Any
    runner: Any
    size: tuple[int, int]
    language: str
    save: Callable[..., None]
    wait: Callable[..., Any]
    password: str


def signed_in(services: Any, username: str, password: str) -> Any | None:
    """The session of ``username``; None when the store has no such account."""
    from loyalty_desk.domain.errors import DomainError

    try:
        return services.auth.sign_in(username=username, password=password)
    except DomainError:
        return None


def window_for(services: Any, settings: Any, runner: Any, size: tuple[int, int], session: Any) -> Any:
    """A main window for ``session``, shown at ``size``."""
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    window = MainWindow(services, session, runner, settings, default_registry())
    window.resize(*size)
    window.show()
    return window


def show_screen(
    shots: Shots, username: str, key: str, screen_type: type, show: Callable[[Any, Any], None],
    *, prepare: Callable[[Any], None] | None = None,
) -> None:
    """Signs in as ``username``, runs ``prepare(session)`` (what the store needs first), opens a main window on
    the screen ``key``, waits until it has loaded, runs ``show(window, screen)`` and closes the window. Nothing
    when the store has no such account; no ``show`` when this account may not open the screen."""
    session = signed_in(shots.services, username, shots.password)
    if session is None:
        return
    if prepare is not None:
        prepare(session)
    window = window_for(shots.services, shots.settings, shots.runner, shots.size, session)
    screen = window.screen_of(key, screen_type)
    if screen is not None:
        window.navigate(key)
        shots.wait(shots.app, screen.sig_loaded)
        show(window, screen)
    close_window(shots.app, shots.runner, window)


def close_window(app: Any, runner: Any, window: Any) -> None:
    """Closes a screenshot window once the desk's work for it is done (no sign-out: nothing happened)."""
    window.idle.stop()
    window._closing_for_sign_out = True
    window.close()
    runner.wait_for_done()
    app.processEvents()
    window.deleteLater()
