"""Segments: the words of their criteria and the table of saved segments."""

from __future__ import annotations

from typing import Any

from loyalty_desk.services.segments.dto import SegmentView
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.models import _RowsModel

WORDS = fmt.Words("Segments")
CARD_STAGES = {
    "any": QT_TRANSLATE_NOOP("Segments", "Any"),
    "no_card": QT_TRANSLATE_NOOP("Segments", "No card yet"),
    "applied": QT_TRANSLATE_NOOP("Segments", "Applied, not approved"),
    "approved": QT_TRANSLATE_NOOP("Segments", "Card approved"),
}
REFERRED = {
    "any": QT_TRANSLATE_NOOP("Segments", "Any"),
    "yes": QT_TRANSLATE_NOOP("Segments", "Has referred someone"),
    "no": QT_TRANSLATE_NOOP("Segments", "Never referred"),
}


def criteria_words(criteria: dict[str, Any]) -> str:
    """The saved criteria in the desk's language, one phrase each."""
    said: list[str] = []
    if criteria.get("tiers"):
        said.append(" / ".join(fmt.tier(t) for t in criteria["tiers"]))
    if criteria.get("branches"):
        said.append(WORDS(QT_TRANSLATE_NOOP("Segments", "branch {codes}")).format(codes=", ".join(criteria["branches"])))
    for key, text in (
        ("joined_within_days", QT_TRANSLATE_NOOP("Segments", "joined within {n} days")),
        ("earned_within_days", QT_TRANSLATE_NOOP("Segments", "earned within {n} days")),
        ("redeemed_within_days", QT_TRANSLATE_NOOP("Segments", "redeemed within {n} days")),
        ("expiring_within_days", QT_TRANSLATE_NOOP("Segments", "points expiring within {n} days")),
        ("dormant_months", QT_TRANSLATE_NOOP("Segments", "dormant for {n} months")),
    ):
        if criteria.get(key) is not None:
            said.append(WORDS(text).format(n=fmt.number(int(criteria[key]))))
    low, high = criteria.get("balance_min"), criteria.get("balance_max")
    if low is not None or high is not None:
        said.append(WORDS(QT_TRANSLATE_NOOP("Segments", "balance {low} – {high}")).format(
            low=fmt.number(int(low or 0)), high=fmt.number(int(high)) if high is not None else "∞"))
    if criteria.get("has_referred") is not None:
        said.append(WORDS.of(REFERRED, "yes" if criteria["has_referred"] else "no"))
    if criteria.get("card_stage"):
        said.append(WORDS.of(CARD_STAGES, criteria["card_stage"]))
    return " · ".join(said) or WORDS(QT_TRANSLATE_NOOP("Segments", "every member"))


class SegmentsModel(_RowsModel):
    numeric_columns = frozenset({3})
    chinese = False

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Criteria"), self.tr("Version"), self.tr("Saved by"), self.tr("Saved at")]

    def cell(self, row: SegmentView, column: int) -> str:
        name = row.name_zh if self.chinese else row.name_en
        return [row.code, name, criteria_words(row.criteria), str(row.version), row.updated_by, fmt.datetime_utc(row.updated_at)][column]
