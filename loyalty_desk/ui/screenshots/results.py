"""Screenshots of the Programme results screen, called by ``loyalty_desk.ui.screenshots.desk``, signed in
as the demo auditor: ``52-programme-results`` (every branch over the last 12 months, issued against
redeemed by month), ``52b-results-sources`` (points issued by source), ``52c-results-funnel`` (the
referral funnel), ``52e-results-tier-moves`` (tier changes up and down by home branch),
``52f-results-campaigns`` (the campaigns, their incremental spend and return per CNY) and
``52d-results-drill`` (the entries behind a source). Nothing is exported.
"""

from __future__ import annotations

from typing import Any

from loyalty_desk.ui.screens.results.screen import ResultsScreen
from loyalty_desk.ui.screenshots.windows import Shots, show_screen

DEMO_AUDITOR = "auditor"


def render_results_screenshots(shots: Shots, auditor: str = DEMO_AUDITOR) -> None:
    app, save = shots.app, shots.save

    def show(window: Any, screen: ResultsScreen) -> None:
        for tab, name in ((1, "52-programme-results"), (2, "52b-results-sources"), (5, "52e-results-tier-moves"), (6, "52c-results-funnel"),
                          (7, "52f-results-campaigns")):
            screen.tabs.setCurrentIndex(tab)
            app.processEvents()
            save(window, name)
        screen.tabs.setCurrentIndex(2)
        sources = screen.models["sources"]
        if sources.rowCount():
            screen.open_drill("sources", sources.index(0, 0))
            dialog = screen.drill_dialog
            if dialog is not None:
                if dialog.model.total is None:
                    shots.wait(app, dialog.model.sig_loaded)
                save(window, "52d-results-drill", overlay=dialog)
                dialog.reject()

    show_screen(shots, auditor, "results", ResultsScreen, show)
