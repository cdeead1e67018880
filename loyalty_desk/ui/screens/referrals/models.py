"""Referrals: statuses, events, flags in words and the table model of referrals."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.models import _RowsModel

_t = fmt.Words("Referrals")

STATUSES = {
    "registered": QT_TRANSLATE_NOOP("Referrals", "Registered"),
    "qualified": QT_TRANSLATE_NOOP("Referrals", "Qualified, pending"),
    "rewarded": QT_TRANSLATE_NOOP("Referrals", "Rewarded"),
    "rejected": QT_TRANSLATE_NOOP("Referrals", "Rejected"),
    "flagged": QT_TRANSLATE_NOOP("Referrals", "Flagged for review"),
    "expired": QT_TRANSLATE_NOOP("Referrals", "Expired"),
    "clawed_back": QT_TRANSLATE_NOOP("Referrals", "Clawed back"),
}
EVENTS = {
    "financing": QT_TRANSLATE_NOOP("Referrals", "Financing"),
    "card": QT_TRANSLATE_NOOP("Referrals", "Card and spend"),
}
FLAGS = {
    "daily_volume": QT_TRANSLATE_NOOP("Referrals", "{count} referrals by this referrer on {day} (more than {threshold})"),
    "referrer_address": QT_TRANSLATE_NOOP("Referrals", "The referee lives in the referrer's building"),
    "phone_pattern": QT_TRANSLATE_NOOP("Referrals", "Mobile from the number block {prefix}xxxx shared with the referrer or another referee"),
    "shared_address": QT_TRANSLATE_NOOP("Referrals", "{count} referees registered at the same address"),
}
FLAG_SHORT = {
    "daily_volume": QT_TRANSLATE_NOOP("Referrals", "Many in a day"),
    "referrer_address": QT_TRANSLATE_NOOP("Referrals", "Referrer's building"),
    "phone_pattern": QT_TRANSLATE_NOOP("Referrals", "Number block"),
    "shared_address": QT_TRANSLATE_NOOP("Referrals", "Same address"),
}
ID_TYPES = ("resident_id", "passport", "uscc")
CAPPED = QT_TRANSLATE_NOOP("Referrals", "capped")
CLAWED_BACK = QT_TRANSLATE_NOOP("Referrals", "clawed back")


def status_label(code: str) -> str:
    return _t.of(STATUSES, code)


def event_label(code: str | None) -> str:
    return _t.of(EVENTS, code, "–")


def flag_short_label(code: str) -> str:
    return _t.of(FLAG_SHORT, code)


def flag_text(flag: dict[str, Any]) -> str:
    code = str(flag.get("code"))
    params = {k: (fmt.number(v) if isinstance(v, int) else v) for k, v in dict(flag.get("params") or {}).items()}
    if code == "daily_volume" and isinstance(params.get("day"), str):
        with contextlib.suppress(ValueError):  # a day not in ISO form is shown as written
            params["day"] = fmt.day(date.fromisoformat(params["day"]))
    template = FLAGS.get(code)
    if template is None:
        return code
    try:
        return _t(template).format(**params)
    except (KeyError, IndexError):
        return _t(template)


def grouped_code(code: str | None) -> str:
    """``ABCD1234`` -> ``ABCD 1234`` (easier to read out at the counter)."""
    return f"{code[:4]} {code[4:]}" if code else "–"


def _points(view: Any, role: str) -> str:
    reward = view.reward_for(role)
    if reward is None:
        return "–"
    if reward.status == "capped":
        return _t(CAPPED)
    if reward.status == "clawed_back":
        return _t(CLAWED_BACK)
    return fmt.number(reward.points)





class ReferralsModel(_RowsModel):
    """Rows of ``ReferralView``."""

    numeric_columns = frozenset({5, 6, 7})

    def headers(self) -> list[str]:
        return [self.tr("Registered"), self.tr("Referrer"), self.tr("Referee"), self.tr("Status"), self.tr("Event"),
                self.tr("Referee pts"), self.tr("Referrer pts"), self.tr("2nd level pts"), self.tr("Officer"), self.tr("Flags")]

    def cell(self, row: Any, column: int) -> str:
        values = [
            fmt.day(row.registered_on),
            f"{row.referrer_no} {row.referrer_name}",
            f"{row.referee_no} {row.referee_name}",
            status_label(row.status),
            event_label(row.qualifying_event),
            _points(row, "referee"),
            _points(row, "referrer"),
            _points(row, "second_level") if row.second_level_no else "–",
            row.officer,
            ", ".join(flag_short_label(c) for c in row.flag_codes),
        ]
        return values[column]
