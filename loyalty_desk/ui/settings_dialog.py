"""The desk's settings: language, idle lock, data folder and receipt printer."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.ui.printing import PrinterChoice, SystemPrinters
from loyalty_desk.ui.settings import IDLE_LOCK_MAX_MINUTES, DeskSettings
from loyalty_desk.ui.widgets import NumberField, add_all, dialog_buttons, field_error, named, path_row, show_field_error


class SettingsDialog(QDialog):
    def __init__(self, settings: DeskSettings, parent: QWidget | None = None, *, printers: SystemPrinters | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(460)
        self._settings = settings
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        self.idle = NumberField(1, IDLE_LOCK_MAX_MINUTES)
        self.idle.setValue(settings.idle_lock_minutes)
        self.idle_error = field_error(self.idle)
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle, 1)
        idle_row.addWidget(QLabel(self.tr("min")))
        self.folder = QLineEdit(str(settings.data_folder or ""))
        self.folder.setPlaceholderText(self.tr("default"))
        folder_row = path_row(self.folder, self.tr("Browse…"), self._browse)
        self.printer = PrinterChoice(printers or SystemPrinters(), settings.receipt_printer)
        self.printer_note = named(QLabel(), "Muted")
        self.printer_note.setWordWrap(True)
        self.printer_note.setText(
            self.tr("Receipts print here after each redemption, without a print dialog.")
            if self.printer.count()
            else self.tr("No printer is installed on this computer: install the receipt printer in the system settings first.")
        )
        note = named(QLabel(self.tr("The language changes at once; the data folder takes effect at the next start.")), "Muted")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Lock the desk after idle"), idle_row)
        form.addRow("", self.idle_error)
        form.addRow(self.tr("Data folder"), folder_row)
        form.addRow(self.tr("Receipt printer"), self.printer)
        form.addRow("", self.printer_note)
        buttons = dialog_buttons(self, self.tr("Save"), self.tr("Cancel"), ok=QDialogButtonBox.StandardButton.Save, on_ok=self._accept)
        add_all(QVBoxLayout(self), form, note, buttons)

    def _accept(self) -> None:
        """Save closes the dialog only when every field holds; otherwise the field says why."""
        problem = self.idle.problem()
        show_field_error(self.idle_error, problem)
        if problem:
            self.idle.setFocus()
            self.idle.selectAll()
            return
        self.accept()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Data folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def save(self) -> None:
        self._settings.language = self.language.currentData()
        minutes = self.idle.value()
        if minutes is not None and not self.idle.problem():
            self._settings.idle_lock_minutes = minutes
        self._settings.data_folder = self.folder.text().strip() or None
        if self.printer.count():
            self._settings.receipt_printer = self.printer.chosen()
        self._settings.sync()
