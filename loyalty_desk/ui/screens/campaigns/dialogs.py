"""The approval dialog (the campaign, its forecast, approve or reject with a note) and the stop dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QWidget

from loyalty_desk.domain.campaigns import NOTE_MAX, NOTE_MIN
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.services.campaigns.dto import CampaignView
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.screens.base import ScreenDialog
from loyalty_desk.ui.screens.campaigns.models import KINDS, SOURCES, WORDS, rule_text
from loyalty_desk.ui.screens.campaigns.panel import ForecastPanel
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import dialog_column, error_label, named, show_field_error


def describe(view: CampaignView, chinese: bool) -> str:
    """The campaign in one paragraph: what it gives, to whom, when, within what."""
    sources = ", ".join(WORDS.of(SOURCES, s) for s in view.sources)
    tiers = ", ".join(fmt.tier(t) for t in view.tiers)
    branches = ", ".join(view.branches) or WORDS(QT_TRANSLATE_NOOP("Campaigns", "every branch"))
    cap = fmt.number(view.member_cap) if view.member_cap else WORDS(QT_TRANSLATE_NOOP("Campaigns", "none"))
    return WORDS(QT_TRANSLATE_NOOP("Campaigns", "{name} ({code}): {kind} {rule} on {sources}; tiers {tiers}; {branches}; {start} – {end}; "
                                   "budget {budget} points, per-member cap {cap}. Drafted by {maker}.")).format(
        name=view.name_zh if chinese else view.name_en, code=view.code, kind=WORDS.of(KINDS, view.kind), rule=rule_text(view), sources=sources,
        tiers=tiers, branches=branches, start=fmt.day(view.starts_on), end=fmt.day(view.ends_on), budget=fmt.number(view.budget_points),
        cap=cap, maker=view.created_by or "?")


class _NoteDialog(ScreenDialog):
    """A dialog about one campaign with a note field (``note``) under its description."""

    def __init__(self, context: ScreenContext, view: CampaignView, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.view = view
        self.heading = named(QLabel(), "DialogTitle")
        self.summary = named(QLabel(describe(view, context.settings.language == "zh_CN")), "FieldValue")
        self.summary.setWordWrap(True)
        self.note_label = QLabel()
        self.note = named(QPlainTextEdit(), "Note")
        self.note.setFixedHeight(64)
        self.note_label.setBuddy(self.note)
        self.note_error = error_label()
        self.buttons = QDialogButtonBox()
        self._operation_ids: dict[str, str] = {}

    def operation_id(self, action: str) -> str:
        """Made when ``action`` starts, the same on a retry from this dialog: it never posts twice."""
        return self._operation_ids.setdefault(action, self._services.campaigns.new_operation_id())

    def note_problem(self, *, required: bool) -> str:
        text = self.note.toPlainText().strip()
        if not required and not text:
            return ""
        if len(text) < NOTE_MIN:
            return self.tr("At least {minimum} characters (now {actual}).").format(minimum=NOTE_MIN, actual=len(text))
        if len(text) > NOTE_MAX:
            return self.tr("At most {maximum} characters (now {actual}).").format(maximum=NOTE_MAX, actual=len(text))
        return ""

    def write_with_note(self, action: Callable[..., Any], key: str, note_argument: str, on_result: Callable[[Any], None]) -> None:
        """Runs ``action`` on the campaign with the note, which is required: a missing or bad one is marked and nothing is sent."""
        problem = self.note_problem(required=True)
        show_field_error(self.note_error, problem)
        if problem:
            self.note.setFocus()
            return
        self.set_busy(True)
        self.write(action, operation_id=self.operation_id(key), session=self._context.session, code=self.view.code,
                   **{note_argument: self.note.toPlainText().strip()}, on_result=on_result, on_error=self.refused)

    def closes_with(self, signal: SignalInstance) -> Callable[[CampaignView], None]:
        """The handler of a success: ``signal`` carries the campaign as it now stands, and the dialog closes."""

        def succeeded(view: CampaignView) -> None:
            self.set_busy(False)
            signal.emit(view)
            self.accept()

        return succeeded

    def refused(self, error: BaseException) -> None:
        self.set_busy(False)
        if isinstance(error, ValidationError) and error.field in ("note", "reason"):
            show_field_error(self.note_error, error_message(error))
        else:
            self.show_error(error)
        self.sig_failed.emit(error)


class DecisionDialog(_NoteDialog):
    """A second marketer approves or rejects a submitted campaign, its forecast in view. The maker
    never gets here enabled: the screen disables the button with the reason."""

    sig_decided = Signal(object)  # CampaignView

    def __init__(self, context: ScreenContext, view: CampaignView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.setObjectName("CampaignDecisionDialog")
        self.forecast = ForecastPanel(context, self)
        self.approve_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.approve_button.setObjectName("Primary")
        self.approve_button.clicked.connect(self.approve)
        self.reject_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.reject_button.clicked.connect(self.reject_campaign)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(self.reject)
        dialog_column(self, self.heading, self.summary, self.forecast, self.note_label, self.note, self.note_error, self.banner, self.buttons)
        self.setWindowTitle(self.tr("Approve or reject a campaign"))
        self.heading.setText(self.tr("Campaign {code}: approve or reject").format(code=view.code))
        self.note_label.setText(self.tr("&Note (required to reject)"))
        self.approve_button.setText(self.tr("&Approve"))
        self.reject_button.setText(self.tr("&Reject"))
        self.close_button.setText(self.tr("Close"))
        self.resize(640, 420)
        self.forecast.start(code=view.code)
        self.finished.connect(lambda _code: self.forecast.cancel())

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return (self.approve_button, self.reject_button)

    def approve(self) -> None:
        show_field_error(self.note_error, "")
        self.set_busy(True)
        campaigns = self._services.campaigns
        self.write(campaigns.approve, operation_id=self.operation_id("approve"), session=self._context.session, code=self.view.code,
                   note=self.note.toPlainText().strip(), on_result=self.closes_with(self.sig_decided), on_error=self.refused)

    def reject_campaign(self) -> None:
        self.write_with_note(self._services.campaigns.reject, "reject", "note", self.closes_with(self.sig_decided))


class StopDialog(_NoteDialog):
    """Stops an approved campaign early; the reason is required and audited."""

    sig_stopped = Signal(object)  # CampaignView

    def __init__(self, context: ScreenContext, view: CampaignView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.setObjectName("CampaignStopDialog")
        self.stop_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.stop_button.setObjectName("Danger")
        self.stop_button.clicked.connect(self.stop)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(self.reject)
        dialog_column(self, self.heading, self.summary, self.note_label, self.note, self.note_error, self.banner, self.buttons)
        self.setWindowTitle(self.tr("Stop a campaign"))
        self.heading.setText(self.tr("Stop campaign {code} now").format(code=view.code))
        self.note_label.setText(self.tr("&Reason (required)"))
        self.stop_button.setText(self.tr("&Stop campaign"))
        self.close_button.setText(self.tr("Close"))
        self.resize(560, 300)

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return (self.stop_button,)

    def stop(self) -> None:
        self.write_with_note(self._services.campaigns.stop, "stop", "reason", self.closes_with(self.sig_stopped))
