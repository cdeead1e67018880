"""Domain errors as translated sentences on the screens.

The sentences are the error catalogue's (``loyalty_desk.messages``), translated in its context;
numbers, dates, tiers and statuses in the parameters are written in the desk's locale, and field
names, actions and kinds of record in this module's words.
"""

from __future__ import annotations

import string
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from loyalty_desk import messages
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt

_tr = fmt.Words("Errors")

# ``auth.forbidden``'s ``action`` (services/roles.py ACTIONS), translated.
ACTIONS: dict[str, str] = {
    "request adjustments": QT_TRANSLATE_NOOP("Errors", "request adjustments"),
    "cancel adjustment requests": QT_TRANSLATE_NOOP("Errors", "cancel adjustment requests"),
    "approve or reject adjustments": QT_TRANSLATE_NOOP("Errors", "approve or reject adjustments"),
    "see the approvals queue": QT_TRANSLATE_NOOP("Errors", "see the approvals queue"),
    "manage staff accounts": QT_TRANSLATE_NOOP("Errors", "manage staff accounts"),
    "unlock staff accounts": QT_TRANSLATE_NOOP("Errors", "unlock staff accounts"),
    "see staff accounts": QT_TRANSLATE_NOOP("Errors", "see staff accounts"),
    "read the audit trail": QT_TRANSLATE_NOOP("Errors", "read the audit trail"),
    "verify the audit trail": QT_TRANSLATE_NOOP("Errors", "verify the audit trail"),
    "export the audit trail": QT_TRANSLATE_NOOP("Errors", "export the audit trail"),
    "register referrals": QT_TRANSLATE_NOOP("Errors", "register referrals"),
    "resolve flagged referrals": QT_TRANSLATE_NOOP("Errors", "resolve flagged referrals"),
    "freeze a member": QT_TRANSLATE_NOOP("Errors", "freeze a member"),
    "lift a member's freeze": QT_TRANSLATE_NOOP("Errors", "lift a member's freeze"),
    "change a member's mobile": QT_TRANSLATE_NOOP("Errors", "change a member's mobile"),
    "see the card service report": QT_TRANSLATE_NOOP("Errors", "see the card service report"),
    "see another branch's service report": QT_TRANSLATE_NOOP("Errors", "see another branch's service report"),
}

FIELDS: dict[str, str] = {
    "id_number": QT_TRANSLATE_NOOP("Errors", "ID number"),
    "mobile": QT_TRANSLATE_NOOP("Errors", "Mobile"),
    "member_no": QT_TRANSLATE_NOOP("Errors", "Member number"),
    "card_no": QT_TRANSLATE_NOOP("Errors", "Card number"),
    "reason": QT_TRANSLATE_NOOP("Errors", "Reason"),
    "username": QT_TRANSLATE_NOOP("Errors", "Username"),
    "password": QT_TRANSLATE_NOOP("Errors", "Password"),
    "qty": QT_TRANSLATE_NOOP("Errors", "Quantity"),
    "direction": QT_TRANSLATE_NOOP("Errors", "Direction"),
    "points": QT_TRANSLATE_NOOP("Errors", "Points"),
    "reason_code": QT_TRANSLATE_NOOP("Errors", "Reason code"),
    "memo": QT_TRANSLATE_NOOP("Errors", "Memo"),
    "evidence_ref": QT_TRANSLATE_NOOP("Errors", "Evidence"),
    "note": QT_TRANSLATE_NOOP("Errors", "Note"),
    "display_name": QT_TRANSLATE_NOOP("Errors", "Name"),
    "role": QT_TRANSLATE_NOOP("Errors", "Role"),
    "branch_code": QT_TRANSLATE_NOOP("Errors", "Branch"),
    "initial_password": QT_TRANSLATE_NOOP("Errors", "Initial password"),
    "new_password": QT_TRANSLATE_NOOP("Errors", "New password"),
    "code": QT_TRANSLATE_NOOP("Errors", "Referral code"),
    "name": QT_TRANSLATE_NOOP("Errors", "Name"),
    "address": QT_TRANSLATE_NOOP("Errors", "Address"),
    "id_type": QT_TRANSLATE_NOOP("Errors", "ID type"),
    "resolution": QT_TRANSLATE_NOOP("Errors", "Decision"),
    "approved_by": QT_TRANSLATE_NOOP("Errors", "Approving supervisor"),
    "resolved_by": QT_TRANSLATE_NOOP("Errors", "Resolving supervisor"),
    "operation_id": QT_TRANSLATE_NOOP("Errors", "Operation id"),
    "rejected_operation_id": QT_TRANSLATE_NOOP("Errors", "Rejected operation"),
    "goods": QT_TRANSLATE_NOOP("Errors", "Goods"),
    "effective_on": QT_TRANSLATE_NOOP("Errors", "Effective date"),
    "changes": QT_TRANSLATE_NOOP("Errors", "Settings"),
    "change_id": QT_TRANSLATE_NOOP("Errors", "Rules change"),
}

