"""The screens that are a table of records over the form of the chosen one (the reward catalogue,
campaigns, segments): the form's rows in two columns, each field over the line that says why it is
refused, on a card under the table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.fields import InvalidFields
from loyalty_desk.domain.rules import Tier
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.screens.base import TableScreen
from loyalty_desk.ui.widgets import CountedLineEdit, LayoutItem, add_all, error_label, named, show_field_error, side_form_row


class RecordFormScreen(TableScreen):
    """A ``TableScreen`` with the form of the chosen record: ``errors``, the line under each field by the
    field's name, and ``labels``, the label of each row by its key (retranslate sets them)."""

    errors: dict[str, QLabel]
    labels: dict[str, QLabel]

    def init_form(self, fields: Iterable[str]) -> None:
        self.errors = {name: error_label() for name in fields}
        self.labels = {}

    def form_row(self, form: QFormLayout, key: str, widgets: Sequence[QWidget],
                 grows: tuple[type[QWidget], ...] = (QLineEdit, QComboBox)) -> None:
        """The row ``key`` of ``form``: its label, ``widgets`` and the error line of the field ``key``."""
        self.labels[key] = side_form_row(form, widgets, self.errors[key], grows=grows)

    def set_labels(self, texts: dict[str, str]) -> None:
        for key, text in texts.items():
            self.labels[key].setText(text)

    def clear_errors(self, *, banner: bool = True) -> None:
        """Hides every field's error line (and the banner, unless ``banner`` is False)."""
        for label in self.errors.values():
            show_field_error(label, "")
        if banner:
            self.set_banner("")

    def show_problems(self, found: dict[str, str]) -> bool:
        """Each problem under its field (one the form has no line for under the Chinese name); whether there were any."""
        for name, text in found.items():
            show_field_error(self.errors[name if name in self.errors else "name_zh"], text)
        return bool(found)

    def field_problems(self, error: BaseException) -> dict[str, str]:
        """What ``error`` refuses of the form's fields, by field: every field of an ``InvalidFields``, or the one
        field of a ``ValidationError`` the form has a line for; empty for any other error."""
        if isinstance(error, InvalidFields):
            return {e.field: error_message(e) for e in error.errors}
        if isinstance(error, ValidationError) and error.field in self.errors:
            return {error.field: error_message(error)}
        return {}


def name_edits(limit: int) -> tuple[CountedLineEdit, CountedLineEdit]:
    """A record's Chinese and English names, each at most ``limit`` characters."""
    return named(CountedLineEdit(limit), "NameZh"), named(CountedLineEdit(limit), "NameEn")


def name_problems(name_zh: CountedLineEdit, name_en: CountedLineEdit) -> dict[str, str]:
    """What is wrong with the names as typed, by field."""
    return {name: problem for name, field in (("name_zh", name_zh), ("name_en", name_en)) if (problem := field.problem())}


def tier_boxes() -> dict[str, QCheckBox]:
    """A check box for each tier (retranslate names them with ``name_tier_boxes``)."""
    return {tier.value: named(QCheckBox(), f"Tier_{tier.value}") for tier in Tier}


def name_tier_boxes(boxes: dict[str, QCheckBox]) -> None:
    for key, box in boxes.items():
        box.setText(fmt.tier(key))


def check_grid(boxes: Iterable[QWidget], per_line: int = 2) -> QWidget:
    """Check boxes ``per_line`` to a line."""
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setVerticalSpacing(2)
    for i, box in enumerate(boxes):
        grid.addWidget(box, i // per_line, i % per_line)
    return holder


def typed_codes(edit: QLineEdit) -> list[str]:
    """The codes typed in ``edit``, separated by commas (full-width ones too)."""
    return [part.strip() for part in edit.text().replace("，", ",").split(",") if part.strip()]


def form_columns(left: QFormLayout, right: QFormLayout) -> QHBoxLayout:
    """The form's two columns side by side, sharing the width."""
    columns = add_all(QHBoxLayout(), (left, 1), (right, 1))
    columns.setSpacing(24)
    return columns


def form_card(*items: LayoutItem) -> QFrame:
    """The card the form sits on: ``items`` one under the other (see ``add_all``)."""
    card = named(QFrame(), "Card")
    box = QVBoxLayout(card)
    box.setContentsMargins(16, 10, 16, 10)
    add_all(box, *items)
    return card
