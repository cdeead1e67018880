"""Redemption: reward categories, blocks in words and the table models."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.redemption.dto import BlockReason, RedemptionView, RewardOffer
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.models import _RowsModel

CATEGORIES = {
    "physical_gift": QT_TRANSLATE_NOOP("Labels", "Gift"),
    "voucher": QT_TRANSLATE_NOOP("Labels", "Voucher"),
    "cash_rebate": QT_TRANSLATE_NOOP("Labels", "Cash rebate"),
    "service_privilege": QT_TRANSLATE_NOOP("Labels", "Service privilege"),
}
CATEGORY_COLUMN_MIN_TABLE_WIDTH = 600  # a narrower catalogue table leaves the category to the reward card
MUTED = QColor("#8A94A6")


def block_text(block: BlockReason) -> str:
    return error_message(DomainError(block.code, **block.params))




class _BilingualModel(_RowsModel):
    """Rows that name things in Chinese and in English: shown in the desk's language."""

    def __init__(self, language: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.language = language

    def in_language(self, zh: str, en: str) -> str:
        return zh if self.language == "zh_CN" else en


class RewardsModel(_BilingualModel):
    """Catalogue lines; blocked ones are greyed and say their first reason (all of them in the tooltip)."""

    numeric_columns = frozenset({2, 3})

    def headers(self) -> list[str]:
        return [self.tr("Reward"), self.tr("Category"), self.tr("Points"), self.tr("Stock"), self.tr("Availability")]

    def name(self, row: RewardOffer) -> str:
        return self.in_language(row.name_zh, row.name_en)

    def shared_block(self) -> str:
        """A reason that blocks every line (a limit of the member's, not of one reward): said once above the table."""
        if len(self._rows) < 2 or any(row.available for row in self._rows):
            return ""
        shared = set.intersection(*({block_text(b) for b in row.blocks} for row in self._rows))
        first = block_text(self._rows[0].blocks[0])
        return first if first in shared else (sorted(shared)[0] if shared else "")

    def cell(self, row: RewardOffer, column: int) -> str:
        if column == 0:
            return self.name(row)
        if column == 1:
            return fmt.label(CATEGORIES, row.category)
        if column == 2:
            return fmt.number(row.points_cost)
        if column == 3:
            return "–" if row.stock is None else fmt.number(row.stock)
        if row.available:
            return self.tr("Available")
        shared = self.shared_block()
        own = [text for text in (block_text(b) for b in row.blocks) if text != shared]
        return own[0] if own else self.tr("Not now (see above)")

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < len(self._rows):
            row: RewardOffer = self._rows[index.row()]
            if role == Qt.ItemDataRole.ForegroundRole and not row.available:
                return MUTED
            if role == Qt.ItemDataRole.ToolTipRole:
                other = self.in_language(row.name_en, row.name_zh)
                lines = [f"{self.name(row)} · {other} ({row.code})", *(block_text(b) for b in row.blocks)]
                return "\n".join(lines)
        return super().data(index, role)

    def find(self, code: str) -> int:
        return next((i for i, row in enumerate(self._rows) if row.code == code), -1)


class RedemptionsModel(_BilingualModel):
    numeric_columns = frozenset({3, 4})

    def headers(self) -> list[str]:
        return [self.tr("Number"), self.tr("Redeemed at"), self.tr("Reward"), self.tr("Qty"), self.tr("Points"), self.tr("Status")]

    def cell(self, row: RedemptionView, column: int) -> str:
        if column == 5:
            if row.reversed_at is None:
                return self.tr("Redeemed")
            return self.tr("Reversed {when} by {who}: {reason}").format(
                when=fmt.datetime_utc(row.reversed_at), who=row.reversed_by or "", reason=row.reversal_reason or ""
            )
        return [
            row.number,
            fmt.datetime_utc(row.redeemed_at),
            self.in_language(row.reward_name_zh, row.reward_name_en),
            fmt.number(row.qty),
            fmt.number(row.points),
        ][column]