WHAT: dict[str, str] = {
    "member": QT_TRANSLATE_NOOP("Errors", "member"),
    "staff": QT_TRANSLATE_NOOP("Errors", "staff account"),
    "reward": QT_TRANSLATE_NOOP("Errors", "reward"),
    "redemption": QT_TRANSLATE_NOOP("Errors", "redemption"),
    "branch": QT_TRANSLATE_NOOP("Errors", "branch"),
    "referral": QT_TRANSLATE_NOOP("Errors", "referral"),
    "sync_exception": QT_TRANSLATE_NOOP("Errors", "sync exception"),
    "rule change": QT_TRANSLATE_NOOP("Errors", "rules change"),
}

UNEXPECTED = QT_TRANSLATE_NOOP("Errors", "Something went wrong. Please quote incident {incident} to support.")
UNKNOWN_CODE = QT_TRANSLATE_NOOP("Errors", "The request was refused ({code}).")


def setting_name(path: str) -> str:
    """A rules setting's name in the desk's language (``messages.SETTING_NAMES``)."""
    english = messages.SETTING_NAMES.get(path)
    return QCoreApplication.translate(messages.SETTING_NAMES_CONTEXT, english) if english else path


def _param_text(key: str, value: Any) -> str:
    if key == "field" and isinstance(value, str):
        return _tr.of(FIELDS, value)
    if key == "what" and isinstance(value, str):
        return _tr.of(WHAT, value)
    if key == "action" and isinstance(value, str) and value in ACTIONS:
        return _tr(ACTIONS[value])
    if value is None:
        return "–"
    if key in ("required", "tier") and isinstance(value, str) and value in fmt.TIERS:
        return fmt.tier(value)
    if key == "freeze_reason" and isinstance(value, str):
        return fmt.freeze_reason(value)
    if key == "setting" and isinstance(value, str):
        return setting_name(value)
    if key == "status" and isinstance(value, str) and value in fmt.STATUSES:
        return fmt.label(fmt.STATUSES, value)
    if isinstance(value, datetime):
        return fmt.datetime_utc(value)
    if isinstance(value, date):
        return fmt.day(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt.number(value)
    return str(value)


class _ScreenFormatter(string.Formatter):
    """Fills a sentence with parameters already written for people: the command line's format
    specs and conversions (``{points:,}``, ``{value!r}``) do not apply to them."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        return value

    def format_field(self, value: Any, format_spec: str) -> str:
        return str(value)


_SCREEN_FORMATTER = _ScreenFormatter()


def error_message(error: BaseException) -> str:
    """The sentence to show for any exception a task or a service raised."""
    if isinstance(error, DomainError):
        template = messages.template_for(error.code, error.params)
        if template is None:
            return _tr(UNKNOWN_CODE).format(code=error.code)
        sentence = QCoreApplication.translate(messages.CONTEXT, template)
        params = {key: _param_text(key, value) for key, value in error.params.items()}
        try:
            return _SCREEN_FORMATTER.format(sentence, **params)
        except (KeyError, IndexError):
            return sentence
    incident = getattr(error, "incident", None) or "?"
    return _tr(UNEXPECTED).format(incident=incident)
