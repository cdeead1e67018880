"""The cost forecast panel: computed on the read pool with a progress bar and Cancel, shown under the
form and in the approval dialog."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.campaigns.dto import CampaignForecast
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.tasks import Task
from loyalty_desk.ui.widgets import add_all, named


def _forecast(state: Any, services: Any, session: Any, fields: Mapping[str, Any] | None, code: str | None) -> CampaignForecast:
    """On a worker: the service's forecast, reporting to the task's progress and heeding its Cancel."""
    return services.campaigns.forecast(session=session, fields=fields, code=code, progress=state)


class ForecastPanel(QFrame):
    sig_shown = Signal(object)  # CampaignForecast
    sig_failed = Signal(object)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self._context = context
        self.task: Task | None = None
        self.forecast: CampaignForecast | None = None
        self.heading = named(QLabel(), "FieldLabel")
        self.text = named(QLabel(), "ForecastText")
        self.text.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 10, 16, 10)
        add_all(box, self.heading, self.text, add_all(QHBoxLayout(), (self.progress, 1), self.cancel_button))
        self._show_running(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Cost forecast"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop computing the forecast"))
        if self.forecast is not None:
            self._show(self.forecast)
        elif self.task is None:
            self.text.setText(self.tr("Press Forecast to replay last year's earnings through this campaign."))

    def _show_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)

    def start(self, *, fields: Mapping[str, Any] | None = None, code: str | None = None) -> None:
        """Computes the forecast of the form's ``fields`` or of the saved campaign ``code``; a forecast
        still running is cancelled."""
        self._stop_task()
        self.forecast = None
        self.text.setText(self.tr("Replaying the last 12 months of earnings…"))
        self.progress.setRange(0, 0)
        self._show_running(True)
        task = self._context.runner.run(
            _forecast, self._context.services, self._context.session, dict(fields) if fields is not None else None, code, progress=True,
            on_result=self._finished, on_error=self._failed,
        )
        task.sig_progress.connect(self._progressed)
        self.task = task

    def cancel(self) -> None:
        """Cancel: the running forecast stops at its next slice; whatever it still sends is ignored."""
        if self._stop_task():
            self.text.setText(self.tr("The forecast was cancelled."))

    def _stop_task(self) -> bool:
        running = self.task is not None and not self.task.is_done
        if running and self.task is not None:
            self.task.cancel()
        self.task = None
        self._show_running(False)
        return running

    def clear(self) -> None:
        self._stop_task()
        self.forecast = None
        self.retranslate()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, forecast: CampaignForecast) -> None:
        if self.task is None or self.task.result is not forecast:
            return  # a forecast cancelled or superseded meanwhile
        self.task = None
        self._show_running(False)
        self.forecast = forecast
        self._show(forecast)
        self.sig_shown.emit(forecast)

    def _failed(self, error: BaseException) -> None:
        if self.task is None or self.task.error is not error:
            return
        self.task = None
        self._show_running(False)
        if isinstance(error, DomainError) and error.code == "campaign.forecast_cancelled":
            self.text.setText(self.tr("The forecast was cancelled."))
        else:
            self.text.setText(error_message(error))
        self.sig_failed.emit(error)

    def _show(self, forecast: CampaignForecast) -> None:
        if forecast.replayed_from is None or forecast.replayed_to is None:
            self.text.setText(self.tr("No day of this window falls in the last 12 months of earnings: nothing to replay."))
            return
        runs_out = (self.tr("The budget would run out on {day}.").format(day=fmt.day(forecast.exhausted_on)) if forecast.exhausted_on
                    else self.tr("The budget would last the whole window."))
        self.text.setText(
            self.tr("Replaying {start} – {end}: {points} points to {members} members on {transactions} transactions, "
                    "costing ¥{cost} at {value} CNY per 100 points ({used} % of the budget). {runs_out}").format(
                start=fmt.day(forecast.replayed_from), end=fmt.day(forecast.replayed_to), points=fmt.number(forecast.points),
                members=fmt.number(forecast.members_reached), transactions=fmt.number(forecast.transactions),
                cost=f"{forecast.cost_cny:,.2f}", value=forecast.point_value_cny_per_100_points,
                used=fmt.number(forecast.points * 100 // max(forecast.budget_points, 1)), runs_out=runs_out)
        )
