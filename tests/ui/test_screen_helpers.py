"""The builders the screens share: what they promise beyond plain Qt calls."""

from __future__ import annotations

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QWidget
from shiboken6 import isValid

from loyalty_desk.ui.fmt import Words
from loyalty_desk.ui.screens.base import ScreenDialog
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import add_all, column, push_button, refill_combo, set_texts


def test_refill_combo_keeps_the_choice_and_stays_quiet(qapp):
    combo = QComboBox()
    changes: list[int] = []
    refill_combo(combo, [("All", ""), ("Gold", "gold"), ("Silver", "silver")])
    combo.setCurrentIndex(2)
    combo.currentIndexChanged.connect(changes.append)

    refill_combo(combo, [("全部", ""), ("金卡", "gold"), ("银卡", "silver")])
    assert (combo.currentText(), combo.currentData()) == ("银卡", "silver")

    refill_combo(combo, [("All", ""), ("Gold", "gold")])  # the choice is gone: the first item
    assert combo.currentData() == ""
    assert changes == []


def test_set_texts_sets_texts_and_only_the_tooltips_given(qapp):
    label, button = QLabel(), QPushButton()
    button.setToolTip("kept")
    set_texts((label, "Title"), (button, "Save"))
    assert (label.text(), button.text(), button.toolTip()) == ("Title", "Save", "kept")
    set_texts((button, "Save", "Save the reward (Ctrl+S)"))
    assert button.toolTip() == "Save the reward (Ctrl+S)"


def test_push_button_connects_its_slot_and_takes_its_shortcut_and_name(qapp):
    pressed: list[bool] = []
    button = push_button(None, lambda: pressed.append(True), shortcut="Ctrl+N", name="Primary")
    button.click()
    assert pressed == [True]
    assert (button.shortcut().toString(), button.objectName()) == ("Ctrl+N", "Primary")


def test_column_adds_widgets_layouts_stretches_and_stretch_factors_in_order(qapp):
    parent, first, second, inner = QWidget(), QLabel("a"), QLabel("b"), QLabel("c")
    row = add_all(QHBoxLayout(), inner)
    box = column(parent, (1, 2, 3, 4), 5, first, 1, (second, 3), row)
    assert [box.itemAt(i).widget() for i in (0, 2)] == [first, second]
    assert box.itemAt(1).spacerItem() is not None
    assert [box.stretch(i) for i in range(box.count())] == [0, 1, 3, 0]
    assert box.itemAt(3).layout() is row
    margins = box.contentsMargins()
    assert (margins.left(), margins.top(), margins.right(), margins.bottom(), box.spacing()) == (1, 2, 3, 4, 5)


def test_words_translate_a_code_table_in_their_context(qapp):
    class Chinese(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            return {("Test", "Gold"): "金卡"}.get((context, source), source)

    translator = Chinese()
    qapp.installTranslator(translator)
    try:
        words = Words("Test")
        table = {"gold": "Gold", "blank": ""}
        assert words.of(table, "gold") == "金卡"
        assert words.of(table, "platinum") == "platinum"
        assert words.of(table, "blank", "–") == "–"
        assert words.of(table, None, "–") == "–"
        assert Words("Other").of(table, "gold") == "Gold"
    finally:
        qapp.removeTranslator(translator)


def test_open_dialog_keeps_one_open_and_forgets_it_when_it_closes(qtbot, desk_data, runner, desk_settings):
    context = ScreenContext(services=desk_data.services, session=None, runner=runner, settings=desk_settings, navigate=lambda *a, **k: None)
    owner = ScreenDialog(context)
    qtbot.addWidget(owner)
    owner.child = None
    answers: list[int] = []
    dialog = QDialog(owner)
    owner.open_dialog("child", dialog, lambda closed, code: answers.append(code) if closed is dialog else None)
    assert owner.child is dialog and dialog.isVisible()
    dialog.accept()
    assert owner.child is None
    assert answers == [QDialog.DialogCode.Accepted]
    qtbot.waitUntil(lambda: not isValid(dialog))  # deleted once control is back in the event loop
