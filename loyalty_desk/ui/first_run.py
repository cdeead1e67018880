"""The first-run setup of an installed desk: standalone with demo data, or join central.

The jobs (``create_demo``, ``join_central``) come from ``loyalty_desk.first_run`` as plain functions
taking a progress object; this dialog runs them on the task runner with a progress dialog, so the
window never freezes. ``run_setup`` shows the dialog modally and says whether to go on to sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from loyalty_desk.ui.tasks import TaskRunner


class FirstRunDialog(QDialog):
    """Two choices and, for central, three fields; Continue runs the chosen job, then Sign in."""

    def __init__(
        self,
        runner: TaskRunner,
        data_dir: Path,
        *,
        create_demo: Callable[..., Any],
        join_central: Callable[..., Any],
        problems: Callable[[str, str, str], list[str]],
        defaults: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.data_dir = runner, data_dir
        self._create_demo, self._join_central, self._problems = create_demo, join_central, problems
        self.result_value: Any = None
        self.task: Any = None
        self.setWindowTitle(self.tr("Set up Loyalty Desk"))
        self.setMinimumWidth(520)

        intro = QLabel(self.tr("This desk has no data yet. Choose how it will work; you can sign in right after."))
        intro.setWordWrap(True)
        self.standalone = QRadioButton(self.tr("&Standalone, with demo data (to try the desk or to train)"))
        self.central = QRadioButton(self.tr("&Connect to the central database (the desk login from head office IT)"))
        choices = QButtonGroup(self)
        choices.addButton(self.standalone)
        choices.addButton(self.central)

        self.central_url = QLineEdit(getattr(defaults, "central_url", "") or "")
        self.central_url.setPlaceholderText("postgresql://central.example:5432/loyalty")
        self.desk = QLineEdit(getattr(defaults, "desk_name", "") or "")
        self.desk.setPlaceholderText(self.tr("e.g. bj01_desk03"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.central_form = QWidget()
        form = QFormLayout(self.central_form)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow(self.tr("Central &URL:"), self.central_url)
        form.addRow(self.tr("&Desk name:"), self.desk)
        form.addRow(self.tr("Desk &password:"), self.password)
        branch = getattr(defaults, "branch", "") or ""
        if branch:
            form.addRow(self.tr("Branch:"), QLabel(branch))

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.continue_button = self.buttons.addButton(self.tr("C&ontinue"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton(self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.continue_button.setDefault(True)
        self.buttons.accepted.connect(self._continue)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        for widget in (intro, self.standalone, self.central, self.central_form, self.message, self.buttons):
            layout.addWidget(widget)

        self.standalone.toggled.connect(self._choice_changed)
        (self.central if self.central_url.text() else self.standalone).setChecked(True)
        self._choice_changed()

    # ------------------------------------------------------------------ behaviour

    def _choice_changed(self) -> None:
        self.central_form.setEnabled(self.central.isChecked())
        self.message.clear()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.standalone, self.central, self.central_form, self.continue_button):
            widget.setEnabled(not busy)
        if not busy:
            self.central_form.setEnabled(self.central.isChecked())

    def _continue(self) -> None:
        if self.result_value is not None and self.result_value.ok:
            self.accept()  # the job is done: on to sign-in
            return
        if self.task is not None:
            return
        if self.standalone.isChecked():
            self._start(self._create_demo, self.tr("Preparing the demo store"))
            return
        url, desk, password = self.central_url.text().strip(), self.desk.text().strip(), self.password.text()
        problems = self._problems(url, desk, password)
        if problems:
            texts = {
                "central_url": self.tr("Central URL: give it as postgresql://HOST:PORT/DATABASE."),
                "desk": self.tr("Desk name: lower-case letters, digits and underscores, starting with a letter."),
                "password": self.tr("Desk password: required."),
            }
            self.message.setText("\n".join(texts[p] for p in problems))
            {"central_url": self.central_url, "desk": self.desk, "password": self.password}[problems[0]].setFocus()
            return
        self._start(self._join_central, self.tr("Connecting to central"), central_url=url, desk=desk, password=password)

    def _start(self, job: Callable[..., Any], title: str, **kwargs: Any) -> None:
        self._set_busy(True)
        self.message.setText(title + "…")
        self.task = self.runner.write(
            job, self.data_dir, progress=True, progress_parent=self, progress_title=title,
            on_result=self._finished, on_error=self._failed, **kwargs,
        )

    def _finished(self, result: Any) -> None:
        self.task = None
        self.result_value = result
        self._set_busy(False)
        if not result.ok:
            self.message.setText(self.tr("Central could not be reached or refused the desk login: %1").replace("%1", result.detail))
            return
        if self.standalone.isChecked():
            accounts = ", ".join(sorted({a[0] for a in result.accounts if a[0] in ("officer.bj1", "supervisor.bj1", "admin")}))
            password = result.accounts[0][3] if result.accounts else ""
            text = self.tr("Demo store ready with %1 members. Sign in as %2 with the password %3.")
            self.message.setText(text.replace("%1", result.detail).replace("%2", accounts).replace("%3", password))
        else:
            self.message.setText(self.tr("Connected to central; %1 changes pulled.").replace("%1", result.detail))
        self.continue_button.setText(self.tr("&Sign in"))
        self.standalone.setEnabled(False)
        self.central.setEnabled(False)
        self.central_form.setEnabled(False)
        self.continue_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self._set_busy(False)
        original = getattr(error, "original", error)
        if type(original).__name__ == "SetupCancelled":  # loyalty_desk.first_run.SetupCancelled
            self.message.setText(self.tr("Cancelled; nothing was set up."))
            return
        incident = getattr(error, "incident", "")
        self.message.setText(self.tr("The setup failed (reference %1); details are in the log.").replace("%1", incident or type(error).__name__))

    def reject(self) -> None:
        if self.task is not None:  # a job is running: cancel it first (its dialog has Cancel too)
            self.task.cancel()
            return
        super().reject()


def run_setup(data_dir: Path, *, defaults: Any, create_demo: Callable[..., Any], join_central: Callable[..., Any],
              problems: Callable[[str, str, str], list[str]]) -> bool:
    """Shows the setup modally in the desk's language; True when the desk is ready for sign-in."""
    from loyalty_desk.ui.app import prepare_application
    from loyalty_desk.ui.settings import DeskSettings

    prepare_application(DeskSettings().language)
    runner = TaskRunner()
    dialog = FirstRunDialog(runner, data_dir, create_demo=create_demo, join_central=join_central, problems=problems, defaults=defaults)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    runner.wait_for_done(60_000)
    dialog.deleteLater()
    return accepted
