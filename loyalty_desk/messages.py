"""English sentences for domain error codes (command line, logs, message catalogue).

Templates use ``str.format`` placeholders named after the error's params.
"""

from __future__ import annotations

from loyalty_desk.domain.errors import DomainError

MESSAGES: dict[str, str] = {
    # identities
    "identity.required": "{field} is required",
    "identity.length": "{field}: should be {expected} characters long, not {actual}",
    "identity.length_range": "{field}: should be {minimum} to {maximum} characters long, not {actual}",
    "identity.characters": "{field}: only these characters are allowed: {allowed}",
    "identity.check_digit": "{field}: check digit should be {expected}, not {actual}",
    "identity.birth_date": "{field}: {value} is not a valid birth date",
    "identity.mobile_format": "{field}: a mobile number has 11 digits and starts with 1",
    "identity.id_type": "{field}: unknown ID type {value} (allowed: {allowed})",
    "member_no.format": "{field}: a member number is M followed by 10 digits, not {value}",
    # points and lots
    "points.not_positive": "The number of points must be positive, not {points}",
    "points.insufficient": "Not enough points: {available} available, {requested} requested",
    # transaction imports
    "import.required": "{field} is required",
    "import.date_format": "{field}: {value} is not a date in the form {expected}",
    "import.date_future": "{field}: {value} is in the future",
    "import.amount_format": "{field}: {value} is not an amount with at most {decimals} decimals",
    "import.amount_negative": "{field}: {value} is negative",
    "import.unknown_source": "{field}: unknown source {value} (allowed: {allowed})",
    "import.due_date_required": "{field} is required for a repayment",
    "import.missing_column": "The file has no {column} column",
    "import.duplicate_txn_id": "{field}: {value} already appears on row {first_row} of this file",
    "import.unknown_member": "{field}: no member has the number {value}",
    "import.unreadable": "The file {file} cannot be read ({reason})",
    "import.file_type": "The file {file} is not a supported type (allowed: {allowed})",
    # earning outcomes (why a transaction earned nothing)
    "earning.financing_below_minimum": "Financing below the minimum amount earns no points",
    "earning.repayment_late": "Repayment after its due date earns no points",
    "earning.survey_limit": "Survey limit for the year already reached",
    "earning.profile_already_rewarded": "The completed profile was already rewarded",
    "earning.card_approved_recorded": "Card approval recorded (no points)",
    "earning.no_points": "The transaction earns no points",
    "earning.unknown_source": "Unknown earning source {source}",
    # redemption (issue 5)
    "redeem.member_inactive": "The member is {status}: only active members may redeem",
    "redeem.tier": "This reward needs the {required} tier (the member is {tier})",
    "redeem.inactive_window": "This reward is not offered today (offered from {active_from} to {active_to})",
    "redeem.out_of_stock": "Not enough in stock at this branch: {available} left, {requested} requested",
    "redeem.monthly_cap": "Over the monthly redemption cap of {cap:,} points: {used:,} used this month, {remaining:,} left, {needed:,} needed",
    "redeem.window_limit": "At most {max} redemptions in {hours} hours; the next one is allowed from {next_allowed_at}",
    "redeem.yearly_limit": "This reward may be taken {limit} time(s) a year; {used} already taken this year",
    "redeem.balance": "Not enough points: {available:,} available, {needed:,} needed",
    "redeem.qty": "{field}: the quantity must be a whole number from 1 to {maximum}, not {value}",
    "redeem.price_changed": "The points cost of {reward_code} is now {points_cost:,} a piece (the confirmation showed {expected:,} in total); confirm again",
    "redeem.already_reversed": "Redemption {number} was already reversed on {reversed_at}",
    "redeem.reversal_window": "Redemption {number} is older than {days} days and can no longer be reversed",
    "redeem.reason_required": "{field}: a reason is required to reverse a redemption",
    "redeem.operation_id": "{field}: {value} is not an operation id",
    "reward.invalid": "{field}: {value} is not allowed ({rule})",
    "stock.qty": "{field}: the quantity must be a whole number of at least 1, not {value}",
    "stock.negative": "Stock of {reward_code} at {branch_code} cannot go below zero (on hand {on_hand}, change {change})",
    "auth.forbidden": "Your role ({role}) may not {action}",
    # generic
    "not_found": "{what} {key} not found",
}


def describe(error: DomainError) -> str:
    """The English sentence for ``error``; the bare code when no template fits."""
    template = MESSAGES.get(error.code)
    if template is None:
        return error.code
    try:
        return template.format(**error.params)
    except (KeyError, IndexError, ValueError):
        return error.code
