"""Renders every desk screen offscreen to PNG, in English and Simplified Chinese.

    loyalty-desk --data-dir DEMO screenshots --out docs/screenshots

Files: ``01-sign-in.en.png``, ``01-sign-in.zh_CN.png``, ``02-lookup-results.*``, ``03-lookup-no-match.*``,
``04-member-view.*``, ``04b-member-offer-now.*``, ``05-reveal-dialog.*``, ``06-lock-screen.*``, ``07-redeem.*``, ``08-adjustment-request.*``,
``07b-receipt-printer.*`` (the receipt printer, F9), ``09-supervisor-approval.*``, ``10-approvals-queue.*``,
``11-audit-trail.*``, ``12-catalogue-admin.*``,
``12b-rules-refused.*`` and ``12c-rules-proposal.*`` (as the demo administrator), ``50-campaigns.*``, ``51-campaign-forecast.*``
and ``52-campaign-spend-target.*`` (as the demo marketer), ``53-outreach.*`` (a batch built, as the demo marketer),
``13-receipt.*`` (a receipt PDF page: one demo redemption made after every
screen was rendered), ``40-sync-status.*``, ``50-branch-dashboard.*`` (the supervisor's home), ``52-programme-results.*`` (and 52b-f), ``18-freeze-dialog.*``
and ``19-member-frozen.*`` (member maintenance). Works on the demo store: it signs
in as the demo officer (an ``auth.sign_in`` row in that store's audit trail), searches, opens a member.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from loyalty_desk.ui.screens.lookup import LookupScreen
from loyalty_desk.ui.screens.member.screen import MemberScreen
from loyalty_desk.ui.screens.redeem.screen import RedeemScreen
from loyalty_desk.ui.screens.sync_status.screen import SyncStatusScreen
from loyalty_desk.ui.screenshots.windows import Shots, close_window

DEMO_USERNAME = "officer.bj1"
DEMO_PASSWORD = "demo1234"
RESULTS_QUERY = "王"
NO_MATCH_QUERY = "Zzyzx Qxv"
WINDOW_SIZE = (1280, 800)
LANGUAGES = ("en", "zh_CN")


def render_screenshots(
    services: Any,
    out_dir: Path,
    *,
    username: str = DEMO_USERNAME,
    password: str = DEMO_PASSWORD,
    query: str = RESULTS_QUERY,
    languages: tuple[str, ...] = LANGUAGES,
    window_size: tuple[int, int] = WINDOW_SIZE,
) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from loyalty_desk.ui.app import prepare_application
    from loyalty_desk.ui.settings import DeskSettings

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    ini = out_dir / ".screenshot-settings.ini"
    try:
        for language in languages:
            app = prepare_application(language, [] if QApplication.instance() is None else None)
            settings = DeskSettings(QSettings(str(ini), QSettings.Format.IniFormat))
            settings.language = language
            written += _render_language(app, services, settings, out_dir, language, username, password, query, window_size)
        # 13. a redemption receipt as previewed: one demo redemption, made after every screen
        from loyalty_desk.ui.screenshots.statements import render_receipt_pages

        written += render_receipt_pages(services, out_dir, languages, username, password, query)
    finally:
        ini.unlink(missing_ok=True)
    return written


def _render_language(
    app: Any, services: Any, settings: Any, out_dir: Path, language: str, username: str, password: str, query: str,
    window_size: tuple[int, int] = WINDOW_SIZE,
) -> list[Path]:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter

    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry
    from loyalty_desk.ui.signin import SignInPage
    from loyalty_desk.ui.tasks import TaskRunner

    runner = TaskRunner()
    written: list[Path] = []

    def save(widget: Any, name: str, overlay: Any = None) -> None:
        if runner.active_count():  # the screen as the user sees it once its data is in, without "Working…"
            _wait(app, runner.sig_busy_changed)
        app.processEvents()
        image = widget.grab()
        if overlay is not None:
            overlay.adjustSize()
            app.processEvents()
            painter = QPainter(image)
            painter.fillRect(image.rect(), QColor(20, 30, 45, 110))
            shot = overlay.grab()
            origin = QPoint((image.width() - shot.width()) // 2, (image.height() - shot.height()) // 3)
            painter.drawPixmap(origin, shot)
            painter.setPen(QColor("#9AA4B1"))
            painter.drawRect(origin.x() - 1, origin.y() - 1, shot.width() + 1, shot.height() + 1)
            painter.end()
        path = out_dir / f"{name}.{language}.png"
        image.save(str(path))
        written.append(path)

    # 1. sign-in
    sign_in = SignInPage(services, runner, username=username)
    sign_in.resize(*window_size)
    sign_in.show()
    sign_in.password.setText(password)
    sign_in.focus_first()
    save(sign_in, "01-sign-in")
    sign_in.submit()
    session = _wait(app, sign_in.sig_signed_in, lambda: sign_in.error.text())
    sign_in.close()
    sign_in.deleteLater()

    # 1b. the password change a reset account must make first (shown, not submitted)
    from loyalty_desk.ui.signin import ChangePasswordPage

    change = ChangePasswordPage(services, runner, session)
    change.resize(*window_size)
    change.show()
    change.focus_first()
    save(change, "01b-change-password")
    change.close()
    change.deleteLater()

    window = MainWindow(services, session, runner, settings, default_registry())
    window.resize(*window_size)
    window.show()
    lookup = window.screen_of("lookup", LookupScreen)
    member = window.screen_of("member", MemberScreen)
    assert lookup is not None and member is not None  # every role has them

    # 2. lookup with results, 3. no match
    def search(text: str) -> Any:
        lookup.search.setText(text)
        lookup._start_search()
        return _wait(app, lookup.sig_result_shown)

    result = search(query)
    lookup.search.setFocus()
    save(window, "02-lookup-results")
    search(NO_MATCH_QUERY)
    save(window, "03-lookup-no-match")

    # 3b. the enrolment form a search that found nobody offers (not submitted: nobody is enrolled)
    from loyalty_desk.ui.screenshots.enrolment import render_enrolment_screenshot

    render_enrolment_screenshot(app, window, lookup, language, save, _wait)

    # 4. member view: the first result with some history
    if result is not None and result.rows:
        candidates = sorted(result.rows, key=lambda row: -row.balance)
        member_no = candidates[0].member_no
        search(query)
        window.navigate("member", member_no=member_no)
        _wait(app, member.sig_loaded)
        if member.history_model.rowCount() == 0 and member.history_model.is_loading:
            _wait(app, member.history_model.sig_loaded)
        save(window, "04-member-view")

        # 4b. what to offer now, on its tab (Ctrl+O)
        offers = member.offer_panel
        if offers.data is None or offers.data.member_no != member_no:
            _wait(app, offers.sig_loaded)
        member.show_offers()
        save(window, "04b-member-offer-now")

        # 4c. the tier's benefits, "n of m left this year", and the card journey under them
        benefits = member.benefits_panel
        if benefits.data is None or benefits.data.member_no != member_no:
            _wait(app, benefits.sig_loaded)
        member.tabs.setCurrentWidget(benefits)
        save(window, "04c-member-benefits")

        member.tabs.setCurrentIndex(0)

        # 5. reveal dialog (not submitted: nothing is revealed)
        member.ask_reveal()
        dialog = member.reveal_dialog
        if dialog is not None:
            dialog.reason.setPlainText("Client asked to confirm the mobile number on file" if language == "en" else "客户要求核对预留手机号")
            save(window, "05-reveal-dialog", overlay=dialog)
            dialog.reject()

        # 7. redemption screen: this member's catalogue with the blocking rules; nothing is redeemed
        redeem = window.screen_of("redeem", RedeemScreen)
        if redeem is not None:
            window.navigate("redeem", member_no=member_no)
            _wait(app, redeem.sig_loaded)
            if redeem.offers:
                _wait(app, redeem.sig_quoted)
            save(window, "07-redeem")

            # 7b. the receipt printer, chosen with F9 (not saved: the screenshot desk keeps its settings)
            redeem.choose_printer()
            if redeem.printer_dialog is not None:
                save(window, "07b-receipt-printer", overlay=redeem.printer_dialog)
                redeem.printer_dialog.reject()

        # 8-11. manual adjustment request, supervisor approval, approvals queue, audit trail
        from loyalty_desk.ui.screenshots.adjustments import render_adjustment_screens

        render_adjustment_screens(app, services, window, settings, runner, member_no, language, save, _wait, password)

        # 30-32. statement dialog, preview and a rendered page
        from loyalty_desk.ui.screenshots.statements import render_statement_screenshots

        written += render_statement_screenshots(app, window, member_no, language, save, _wait, out_dir)

        # 18-19. the freeze dialog and a frozen member's view (another member: the receipt redeems for this one)
        from loyalty_desk.ui.screenshots.member_care import render_member_care_screenshots

        render_member_care_screenshots(app, window, candidates[-1].member_no, language, save, _wait)

    # referral tree, registration form, branch list, flagged list
    from loyalty_desk.ui.screenshots.referrals import render_referral_screenshots

    render_referral_screenshots(app, services, window, settings, runner, save, _wait, language, password)

    # the screens other demo accounts open, each in a window of its own
    shots = Shots(app, services, settings, runner, window_size, language, save, _wait, password)

    # 12. reward catalogue, as the demo administrator
    from loyalty_desk.ui.screenshots.catalogue import render_catalogue_screenshot

    render_catalogue_screenshot(shots)
    from loyalty_desk.ui.screenshots.rules import render_rules_screenshots

    render_rules_screenshots(shots)

    # 50-52. campaigns, a draft's cost forecast and a card-journey task's form, as the demo marketer
    from loyalty_desk.ui.screenshots.campaigns import render_campaign_screenshots

    render_campaign_screenshots(shots)

    # 52. programme results, as the demo auditor: the charts, the funnel, the rows behind a figure
    from loyalty_desk.ui.screenshots.results import render_results_screenshots

    render_results_screenshots(shots)

    # 52. a segment's criteria and its live member count, as the demo marketer
    from loyalty_desk.ui.screenshots.segments import render_segment_screenshots

    render_segment_screenshots(shots)

    # 53. a batch of messages built for a segment, who was left out and why, as the demo marketer
    from loyalty_desk.ui.screenshots.outreach import render_outreach_screenshots

    render_outreach_screenshots(shots)

    # 40. sync status: the store's own state (the demo store is standalone: no PostgreSQL needed)
    sync_screen = window.screen_of("sync", SyncStatusScreen)
    if sync_screen is not None:
        window.navigate("sync")
        if not sync_screen.standalone:
            _wait(app, sync_screen.sig_loaded)
        save(window, "40-sync-status")

    # 14-17. served today, keyboard shortcuts, outcome notices
    from loyalty_desk.ui.screenshots.notices import render_notice_screenshots

    render_notice_screenshots(app, window, save, _wait)

    # 6. lock screen (shown without writing a lock event)
    window.show_lock_page()
    save(window, "06-lock-screen")

    close_window(app, runner, window)
    app.processEvents()
    return written


def _wait(app: Any, signal: Any, failure: Callable[[], str] | None = None, timeout_ms: int = 20_000) -> Any:
    """Runs the event loop until ``signal`` fires; returns its first argument."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    box: list[Any] = []

    def got(*args: Any) -> None:
        box.append(args[0] if args else None)
        loop.quit()

    signal.connect(got)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    loop.exec()
    timer.stop()
    signal.disconnect(got)
    if not box:
        detail = failure() if failure else ""
        raise RuntimeError(f"screenshots: timed out waiting ({detail})")
    return box[0]
