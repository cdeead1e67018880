"""Screenshot of the administrator's reward catalogue, called by ``loyalty_desk.ui.screenshots.desk``:
``12-catalogue-admin``, signed in as the demo administrator, a physical gift chosen so the form and
"Record stock received" are filled in (nothing is saved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty_desk.ui.screens.catalogue_admin.screen import CatalogueAdminScreen
from loyalty_desk.ui.screenshots.windows import window_signed_in

DEMO_ADMIN = "admin"
SHOWN_REWARD = "GIFT-TEA"


def render_catalogue_screenshot(
    app: Any, services: Any, settings: Any, runner: Any, size: tuple[int, int], language: str,
    save: Callable[..., None], wait: Callable[..., Any], password: str, admin: str = DEMO_ADMIN,
) -> None:
    window = window_signed_in(services, settings, runner, size, admin, password)
    if window is None:
        return  # no demo administrator in this store
    screen = window.screen_of("catalogue", CatalogueAdminScreen)
    if screen is not None:
        window.navigate("catalogue")
        wait(app, screen.sig_loaded)
        if not screen.select_code(SHOWN_REWARD) and screen.model.rowCount():
            screen.table.selectRow(0)
        screen.qty.setValue(12)
        screen.note.setText("供应商送货单 DN-2026-0517" if language == "zh_CN" else "Supplier delivery note DN-2026-0517")
        screen.table.setFocus()
        app.processEvents()
        save(window, "12-catalogue-admin")
    window.idle.stop()
    window._closing_for_sign_out = True  # no sign-out event for a screenshot run
    window.close()
    runner.wait_for_done()
    app.processEvents()
    window.deleteLater()
