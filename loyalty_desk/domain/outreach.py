"""Outreach: marketing messages to the members of a segment, for a reason, in the member's language.

A member hears at most once per reason and period: the period of the expiry reminders and the
card-journey nudge is the calendar month the batch is built in, a campaign invitation's is the
campaign. Members the reason does not concern (no points expiring in the window, a tier or branch
the campaign leaves out, a card journey already begun), then members who opted out, then those without a valid mobile, then
those already messaged for the reason in the period are left out, each counted under the first of
these that applies.

The messages are the member's, not the desk's: their wording follows the member's language
(``member.language``), so the templates live here, one per reason and language, rather than in the
desk's Qt translations.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.identity import validate_mobile

BODY_MAX = 500


class Reason(StrEnum):
    EXPIRING_30 = "expiring_30"
    EXPIRING_60 = "expiring_60"
    EXPIRING_90 = "expiring_90"
    CAMPAIGN_INVITATION = "campaign_invitation"
    CARD_JOURNEY_NUDGE = "card_journey_nudge"

    @property
    def expiring_days(self) -> int | None:
        return {Reason.EXPIRING_30: 30, Reason.EXPIRING_60: 60, Reason.EXPIRING_90: 90}.get(self)


class Language(StrEnum):
    ZH_CN = "zh_CN"
    EN = "en"


class DeliveryStatus(StrEnum):
    WRITTEN = "written"  # in the file for the SMS platform, no result yet
    ACCEPTED = "accepted"  # handed to the platform over HTTP and accepted by it, no delivery report yet
    DELIVERED = "delivered"
    FAILED = "failed"  # the platform could not deliver it (a dead number, a handset off too long)
    REJECTED = "rejected"  # the platform refused to send it (a blocked number, content rules)


# What the SMS platform's delivery report may say (lower case), mapped to ours.
REPORTED_STATUSES = {
    "delivered": DeliveryStatus.DELIVERED, "delivrd": DeliveryStatus.DELIVERED, "success": DeliveryStatus.DELIVERED,
    "failed": DeliveryStatus.FAILED, "undeliv": DeliveryStatus.FAILED, "expired": DeliveryStatus.FAILED,
    "rejected": DeliveryStatus.REJECTED, "rejectd": DeliveryStatus.REJECTED,
}

# Placeholders: name, points, expires_on, days (expiring); campaign, starts_on, ends_on (invitation); bonus, days (nudge).
TEMPLATES: dict[Reason, dict[Language, str]] = {
    **{
        reason: {
            Language.ZH_CN: "【积分提醒】{name}您好，您有{points}积分将于{expires_on}到期，请在{days}天内到网点或手机银行兑换礼品。退订回T",
            Language.EN: "Dear {name}, {points} of your points expire on {expires_on}. Redeem them within {days} days at a branch "
                         "or in mobile banking. Reply T to opt out",
        }
        for reason in (Reason.EXPIRING_30, Reason.EXPIRING_60, Reason.EXPIRING_90)
    },
    Reason.CAMPAIGN_INVITATION: {
        Language.ZH_CN: "【活动邀请】{name}您好，{campaign}活动将于{starts_on}至{ends_on}举行，期间刷卡即可获得额外积分。退订回T",
        Language.EN: "Dear {name}, join {campaign} from {starts_on} to {ends_on}: card spending earns extra points. Reply T to opt out",
    },
    Reason.CARD_JOURNEY_NUDGE: {
        Language.ZH_CN: "【用卡礼遇】{name}您好，您的信用卡已核发，{days}天内完成首笔刷卡即可获得{bonus}积分。退订回T",
        Language.EN: "Dear {name}, your credit card is ready: use it within {days} days to receive {bonus} bonus points. Reply T to opt out",
    },
}


def message_text(reason: Reason, language: str, figures: Mapping[str, Any]) -> str:
    """The message for ``reason`` in the member's language (Chinese when the language is not known)."""
    try:
        chosen = Language(language)
    except ValueError:
        chosen = Language.ZH_CN
    return TEMPLATES[reason][chosen].format(**figures)[:BODY_MAX]


def period_for(reason: Reason, today: date, campaign_code: str | None = None) -> str:
    """The period within which a member hears of ``reason`` at most once."""
    if reason is Reason.CAMPAIGN_INVITATION:
        return f"campaign:{campaign_code}"
    return f"{today.year:04d}-{today.month:02d}"


def valid_mobile(mobile: str | None) -> str | None:
    """The mobile as the SMS platform takes it (11 digits), or None when it is not a valid mainland mobile."""
    try:
        return validate_mobile(mobile)
    except DomainError:
        return None


def check_reason(value: Any) -> Reason:
    try:
        return Reason(str(value or "").strip().lower())
    except ValueError:
        raise ValidationError("outreach.reason", field="reason", value=str(value or ""),
                              allowed=", ".join(r.value for r in Reason)) from None


def check_language(value: Any) -> Language:
    try:
        return Language(str(value or "").strip())
    except ValueError:
        raise ValidationError("outreach.language", field="language", value=str(value or ""),
                              allowed=", ".join(lang.value for lang in Language)) from None
