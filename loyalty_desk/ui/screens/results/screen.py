"""Programme results (head office and auditors; a branch's staff see their branch): the figures of a
period of whole months for every branch or one, every tier or one, read off the UI thread with progress
(``services/analytics/results.py``). Each chart has its table beside it; double-clicking a row opens
the entries, redemptions, referrals or members behind it, a page at a time. The view exports to Excel
(native charts) and PDF, audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCharts import QChart
from PySide6.QtCore import QLocale, QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QFrame, QGridLayout, QHBoxLayout, QLabel, QTableView, QTabWidget, QVBoxLayout, QWidget

from loyalty_desk.domain.dates import add_months
from loyalty_desk.ui import fmt
from loyalty_desk.ui.charts import chart_view
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import ROW_ROLE
from loyalty_desk.ui.screens.base import Screen, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.results.models import (
    DrillModel,
    Line,
    LinesModel,
    bar_chart,
    campaign_lines,
    campaign_spend_lines,
    category_lines,
    category_text,
    funnel_lines,
    grouped_bar_chart,
    line_chart,
    month_lines,
    rate,
    source_lines,
    source_text,
    summary_lines,
    tier_lines,
    tier_move_lines,
)
from loyalty_desk.ui.widgets import Resize, add_all, close_button, fill_branch_chooser, named, push_button, record_table, set_texts

EVERY = "*"
MONTHS_OFFERED = 36
HEADLINES = ("active", "participation", "issued", "redeemed", "redemption_rate", "retention")


class ResultsScreen(Screen):
    sig_loaded = Signal(object)  # the ProgrammeResults shown
    sig_exported = Signal(object)  # the ResultsExport written

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._session = context.session
        self.results: Any = None
        self.drill_dialog: DrillDialog | None = None
        self.first_month, self.last_month = named(QComboBox(), "ResultsFrom"), named(QComboBox(), "ResultsTo")
        today = self._services.results.today().replace(day=1)
        for offset in range(MONTHS_OFFERED):
            month = add_months(today, -offset)
            for months in (self.first_month, self.last_month):
                months.addItem(f"{month.year:04d}-{month.month:02d}", f"{month.year:04d}-{month.month:02d}")
        self.first_month.setCurrentIndex(11)
        self.last_month.setCurrentIndex(0)
        self.branch, self.tier = named(QComboBox(), "ResultsBranch"), named(QComboBox(), "ResultsTier")
        self.branch.setVisible(False)
        for chooser in (self.first_month, self.last_month, self.branch, self.tier):
            chooser.activated.connect(lambda _index: self.refresh())
        self.from_label, self.to_label, self.branch_label, self.tier_label = (named(QLabel(), "FieldLabel") for _ in range(4))
        filters = QHBoxLayout()
        add_all(filters, self.from_label, self.first_month, self.to_label, self.last_month, self.branch_label, self.branch,
                self.tier_label, self.tier, 1)
        self.export_xlsx = push_button(icon("print"), self.ask_export_xlsx, name="ExportResultsXlsx")
        self.export_pdf = push_button(icon("print"), self.ask_export_pdf, name="ExportResultsPdf")
        top = self.title_line(None, self.export_xlsx, self.export_pdf)

        self.headline_card = named(QFrame(), "Card")
        grid = QGridLayout(self.headline_card)
        grid.setContentsMargins(12, 6, 12, 6)
        self.headline_captions: dict[str, QLabel] = {}
        self.headline_values: dict[str, QLabel] = {}
        for column, key in enumerate(HEADLINES):
            self.headline_captions[key] = named(QLabel(), "FieldLabel")
            self.headline_captions[key].setWordWrap(True)
            self.headline_values[key] = named(QLabel(), f"Headline-{key}")
            grid.addWidget(self.headline_captions[key], 0, column)
            grid.addWidget(self.headline_values[key], 1, column)
            grid.setColumnStretch(column, 1)

        self.tabs = named(QTabWidget(), "ResultsTabs")
        self.models: dict[str, LinesModel] = {}
        self.tables: dict[str, QTableView] = {}
        self.charts: dict[str, QChart] = {}
        for key, with_chart in (("summary", False), ("months", True), ("sources", True), ("categories", True), ("tiers", True),
                                ("moves", True), ("referrals", True), ("campaigns", False)):
            page = QWidget()
            box = QHBoxLayout(page)
            box.setContentsMargins(4, 4, 4, 4)
            model = self.models[key] = LinesModel(parent=self)
            table = self.tables[key] = record_table(model, resize=Resize.ResizeToContents, row_height=22)
            table.setObjectName(f"ResultsTable-{key}")
            table.doubleClicked.connect(lambda index, key=key: self.open_drill(key, index))
            if with_chart:
                self.charts[key], view = chart_view(f"ResultsChart-{key}", margin=2, min_height=180)
                # the months' chart is the wide one; the tier moves' table names whole branches
                view_share, table_share = {"months": (5, 4), "moves": (3, 5)}.get(key, (4, 5))
                add_all(box, (view, view_share), (table, table_share))
            elif key == "campaigns":
                box.setDirection(QHBoxLayout.Direction.TopToBottom)
                spend = self.models["campaign_spend"] = LinesModel(parent=self)
                spend_table = self.tables["campaign_spend"] = record_table(spend, resize=Resize.ResizeToContents, row_height=22)
                spend_table.setObjectName("ResultsTable-campaign_spend")
                spend_table.doubleClicked.connect(lambda index: self.open_drill("campaign_spend", index))
                self.spend_caption, self.spend_note = named(QLabel(), "FieldLabel"), named(QLabel(), "Hint")
                self.spend_note.setWordWrap(True)
                add_all(box, (table, 2), self.spend_caption, (spend_table, 3), self.spend_note)
            else:
                add_all(box, (table, 1))
            self.tabs.addTab(page, "")
        self.hint = named(QLabel(), "Hint")
        self.hint.setWordWrap(True)
        page_layout(self, top, filters, self.banner, self.headline_card, (self.tabs, 1), self.hint)
        self.retranslate()

    # ------------------------------------------------------------------ state

    def default_focus(self) -> QWidget:
        return self.first_month

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Programme results")),
            (self.refresh_button, self.tr("Refresh"), self.tr("Reload this page (F5)")),
            (self.from_label, self.tr("From")),
            (self.to_label, self.tr("To")),
            (self.branch_label, self.tr("Branch")),
            (self.tier_label, self.tr("Tier")),
            (self.export_xlsx, self.tr("Export to Excel"), self.tr("Save this view as an Excel workbook with its charts")),
            (self.export_pdf, self.tr("Export to PDF"), self.tr("Save this view as a PDF")),
            (self.headline_captions["active"], self.tr("Active members")),
            (self.headline_captions["participation"], self.tr("Participation rate")),
            (self.headline_captions["issued"], self.tr("Points issued")),
            (self.headline_captions["redeemed"], self.tr("Points redeemed")),
            (self.headline_captions["redemption_rate"], self.tr("Redemption rate")),
            (self.headline_captions["retention"], self.tr("Retention rate")),
            (self.spend_caption, self.tr("Card spend of participants against eligible members who did not take part")),
            (self.spend_note, self.tr(
                "Incremental spend = (average card spend of participants − average of eligible members not taking part) × participants, over "
                "the months of the period the campaign ran in, net of refunds and reversals; return per CNY = incremental spend ÷ cost. "
                "Participants: the members the campaign awarded in the period. Eligible: members of its branches (every branch when it names none) and "
                "tiers who had joined by the period's end. * A segment campaign's segment is not evaluated: the members of its branches "
                "and tiers stand for those eligible.")),
            (self.hint, self.tr("Double-click a row to see the entries or members behind it. Members count under their home branch and tier as they are now.")),
        )
        self.branch_label.setVisible(self.branch.isVisible())
        self.tier.blockSignals(True)
        current = self.tier.currentData()
        self.tier.clear()
        self.tier.addItem(self.tr("All tiers"), EVERY)
        for key in ("standard", "silver", "gold", "platinum"):
            self.tier.addItem(fmt.tier(key), key)
        self.tier.setCurrentIndex(max(0, self.tier.findData(current)))
        self.tier.blockSignals(False)
        for index, text in enumerate((self.tr("Summary"), self.tr("By month"), self.tr("By source"), self.tr("By category"),
                                      self.tr("Tiers"), self.tr("Tier moves"), self.tr("Referrals", "the tab of the referral funnel"),
                                      self.tr("Campaigns"))):
            self.tabs.setTabText(index, text)
        headers = {
            "summary": [self.tr("Figure"), self.tr("Value"), self.tr("CNY")],
            "months": [self.tr("Month"), self.tr("Issued"), self.tr("Redeemed"), self.tr("Expired")],
            "sources": [self.tr("Source"), self.tr("Points"), self.tr("Entries"), self.tr("CNY")],
            "categories": [self.tr("Category"), self.tr("Points"), self.tr("Redemptions"), self.tr("CNY")],
            "tiers": [self.tr("Tier"), self.tr("Members")],
            "moves": [self.tr("Home branch"), self.tr("Moved up"), self.tr("Moved down")],
            "referrals": [self.tr("Stage"), self.tr("Referrals")],
            "campaigns": [self.tr("Campaign"), self.tr("Points"), self.tr("Members reached"), self.tr("Cost (CNY)")],
            "campaign_spend": [self.tr("Campaign"), self.tr("Incremental spend (CNY)"), self.tr("Return per CNY"), self.tr("Participants"),
                               self.tr("Average spend (CNY)"), self.tr("Eligible, not taking part"),
                               self.tr("Average spend (CNY)", "of the members not taking part"), self.tr("Months compared")],
        }
        for key, model in self.models.items():
            model.set_headers(headers[key])
        if self.results is not None:
            self._show(self.results)

    def on_store_changed(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------ loading

    def scope(self) -> dict[str, Any]:
        branch = self.branch.currentData() if self.branch.isVisible() else None
        tier = self.tier.currentData()
        return {
            "session": self._session,
            "first_month": self.first_month.currentData(),
            "last_month": self.last_month.currentData(),
            "branch_code": None if branch in (None, EVERY) else str(branch),
            "tier": None if tier in (None, EVERY) else str(tier),
        }

    def refresh(self) -> None:
        scope = self.scope()
        read = self._services.results.read

        def job(state: Any) -> Any:
            return read(**scope, progress=state.set_progress)

        self.run_latest("load", job, progress=True, progress_parent=self, progress_title=self.tr("Reading the programme results"),
                        on_result=self._loaded, on_error=self.show_error)

    def _loaded(self, results: Any) -> None:
        self.results = results
        self.set_banner("")
        self._show(results)
        self.sig_loaded.emit(results)

    def _show(self, results: Any) -> None:
        self.branch_label.setVisible(fill_branch_chooser(self.branch, results, EVERY, self.tr("All branches")))
        english = QLocale().language() != QLocale.Language.Chinese
        values = {
            "active": fmt.number(results.active), "participation": rate(results.participation_rate), "issued": fmt.number(results.issued),
            "redeemed": fmt.number(results.redeemed), "redemption_rate": rate(results.redemption_rate), "retention": rate(results.retention_rate),
        }
        for key, text in values.items():
            self.headline_values[key].setText(text)
        lines = {
            "summary": summary_lines(results), "months": month_lines(results), "sources": source_lines(results),
            "categories": category_lines(results), "tiers": tier_lines(results),
            "moves": tier_move_lines(results, {b.code: b.name_en if english else b.name_zh for b in results.branches}), "referrals": funnel_lines(results),
            "campaigns": campaign_lines(results, english),
            "campaign_spend": campaign_spend_lines(results, english),
        }
        for key, rows in lines.items():
            self.models[key].set_rows(rows)
        line_chart(self.charts["months"], results)
        positive = [s for s in results.issued_by_source if s.points > 0]
        bar_chart(self.charts["sources"], [source_text(s.source) for s in positive], [s.points for s in positive], self.tr("Points issued"), horizontal=True)
        bar_chart(self.charts["categories"], [category_text(c.category) for c in results.redeemed_by_category],
                  [c.points for c in results.redeemed_by_category], self.tr("Points redeemed"), horizontal=True)
        bar_chart(self.charts["tiers"], [fmt.tier(t.tier) for t in results.tiers], [t.members for t in results.tiers], self.tr("Members"))
        moved = [m for m in results.tier_moves if m.branch_code]
        grouped_bar_chart(self.charts["moves"], [str(m.branch_code) for m in moved],
                          [(self.tr("Moved up"), [m.up for m in moved]), (self.tr("Moved down"), [m.down for m in moved])])
        funnel = results.referrals
        bar_chart(self.charts["referrals"], [line.cells[0] for line in lines["referrals"]],
                  [funnel.registered, funnel.qualified, funnel.rewarded, funnel.clawed_back], self.tr("Referrals"), horizontal=True, labels=True)

    # ------------------------------------------------------------------ drill-down

    def open_drill(self, table: str, index: QModelIndex) -> None:
        line = self.models[table].data(index, ROW_ROLE)
        if not isinstance(line, Line) or line.figure is None or self.drill_dialog is not None:
            return
        scope = self.scope()
        drill = self._services.results.drill
        figure, key = line.figure, line.key

        def loader(offset: int, limit: int) -> Any:
            return drill(**scope, figure=figure, key=key, offset=offset, limit=limit)

        dialog = DrillDialog(self._context.runner, loader, f"{line.cells[0]} · {self.first_month.currentText()} – {self.last_month.currentText()}", self)
        self.open_dialog("drill_dialog", dialog)

    # ------------------------------------------------------------------ export

    def ask_export_xlsx(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to Excel"), str(Path.home() / "programme-results.xlsx"),
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_to(Path(path), "xlsx")

    def ask_export_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to PDF"), str(Path.home() / "programme-results.pdf"), self.tr("PDF files (*.pdf)"))
        if path:
            self.export_to(Path(path), "pdf")

    def export_to(self, path: Path, kind: str) -> None:
        language = "zh_CN" if self._context.settings.language == "zh_CN" else "en"
        target = {"xlsx": path} if kind == "xlsx" else {"pdf": path}
        self.write(self._services.results.produce, **self.scope(), **target, language=language, on_result=self._exported, on_error=self.report_failure)

    def _exported(self, done: Any) -> None:
        self.set_banner(self.tr("Saved {file}.").format(file=done.xlsx or done.pdf))
        self.sig_exported.emit(done)


class DrillDialog(QDialog):
    """The rows behind one figure, fetched a page at a time as the list scrolls."""

    def __init__(self, runner: Any, loader: Any, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ResultsDrill")
        self.setWindowTitle(self.tr("Behind the figure"))
        self.heading = named(QLabel(heading), "SectionTitle")
        self.count = named(QLabel(), "Hint")
        self.model = DrillModel(runner, parent=self)
        self.table = record_table(self.model, resize=Resize.ResizeToContents, row_height=22)
        self.model.sig_loaded.connect(self._counted)
        self.model.sig_failed.connect(lambda error: self.count.setText(error_message(error)))
        box = QVBoxLayout(self)
        add_all(box, self.heading, (self.table, 1), self.count, close_button(self, self.tr("Close")))
        self.setMinimumSize(780, 460)
        self.model.set_loader(loader)

    def _counted(self, held: int, total: int) -> None:
        self.count.setText(self.tr("%1 of %2 row(s) shown").replace("%1", fmt.number(held)).replace("%2", fmt.number(total)))
