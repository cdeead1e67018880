"""Outcome notices: an officer's own adjustment requests, decided since they last looked.

The status bar shows a button with the count of outcomes (approved, rejected with the note, expired)
not yet seen; it opens the list, and opening it marks them seen. The list is read from the store by
``AdjustmentService.my_outcomes`` whenever the store changes, so a decision taken by a supervisor at
this desk or arriving through central's feed counts as soon as it lands. Which outcomes a staff member
has seen is kept in this desk's settings, per username (``DeskSettings.seen_outcomes``): it is a
reading mark, not a fact of the programme, so it is neither audited nor synced.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget

from loyalty_desk.ui import fmt
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.adjustments.models import status_label
from loyalty_desk.ui.settings import DeskSettings
from loyalty_desk.ui.tasks import LatestRead, TaskRunner
from loyalty_desk.ui.widgets import close_button

MAKER_ROLES = ("officer", "supervisor")


class OutcomeNotices(QObject):
    """Reads the session's outcomes off the UI thread and keeps the unseen count."""

    sig_changed = Signal()

    def __init__(self, services: Any, session: Any, runner: TaskRunner, settings: DeskSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = settings
        self.outcomes: tuple[Any, ...] = ()
        self._reading = LatestRead(runner, services.adjustments.my_outcomes, self._read, self, session=session)

    @property
    def unseen(self) -> list[Any]:
        seen = self._settings.seen_outcomes(self._session.username)
        return [o for o in self.outcomes if o.request_id not in seen]

    @property
    def reading(self) -> bool:
        return self._reading.running

    def refresh(self) -> None:
        self._reading.request()

    def _read(self, outcomes: tuple[Any, ...]) -> None:
        self.outcomes = tuple(outcomes)
        self.sig_changed.emit()

    def mark_seen(self) -> None:
        """Everything listed now has been seen; older marks that left the list are dropped."""
        self._settings.set_seen_outcomes(self._session.username, {o.request_id for o in self.outcomes})
        self.sig_changed.emit()


class OutcomesButton(QToolButton):
    def __init__(self, notices: OutcomeNotices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OutcomesButton")
        self.notices = notices
        self.setIcon(icon("approvals"))
        self.setAutoRaise(True)
        self.clicked.connect(self.open_list)
        notices.sig_changed.connect(self.retranslate)
        self.dialog: OutcomesDialog | None = None
        self.retranslate()

    def retranslate(self) -> None:
        count = len(self.notices.unseen)
        self.setText(self.tr("%n new outcome(s)", "", count) if count else self.tr("My requests"))
        # only the icon while nothing is new: the status bar stays narrow enough for a 1024 px window
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon if count else Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.setToolTip(self.tr("The outcome of your adjustment requests (Ctrl+Shift+O)"))

    def open_list(self) -> None:
        self.dialog = OutcomesDialog(self.notices, self.window())
        self.notices.mark_seen()
        self.dialog.open()


class OutcomesDialog(QDialog):
    def __init__(self, notices: OutcomeNotices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("My adjustment requests"))
        unseen = {o.request_id for o in notices.unseen}
        outcomes = notices.outcomes
        self.summary = QLabel(
            self.tr("Your requests decided in the last 30 days; new ones are marked ●.") if outcomes
            else self.tr("None of your requests was decided in the last 30 days.")
        )
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(outcomes), 7)
        self.table.setHorizontalHeaderLabels(
            [self.tr("No."), self.tr("Outcome"), self.tr("Member"), self.tr("Points"), self.tr("Decided"), self.tr("By"), self.tr("Note")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, outcome in enumerate(outcomes):
            status = status_label(outcome.status)
            by = outcome.decided_by_name or (self.tr("expired unanswered") if outcome.status == "expired" else "")
            cells = (
                ("● " if outcome.request_id in unseen else "") + str(outcome.request_id),
                status,
                f"{outcome.masked_name} · {outcome.member_no}",
                fmt.number(outcome.signed_points),
                fmt.datetime_utc(outcome.decided_at) if outcome.decided_at else "",
                by,
                outcome.decision_note or "",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        for column in range(6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        buttons = close_button(self, self.tr("Close"))
        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)
        self.table.setVisible(bool(outcomes))
        box.addWidget(buttons)
        self.setMinimumSize(820, 380) if outcomes else self.setMinimumWidth(480)
