"""Reward catalogue: categories, the catalogue read and its table model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from loyalty_desk.services.redemption.dto import RewardOffer
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.models import _RowsModel

_t = fmt.Words("CatalogueAdmin")
CATEGORIES = {
    "physical_gift": QT_TRANSLATE_NOOP("CatalogueAdmin", "Physical gift"),
    "voucher": QT_TRANSLATE_NOOP("CatalogueAdmin", "Voucher"),
    "cash_rebate": QT_TRANSLATE_NOOP("CatalogueAdmin", "Cash rebate"),
    "service_privilege": QT_TRANSLATE_NOOP("CatalogueAdmin", "Service privilege"),
}
NAME_LIMIT = 100

REWARD_FIELDS = ("code", "name_zh", "name_en", "category", "points_cost", "cash_value", "min_tier", "active_to",
                 "yearly_limit_per_member")
YEARLY_LIMIT_MAX = 9_999  # times a year one member may take a reward
STOCK_RECEIPT_MAX = 100_000  # the most one delivery is taken to hold: more is a typing slip
STOCK_FIELDS = ("qty", "reason")  # ``reason``: the service's name for a note that is too long


def category_label(key: str) -> str:
    return _t.of(CATEGORIES, key)


@dataclass(frozen=True)
class CatalogueRow:
    """A reward and its stock on hand at each branch (``None``: stock not tracked)."""

    offer: RewardOffer
    stock: dict[str, int | None]

    @property
    def code(self) -> str:
        return self.offer.code


@dataclass(frozen=True)
class CatalogueData:
    branches: tuple[tuple[str, str, str], ...]  # (code, name_zh, name_en)
    rows: tuple[CatalogueRow, ...]


def load_catalogue(services: Any) -> CatalogueData:
    """Runs on a worker: the whole catalogue (inactive rewards too) with each branch's stock."""
    branches = services.staff_admin.branches()
    stock: dict[str, dict[str, int | None]] = {}
    offers: dict[str, RewardOffer] = {}
    for code, _zh, _en in branches:
        for offer in services.redemption.catalogue(branch_code=code, include_inactive=True):
            offers.setdefault(offer.code, offer)
            stock.setdefault(offer.code, {})[code] = offer.stock
    order = list(CATEGORIES)
    rows = sorted(offers.values(), key=lambda o: (order.index(o.category) if o.category in order else 99, o.code))
    return CatalogueData(tuple(branches), tuple(CatalogueRow(o, stock.get(o.code, {})) for o in rows))


class CatalogueModel(_RowsModel):
    """Rows of ``CatalogueRow``; "Stock" is the total on hand (each branch's count is in ``stock_at``)."""

    numeric_columns = frozenset({4, 5, 8, 9})

    def set_data(self, data: CatalogueData) -> None:
        self.set_rows(data.rows)

    def stock_at(self, code: str, branch_code: str) -> int | None:
        for row in self._rows:
            if row.code == code:
                return row.stock.get(branch_code)
        raise KeyError(code)

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Chinese name"), self.tr("English name"), self.tr("Category"), self.tr("Points"),
                self.tr("Cash value"), self.tr("Min. tier"), self.tr("Offered"), self.tr("Yearly limit"), self.tr("Stock")]

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            row = self._rows[index.row()]
            if index.column() == 9 and row.offer.stock_tracked:
                return " · ".join(f"{code} {fmt.number(n or 0)}" for code, n in row.stock.items())
            if index.column() == 9 and not row.offer.stock_tracked:
                return self.tr("Stock is not tracked")
            if index.column() == 7 and (row.offer.active_from or row.offer.active_to):
                return f"{fmt.day(row.offer.active_from) or '…'} – {fmt.day(row.offer.active_to) or '…'}"
            if index.column() in (1, 2):
                return self.cell(row, index.column())
        return super().data(index, role)

    def cell(self, row: CatalogueRow, column: int) -> str:
        o = row.offer
        if column == 7:
            if o.active_from is None and o.active_to is None:
                return self.tr("Always")
            if o.active_from is not None and (o.active_to is None or o.active_from > date.today()):
                return self.tr("from {day}").format(day=fmt.day(o.active_from))
            return self.tr("until {day}").format(day=fmt.day(o.active_to))
        if column == 8:
            return "–" if o.yearly_limit_per_member is None else fmt.number(o.yearly_limit_per_member)
        if column == 9:
            return fmt.number(sum(n or 0 for n in row.stock.values())) if o.stock_tracked else "–"
        return [o.code, o.name_zh, o.name_en, category_label(o.category), fmt.number(o.points_cost),
                f"¥{o.cash_value:,.2f}", fmt.tier(o.min_tier)][column]
