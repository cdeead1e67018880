"""Outreach: head-office marketing's message batches. The list of batches with their figures and delivery
results; a batch built for a segment and a reason off the UI thread (progress, Cancel), its SMS file and
checksum written to the folder chosen; the review workbook; the platform's delivery report imported;
and, when this desk has the SMS platform's settings, the batch sent to the platform over HTTP.

Batches are head office's own and kept in this desk's store (as the ``outreach`` command does): the
screen needs no connection to central, and a joined desk builds from the members it holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.outreach import Reason, period_for
from loyalty_desk.services.outreach.dto import DeliveryImport, OutreachBatchView, SendResult
from loyalty_desk.services.roles import Permission, allowed
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.base import TableScreen, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.outreach.models import BatchesModel, delivery_words, period_words, reason_words
from loyalty_desk.ui.tasks import Task
from loyalty_desk.ui.widgets import (
    add_all,
    error_label,
    named,
    push_button,
    record_table,
    refill_combo,
    set_texts,
    show_field_error,
    side_form,
    side_form_row,
)

FIELDS = ("segment", "reason", "campaign", "folder")


def load_outreach(services: Any, session: Any) -> dict[str, Any]:
    """On a worker: the batches, the segments and open campaigns a batch may name, whether this desk may
    send over HTTP (or why its settings are refused), and whether it is joined to central."""
    try:
        sending, settings_problem = services.outreach.sms_platform() is not None, None
    except DomainError as refused:
        sending, settings_problem = False, refused
    campaigns = [c for c in services.campaigns.list(session=session) if c.shown_status in ("scheduled", "running")]
    return {
        "batches": services.outreach.list(session=session), "segments": services.segments.list(session=session), "campaigns": campaigns,
        "sending": sending, "settings_problem": settings_problem, "joined": not services.sync.standalone, "today": services.outreach.today(),
    }


def build_batch(state: Any, services: Any, **kwargs: Any) -> OutreachBatchView:
    return services.outreach.build(progress=state, **kwargs)


def send_batch(state: Any, services: Any, **kwargs: Any) -> SendResult:
    return services.outreach.send(progress=state, **kwargs)


class OutreachScreen(TableScreen):
    sig_loaded = Signal(object)  # list[OutreachBatchView]
    sig_built = Signal(object)  # OutreachBatchView
    sig_exported = Signal(object)  # (path, messages)
    sig_imported = Signal(object)  # DeliveryImport
    sig_sent = Signal(object)  # SendResult

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.views: list[OutreachBatchView] = []
        self.may_manage = allowed(context.session.role, Permission.CAMPAIGN_MANAGE)
        self.sending_configured = False
        self._campaigns: list[Any] = []
        self._segments: list[Any] = []
        self._today = date.today()  # the desk's day, as the services count it, once loaded
        self.build_task: Task | None = None  # the build running (its progress dialog's Cancel cancels it)

        top = self.title_line()
        self.model = BatchesModel(self)
        self.table = record_table(self.model, self._selection_changed, stretch_last=True)
        self.scope_note = named(QLabel(), "Muted")
        self.scope_note.setWordWrap(True)
        self.scope_note.hide()

        self.details = named(QLabel(), "FieldValue")
        self.details.setWordWrap(True)
        self.export_button = push_button(icon("print"), self.ask_export, shortcut="Ctrl+E")
        self.import_button = push_button(icon("refresh"), self.ask_import, shortcut="Ctrl+I")
        self.send_button = push_button(None, self.send, shortcut="Ctrl+Shift+S")
        for button in (self.export_button, self.import_button, self.send_button):
            button.setVisible(self.may_manage)
        self.send_button.setVisible(False)  # until the settings are known to be there
        batch_actions = add_all(QHBoxLayout(), (self.details, 1), self.export_button, self.import_button, self.send_button)

        self.errors = {name: error_label() for name in FIELDS}
        self.labels: dict[str, QLabel] = {}
        self.segment = named(QComboBox(), "Segment")
        self.reason = named(QComboBox(), "Reason")
        for reason in Reason:
            self.reason.addItem("", reason.value)
        self.campaign = named(QComboBox(), "Campaign")
        self.folder = named(QLineEdit(), "Folder")
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self.ask_folder)
        for combo in (self.segment, self.campaign):  # long names must not widen the window past 1024 px
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.period = named(QLabel(), "FieldValue")
        self.period.setWordWrap(True)
        self.form_title = named(QLabel(), "FieldLabel")

        def row(form: Any, key: str, widgets: list[QWidget]) -> None:
            self.labels[key] = side_form_row(form, widgets, self.errors[key])

        left, right = side_form(), side_form()
        row(left, "segment", [self.segment])
        row(left, "reason", [self.reason])
        row(right, "campaign", [self.campaign])
        row(right, "folder", [self.folder, self.browse_button])
        self.period_label = QLabel()
        right.addRow(self.period_label, self.period)
        columns = add_all(QHBoxLayout(), (left, 1), (right, 1))
        columns.setSpacing(24)
        self.build_button = push_button(None, self.build, shortcut="Ctrl+B", name="Primary")
        card = named(QFrame(), "Card")
        box = QVBoxLayout(card)
        box.setContentsMargins(16, 10, 16, 10)
        add_all(box, add_all(QHBoxLayout(), self.form_title, 1, self.build_button), columns)
        card.setVisible(self.may_manage)
        page_layout(self, top, self.banner, self.scope_note, (self.table, 1), batch_actions, card)

        self.reason.currentIndexChanged.connect(self._reason_changed)
        self.campaign.currentIndexChanged.connect(self._show_period)
        self.retranslate()
        self._reason_changed()
        self._update_actions()

    # ------------------------------------------------------------------ screen protocol

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Outreach")),
            (self.refresh_button, self.tr("Refresh")),
            (self.export_button, self.tr("Export for review…"), self.tr("The selected batch as an Excel workbook, mobiles masked (Ctrl+E)")),
            (self.import_button, self.tr("Import delivery report…"),
             self.tr("The SMS platform's delivery report for the selected batch: CSV or XLSX with message_id and status (Ctrl+I)")),
            (self.send_button, self.tr("Send to SMS platform"),
             self.tr("Hand the selected batch's unsent messages to the SMS platform over HTTP (Ctrl+Shift+S)")),
            (self.build_button, self.tr("Build batch"), self.tr("Write the messages and the SMS file with its checksum to the folder (Ctrl+B)")),
            (self.browse_button, self.tr("Choose…")),
            (self.form_title, self.tr("Build a batch")),
            (self.period_label, self.tr("Period")),
        )
        texts = {"segment": self.tr("&Segment"), "reason": self.tr("&Reason"), "campaign": self.tr("&Campaign"), "folder": self.tr("SMS file &folder")}
        for key, text in texts.items():
            self.labels[key].setText(text)
        for i in range(self.reason.count()):
            self.reason.setItemText(i, reason_words(self.reason.itemData(i)))
        self.folder.setPlaceholderText(self.tr("Where the SMS file and its .sha256 are written"))
        self._fill_choices()
        self.model.retranslate()
        self._show_period()
        self._selection_changed()

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return (self.build_button, self.export_button, self.import_button, self.send_button)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        self.run(load_outreach, self._services, self._context.session, on_result=self._loaded, on_error=self.report_failure)

    def _loaded(self, loaded: dict[str, Any]) -> None:
        keep = self.selected().code if isinstance(self.selected(), OutreachBatchView) else None
        self.views = loaded["batches"]
        self._segments, self._campaigns, self._today = loaded["segments"], loaded["campaigns"], loaded["today"]
        self.sending_configured = bool(loaded["sending"])
        self.send_button.setVisible(self.may_manage and self.sending_configured)
        if loaded["settings_problem"] is not None and self.may_manage:
            self.set_banner(error_message(loaded["settings_problem"]), "warn")
        self.scope_note.setText(self.tr("This desk is joined to head office: a batch is built from the members this desk holds and is kept here."))
        self.scope_note.setVisible(bool(loaded["joined"]))
        self._fill_choices()
        self.model.set_rows(self.views)
        self.table.resizeColumnsToContents()
        if keep is None or not self.select_code(keep):
            self._selection_changed()
        self.sig_loaded.emit(self.views)

    def _fill_choices(self) -> None:
        chinese = self._context.settings.language == "zh_CN"
        refill_combo(self.segment, [("", None)] + [(f"{s.code} · {s.name_zh if chinese else s.name_en}", s.code) for s in self._segments])
        refill_combo(self.campaign, [("", None)] + [(f"{c.code} · {c.name_zh if chinese else c.name_en}", c.code) for c in self._campaigns])

    # ------------------------------------------------------------------ the selected batch

    def _selection_changed(self, *_: object) -> None:
        view = self.selected()
        if not isinstance(view, OutreachBatchView):
            self.details.setText(self.tr("Select a batch to see who was left out and why, and its delivery results."))
        else:
            self.details.setText(self.tr(
                "{code}: {messages} messages. Left out: {opted_out} opted out, {no_mobile} without a valid mobile, {already} already messaged "
                "for this reason and period, {nothing} not concerned by the reason. Delivery: {delivery}. File {file}, SHA-256 {sha}…"
            ).format(code=view.code, messages=fmt.number(view.messages), opted_out=fmt.number(view.opted_out),
                     no_mobile=fmt.number(view.no_mobile), already=fmt.number(view.already_messaged), nothing=fmt.number(view.nothing_to_say),
                     delivery=delivery_words(view.statuses), file=view.file_name or "–", sha=(view.file_sha256 or "–")[:16]))
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = isinstance(self.selected(), OutreachBatchView)
        for button in (self.export_button, self.import_button, self.send_button):
            button.setEnabled(chosen and not self.busy)
        self.build_button.setEnabled(self.may_manage and not self.busy)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self._update_actions()

    # ------------------------------------------------------------------ building a batch

    def _reason_changed(self, *_: object) -> None:
        inviting = self.reason.currentData() == Reason.CAMPAIGN_INVITATION.value
        self.campaign.setEnabled(inviting)
        if not inviting:
            self.campaign.setCurrentIndex(0)
            show_field_error(self.errors["campaign"], "")
        self._show_period()

    def _show_period(self, *_: object) -> None:
        reason = Reason(self.reason.currentData())
        if reason is Reason.CAMPAIGN_INVITATION:
            code = self.campaign.currentData()
            self.period.setText(period_words(period_for(reason, self._today, code)) if code else self.tr("the campaign chosen"))
        else:
            self.period.setText(self.tr("{month} (once a calendar month per member)").format(
                month=period_for(reason, self._today, None)))

    def ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("SMS file folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def form_problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if not self.segment.currentData():
            found["segment"] = self.tr("Choose the segment whose members are messaged.")
        if self.reason.currentData() == Reason.CAMPAIGN_INVITATION.value and not self.campaign.currentData():
            found["campaign"] = error_message(ValidationError("outreach.campaign_required", field="campaign"))
        folder = self.folder.text().strip()
        if not folder or not Path(folder).is_dir():
            found["folder"] = error_message(ValidationError("outreach.folder", field="folder", value=folder))
        return found

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            show_field_error(label, "")
        self.set_banner("")

    def _show_problems(self, found: dict[str, str]) -> bool:
        for name, text in found.items():
            show_field_error(self.errors[name if name in self.errors else "segment"], text)
        return bool(found)

    def build(self) -> None:
        self._clear_errors()
        if self._show_problems(self.form_problems()):
            self.set_banner(self.tr("Correct the marked fields; no batch was built."), "error")
            return
        self.set_busy(True)
        self.build_task = self.write(build_batch, self._services, session=self._context.session, segment=self.segment.currentData(),
                   reason=self.reason.currentData(), campaign=self.campaign.currentData(), folder=self.folder.text().strip(),
                   progress=True, progress_parent=self, progress_title=self.tr("Building the batch"),
                   on_result=self._built, on_error=self._build_failed)

    def _built(self, view: OutreachBatchView) -> None:
        self.set_busy(False)
        folder = self.folder.text().strip()
        self.set_banner(self.tr(
            "Batch {code}: {messages} messages recorded and written to {file} (and its .sha256) in {folder}. Left out: {opted_out} opted out, "
            "{no_mobile} without a valid mobile, {already} already messaged, {nothing} not concerned."
        ).format(code=view.code, messages=fmt.number(view.messages), file=view.file_name, folder=folder, opted_out=fmt.number(view.opted_out),
                 no_mobile=fmt.number(view.no_mobile), already=fmt.number(view.already_messaged), nothing=fmt.number(view.nothing_to_say)), "ok")
        self.views = [view, *self.views]
        self.model.set_rows(self.views)
        self.table.resizeColumnsToContents()
        self.select_code(view.code)
        self.sig_built.emit(view)

    def _build_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        if isinstance(error, ValidationError) and error.field in self.errors:
            self._show_problems({error.field: error_message(error)})
            self.set_banner(self.tr("Correct the marked fields; no batch was built."), "error")
        elif isinstance(error, DomainError) and (error.code == "outreach.campaign_not_open" or error.params.get("what") == "campaign"):
            self._show_problems({"campaign": error_message(error)})
        elif isinstance(error, DomainError) and error.params.get("what") == "segment":
            self._show_problems({"segment": error_message(error)})
        elif isinstance(error, DomainError) and error.code == "outreach.build_cancelled":
            self.set_banner(error_message(error), "warn")
        else:
            self.show_error(error)
        self.sig_failed.emit(error)

    # ------------------------------------------------------------------ export, delivery report, sending

    def ask_export(self) -> None:
        view = self.selected()
        if not isinstance(view, OutreachBatchView):
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export for review"), str(Path.home() / f"{view.code}.xlsx"),
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        self._write_batch(self._services.outreach.export, path=str(path), on_result=lambda written: self._exported(path, written))

    def _exported(self, path: Path, written: int) -> None:
        self.set_busy(False)
        self.set_banner(self.tr("{messages} messages written to {file} for review.").format(messages=fmt.number(written), file=str(path)), "ok")
        self.sig_exported.emit((path, written))

    def ask_import(self) -> None:
        if not isinstance(self.selected(), OutreachBatchView):
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import delivery report"), "", self.tr("CSV or Excel (*.csv *.xlsx)"))
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        self._write_batch(self._services.outreach.import_delivery, path=str(path), on_result=self._imported)

    def _imported(self, result: DeliveryImport) -> None:
        self.set_busy(False)
        text = self.tr("Delivery report for {code}: {rows} rows read, {updated} statuses changed, {unchanged} already so.").format(
            code=result.batch, rows=fmt.number(result.rows), updated=fmt.number(result.updated), unchanged=fmt.number(result.unchanged))
        problems: list[str] = []
        if result.unknown_messages:
            problems.append(self.tr("{n} rows name no message of this batch (e.g. {first}) and changed nothing.").format(
                n=fmt.number(len(result.unknown_messages)), first=result.unknown_messages[0]))
        if result.unknown_statuses:
            row, status = result.unknown_statuses[0]
            problems.append(self.tr("{n} rows have a status the desk does not know (row {row}: {status!r}) and changed nothing.").format(
                n=fmt.number(len(result.unknown_statuses)), row=row, status=status))
        if result.unreadable_rows:
            problems.append(self.tr("{n} rows could not be read (row {row} first) and changed nothing.").format(
                n=fmt.number(len(result.unreadable_rows)), row=result.unreadable_rows[0]))
        self.set_banner(" ".join([text, *problems]), "warn" if problems else "ok")
        self.sig_imported.emit(result)
        self.refresh()

    def send(self) -> None:
        if self.sending_configured:
            self._write_batch(send_batch, self._services, progress=True, progress_parent=self, progress_title=self.tr("Sending to the SMS platform"),
                              on_result=self._sent)

    def _sent(self, result: SendResult) -> None:
        self.set_busy(False)
        text = self.tr("Batch {code}: {pending} messages to send; {accepted} accepted by the SMS platform, {refused} refused, "
                       "{not_sent} not sent (send again later).").format(
            code=result.batch, pending=fmt.number(result.pending), accepted=fmt.number(result.accepted), refused=fmt.number(result.refused),
            not_sent=fmt.number(result.not_sent))
        if result.refusals:
            text += " " + self.tr("First refusal: {message} ({reason}).").format(message=result.refusals[0][0], reason=result.refusals[0][1])
        self.set_banner(text, "warn" if result.refused or result.not_sent else "ok")
        self.sig_sent.emit(result)
        self.refresh()

    def _write_batch(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        """The write ``fn`` for the selected batch (its ``code``, with the session), the screen busy until it
        answers (a failure in the banner); nothing while no batch is selected."""
        view = self.selected()
        if not isinstance(view, OutreachBatchView):
            return
        self.set_busy(True)
        self.write(fn, *args, session=self._context.session, code=view.code, on_error=self._failed, **kwargs)

    def _failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self.report_failure(error)
