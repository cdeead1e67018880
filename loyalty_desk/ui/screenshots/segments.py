"""Screenshots of head-office marketing's Segments screen, called by ``loyalty_desk.ui.screenshots.desk``:
``52-segments`` (criteria filled in — Gold and Platinum members with points expiring within 90 days —
and their live member count) beside a saved segment, signed in as the demo marketer. The saved segment
is saved once in the screenshots' own demo store; the one in the form is not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty_desk.ui.screens.segments.screen import SegmentsScreen
from loyalty_desk.ui.screenshots.windows import close_window, signed_in, window_for

DEMO_MARKETER = "marketing.1"


def render_segment_screenshots(
    app: Any, services: Any, settings: Any, runner: Any, size: tuple[int, int], language: str,
    save: Callable[..., None], wait: Callable[..., Any], password: str, marketer: str = DEMO_MARKETER,
) -> None:
    session = signed_in(services, marketer, password)
    if session is None:
        return  # no demo marketer in this store
    if not services.segments.list(session=session):  # one saved segment in the list (the screenshots' own demo store)
        services.segments.save(operation_id=services.segments.new_operation_id(), session=session, code="DORMANT-12M",
                               fields={"name_zh": "沉睡一年的会员", "name_en": "Dormant for a year", "criteria": {"dormant_months": 12}})
    window = window_for(services, settings, runner, size, session)
    screen = window.screen_of("segments", SegmentsScreen)
    if screen is not None:
        window.navigate("segments")
        wait(app, screen.sig_loaded)
        screen.new_segment()
        screen.code.setText("GOLD-EXPIRING")
        screen.name_zh.setText("积分将到期的金卡及白金卡会员")
        screen.name_en.setText("Gold and Platinum, points expiring")
        for key in ("gold", "platinum"):
            screen.tiers[key].setChecked(True)
        screen.days["expiring_within_days"].setText("90")
        screen.balance_min.setText("1000")
        screen.recount()
        wait(app, screen.sig_counted, timeout_ms=60_000)
        screen.name_en.setFocus() if language != "zh_CN" else screen.name_zh.setFocus()
        app.processEvents()
        save(window, "52-segments")
    close_window(app, runner, window)
