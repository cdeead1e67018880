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
