"""Programme rules: the administrators' screen (four eyes, versions by effective date).

The rules in force on a chosen day fill a form, one page per section; an administrator edits values,
picks the effective date (today or later) and gives a reason; every refusal is shown at its field
(``RuleChangeService.form_problems``) and nothing is written; otherwise a dialog shows each setting
before and after, and Propose files it. Pending proposals are approved or rejected by a second
administrator (disabled, with the reason, for their proposer, who may withdraw). The history lists
every approved version. All reads and writes run off the UI thread.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.rule_changes import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, SETTING_PATHS, section_of
from loyalty_desk.domain.rules import RuleSettings
from loyalty_desk.services.rule_changes import RuleChangeView, RulesInForce, SettingChange
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message, setting_name
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import _RowsModel
from loyalty_desk.ui.screens.base import Screen, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import (
    CountedLineEdit,
    add_all,
    dialog_buttons,
    error_label,
    field_with_error,
    named,
    push_button,
    record_table,
    set_texts,
    show_field_error,
)


def value_text(value: Any) -> str:
    """A setting's value as the form and the lists write it."""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def changes_text(settings: tuple[SettingChange, ...]) -> str:
    return "; ".join(f"{setting_name(s.path)}: {value_text(s.before)} → {value_text(s.after)}" for s in settings)


