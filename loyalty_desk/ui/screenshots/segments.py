"""Screenshots of head-office marketing's Segments screen, called by ``loyalty_desk.ui.screenshots.desk``:
``52-segments`` (criteria filled in — Gold and Platinum members with points expiring within 90 days —
and their live member count) beside a saved segment, signed in as the demo marketer. The saved segment
is saved once in the screenshots' own demo store; the one in the form is not.
"""

from __future__ import annotations

from typing import Any

from loyalty_desk.ui.screens.segments.screen import SegmentsScreen
from loyalty_desk.ui.screenshots.windows import Shots, show_screen

DEMO_MARKETER = "marketing.1"


def render_segment_screenshots(shots: Shots, marketer: str = DEMO_MARKETER) -> None:
    segments = shots.services.segments

    def save_one_segment(session: Any) -> None:
        if not segments.list(session=session):  # one saved segment in the list (the screenshots' own demo store)
            segments.save(operation_id=segments.new_operation_id(), session=session, code="DORMANT-12M",
                          fields={"name_zh": "沉睡一年的会员", "name_en": "Dormant for a year", "criteria": {"dormant_months": 12}})

    def show(window: Any, screen: SegmentsScreen) -> None:
        screen.new_segment()
        screen.code.setText("GOLD-EXPIRING")
        screen.name_zh.setText("积分将到期的金卡及白金卡会员")
        screen.name_en.setText("Gold and Platinum, points expiring")
        for key in ("gold", "platinum"):
            screen.tiers[key].setChecked(True)
        screen.days["expiring_within_days"].setText("90")
        screen.balance_min.setText("1000")
        screen.recount()
        shots.wait(shots.app, screen.sig_counted, timeout_ms=60_000)
        screen.name_en.setFocus() if shots.language != "zh_CN" else screen.name_zh.setFocus()
        shots.app.processEvents()
        shots.save(window, "52-segments")

    show_screen(shots, marketer, "segments", SegmentsScreen, show, prepare=save_one_segment)
