"""Starting the desk: QApplication, translator, font, stylesheet, sign-in window.

``run(services)`` is what ``loyalty-desk`` (no subcommand) calls. Heavy modules (the screens,
the main window) are imported only after the sign-in window is on screen.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from loyalty_desk.resources import resource_path
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.ui.settings import DeskSettings
from loyalty_desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from loyalty_desk.ui.signin import SignInPage

log = logging.getLogger(__name__)

CJK_FONT_FILE = "NotoSansSC-Subset.ttf"
_cjk_family: str | None = None
_translators: list[QTranslator] = []


def load_cjk_font() -> str | None:
    """Registers the shipped CJK font once; returns its family name."""
    global _cjk_family
    if _cjk_family is None:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", CJK_FONT_FILE)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("CJK font %s could not be loaded", CJK_FONT_FILE)
            return None
        _cjk_family = families[0]
    return _cjk_family


def apply_font(app: QGuiApplication, language: str) -> None:
    """The shipped CJK font as the fallback (first for Chinese, so both scripts match in weight)."""
    family = load_cjk_font()
    font = QFont(app.font())
    base = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
    if family:
        font.setFamilies([family, base] if language == "zh_CN" else [base, family])
    font.setPointSizeF(10)
    app.setFont(font)


def install_language(app: QCoreApplication, language: str) -> None:
    """Installs the desk's translation (and Qt's own, for standard buttons) and the locale."""
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    if language == "zh_CN":
        locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    else:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    QLocale.setDefault(locale)
    ours = QTranslator(app)
    # English's file holds only the plural forms of "%n …(s)" strings.
    if ours.load(str(resource_path("translations", f"loyalty_desk_{language}.qm"))):
        app.installTranslator(ours)
        _translators.append(ours)
    else:
        log.warning("translation %s not found", language)
    if language == "en":
        return
    qt_own = QTranslator(app)
    if qt_own.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _translators.append(qt_own)


def apply_stylesheet(app: QApplication) -> None:
    app.setStyle("Fusion")
    sheet = resource_path("style", "desk.qss").read_text(encoding="utf-8")
    app.setStyleSheet(sheet.replace("@ICONS@", resource_path("icons").as_posix()))


def prepare_application(language: str, argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QApplication.setOrganizationName("LoyaltyDesk")
        QApplication.setApplicationName("Loyalty Desk")
        app = QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    install_language(app, language)
    apply_font(app, language)
    apply_stylesheet(app)
    return app


def start_sync(services: Any) -> None:
    """With a central configured, the desk syncs in the background (push at once after each
    operation, a round every few seconds); standalone, nothing starts. ``services.close`` stops it."""
    sync = getattr(services, "sync", None)
    if sync is not None and not sync.standalone:
        sync.start_background()


def start_jobs(desk: Desk) -> None:
    """Standalone, the desk runs its due jobs itself (adjustment expiry sweep, points expiry, monthly
    tier review), at start and hourly, off the UI thread (``ui/jobs.py``); a desk synced with central
    gets central's results through the feed."""
    from loyalty_desk.ui.jobs import start_standalone_jobs

    if desk.jobs is None:
        desk.jobs = start_standalone_jobs(desk.services, desk.runner, desk)


def rule_settings(services: Any) -> Any:
    """The programme's RuleSettings, whether ``services.settings`` is the settings service or the settings."""
    settings = services.settings
    current = getattr(settings, "current", None)
    return current() if callable(current) else settings


