"""Screenshot of the administrator's reward catalogue, called by ``loyalty_desk.ui.screenshots.desk``:
``12-catalogue-admin``, signed in as the demo administrator, a physical gift chosen so the form and
"Record stock received" are filled in (nothing is saved).
"""

from __future__ import annotations

from typing import Any

from loyalty_desk.ui.screens.catalogue_admin.screen import CatalogueAdminScreen
from loyalty_desk.ui.screenshots.windows import Shots, show_screen

DEMO_ADMIN = "admin"
SHOWN_REWARD = "GIFT-TEA"


def render_catalogue_screenshot(shots: Shots, admin: str = DEMO_ADMIN) -> None:
    def show(window: Any, screen: CatalogueAdminScreen) -> None:
        if not screen.select_code(SHOWN_REWARD) and screen.model.rowCount():
            screen.table.selectRow(0)
        screen.qty.setValue(12)
        screen.note.setText("供应商送货单 DN-2026-0517" if shots.language == "zh_CN" else "Supplier delivery note DN-2026-0517")
        screen.table.setFocus()
        shots.app.processEvents()
        shots.save(window, "12-catalogue-admin")

    show_screen(shots, admin, "catalogue", CatalogueAdminScreen, show)
