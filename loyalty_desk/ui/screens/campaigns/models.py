"""Campaigns: the words of their statuses, kinds and sources, and the table of campaigns."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from loyalty_desk.services.campaigns.dto import CampaignView
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.models import _RowsModel

WORDS = fmt.Words("Campaigns")
STATUSES = {
    "draft": QT_TRANSLATE_NOOP("Campaigns", "Draft"),
    "submitted": QT_TRANSLATE_NOOP("Campaigns", "Waiting for approval"),
    "scheduled": QT_TRANSLATE_NOOP("Campaigns", "Approved, scheduled"),
    "running": QT_TRANSLATE_NOOP("Campaigns", "Running"),
    "stopped": QT_TRANSLATE_NOOP("Campaigns", "Stopped"),
    "ended": QT_TRANSLATE_NOOP("Campaigns", "Ended"),
    "exhausted": QT_TRANSLATE_NOOP("Campaigns", "Budget spent"),
}
KINDS = {
    "multiplier": QT_TRANSLATE_NOOP("Campaigns", "Points multiplier"),
    "bonus": QT_TRANSLATE_NOOP("Campaigns", "Fixed bonus per transaction"),
    "card_approved": QT_TRANSLATE_NOOP("Campaigns", "Card journey: card approved within N days"),
    "first_transaction": QT_TRANSLATE_NOOP("Campaigns", "First-transaction gift"),
    "spend_target": QT_TRANSLATE_NOOP("Campaigns", "Spend target within N days"),
}
STACKING = {
    "best": QT_TRANSLATE_NOOP("Campaigns", "Best one applies (no stacking)"),
    "combine": QT_TRANSLATE_NOOP("Campaigns", "Adds on top of other multipliers"),
}
SOURCES = {
    "card_spend": QT_TRANSLATE_NOOP("Campaigns", "Card spend"),
    "financing": QT_TRANSLATE_NOOP("Campaigns", "Financing"),
    "repayment": QT_TRANSLATE_NOOP("Campaigns", "On-time repayment"),
    "profile_completed": QT_TRANSLATE_NOOP("Campaigns", "Profile completed"),
    "branch_event": QT_TRANSLATE_NOOP("Campaigns", "Branch event"),
    "survey": QT_TRANSLATE_NOOP("Campaigns", "Survey"),
    "card_approved": QT_TRANSLATE_NOOP("Campaigns", "Card approved"),
}


def status_label(key: str) -> str:
    return WORDS.of(STATUSES, key)


def short_rule_text(view: CampaignView) -> str:
    """The rule in a few characters, for the list (``rule_text`` in full)."""
    points = fmt.number(view.bonus_points)
    if view.kind == "card_approved":
        return WORDS(QT_TRANSLATE_NOOP("Campaigns", "+{points} · approved in ≤ {days} d")).format(points=points, days=view.within_days)
    if view.kind == "first_transaction":
        return WORDS(QT_TRANSLATE_NOOP("Campaigns", "+{points} · first transaction")).format(points=points)
    if view.kind == "spend_target":
        return WORDS(QT_TRANSLATE_NOOP("Campaigns", "+{points} · {target} CNY in {days} d")).format(
            points=points, target=fmt.number(view.target_cny or 0), days=view.within_days)
    return rule_text(view)


def rule_text(view: CampaignView) -> str:
    points = fmt.number(view.bonus_points)
    if view.kind == "bonus":
        return WORDS(QT_TRANSLATE_NOOP("Campaigns", "+{points} points")).format(points=points)
    if view.kind == "card_approved":
        return WORDS(QT_TRANSLATE_NOOP("Campaigns", "+{points} points once, card approved within {days} days of application")).format(
            points=points, days=view.within_days)
    if view.kind == "first_transaction":
        return WORDS(QT_TRANSLATE_NOOP("Campaigns", "+{points} points once, on the first card transaction after approval")).format(
            points=points)
    if view.kind == "spend_target":
        return WORDS(QT_TRANSLATE_NOOP("Campaigns", "+{points} points once, card spend of {target} CNY within {days} days of approval")).format(
            points=points, target=fmt.number(view.target_cny or 0), days=view.within_days)
    return f"×{view.multiplier}"


class CampaignsModel(_RowsModel):
    numeric_columns = frozenset({5, 6, 7, 8})
    chinese = False  # names in Chinese (the desk's language)

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Status"), self.tr("Window"), self.tr("Rule"), self.tr("Budget"),
                self.tr("Awarded"), self.tr("Left"), self.tr("Members reached")]

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            row = self._rows[index.row()]
            if index.column() == 4:
                return rule_text(row)
            return (row.name_en if self.chinese else row.name_zh) if index.column() == 1 else None
        return super().data(index, role)

    def cell(self, row: CampaignView, column: int) -> str:
        name = row.name_zh if self.chinese else row.name_en
        return [row.code, name, status_label(row.shown_status), f"{fmt.day(row.starts_on)} – {fmt.day(row.ends_on)}", short_rule_text(row),
                fmt.number(row.budget_points), fmt.number(row.spent_points), fmt.number(row.budget_left), fmt.number(row.members_reached)][column]
