"""Reward catalogue: the administrator's screen (rewards and stock)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.domain.adjustments import POINTS_MAX
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.services.redemption.dto import RewardOffer
from loyalty_desk.services.redemption.records import REASON_MAX
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.base import page_layout
from loyalty_desk.ui.screens.catalogue_admin.models import (
    CATEGORIES,
    NAME_LIMIT,
    REWARD_FIELDS,
    STOCK_FIELDS,
    STOCK_RECEIPT_MAX,
    YEARLY_LIMIT_MAX,
    CatalogueData,
    CatalogueModel,
    category_label,
    load_catalogue,
)
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.record_form import RecordFormScreen, form_columns, name_edits
from loyalty_desk.ui.widgets import (
    CountedLineEdit,
    NumberField,
    Resize,
    add_all,
    field_with_error,
    make_shortcut,
    named,
    push_button,
    record_table,
    refuse_at,
    set_texts,
    show_field_error,
    side_form,
)


def _holder(widgets: list[QWidget], error: QLabel) -> QWidget:
    return field_with_error(widgets, error, grows=(QLineEdit, QDateEdit, QComboBox))


def _card(title: QLabel, body: QLayout, button: QPushButton) -> QFrame:
    """A card: its title, the body, and its one button at the bottom right."""
    card = named(QFrame(), "Card")
    box = QVBoxLayout(card)
    box.setContentsMargins(16, 12, 16, 12)
    box.setSpacing(8)
    add_all(box, title, body, 1, add_all(QHBoxLayout(), 1, button))
    return card


class CatalogueAdminScreen(RecordFormScreen):
    sig_loaded = Signal(object)  # CatalogueData
    sig_saved = Signal(object)  # RewardOffer
    sig_stock_recorded = Signal(int)  # on hand after
    refill_on_select = False  # the form keeps what the administrator typed while the saved offer reloads

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: CatalogueData | None = None
        self._editing: str | None = None  # the code of the reward in the form; None: a new one
        self._select_after_load: str | None = None

        self.new_button = push_button(icon("gift"), self.new_reward, shortcut="Ctrl+N")
        top = self.title_line(None, self.new_button)

        self.model = CatalogueModel(self)
        self.table = record_table(self.model, self._selection_changed, resize=Resize.ResizeToContents)
        self.table.setWordWrap(False)

        # ---- the reward form
        self.init_form((*REWARD_FIELDS, *STOCK_FIELDS))
        self._confirmed_warnings: tuple[str, ...] = ()
        self.code = named(CountedLineEdit(32), "RewardCode")
        self.name_zh, self.name_en = name_edits(NAME_LIMIT)
        self.category = named(QComboBox(), "Category")
        for key in CATEGORIES:
            self.category.addItem("", key)
        self.points_cost = named(NumberField(1, POINTS_MAX), "PointsCost")
        self.cash_value = named(QLineEdit(), "CashValue")
        self.cash_value.setMaxLength(12)
        self.cash_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.min_tier = named(QComboBox(), "MinTier")
        for key in fmt.TIERS:
            self.min_tier.addItem("", key)
        self.limited = named(QCheckBox(), "Limited")
        self.active_from = named(QDateEdit(), "ActiveFrom")
        self.active_to = named(QDateEdit(), "ActiveTo")
        for edit in (self.active_from, self.active_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(fmt.date_edit_format())
        self.until = QLabel("–")
        self.limited.toggled.connect(self._limited_toggled)
        self.yearly_limit = named(NumberField(1, YEARLY_LIMIT_MAX), "YearlyLimit")
        self.stock_tracked = named(QCheckBox(), "StockTracked")
        self.save_button = push_button(None, self.save, shortcut="Ctrl+S", name="Primary")

        def row(form: QFormLayout, key: str, widgets: list[QWidget], error: str | None = None) -> None:
            label = QLabel()
            label.setBuddy(widgets[0])
            self.labels[key] = label
            form.addRow(label, _holder(widgets, self.errors[error]) if error else widgets[0] if len(widgets) == 1 else _holder(widgets, QLabel()))

        left, right = side_form(6), side_form(6)
        row(left, "code", [self.code, self.code.counter], "code")
        row(left, "name_zh", [self.name_zh, self.name_zh.counter], "name_zh")
        row(left, "name_en", [self.name_en, self.name_en.counter], "name_en")
        row(left, "category", [self.category], "category")
        row(left, "points_cost", [self.points_cost], "points_cost")
        row(right, "cash_value", [self.cash_value], "cash_value")
        row(right, "min_tier", [self.min_tier], "min_tier")
        row(right, "limited", [self.limited])
        row(right, "window", [self.active_from, self.until, self.active_to], "active_to")
        row(right, "yearly_limit", [self.yearly_limit], "yearly_limit_per_member")
        row(right, "stock_tracked", [self.stock_tracked])
        self.form_title = named(QLabel(), "FieldLabel")
        editor = _card(self.form_title, form_columns(left, right), self.save_button)

        # ---- stock received
        self.stock_title = named(QLabel(), "FieldLabel")
        self.stock_reward = named(QLabel(), "FieldValue")
        self.stock_reward.setWordWrap(True)
        self.on_hand = named(QLabel(), "OnHand")
        self.on_hand.setWordWrap(True)
        self.branch = named(QComboBox(), "Branch")
        self.qty = named(NumberField(1, STOCK_RECEIPT_MAX), "Qty")
        self.qty.setValue(1)
        self.note = named(CountedLineEdit(REASON_MAX), "Note")
        self.receive_button = push_button(icon("lots"), self.record_stock)  # Ctrl+Shift+S: _stock_shortcut
        stock_form = side_form(6)
        row(stock_form, "stock_reward", [self.stock_reward])
        row(stock_form, "on_hand", [self.on_hand])
        row(stock_form, "branch", [self.branch])
        row(stock_form, "qty", [self.qty], "qty")
        row(stock_form, "note", [self.note, self.note.counter], "reason")
        stock_card = _card(self.stock_title, stock_form, self.receive_button)

        # the reward's form and the stock received take turns, so the screen fits a 1024-pixel display
        self.forms = named(QTabWidget(), "CatalogueForms")
        self.forms.addTab(editor, "")
        self.forms.addTab(stock_card, "")
        self.stock_card = stock_card
        self.stock_shortcut = make_shortcut(QKeySequence("Ctrl+Shift+S"), self, self._stock_shortcut)

        page_layout(self, top, self.banner, (self.table, 1), self.forms)
        self.retranslate()
        self.new_reward()

    # ------------------------------------------------------------------ screen protocol

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Reward catalogue")),
            (self.new_button, self.tr("New reward"), self.tr("Clear the form to add a reward (Ctrl+N)")),
            (self.refresh_button, self.tr("Refresh")),
        )
        self.points_cost.retranslate()
        self.qty.retranslate()
        texts = {
            "code": self.tr("&Code"), "name_zh": self.tr("Chinese &name"), "name_en": self.tr("&English name"),
            "category": self.tr("C&ategory"), "points_cost": self.tr("&Points cost"), "cash_value": self.tr("Cash &value (CNY)"),
            "min_tier": self.tr("Minimum &tier"), "limited": self.tr("Offered"), "window": self.tr("From / to"),
            "yearly_limit": self.tr("&Yearly limit"), "stock_tracked": self.tr("Stock"),
            "stock_reward": self.tr("Reward"), "on_hand": self.tr("On hand"), "branch": self.tr("&Branch"), "qty": self.tr("&Quantity"),
            "note": self.tr("N&ote"),
        }
        self.set_labels(texts)
        for i in range(self.category.count()):
            self.category.setItemText(i, category_label(self.category.itemData(i)))
        for i in range(self.min_tier.count()):
            self.min_tier.setItemText(i, fmt.tier(self.min_tier.itemData(i)))
        set_texts(
            (self.limited, self.tr("Only in a limited period")),
            (self.stock_tracked, self.tr("Track stock at each branch")),
            (self.save_button, self.tr("Save reward"), self.tr("Save the reward (Ctrl+S)")),
            (self.stock_title, self.tr("Record stock received")),
            (self.receive_button, self.tr("Record stock received"), self.tr("Add the quantity to the branch's stock on hand (Ctrl+Shift+S)")),
        )
        self.yearly_limit.empty_means = self.tr("Empty: unlimited")
        self.yearly_limit.retranslate()
        self.forms.setTabText(0, self.tr("Re&ward"))
        self.forms.setTabText(1, self.tr("&Stock received"))
        self.cash_value.setPlaceholderText("0.00")
        self.note.setPlaceholderText(self.tr("Delivery note, supplier… (optional)"))
        self._update_titles()
        self.model.retranslate()

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        self.run(load_catalogue, self._services, on_result=self._loaded, on_error=self.report_failure)

    def _loaded(self, data: CatalogueData) -> None:
        keep = self._select_after_load or self._editing
        self._select_after_load = None
        self.data = data
        current_branch = self.branch.currentData()
        self.branch.clear()
        language = self._context.settings.language
        for code, zh, en in data.branches:
            self.branch.addItem(f"{zh if language == 'zh_CN' else en} · {code}", code)
        wanted = current_branch or self._context.session.branch_code
        self.branch.setCurrentIndex(max(0, self.branch.findData(wanted)))
        self.model.set_data(data)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 140)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        if keep is not None:
            self.select_code(keep)
        else:
            self._selection_changed()
        self.sig_loaded.emit(data)

    # ------------------------------------------------------------------ selection and form

    def _selection_changed(self, *_: object) -> None:
        row = self.selected()
        if row is not None:
            self._fill(row.offer)
        self._update_stock_panel()

    def _fill(self, offer: RewardOffer) -> None:
        self._editing = offer.code
        self.clear_errors(banner=False)
        self.code.setText(offer.code)
        self.code.setReadOnly(True)
        self.name_zh.setText(offer.name_zh)
        self.name_en.setText(offer.name_en)
        self.category.setCurrentIndex(max(0, self.category.findData(offer.category)))
        self.points_cost.setText(str(offer.points_cost))
        self.cash_value.setText(f"{offer.cash_value:.2f}")
        self.min_tier.setCurrentIndex(max(0, self.min_tier.findData(offer.min_tier)))
        limited = offer.active_from is not None or offer.active_to is not None
        today = QDate.currentDate()
        self.active_from.setDate(fmt.qdate(offer.active_from) if offer.active_from else today)
        self.active_to.setDate(fmt.qdate(offer.active_to) if offer.active_to else today.addMonths(3))
        self.limited.setChecked(limited)
        self._limited_toggled(limited)
        self.yearly_limit.setText("" if offer.yearly_limit_per_member is None else str(offer.yearly_limit_per_member))
        self.stock_tracked.setChecked(offer.stock_tracked)
        self._update_titles()

    def new_reward(self) -> None:
        """Clears the form for a new reward."""
        self.table.clearSelection()
        self._editing = None
        self.clear_errors()
        for edit in (self.code, self.name_zh, self.name_en, self.points_cost, self.cash_value):
            edit.clear()
        self.code.setReadOnly(False)
        self.category.setCurrentIndex(0)
        self.min_tier.setCurrentIndex(0)
        today = QDate.currentDate()
        self.active_from.setDate(today)
        self.active_to.setDate(today.addMonths(3))
        self.limited.setChecked(False)
        self._limited_toggled(False)
        self.yearly_limit.clear()
        self.stock_tracked.setChecked(False)
        self._update_titles()
        self._update_stock_panel()
        self.code.setFocus()

    def _limited_toggled(self, on: bool) -> None:
        self.active_from.setEnabled(on)
        self.active_to.setEnabled(on)

    def _update_titles(self) -> None:
        if self._editing is None:
            self.form_title.setText(self.tr("New reward"))
        else:
            self.form_title.setText(self.tr("Edit reward {code}").format(code=self._editing))

    def _update_stock_panel(self) -> None:
        row = self.selected()
        tracked = row is not None and row.offer.stock_tracked
        if row is None:
            self.stock_reward.setText(self.tr("Choose a reward in the table."))
        elif not tracked:
            self.stock_reward.setText(self.tr("{code}: stock is not tracked for this reward.").format(code=row.code))
        else:
            name = row.offer.name_zh if self._context.settings.language == "zh_CN" else row.offer.name_en
            self.stock_reward.setText(f"{row.code} · {name}")
        self.on_hand.setText(" · ".join(f"{code}&nbsp;<b>{fmt.number(n or 0)}</b>" for code, n in row.stock.items()) if tracked and row is not None else "–")
        for widget in (self.branch, self.qty, self.note, self.receive_button):
            widget.setEnabled(tracked)

    def _show_error(self, error: BaseException, fields: tuple[str, ...]) -> None:
        field = getattr(error, "field", None) if isinstance(error, ValidationError) else None
        if field in fields:
            show_field_error(self.errors[field], error_message(error))
        else:
            self.show_error(error)
        self.sig_failed.emit(error)

    # ------------------------------------------------------------------ actions

    def form_problems(self) -> dict[str, str]:
        """Every field the form itself refuses, by field, all at once (the service checks again)."""
        found: dict[str, str] = {}
        fields = (("code", self.code), ("name_zh", self.name_zh), ("name_en", self.name_en), ("points_cost", self.points_cost),
                  ("yearly_limit_per_member", self.yearly_limit))
        for name, field in fields:
            if problem := field.problem():
                found[name] = problem
        return found

    def sanity_warnings(self) -> tuple[str, ...]:
        """What is allowed but unusual enough to be asked about before saving."""
        warnings: list[str] = []
        cash = self.cash_value.text().strip().replace(",", "") or "0"
        try:
            zero_cash = float(cash) == 0
        except ValueError:
            zero_cash = False
        if zero_cash:
            warnings.append(self.tr("The cash value is ¥0.00."))
        points = self.points_cost.value()
        others = [row.offer.points_cost for row in (self.data.rows if self.data is not None else ()) if row.code != self._editing]
        if points is not None and others and not min(others) / 10 <= points <= max(others) * 10:
            warnings.append(self.tr("{points} points is far outside this catalogue's range ({low} to {high}).").format(
                points=fmt.number(points), low=fmt.number(min(others)), high=fmt.number(max(others))))
        return tuple(warnings)

    def reward_values(self) -> dict[str, Any]:
        """The form as ``upsert_reward`` arguments (call after ``form_problems`` found none)."""
        limited = self.limited.isChecked()
        return {
            "code": self.code.text(),
            "name_zh": self.name_zh.text(),
            "name_en": self.name_en.text(),
            "category": self.category.currentData(),
            "points_cost": self.points_cost.value(),
            "cash_value": self.cash_value.text().strip() or "0",
            "min_tier": self.min_tier.currentData(),
            "active_from": self.active_from.date().toPython() if limited else None,
            "active_to": self.active_to.date().toPython() if limited else None,
            "yearly_limit_per_member": self.yearly_limit.value(),
            "stock_tracked": self.stock_tracked.isChecked(),
        }

    def save(self) -> None:
        """Saves when nothing is refused; every refusal is shown at its field at once. Unusual values
        are named in a warning and saved only when Save is pressed again without a change."""
        self.clear_errors()
        found = self.form_problems()
        if self.show_problems(found):
            self.set_banner(self.tr("Correct the marked fields; nothing was saved."), "error")
            return
        warnings = self.sanity_warnings()
        if warnings and warnings != self._confirmed_warnings:
            self._confirmed_warnings = warnings
            self.set_banner(" ".join(warnings) + " " + self.tr("Press Save again to save it as it is."), "warn")
            self.save_button.setText(self.tr("Save anyway"))
            return
        self._confirmed_warnings = ()
        self.save_button.setText(self.tr("Save reward"))
        self.save_button.setEnabled(False)
        self.write(
            self._services.redemption.upsert_reward, session=self._context.session, **self.reward_values(),
            on_result=self._saved, on_error=self._save_failed,
        )

    def _saved(self, offer: RewardOffer) -> None:
        self.save_button.setEnabled(True)
        self.set_banner(self.tr("Reward {code} saved.").format(code=offer.code))
        self._editing = offer.code
        self._select_after_load = offer.code
        self.sig_saved.emit(offer)
        self.refresh()

    def _save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._show_error(error, REWARD_FIELDS)

    def _stock_shortcut(self) -> None:
        """Ctrl+Shift+S: to the stock received, and from there records it."""
        if self.forms.currentWidget() is not self.stock_card:
            self.forms.setCurrentWidget(self.stock_card)
            self.qty.setFocus()
            self.qty.selectAll()
            return
        self.record_stock()

    def record_stock(self) -> None:
        row = self.selected()
        if row is None or not row.offer.stock_tracked:
            return
        self.clear_errors()
        qty = self.qty.value()
        if qty is None or self.qty.problem():
            refuse_at(self.qty, self.errors["qty"], self.qty.problem())
            return
        branch = self.branch.currentData()
        self.receive_button.setEnabled(False)
        self.write(
            self._services.redemption.receive_stock, session=self._context.session, branch_code=branch, reward_code=row.code,
            qty=qty, note=self.note.text(),
            on_result=lambda on_hand: self._stock_recorded(row.code, branch, qty, on_hand),
            on_error=self._stock_failed,
        )

    def _stock_recorded(self, code: str, branch: str, qty: int, on_hand: int) -> None:
        self.receive_button.setEnabled(True)
        self.note.clear()
        self.qty.setValue(1)
        self.set_banner(self.tr("Received {qty} × {code} at {branch}: {on_hand} on hand.").format(
            qty=fmt.number(qty), code=code, branch=branch, on_hand=fmt.number(on_hand)))
        self._select_after_load = code
        self.sig_stock_recorded.emit(on_hand)
        self.refresh()

    def _stock_failed(self, error: BaseException) -> None:
        self.receive_button.setEnabled(True)
        self._show_error(error, STOCK_FIELDS)