class ChangesModel(_RowsModel):
    """Proposals (the pending list) or approved versions (the history)."""

    def __init__(self, history: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self.history = history

    def headers(self) -> list[str]:
        if self.history:
            return [self.tr("Version"), self.tr("Effective"), self.tr("Proposed by"), self.tr("Approved by"), self.tr("Changes"),
                    self.tr("Reason")]
        return [self.tr("No."), self.tr("Effective"), self.tr("Proposed by"), self.tr("Changes"), self.tr("Reason")]

    def cell(self, row: RuleChangeView, column: int) -> str:
        if self.history:
            return [str(row.version), fmt.day(row.effective_on), row.maker_username, row.decided_by_username or "–",
                    changes_text(row.settings), row.reason][column]
        return [str(row.change_id), fmt.day(row.effective_on), row.maker_username, changes_text(row.settings), row.reason][column]


class ProposalDialog(QDialog):
    """What a proposal changes, before it is filed: each setting in force on the effective date and its new value."""

    def __init__(self, diff: list[SettingChange], effective_on: date, reason: str, operation_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProposalDialog")
        self.setWindowTitle(self.tr("Propose a rules change"))
        self.setMinimumWidth(520)
        self.operation_id = operation_id  # made when the dialog opened: a retry files the same proposal once
        heading = named(QLabel(self.tr("From {day} (after a second administrator approves):").format(day=fmt.day(effective_on))),
                        "FieldLabel")
        rows = "".join(
            f"<tr><td>{setting_name(c.path)}</td><td align='right'>{value_text(c.before)}</td><td>→</td>"
            f"<td align='right'><b>{value_text(c.after)}</b></td></tr>" for c in diff
        )
        self.diff = named(QLabel(f"<table cellspacing='6'>{rows}</table>"), "ProposalDiff")
        self.diff.setTextFormat(Qt.TextFormat.RichText)
        self.reason = named(QLabel(self.tr("Reason: {reason}").format(reason=reason)), "Muted")
        self.reason.setWordWrap(True)
        self.buttons = dialog_buttons(self, self.tr("Propose"), self.tr("Back"))
        add_all(QVBoxLayout(self), heading, self.diff, self.reason, self.buttons)


class RulesScreen(Screen):
    sig_loaded = Signal(object)  # RulesInForce
    sig_lists_loaded = Signal()
    sig_proposed = Signal(object)  # RuleChangeView
    sig_decided = Signal(object)  # RuleChangeView

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.in_force: RulesInForce | None = None
        self.today: date | None = None
        self.proposal_dialog: ProposalDialog | None = None
        top = self.title_line()

        # ---- the rules in force on a day, as an editable form
        self.on_date = named(QDateEdit(), "RulesOnDate")
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat(fmt.date_edit_format())
        self.on_date.dateChanged.connect(lambda _d: self.load_rules())
        self.on_label = QLabel()
        self.on_label.setBuddy(self.on_date)
        self.version_label = named(QLabel(), "Muted")
        self.section = named(QComboBox(), "RulesSection")
        for section in RuleSettings.SECTIONS:
            self.section.addItem("", section)
        self.section_label = QLabel()
        self.section_label.setBuddy(self.section)
        self.pages = QStackedWidget()
        self.section.currentIndexChanged.connect(self.pages.setCurrentIndex)
        self.fields: dict[str, QLineEdit | QCheckBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.setting_labels: dict[str, QLabel] = {}
        for section in RuleSettings.SECTIONS:
            page = QWidget()
            form = QFormLayout(page)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            form.setVerticalSpacing(4)
            for path in (p for p in SETTING_PATHS if section_of(p) == section):
                field: QLineEdit | QCheckBox = QCheckBox() if path == "tiers.downgrade_warning" else QLineEdit()
                field.setObjectName(path)
                self.fields[path] = field
                self.errors[path] = error_label()
                label = QLabel()
                label.setBuddy(field)
                self.setting_labels[path] = label
                form.addRow(label, field_with_error([field], self.errors[path]))
            scroll = QScrollArea()  # each section scrolls on its own, so the screen fits a 1024 x 700 display
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.pages.addWidget(scroll)
        self.effective_on = named(QDateEdit(), "EffectiveOn")
        self.effective_on.setCalendarPopup(True)
        self.effective_on.setDisplayFormat(fmt.date_edit_format())
        self.reason = named(CountedLineEdit(REASON_MAX_LENGTH), "RulesReason")
        self.errors["effective_on"] = error_label()
        self.errors["reason"] = error_label()
        self.errors["changes"] = error_label()
        self.effective_label, self.reason_label = QLabel(), QLabel()
        self.effective_label.setBuddy(self.effective_on)
        self.reason_label.setBuddy(self.reason)
        self.propose_button = push_button(icon("approvals"), self.propose, shortcut="Ctrl+S", name="Primary")
        proposal = QFormLayout()
        proposal.addRow(self.effective_label, field_with_error([self.effective_on], self.errors["effective_on"], grows=(QDateEdit,)))
        proposal.addRow(self.reason_label, field_with_error([self.reason, self.reason.counter], self.errors["reason"]))
        day_row = add_all(QHBoxLayout(), self.on_label, self.on_date, 12, self.version_label, 1, self.section_label, self.section)
        rules_tab = QWidget()
        add_all(QVBoxLayout(rules_tab), day_row, (self.pages, 1), self.errors["changes"], proposal,
                add_all(QHBoxLayout(), 1, self.propose_button))

        # ---- pending proposals
        self.pending_model = ChangesModel(False, self)
        self.pending_table = record_table(self.pending_model, self._pending_selected, stretch_last=True)
        self.pending_details = named(QLabel(), "FieldValue")
        self.pending_details.setWordWrap(True)
        self.note = named(CountedLineEdit(NOTE_MAX_LENGTH), "DecisionNote")
        self.errors["note"] = error_label()
        self.decide_hint = named(QLabel(), "DecideHint")
        self.decide_hint.setWordWrap(True)
        self.approve_button = push_button(icon("approvals"), self.approve, name="Primary")
        self.reject_button = push_button(None, self.reject)
        self.withdraw_button = push_button(None, self.withdraw)
        pending_tab = QWidget()
        add_all(QVBoxLayout(pending_tab), (self.pending_table, 1), self.pending_details,
                field_with_error([self.note, self.note.counter], self.errors["note"]), self.decide_hint,
                add_all(QHBoxLayout(), 1, self.withdraw_button, self.reject_button, self.approve_button))

        # ---- history of versions
        self.history_model = ChangesModel(True, self)
        self.history_table = record_table(self.history_model, stretch_last=True)

        self.tabs = named(QTabWidget(), "RulesTabs")
        for tab in (rules_tab, pending_tab, self.history_table):
            self.tabs.addTab(tab, "")
        page_layout(self, top, self.banner, (self.tabs, 1))
        self.retranslate()
        self._pending_selected()

    # ------------------------------------------------------------------ screen protocol

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Programme rules")),
            (self.refresh_button, self.tr("Refresh")),
            (self.on_label, self.tr("Rules &on")),
            (self.section_label, self.tr("Se&ction")),
            (self.effective_label, self.tr("&Effective from")),
            (self.reason_label, self.tr("&Reason")),
            (self.propose_button, self.tr("Propose change…"), self.tr("Check the changed values and show them before and after (Ctrl+S)")),
            (self.approve_button, self.tr("Approve")),
            (self.reject_button, self.tr("Reject")),
            (self.withdraw_button, self.tr("Withdraw")),
        )
        sections = {
            "tiers": self.tr("Tiers"), "earning": self.tr("Earning"), "expiry": self.tr("Expiry"), "redemption": self.tr("Redemption"),
            "adjustments": self.tr("Adjustments"), "referrals": self.tr("Referrals"), "security": self.tr("Sign-in security"),
            "lookup": self.tr("Lookup"),
        }
        for i in range(self.section.count()):
            self.section.setItemText(i, sections[self.section.itemData(i)])
        for path, label in self.setting_labels.items():
            label.setText(setting_name(path))
        self.reason.setPlaceholderText(self.tr("Why the rules change (at least 10 characters)"))
        self.note.setPlaceholderText(self.tr("Note for the decision (needed to reject)"))
        self.tabs.setTabText(0, self.tr("Rules in &force"))
        self.tabs.setTabText(1, self.tr("&Pending"))
        self.tabs.setTabText(2, self.tr("&History"))
        self.pending_model.retranslate()
        self.history_model.retranslate()
        self._show_version()
        self._pending_selected()

    def refresh(self) -> None:
        self.load_rules()
        self.load_lists()

    def default_focus(self) -> QWidget:
        return self.section

    def busy_widgets(self) -> list[QWidget]:
        return [self.propose_button, self.approve_button, self.reject_button, self.withdraw_button]

    # ------------------------------------------------------------------ loading

    def load_rules(self) -> None:
        day = fmt.pydate(self.on_date.date()) if self.today is not None else None
        self.run_latest("rules", self._services.rule_changes.rules_on, day, on_result=self._rules_loaded, on_error=self.report_failure)

    def _rules_loaded(self, in_force: RulesInForce) -> None:
        if self.today is None:  # the first answer says what today is for the store's clock
            self.today = in_force.day
            for edit in (self.on_date, self.effective_on):
                edit.blockSignals(True)
                edit.setDate(fmt.qdate(in_force.day))
                edit.blockSignals(False)
            self.effective_on.setMinimumDate(fmt.qdate(in_force.day))
        self.in_force = in_force
        for path, field in self.fields.items():
            value = in_force.settings[path]
            if isinstance(field, QCheckBox):
                field.setChecked(bool(value))
            else:
                field.setText(value_text(value))
        self._clear_errors(banner=False)
        self._show_version()
        self.sig_loaded.emit(in_force)

    def _show_version(self) -> None:
        if self.in_force is None:
            self.version_label.setText("")
        elif self.in_force.version:
            self.version_label.setText(self.tr("Version {n}").format(n=self.in_force.version))
        else:
            self.version_label.setText(self.tr("The installed settings (no version yet)"))

    def load_lists(self) -> None:
        self.run_latest("lists", _lists, self._services, on_result=self._lists_loaded, on_error=self.report_failure)

    def _lists_loaded(self, lists: tuple[list[RuleChangeView], list[RuleChangeView]]) -> None:
        pending, history = lists
        chosen = self.selected_pending()
        self.pending_model.set_rows(pending)
        self.history_model.set_rows(history)
        if chosen is not None:
            for i, row in enumerate(pending):
                if row.change_id == chosen.change_id:
                    self.pending_table.selectRow(i)
        self._pending_selected()
        self.sig_lists_loaded.emit()

    # ------------------------------------------------------------------ proposing

    def edited(self) -> dict[str, Any]:
        """The settings whose value in the form differs from the one loaded, as typed."""
        if self.in_force is None:
            return {}
        changes: dict[str, Any] = {}
        for path, field in self.fields.items():
            loaded = self.in_force.settings[path]
            if isinstance(field, QCheckBox):
                if field.isChecked() != bool(loaded):
                    changes[path] = field.isChecked()
            elif field.text().strip() != value_text(loaded):
                changes[path] = field.text()
        return changes

    def propose(self) -> None:
        """Checks the form on a worker; every refusal at its field, or the before and after in a dialog."""
        self._clear_errors()
        changes = self.edited()
        if not changes:
            show_field_error(self.errors["changes"], self.tr("Change at least one value first."))
            return
        if problem := self.reason.problem():
            show_field_error(self.errors["reason"], problem)
            return
        effective_on = fmt.pydate(self.effective_on.date())
        self.run(_checked, self._services, changes, effective_on, self.reason.text(), on_result=lambda found: self._checked(found, changes, effective_on),
                 on_error=self.report_failure)

    def _checked(self, found: tuple[list[ValidationError], list[SettingChange]], changes: dict[str, Any], effective_on: date) -> None:
        problems, diff = found
        if problems:
            for error in problems:
                self._field_error(error)
            self.set_banner(self.tr("Correct the marked values; nothing was proposed."), "error")
            return
        reason = " ".join(self.reason.text().split())
        dialog = ProposalDialog(diff, effective_on, reason, self._services.rule_changes.new_operation_id(), self)
        dialog.accepted.connect(lambda: self._file(dialog.operation_id, changes, effective_on, reason))
        self.open_dialog("proposal_dialog", dialog)

    def _file(self, operation_id: str, changes: dict[str, Any], effective_on: date, reason: str) -> None:
        self.set_busy(True)
        self.write(self._services.rule_changes.propose, operation_id=operation_id, session=self._context.session, changes=changes,
                   effective_on=effective_on, reason=reason, on_result=self._proposed, on_error=self._write_failed)

    def _proposed(self, view: RuleChangeView) -> None:
        self.set_busy(False)
        self.reason.clear()
        self.set_banner(self.tr("Rules change {n} proposed, effective {day}. A second administrator must approve it.").format(
            n=view.change_id, day=fmt.day(view.effective_on)), "ok")
        self.sig_proposed.emit(view)
        self.refresh()
        self.tabs.setCurrentIndex(1)

    # ------------------------------------------------------------------ deciding

    def selected_pending(self) -> RuleChangeView | None:
        rows = self.pending_table.selectionModel().selectedRows() if self.pending_table.selectionModel() else []
        return self.pending_model.row(rows[0].row()) if rows else None

    def _pending_selected(self, *_: object) -> None:
        chosen = self.selected_pending()
        own = chosen is not None and chosen.maker_staff_id == self._context.session.staff_id
        self.pending_details.setText(
            "" if chosen is None else self.tr("No. {n}, effective {day}, proposed by {who}: {changes}").format(
                n=chosen.change_id, day=fmt.day(chosen.effective_on), who=chosen.maker_username, changes=changes_text(chosen.settings)))
        if chosen is None:
            hint = self.tr("Choose a proposal in the list.")
        elif own:
            hint = self.tr("You proposed this change: a second administrator must approve or reject it (four eyes). You may withdraw it.")
        else:
            hint = ""
        self.decide_hint.setText(hint)
        self.decide_hint.setVisible(bool(hint))
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(chosen is not None and not own and not self.busy)
        self.withdraw_button.setEnabled(own and not self.busy)

    def approve(self) -> None:
        self._decide(self._services.rule_changes.approve, note=self.note.text())

    def reject(self) -> None:
        if not self.note.text().strip():
            show_field_error(self.errors["note"], self.tr("Say why the change is rejected."))
            return
        self._decide(self._services.rule_changes.reject, note=self.note.text())

    def withdraw(self) -> None:
        self._decide(self._services.rule_changes.withdraw, note=self.note.text())

    def _decide(self, action: Any, *, note: str) -> None:
        chosen = self.selected_pending()
        if chosen is None:
            return
        self._clear_errors()
        self.set_busy(True)
        self.write(action, operation_id=self._services.rule_changes.new_operation_id(), session=self._context.session,
                   change_id=chosen.change_id, note=note, on_result=self._decided, on_error=self._write_failed)

    def _decided(self, view: RuleChangeView) -> None:
        self.set_busy(False)
        self.note.clear()
        texts = {
            "approved": self.tr("Rules change {n} approved as version {v}, in force from {day}."),
            "rejected": self.tr("Rules change {n} rejected; the rules stay as they are."),
            "withdrawn": self.tr("Rules change {n} withdrawn."),
        }
        self.set_banner(texts.get(view.status, "").format(n=view.change_id, v=view.version, day=fmt.day(view.effective_on)), "ok")
        self.sig_decided.emit(view)
        self.refresh()

    # ------------------------------------------------------------------ errors

    def _write_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self._pending_selected()
        if isinstance(error, ValidationError) and error.field in self.errors:
            self._field_error(error)
        else:
            self.show_error(error)
        self.sig_failed.emit(error)

    def _field_error(self, error: ValidationError) -> None:
        label = self.errors.get(error.field)
        if label is None:
            self.show_error(error)
            return
        show_field_error(label, error_message(error))
        if error.field in self.fields:  # show the section holding the first refused value
            wanted = RuleSettings.SECTIONS.index(section_of(error.field))
            if not any(self.errors[p].isVisibleTo(self) for p in self.fields if p != error.field):
                self.section.setCurrentIndex(wanted)

    def _clear_errors(self, *, banner: bool = True) -> None:
        for label in self.errors.values():
            show_field_error(label, "")
        if banner:
            self.set_banner("")


def _lists(services: Any) -> tuple[list[RuleChangeView], list[RuleChangeView]]:
    return services.rule_changes.pending(), services.rule_changes.history()


def _checked(services: Any, changes: dict[str, Any], effective_on: date, reason: str) -> tuple[list[ValidationError], list[SettingChange]]:
    problems = services.rule_changes.form_problems(changes=changes, effective_on=effective_on, reason=reason)
    if problems:
        return problems, []
    return [], services.rule_changes.preview(changes=changes, effective_on=effective_on)

