"""Outreach: the words of reasons and delivery statuses, and the table of batches."""

from __future__ import annotations

from loyalty_desk.services.outreach.dto import OutreachBatchView
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.models import _RowsModel

WORDS = fmt.Words("Outreach")
REASONS = {
    "expiring_30": QT_TRANSLATE_NOOP("Outreach", "Points expiring within 30 days"),
    "expiring_60": QT_TRANSLATE_NOOP("Outreach", "Points expiring within 60 days"),
    "expiring_90": QT_TRANSLATE_NOOP("Outreach", "Points expiring within 90 days"),
    "campaign_invitation": QT_TRANSLATE_NOOP("Outreach", "Campaign invitation"),
    "card_journey_nudge": QT_TRANSLATE_NOOP("Outreach", "Card journey nudge"),
}
STATUSES = {
    "written": QT_TRANSLATE_NOOP("Outreach", "in the file"),
    "accepted": QT_TRANSLATE_NOOP("Outreach", "accepted by the platform"),
    "delivered": QT_TRANSLATE_NOOP("Outreach", "delivered"),
    "failed": QT_TRANSLATE_NOOP("Outreach", "failed"),
    "rejected": QT_TRANSLATE_NOOP("Outreach", "rejected"),
}
STATUS_ORDER = ("written", "accepted", "delivered", "failed", "rejected")


def reason_words(reason: str) -> str:
    return WORDS.of(REASONS, reason)


def period_words(period: str) -> str:
    """A period as the desk says it: the calendar month, or the campaign an invitation is for."""
    if period.startswith("campaign:"):
        return WORDS(QT_TRANSLATE_NOOP("Outreach", "campaign {code}")).format(code=period.split(":", 1)[1])
    return period


def delivery_words(statuses: dict[str, int]) -> str:
    """The messages of a batch by delivery status, the desk's order first."""
    ordered = [s for s in STATUS_ORDER if statuses.get(s)] + sorted(s for s in statuses if s not in STATUS_ORDER and statuses[s])
    return ", ".join(f"{fmt.number(statuses[s])} {WORDS.of(STATUSES, s)}" for s in ordered) or "–"


class BatchesModel(_RowsModel):
    numeric_columns = frozenset({4, 5})

    def headers(self) -> list[str]:
        return [self.tr("Batch"), self.tr("Reason"), self.tr("Period"), self.tr("Segment"), self.tr("Messages"), self.tr("Left out"),
                self.tr("Delivery"), self.tr("Built by"), self.tr("Built at")]

    def cell(self, row: OutreachBatchView, column: int) -> str:
        segment = row.segment + (f" · {row.campaign}" if row.campaign else "")
        return [row.code, reason_words(row.reason), period_words(row.period), segment, fmt.number(row.messages), fmt.number(row.left_out),
                delivery_words(row.statuses), row.created_by, fmt.datetime_utc(row.created_at)][column]
