"""Screenshots of head-office marketing's Campaigns screen, called by ``loyalty_desk.ui.screenshots.desk``:
``50-campaigns`` (the list with the demo's running campaign chosen: its budget used and left, members
reached), ``51-campaign-forecast`` (a new draft filled in and its cost forecast replayed from last
year's earnings) and ``52-campaign-spend-target`` (a card-journey task, spend target within N days: the
form shows that kind's fields only, with its forecast), signed in as the demo marketer. Nothing is saved.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from loyalty_desk.ui import fmt
from loyalty_desk.ui.screens.campaigns.screen import CampaignsScreen
from loyalty_desk.ui.screenshots.windows import Shots, show_screen

DEMO_MARKETER = "marketing.1"


def render_campaign_screenshots(shots: Shots, marketer: str = DEMO_MARKETER) -> None:
    app, save, wait = shots.app, shots.save, shots.wait

    def show(window: Any, screen: CampaignsScreen) -> None:
        running = next((v for v in screen.views if v.shown_status == "running"), None)
        if running is not None:
            screen.select_code(running.code)
        screen.table.setFocus()
        app.processEvents()
        save(window, "50-campaigns")

        screen.new_campaign()
        zh = shots.language == "zh_CN"
        screen.name_zh.setText("中秋双倍积分")
        screen.name_en.setText("Mid-Autumn double points")
        screen.multiplier.setText("2")
        for key, box in screen.sources.items():
            box.setChecked(key in ("card_spend", "financing"))
        start = shots.services.campaigns.today() + timedelta(days=14)
        screen.starts_on.setDate(fmt.qdate(start))
        screen.ends_on.setDate(fmt.qdate(start + timedelta(days=30)))
        screen.budget.setText("5000000")
        screen.member_cap.setText("20000")
        screen.run_forecast()
        wait(app, screen.forecast.sig_shown, timeout_ms=120_000)
        screen.name_zh.setFocus() if zh else screen.name_en.setFocus()
        app.processEvents()
        save(window, "51-campaign-forecast")

        screen.new_campaign()
        screen.kind.setCurrentIndex(screen.kind.findData("spend_target"))
        screen.name_zh.setText("新卡 65 天消费达标礼")
        screen.name_en.setText("New card: spend 3,000 CNY in 65 days")
        screen.bonus.setText("2000")
        screen.target_cny.setText("3000")
        screen.within_days.setText("65")
        screen.starts_on.setDate(fmt.qdate(start))
        screen.ends_on.setDate(fmt.qdate(start + timedelta(days=90)))
        screen.budget.setText("2000000")
        screen.run_forecast()
        wait(app, screen.forecast.sig_shown, timeout_ms=120_000)
        screen.target_cny.setFocus()
        app.processEvents()
        save(window, "52-campaign-spend-target")

    show_screen(shots, marketer, "campaigns", CampaignsScreen, show)
