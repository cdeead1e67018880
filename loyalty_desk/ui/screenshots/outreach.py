"""Screenshots of head-office marketing's Outreach screen, called by ``loyalty_desk.ui.screenshots.desk``:
``53-outreach`` (a batch built on the screen — the members of a segment whose points expire within 90
days — with the messages recorded, who was left out and why, and the build form filled in), signed in
as the demo marketer. The segment is saved once in the screenshots' own demo store; the SMS file goes
to a temporary folder removed afterwards.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any

from loyalty_desk.ui.screens.outreach.screen import OutreachScreen
from loyalty_desk.ui.screenshots.windows import close_window, signed_in, window_for

DEMO_MARKETER = "marketing.1"
SEGMENT = "EXPIRING-90"


def render_outreach_screenshots(
    app: Any, services: Any, settings: Any, runner: Any, size: tuple[int, int], language: str,
    save: Callable[..., None], wait: Callable[..., Any], password: str, marketer: str = DEMO_MARKETER,
) -> None:
    session = signed_in(services, marketer, password)
    if session is None:
        return  # no demo marketer in this store
    if SEGMENT not in {view.code for view in services.segments.list(session=session)}:
        services.segments.save(operation_id=services.segments.new_operation_id(), session=session, code=SEGMENT,
                               fields={"name_zh": "积分90天内到期的会员", "name_en": "Points expiring within 90 days",
                                       "criteria": {"expiring_within_days": 90}})
    window = window_for(services, settings, runner, size, session)
    screen = window.screen_of("outreach", OutreachScreen)
    with tempfile.TemporaryDirectory(prefix="loyalty-desk-sms-") as folder:
        if screen is not None:
            window.navigate("outreach")
            wait(app, screen.sig_loaded)
            screen.segment.setCurrentIndex(screen.segment.findData(SEGMENT))
            screen.reason.setCurrentIndex(screen.reason.findData("expiring_90"))
            screen.folder.setText(folder)
            screen.build()
            wait(app, screen.sig_built, timeout_ms=120_000)
            app.processEvents()
            save(window, "53-outreach")
        close_window(app, runner, window)
