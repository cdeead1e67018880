"""The screenshots' second windows: the desk as another demo account sees it."""

from __future__ import annotations

from typing import Any


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


def window_signed_in(services: Any, settings: Any, runner: Any, size: tuple[int, int], username: str, password: str) -> Any | None:
    """A main window signed in as ``username``, shown at ``size``; None when the store has no such account."""
    session = signed_in(services, username, password)
    return None if session is None else window_for(services, settings, runner, size, session)


def screen_signed_in(app: Any, services: Any, settings: Any, runner: Any, size: tuple[int, int], username: str, password: str,
                     wait: Any, key: str, screen_type: type) -> tuple[Any, Any] | None:
    """``window_signed_in`` navigated to the screen ``key`` and waited for until it has loaded: (window, screen);
    None when the store has no such account. The screen is None when this account may not open it."""
    window = window_signed_in(services, settings, runner, size, username, password)
    if window is None:
        return None
    screen = window.screen_of(key, screen_type)
    if screen is not None:
        window.navigate(key)
        wait(app, screen.sig_loaded)
    return window, screen


def close_window(app: Any, runner: Any, window: Any) -> None:
    """Closes a screenshot window once the desk's work for it is done (no sign-out: nothing happened)."""
    window.idle.stop()
    window._closing_for_sign_out = True
    window.close()
    runner.wait_for_done()
    app.processEvents()
    window.deleteLater()
