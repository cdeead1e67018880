"""Screenshots of head-office marketing's Outreach screen, called by ``loyalty_desk.ui.screenshots.desk``:
``53-outreach`` (a batch built on the screen — the members of a segment whose points expire within 90
days — with the messages recorded, who was left out and why, and the build form filled in), signed in
as the demo marketer. The segment is saved once in the screenshots' own demo store; the SMS file goes
to a temporary folder removed afterwards.
"""

from __future__ import annotations

import tempfile
from typing import Any

from loyalty_desk.ui.screens.outreach.screen import OutreachScreen
from loyalty_desk.ui.screenshots.windows import Shots, show_screen

DEMO_MARKETER = "marketing.1"
SEGMENT = "EXPIRING-90"


def render_outreach_screenshots(shots: Shots, marketer: str = DEMO_MARKETER) -> None:
    segments = shots.services.segments

    def save_the_segment(session: Any) -> None:
        if SEGMENT not in {view.code for view in segments.list(session=session)}:
            segments.save(operation_id=segments.new_operation_id(), session=session, code=SEGMENT,
                          fields={"name_zh": "积分90天内到期的会员", "name_en": "Points expiring within 90 days",
                                  "criteria": {"expiring_within_days": 90}})

    with tempfile.TemporaryDirectory(prefix="loyalty-desk-sms-") as folder:

        def show(window: Any, screen: OutreachScreen) -> None:
            screen.segment.setCurrentIndex(screen.segment.findData(SEGMENT))
            screen.reason.setCurrentIndex(screen.reason.findData("expiring_90"))
            screen.folder.setText(folder)
            screen.build()
            shots.wait(shots.app, screen.sig_built, timeout_ms=120_000)
            shots.app.processEvents()
            shots.save(window, "53-outreach")

        show_screen(shots, marketer, "outreach", OutreachScreen, show, prepare=save_the_segment)
