"""Screenshots of the Programme rules screen, called by ``loyalty_desk.ui.screenshots.desk``, signed in as
the demo administrator: ``12b-rules-refused`` (a value refused at its field) and ``12c-rules-proposal``
(a proposal's before and after, effective next month). Only checks run: nothing is proposed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty_desk.ui.screens.rules_admin import RulesScreen
from loyalty_desk.ui.screenshots.windows import Shots, show_screen

DEMO_ADMIN = "admin"


def render_rules_screenshots(shots: Shots, admin: str = DEMO_ADMIN) -> None:
    app, runner = shots.app, shots.runner

    def show(window: Any, screen: RulesScreen) -> None:
        screen.section.setCurrentIndex(screen.section.findData("expiry"))
        screen.fields["expiry.lot_lifetime_months"].setText("0")
        screen.reason.setText("统一到期规则，与信用卡积分一致" if shots.language == "zh_CN" else "Align points expiry with the card programme")
        screen.propose()
        refused = screen.errors["expiry.lot_lifetime_months"]
        _until(app, runner, lambda: refused.isVisibleTo(screen))
        shots.save(window, "12b-rules-refused")
        screen.fields["expiry.lot_lifetime_months"].setText("18")
        screen.section.setCurrentIndex(screen.section.findData("earning"))
        screen.fields["earning.card_points_per_cny"].setText("2")
        screen.effective_on.setDate(screen.effective_on.date().addMonths(1))
        screen.propose()
        _until(app, runner, lambda: screen.proposal_dialog is not None)
        if screen.proposal_dialog is not None:
            app.processEvents()
            shots.save(screen.proposal_dialog, "12c-rules-proposal")
            screen.proposal_dialog.reject()  # Back: nothing is proposed

    show_screen(shots, admin, "rules", RulesScreen, show)


def _until(app: Any, runner: Any, done: Callable[[], bool], attempts: int = 200) -> None:
    """Lets the check on the worker finish and its answer arrive (at most ``attempts`` rounds)."""
    for _ in range(attempts):
        if done():
            return
        runner.wait_for_done(100)
        app.processEvents()
