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
    "import.txn_id_reused": "{field}: transaction {value} was imported before with other data; a transaction id is never reused",
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
    "redeem.offline_limit": "While offline a member may redeem at most {limit:,} points a day: {used:,} used today, {needed:,} needed",
    # sync with central (issue 7)
    "balance.insufficient": "Not enough points at head office: {available:,} available, {requested:,} requested",
    "operation.payload_mismatch": "Head office already holds operation {operation_id} with different contents",
    "central.rejected": "Head office refused the operation",
    "sync.resolve_role": "Only a supervisor may resolve a sync exception (your role: {role})",
    "sync.resolution": "{field}: {value!r} is not a resolution (allowed: {allowed})",
    "sync.already_resolved": "Sync exception {exception_id} was already resolved",
    "sync.note_required": "{field}: explain the decision in at least {minimum} characters",
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
    # manual adjustments (issue 4)
    "adjust.direction": "{field}: {value!r} is not a direction (allowed: {allowed})",
    "adjust.reason_code": "{field}: unknown reason code {value!r} (allowed: {allowed})",
    "adjust.points": "{field}: the points must be a whole number above 0, not {value!r}",
    "adjust.points_max": "{field}: at most {maximum:,} points in one adjustment, not {value:,}",
    "adjust.memo_too_short": "{field}: the memo needs at least {minimum} characters ({actual} given)",
    "adjust.memo_too_long": "{field}: the memo may have at most {maximum} characters ({actual} given)",
    "adjust.evidence_required": "{field}: reason {reason_code} needs an evidence reference ({evidence})",
    "adjust.evidence_too_long": "{field}: the evidence reference may have at most {maximum} characters ({actual} given)",
    "adjust.debit_only": "{field}: reason {reason_code} is for debits only",
    "adjust.goodwill_max": "{field}: a goodwill adjustment is at most {maximum:,} points, not {value:,}",
    "adjust.beyond_available": "{field}: a debit of {value:,} points is more than the {available:,} points available",
    "adjust.own_request": "{username} made this request and cannot approve or reject it; another supervisor must",
    "adjust.not_supervisor": "{username} is not a supervisor ({role}); only a supervisor can approve or reject",
    "adjust.other_branch": "{username} is a supervisor of another branch; the request needs a supervisor of its branch or of head office",
    "adjust.inactive_approver": "The account {username} is disabled and cannot approve",
    "adjust.already_decided": "The request is already {status}",
    "adjust.expired": "The request expired at {expires_at:%Y-%m-%d %H:%M} UTC and can no longer be approved",
    "adjust.second_approver_same": "{username} has already approved this request; a second, different supervisor must approve it",
    "adjust.cancel_not_maker": "Only the officer who made the request can cancel it",
    "adjust.note_required": "{field}: give a note saying why the request is rejected",
    "adjust.note_too_long": "{field}: the note may have at most {maximum} characters ({actual} given)",
    "adjust.signed_points": "{field}: give a whole number of points other than 0 (negative for a debit), not {value!r}",
    "adjust.request_id": "{field}: {value!r} is not a request number",
    "adjust.sort": "{field}: cannot sort by {value!r} (allowed: {allowed})",
    "staff.invalid": "{field}: {value!r} is not allowed ({rule})",
    "staff.exists": "A staff account named {username} already exists",
    "staff.password_weak": "{field}: a password needs at least {minimum} characters with letters and digits",
    "staff.self": "You cannot {action} your own account",
    "staff.not_locked": "The account {username} is not locked",
    "staff.unlock_scope": "A supervisor can unlock only officers of their own branch",
    "audit.filter_dates": "{field}: the start date {since} is after the end date {until}",
    # referrals (issue 6)
    "referral.code_required": "{field}: type the referrer's referral code",
    "referral.code_characters": "{field}: {characters} cannot appear in a referral code (it uses 0-9 and A-Z without I, L, O, U)",
    "referral.code_length": "{field}: a referral code has {expected} characters, not {actual}",
    "referral.code_check": "{field}: {value} is not a valid referral code; a character is mistyped (check character does not match)",
    "referral.code_unknown": "{field}: no member has the referral code {value}",
    "referral.already_member": "{field}: the client is already a member ({member_no}) and cannot be referred",
    "referral.self_referral": "{field}: the referee has the same {field} as the referrer {member_no}; a member cannot refer themself",
    "referral.referrer_staff": "The referrer {member_no} is a member of staff; staff may not refer clients for rewards",
    "referral.referrer_cap": "The referrer {member_no} already has {count} qualified referrals in {year} (at most {cap} a year)",
    "referral.referrer_inactive": "The referrer {member_no} is {status}; only active members may refer",
    "referral.member_no_taken": "The member number {member_no} was taken meanwhile; register again",
    "referral.not_flagged": "The referral is {status}, not flagged; there is nothing to decide",
    "referral.other_branch": "{username} is a supervisor of another branch; the referral needs a supervisor of its branch or of head office",
    "referral.note_required": "{field}: give a note saying why",
    "referral.note_too_long": "{field}: the note may have at most {maximum} characters ({actual} given)",
    "referral.name_too_long": "{field}: at most {maximum} characters ({actual} given)",
    "referral.address_too_long": "{field}: at most {maximum} characters ({actual} given)",
    "referral.status": "{field}: unknown status {value} (allowed: {allowed})",
    "auth.inactive": "The account {username} is disabled",
    # statements, exports, member import (issue 8)
    "documents.no_cjk_font": "No Chinese font found to print with: install one or set {env} to a TrueType (.ttf/.ttc) font file (looked in: {looked_in})",
    "statement.period_order": "{field}: the period ends ({period_to}) before it starts ({period_from})",
    "statement.period_future": "{field}: the period starts on {value}, after today ({today})",
    "statement.period_length": "{field}: a statement covers at most {maximum_days} days",
    "statement.preset": "{field}: unknown period {value} (allowed: {allowed})",
    "statement.language": "{field}: unknown language {value} (allowed: {allowed})",
    "export.kind": "{field}: unknown export {value} (allowed: {allowed})",
    "export.within": "{field}: expiring within {value} days is not offered (allowed: {allowed})",
    "export.period_order": "{field}: the period ends ({date_to}) before it starts ({date_from})",
    "export.unavailable": "The {kind} export is not available in this installation",
    "export.cancelled": "The {kind} export was cancelled; no file was written",
    "member_import.duplicate_in_file": "{field}: {value} already appears on row {first_row} of this file",
    "member_import.exists": "{field}: {value} belongs to member {member_no} already",
    "member_import.unknown_branch": "{field}: no branch has the code {value}",
    "member_import.kind": "{field}: unknown member type {value} (allowed: {allowed})",
    "member_import.kind_id_type": "{field}: a member with a unified social credit code is a business member",
    "member_import.too_long": "{field}: at most {maximum} characters, not {actual}",
    "import.bad_row": "{field}: row {row}: {value} is not valid ({reason})",
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
