"""Segments: head-office marketing's saved member filters. The list of saved segments; the form with
every criterion checked at its field; the live member count, recounted off the UI thread a moment after
the criteria change (only the latest count is shown); Save as the operation segment.save."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.segments import BALANCE_MAX, DAYS_MAX, DORMANT_MONTHS_MAX, NAME_MAX, SegmentInvalid, check_segment
from loyalty_desk.services.roles import Permission, allowed
from loyalty_desk.services.segments.dto import SegmentCount, SegmentView
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens import record_form
from loyalty_desk.ui.screens.base import page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.segments.models import CARD_STAGES, REFERRED, WORDS, SegmentsModel
from loyalty_desk.ui.widgets import (
    NumberField,
    add_all,
    named,
    push_button,
    record_table,
    set_texts,
    show_field_error,
    side_form,
)

COUNT_DELAY_MS = 400  # the count waits for typing to pause
DAY_FIELDS = ("joined_within_days", "earned_within_days", "redeemed_within_days", "expiring_within_days")
FIELDS = ("code", "name_zh", "name_en", "tiers", "branches", *DAY_FIELDS, "balance_min", "balance_max", "dormant_months", "has_referred",
          "card_stage")


def load_segments(services: Any, session: Any) -> tuple[list[SegmentView], list[str]]:
    """On a worker: every saved segment, and the branch codes a segment may name."""
    return services.segments.list(session=session), services.segments.branch_codes()


class SegmentsScreen(record_form.RecordFormScreen):
    sig_loaded = Signal(object)  # list[SegmentView]
    sig_counted = Signal(object)  # SegmentCount, or None when the criteria are refused
    sig_saved = Signal(object)  # SegmentView

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.views: list[SegmentView] = []
        self.branch_codes: list[str] = []
        self._editing: SegmentView | None = None
        self._operation_id: str | None = None  # kept until the save succeeds: a retry replays, never saves twice
        self.may_manage = allowed(context.session.role, Permission.CAMPAIGN_MANAGE)

        self.new_button = push_button(icon("member"), self.new_segment, shortcut="Ctrl+N")
        self.new_button.setVisible(self.may_manage)
        top = self.title_line(None, self.new_button)
        self.model = SegmentsModel(self)
        self.model.chinese = context.settings.language == "zh_CN"
        self.table = record_table(self.model, self._selection_changed, stretch_last=True)

        self.init_form(FIELDS)
        self.code = named(QLineEdit(), "SegmentCode")
        self.code.setMaxLength(32)
        self.name_zh, self.name_en = record_form.name_edits(NAME_MAX)
        self.tiers = record_form.tier_boxes()
        self.branches = named(QLineEdit(), "Branches")
        self.days = {key: named(NumberField(1, DAYS_MAX), key) for key in DAY_FIELDS}
        self.balance_min = named(NumberField(0, BALANCE_MAX), "BalanceMin")
        self.balance_max = named(NumberField(0, BALANCE_MAX), "BalanceMax")
        self.dormant = named(NumberField(1, DORMANT_MONTHS_MAX), "DormantMonths")
        self.has_referred = named(QComboBox(), "HasReferred")
        for key in REFERRED:
            self.has_referred.addItem("", key)
        self.card_stage = named(QComboBox(), "CardStage")
        for key in CARD_STAGES:
            self.card_stage.addItem("", key)
        self.form_title = named(QLabel(), "FieldLabel")
        self.count_label = named(QLabel(), "SegmentCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        left, right = side_form(), side_form()
        self.form_row(left, "code", [self.code])
        self.form_row(left, "name_zh", [self.name_zh, self.name_zh.counter])
        self.form_row(left, "name_en", [self.name_en, self.name_en.counter])
        self.form_row(left, "tiers", [record_form.check_grid(self.tiers.values())])
        self.form_row(left, "branches", [self.branches])
        self.form_row(left, "has_referred", [self.has_referred])
        self.form_row(left, "card_stage", [self.card_stage])
        for key in DAY_FIELDS:
            self.form_row(right, key, [self.days[key]])
        self.until = QLabel("–")
        self.form_row(right, "balance_min", [self.balance_min, self.until, self.balance_max])
        right.addRow(QLabel(), self.errors["balance_max"])
        self.form_row(right, "dormant_months", [self.dormant])

        self.save_button = push_button(None, self.save, shortcut="Ctrl+S", name="Primary")
        self.save_button.setVisible(self.may_manage)
        actions = add_all(QHBoxLayout(), 1, self.save_button)
        card = record_form.form_card(add_all(QHBoxLayout(), self.form_title, 1, self.count_label), record_form.form_columns(left, right), actions)
        page_layout(self, top, self.banner, (self.table, 1), (card, 2))

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.recount)
        for edit in (self.branches, *self.days.values(), self.balance_min, self.balance_max, self.dormant):
            edit.textChanged.connect(self._criteria_changed)
        for check in self.tiers.values():
            check.toggled.connect(self._criteria_changed)
        for combo in (self.has_referred, self.card_stage):
            combo.currentIndexChanged.connect(self._criteria_changed)
        self._count: SegmentCount | None = None
        self._counting = False
        self.retranslate()
        self.new_segment()

    # ------------------------------------------------------------------ screen protocol

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Segments")),
            (self.new_button, self.tr("New segment"), self.tr("Clear the form to define a segment (Ctrl+N)")),
            (self.refresh_button, self.tr("Refresh")),
            (self.save_button, self.tr("Save segment"), self.tr("Save the segment (Ctrl+S); campaigns and outreach can then use it")),
        )
        texts = {
            "code": self.tr("&Code"), "name_zh": self.tr("Chinese &name"), "name_en": self.tr("&English name"), "tiers": self.tr("Tiers"),
            "branches": self.tr("Home b&ranches"), "has_referred": self.tr("Re&ferrals"), "card_stage": self.tr("Card &journey"),
            "joined_within_days": self.tr("&Joined within (days)"), "earned_within_days": self.tr("E&arned within (days)"),
            "redeemed_within_days": self.tr("Re&deemed within (days)"), "expiring_within_days": self.tr("Points e&xpiring within (days)"),
            "balance_min": self.tr("&Balance from / to"), "dormant_months": self.tr("D&ormant for (months)"),
        }
        self.set_labels(texts)
        record_form.name_tier_boxes(self.tiers)
        for combo, table in ((self.has_referred, REFERRED), (self.card_stage, CARD_STAGES)):
            for i in range(combo.count()):
                combo.setItemText(i, WORDS.of(table, combo.itemData(i)))
        self.code.setPlaceholderText(self.tr("e.g. GOLD-DORMANT"))
        self.branches.setPlaceholderText(self.tr("Empty: every branch; or codes such as BJ01, SH01"))
        any_text = self.tr("Any")
        for field in (*self.days.values(), self.balance_min, self.balance_max, self.dormant):
            field.empty_means = any_text
            field.retranslate()
        self.model.retranslate()
        self._show_count()
        self._update_form_state()

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return (self.save_button,)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        self.run(load_segments, self._services, self._context.session, on_result=self._loaded, on_error=self.report_failure)

    def _loaded(self, loaded: tuple[list[SegmentView], list[str]]) -> None:
        self.views, self.branch_codes = loaded
        keep = self._editing.code if self._editing else None
        self.model.set_rows(self.views)
        self.table.resizeColumnsToContents()
        if keep is not None:
            self.select_code(keep)
        self.sig_loaded.emit(self.views)

    # ------------------------------------------------------------------ the form

    def _selection_changed(self, *_: object) -> None:
        view = self.selected()
        if isinstance(view, SegmentView):
            self._fill(view)

    def _fill(self, view: SegmentView) -> None:
        self._editing = view
        self._operation_id = None
        self.clear_errors(banner=False)
        criteria = view.criteria
        self.code.setText(view.code)
        self.name_zh.setText(view.name_zh)
        self.name_en.setText(view.name_en)
        for key, box in self.tiers.items():
            box.setChecked(key in (criteria.get("tiers") or ()))
        self.branches.setText(", ".join(criteria.get("branches") or ()))
        for key, field in self.days.items():
            field.setText("" if criteria.get(key) is None else str(criteria[key]))
        for key, field in (("balance_min", self.balance_min), ("balance_max", self.balance_max), ("dormant_months", self.dormant)):
            field.setText("" if criteria.get(key) is None else str(criteria[key]))
        referred = criteria.get("has_referred")
        self.has_referred.setCurrentIndex(max(0, self.has_referred.findData("any" if referred is None else ("yes" if referred else "no"))))
        self.card_stage.setCurrentIndex(max(0, self.card_stage.findData(criteria.get("card_stage") or "any")))
        self._update_form_state()
        self.recount()

    def new_segment(self) -> None:
        self.table.clearSelection()
        self._editing = None
        self._operation_id = None
        self.clear_errors()
        for edit in (self.code, self.name_zh, self.name_en, self.branches, *self.days.values(), self.balance_min, self.balance_max,
                     self.dormant):
            edit.clear()
        for box in self.tiers.values():
            box.setChecked(False)
        self.has_referred.setCurrentIndex(0)
        self.card_stage.setCurrentIndex(0)
        self._update_form_state()
        self.recount()
        if self.may_manage:
            self.code.setFocus()

    def _update_form_state(self) -> None:
        for widget in (self.name_zh, self.name_en, self.branches, *self.days.values(), self.balance_min, self.balance_max, self.dormant,
                       self.has_referred, self.card_stage, *self.tiers.values()):
            widget.setEnabled(self.may_manage)
        self.code.setEnabled(self.may_manage and self._editing is None)
        self.save_button.setEnabled(self.may_manage and not self.busy)
        if self._editing is None:
            self.form_title.setText(self.tr("New segment"))
        else:
            self.form_title.setText(self.tr("Segment {code}, version {version}").format(code=self._editing.code, version=self._editing.version))

    def criteria_values(self) -> dict[str, Any]:
        def typed(field: NumberField) -> str:
            return field.text().strip().replace(",", "")

        return {
            "tiers": [key for key, box in self.tiers.items() if box.isChecked()],
            "branches": record_form.typed_codes(self.branches),
            **{key: typed(field) for key, field in self.days.items()},
            "balance_min": typed(self.balance_min), "balance_max": typed(self.balance_max), "dormant_months": typed(self.dormant),
            "has_referred": self.has_referred.currentData(), "card_stage": self.card_stage.currentData(),
        }

    def form_values(self) -> dict[str, Any]:
        return {"name_zh": self.name_zh.text(), "name_en": self.name_en.text(), "criteria": self.criteria_values()}

    def criteria_problems(self) -> dict[str, str]:
        try:
            check_segment({"name_zh": "-", "name_en": "-", "criteria": self.criteria_values()}, known_branches=self.branch_codes or None)
        except SegmentInvalid as invalid:
            return {error.field: error_message(error) for error in invalid.errors}
        return {}

    def form_problems(self) -> dict[str, str]:
        found = record_form.name_problems(self.name_zh, self.name_en)
        try:
            check_segment(self.form_values(), known_branches=self.branch_codes or None)
        except SegmentInvalid as invalid:
            for error in invalid.errors:
                found.setdefault(error.field, error_message(error))
        return found

    # ------------------------------------------------------------------ the live count

    def _criteria_changed(self, *_: object) -> None:
        self._count_timer.start()

    def recount(self) -> None:
        """Counts the members the criteria select now, on a worker; a later count supersedes this one."""
        self._count_timer.stop()
        for key in FIELDS:
            if key not in ("code", "name_zh", "name_en"):
                show_field_error(self.errors[key], "")
        problems = self.criteria_problems()
        if problems:
            self.supersede("count")
            self.show_problems(problems)
            self._count, self._counting = None, False
            self._show_count()
            self.sig_counted.emit(None)
            return
        self._counting = True
        self._show_count()
        self.run_latest("count", self._services.segments.count, session=self._context.session, fields={"criteria": self.criteria_values()},
                        on_result=self._counted, on_error=self._count_failed)

    def _counted(self, counted: SegmentCount) -> None:
        self._count, self._counting = counted, False
        self._show_count()
        self.sig_counted.emit(counted)

    def _count_failed(self, error: BaseException) -> None:
        self._count, self._counting = None, False
        self._show_count()
        if not self.show_problems(self.field_problems(error)):
            self.show_error(error)
        self.sig_counted.emit(None)

    def _show_count(self) -> None:
        if self._counting:
            self.count_label.setText(self.tr("Counting members…"))
        elif self._count is None:
            self.count_label.setText(self.tr("Members: –"))
        else:
            self.count_label.setText(self.tr("{n} members today ({day})").format(n=fmt.number(self._count.members),
                                                                                 day=fmt.day(self._count.as_of)))

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        self.clear_errors()
        found = self.form_problems()
        code = self.code.text().strip().upper() if self._editing is None else self._editing.code
        if self._editing is None and not code:
            found.setdefault("code", self.tr("Give the segment a code."))
        if self.show_problems(found):
            self.set_banner(self.tr("Correct the marked fields; nothing was saved."), "error")
            return
        segments = self._services.segments
        self._operation_id = self._operation_id or segments.new_operation_id()
        self.set_busy(True)
        self.write(segments.save, operation_id=self._operation_id, session=self._context.session, code=code, fields=self.form_values(),
                   version=self._editing.version if self._editing else 0, on_result=self._saved, on_error=self._failed)

    def _saved(self, view: SegmentView) -> None:
        self.set_busy(False)
        self._operation_id = None
        self._editing = view
        self.set_banner(self.tr("Segment {code} saved (version {version}).").format(code=view.code, version=view.version), "ok")
        self._update_form_state()
        self.sig_saved.emit(view)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self._update_form_state()
        if self.show_problems(self.field_problems(error)):
            if isinstance(error, SegmentInvalid):
                self.set_banner(self.tr("Correct the marked fields; nothing was saved."), "error")
        else:
            if isinstance(error, DomainError):
                self._operation_id = None  # refused: the next attempt is a new operation
            self.show_error(error)
        self.sig_failed.emit(error)
