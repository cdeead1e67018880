"""Printing PDFs straight to a printer, and the desk's receipt printer.

A redemption's receipt goes to the desk's receipt printer without any dialog: the printer is
chosen once (Settings, or F9 on the redemption screen; ``DeskSettings.receipt_printer``) from the
system's printers (``QPrinterInfo``), and every receipt then prints on it with ``QPrinter`` on an
80 mm page. The preview and the system print dialog open only when asked for (Reprint receipt).
``print_pdf`` renders each page of a PDF (``QPdfDocument``) into a ``QPainter`` on the printer;
the preview's Print uses it too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QWidget

from loyalty_desk.ui.widgets import dialog_column

PRINT_DPI = 300
RECEIPT_WIDTH_MM = 80
RECEIPT_HEIGHT_MM = 160
RECEIPT_MARGIN_MM = 4


class PrintFailed(Exception):
    """The printer refused the job (gone, off, out of paper as the system reports it)."""


def receipt_page_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QSizeF(RECEIPT_WIDTH_MM, RECEIPT_HEIGHT_MM), QPageSize.Unit.Millimeter, "Receipt 80 mm"),
        QPageLayout.Orientation.Portrait,
        QMarginsF(RECEIPT_MARGIN_MM, RECEIPT_MARGIN_MM, RECEIPT_MARGIN_MM, RECEIPT_MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


def print_pdf(document: QPdfDocument, printer: QPrinter, first: int = 0, last: int = 0) -> int:
    """Renders pages ``first``..``last`` (1-based; 0 = all) of ``document`` into ``printer``; returns how many."""
    count = document.pageCount()
    if first <= 0 or last <= 0:
        first, last = 1, count
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    printed = 0
    try:
        for index in range(first - 1, min(last, count)):
            if printed:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(index)
            scale = PRINT_DPI / 72.0
            image: QImage = document.render(index, QSize(int(size.width() * scale), int(size.height() * scale)))
            fitted = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.x(), target.y(), fitted.width(), fitted.height()), image)
            printed += 1
    finally:
        painter.end()
    return printed


class SystemPrinters:
    """The printers the operating system offers (CUPS on Linux, the spooler on Windows)."""

    def names(self) -> list[str]:
        return list(QPrinterInfo.availablePrinterNames())

    def default_name(self) -> str:
        return QPrinterInfo.defaultPrinterName()

    def printer(self, name: str) -> QPrinter:
        printer = QPrinter(QPrinterInfo.printerInfo(name), QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(receipt_page_layout())
        return printer


def print_receipt_file(path: Path, printer: QPrinter, doc_name: str) -> int:
    """Prints the receipt PDF at ``path`` on ``printer`` (no dialog); raises ``PrintFailed``."""
    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            raise PrintFailed(str(path))
        printer.setDocName(doc_name)
        pages = print_pdf(document, printer)
    finally:
        document.close()
    if pages == 0:
        raise PrintFailed(printer.printerName())
    return pages


class PrinterChoice(QComboBox):
    """The system's printers to choose the receipt printer from; the chosen name is ``currentData()``."""

    def __init__(self, printers: SystemPrinters, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReceiptPrinter")
        names = printers.names()
        for name in names:
            self.addItem(name, name)
        wanted = current if current in names else printers.default_name()
        self.setCurrentIndex(max(self.findData(wanted), 0))
        self.setEnabled(bool(names))

    def chosen(self) -> str:
        return str(self.currentData() or "")


class ReceiptPrinterDialog(QDialog):
    """F9 on the redemption screen: the receipt printer, chosen with ↑/↓ and Enter (kept in the desk's settings)."""

    def __init__(self, printers: SystemPrinters, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReceiptPrinterDialog")
        self.setWindowTitle(self.tr("Receipt printer"))
        self.choice = PrinterChoice(printers, current, self)
        intro = QLabel(
            self.tr("Receipts print on this printer straight after each redemption, without a print dialog.")
            if self.choice.count()
            else self.tr("This computer has no printer installed. Install the receipt printer in the system settings, then choose it here.")
        )
        intro.setWordWrap(True)
        label = QLabel(self.tr("&Printer"))
        label.setBuddy(self.choice)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Use this printer"))
        ok.setEnabled(self.choice.count() > 0)
        ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        dialog_column(self, intro, label, self.choice, self.buttons)
        self.setMinimumWidth(420)
        label.setVisible(self.choice.count() > 0)  # nothing to choose from: the text says what to do
        self.choice.setVisible(self.choice.count() > 0)
        self.choice.setFocus()
