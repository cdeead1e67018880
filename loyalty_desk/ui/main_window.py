"""The desk's main window: navigation, screens, menus, status bar, idle lock."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.services.dto import StaffSession
from loyalty_desk.ui import fmt
from loyalty_desk.ui.icons import icon, pixmap
from loyalty_desk.ui.idle import IdleWatcher
from loyalty_desk.ui.outcomes import MAKER_ROLES, OutcomeNotices, OutcomesButton
from loyalty_desk.ui.registry import ScreenRegistry, ScreenSpec
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.settings import DeskSettings
from loyalty_desk.ui.settings_dialog import SettingsDialog
from loyalty_desk.ui.signin import LockPage, now_text
from loyalty_desk.ui.store_watch import StoreWatch
from loyalty_desk.ui.tasks import TaskRunner
from loyalty_desk.ui.widgets import make_action, named

NAV_TINT = "#D6E0EC"
SYNC_POLL_MS = 3000  # the status bar asks SyncService.status() this often (off the UI thread)
S = TypeVar("S", bound=QWidget)


class MainWindow(QMainWindow):
    sig_signed_out = Signal()
    sig_session_replaced = Signal(object)  # a supervisor unlocked: their StaffSession
    sig_locked = Signal()
    sig_unlocked = Signal()
    sig_language_changed = Signal(str)  # the new language: the desk rebuilds its window in it, same session
    sig_sync_status = Signal(object)  # SyncStatus, each time the status bar learns a new one

    def __init__(
        self,
        services: Any,
        session: StaffSession,
        runner: TaskRunner,
        settings: DeskSettings,
        registry: ScreenRegistry,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session
        self.runner = runner
        self.settings = settings
        self.registry = registry
        self.locked = False
        self._closing_for_sign_out = False
        self._focus_before_lock: QWidget | None = None
        self.setWindowIcon(icon("logo"))
        self.resize(1280, 800)

        self.context = ScreenContext(services=services, session=session, runner=runner, settings=settings, navigate=self.navigate)
        self.specs: list[ScreenSpec] = registry.for_role(session.role)
        self.screens: dict[str, QWidget] = {}
        self.badges: dict[str, int] = {}  # a count shown beside a screen's name (its sig_badge), e.g. pending approvals

        # --- workspace: navigation + screens
        self.workspace = named(QWidget(), "DeskBackground")
        self.nav_panel = named(QFrame(), "NavPanel")
        self.nav_panel.setFixedWidth(208)
        self.nav_title = named(QLabel(), "NavTitle")
        logo = QLabel()
        logo.setPixmap(pixmap("logo", 28))
        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        title_row.addWidget(logo)
        title_row.addWidget(self.nav_title, 1)
        self.nav = named(QListWidget(), "NavList")
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setIconSize(QSize(20, 20))
        self.nav_layout = nav_box = QVBoxLayout(self.nav_panel)
        nav_box.setContentsMargins(12, 14, 12, 14)
        nav_box.setSpacing(14)
        nav_box.addLayout(title_row)
        nav_box.addWidget(self.nav, 1)
        self.stack = QStackedWidget()
        work_box = QHBoxLayout(self.workspace)
        work_box.setContentsMargins(0, 0, 0, 0)
        work_box.setSpacing(0)
        work_box.addWidget(self.nav_panel)
        work_box.addWidget(self.stack, 1)

        for spec in self.specs:
            screen = spec.factory(self.context)
            screen.setObjectName(f"screen-{spec.key}")
            self.screens[spec.key] = screen
            self.stack.addWidget(screen)
            if spec.in_navigation:
                item = QListWidgetItem(icon(spec.icon, NAV_TINT), "")
                item.setData(Qt.ItemDataRole.UserRole, spec.key)
                self.nav.addItem(item)
            open_member = getattr(screen, "sig_open_member", None)
            if open_member is not None:
                open_member.connect(lambda member_no: self.navigate("member", member_no=member_no))
            back = getattr(screen, "sig_back", None)
            if back is not None:
                back.connect(lambda: self.navigate("lookup"))
            served = getattr(screen, "sig_served", None)  # the walk-in is served: the next card, with what was done
            if served is not None:
                served.connect(lambda notice, tone: self.navigate("lookup", notice=notice, tone=tone))
            served_news = getattr(screen, "sig_served_news", None)  # head office's answer arriving after
            if served_news is not None:
                served_news.connect(self._served_news)
            badge = getattr(screen, "sig_badge", None)
            if badge is not None:
                badge.connect(lambda count, key=spec.key: self.set_badge(key, count))
            told = getattr(screen, "sig_sync_status", None)  # the sync screen after "Sync now" or a resolution
            if told is not None:
                told.connect(self.show_sync_status)
            follows = getattr(screen, "on_sync_status", None)  # ...and it follows the status bar's polls
            if follows is not None:
                self.sig_sync_status.connect(follows)
        self.nav.currentItemChanged.connect(self._nav_clicked)

        # --- lock page over the workspace: the workspace stays alive underneath
        self.lock_page = LockPage(services, runner)
        self.lock_page.sig_unlocked.connect(self._unlocked)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.workspace)
        self.pages.addWidget(self.lock_page)
        self.setCentralWidget(self.pages)

        self._build_menus()
        self._build_status_bar()

        self.idle = IdleWatcher(settings.idle_lock_minutes, self)
        self.idle.sig_idle.connect(self.lock)
        # Every screen shows the store's truth: the one on show reads again when the store changes
        # (an action here, the feed, a job, the command line); the others read when they are shown.
        self.store_watch = StoreWatch(services, runner, self)
        self.store_watch.sig_changed.connect(self._store_changed)

        self.retranslate()
        if session.role == "supervisor" and "dashboard" in self.screens:
            self.navigate("dashboard")  # the supervisor's home: the day's work and what waits for them
        elif "lookup" in self.screens:
            self.navigate("lookup")
        elif self.specs:
            self.navigate(self.specs[0].key)

    # ------------------------------------------------------------------ building

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.desk_menu = bar.addMenu("")
        self.go_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")
        self.lock_action = make_action(self, self.lock, QKeySequence("Ctrl+L"), icon("lock"))
        self.settings_action = make_action(self, self.open_settings, QKeySequence("Ctrl+,"), icon("settings"))
        self.sign_out_action = make_action(self, self.sign_out, QKeySequence("Ctrl+Shift+L"), icon("sign-out"))
        self.quit_action = make_action(self, self.quit, QKeySequence("Ctrl+Q"), icon("quit"))
        self.desk_menu.addAction(self.lock_action)
        self.desk_menu.addAction(self.settings_action)
        self.desk_menu.addSeparator()
        self.desk_menu.addAction(self.sign_out_action)
        self.desk_menu.addAction(self.quit_action)
        self.screen_actions: dict[str, QAction] = {}
        for spec in self.specs:
            action = QAction(icon(spec.icon), "", self, shortcut=QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _checked=False, key=spec.key: self.navigate(key))
            if not spec.in_navigation:
                action.setEnabled(False)  # enabled once it has something to show
            self.go_menu.addAction(action)
            self.screen_actions[spec.key] = action
        self.shortcuts_action = make_action(self, self.show_shortcuts, QKeySequence("Ctrl+/"), icon("about"))
        self.about_action = make_action(self, self.about, action_icon=icon("about"))
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addAction(self.about_action)
        self.addActions(
            [self.lock_action, self.settings_action, self.sign_out_action, self.quit_action, self.shortcuts_action, *self.screen_actions.values()]
        )

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(False)

        def labelled(icon_name: str) -> tuple[QLabel, QLabel]:
            """A text beside its icon: (text, icon)."""
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(6, 0, 6, 0)
            row.setSpacing(4)
            picture = QLabel()
            picture.setPixmap(pixmap(icon_name, 16))
            text = QLabel()
            row.addWidget(picture)
            row.addWidget(text)
            status.addPermanentWidget(holder)
            return text, picture

        self.busy_label = QLabel()
        status.addWidget(self.busy_label)
        self.user_label, _ = labelled("user")
        self.role_label = QLabel()
        status.addPermanentWidget(self.role_label)
        self.branch_label, _ = labelled("branch")
        self.outcome_notices: OutcomeNotices | None = None
        if self.session.role in MAKER_ROLES and hasattr(self.services, "adjustments"):
            self.outcome_notices = OutcomeNotices(self.services, self.session, self.runner, self.settings, self)
            self.outcomes_button = OutcomesButton(self.outcome_notices)
            status.addPermanentWidget(self.outcomes_button)
            self.outcomes_action = make_action(self, self.outcomes_button.open_list, QKeySequence("Ctrl+Shift+O"))
            self.addAction(self.outcomes_action)
        self.sync_label, self.sync_picture = labelled("standalone")  # the icon follows the connection state
        self.sync_label.setObjectName("SyncStatusLabel")
        self.runner.sig_busy_changed.connect(self._busy_changed)
        # standalone / online / offline · N waiting, polled from SyncService.status() off the UI thread.
        self.sync_status: Any = None
        self._sync_polling = False
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(SYNC_POLL_MS)
        self.sync_timer.timeout.connect(self.poll_sync_status)
        sync = getattr(self.services, "sync", None)
        if sync is not None and not sync.standalone:
            self.sync_timer.start()
            self.poll_sync_status()

    def retranslate(self) -> None:
        session = self.session
        self.setWindowTitle(self.tr("Loyalty Desk — {name}").format(name=session.display_name))
        self.nav_title.setText(self.tr("Loyalty Desk"))
        self.desk_menu.setTitle(self.tr("&Desk"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.lock_action.setText(self.tr("&Lock desk"))
        self.lock_action.setToolTip(self.tr("Lock the desk now (Ctrl+L)"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.sign_out_action.setText(self.tr("Sign &out"))
        self.quit_action.setText(self.tr("&Quit"))
        self.about_action.setText(self.tr("&About Loyalty Desk"))
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        if self.outcome_notices is not None:
            self.outcomes_action.setText(self.tr("The outcome of my adjustment requests"))
        for spec in self.specs:
            action = self.screen_actions[spec.key]
            action.setText(spec.translated_title())
            action.setToolTip(f"{spec.translated_title()} ({spec.shortcut})")
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            spec = self.registry.get(item.data(Qt.ItemDataRole.UserRole))
            item.setText(self._nav_text(spec))
            item.setToolTip(f"{spec.translated_title()} ({spec.shortcut})")
        self._fit_nav_width()
        self.user_label.setText(f"{session.display_name} ({session.username})")
        self.role_label.setText(fmt.label(fmt.ROLES, session.role))
        branch = session.branch_name_zh if self.settings.language == "zh_CN" else session.branch_name_en
        self.branch_label.setText(f"{branch} · {session.branch_code}")
        self._show_sync_label()

    # ------------------------------------------------------------------ sync status

    def poll_sync_status(self) -> None:
        """Asks for the sync status on a worker; one question at a time."""
        sync = getattr(self.services, "sync", None)
        if sync is None or self._sync_polling:
            return
        self._sync_polling = True
        self.runner.run(sync.status, quiet=True, on_result=self.show_sync_status, on_error=self._sync_poll_failed)

    def _sync_poll_failed(self, _error: BaseException) -> None:
        self._sync_polling = False

    def show_sync_status(self, status: Any) -> None:
        self._sync_polling = False
        self.sync_status = status
        self._show_sync_label()
        self.sig_sync_status.emit(status)

    def sync_text(self, status: Any) -> str:
        if status is None or status.state == "standalone":
            text = self.tr("Standalone")
        elif status.state == "online":
            text = self.tr("Online") if not status.waiting else self.tr("Online · {count} waiting").format(count=fmt.number(status.waiting))
        else:
            text = self.tr("Offline · {count} waiting").format(count=fmt.number(status.waiting))
        if status is not None and status.exceptions:
            text += " · " + self.tr("%Ln exception(s)", "", status.exceptions)
        return text

    def _show_sync_label(self) -> None:
        status = self.sync_status
        self.sync_label.setText(self.sync_text(status))
        state = status.state if status is not None else "standalone"
        if state == "standalone":
            tip = self.tr("No central database configured: this desk works on its local store.")
        elif state == "online":
            tip = self.tr("Connected to head office ({desk}).").format(desk=status.desk or "")
        else:
            tip = self.tr("Head office cannot be reached: the desk keeps working and sends what waits when it can.")
        self.sync_label.setToolTip(tip)
        if getattr(self, "_sync_icon", None) != state:
            self._sync_icon = state
            self.sync_picture.setPixmap(pixmap(state if state in ("online", "offline") else "standalone", 16))

    # ------------------------------------------------------------------ navigation

    def screen_of(self, key: str, kind: type[S]) -> S | None:
        """The screen ``key`` as its class; None when the signed-in role does not have it."""
        screen = self.screens.get(key)
        if screen is None:
            return None
        assert isinstance(screen, kind)
        return screen

    def current_key(self) -> str | None:
        current = self.stack.currentWidget()
        for key, screen in self.screens.items():
            if screen is current:
                return key
        return None

    def navigate(self, key: str, **kwargs: Any) -> None:
        screen = self.screens.get(key)
        if screen is None or self.locked:
            return
        self.stack.setCurrentWidget(screen)
        action = self.screen_actions.get(key)
        if action is not None:
            action.setEnabled(True)
        self.nav.blockSignals(True)
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                break
        else:
            self.nav.clearSelection()
        self.nav.blockSignals(False)
        activate = getattr(screen, "activate", None)
        if activate is not None:
            activate(**kwargs)
        focus = getattr(screen, "default_focus", None)
        if focus is not None:
            focus().setFocus()

    def _served_news(self, notice: str, tone: str) -> None:
        lookup = self.screens.get("lookup")
        if lookup is not None and hasattr(lookup, "update_notice"):
            lookup.update_notice(notice, tone)

    def _nav_text(self, spec: ScreenSpec) -> str:
        count = self.badges.get(spec.key, 0)
        return f"{spec.translated_title()}  ({fmt.number(count)})" if count else spec.translated_title()

    def set_badge(self, key: str, count: int) -> None:
        """Shows ``count`` beside the screen's name in the navigation (0 hides it)."""
        self.badges[key] = int(count)
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                item.setText(self._nav_text(self.registry.get(key)))
        self._fit_nav_width()

    def _fit_nav_width(self) -> None:
        """The sidebar grows to its longest name (never cut to "Statements and ex…"), from 208 px."""
        self.nav.ensurePolished()
        widest = self.nav.sizeHintForColumn(0)  # the item delegate's own measure: text, icon, the style sheet's padding
        margins = self.nav_layout.contentsMargins()
        self.nav_panel.setFixedWidth(max(208, widest + 2 * self.nav.frameWidth() + margins.left() + margins.right()))

    def _nav_clicked(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.navigate(item.data(Qt.ItemDataRole.UserRole))

    # ------------------------------------------------------------------ lock, sign out

    def start(self) -> None:
        """Called once the window is shown: the idle clock starts, the keyboard goes to the lookup box."""
        self.idle.start()
        self.store_watch.start()
        if self.outcome_notices is not None:
            self.outcome_notices.refresh()
        self._focus_default()

    def _focus_default(self) -> None:
        key = self.current_key()
        screen = self.screens.get(key) if key else None
        if screen is not None and hasattr(screen, "default_focus"):
            screen.default_focus().setFocus()

    def lock(self) -> None:
        """Locks the desk (idle timer, Ctrl+L): audited; the screens stay as they are underneath."""
        if self.locked:
            return
        self.runner.write(self.services.auth.lock, session=self.session)
        self.show_lock_page()

    def show_lock_page(self) -> None:
        self.locked = True
        self._focus_before_lock = QApplication.focusWidget()
        self.idle.timer.stop()
        self.lock_page.prepare(self.session, now_text())
        self.pages.setCurrentWidget(self.lock_page)
        self.menuBar().setEnabled(False)
        for action in self.actions():
            action.setEnabled(False)
        self.lock_page.focus_first()
        self.sig_locked.emit()

    def _unlocked(self, session: StaffSession) -> None:
        if session.staff_id != self.session.staff_id:
            # A supervisor opened the desk: the locked user was signed out by the service.
            self.locked = False
            self.idle.stop()
            self._closing_for_sign_out = True
            self.sig_session_replaced.emit(session)
            return
        self.locked = False
        self.pages.setCurrentWidget(self.workspace)
        self.menuBar().setEnabled(True)
        for action in self.actions():
            action.setEnabled(True)
        for spec in self.specs:
            if not spec.in_navigation and self.current_key() != spec.key and not getattr(self.screens[spec.key], "member_no", None):
                self.screen_actions[spec.key].setEnabled(False)
        self.idle.timer.start()
        self._store_changed()  # whatever happened while the desk was locked
        focus = self._focus_before_lock
        if focus is not None and self.workspace.isAncestorOf(focus):
            focus.setFocus()
        else:
            self._focus_default()
        self.sig_unlocked.emit()

    def _store_changed(self) -> None:
        if self.outcome_notices is not None:
            self.outcome_notices.refresh()
        key = self.current_key()
        screen = self.screens.get(key) if key else None
        follow = getattr(screen, "on_store_changed", None)
        if follow is not None and not self.locked:
            follow()

    def sign_out(self) -> None:
        self.idle.stop()
        self.store_watch.stop()
        self.sync_timer.stop()
        self.runner.write(self.services.auth.sign_out, session=self.session)
        self._closing_for_sign_out = True
        self.sig_signed_out.emit()

    def quit(self) -> None:
        self.close()

    def closeEvent(self, event: Any) -> None:
        self.idle.stop()
        self.store_watch.stop()
        self.sync_timer.stop()
        if not self._closing_for_sign_out and not self.locked:
            self.runner.write(self.services.auth.sign_out, session=self.session)
            self._closing_for_sign_out = True
        super().closeEvent(event)

    # ------------------------------------------------------------------ dialogs

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            language = self.settings.language
            dialog.save()
            self.idle.set_minutes(self.settings.idle_lock_minutes)
            if self.settings.language != language:
                self.sig_language_changed.emit(self.settings.language)

    def show_shortcuts(self) -> None:
        from loyalty_desk.ui.shortcuts import ShortcutsDialog

        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.open()

    def about(self) -> None:
        from loyalty_desk import __version__

        QMessageBox.about(
            self,
            self.tr("About Loyalty Desk"),
            self.tr("Loyalty Desk {version}\nThe branch desk for the points loyalty programme.").format(version=__version__),
        )

    def _busy_changed(self, busy: int) -> None:
        self.busy_label.setText(self.tr("Working…") if busy else "")
