"""Numbers, dates and labels in the desk's locale (``QLocale.setDefault`` is set at start-up)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime, QTimeZone

from loyalty_desk import messages
from loyalty_desk.translatable import QT_TRANSLATE_NOOP


def number(value: int) -> str:
    return QLocale().toString(int(value))


def money(value: Decimal | float) -> str:
    """An amount in CNY with two decimals, in the desk's locale."""
    return QLocale().toString(float(value), "f", 2)


def signed(value: int) -> str:
    text = number(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def day(value: date | None) -> str:
    if value is None:
        return ""
    return QLocale().toString(qdate(value), QLocale.FormatType.ShortFormat)


def date_edit_format() -> str:
    """The locale's short date with the year in full: date fields read as the dates around them."""
    text = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return text if "yyyy" in text else text.replace("yy", "yyyy")


def to_local(value: datetime) -> QDateTime:
    """Stored times are naive UTC."""
    moment = QDateTime(qdate(value.date()), QTime(value.hour, value.minute, value.second), QTimeZone.utc())
    return moment.toLocalTime()


def datetime_utc(value: datetime) -> str:
    return QLocale().toString(to_local(value), QLocale.FormatType.ShortFormat)


TIERS = {
    "standard": QT_TRANSLATE_NOOP("Labels", "Standard"),
    "silver": QT_TRANSLATE_NOOP("Labels", "Silver"),
    "gold": QT_TRANSLATE_NOOP("Labels", "Gold"),
    "platinum": QT_TRANSLATE_NOOP("Labels", "Platinum"),
}

STATUSES = {
    "active": QT_TRANSLATE_NOOP("Labels", "Active"),
    "frozen": QT_TRANSLATE_NOOP("Labels", "Frozen"),
    "closed": QT_TRANSLATE_NOOP("Labels", "Closed"),
}

ROLES = {
    "officer": QT_TRANSLATE_NOOP("Labels", "Officer"),
    "supervisor": QT_TRANSLATE_NOOP("Labels", "Supervisor"),
    "admin": QT_TRANSLATE_NOOP("Labels", "Administrator"),
    "auditor": QT_TRANSLATE_NOOP("Labels", "Auditor"),
    "marketing": QT_TRANSLATE_NOOP("Labels", "Marketing"),
}

ID_TYPES = {
    "resident_id": QT_TRANSLATE_NOOP("Labels", "Resident ID"),
    "uscc": QT_TRANSLATE_NOOP("Labels", "Unified social credit code"),
    "passport": QT_TRANSLATE_NOOP("Labels", "Passport"),
}

ENTRY_KINDS = {
    "earn": QT_TRANSLATE_NOOP("Labels", "Earn"),
    "redeem": QT_TRANSLATE_NOOP("Labels", "Redemption"),
    "expire": QT_TRANSLATE_NOOP("Labels", "Expiry"),
    "adjust": QT_TRANSLATE_NOOP("Labels", "Manual adjustment"),
    "reversal": QT_TRANSLATE_NOOP("Labels", "Reversal"),
    "referral": QT_TRANSLATE_NOOP("Labels", "Referral"),
    "clawback": QT_TRANSLATE_NOOP("Labels", "Clawback"),
    "tier": QT_TRANSLATE_NOOP("Labels", "Tier change"),
}

TIER_CHANGE_REASONS = {
    "monthly_review": QT_TRANSLATE_NOOP("Labels", "monthly review"),
    "points_reached": QT_TRANSLATE_NOOP("Labels", "qualifying points reached"),
    "override": QT_TRANSLATE_NOOP("Labels", "manual override"),
    "override_ended": QT_TRANSLATE_NOOP("Labels", "manual override ended"),
    "refused_centrally": QT_TRANSLATE_NOOP("Labels", "refused by head office"),
}

SOURCES = {
    "card_spend": QT_TRANSLATE_NOOP("Labels", "Card spend"),
    "card_refund": QT_TRANSLATE_NOOP("Labels", "Card refund"),
    "financing": QT_TRANSLATE_NOOP("Labels", "Financing drawdown"),
    "repayment": QT_TRANSLATE_NOOP("Labels", "On-time repayment"),
    "profile_completed": QT_TRANSLATE_NOOP("Labels", "Profile completed"),
    "branch_event": QT_TRANSLATE_NOOP("Labels", "Branch event"),
    "survey": QT_TRANSLATE_NOOP("Labels", "Survey answered"),
    "card_approved": QT_TRANSLATE_NOOP("Labels", "Card journey"),
    "card_first_transaction": QT_TRANSLATE_NOOP("Labels", "First card transaction"),
    "card_spend_target": QT_TRANSLATE_NOOP("Labels", "Card spend target"),
    "campaign_bonus": QT_TRANSLATE_NOOP("Labels", "Campaign bonus"),
    "campaign_multiplier": QT_TRANSLATE_NOOP("Labels", "Campaign extra points"),
    "campaign_card_approved": QT_TRANSLATE_NOOP("Labels", "Campaign: card approved quickly"),
    "campaign_first_transaction": QT_TRANSLATE_NOOP("Labels", "Campaign: first-transaction gift"),
    "campaign_spend_target": QT_TRANSLATE_NOOP("Labels", "Campaign: spend target reached"),
    "referral": QT_TRANSLATE_NOOP("Labels", "Referral reward"),
    "referrer": QT_TRANSLATE_NOOP("Labels", "Referral reward (referrer)"),
}

HANDLES = {
    "member_no": QT_TRANSLATE_NOOP("Labels", "Member number"),
    "card_no": QT_TRANSLATE_NOOP("Labels", "Card number"),
    "mobile": QT_TRANSLATE_NOOP("Labels", "Mobile number"),
    "mobile_last4": QT_TRANSLATE_NOOP("Labels", "Last 4 digits of mobile"),
    "resident_id": QT_TRANSLATE_NOOP("Labels", "Resident ID"),
    "uscc": QT_TRANSLATE_NOOP("Labels", "Unified social credit code"),
    "passport": QT_TRANSLATE_NOOP("Labels", "Passport"),
    "name": QT_TRANSLATE_NOOP("Labels", "Name"),
    "number_prefix": QT_TRANSLATE_NOOP("Labels", "Start of a member, card or mobile number"),
    "empty": "",
}


class Words:
    """The words of one translation context: called with a text marked ``QT_TRANSLATE_NOOP(context, ...)``
    it gives it in the desk's language; ``of`` looks a code up in a table of such texts."""

    def __init__(self, context: str) -> None:
        self.context = context

    def __call__(self, text: str) -> str:
        return QCoreApplication.translate(self.context, text)

    def of(self, table: Mapping[str, str], code: str | None, missing: str | None = None) -> str:
        """``code``'s words from ``table``; for a code the table does not word, ``missing`` (the code itself when None)."""
        text = table.get(code) if code else None
        if text:
            return self(text)
        return (code or "") if missing is None else missing


LABELS = Words("Labels")


def label(table: dict[str, str], key: str | None) -> str:
    return LABELS.of(table, key) if key else ""


def tier(key: str | None) -> str:
    return label(TIERS, key)


FREEZE_REASONS = Words(messages.FREEZE_REASONS_CONTEXT)


def freeze_reason(key: str | None) -> str:
    """Why a member is frozen, in the desk's language (the catalogue is ``messages.FREEZE_REASONS``)."""
    return FREEZE_REASONS.of(messages.FREEZE_REASONS, key) if key else ""


def entry_description(kind: str, source: str | None, description: str, params: dict[str, str] | None = None) -> str:
    """History line text as the statement words it (never the Type again): ``description`` is a stable key
    such as ``earn.card_spend``; ``params`` name the reward, the redemption or the campaign."""
    params = params or {}
    translate = QCoreApplication.translate
    chinese = QLocale().language() == QLocale.Language.Chinese
    reward = params.get("reward_name_zh" if chinese else "reward_name_en") or params.get("reward_name") or params.get("reward_code")
    if kind == "redeem" and reward:
        text = reward
        quantity = int(params.get("quantity") or 1)
        return translate("Labels", "{reward} × {quantity}").format(reward=text, quantity=number(quantity)) if quantity > 1 else text
    if kind == "reversal" and params.get("redemption_no"):
        return translate("Labels", "Reversal of redemption {number}").format(number=params["redemption_no"])
    if kind == "expire":
        return translate("Labels", "Points expired")
    if kind == "tier":
        return translate("Labels", "Tier changed {old} -> {new} ({reason})").format(
            old=tier(params.get("from_tier")), new=tier(params.get("to_tier")), reason=label(TIER_CHANGE_REASONS, source)
        )
    _, _, tail = description.partition(".")
    for key in (tail, source or "", (source or "").removeprefix("referral_")):
        if key in SOURCES:
            text = label(SOURCES, key)
            return f"{text} · {params['campaign']}" if params.get("campaign") else text
    if kind == "referral":
        return label(SOURCES, "referral")
    return label(ENTRY_KINDS, kind)
