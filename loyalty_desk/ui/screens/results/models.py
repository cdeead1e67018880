"""The programme results' tables (each chart's rows) and charts drawn from the same rows, and the lazy
list of what is behind a figure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QHorizontalBarSeries, QLineSeries, QValueAxis
from PySide6.QtCore import QCoreApplication, QLocale, Qt

from loyalty_desk.services.analytics.dto import DrillRow, ProgrammeResults
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.charts import clear_chart
from loyalty_desk.ui.models import HistoryModel, _RowsModel

CATEGORIES = {
    "physical_gift": QT_TRANSLATE_NOOP("Results", "Physical gifts"),
    "voucher": QT_TRANSLATE_NOOP("Results", "Vouchers"),
    "cash_rebate": QT_TRANSLATE_NOOP("Results", "Cash rebates"),
    "service_privilege": QT_TRANSLATE_NOOP("Results", "Service privileges"),
    "other": QT_TRANSLATE_NOOP("Results", "Other (no redemption record)"),
}
SOURCES_EXTRA = {
    "clawback": QT_TRANSLATE_NOOP("Results", "Claw-backs"),
    "reversed": QT_TRANSLATE_NOOP("Results", "Earnings reversed"),
}
LABELS = {
    "none": QT_TRANSLATE_NOOP("Results", "n/a"),
    "members": QT_TRANSLATE_NOOP("Results", "Members (joined by the period's end)"),
    "active": QT_TRANSLATE_NOOP("Results", "Active members (earned or redeemed)"),
    "participation": QT_TRANSLATE_NOOP("Results", "Participation rate (active / members)"),
    "active_previous": QT_TRANSLATE_NOOP("Results", "Active in the previous period"),
    "retained": QT_TRANSLATE_NOOP("Results", "Active in both periods"),
    "retention": QT_TRANSLATE_NOOP("Results", "Retention rate"),
    "issued": QT_TRANSLATE_NOOP("Results", "Points issued"),
    "redeemed": QT_TRANSLATE_NOOP("Results", "Points redeemed"),
    "expired": QT_TRANSLATE_NOOP("Results", "Points expired"),
    "redemption_rate": QT_TRANSLATE_NOOP("Results", "Redemption rate (redeemed / issued)"),
    "breakage": QT_TRANSLATE_NOOP("Results", "Breakage (expired / issued)"),
    "conversion": QT_TRANSLATE_NOOP("Results", "Referral conversion (rewarded and kept / registered)"),
    "date": QT_TRANSLATE_NOOP("Results", "Date"),
    "member_number": QT_TRANSLATE_NOOP("Results", "Member number"),
    "name": QT_TRANSLATE_NOOP("Results", "Name"),
    "points": QT_TRANSLATE_NOOP("Results", "Points"),
    "what": QT_TRANSLATE_NOOP("Results", "What"),
    "reference": QT_TRANSLATE_NOOP("Results", "Reference"),
    "moved_up": QT_TRANSLATE_NOOP("Results", "Moved up"),
    "moved_down": QT_TRANSLATE_NOOP("Results", "Moved down"),
    "total": QT_TRANSLATE_NOOP("Results", "Total"),
    "not_held": QT_TRANSLATE_NOOP("Results", "Members not held here"),
}
STAGES = {
    "registered": QT_TRANSLATE_NOOP("Results", "Registered"),
    "qualified": QT_TRANSLATE_NOOP("Results", "Qualified"),
    "rewarded": QT_TRANSLATE_NOOP("Results", "Rewarded"),
    "clawed_back": QT_TRANSLATE_NOOP("Results", "Clawed back"),
}
REFERRAL_STATUSES = {  # a referral's status now, in the list behind a funnel stage
    **STAGES,
    "rejected": QT_TRANSLATE_NOOP("Results", "Rejected"),
    "flagged": QT_TRANSLATE_NOOP("Results", "Flagged"),
    "expired": QT_TRANSLATE_NOOP("Results", "Expired"),
}


def words(text: str) -> str:
    """A text marked with ``QT_TRANSLATE_NOOP("Results", ...)``, translated."""
    return QCoreApplication.translate("Results", text)


def rate(value: Decimal | None) -> str:
    return f"{value * 100:.2f}%" if value is not None else words(LABELS["none"])


def month_text(value: Any) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def source_text(source: str) -> str:
    if source in SOURCES_EXTRA:
        return words(SOURCES_EXTRA[source])
    return fmt.label(fmt.SOURCES, source) if source in fmt.SOURCES else source.replace("_", " ")  # an earning rule the desk has no words for


def category_text(category: str) -> str:
    return words(CATEGORIES[category]) if category in CATEGORIES else category


@dataclass(frozen=True)
class Line:
    """A table row: its words, its figures, and what double-clicking it opens (``figure``, ``key``; None: nothing)."""

    cells: tuple[str, ...]
    figure: str | None = None
    key: str | None = None


class LinesModel(_RowsModel):
    """Rows of ``Line``: headers given, the first column text, the rest figures."""

    def __init__(self, headers: list[str] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = headers or []
        self.numeric_columns = frozenset(range(1, 8))

    def set_headers(self, headers: list[str]) -> None:
        self._headers = headers
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(headers) - 1))

    def headers(self) -> list[str]:
        return self._headers

    def cell(self, row: Line, column: int) -> str:
        return row.cells[column] if column < len(row.cells) else ""


def summary_lines(results: ProgrammeResults) -> list[Line]:
    money = fmt.money
    return [
        Line((words(LABELS["members"]), fmt.number(results.members), ""), "members"),
        Line((words(LABELS["active"]), fmt.number(results.active), ""), "active"),
        Line((words(LABELS["participation"]), rate(results.participation_rate), "")),
        Line((words(LABELS["active_previous"]), fmt.number(results.active_previous), "")),
        Line((words(LABELS["retained"]), fmt.number(results.retained), "")),
        Line((words(LABELS["retention"]), rate(results.retention_rate), "")),
        Line((words(LABELS["issued"]), fmt.number(results.issued), money(results.cny(results.issued))), "issued"),
        Line((words(LABELS["redeemed"]), fmt.number(results.redeemed), money(results.cny(results.redeemed))), "redeemed"),
        Line((words(LABELS["expired"]), fmt.number(results.expired), money(results.cny(results.expired))), "expired"),
        Line((words(LABELS["redemption_rate"]), rate(results.redemption_rate), "")),
        Line((words(LABELS["breakage"]), rate(results.breakage_rate), "")),
        Line((words(LABELS["conversion"]), rate(results.referrals.conversion), "")),
    ]


def month_lines(results: ProgrammeResults) -> list[Line]:
    return [Line((month_text(m.month), fmt.number(m.issued), fmt.number(m.redeemed), fmt.number(m.expired)), "month", month_text(m.month))
            for m in results.months]


def source_lines(results: ProgrammeResults) -> list[Line]:
    return [Line((source_text(s.source), fmt.number(s.points), fmt.number(s.entries), fmt.money(results.cny(s.points))), "issued", s.source)
            for s in results.issued_by_source]


def category_lines(results: ProgrammeResults) -> list[Line]:
    return [Line((category_text(c.category), fmt.number(c.points), fmt.number(c.redemptions), fmt.money(results.cny(c.points))), "redeemed", c.category)
            for c in results.redeemed_by_category]


def tier_lines(results: ProgrammeResults) -> list[Line]:
    return [Line((fmt.tier(t.tier), fmt.number(t.members)), "tier", t.tier) for t in results.tiers]


def tier_move_lines(results: ProgrammeResults, branch_names: dict[str, str]) -> list[Line]:
    """Per home branch (its code and name), then the total: the tier changes up and down."""
    rows = [
        Line((f"{m.branch_code} {branch_names.get(m.branch_code, '')}".strip() if m.branch_code else words(LABELS["not_held"]),
              fmt.number(m.up), fmt.number(m.down)))
        for m in results.tier_moves
    ]
    return [*rows, Line((words(LABELS["total"]), fmt.number(results.moved_up), fmt.number(results.moved_down)))]


def funnel_lines(results: ProgrammeResults) -> list[Line]:
    funnel = results.referrals
    return [Line((words(STAGES[stage]), fmt.number(getattr(funnel, stage))), "referral", stage) for stage in STAGES]


def campaign_lines(results: ProgrammeResults, english: bool) -> list[Line]:
    return [
        Line((f"{c.code} {c.name_en if english else c.name_zh}", fmt.number(c.points), fmt.number(c.members_reached), fmt.money(c.cost_cny)),
             "campaign", c.code)
        for c in results.campaigns
    ]


def _money_or_none(value: Decimal | None) -> str:
    return fmt.money(value) if value is not None else words(LABELS["none"])


def campaign_spend_lines(results: ProgrammeResults, english: bool) -> list[Line]:
    """Per campaign that ran in a month of the period (by its code: the table above names it): the incremental
    spend and the return per CNY first, so they show on the narrowest window (n/a: a group is empty, or the
    cost is 0), then participants and their average card spend, eligible members not taking part and theirs,
    and the months compared. A segment campaign (its segment not evaluated) is marked *."""
    lines = []
    for c in results.campaigns:
        if c.months_compared is None:
            continue
        first, last = (f"{month.year:04d}-{month.month:02d}" for month in c.months_compared)
        name = c.code + (" *" if c.eligibility_by_branch_only else "")
        per_cny = QLocale().toString(float(c.return_per_cny), "f", 2) if c.return_per_cny is not None else words(LABELS["none"])
        lines.append(Line(
            (name, _money_or_none(c.incremental_spend), per_cny, fmt.number(c.participants), _money_or_none(c.average_spend_participant),
             fmt.number(c.comparison_members), _money_or_none(c.average_spend_comparison), first if first == last else f"{first} – {last}"),
            "campaign", c.code,
        ))
    return lines


# ---------------------------------------------------------------------- charts


SMALL_TOP = 4  # below this, an axis of whole numbers 0..4 (nice numbers would tick at halves, labelled twice)


def _value_axis(top: float) -> QValueAxis:
    values = QValueAxis()
    values.setLabelFormat("%.0f")
    if top < SMALL_TOP:
        values.setRange(0, SMALL_TOP)
        values.setTickCount(SMALL_TOP + 1)
        return values
    values.setRange(0, top * 1.1)
    values.applyNiceNumbers()
    return values


def line_chart(chart: QChart, results: ProgrammeResults) -> None:
    """Points issued and redeemed per month, as two lines."""
    clear_chart(chart)
    issued, redeemed = QLineSeries(), QLineSeries()
    issued.setName(words(LABELS["issued"]))
    redeemed.setName(words(LABELS["redeemed"]))
    for index, month in enumerate(results.months):
        issued.append(index, float(month.issued))
        redeemed.append(index, float(month.redeemed))
    for series in (issued, redeemed):
        series.setPointsVisible(True)
        chart.addSeries(series)
    months = QBarCategoryAxis()
    months.append([str(m.month.month) for m in results.months])  # the table beside it names the year
    if len(results.months) > 6:  # a narrow chart keeps every month's number rather than eliding them
        small = months.labelsFont()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        months.setLabelsFont(small)
    if results.months:
        months.setTitleText(f"{month_text(results.months[0].month)} – {month_text(results.months[-1].month)}")
    chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
    values = _value_axis(max([0, *(m.issued for m in results.months), *(m.redeemed for m in results.months)]))
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    for series in (issued, redeemed):
        series.attachAxis(months)
        series.attachAxis(values)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)


def bar_chart(chart: QChart, names: list[str], values: list[int], title: str, *, horizontal: bool = False, labels: bool = False) -> None:
    """One bar per name (horizontal: the first at the top, as a funnel reads; ``labels``: the value on each bar)."""
    clear_chart(chart)
    bars = QBarSet(title)
    shown = list(zip(names, values, strict=True))
    if horizontal:
        shown.reverse()
    for _name, value in shown:
        bars.append(float(max(value, 0)))
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(labels)
    series.setLabelsFormat("@value")
    series.setLabelsPrecision(12)  # whole numbers, never 6.5e+06
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([name for name, _ in shown])
    axis = _value_axis(max([0, *values]))
    if horizontal:
        axis.setTickCount(3)  # wide numbers side by side: fewer of them
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(axis)
    chart.legend().setVisible(False)


def grouped_bar_chart(chart: QChart, names: list[str], series: list[tuple[str, list[int]]]) -> None:
    """A group of horizontal bars per name (the first at the top, names readable however narrow the chart),
    one bar per series (named in the legend)."""
    clear_chart(chart)
    bars = QHorizontalBarSeries()
    for title, values in series:
        one = QBarSet(title)
        for value in reversed(values):
            one.append(float(max(value, 0)))
        bars.append(one)
    chart.addSeries(bars)
    categories = QBarCategoryAxis()
    categories.append(list(reversed(names)))
    axis = _value_axis(max([0, *(value for _, values in series for value in values)]))
    axis.setTickCount(3)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    bars.attachAxis(categories)
    bars.attachAxis(axis)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)


# ---------------------------------------------------------------------- what is behind a figure


class DrillModel(HistoryModel):
    """The entries, redemptions, referrals or members behind a figure, a page at a time."""

    numeric_columns = frozenset({3})

    def headers(self) -> list[str]:
        return [words(LABELS[key]) for key in ("date", "member_number", "name", "points", "what", "reference")]

    def cell(self, row: DrillRow, column: int) -> str:  # type: ignore[override]
        return [
            fmt.day(row.on), row.member_no, row.member_name, fmt.signed(row.points) if row.points is not None else "", what_text(row.what), row.reference,
        ][column]


def what_text(what: str) -> str:
    """An entry's ``kind:source``, a reward code, a referral status or a tier, in words."""
    if ":" in what:
        kind, source = what.split(":", 1)
        kind_text = fmt.label(fmt.ENTRY_KINDS, kind) if kind in fmt.ENTRY_KINDS else kind
        if kind == "earn" and source:
            return f"{kind_text} · {source_text(source)}"
        if kind == "reversal" and source:
            return f"{kind_text} · {fmt.label(fmt.ENTRY_KINDS, source) if source in fmt.ENTRY_KINDS else source}"
        return kind_text
    if what in fmt.TIERS:
        return fmt.tier(what)
    if what in REFERRAL_STATUSES:
        return words(REFERRAL_STATUSES[what])
    return what
