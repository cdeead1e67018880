"""Screenshot of the administrator's reward catalogue, called by ``loyalty_desk.ui.screenshots.desk``:
``12-catalogue-admin``, signed in as the demo administrator, a physical gift chosen so the form and
"Record stock received" are filled in (nothing is saved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty_desk.ui.screens.catalogue_admin.screen import CatalogueAdminScreen
from loyalty_desk.ui.screenshots.windows import close_window, screen_signed_in

DEMO_ADMIN = "admin"
SHOWN_REWARD = "GIFT-TEA"


def render_catalogue_screenshot(
    app: Any, services: Any, settings: Any, runner: Any, size: tuple[int, int], language: str,
    save: Callable[..., None], wait: Callable[..., Any], password: str, admin: str = DEMO_ADMIN,
) -> None:
    opened = screen_signed_in(app, services, settings, runner, size, admin, password, wait, "catalogue", CatalogueAdminScreen)
    if opened is None:
        return  # no demo administrator in this store
    window, screen = opened
    if screen is not None:
        if not screen.select_code(SHOWN_REWARD) and screen.model.rowCount():
            screen.table.selectRow(0)
        screen.qty.setValue(12)
        screen.note.setText("供应商送货单 DN-2026-0517" if language == "zh_CN" else "Supplier delivery note DN-2026-0517")
        screen.table.setFocus()
        app.processEvents()
        save(window, "12-catalogue-admin")
    close_window(app, runner, window)
