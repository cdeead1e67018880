"""The card journey on the member view (beside the tier benefits): a new card's progress, one line a step (rules.md, "card journey"):
application to approval against the 20-day service target, the first transaction done or not, spend so far
against the target with the days left, and the points each step earns; until a card is approved it says so."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from loyalty_desk.ui import fmt
from loyalty_desk.ui.widgets import add_all, named


class CardJourneyPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journey: Any = None
        self.heading = named(QLabel(), "SectionTitle")
        self.approval = named(QLabel(), "FieldValue")
        self.first = named(QLabel(), "FieldValue")
        self.spend = named(QLabel(), "FieldValue")
        for label in (self.approval, self.first, self.spend):
            label.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        add_all(box, self.heading, self.approval, self.first, self.spend, 1)

    def show_journey(self, journey: Any) -> None:
        self.journey = journey
        self.heading.setText(self.tr("Card journey"))
        if journey is None:
            self.approval.setText(self.tr("No card has been approved for this member yet: the journey starts with the approval."))
            for label in (self.first, self.spend):
                label.setText("")
            return
        if journey.approval_days is None:
            approval = self.tr("Approved {approved}; the application date was not imported, so the {target}-day target cannot be judged.").format(
                approved=fmt.day(journey.approved_on), target=journey.approval_target_days)
        elif journey.approval_within_target:
            approval = self.tr("Approved {approved}, {days} days after the application: within the {target}-day target.").format(
                approved=fmt.day(journey.approved_on), days=fmt.number(journey.approval_days), target=journey.approval_target_days)
        else:
            approval = self.tr("Approved {approved}, {days} days after the application: over the {target}-day target.").format(
                approved=fmt.day(journey.approved_on), days=fmt.number(journey.approval_days), target=journey.approval_target_days)
        if journey.first_transaction_on is not None:
            first = self.tr("First transaction done on {day}: {points} points.").format(
                day=fmt.day(journey.first_transaction_on), points=fmt.number(journey.first_transaction_points))
        else:
            first = self.tr("First transaction not yet: it earns {points} points.").format(points=fmt.number(journey.first_transaction_points))
        if journey.spend_target_reached_on is not None:
            spend = self.tr("Spend target of {target} CNY reached on {day}: {points} points.").format(
                target=fmt.number(journey.spend_target_cny), day=fmt.day(journey.spend_target_reached_on),
                points=fmt.number(journey.spend_target_points))
        elif journey.spend_days_left > 0:
            spend = self.tr("Spent {spent} of {target} CNY; {days} days left (until {deadline}) to earn {points} points.").format(
                spent=fmt.money(journey.spend_cny), target=fmt.number(journey.spend_target_cny), days=fmt.number(journey.spend_days_left),
                deadline=fmt.day(journey.spend_deadline), points=fmt.number(journey.spend_target_points))
        else:
            spend = self.tr("Spent {spent} of {target} CNY by {deadline}: the spend target was not reached.").format(
                spent=fmt.money(journey.spend_cny), target=fmt.number(journey.spend_target_cny), deadline=fmt.day(journey.spend_deadline))
        self.approval.setText(approval)
        self.first.setText(first)
        self.spend.setText(spend)

    def retranslate(self) -> None:
        self.show_journey(self.journey)
