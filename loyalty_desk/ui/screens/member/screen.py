"""The member view."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.services.members.dto import HistoryFilter, MemberView, RevealedIdentity
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import HistoryModel, LotsModel
from loyalty_desk.ui.screens.base import Screen, back_title_row
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.member.care import CareActions, frozen_refusal, frozen_text
from loyalty_desk.ui.screens.member.dialogs import RevealDialog
from loyalty_desk.ui.screens.member.models import _Field, _Tile
from loyalty_desk.ui.widgets import (
    NO_DATE,
    Resize,
    add_all,
    column,
    date_range_edits,
    make_action,
    named,
    picked_date,
    push_button,
    record_table,
    refill_combo,
    repolish,
    set_texts,
)


class MemberScreen(Screen):
    sig_loaded = Signal(object)  # MemberView, once shown
    sig_revealed = Signal(object)  # RevealedIdentity
    sig_back = Signal()

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.member_no: str | None = None
        self.view: MemberView | None = None
        self.revealed: RevealedIdentity | None = None
        self.reveal_dialog: RevealDialog | None = None

        # --- top line: back, title, reveal
        self.back_button = push_button(icon("back"), self.sig_back)
        self.title = named(QLabel(), "PageTitle")
        self.reveal_button = push_button(icon("reveal"), self.ask_reveal, shortcut="Ctrl+R")
        # opens the redemption screen for this member
        self.redeem_button = push_button(icon("gift"), self.open_redeem, shortcut="F4", name="RedeemButton")
        self.redeem_button.setVisible(context.session.role in ("officer", "supervisor"))
        self.adjustment_dialog: QDialog | None = None  # the request button sits in the "Pending adjustments" tab
        self.refer_button = push_button(icon("member"), self.ask_referral, name="ReferButton")  # register a client this member refers
        self.refer_button.setVisible(context.session.role in ("officer", "supervisor"))
        self.referral_dialog: QDialog | None = None
        # member statement with preview and print
        self.statement_button = push_button(icon("print"), self.ask_statement, name="StatementButton")
        self.statement_button.setVisible(context.session.role in ("officer", "supervisor"))
        self.statement_dialog: QDialog | None = None
        # the title and the actions on two lines, so that the view fits a 1024 px wide screen in either language
        # member maintenance: Freeze…/Unfreeze…, and Change details with Change mobile…, address…, card… (ui/screens/member/care.py)
        self.care = CareActions(context)
        self.care.sig_changed.connect(self._care_done)
        self.care.sig_refused.connect(lambda text: self.set_banner(text, "error"))
        actions = add_all(QHBoxLayout(), self.redeem_button, self.refer_button, self.statement_button, self.reveal_button, 1)
        top = add_all(QVBoxLayout(), back_title_row(self.back_button, self.title, self.care), actions)
        top.setSpacing(6)

        # --- the member's card
        self.card = named(QFrame(), "Card")
        self.name = named(QLabel(), "MemberName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tier_badge = named(QLabel(), "TierBadge")
        self.status_badge = named(QLabel(), "StatusBadge")
        self.f_member_no, self.f_id, self.f_mobile = _Field(), _Field(), _Field()
        self.f_card, self.f_branch, self.f_joined = _Field(), _Field(), _Field()
        name_row = QHBoxLayout()
        name_row.setSpacing(10)
        name_row.addWidget(self.name)
        name_row.addWidget(self.tier_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        name_row.addWidget(self.status_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        name_row.addStretch(1)
        self.referral_code = named(QLabel(), "ReferralCodeBadge")  # the member's referral code
        self.referral_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name_row.addWidget(self.referral_code, 0, Qt.AlignmentFlag.AlignVCenter)
        grid = QGridLayout()
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(10)
        for i, field in enumerate((self.f_member_no, self.f_id, self.f_mobile, self.f_card, self.f_branch, self.f_joined)):
            grid.addWidget(field, i // 3, i % 3)
        for grid_column in range(3):
            grid.setColumnStretch(grid_column, 1)
        column(self.card, (20, 12, 20, 12), 10, name_row, grid)

        # --- figures
        self.t_available, self.t_posted, self.t_held = _Tile(), _Tile(), _Tile()
        self.t_exp = {30: _Tile(), 60: _Tile(), 90: _Tile()}
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        for tile in (self.t_available, self.t_posted, self.t_held, *self.t_exp.values()):
            tiles.addWidget(tile, 1)

        # --- tier progress
        self.tier_card = named(QFrame(), "Card")
        self.tier_heading = named(QLabel(), "FieldValue")
        self.tier_heading.setWordWrap(True)
        self.tier_bar = QProgressBar()
        self.tier_bar.setTextVisible(False)
        self.tier_next = QLabel()
        self.tier_keep = named(QLabel(), "Muted")
        column(self.tier_card, (20, 8, 20, 8), 6, self.tier_heading, self.tier_bar, add_all(QHBoxLayout(), self.tier_next, 1, self.tier_keep))

        # --- history and lots
        self.history_model = HistoryModel(self._context.runner, parent=self)
        self.history = record_table(self.history_model, resize=Resize.Stretch)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for section in (0, 1, 3, 4, 5):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Interactive)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("KindFilter")
        self.date_from, self.date_to = date_range_edits(130)
        self.kind_label, self.from_label, self.to_label = QLabel(), QLabel(), QLabel()
        self.kind_label.setBuddy(self.kind_filter)
        self.from_label.setBuddy(self.date_from)
        self.to_label.setBuddy(self.date_to)
        self.history_count = named(QLabel(), "Muted")
        filters = add_all(QHBoxLayout(), self.kind_label, self.kind_filter, self.from_label, self.date_from, self.to_label, self.date_to, 1,
                          self.history_count)
        filters.setSpacing(8)
        history_page = QWidget()
        history_box = add_all(QVBoxLayout(history_page), filters, (self.history, 1))
        history_box.setContentsMargins(10, 10, 10, 10)

        self.lots_model = LotsModel(self)
        self.lots = record_table(self.lots_model, resize=Resize.Stretch)
        lots_page = QWidget()
        lots_box = add_all(QVBoxLayout(lots_page), self.lots)
        lots_box.setContentsMargins(10, 10, 10, 10)

        self.tabs = QTabWidget()
        self.tabs.addTab(history_page, icon("history"), "")
        self.tabs.addTab(lots_page, icon("lots"), "")
        from loyalty_desk.ui.screens.adjustments.panel import PendingAdjustmentsPanel

        self.pending_panel = PendingAdjustmentsPanel(context)
        self.pending_panel.sig_changed.connect(lambda: self.open_member(self.member_no) if self.member_no else None)
        self.pending_panel.sig_count.connect(lambda _n: self._pending_tab_text())
        self.pending_panel.sig_request.connect(self.ask_adjustment)
        self.adjust_button = self.pending_panel.request_button
        self.adjust_button.setVisible(context.session.role in ("officer", "supervisor"))
        self.adjust_action = make_action(self, self.ask_adjustment, QKeySequence("F7"))
        self.adjust_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.adjust_action)
        self.tabs.addTab(self.pending_panel, icon("approvals"), "")
        from loyalty_desk.ui.screens.referrals.panel import ReferralsPanel

        self.referrals_panel = ReferralsPanel(context)
        self.referrals_panel.sig_register.connect(self.ask_referral)
        self.tabs.addTab(self.referrals_panel, icon("member"), "")
        from loyalty_desk.ui.screens.member.hints import OfferPanel

        self.offer_panel = OfferPanel(context)
        self.offer_panel.sig_count.connect(lambda _n: self._offer_tab_text())
        self.tabs.addTab(self.offer_panel, icon("gift"), "")
        from loyalty_desk.ui.screens.member.benefits import BenefitsPanel

        self.benefits_panel = BenefitsPanel(context)  # the tier's benefits: "2 of 4 left this year", Use one
        self.tabs.addTab(self.benefits_panel, icon("gift"), "")
        from loyalty_desk.ui.screens.member.card_journey import CardJourneyPanel

        self.journey_panel = CardJourneyPanel()  # a new card's progress, beside the benefits (a seventh tab would not fit 1024 px)
        self.benefits_panel.add_beside(self.journey_panel)
        self.offer_action = make_action(self, self.show_offers, QKeySequence("Ctrl+O"))
        self.offer_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.offer_action)

        # spacing 8: everything, with the history's first rows, fits 700 px high
        self.frozen_banner = named(QLabel(), "FrozenBanner")  # the freeze in force, with its reason
        self.frozen_banner.setWordWrap(True)
        self.frozen_banner.hide()
        column(self, (24, 12, 24, 12), 8, top, self.banner, self.frozen_banner, self.card, tiles, self.tier_card, (self.tabs, 1))

        self.kind_filter.currentIndexChanged.connect(self._filter_changed)
        self.date_from.dateChanged.connect(self._filter_changed)
        self.date_to.dateChanged.connect(self._filter_changed)
        self.history_model.sig_loaded.connect(self._history_loaded)
        self.history_model.sig_failed.connect(lambda error: self.set_banner(error_message(error), "error"))
        self.retranslate()
        self._set_enabled(False)

    # ------------------------------------------------------------------ screen protocol

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.sig_back.emit()
            return
        super().keyPressEvent(event)

    def default_focus(self) -> QWidget:
        return self.reveal_button if self.reveal_button.isEnabled() else self.back_button

    def activate(self, member_no: str | None = None, **_: object) -> None:
        """Opening a member always reads the store, the same member again included: a view kept from
        before a redemption, an approval or a pulled change would show an old balance."""
        member_no = member_no or self.member_no
        if member_no:
            self.open_member(member_no)

    def on_store_changed(self) -> None:
        """The store changed while this member is on show: read everything again, keeping the filters."""
        if self.member_no is not None:
            self._read(self.member_no, keep_history=True)

    def ask_statement(self) -> None:
        """The statement dialog (period, language), then the in-app preview with Print."""
        from loyalty_desk.ui.screens.statements import StatementDialog

        if self.view is None:
            return
        self.statement_dialog = StatementDialog(self._context, self.view.member_no, self)
        self.statement_dialog.open()

    def open_redeem(self) -> None:
        if self.view is not None and self.view.status in ("frozen", "closed"):
            self.set_banner(frozen_refusal(self.view, "redeem"), "error")
        elif self.view is not None:
            self._context.navigate("redeem", member_no=self.view.member_no)

    def ask_adjustment(self) -> None:
        """The manual adjustment request dialog (and, from it, the supervisor's approval)."""
        from loyalty_desk.ui.screens.adjustments.dialogs import AdjustmentRequestDialog

        if self.view is None or self.adjustment_dialog is not None or self._context.session.role not in ("officer", "supervisor"):
            return
        dialog = AdjustmentRequestDialog(self._context, self.view, self)
        dialog.sig_submitted.connect(lambda _o: self.pending_panel.load(self.member_no))
        dialog.sig_decided.connect(lambda _o: self.pending_panel.load(self.member_no))
        self.open_dialog("adjustment_dialog", dialog, self._adjustment_closed)

    def _adjustment_closed(self, _dialog: QDialog, _code: int) -> None:
        if self.member_no:
            self.open_member(self.member_no)  # balances and holds changed

    def ask_referral(self) -> None:
        """The referral registration form, with this member's code filled in."""
        from loyalty_desk.ui.screens.referrals.dialogs import ReferralDialog

        if self.view is None or self.referral_dialog is not None or not self.refer_button.isEnabled():
            return
        if self.view.status in ("frozen", "closed"):
            self.set_banner(frozen_refusal(self.view, "refer"), "error")
            return
        dialog = ReferralDialog(self._context, getattr(self.view, "referral_code", None), self)
        dialog.sig_registered.connect(lambda _o: self.referrals_panel.load(self.member_no))
        dialog.sig_open_member.connect(lambda member_no: self._context.navigate("member", member_no=member_no))
        self.open_dialog("referral_dialog", dialog)

    def show_offers(self) -> None:
        """Ctrl+O: the "Offer now" tab, with the keyboard on its first hint."""
        self.tabs.setCurrentWidget(self.offer_panel)
        self.offer_panel.list.setFocus()

    def _offer_tab_text(self) -> None:
        data = self.offer_panel.data
        count = len(data.hints) if data is not None and data.member_no == self.member_no else 0
        text = self.tr("Offer now ({n})").format(n=fmt.number(count)) if count else self.tr("Offer now")
        self.tabs.setTabText(self.tabs.indexOf(self.offer_panel), text)

    def _pending_tab_text(self) -> None:
        count = len(self.pending_panel.rows)
        text = self.tr("Adjustments ({n} pending)").format(n=fmt.number(count)) if count else self.tr("Adjustments")
        self.tabs.setTabText(self.tabs.indexOf(self.pending_panel), text)

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Member")),
            (self.back_button, self.tr("Back to lookup"), self.tr("Back to member lookup (Esc)")),
            (self.reveal_button, self.tr("Reveal ID and mobile…"), self.tr("Show the full ID number and mobile; asks for a reason (Ctrl+R)")),
            (self.redeem_button, self.tr("Redeem…"), self.tr("Redeem points for a reward (F4)")),
            (self.refer_button, self.tr("Refer a client…"), self.tr("Register a new client referred by this member (F12)")),
            (self.statement_button, self.tr("Statement…"), self.tr("Points statement for a period: preview, print or save as PDF (Ctrl+P)")),
            (self.f_member_no.caption, self.tr("Member no.")),
            (self.f_mobile.caption, self.tr("Mobile")),
            (self.f_card.caption, self.tr("Card")),
            (self.f_branch.caption, self.tr("Branch")),
            (self.f_joined.caption, self.tr("Member since")),
            (self.t_available.caption, self.tr("Available points")),
            (self.t_posted.caption, self.tr("Points balance")),
            (self.t_held.caption, self.tr("Held (pending)")),
            *((tile.caption, self.tr("Expiring within {days} days").format(days=days)) for days, tile in self.t_exp.items()),
            (self.kind_label, self.tr("&Type")),
            (self.from_label, self.tr("&From")),
            (self.to_label, self.tr("T&o")),
        )
        # after setText, which resets a button's shortcut
        self.redeem_button.setShortcut(QKeySequence("F4"))
        self.refer_button.setShortcut(QKeySequence("F12"))
        self.statement_button.setShortcut(QKeySequence("Ctrl+P"))
        self.pending_panel.retranslate()
        self.care.retranslate()
        self.adjust_action.setText(self.adjust_button.text())  # F7: named in Help ▸ Keyboard shortcuts
        self.referrals_panel.retranslate()
        self.tabs.setTabText(self.tabs.indexOf(self.referrals_panel), self.tr("Referrals"))
        self.offer_panel.retranslate()
        self.offer_action.setText(self.tr("Offer now"))  # Ctrl+O: named in Help ▸ Keyboard shortcuts
        self._offer_tab_text()
        self._pending_tab_text()
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("any date"))
        refill_combo(self.kind_filter, [(self.tr("All types"), ""), *((fmt.label(fmt.ENTRY_KINDS, key), key) for key in fmt.ENTRY_KINDS)])
        self.tabs.setTabText(0, self.tr("History"))
        self.tabs.setTabText(1, self.tr("Points lots"))
        self.tabs.setTabText(self.tabs.indexOf(self.benefits_panel), self.tr("Benefits"))
        self.journey_panel.retranslate()
        self.benefits_panel.retranslate()
        self.history_model.retranslate()
        self.lots_model.retranslate()
        if self.view is not None:
            self._show(self.view)

    # ------------------------------------------------------------------ loading

    def open_member(self, member_no: str) -> None:
        self.member_no = member_no
        self.view = None
        self.revealed = None
        self._set_enabled(False)
        self.set_banner("", "")
        self.offer_panel.clear()
        self.benefits_panel.clear()
        self.title.setText(self.tr("Member {member_no}").format(member_no=member_no))
        self.kind_filter.blockSignals(True)
        self.kind_filter.setCurrentIndex(0)
        self.kind_filter.blockSignals(False)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
            edit.setDate(NO_DATE)
            edit.blockSignals(False)
        self._read(member_no)

    def _read(self, member_no: str, *, keep_history: bool = False) -> None:
        """The member's view, history, pending requests and referrals, read from the store on workers."""
        request = self.supersede("load")
        self.run(
            self._services.members.view,
            member_no=member_no,
            on_result=lambda view: self._view_arrived(request, view),
            on_error=lambda error: self._view_failed(request, error),
        )
        self._reload_history(keep_rows=keep_history)
        self.pending_panel.load(member_no)
        self.referrals_panel.load(member_no)
        self.offer_panel.load(member_no)
        self.benefits_panel.load(member_no)

    def _view_arrived(self, request: int, view: MemberView) -> None:
        if not self.is_latest("load", request):
            return
        self.view = view
        self._show(view)
        self._set_enabled(True)
        self.sig_loaded.emit(view)

    def _view_failed(self, request: int, error: BaseException) -> None:
        if not self.is_latest("load", request):
            return
        self.set_banner(error_message(error), "error")
        self.sig_failed.emit(error)

    def current_filter(self) -> HistoryFilter:
        kind = self.kind_filter.currentData() or ""
        return HistoryFilter(
            kinds=(kind,) if kind else (),
            date_from=picked_date(self.date_from),
            date_to=picked_date(self.date_to),
        )

    def _filter_changed(self, *_: object) -> None:
        self._reload_history()

    def _reload_history(self, *, keep_rows: bool = False) -> None:
        member_no = self.member_no
        if member_no is None:
            self.history_model.set_loader(None)
            return
        history_filter = self.current_filter()
        members = self._services.members

        def load(offset: int, limit: int):  # runs on a worker thread
            return members.history(member_no=member_no, offset=offset, limit=limit, filter=history_filter)

        self.history_model.set_loader(load, keep_rows=keep_rows)

    def _history_loaded(self, rows: int, total: int) -> None:
        header = self.history.horizontalHeader()
        for section in (0, 1, 3, 4, 5):
            header.resizeSection(section, max(header.sectionSizeHint(section), self.history.sizeHintForColumn(section)) + 12)
        self.history_count.setText(self.tr("{rows} of {total} entries").format(rows=fmt.number(rows), total=fmt.number(total)))

    # ------------------------------------------------------------------ showing

    def _show(self, view: MemberView) -> None:
        self.title.setText(self.tr("Member {member_no}").format(member_no=view.member_no))
        self.name.setText(view.name)
        self.tier_badge.setText(fmt.tier(view.tier.tier))
        self.tier_badge.setProperty("tier", view.tier.tier)
        repolish(self.tier_badge)
        self.status_badge.setText(fmt.label(fmt.STATUSES, view.status))
        self.status_badge.setProperty("status", view.status)
        repolish(self.status_badge)
        self.f_member_no.value.setText(
            self.tr("{member_no} (provisional)").format(member_no=view.member_no) if view.member_no_provisional else view.member_no
        )
        self.f_member_no.value.setToolTip(
            self.tr("Given at this desk while head office could not be reached; head office gives the final number at the next sync.")
            if view.member_no_provisional else ""
        )
        self.f_id.caption.setText(fmt.label(fmt.ID_TYPES, view.id_type))
        revealed = self.revealed if self.revealed and self.revealed.member_no == view.member_no else None
        self.f_id.value.setText(revealed.id_number if revealed else view.masked_id)
        self.f_mobile.value.setText(revealed.mobile if revealed else view.masked_mobile)
        self.f_card.value.setText(view.masked_card or self.tr("no card"))
        branch_name = view.branch_name_zh if self._context.settings.language == "zh_CN" else view.branch_name_en
        self.f_branch.value.setText(f"{branch_name} ({view.branch_code})")
        self.f_joined.value.setText(fmt.day(view.joined_on))
        code = getattr(view, "referral_code", None)
        self.referral_code.setText(self.tr("Referral code {code}").format(code=f"{code[:4]} {code[4:]}") if code else "")
        self.t_available.set(view.available_balance)
        self.t_posted.set(view.posted_balance)
        self.t_held.set(view.held_points)
        expiring = {e.within_days: e.points for e in view.expiring}
        for days, tile in self.t_exp.items():
            tile.set(expiring.get(days, 0), warn=True)
        self._show_tier(view)
        self.lots_model.set_rows(view.lots)
        self.care.show_member(view)
        # a frozen member earns nothing, so the way to the next tier gives way to the freeze line (the view still fits 700 px)
        self.tier_card.setVisible(view.freeze is None)
        self.frozen_banner.setText(frozen_text(view))
        self.frozen_banner.setVisible(view.freeze is not None or view.status == "closed")
        self.tabs.setTabText(1, self.tr("Points lots ({n})").format(n=fmt.number(len(view.lots))))
        self.journey_panel.show_journey(view.card_journey)

    def _show_tier(self, view: MemberView) -> None:
        tier = view.tier
        self.tier_heading.setText(
            self.tr("{tier} member · {points} qualifying points in the last 12 months").format(
                tier=fmt.tier(tier.tier), points=fmt.number(tier.qualifying_points)
            )
        )
        if tier.next_tier is None or tier.points_to_next is None:
            self.tier_bar.setRange(0, 1)
            self.tier_bar.setValue(1)
            self.tier_next.setText(self.tr("Highest tier reached."))
        else:
            target = tier.qualifying_points + tier.points_to_next
            self.tier_bar.setRange(0, max(target, 1))
            self.tier_bar.setValue(min(tier.qualifying_points, target))
            self.tier_next.setText(
                self.tr("{points} points to reach {tier}").format(points=fmt.number(tier.points_to_next), tier=fmt.tier(tier.next_tier))
            )
        if tier.downgrade_due_on and tier.downgrade_to and tier.keep_points_needed:  # warned at the last review
            self.tier_keep.setText(
                self.tr("Downgrade to {tier} due at the review on {date} unless {points} more points").format(
                    tier=fmt.tier(tier.downgrade_to), date=fmt.day(tier.downgrade_due_on), points=fmt.number(tier.keep_points_needed)
                )
            )
        elif tier.keep_points_needed and tier.keep_by:
            self.tier_keep.setText(
                self.tr("{points} points by {date} to keep {tier}").format(
                    points=fmt.number(tier.keep_points_needed), date=fmt.day(tier.keep_by), tier=fmt.tier(tier.tier)
                )
            )
        elif tier.keep_by:
            self.tier_keep.setText(self.tr("{tier} is kept at the review on {date}").format(tier=fmt.tier(tier.tier), date=fmt.day(tier.keep_by)))
        else:
            self.tier_keep.setText("")

    def _set_enabled(self, enabled: bool) -> None:
        self.reveal_button.setEnabled(enabled)
        self.redeem_button.setEnabled(enabled)
        self.adjust_button.setEnabled(enabled)
        self.statement_button.setEnabled(enabled)
        self.refer_button.setEnabled(enabled and bool(getattr(self.view, "referral_code", None)))
        if not enabled:
            self.referral_code.setText("")
        if not enabled:
            self.care.show_member(None)
            self.frozen_banner.hide()
            self.tier_card.show()
            self.name.setText("")
            for field in (self.f_member_no, self.f_id, self.f_mobile, self.f_card, self.f_branch, self.f_joined):
                field.value.setText("–")
            self.f_id.caption.setText(self.tr("ID number"))
            self.tier_badge.setText("")
            self.status_badge.setText("")
            self.lots_model.set_rows(())


    def _care_done(self, kind: str, outcome: Any) -> None:
        """After a freeze, an unfreeze or a change of mobile, address or card: the member read again, and what was done said."""
        if kind == "freeze":
            text = self.tr("The member is frozen ({reason}).").format(reason=fmt.freeze_reason(outcome.freeze_reason))
        elif kind == "unfreeze":
            text = self.tr("The freeze is lifted; the member may redeem again.")
        elif kind == "close":
            text = self.tr("The account is closed; {points} points forfeited.").format(points=fmt.number(outcome.forfeited))
        elif kind == "preferences":
            text = self.tr("Message preferences saved: messages in {language}, marketing messages {choice}.").format(
                language="English" if outcome.language == "en" else "中文",
                choice=self.tr("refused") if outcome.opted_out else self.tr("accepted"))
        elif kind == "address":
            text = self.tr("The address is changed; the old one is kept in the audit trail.")
        elif kind == "card":
            text = self.tr("The card is now {card}; the old one is kept in the audit trail.").format(card=outcome.masked_card or "–")
        else:
            text = self.tr("The mobile is now {mobile}; the old one is kept in the audit trail.").format(mobile=outcome.masked_mobile)
        if self.member_no:
            self._read(self.member_no)
        self.set_banner(text, "")

    # ------------------------------------------------------------------ reveal

    def ask_reveal(self) -> None:
        view = self.view
        if view is None or self.reveal_dialog is not None:
            return
        self.open_dialog("reveal_dialog", RevealDialog(view.member_no, view.masked_name, self), self._reveal_answered)

    def _reveal_answered(self, dialog: RevealDialog, code: int) -> None:
        view = self.view
        if code != QDialog.DialogCode.Accepted or view is None:
            return
        self.reveal(dialog.reason_text())

    def reveal(self, reason: str) -> None:
        view = self.view
        assert view is not None
        member_no = view.member_no
        self.write(
            self._services.members.reveal,
            session=self._context.session,
            member_no=member_no,
            reason=reason,
            on_result=self._revealed,
            on_error=self.report_failure,
        )

    def _revealed(self, identity: RevealedIdentity) -> None:
        if self.view is None or identity.member_no != self.view.member_no:
            return
        self.revealed = identity
        self.f_id.value.setText(identity.id_number)
        self.f_mobile.value.setText(identity.mobile)
        self.set_banner(self.tr("Full ID and mobile shown; the reveal is recorded in the audit trail."), "")
        self.sig_revealed.emit(identity)
