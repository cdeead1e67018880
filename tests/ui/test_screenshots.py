"""Every screen renders offscreen to PNG in both languages."""

from __future__ import annotations

from PySide6.QtGui import QImage
from ui_support import PASSWORD

from loyalty_desk.ui.screenshots.desk import render_screenshots

EXPECTED = ["01-sign-in", "01b-change-password", "02-lookup-results", "03-lookup-no-match", "04-member-view", "04b-member-offer-now",
            "05-reveal-dialog", "06-lock-screen", "18-freeze-dialog", "19-member-frozen", "03b-enrol-dialog",
            "18b-change-card-dialog", "18c-change-address-dialog", "18d-close-account-dialog", "04c-member-benefits"]


def test_render_screenshots_in_both_languages(qapp, desk_data, tmp_path):
    out = tmp_path / "shots"
    written = render_screenshots(desk_data.services, out, username="officer1", password=PASSWORD, query="zhang")
    names = {path.name for path in written}
    assert names >= {f"{stem}.{lang}.png" for stem in EXPECTED for lang in ("en", "zh_CN")}  # later screens add theirs
    for stem in EXPECTED:
        for lang in ("en", "zh_CN"):
            image = QImage(str(out / f"{stem}.{lang}.png"))
            assert (image.width(), image.height()) == (1280, 800), stem
    # the screenshot run leaves no lock event behind (it shows the lock page without locking)
    assert "auth.lock" not in [row.action for row in desk_data.audit_rows()]
    qapp.setStyleSheet("")


def test_the_screens_of_other_demo_accounts_are_shot_signed_in_as_them_and_skipped_without_them(qapp, desk_data, runner, desk_settings):
    from factories import DEFAULT_PASSWORD, add_branch, add_staff

    from loyalty_desk.ui.screenshots.catalogue import render_catalogue_screenshot
    from loyalty_desk.ui.screenshots.desk import _wait
    from loyalty_desk.ui.screenshots.outreach import render_outreach_screenshots
    from loyalty_desk.ui.screenshots.results import render_results_screenshots
    from loyalty_desk.ui.screenshots.segments import render_segment_screenshots
    from loyalty_desk.ui.screenshots.windows import Shots

    saved: list[str] = []
    shots = Shots(qapp, desk_data.services, desk_settings, runner, (1280, 800), "en",
                  lambda widget, name, overlay=None: saved.append(name), _wait, DEFAULT_PASSWORD)
    renders = (render_catalogue_screenshot, render_results_screenshots, render_segment_screenshots, render_outreach_screenshots)
    for render in renders:
        render(shots)
    assert saved == []  # no demo administrator, auditor or marketer in this store

    context = desk_data.store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_staff(context, username="admin", role="admin")
    add_staff(context, username="auditor", role="auditor", branch_code="HQ01")
    add_staff(context, username="marketing.1", role="marketing", branch_code="HQ01")
    for render in renders:
        render(shots)
    assert "12-catalogue-admin" in saved and "52-programme-results" in saved
    assert saved[-2:] == ["52-segments", "53-outreach"]
    marketer = desk_data.services.auth.sign_in(username="marketing.1", password=DEFAULT_PASSWORD)
    assert {view.code for view in desk_data.services.segments.list(session=marketer)} == {"DORMANT-12M", "EXPIRING-90"}
