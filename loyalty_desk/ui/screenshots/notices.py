"""Screenshots of the served-today lookup, the keyboard shortcuts and the outcome notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def render_notice_screenshots(app: Any, window: Any, save: Callable[..., None], wait: Callable[..., Any]) -> None:
    lookup = window.screens.get("lookup")
    if lookup is not None:
        window.navigate("lookup")
        lookup.search.clear()
        lookup._load_served()  # read now rather than at the next store change
        wait(app, lookup.sig_served_shown)
        save(window, "14-lookup-served-today")

    window.show_shortcuts()
    save(window, "15-keyboard-shortcuts", overlay=window.shortcuts_dialog)
    window.shortcuts_dialog.reject()

    notices = getattr(window, "outcome_notices", None)
    if notices is not None:
        notices.refresh()
        wait(app, notices.sig_changed)
        save(window, "16-outcomes-count")
        window.outcomes_button.open_list()
        save(window, "17-my-outcomes", overlay=window.outcomes_button.dialog)
        window.outcomes_button.dialog.reject()
