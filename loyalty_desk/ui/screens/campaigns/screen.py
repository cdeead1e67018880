"""Campaigns: head-office marketing's list (status, budget used and left, members reached), the form of a
draft with every field checked at the field, the cost forecast, and submit / approve or reject / stop,
with the four-eyes rule in view (the maker's Approve button disabled, saying why)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.domain.campaigns import (
    BONUS_MAX,
    BUDGET_MAX,
    CAMPAIGN_SOURCES,
    NAME_MAX,
    TARGET_CNY_MAX,
    WITHIN_DAYS_MAX,
    CampaignInvalid,
    check_draft,
)
from loyalty_desk.services.campaigns.dto import CampaignView
from loyalty_desk.services.campaigns.service import decision_refusal
from loyalty_desk.services.roles import Permission, allowed
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens import record_form
from loyalty_desk.ui.screens.base import page_layout
from loyalty_desk.ui.screens.campaigns.dialogs import DecisionDialog, StopDialog
from loyalty_desk.ui.screens.campaigns.models import KINDS, SOURCES, STACKING, WORDS, CampaignsModel, status_label
from loyalty_desk.ui.screens.campaigns.panel import ForecastPanel
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import (
    NumberField,
    add_all,
    named,
    push_button,
    record_table,
    set_texts,
    side_form,
)

FIELDS = ("code", "name_zh", "name_en", "kind", "multiplier", "bonus_points", "within_days", "target_cny", "sources", "tiers", "branches",
          "segment", "starts_on", "ends_on", "budget_points", "member_cap", "stacking")
# The rows of the form each kind shows (the others are hidden); every kind has the common fields.
KIND_FIELDS = {
    "multiplier": ("multiplier", "sources"),
    "bonus": ("bonus_points", "sources"),
    "card_approved": ("bonus_points", "within_days"),
    "first_transaction": ("bonus_points",),
    "spend_target": ("bonus_points", "target_cny", "within_days"),
}
KIND_ROWS = ("multiplier", "bonus_points", "target_cny", "within_days", "sources")


def load_campaigns(services: Any, session: Any) -> tuple[list[CampaignView], list[str], list[str]]:
    """On a worker: every campaign, and the branch codes and saved segments a campaign may name."""
    return services.campaigns.list(session=session), services.campaigns.branch_codes(), services.campaigns.segment_codes()


class CampaignsScreen(record_form.RecordFormScreen):
    sig_loaded = Signal(object)  # list[CampaignView]
    sig_saved = Signal(object)  # CampaignView, after create, edit or submit

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.views: list[CampaignView] = []
        self.branch_codes: list[str] = []
        self.segment_codes: list[str] = []
        self._editing: str | None = None  # the code of the draft in the form; None: a new one
        self._select_after_load: str | None = None
        self.decision_dialog: DecisionDialog | None = None
        self.stop_dialog: StopDialog | None = None
        self.may_manage = allowed(context.session.role, Permission.CAMPAIGN_MANAGE)
        self._operation_ids: dict[str, str] = {}  # per action, kept until it succeeds: a retry replays, never posts twice

        self.new_button = push_button(icon("gift"), self.new_campaign, shortcut="Ctrl+N")
        self.new_button.setVisible(self.may_manage)
        top = self.title_line(None, self.new_button)
        self.model = CampaignsModel(self)
        self.model.chinese = context.settings.language == "zh_CN"
        self.table = record_table(self.model, self._selection_changed)
        self.table.setWordWrap(False)

        # ---- the form
        self.init_form(FIELDS)
        self.code = named(QLineEdit(), "CampaignCode")
        self.code.setMaxLength(32)
        self.name_zh, self.name_en = record_form.name_edits(NAME_MAX)
        self.kind = named(QComboBox(), "Kind")
        for key in KINDS:
            self.kind.addItem("", key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.multiplier = named(QLineEdit(), "Multiplier")
        self.multiplier.setMaxLength(5)
        self.bonus = named(NumberField(1, BONUS_MAX), "Bonus")
        self.within_days = named(NumberField(1, WITHIN_DAYS_MAX), "WithinDays")
        self.target_cny = named(NumberField(1, TARGET_CNY_MAX), "TargetCny")
        self.sources = {key: named(QCheckBox(), f"Source_{key}") for key in (s.value for s in CAMPAIGN_SOURCES)}
        self.tiers = record_form.tier_boxes()
        self.branches = named(QLineEdit(), "Branches")
        self.segment = named(QComboBox(), "Segment")
        self.segment.addItem("", "")
        self.starts_on = named(QDateEdit(), "StartsOn")
        self.ends_on = named(QDateEdit(), "EndsOn")
        for edit in (self.starts_on, self.ends_on):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(fmt.date_edit_format())
        self.budget = named(NumberField(1, BUDGET_MAX), "Budget")
        self.member_cap = named(NumberField(1, BUDGET_MAX), "MemberCap")
        self.stacking = named(QComboBox(), "Stacking")
        for key in STACKING:
            self.stacking.addItem("", key)
        for combo in (self.kind, self.stacking):  # long item texts must not widen the form past a 1024-pixel window
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.form_title = named(QLabel(), "FieldLabel")
        self.status_line = named(QLabel(), "Muted")
        self.status_line.setWordWrap(True)

        def row(form: QFormLayout, key: str, widgets: Sequence[QWidget]) -> None:
            self.form_row(form, key, widgets, grows=(QLineEdit, QDateEdit, QComboBox))

        left, right = side_form(), side_form()
        self._forms = (left, right)
        row(left, "code", [self.code])
        row(left, "name_zh", [self.name_zh, self.name_zh.counter])
        row(left, "name_en", [self.name_en, self.name_en.counter])
        row(left, "kind", [self.kind])
        row(left, "multiplier", [self.multiplier])
        row(left, "bonus_points", [self.bonus])
        row(left, "target_cny", [self.target_cny])
        row(left, "within_days", [self.within_days])
        row(left, "stacking", [self.stacking])
        row(right, "sources", [record_form.check_grid(self.sources.values())])
        row(right, "tiers", [record_form.check_grid(self.tiers.values())])
        row(right, "branches", [self.branches])
        row(right, "segment", [self.segment])
        self.until = QLabel("–")
        row(right, "starts_on", [self.starts_on, self.until, self.ends_on])
        self.errors["starts_on"].setObjectName("Error")
        right.addRow(QLabel(), self.errors["ends_on"])
        row(right, "budget_points", [self.budget])
        row(right, "member_cap", [self.member_cap])

        # ---- actions
        self.save_button = push_button(None, self.save, shortcut="Ctrl+S", name="Primary")
        self.forecast_button = push_button(None, self.run_forecast, shortcut="Ctrl+F")
        self.submit_button = push_button(None, self.submit)
        self.decide_button = push_button(None, self.open_decision)
        self.stop_button = push_button(None, self.open_stop)
        self.decide_reason = named(QLabel(), "DecideReason")
        self.decide_reason.setWordWrap(True)
        actions = add_all(QHBoxLayout(), 1, self.forecast_button, self.save_button, self.submit_button, self.decide_button,
                          self.stop_button)
        for button in (self.save_button, self.submit_button, self.decide_button, self.stop_button):
            button.setVisible(self.may_manage)

        self.forecast = ForecastPanel(context, self)
        heading = add_all(QHBoxLayout(), self.form_title, (self.status_line, 1))
        card = record_form.form_card(heading, record_form.form_columns(left, right), self.decide_reason, actions)
        body = QWidget()
        add_all(QVBoxLayout(body), card, self.forecast, 1).setContentsMargins(0, 0, 0, 0)
        self.form_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the form fits the width (1024-pixel displays too)
        scroll.setWidget(body)
        self.forecast.sig_shown.connect(lambda _forecast: scroll.ensureWidgetVisible(self.forecast))
        page_layout(self, top, self.banner, (self.table, 1), (scroll, 3))
        self.retranslate()
        self.new_campaign()

    # ------------------------------------------------------------------ screen protocol

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Campaigns")),
            (self.new_button, self.tr("New campaign"), self.tr("Clear the form to draft a campaign (Ctrl+N)")),
            (self.refresh_button, self.tr("Refresh")),
            (self.save_button, self.tr("Save draft"), self.tr("Save the draft (Ctrl+S)")),
            (self.forecast_button, self.tr("Forecast"), self.tr("Replay last year's earnings through the form's rules (Ctrl+F)")),
            (self.submit_button, self.tr("Submit for approval"), self.tr("Send the saved draft to a second marketer")),
            (self.decide_button, self.tr("Approve or reject…"), self.tr("Decide on a submitted campaign (a second person)")),
            (self.stop_button, self.tr("Stop early…"), self.tr("Stop an approved campaign now, with a reason")),
        )
        texts = {
            "code": self.tr("&Code"), "name_zh": self.tr("Chinese &name"), "name_en": self.tr("&English name"), "kind": self.tr("&Kind"),
            "multiplier": self.tr("&Multiplier"), "bonus_points": self.tr("&Bonus points"), "stacking": self.tr("S&tacking"),
            "sources": self.tr("Earning sources"), "tiers": self.tr("Tiers"), "branches": self.tr("B&ranches"),
            "segment": self.tr("Se&gment"),
            "starts_on": self.tr("&From / to"), "budget_points": self.tr("Bu&dget (points)"), "member_cap": self.tr("Per-member &cap"),
            "target_cny": self.tr("Spend tar&get (CNY)"), "within_days": self._within_days_label(),
        }
        self.set_labels(texts)
        for i in range(self.kind.count()):
            self.kind.setItemText(i, WORDS.of(KINDS, self.kind.itemData(i)))
        for i in range(self.stacking.count()):
            self.stacking.setItemText(i, WORDS.of(STACKING, self.stacking.itemData(i)))
        for key, box in self.sources.items():
            box.setText(WORDS.of(SOURCES, key))
        record_form.name_tier_boxes(self.tiers)
        self.code.setPlaceholderText(self.tr("Empty: made up when saved"))
        self.multiplier.setPlaceholderText(self.tr("1.01 to 5, e.g. 2 for double points"))
        self.branches.setPlaceholderText(self.tr("Empty: every branch; or codes such as BJ01, SH01"))
        self.segment.setItemText(0, self.tr("Every member"))
        self.member_cap.empty_means = self.tr("Empty: no cap")
        for field in (self.bonus, self.within_days, self.target_cny, self.budget, self.member_cap):
            field.retranslate()
        self.model.retranslate()
        self.forecast.retranslate()
        self._update_form_state()

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return (self.save_button, self.submit_button, self.decide_button, self.stop_button)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        self.run(load_campaigns, self._services, self._context.session, on_result=self._loaded, on_error=self.report_failure)

    def _loaded(self, loaded: tuple[list[CampaignView], list[str], list[str]]) -> None:
        self.views, self.branch_codes, self.segment_codes = loaded
        chosen = self.segment.currentData()
        while self.segment.count() > 1:
            self.segment.removeItem(1)
        for code in self.segment_codes:
            self.segment.addItem(code, code)
        self.segment.setCurrentIndex(max(0, self.segment.findData(chosen)))
        keep = self._select_after_load or self._editing
        self._select_after_load = None
        self.model.set_rows(self.views)
        self.table.resizeColumnsToContents()
        if keep is None or not self.select_code(keep):
            self._update_form_state()
        self.sig_loaded.emit(self.views)

    def current(self) -> CampaignView | None:
        row = self.selected()
        return row if isinstance(row, CampaignView) else None

    # ------------------------------------------------------------------ the form

    def _selection_changed(self, *_: object) -> None:
        view = self.current()
        if view is None:
            return
        self._fill(view)
        if view.status in ("draft", "submitted"):
            self.forecast.start(code=view.code)
        else:
            self.forecast.clear()

    def _fill(self, view: CampaignView) -> None:
        self._editing = view.code
        self.clear_errors(banner=False)
        self.code.setText(view.code)
        self.name_zh.setText(view.name_zh)
        self.name_en.setText(view.name_en)
        self.kind.setCurrentIndex(max(0, self.kind.findData(view.kind)))
        self.multiplier.setText(view.multiplier if view.kind == "multiplier" else "")
        self.bonus.setText(str(view.bonus_points) if view.kind != "multiplier" else "")
        self.within_days.setText(str(view.within_days) if view.within_days is not None else "")
        self.target_cny.setText(str(view.target_cny) if view.target_cny is not None else "")
        self.stacking.setCurrentIndex(max(0, self.stacking.findData(view.stacking)))
        for key, box in self.sources.items():
            box.setChecked(key in view.sources)
        for key, box in self.tiers.items():
            box.setChecked(key in view.tiers)
        self.branches.setText(", ".join(view.branches))
        if view.segment and self.segment.findData(view.segment) < 0:
            self.segment.addItem(view.segment, view.segment)
        self.segment.setCurrentIndex(max(0, self.segment.findData(view.segment or "")))
        self.starts_on.setDate(fmt.qdate(view.starts_on))
        self.ends_on.setDate(fmt.qdate(view.ends_on))
        self.budget.setText(str(view.budget_points))
        self.member_cap.setText(str(view.member_cap) if view.member_cap else "")
        self._update_form_state()

    def new_campaign(self) -> None:
        self.table.clearSelection()
        self._editing = None
        self.clear_errors()
        for edit in (self.code, self.name_zh, self.name_en, self.multiplier, self.bonus, self.within_days, self.target_cny, self.branches,
                     self.budget, self.member_cap):
            edit.clear()
        self.segment.setCurrentIndex(0)
        self.kind.setCurrentIndex(0)
        self.multiplier.setText("2")
        self.stacking.setCurrentIndex(0)
        for key, box in self.sources.items():
            box.setChecked(key == "card_spend")
        for box in self.tiers.values():
            box.setChecked(True)
        today = fmt.qdate(self._services.campaigns.today())
        self.starts_on.setDate(today.addDays(7))
        self.ends_on.setDate(today.addDays(37))
        self.forecast.clear()
        self._update_form_state()
        if self.may_manage:
            self.name_zh.setFocus()

    def _kind_changed(self, *_: object) -> None:
        """Only the chosen kind's own fields are shown (and the days' label says which days)."""
        shown = KIND_FIELDS.get(self.kind.currentData() or "multiplier", ())
        editable = self._form_editable()
        widgets = {"multiplier": self.multiplier, "bonus_points": self.bonus, "target_cny": self.target_cny, "within_days": self.within_days}
        for key in KIND_ROWS:
            for form in self._forms:
                if form.indexOf(self.labels[key]) >= 0:
                    form.setRowVisible(self.labels[key], key in shown)
            if key in widgets:
                widgets[key].setEnabled(key in shown and editable)
        self.labels["within_days"].setText(self._within_days_label())

    def _within_days_label(self) -> str:
        if self.kind.currentData() == "card_approved":
            return self.tr("Approval &within (days)")
        return self.tr("Target &within (days)")

    def _form_editable(self) -> bool:
        view = self._view(self._editing)
        if not self.may_manage:
            return False
        return view is None or (view.status == "draft" and view.created_by == self._context.session.username)

    def _view(self, code: str | None) -> CampaignView | None:
        return next((v for v in self.views if v.code == code), None) if code else None

    def _update_form_state(self) -> None:
        view = self._view(self._editing)
        editable = self._form_editable()
        for widget in (self.name_zh, self.name_en, self.kind, self.stacking, self.branches, self.segment, self.starts_on, self.ends_on, self.budget,
                       self.member_cap, *self.sources.values(), *self.tiers.values()):
            widget.setEnabled(editable)
        self.code.setEnabled(editable and view is None)
        self._kind_changed()
        self.save_button.setEnabled(editable)
        if view is None:
            self.form_title.setText(self.tr("New campaign"))
            self.status_line.setText("")
        else:
            self.form_title.setText(self.tr("Campaign {code}").format(code=view.code))
            self.status_line.setText(self._status_words(view))
        me = self._context.session.username
        self.submit_button.setEnabled(view is not None and view.status == "draft" and editable)
        self.stop_button.setEnabled(view is not None and view.status == "approved")
        refusal = decision_refusal(view, me) if view is not None else "campaign.wrong_status"
        self.decide_button.setEnabled(self.may_manage and refusal is None)
        reason = ""
        if view is not None and view.status == "submitted" and refusal == "campaign.maker_cannot_decide":
            reason = self.tr("Four eyes: you drafted or submitted this campaign, so a second marketer must approve or reject it.")
        elif view is not None and view.status == "draft" and view.created_by and view.created_by != me and self.may_manage:
            reason = self.tr("Only {maker}, who drafted it, may edit or submit this draft.").format(maker=view.created_by)
        self.decide_reason.setText(reason)
        self.decide_button.setToolTip(reason or self.tr("Decide on a submitted campaign (a second person)"))

    def _status_words(self, view: CampaignView) -> str:
        parts = [status_label(view.shown_status)]
        parts.append(self.tr("drafted by {who}").format(who=view.created_by or "?"))
        if view.submitted_by:
            parts.append(self.tr("submitted by {who}").format(who=view.submitted_by))
        if view.status in ("approved", "stopped") and view.decided_by:
            parts.append(self.tr("approved by {who}").format(who=view.decided_by))
        if view.rejection_note and view.status == "draft":
            parts.append(self.tr("rejected by {who}: {note}").format(who=view.decided_by or "?", note=view.rejection_note))
        if view.stop_reason:
            parts.append(self.tr("stopped by {who}: {reason}").format(who=view.stopped_by or "?", reason=view.stop_reason))
        parts.append(self.tr("{spent} of {budget} points awarded to {members} members").format(
            spent=fmt.number(view.spent_points), budget=fmt.number(view.budget_points), members=fmt.number(view.members_reached)))
        return " · ".join(parts)

    def form_values(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        return {
            "name_zh": self.name_zh.text(), "name_en": self.name_en.text(), "kind": kind,
            "multiplier": self.multiplier.text().strip() if kind == "multiplier" else "",
            "bonus_points": self.bonus.text().strip() if kind != "multiplier" else "",
            "within_days": self.within_days.text().strip().replace(",", "") if kind in ("card_approved", "spend_target") else None,
            "target_cny": self.target_cny.text().strip().replace(",", "") if kind == "spend_target" else None,
            "sources": [key for key, box in self.sources.items() if box.isChecked()],
            "tiers": [key for key, box in self.tiers.items() if box.isChecked()],
            "branches": record_form.typed_codes(self.branches),
            "starts_on": fmt.pydate(self.starts_on.date()), "ends_on": fmt.pydate(self.ends_on.date()),
            "budget_points": self.budget.text().strip().replace(",", ""), "member_cap": self.member_cap.text().strip().replace(",", "") or None,
            "stacking": self.stacking.currentData(), "segment": self.segment.currentData() or None,
        }

    def form_problems(self) -> dict[str, str]:
        """Every field the rules refuse, by field, at once (the same check the handlers make)."""
        found = record_form.name_problems(self.name_zh, self.name_en)
        today = self._services.campaigns.today()
        view = self._view(self._editing)
        if view is not None and view.status != "draft":
            today = min(today, view.starts_on)
        try:
            check_draft(self.form_values(), today=today, known_branches=self.branch_codes or None,
                        known_segments=self.segment_codes if self.segment.currentData() else None)
        except CampaignInvalid as invalid:
            for error in invalid.errors:
                found.setdefault(error.field, error_message(error))
        return found

    def _refuse_fields(self, found: dict[str, str]) -> bool:
        """Each problem under its field and, when there are any, that nothing was saved; whether there were any."""
        if self.show_problems(found):
            self.set_banner(self.tr("Correct the marked fields; nothing was saved."), "error")
        return bool(found)

    # ------------------------------------------------------------------ actions

    def save(self) -> None:
        self.clear_errors()
        if self._refuse_fields(self.form_problems()):
            return
        campaigns = self._services.campaigns
        session = self._context.session
        self.set_busy(True)
        if self._editing is None:
            self.write(campaigns.create, operation_id=self._operation_id("create"), session=session, fields=self.form_values(),
                       code=self.code.text().strip() or None, on_result=self._saved, on_error=self._failed)
        else:
            self.write(campaigns.edit, operation_id=self._operation_id(f"edit:{self._editing}"), session=session, code=self._editing,
                       fields=self.form_values(), on_result=self._saved, on_error=self._failed)

    def _operation_id(self, action: str) -> str:
        """The id of ``action``'s operation: made when it starts, the same again until it succeeds."""
        return self._operation_ids.setdefault(action, self._services.campaigns.new_operation_id())

    def submit(self) -> None:
        view = self._view(self._editing)
        if view is None:
            return
        self.set_busy(True)
        campaigns = self._services.campaigns
        self.write(campaigns.submit, operation_id=self._operation_id(f"submit:{view.code}"), session=self._context.session,
                   code=view.code, on_result=self._submitted, on_error=self._failed)

    def _saved(self, view: CampaignView) -> None:
        self.set_busy(False)
        self._operation_ids.pop("create" if self._editing is None else f"edit:{view.code}", None)
        self.set_banner(self.tr("Draft {code} saved. Submit it for a second marketer's approval.").format(code=view.code), "ok")
        self._after(view)

    def _submitted(self, view: CampaignView) -> None:
        self.set_busy(False)
        self._operation_ids.pop(f"submit:{view.code}", None)
        self.set_banner(self.tr("Campaign {code} submitted: a second marketer must approve it.").format(code=view.code), "ok")
        self._after(view)

    def _after(self, view: CampaignView) -> None:
        self._editing = view.code
        self._select_after_load = view.code
        self.sig_saved.emit(view)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self._update_form_state()
        if not self._refuse_fields(self.field_problems(error)):
            self.show_error(error)
        self.sig_failed.emit(error)

    def run_forecast(self) -> None:
        """The forecast of what the form says now (saved or not)."""
        self.clear_errors()
        found = self.form_problems()
        if self._refuse_fields(found):
            return
        self.forecast.start(fields=self.form_values())

    def open_decision(self) -> None:
        view = self._view(self._editing)
        if view is None or decision_refusal(view, self._context.session.username) is not None:
            return
        dialog = DecisionDialog(self._context, view, self)
        dialog.sig_decided.connect(self._decided)
        self.open_dialog("decision_dialog", dialog)

    def _decided(self, view: CampaignView) -> None:
        words = self.tr("Campaign {code} approved.") if view.status == "approved" else self.tr("Campaign {code} rejected: back to draft.")
        self.set_banner(words.format(code=view.code), "ok")
        self._after(view)

    def open_stop(self) -> None:
        view = self._view(self._editing)
        if view is None or view.status != "approved":
            return
        dialog = StopDialog(self._context, view, self)
        dialog.sig_stopped.connect(self._stopped)
        self.open_dialog("stop_dialog", dialog)

    def _stopped(self, view: CampaignView) -> None:
        self.set_banner(self.tr("Campaign {code} stopped after {points} points.").format(code=view.code, points=fmt.number(view.spent_points)),
                        "ok")
        self._after(view)

