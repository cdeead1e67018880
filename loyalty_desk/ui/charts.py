"""What the screens' charts (QtCharts) share: an empty chart in its view, and clearing a chart before it is
drawn again."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QMargins
from PySide6.QtGui import QPainter

from loyalty_desk.ui.widgets import named


def chart_view(name: str, *, margin: int, min_height: int) -> tuple[QChart, QChartView]:
    """An empty chart without a background, ``margin`` pixels inside its edge, in an antialiased view named
    ``name`` at least ``min_height`` pixels high."""
    chart = QChart()
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(margin, margin, margin, margin))
    view = named(QChartView(chart), name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(min_height)
    return chart, view


def clear_chart(chart: QChart) -> None:
    """Removes every series and axis of ``chart``."""
    chart.removeAllSeries()
    for axis in list(chart.axes()):
        chart.removeAxis(axis)
