"""Sign-in page and lock page: username and password checked by the AuthService off the UI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from loyalty_desk.services.dto import StaffSession
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import pixmap
from loyalty_desk.ui.tasks import Task, TaskRunner
from loyalty_desk.ui.widgets import add_all, column, named


class _CredentialsPage(QWidget):
    """A centred white card on the navy background with username, password and one button."""

    def __init__(self, services: Any, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._task: Task | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        self.card = named(QFrame(), "SignInCard")
        self.card.setFixedWidth(400)
        self.logo = QLabel()
        self.title = named(QLabel(), "SignInTitle")
        self.subtitle = named(QLabel(), "Muted")
        self.subtitle.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("Username")
        self.password = QLineEdit()
        self.password.setObjectName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = named(QLabel(), "Error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.button = QPushButton()
        self.button.setObjectName("Primary")
        self.button.setDefault(True)
        self.button.setAutoDefault(True)

        head = QHBoxLayout()
        head.setSpacing(14)
        head.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignTop)
        titles = add_all(QVBoxLayout(), self.title, self.subtitle)
        titles.setSpacing(2)
        head.addLayout(titles, 1)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(10)
        self.username_label = QLabel()
        self.password_label = QLabel()
        self.form.addRow(self.username_label, self.username)
        self.form.addRow(self.password_label, self.password)

        self.footer = named(QLabel(), "Muted")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.footer.setWordWrap(True)
        column(self.card, (32, 28, 32, 28), 18, head, self.form, self.error, self.button, self.footer)

        outer = QGridLayout(self)
        outer.addWidget(self.card, 0, 0, Qt.AlignmentFlag.AlignCenter)

        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.button.clicked.connect(self.submit)
        self.username.returnPressed.connect(self._username_entered)
        self.password.returnPressed.connect(self.submit)

    def _username_entered(self) -> None:
        if self.username.text().strip():
            self.password.setFocus()
        else:
            self.show_error(QCoreApplication.translate("SignInPage", "Enter your username and password."))

    def is_busy(self) -> bool:
        return self._task is not None

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.username, self.password, self.button):
            widget.setEnabled(not busy)

    def submit(self) -> None:
        raise NotImplementedError

    def _start(self, fn: Any, **kwargs: Any) -> None:
        if self._task is not None:
            return
        if not self.username.text().strip() or not self.password.text():
            self.show_error(QCoreApplication.translate("SignInPage", "Enter your username and password."))
            (self.username if not self.username.text().strip() else self.password).setFocus()
            return
        self.show_error("")
        self._set_busy(True)
        self._task = self._runner.write(fn, on_result=self._succeeded, on_error=self._failed, **kwargs)

    def _succeeded(self, session: StaffSession) -> None:
        self._task = None
        self._set_busy(False)
        self.password.clear()
        self.show_error("")
        self.done(session)

    def _failed(self, error: BaseException) -> None:
        self._task = None
        self._set_busy(False)
        self.password.clear()
        self.show_error(error_message(error))
        self.password.setFocus()

    def done(self, session: StaffSession) -> None:
        raise NotImplementedError


class SignInPage(_CredentialsPage):
    sig_signed_in = Signal(object)  # StaffSession

    def __init__(self, services: Any, runner: TaskRunner, parent: QWidget | None = None, *, username: str = "") -> None:
        super().__init__(services, runner, parent)
        self.setObjectName("SignInPage")
        self._pending = False
        self.logo.setPixmap(pixmap("logo", 48))
        self.username.setText(username)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Loyalty Desk — Sign in"))
        self.title.setText(self.tr("Loyalty Desk"))
        self.subtitle.setText(self.tr("Sign in with your staff account."))
        self.username_label.setText(self.tr("&Username"))
        self.password_label.setText(self.tr("&Password"))
        self.username.setPlaceholderText(self.tr("e.g. officer1"))
        self.button.setText(self.tr("Sign in"))
        desk = getattr(self._services, "desk_name", "")
        self.footer.setText(self.tr("Desk {desk} · standalone").format(desk=desk))

    def focus_first(self) -> None:
        (self.password if self.username.text() else self.username).setFocus()

    def set_services(self, services: Any) -> None:
        """The store finished opening (when the desk started before it)."""
        self._services = services
        self.retranslate()
        if self._pending:
            self._pending = False
            self.submit()

    def submit(self) -> None:
        if self._services is None:  # still opening the store: sign in as soon as it is open
            self._pending = True
            self.show_error("")
            self.footer.setText(self.tr("Opening the store…"))
            return
        self._start(self._services.auth.sign_in, username=self.username.text().strip(), password=self.password.text())

    def done(self, session: StaffSession) -> None:
        self.sig_signed_in.emit(session)


class LockPage(_CredentialsPage):
    """Shown over the still-alive workspace; only the locked user or a supervisor opens it."""

    sig_unlocked = Signal(object)  # StaffSession: the same user, or the supervisor who took over

    def __init__(self, services: Any, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(services, runner, parent)
        self.setObjectName("LockPage")
        self.logo.setPixmap(pixmap("lock", 44))
        self.locked_session: StaffSession | None = None
        self._locked_at = ""
        self.retranslate()

    def prepare(self, session: StaffSession, locked_at: str) -> None:
        self.locked_session = session
        self._locked_at = locked_at
        self.username.setText(session.username)
        self.password.clear()
        self.show_error("")
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Desk locked"))
        name = self.locked_session.display_name if self.locked_session else ""
        self.subtitle.setText(
            self.tr("Locked for {name} at {time}. Only {name} or a supervisor can unlock it.").format(
                name=name, time=self._locked_at
            )
        )
        self.username_label.setText(self.tr("&Username"))
        self.password_label.setText(self.tr("&Password"))
        self.button.setText(self.tr("Unlock"))
        self.footer.setText(self.tr("A supervisor who unlocks signs {name} out.").format(name=name))

    def focus_first(self) -> None:
        self.password.setFocus()

    def submit(self) -> None:
        assert self.locked_session is not None
        self._start(
            self._services.auth.unlock,
            locked_session=self.locked_session,
            username=self.username.text().strip(),
            password=self.password.text(),
        )

    def done(self, session: StaffSession) -> None:
        self.sig_unlocked.emit(session)


class ChangePasswordPage(QWidget):
    """Before anything else, a user whose password was reset (or whose account is new) chooses their own:
    current password, new password twice. Escape / "Sign out" goes back to the sign-in page."""

    sig_changed = Signal(object)  # the fresh StaffSession (must_change_password cleared)
    sig_cancelled = Signal()

    def __init__(self, services: Any, runner: TaskRunner, session: StaffSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChangePasswordPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._services, self._runner, self.session = services, runner, session
        self._task: Task | None = None
        self.card = named(QFrame(), "SignInCard")
        self.card.setFixedWidth(440)
        logo = QLabel()
        logo.setPixmap(pixmap("lock", 44))
        self.title = named(QLabel(), "SignInTitle")
        self.subtitle = named(QLabel(), "Muted")
        self.subtitle.setWordWrap(True)
        self.current = named(QLineEdit(), "CurrentPassword")
        self.new = named(QLineEdit(), "NewPassword")
        self.repeat = named(QLineEdit(), "RepeatPassword")
        for edit in (self.current, self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.rule = named(QLabel(), "Muted")
        self.rule.setWordWrap(True)
        self.error = named(QLabel(), "Error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.button = named(QPushButton(), "Primary")
        self.button.setDefault(True)
        self.cancel = QPushButton()
        head = QHBoxLayout()
        head.setSpacing(14)
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(add_all(QVBoxLayout(), self.title, self.subtitle), 1)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        self.current_label, self.new_label, self.repeat_label = QLabel(), QLabel(), QLabel()
        for label, edit in ((self.current_label, self.current), (self.new_label, self.new), (self.repeat_label, self.repeat)):
            label.setBuddy(edit)
            form.addRow(label, edit)
        buttons = add_all(QHBoxLayout(), self.cancel, 1, self.button)
        column(self.card, (32, 28, 32, 28), 16, head, form, self.rule, self.error, buttons)
        outer = QGridLayout(self)
        outer.addWidget(self.card, 0, 0, Qt.AlignmentFlag.AlignCenter)
        self.button.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.sig_cancelled)
        self.current.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Loyalty Desk — Change password"))
        self.title.setText(self.tr("Choose a new password"))
        self.subtitle.setText(self.tr("{name}, your password was set by an administrator. Choose your own before you continue.").format(
            name=self.session.display_name))
        self.current_label.setText(self.tr("&Current password"))
        self.new_label.setText(self.tr("&New password"))
        self.repeat_label.setText(self.tr("&Repeat new password"))
        self.rule.setText(self.tr("At least 8 characters, with both letters and digits, and not the current password."))
        self.button.setText(self.tr("Change password"))
        self.cancel.setText(self.tr("Sign out"))
        self.cancel.setToolTip(self.tr("Back to the sign-in page (Esc)"))

    def focus_first(self) -> None:
        self.current.setFocus()

    def is_busy(self) -> bool:
        return self._task is not None

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self._task is None:
            self.sig_cancelled.emit()
            return
        super().keyPressEvent(event)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def submit(self) -> None:
        if self._task is not None:
            return
        if not self.current.text() or not self.new.text():
            self.show_error(self.tr("Enter your current password and the new one."))
            (self.current if not self.current.text() else self.new).setFocus()
            return
        if self.new.text() != self.repeat.text():
            self.show_error(self.tr("The two new passwords are not the same."))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        self.show_error("")
        for widget in (self.current, self.new, self.repeat, self.button, self.cancel):
            widget.setEnabled(False)
        self._task = self._runner.write(
            self._services.auth.change_password,
            session=self.session,
            old_password=self.current.text(),
            new_password=self.new.text(),
            on_result=self._changed,
            on_error=self._failed,
        )

    def _finish(self) -> None:
        self._task = None
        for widget in (self.current, self.new, self.repeat, self.button, self.cancel):
            widget.setEnabled(True)

    def _changed(self, session: StaffSession) -> None:
        self._finish()
        for edit in (self.current, self.new, self.repeat):
            edit.clear()
        self.sig_changed.emit(session)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        self.show_error(error_message(error))
        from loyalty_desk.domain.errors import DomainError

        if isinstance(error, DomainError) and error.code.startswith("auth.password_"):
            self.new.clear()
            self.repeat.clear()
            self.new.setFocus()
        else:
            self.current.clear()
            self.current.setFocus()


def now_text() -> str:
    from PySide6.QtCore import QLocale, QTime

    return QLocale().toString(QTime.currentTime(), QLocale.FormatType.ShortFormat)
