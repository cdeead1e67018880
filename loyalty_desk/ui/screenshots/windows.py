"""The screenshots' second windows: the desk as another demo account sees it."""

from __future__ import annotations

from typing import Any


def window_signed_in(services: Any, settings: Any, runner: Any, size: tuple[int, int], username: str, password: str) -> Any | None:
    """A main window signed in as ``username``, shown at ``size``; None when the store has no such account."""
    from loyalty_desk.domain.errors import DomainError
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    try:
        session = services.auth.sign_in(username=username, password=password)
    except DomainError:
        return None
    window = MainWindow(services, session, runner, settings, default_registry())
    window.resize(*size)
    window.show()
    return window
