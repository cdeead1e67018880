"""Redemption: the screen."""

from __future__ import annotations

import tempfile
from itertools import count
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.redemption.dto import RedemptionQuote, RedemptionReceipt, RedemptionView, RewardOffer
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.printing import PrintFailed, ReceiptPrinterDialog, SystemPrinters, print_receipt_file, receipt_page_layout
from loyalty_desk.ui.screens.base import TableScreen, back_title_row, title_row
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.redeem.dialogs import ConfirmDialog, QuantityField, ReverseDialog
from loyalty_desk.ui.screens.redeem.models import CATEGORIES, CATEGORY_COLUMN_MIN_TABLE_WIDTH, RedemptionsModel, RewardsModel, block_text
from loyalty_desk.ui.screens.statements import PdfPreviewDialog
from loyalty_desk.ui.widgets import (
    Resize,
    add_all,
    column,
    current_record,
    field_error,
    field_with_error,
    make_shortcut,
    named,
    push_button,
    record_table,
    set_texts,
    set_tone,
    show_field_error,
)


class RedeemScreen(TableScreen):
    sig_loaded = Signal(object)  # tuple[RewardOffer, ...]
    sig_quoted = Signal(object)  # RedemptionQuote of the current choice
    sig_redeemed = Signal(object)  # RedemptionReceipt
    sig_reversed = Signal(object)  # RedemptionReversal
    sig_history_loaded = Signal(object)  # tuple[RedemptionView, ...]
    sig_sync_confirmed = Signal(object)  # SyncConfirmation of the last redemption (a central is configured)
    sig_receipt_preview = Signal(object)  # PdfPreviewDialog showing a receipt (Ctrl+P, or a reprint)
    sig_receipt_printed = Signal(str)  # the redemption number, once its receipt went to the desk's receipt printer
    sig_served = Signal(str, str)  # redeemed and printed: back to the lookup box, with this notice (text, tone)
    sig_served_news = Signal(str, str)  # head office's answer on that redemption, for the notice

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._session = context.session
        self.member_no: str | None = None
        self.offers: tuple[RewardOffer, ...] = ()
        self.quote: RedemptionQuote | None = None
        self.confirm_dialog: ConfirmDialog | None = None
        self.reverse_dialog: ReverseDialog | None = None
        self.printer_dialog: ReceiptPrinterDialog | None = None
        self.last_receipt: RedemptionReceipt | None = None
        self.unprinted: RedemptionReceipt | None = None  # redeemed, its receipt waiting for a receipt printer
        self.printers = SystemPrinters()  # where the receipt printer is chosen from
        self.sync_note_text = ""  # head office's answer on the last redemption (with a central configured)
        self._sync_tone = ""
        self._served: str | None = None  # what the lookup box was told about the last walk-in (without head office's answer)
        self.preview_dialog: PdfPreviewDialog | None = None
        self._receipt_folder = tempfile.TemporaryDirectory(prefix="loyalty-receipt-")
        self._receipt_serial = count(1)
        language = context.settings.language

        self.back_button = push_button(icon("back"), self._back)  # Esc: see keyPressEvent
        self.title = named(QLabel(), "PageTitle")
        self.balance = named(QLabel(), "FieldValue")
        top = back_title_row(self.back_button, self.title, self.balance)

        # catalogue
        self.model = RewardsModel(language, self)
        self.table = named(record_table(self.model, resize=Resize.ResizeToContents), "RewardTable")
        header = self.table.horizontalHeader()
        # a long reward name is elided (the tooltip has it whole) so Points, Stock and Availability stay in view
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        self.table.activated.connect(lambda _index: self.confirm())
        self.table.installEventFilter(self)

        # the chosen reward
        self.detail = named(QFrame(), "Card")
        self.detail.setMinimumWidth(300)
        self.reward_name = named(QLabel(), "MemberName")
        self.reward_name.setWordWrap(True)
        self.reward_other = named(QLabel(), "Muted")
        self.reward_other.setWordWrap(True)
        self.qty_label = QLabel()
        self.qty = QuantityField()
        self.qty_error = field_error(self.qty)
        self.qty_label.setBuddy(self.qty)
        self.points_label, self.before_label, self.after_label = QLabel(), QLabel(), QLabel()
        self.points_value = named(QLabel(), "FieldValue")
        self.before_value = named(QLabel(), "FieldValue")
        self.after_value = named(QLabel(), "FieldValue")
        self.blocks = named(QLabel(), "Error")
        self.blocks.setWordWrap(True)
        self.blocks.hide()
        self.redeem_button = push_button(icon("gift"), self.confirm, name="RedeemButton")
        self.redeem_button.setEnabled(False)
        self.printer_line = named(QLabel(), "PrinterLine")  # the desk's receipt printer, or that none is chosen
        self.printer_line.setWordWrap(True)
        self.printer_button = push_button(icon("print"), self.choose_printer, name="ReceiptPrinterButton")
        form = QFormLayout()
        form.addRow(self.qty_label, field_with_error([self.qty], self.qty_error))
        form.addRow(self.points_label, self.points_value)
        form.addRow(self.before_label, self.before_value)
        form.addRow(self.after_label, self.after_value)
        column(self.detail, (20, 16, 20, 16), 10, self.reward_name, self.reward_other, form, self.blocks, 1, self.redeem_button,
               self.printer_line, self.printer_button)
        self.shared_block = named(QLabel(), "Muted")
        self.shared_block.setWordWrap(True)
        self.shared_block.hide()
        table_box = add_all(QVBoxLayout(), self.shared_block, (self.table, 1))
        middle = add_all(QHBoxLayout(), (table_box, 3), (self.detail, 1))
        middle.setSpacing(12)

        # this member's redemptions
        self.history_title = named(QLabel(), "FieldValue")
        self.history_model = RedemptionsModel(language, self)
        self.history = named(record_table(self.history_model, resize=Resize.ResizeToContents), "RedemptionTable")
        self.history.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.history.setMaximumHeight(200)
        self.reverse_button = push_button(None, self.ask_reverse, shortcut="Ctrl+Shift+R")
        self.reverse_button.setVisible(self._session.role == "supervisor")
        self.reprint_button = push_button(icon("print"), self.reprint, shortcut="Ctrl+Shift+P")
        history_top = title_row(self.history_title, None, self.reprint_button, self.reverse_button)

        column(self, (24, 16, 24, 16), 12, top, self.banner, (middle, 1), history_top, self.history)

        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._requote())
        self.qty.textChanged.connect(lambda *_: self._requote())
        self.qty.sig_enter.connect(self.confirm)
        self.print_shortcut = make_shortcut(QKeySequence.StandardKey.Print, self, self.print_last)
        self.printer_shortcut = make_shortcut(QKeySequence("F9"), self, self.choose_printer)
        self.print_shortcut.setWhatsThis(self.tr("Print the last receipt"))
        self.printer_shortcut.setWhatsThis(self.tr("Choose the receipt printer"))
        self.retranslate()

    # ------------------------------------------------------------------ screen protocol

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape:  # as the member view: Esc goes back (a shortcut would be ambiguous)
            self._back()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            # on a small display the reward's name needs the room more: its category is in the card beside
            self.table.setColumnHidden(1, self.table.width() < CATEGORY_COLUMN_MIN_TABLE_WIDTH)
        return super().eventFilter(watched, event)

    def activate(self, member_no: str | None = None, **_: object) -> None:
        member_no = member_no or self.member_no
        if member_no:
            self.open_member(member_no)

    def on_store_changed(self) -> None:
        """The store changed while this screen is on show: balances, stock, limits and this member's
        redemptions are read again, the chosen reward kept."""
        if self.member_no is not None and not self.busy:
            offer = self.current_offer()
            self.reload(keep=offer.code if offer else None)

    def retranslate(self) -> None:
        set_texts(
            (self.back_button, self.tr("Back to member"), self.tr("Back to the member view (Esc)")),
            (self.title, self.tr("Redeem points · {member_no}").format(member_no=self.member_no or "")),
            (self.qty_label, self.tr("&Quantity")),
            (self.points_label, self.tr("Points")),
            (self.before_label, self.tr("Available now")),
            (self.after_label, self.tr("Available after")),
            (self.redeem_button, self.tr("Redeem… (Enter)"), self.tr("Confirm the redemption of the chosen reward (Enter)")),
            (self.history_title, self.tr("Redemptions of this member")),
            (self.reverse_button, self.tr("Reverse…"), self.tr("Reverse the chosen redemption; asks for a reason (Ctrl+Shift+R)")),
            (self.reprint_button, self.tr("Reprint receipt"), self.tr("Print the receipt of the chosen redemption again (Ctrl+Shift+P)")),
            (self.printer_button, self.tr("Receipt printer… (F9)"), self.tr("Choose the printer receipts print on after each redemption (F9)")),
        )
        self.qty.retranslate()
        if self.member_no is not None:  # the line is filled when a member is opened, never at start-up
            self._show_printer()
        # setText resets a button's shortcut to its mnemonic: set the shortcuts after the texts
        self.reverse_button.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.reprint_button.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.model.retranslate()
        self.history_model.retranslate()

    # ------------------------------------------------------------------ loading

    def open_member(self, member_no: str) -> None:
        self.member_no = member_no
        self.title.setText(self.tr("Redeem points · {member_no}").format(member_no=member_no))
        self.set_banner("", "")
        self._show_printer()
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        member_no = self.member_no
        if member_no is None:
            return
        request = self.supersede("load")
        self.run(
            self._services.redemption.catalogue,
            member_no=member_no,
            branch_code=self._session.branch_code,
            on_result=lambda offers: self._loaded(request, offers, keep),
            on_error=self._failed,
        )
        self.run(
            self._services.redemption.list,
            member_no=member_no,
            limit=20,
            on_result=self._history_loaded,
            on_error=self._failed,
        )

    def _loaded(self, request: int, offers: tuple[RewardOffer, ...], keep: str | None) -> None:
        if not self.is_latest("load", request):
            return
        self.offers = offers
        self.model.set_rows(offers)
        shared = self.model.shared_block()
        self.shared_block.setText(self.tr("No reward can be redeemed now: {reason}").format(reason=shared) if shared else "")
        self.shared_block.setVisible(bool(shared))
        row = self.model.find(keep) if keep else -1
        if offers:
            self.table.selectRow(max(row, 0))
        self._requote()
        self.sig_loaded.emit(offers)

    def _history_loaded(self, views: tuple[RedemptionView, ...]) -> None:
        self.history_model.set_rows(views)
        if views:
            self.history.selectRow(0)
        self.sig_history_loaded.emit(views)

    def _failed(self, error: BaseException) -> None:
        self.set_banner(error_message(error), "error")
        self.sig_failed.emit(error)

    # ------------------------------------------------------------------ the chosen reward

    def current_offer(self) -> RewardOffer | None:
        return current_record(self.table)

    def _requote(self) -> None:
        offer = self.current_offer()
        self.quote = None
        self.redeem_button.setEnabled(False)
        if offer is None or self.member_no is None:
            self.reward_name.setText("")
            self.reward_other.setText("")
            return
        language = self._context.settings.language
        self.reward_name.setText(offer.name_zh if language == "zh_CN" else offer.name_en)
        self.reward_other.setText(f"{offer.name_en if language == 'zh_CN' else offer.name_zh} · {offer.code} · {fmt.label(CATEGORIES, offer.category)}")
        request = self.supersede("quote")
        problem = self.qty.problem()
        show_field_error(self.qty_error, problem)
        if problem:  # nothing to quote: the figures of another quantity must not stay on show
            for value in (self.points_value, self.after_value):
                value.setText("–")
            self.blocks.hide()
            return
        self.run(
            self._services.redemption.quote,
            member_no=self.member_no,
            reward_code=offer.code,
            qty=self.qty.value(),
            branch_code=self._session.branch_code,
            on_result=lambda quote: self._quoted(request, quote),
            on_error=self._failed,
        )

    def _quoted(self, request: int, quote: RedemptionQuote) -> None:
        if not self.is_latest("quote", request):
            return
        self.quote = quote
        self.points_value.setText(fmt.number(quote.points))
        self.before_value.setText(fmt.number(quote.available_before))
        self.after_value.setText(fmt.number(quote.available_after))
        self.balance.setText(self.tr("Available: {points} points").format(points=fmt.number(quote.available_before)))
        self.blocks.setText("\n".join(f"• {block_text(b)}" for b in quote.blocks))
        self.blocks.setVisible(bool(quote.blocks))
        self.redeem_button.setEnabled(not quote.blocks and not self.busy)
        self.sig_quoted.emit(quote)

    # ------------------------------------------------------------------ redeeming

    def confirm(self) -> None:
        """The confirm step (Enter): opens the dialog that owns the operation id."""
        quote, offer = self.quote, self.current_offer()
        if offer is not None and self.qty.problem():
            self.qty.setFocus()  # its error line already says why
            self.qty.selectAll()
            return
        if self.busy or self.confirm_dialog is not None or quote is None or offer is None:
            return
        if quote.reward_code != offer.code or quote.qty != self.qty.value():
            return  # a newer quote is on its way
        if quote.blocks:
            self.set_banner(block_text(quote.blocks[0]), "warn")
            return
        dialog = ConfirmDialog(self._services.redemption.new_operation_id(), quote.member_no, self.model.name(offer), quote, self)
        self.open_dialog("confirm_dialog", dialog, self._confirmed)

    def _confirmed(self, dialog: ConfirmDialog, code: int) -> None:
        self.window().activateWindow()  # the keyboard comes back to the desk at once, whatever the window manager does
        if code != QDialog.DialogCode.Accepted:
            self.table.setFocus()
            return
        quote = dialog.quote
        self.busy = True
        self.redeem_button.setEnabled(False)
        self.write(
            self._services.redemption.redeem,
            operation_id=dialog.operation_id,
            session=self._session,
            member_no=quote.member_no,
            reward_code=quote.reward_code,
            qty=quote.qty,
            expected_points=quote.points,
            on_result=self._redeemed,
            on_error=self._redeem_failed,
        )

    def _redeem_failed(self, error: BaseException) -> None:
        self.busy = False
        self._failed(error)
        self.reload(keep=self.quote.reward_code if self.quote else None)
        self.table.setFocus()

    def _redeemed(self, receipt: RedemptionReceipt) -> None:
        self.busy = False
        self.last_receipt = receipt
        self._served = None
        self.unprinted = None
        self.sync_note_text = ""
        self.set_banner(self._done_text(receipt), "")
        self.sig_redeemed.emit(receipt)
        # read here, not left to the store watch: a poll that saw this commit while busy skipped its reload
        self.reload(keep=receipt.reward_code)
        self._ask_head_office(receipt)
        self.print_on_receipt_printer(receipt)

    def _done_text(self, receipt: RedemptionReceipt) -> str:
        language = self._context.settings.language
        return self.tr("Redeemed {number}: {qty} × {reward}, {points} points. Available balance now {balance}.").format(
            number=receipt.number,
            qty=fmt.number(receipt.qty),
            reward=receipt.reward_name_zh if language == "zh_CN" else receipt.reward_name_en,
            points=fmt.number(receipt.points),
            balance=fmt.number(receipt.balance_after),
        )

    # ------------------------------------------------------------------ the receipt on the desk's receipt printer

    def _show_printer(self) -> str | None:
        """Says where receipts print; returns the chosen receipt printer when it is installed, None when
        none is chosen or it is gone. Asks the system for its printers, which can take a while: only
        when a member is opened and before each receipt."""
        name = self._context.settings.receipt_printer
        installed = name if name and name in self.printers.names() else None
        if not name:
            text, tone = self.tr("No receipt printer chosen for this desk: F9 to choose one."), "warn"
        elif installed is None:
            text, tone = self.tr("Receipt printer {name} is not available: F9 to choose another.").format(name=name), "warn"
        else:
            text, tone = self.tr("Receipts print on {name}.").format(name=name), ""
        self.printer_line.setText(text)
        set_tone(self.printer_line, tone)
        return installed

    def print_on_receipt_printer(self, receipt: RedemptionReceipt) -> None:
        """Prints the receipt on the desk's receipt printer (no dialog), then sends the desk back to the
        lookup box. Without a usable printer the screen stays, says so and offers F9."""
        from loyalty_desk.documents.receipts import render_receipt

        name = self._show_printer()
        if name is None:
            self.unprinted = receipt
            configured = self._context.settings.receipt_printer
            reason = (
                self.tr("The receipt was not printed: receipt printer {name} is not available.").format(name=configured)
                if configured
                else self.tr("The receipt was not printed: no receipt printer is chosen for this desk.")
            )
            offer = self.tr("Press F9 to choose the printer; the receipt then prints.")
            self.set_banner(f"{self._done_text(receipt)} {reason} {offer}", "warn")
            self.table.setFocus()
            return
        self.unprinted = None
        path = Path(self._receipt_folder.name) / f"{receipt.number}-{next(self._receipt_serial)}.pdf"
        self.run(render_receipt, receipt, path, language=self._context.settings.language,
                         on_result=lambda rendered: self._print_rendered(receipt, name, rendered),
                         on_error=lambda error: self._print_failed(receipt, name, error))

    def _print_rendered(self, receipt: RedemptionReceipt, name: str, path: Path) -> None:
        try:
            print_receipt_file(path, self.printers.printer(name), receipt.number)
        except PrintFailed as error:
            self._print_failed(receipt, name, error)
            return
        self.write(self._services.redemption.record_receipt_print, session=self._session, number=receipt.number,
                           medium="print", on_error=self._failed)
        self.sig_receipt_printed.emit(receipt.number)
        printed = self.tr("Receipt printed on {name}.").format(name=name)
        self._served = f"{self._done_text(receipt)} {printed}"
        self.sig_served.emit(*self._served_notice())

    def _served_notice(self) -> tuple[str, str]:
        assert self._served is not None
        if self.sync_note_text:
            return f"{self._served} {self.sync_note_text}", self._sync_tone
        return self._served, ""

    def _print_failed(self, receipt: RedemptionReceipt, name: str, error: BaseException) -> None:
        self.unprinted = receipt
        detail = error_message(error) if not isinstance(error, PrintFailed) else ""
        self.set_banner(
            f"{self._done_text(receipt)} "
            + self.tr("The receipt could not be printed on {name}. Check the printer, then press F9 to print it (or choose another printer).").format(name=name)
            + (f" {detail}" if detail else ""),
            "error",
        )
        self.table.setFocus()

    def choose_printer(self) -> None:
        """F9: the receipt printer (kept in the desk's settings); a receipt waiting for one prints at once."""
        if self.printer_dialog is not None:
            return
        dialog = ReceiptPrinterDialog(self.printers, self._context.settings.receipt_printer, self)
        self.open_dialog("printer_dialog", dialog, self._printer_chosen)

    def _printer_chosen(self, dialog: ReceiptPrinterDialog, code: int) -> None:
        self.window().activateWindow()
        if code == QDialog.DialogCode.Accepted and dialog.choice.chosen():
            self._context.settings.receipt_printer = dialog.choice.chosen()
            self._context.settings.sync()
        if self._show_printer() is not None and self.unprinted is not None:
            self.print_on_receipt_printer(self.unprinted)
        else:
            self.table.setFocus()

    # ------------------------------------------------------------------ head office's confirmation

    def _ask_head_office(self, receipt: RedemptionReceipt) -> None:
        """With a central configured: push the redemption at once and wait briefly (off the UI thread) for
        head office's verdict; offline, it is saved here and waits to be sent."""
        sync = getattr(self._services, "sync", None)
        if sync is None or sync.standalone or receipt.replayed:
            return
        self.sync_note_text = self.tr("Sending to head office…")
        self._sync_tone = ""
        self._show_sync_note(self.sync_note_text)
        self.run(sync.confirmation, receipt.operation_id, on_result=self._head_office_answered, on_error=self._head_office_failed)

    def _head_office_answered(self, answer: Any) -> None:
        if answer.state == "confirmed":
            text, tone = self.tr("Confirmed by head office."), ""
        elif answer.state == "rejected":
            reason = error_message(DomainError(answer.reason_code or "central.rejected", **(answer.params or {})))
            text = self.tr(
                "Head office refused this redemption: {reason} The points were given back; a supervisor resolves it on the Sync status screen."
            ).format(reason=reason)
            tone = "error"
        else:
            text, tone = self.tr("Saved, waiting to send to head office."), "warn"
        self.sync_note_text = text
        self._sync_tone = tone
        self._show_sync_note(text, tone)
        self.sig_sync_confirmed.emit(answer)
        if answer.state == "rejected":
            self.reload(keep=self.quote.reward_code if self.quote else None)

    def _head_office_failed(self, error: BaseException) -> None:
        self._head_office_answered(SimpleNamespace(state="waiting", reason_code=None, params=None))

    def _show_sync_note(self, text: str, tone: str = "") -> None:
        if self.last_receipt is None:
            return
        if self._served is not None:  # the desk is back at the lookup box: the notice there says it
            self.sig_served_news.emit(*self._served_notice())
        if self.unprinted is None:
            self.set_banner(f"{self._done_text(self.last_receipt)} {text}", tone)

    # ------------------------------------------------------------------ receipts

    def print_last(self) -> None:
        """Ctrl+P: the last receipt in the preview, where Print opens the system dialog (asked for)."""
        if self.last_receipt is not None:
            self.preview_receipt(self.last_receipt)

    def make_printer(self) -> QPrinter:
        """For the preview's Print: the desk's receipt printer with the 80 mm receipt page."""
        name = self._context.settings.receipt_printer
        if name and name in self.printers.names():
            return self.printers.printer(name)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # the system's default, for the print dialog
        printer.setPageLayout(receipt_page_layout())
        return printer

    def preview_receipt(self, receipt: RedemptionReceipt) -> None:
        """Renders the receipt PDF (``documents.receipts.render_receipt``) on a worker, then opens it in
        the preview dialog statements use (Print, Save as PDF); ``sig_receipt_preview`` says when it is open."""
        from loyalty_desk.documents.receipts import render_receipt

        path = Path(self._receipt_folder.name) / f"{receipt.number}-{next(self._receipt_serial)}.pdf"
        language = self._context.settings.language
        self.run(render_receipt, receipt, path, language=language,
                         on_result=lambda rendered: self._receipt_rendered(receipt, rendered), on_error=self._failed)

    def _receipt_rendered(self, receipt: RedemptionReceipt, path: Path) -> None:
        redemption, session, runner = self._services.redemption, self._session, self._context.runner
        number = receipt.number

        def printed(_printer: str, _pages: int) -> None:
            runner.write(redemption.record_receipt_print, session=session, number=number, medium="print", on_error=self._failed)

        def saved(_target: Path) -> None:
            runner.write(redemption.record_receipt_print, session=session, number=number, medium="pdf", on_error=self._failed)

        dialog = PdfPreviewDialog(
            path,
            title=self.tr("Receipt {number}").format(number=number),
            suggested_name=f"{number}.pdf",
            on_printed=printed,
            on_saved=saved,
            make_printer=self.make_printer,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: self._preview_gone(dialog))
        self.preview_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.sig_receipt_preview.emit(dialog)

    def _preview_gone(self, dialog: PdfPreviewDialog) -> None:
        if self.preview_dialog is dialog:
            self.preview_dialog = None

    def reprint(self) -> None:
        view = self._selected_redemption()
        if view is None:
            return
        self.run(self._services.redemption.receipt, number=view.number, on_result=self._reprint_ready, on_error=self._failed)

    def _reprint_ready(self, receipt: RedemptionReceipt) -> None:
        self.last_receipt = receipt
        self.preview_receipt(receipt)

    # ------------------------------------------------------------------ reversal (supervisor)

    def _selected_redemption(self) -> RedemptionView | None:
        return current_record(self.history)

    def ask_reverse(self) -> None:
        view = self._selected_redemption()
        if self._session.role != "supervisor" or view is None or self.reverse_dialog is not None:
            return
        if view.reversed_at is not None:
            self.set_banner(error_message(DomainError("redeem.already_reversed", number=view.number, reversed_at=view.reversed_at)), "warn")
            return
        dialog = ReverseDialog(self._services.redemption.new_operation_id(), view, self)
        self.open_dialog("reverse_dialog", dialog, lambda dialog, code: self._reverse_answered(dialog, view, code))

    def _reverse_answered(self, dialog: ReverseDialog, view: RedemptionView, code: int) -> None:
        if code != QDialog.DialogCode.Accepted:
            return
        self.write(
            self._services.redemption.reverse,
            operation_id=dialog.operation_id,
            session=self._session,
            redemption_number=view.number,
            reason=dialog.reason_text(),
            on_result=self._reversed,
            on_error=self._failed,
        )

    def _reversed(self, reversal: Any) -> None:
        self.set_banner(
            self.tr("Redemption {number} reversed: {points} points returned to their lots.").format(
                number=reversal.number, points=fmt.number(reversal.points)
            ),
            "",
        )
        self.sig_reversed.emit(reversal)  # read again on the store watch's word (on_store_changed)

    # ------------------------------------------------------------------ misc

    def _back(self) -> None:
        if self.member_no:
            self._context.navigate("member", member_no=self.member_no)