class Desk(QObject):
    """Sign-in window → main window → (sign out) → sign-in window, for one process."""

    sig_services_ready = Signal()

    def __init__(self, services: Any, settings: DeskSettings | None = None, parent: QObject | None = None) -> None:
        """``services``: the built services, or a function that builds them (then the sign-in window
        shows at once and the store opens on a worker thread meanwhile)."""
        super().__init__(parent)
        self._factory: Callable[[], Any] | None = services if callable(services) and not hasattr(services, "auth") else None
        self.services = None if self._factory else services
        self.settings = settings or DeskSettings()
        self.runner = TaskRunner(self)
        self.sign_in_page: SignInPage | None = None
        self.password_page: QWidget | None = None  # the forced password change after sign-in
        self.main_window: Any = None
        self.jobs: Any = None  # StandaloneJobs when the desk runs standalone (ui/jobs.py)

    def start(self) -> None:
        self.show_sign_in()
        if self._factory is not None:
            self.runner.run(self._factory, on_result=self._services_built, on_error=self._services_failed)
        else:
            start_sync(self.services)
            start_jobs(self)

    def _services_built(self, services: Any) -> None:
        self.services = services
        start_sync(services)
        start_jobs(self)
        if self.sign_in_page is not None:
            self.sign_in_page.set_services(services)
        self.sig_services_ready.emit()

    def _services_failed(self, error: BaseException) -> None:
        from loyalty_desk.ui.errors import error_message

        if self.sign_in_page is not None:
            self.sign_in_page.show_error(error_message(error))

    def show_sign_in(self) -> None:
        from loyalty_desk.ui.signin import SignInPage

        page = SignInPage(self.services, self.runner, username=self.settings.last_username)
        page.resize(960, 640)
        page.sig_signed_in.connect(self._signed_in)
        self.sign_in_page = page
        page.show()
        page.focus_first()

    def _signed_in(self, session: StaffSession) -> None:
        self.settings.last_username = session.username
        if session.must_change_password:  # reset by an administrator, or a new account: nothing else first
            self._ask_new_password(session)
            return
        self._enter_desk(session)

    def _enter_desk(self, session: StaffSession) -> None:
        self.open_main_window(session)
        # The programme's idle-lock default lives in the store: read it off the UI thread.
        self.runner.run(rule_settings, self.services, on_result=self._rules_arrived)
        self._close_sign_in_pages()

    def _close_sign_in_pages(self) -> None:
        for name in ("sign_in_page", "password_page"):
            _discard(getattr(self, name, None))
            setattr(self, name, None)

    def _ask_new_password(self, session: StaffSession) -> None:
        from loyalty_desk.ui.signin import ChangePasswordPage

        page = ChangePasswordPage(self.services, self.runner, session)
        page.resize(960, 640)
        page.sig_changed.connect(self._enter_desk)
        page.sig_cancelled.connect(lambda: self._password_change_cancelled(session))
        page.show()  # before the sign-in page closes: the last window closing would end the application
        page.focus_first()
        _discard(self.sign_in_page)
        self.sign_in_page = None
        self.password_page = page

    def _password_change_cancelled(self, session: StaffSession) -> None:
        assert self.services is not None  # signed in: the services are built
        self.runner.write(self.services.auth.sign_out, session=session)
        page, self.password_page = self.password_page, None
        self.show_sign_in()
        _discard(page)

    def open_main_window(self, session: StaffSession) -> Any:
        from loyalty_desk.ui.main_window import MainWindow
        from loyalty_desk.ui.registry import default_registry

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        language = self.settings.language
        install_language(app, language)
        apply_font(app, language)
        window = MainWindow(self.services, session, self.runner, self.settings, default_registry())
        window.sig_signed_out.connect(self._signed_out)
        window.sig_session_replaced.connect(self._session_replaced)
        window.sig_language_changed.connect(self._language_changed)
        old, self.main_window = self.main_window, window
        window.show()
        window.start()
        _discard(old)
        return window

    def _rules_arrived(self, rules: Any) -> None:
        self.settings.default_idle_minutes = rules.security.idle_lock_minutes
        if self.main_window is not None:
            self.main_window.idle.set_minutes(self.settings.idle_lock_minutes)

    def _signed_out(self) -> None:
        window, self.main_window = self.main_window, None
        self.show_sign_in()
        _discard(window)

    def _session_replaced(self, session: StaffSession) -> None:
        self.open_main_window(session)

    def _language_changed(self, _language: str) -> None:
        """Settings changed the language: the window is rebuilt in it at once (same session, no sign-out),
        and the member that was open is opened again."""
        old = self.main_window
        if old is None:
            return
        member_no = getattr(old.screens.get("member"), "member_no", None) if old.current_key() == "member" else None
        old._closing_for_sign_out = True
        old.idle.stop()
        window = self.open_main_window(old.session)
        window.idle.set_minutes(self.settings.idle_lock_minutes)
        if member_no:
            window.navigate("member", member_no=member_no)

    def shutdown(self) -> None:
        if self.jobs is not None:
            self.jobs.stop()
        self.runner.close(30_000)


def _discard(window: QWidget | None) -> None:
    """Closes a window the desk is done with (sign-in page, password page, main window) and deletes it."""
    if window is not None:
        window.close()
        window.deleteLater()


STARTUP_PROBE_ENV = "LOYALTY_DESK_STARTUP_PROBE"


class _StartupProbe(QObject):
    """Benchmarks only (env LOYALTY_DESK_STARTUP_PROBE=FILE): when the first window paints, writes
    ``time.time()`` to FILE and quits the application."""

    def __init__(self, app: QApplication, path: str) -> None:
        super().__init__(app)
        self._app, self._path = app, path
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and watched.isWindow():
            shown_at = time.time()
            self._app.removeEventFilter(self)
            with open(self._path, "w", encoding="utf-8") as out:
                out.write(f"{shown_at:.6f}\n")
            QTimer.singleShot(0, self._app.quit)
        return False


def run(services: Any, argv: list[str] | None = None) -> int:
    """Shows the sign-in window and runs the desk until the last window closes.

    ``services`` may be the built services or a function building them; with a function the
    sign-in window is on screen before the store (SQLAlchemy, Alembic) has even been imported.
    """
    settings_probe = DeskSettings()
    app = prepare_application(settings_probe.language, argv)
    desk = Desk(services, settings_probe)
    probe_file = os.environ.get(STARTUP_PROBE_ENV)
    if probe_file:
        _StartupProbe(app, probe_file)
    QTimer.singleShot(0, desk.start)
    code = app.exec()
    desk.shutdown()
    if desk._factory is not None and desk.services is not None:
        close = getattr(desk.services, "close", None)
        if callable(close):
            close()
    return code
