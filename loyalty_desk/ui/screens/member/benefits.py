"""The member view's "Benefits" tab: the tier's privileges as entitlements, each as "2 of 4 left
this year", and Use, which records one taken at the counter (the operation ``benefit.use``, no points);
the card journey is placed beside them (``add_beside``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.member.list_panel import MemberListPanel
from loyalty_desk.ui.widgets import add_all, named, push_button, set_texts

if TYPE_CHECKING:
    from loyalty_desk.ui.tasks import Task

USE_ROLES = ("officer", "supervisor")
BENEFIT_NAMES = {
    "airport_lounge": QT_TRANSLATE_NOOP("Benefits", "Airport lounge visits"),
    "car_wash": QT_TRANSLATE_NOOP("Benefits", "Car washes"),
    "airport_fast_track": QT_TRANSLATE_NOOP("Benefits", "Airport fast-track"),
}


def benefit_name(key: str) -> str:
    """A benefit's name in the desk's language (the settings' key for one the desk has no words for)."""
    return QCoreApplication.translate("Benefits", BENEFIT_NAMES[key]) if key in BENEFIT_NAMES else key


class BenefitsPanel(MemberListPanel):
    sig_loaded = Signal(object)  # MemberBenefits
    sig_used = Signal(object)  # BenefitUse

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, "BenefitList", parent)
        self.use_button = push_button(None, self.use, name="UseBenefit")
        self.use_button.setVisible(context.session.role in USE_ROLES)
        self.empty = named(QLabel(), "Muted")
        row = add_all(QHBoxLayout(), self.use_button, 1, self.empty)
        self.heading = named(QLabel(), "SectionTitle")
        self.box = QHBoxLayout(self)  # the benefits on the left, what ``add_below`` places beside them on the right
        self.box.setContentsMargins(10, 10, 10, 10)
        left = add_all(QVBoxLayout(), self.heading, self.banner, (self.list, 1), row)
        add_all(self.box, (left, 1))
        self.retranslate()
        self._enable()

    def add_beside(self, widget: QWidget) -> None:
        self.box.addWidget(widget, 1)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Tier benefits"))
        set_texts((self.use_button, self.tr("Use one"), self.tr("Record one use of the chosen benefit at the counter; no points are taken")))
        self.show_again()

    def fetch(self, member_no: str) -> Task:
        return self.run_latest("load", self._services.benefits.for_member, member_no=member_no, on_result=self._show, on_error=self.show_error)

    def clear(self) -> None:
        super().clear()
        self.empty.setText("")
        self._enable()

    def use(self) -> None:
        """One use of the chosen benefit; the operation id is made here, at the click."""
        line = self.selected()
        if line is None or self.member_no is None or self.busy:
            return
        self.set_busy(True)
        benefits = self._services.benefits
        self.write(benefits.use, operation_id=benefits.new_operation_id(), session=self._context.session, member_no=self.member_no,
                   benefit=line.benefit, on_result=self._used, on_error=self._refused)

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return (self.use_button,)

    def _used(self, outcome: Any) -> None:
        self.set_busy(False)
        self.set_banner(self.tr("{benefit}: one used; {left} of {allowed} left this year.").format(
            benefit=benefit_name(outcome.benefit), left=fmt.number(outcome.left), allowed=fmt.number(outcome.allowed)))
        self.sig_used.emit(outcome)
        self.load(self.member_no)

    def _refused(self, error: BaseException) -> None:
        self.set_busy(False)
        self.show_error(error)
        self.sig_failed.emit(error)
        self.load(self.member_no)

    def _show(self, data: Any) -> None:
        self.data = data
        self.fill_list(data.lines, lambda line: self.tr("{benefit}: {left} of {allowed} left this year").format(
            benefit=benefit_name(line.benefit), left=fmt.number(line.left), allowed=fmt.number(line.allowed)), lambda line: line.benefit)
        self.empty.setText("" if data.lines else self.tr("The {tier} tier has no benefits.").format(tier=fmt.tier(data.tier)))
        self._enable()
        self.sig_loaded.emit(data)

    def _enable(self) -> None:
        line = self.selected()
        self.use_button.setEnabled(line is not None and line.left > 0 and not self.busy and self.data is not None and self.data.status == "active")
