"""The dashboard's 12-month trend: the table model and the chart drawn from the same rows."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QValueAxis
from PySide6.QtCore import QCoreApplication, Qt

from loyalty_desk.services.analytics.dto import TrendMonth
from loyalty_desk.ui import fmt
from loyalty_desk.ui.charts import clear_chart
from loyalty_desk.ui.models import _RowsModel


def month_text(row: TrendMonth) -> str:
    return f"{row.month.year:04d}-{row.month.month:02d}"


class TrendModel(_RowsModel):
    numeric_columns = frozenset({1, 2, 3})

    def headers(self) -> list[str]:
        return [
            QCoreApplication.translate("TrendModel", "Month"),
            QCoreApplication.translate("TrendModel", "Points issued"),
            QCoreApplication.translate("TrendModel", "Points redeemed"),
            QCoreApplication.translate("TrendModel", "Redemptions"),
        ]

    def cell(self, row: TrendMonth, column: int) -> str:
        if column == 0:
            return month_text(row)
        return fmt.number((row.issued, row.redeemed, row.redemptions)[column - 1])


def trend_chart(chart: QChart, rows: list[TrendMonth] | tuple[TrendMonth, ...]) -> None:
    """Draws ``rows`` on ``chart`` as bars: points issued and points redeemed per month."""
    clear_chart(chart)
    issued = QBarSet(QCoreApplication.translate("TrendModel", "Points issued"))
    redeemed = QBarSet(QCoreApplication.translate("TrendModel", "Points redeemed"))
    for row in rows:
        issued.append(float(row.issued))
        redeemed.append(float(row.redeemed))
    series = QBarSeries()
    series.append(issued)
    series.append(redeemed)
    chart.addSeries(series)
    months = QBarCategoryAxis()
    months.append([f"{row.month.month:02d}" for row in rows])  # the table beside it names the year
    if rows:
        months.setTitleText(f"{month_text(rows[0])} – {month_text(rows[-1])}")
    chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(months)
    values = QValueAxis()
    top = max([0, *(row.issued for row in rows), *(row.redeemed for row in rows)])
    values.setRange(0, max(top, 1) * 1.1)
    values.applyNiceNumbers()
    values.setLabelFormat("%.0f")
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(values)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
