"""The branch dashboard: today's and this month's work at the branch, what waits for its supervisors
(with the way to the approvals queue), rewards low on stock and the 12-month trend as a chart with its
table. Read off the UI thread from the analytics aggregates (``services/analytics/dashboard.py``).

The supervisor's home screen after sign-in; officers open it from the navigation (Ctrl+Shift+D) and
see their branch; head office and auditors choose a branch or every branch.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget

from loyalty_desk.ui import fmt
from loyalty_desk.ui.charts import chart_view
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.base import Screen, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.dashboard.models import TrendModel, trend_chart
from loyalty_desk.ui.widgets import Resize, add_all, fill_branch_chooser, named, push_button, record_table, set_texts

FIGURES = ("members_served", "redemptions", "points_redeemed", "referrals", "adjustments_requested")
EVERY_BRANCH = "*"


class DashboardScreen(Screen):
    sig_loaded = Signal(object)  # the Dashboard shown

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._session = context.session
        self.dashboard: Any = None
        self.branch = named(QComboBox(), "DashboardBranch")
        self.branch.setVisible(False)
        self.branch.activated.connect(lambda _index: self.refresh())
        top = self.title_line(None, self.branch)

        self.figures_card = named(QFrame(), "Card")
        grid = QGridLayout(self.figures_card)
        grid.setContentsMargins(16, 10, 16, 10)
        grid.setHorizontalSpacing(16)
        self.today_caption, self.month_caption = named(QLabel(), "SectionTitle"), named(QLabel(), "SectionTitle")
        grid.addWidget(self.today_caption, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.month_caption, 0, 2, Qt.AlignmentFlag.AlignRight)
        self.captions: dict[str, QLabel] = {}
        self.today_values: dict[str, QLabel] = {}
        self.month_values: dict[str, QLabel] = {}
        for row, key in enumerate(FIGURES, start=1):
            self.captions[key] = named(QLabel(), "FieldLabel")
            self.today_values[key] = named(QLabel(), f"Today-{key}")
            self.month_values[key] = named(QLabel(), f"Month-{key}")
            grid.addWidget(self.captions[key], row, 0)
            grid.addWidget(self.today_values[key], row, 1, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(self.month_values[key], row, 2, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(3, 1)

        self.waiting_card = named(QFrame(), "Card")
        waiting = QGridLayout(self.waiting_card)
        waiting.setContentsMargins(16, 10, 16, 10)
        self.approvals_caption, self.approvals_value = named(QLabel(), "FieldLabel"), named(QLabel(), "WaitingForApproval")
        self.open_approvals = push_button(icon("approvals"), lambda: context.navigate("approvals"), name="OpenApprovals")
        self.open_approvals.setVisible(self._session.role == "supervisor")  # the approvals queue is the supervisor's
        self.exceptions_caption, self.exceptions_value = named(QLabel(), "FieldLabel"), named(QLabel(), "SyncExceptionsOpen")
        self.open_sync = push_button(icon("refresh"), lambda: context.navigate("sync"), name="OpenSync")
        self.open_sync.setVisible(self._session.role in ("officer", "supervisor"))
        self.stock_caption, self.stock_value = named(QLabel(), "FieldLabel"), named(QLabel(), "LowStock")
        self.stock_value.setWordWrap(True)
        for row, (caption, value, button) in enumerate((
            (self.approvals_caption, self.approvals_value, self.open_approvals),
            (self.exceptions_caption, self.exceptions_value, self.open_sync),
            (self.stock_caption, self.stock_value, None),
        )):
            caption.setWordWrap(True)
            waiting.addWidget(caption, row, 0)
            if button is not None:
                waiting.addWidget(value, row, 1)
                waiting.addWidget(button, row, 2)
            else:
                waiting.addWidget(value, row, 1, 1, 2)
        waiting.setColumnStretch(1, 1)

        self.trend_caption = named(QLabel(), "SectionTitle")
        self.chart, self.chart_view = chart_view("TrendChart", margin=4, min_height=200)
        self.trend_model = TrendModel(self)
        self.trend_table = record_table(self.trend_model, resize=Resize.ResizeToContents, row_height=22)
        trend = QHBoxLayout()
        add_all(trend, (self.chart_view, 3), (self.trend_table, 2))

        cards = QHBoxLayout()
        add_all(cards, (self.figures_card, 1), (self.waiting_card, 1))
        page_layout(self, top, self.banner, cards, self.trend_caption, (trend, 1))
        self.retranslate()

    # ------------------------------------------------------------------ state

    def default_focus(self) -> QWidget:
        return self.open_approvals if self.open_approvals.isVisible() else self.trend_table

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Branch dashboard")),
            (self.refresh_button, self.tr("Refresh"), self.tr("Reload this page (F5)")),
            (self.today_caption, self.tr("Today")),
            (self.month_caption, self.tr("This month")),
            (self.captions["members_served"], self.tr("Members served")),
            (self.captions["redemptions"], self.tr("Redemptions")),
            (self.captions["points_redeemed"], self.tr("Points redeemed")),
            (self.captions["referrals"], self.tr("Referrals registered")),
            (self.captions["adjustments_requested"], self.tr("Adjustments requested")),
            (self.approvals_caption, self.tr("Adjustments waiting for approval")),
            (self.open_approvals, self.tr("Open approvals queue"), self.tr("Open the approvals queue (F6)")),
            (self.exceptions_caption, self.tr("Sync exceptions open")),
            (self.open_sync, self.tr("Open sync status"), self.tr("Open the sync status and its exceptions")),
            (self.stock_caption, self.tr("Rewards low on stock")),
            (self.trend_caption, self.tr("The last 12 months")),
        )
        self.trend_model.retranslate()
        if self.dashboard is not None:
            self._show(self.dashboard)

    def on_store_changed(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------ loading

    def _wanted(self) -> str | None:
        if not self.branch.isVisible() or self.branch.currentIndex() < 0:
            return ""  # the user's own branch
        code = self.branch.currentData()
        return None if code == EVERY_BRANCH else str(code)

    def refresh(self) -> None:
        self.run_latest("load", self._services.dashboard.read, session=self._session, branch_code=self._wanted(),
                        on_result=self._loaded, on_error=self.show_error)

    def _loaded(self, dashboard: Any) -> None:
        self.dashboard = dashboard
        self.set_banner("")
        self._show(dashboard)
        self.sig_loaded.emit(dashboard)

    def _show(self, dashboard: Any) -> None:
        fill_branch_chooser(self.branch, dashboard, EVERY_BRANCH, self.tr("All branches"))
        for key in FIGURES:
            self.today_values[key].setText(fmt.number(getattr(dashboard.today, key)))
            self.month_values[key].setText(fmt.number(getattr(dashboard.month, key)))
        self.approvals_value.setText(fmt.number(dashboard.waiting_for_approval))
        self.exceptions_value.setText(fmt.number(dashboard.sync_exceptions_open))
        english = QLocale().language() != QLocale.Language.Chinese
        if dashboard.low_stock:
            self.stock_value.setText(", ".join(
                self.tr("%1 (%2 left)").replace("%1", item.name_en if english else item.name_zh).replace("%2", fmt.number(item.on_hand))
                for item in dashboard.low_stock
            ))
        else:
            self.stock_value.setText(self.tr("none at %1 or fewer").replace("%1", fmt.number(dashboard.low_stock_at)))
        self.trend_model.set_rows(dashboard.trend)
        trend_chart(self.chart, dashboard.trend)
