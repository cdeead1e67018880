"""Adjustments: reason codes, statuses and the table model of requests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.models import _RowsModel

_t = fmt.Words("Adjustments")
BADGE_REFRESH_MS = 60_000

REASONS = {
    "MISSING_POINTS": QT_TRANSLATE_NOOP("Adjustments", "Missing points"),
    "SERVICE_RECOVERY": QT_TRANSLATE_NOOP("Adjustments", "Service recovery"),
    "CORRECTION": QT_TRANSLATE_NOOP("Adjustments", "Correction"),
    "GOODWILL": QT_TRANSLATE_NOOP("Adjustments", "Goodwill"),
    "FRAUD_REVERSAL": QT_TRANSLATE_NOOP("Adjustments", "Fraud reversal"),
}
EVIDENCE = {
    "MISSING_POINTS": QT_TRANSLATE_NOOP("Adjustments", "Transaction reference"),
    "SERVICE_RECOVERY": QT_TRANSLATE_NOOP("Adjustments", "Complaint ticket"),
    "CORRECTION": QT_TRANSLATE_NOOP("Adjustments", "Ledger entry"),
}
DIRECTIONS = {
    "credit": QT_TRANSLATE_NOOP("Adjustments", "Credit (add points)"),
    "debit": QT_TRANSLATE_NOOP("Adjustments", "Debit (take points)"),
}
STATUSES = {
    "pending": QT_TRANSLATE_NOOP("Adjustments", "Pending approval"),
    "approved": QT_TRANSLATE_NOOP("Adjustments", "Approved"),
    "rejected": QT_TRANSLATE_NOOP("Adjustments", "Rejected"),
    "cancelled": QT_TRANSLATE_NOOP("Adjustments", "Cancelled"),
    "expired": QT_TRANSLATE_NOOP("Adjustments", "Expired"),
}
FORM_FIELDS = ("direction", "points", "reason_code", "memo", "evidence_ref")


def reason_label(code: str) -> str:
    return _t.of(REASONS, code)


def status_label(code: str) -> str:
    return _t.of(STATUSES, code)


def age_text(minutes: int) -> str:
    if minutes < 60:
        return QCoreApplication.translate("Adjustments", "{n} min").format(n=minutes)
    if minutes < 48 * 60:
        return QCoreApplication.translate("Adjustments", "{h} h {m} min").format(h=minutes // 60, m=minutes % 60)
    return QCoreApplication.translate("Adjustments", "{d} d {h} h").format(d=minutes // (24 * 60), h=minutes // 60 % 24)




class AdjustmentsModel(_RowsModel):
    """Rows of ``AdjustmentView``."""

    numeric_columns = frozenset({0, 3})

    def headers(self) -> list[str]:
        return [self.tr("No."), self.tr("Member"), self.tr("Maker"), self.tr("Points"), self.tr("Reason"), self.tr("Evidence"),
                self.tr("Age"), self.tr("Approvals"), self.tr("Status"), self.tr("Memo")]

    def cell(self, row: Any, column: int) -> str:
        values = [
            str(row.request_id),
            f"{row.member_no} {row.masked_name}",
            f"{row.maker_name} ({row.maker_username})",
            fmt.signed(row.signed_points),
            reason_label(row.reason_code),
            row.evidence_ref or "–",
            age_text(row.age_minutes),
            f"{row.approvals}/{row.approvals_needed}",
            status_label(row.status),
            row.memo,
        ]
        return values[column]
