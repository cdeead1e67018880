"""Domain error codes as translated sentences: the ONE place the desk turns a code into words.

Each template has ``{param}`` placeholders filled from ``DomainError.params``; numbers and
dates in the parameters are written in the desk's locale.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.ui import fmt

CONTEXT = "Errors"

MESSAGES: dict[str, str] = {
    # sign-in and lock
    "auth.invalid_credentials": QT_TRANSLATE_NOOP("Errors", "Wrong username or password."),
    "auth.locked": QT_TRANSLATE_NOOP("Errors", "This account is locked after too many failed sign-ins. Try again after {until}."),
    "auth.inactive": QT_TRANSLATE_NOOP("Errors", "The account {username} is disabled. Ask an administrator."),
    "auth.unlock_not_allowed": QT_TRANSLATE_NOOP("Errors", "Only {locked_user} or a supervisor can unlock this desk."),
    "auth.password_policy": QT_TRANSLATE_NOOP("Errors", "{field}: at least {minimum} characters, with both letters and digits."),
    "auth.password_reused": QT_TRANSLATE_NOOP("Errors", "{field}: choose a password different from the current one."),
    # identities
    "identity.required": QT_TRANSLATE_NOOP("Errors", "{field} is required."),
    "identity.length": QT_TRANSLATE_NOOP("Errors", "{field} should have {expected} characters, not {actual}."),
    "identity.characters": QT_TRANSLATE_NOOP("Errors", "{field} may contain only: {allowed}."),
    "identity.check_digit": QT_TRANSLATE_NOOP("Errors", "{field} check digit should be {expected}, not {actual}."),
    "identity.birth_date": QT_TRANSLATE_NOOP("Errors", "{field} contains an invalid birth date ({value})."),
    "identity.mobile_format": QT_TRANSLATE_NOOP("Errors", "{field} must be 11 digits starting with 1."),
    "identity.control_character": QT_TRANSLATE_NOOP("Errors", "{field} may not contain control characters ({character} at position {position})."),
    "identity.emoji": QT_TRANSLATE_NOOP("Errors", "{field} may not contain emoji or symbols ({character} at position {position})."),
    "identity.markup": QT_TRANSLATE_NOOP("Errors", "{field} may not contain the markup character {character} (position {position})."),
    "identity.formula_start": QT_TRANSLATE_NOOP("Errors", "{field} may not begin with {character}: a spreadsheet would take it for a formula."),
    "identity.name_script": QT_TRANSLATE_NOOP("Errors", "{field}: write a person's name either in Chinese characters or in Latin letters, not both."),
    "identity.name_characters": QT_TRANSLATE_NOOP(
        "Errors", "{field} may not contain {character}. A person's name holds Chinese characters (parts joined by ·), "
        "or Latin letters with spaces and ' or - between letters."),
    "identity.business_name_characters": QT_TRANSLATE_NOOP(
        "Errors", "{field} may not contain {character}. A business name holds Chinese characters, Latin letters, digits, "
        "spaces and ( ) . , & ' - ·"),
    "identity.name_punctuation": QT_TRANSLATE_NOOP("Errors", "{field}: {character} may only stand between two letters of the name."),
    "member_no.format": QT_TRANSLATE_NOOP("Errors", "{value} is not a member number (M followed by 10 digits)."),
    # members and reveal
    "not_found": QT_TRANSLATE_NOOP("Errors", "No {what} found for {key}."),
    "reveal.reason_too_short": QT_TRANSLATE_NOOP("Errors", "Give a reason of at least {minimum} characters."),
    "reveal.reason_required": QT_TRANSLATE_NOOP("Errors", "Give a reason of at least {minimum} characters to reveal the full ID and mobile."),
    "history.date_range": QT_TRANSLATE_NOOP("Errors", "The start date {date_from} is after the end date {date_to}."),
    "history.limit": QT_TRANSLATE_NOOP("Errors", "A history page holds {minimum} to {maximum} entries."),
    "history.offset": QT_TRANSLATE_NOOP("Errors", "Invalid history position {value}."),
    "forbidden": QT_TRANSLATE_NOOP("Errors", "Your role may not do this."),
    # points
    "points.not_positive": QT_TRANSLATE_NOOP("Errors", "Points must be a positive number."),
    "points.insufficient": QT_TRANSLATE_NOOP("Errors", "Not enough available points."),
    "ledger.already_reversed": QT_TRANSLATE_NOOP("Errors", "This entry has already been reversed."),
    # redemption
    "redeem.member_inactive": QT_TRANSLATE_NOOP("Errors", "The member is {status}: only active members may redeem."),
    "redeem.tier": QT_TRANSLATE_NOOP("Errors", "Needs the {required} tier (the member is {tier})."),
    "redeem.inactive_window": QT_TRANSLATE_NOOP("Errors", "Not offered today (offered {active_from} to {active_to})."),
    "redeem.out_of_stock": QT_TRANSLATE_NOOP("Errors", "Out of stock at this branch: {available} left, {requested} wanted."),
    "redeem.monthly_cap": QT_TRANSLATE_NOOP("Errors", "Monthly cap of {cap} points: {remaining} left this month, {needed} needed."),
    "redeem.window_limit": QT_TRANSLATE_NOOP("Errors", "Already {max} redemptions in {hours} hours; next one from {next_allowed_at}."),
    "redeem.yearly_limit": QT_TRANSLATE_NOOP("Errors", "Limit of {limit} a year reached ({used} taken this year)."),
    "redeem.balance": QT_TRANSLATE_NOOP("Errors", "Not enough points: {available} available, {needed} needed."),
    "redeem.offline_limit": QT_TRANSLATE_NOOP("Errors", "Offline: at most {limit} points a day per member ({used} used today, {needed} needed)."),
    # sync with central
    "balance.insufficient": QT_TRANSLATE_NOOP("Errors", "Not enough points at head office: {available} available, {requested} requested."),
    "central.rejected": QT_TRANSLATE_NOOP("Errors", "Head office refused the operation."),
    "sync.conflict": QT_TRANSLATE_NOOP("Errors", "Head office already holds {column} {value} for another record: this desk's operation gave way to head office's copy and was reversed here."),
    "sync.local_only": QT_TRANSLATE_NOOP("Errors", "A {table} row of member {member_no} was written on this desk outside any operation (a local import of an older release) and never reached head office. Head office's data replaced it."),
    "sync.member_unknown": QT_TRANSLATE_NOOP("Errors", "Member {member_no} exists on this desk only; head office never registered it. The operation was not sent and was reversed here."),
    "sync.push_refused": QT_TRANSLATE_NOOP("Errors", "Head office's database refused the operation ({reason}). It was reversed here."),
    "job.joined_desk": QT_TRANSLATE_NOOP("Errors", "This desk syncs with head office, which runs '{job}' for every desk; the results arrive through sync."),
    "staff.joined_desk": QT_TRANSLATE_NOOP("Errors", "This desk syncs with head office, so accounts are not changed here: head office would never learn of it and would refuse the person's operations. Do it at head office: loyalty-desk staff {action} ... --central URL"),
    "staff.password_change_not_own": QT_TRANSLATE_NOOP("Errors", "A password change may be made only by the staff member whose password it is (staff {staff_id})."),
    "staff.password_change_key": QT_TRANSLATE_NOOP("Errors", "The password change of {username} does not keep the signing key head office holds (the password was reset since, or the change is forged). Sign in with the password head office set."),
    "import.joined_desk": QT_TRANSLATE_NOOP("Errors", "This desk syncs with head office, so it does not import {kind} itself: head office would never receive them. Import the file at head office: loyalty-desk import {kind} FILE --central URL"),
    "sync.resolve_role": QT_TRANSLATE_NOOP("Errors", "Only a supervisor may resolve a sync exception."),
    "sync.resolution": QT_TRANSLATE_NOOP("Errors", "Choose how to resolve the exception."),
    "sync.already_resolved": QT_TRANSLATE_NOOP("Errors", "This exception was already resolved."),
    "sync.note_required": QT_TRANSLATE_NOOP("Errors", "Explain the decision in at least {minimum} characters."),
    "sync.note_too_long": QT_TRANSLATE_NOOP("Errors", "The note may have at most {maximum} characters."),
    "sync.operation_id": QT_TRANSLATE_NOOP("Errors", "{field}: {value} is not an operation id."),
    "sync.points": QT_TRANSLATE_NOOP("Errors", "{field}: {value} is not a whole number of points."),
    "sync.resolved_by": QT_TRANSLATE_NOOP("Errors", "The decision must be recorded by the signed-in supervisor {expected}."),
    "sync.member_mismatch": QT_TRANSLATE_NOOP("Errors", "This exception is about member {expected}, not {value}."),
    "sync.points_mismatch": QT_TRANSLATE_NOOP("Errors", "The rejection gave back {expected} points, not {value}. Refresh the list and decide again."),
    "sync.nothing_owed": QT_TRANSLATE_NOOP("Errors", "The rejection gave no points back, so there is nothing to take again as points owed. Choose another decision."),
    "sync.goods": QT_TRANSLATE_NOOP("Errors", "The goods of the rejected redemption are not named properly."),
    "sync.approver_required": QT_TRANSLATE_NOOP("Errors", "A write-off needs the approval of a second supervisor."),
    "sync.approver_unexpected": QT_TRANSLATE_NOOP("Errors", "Only a write-off is approved by a second supervisor."),
    "sync.approver_same": QT_TRANSLATE_NOOP("Errors", "{username} is resolving this exception and cannot also approve the write-off. A second supervisor must."),
    "sync.approver_inactive": QT_TRANSLATE_NOOP("Errors", "The account {username} is disabled and cannot approve a write-off."),
    "sync.approver_not_supervisor": QT_TRANSLATE_NOOP("Errors", "{username} is not a supervisor. Only a supervisor can approve a write-off."),
    "member.fetch_limit": QT_TRANSLATE_NOOP("Errors", "This desk has fetched as many members of other regions from head office as it may today. Ask head office."),
    "sync.approver_other_branch": QT_TRANSLATE_NOOP("Errors", "{username} is a supervisor of another branch. A supervisor of this branch or of head office must approve."),
    "redeem.qty": QT_TRANSLATE_NOOP("Errors", "The quantity must be from 1 to {maximum}."),
    "redeem.price_changed": QT_TRANSLATE_NOOP("Errors", "The points cost of {reward_code} has changed; check the new figures and confirm again."),
    "redeem.already_reversed": QT_TRANSLATE_NOOP("Errors", "Redemption {number} was already reversed on {reversed_at}."),
    "redeem.reversal_window": QT_TRANSLATE_NOOP("Errors", "Redemption {number} is older than {days} days and can no longer be reversed."),
    "redeem.reason_required": QT_TRANSLATE_NOOP("Errors", "Give a reason for the reversal."),
    "reward.invalid": QT_TRANSLATE_NOOP("Errors", "{field}: {value} is not allowed ({rule})."),
    # reward.invalid per field (the catalogue admin screen shows these next to the field)
    "reward.invalid.code": QT_TRANSLATE_NOOP("Errors", "Code: 2 to 32 capital letters, digits, - or _."),
    "reward.invalid.name_zh": QT_TRANSLATE_NOOP("Errors", "Chinese name: 1 to 100 characters."),
    "reward.invalid.name_en": QT_TRANSLATE_NOOP("Errors", "English name: 1 to 100 characters."),
    "reward.invalid.category": QT_TRANSLATE_NOOP("Errors", "Choose a category."),
    "reward.invalid.points_cost": QT_TRANSLATE_NOOP("Errors", "Points cost: a whole number of points above 0."),
    "reward.invalid.cash_value": QT_TRANSLATE_NOOP("Errors", "Cash value: an amount in CNY of at least 0, with at most 2 decimals."),
    "reward.invalid.min_tier": QT_TRANSLATE_NOOP("Errors", "Choose a minimum tier."),
    "reward.invalid.active_to": QT_TRANSLATE_NOOP("Errors", "The last day must be on or after the first day."),
    "reward.invalid.yearly_limit_per_member": QT_TRANSLATE_NOOP("Errors", "Yearly limit: empty (unlimited) or at least 1."),
    "reward.invalid.reward_code": QT_TRANSLATE_NOOP("Errors", "Stock is not tracked for {value}."),
    "stock.qty": QT_TRANSLATE_NOOP("Errors", "{field}: enter a whole number of at least 1."),
    "stock.negative": QT_TRANSLATE_NOOP("Errors", "Stock of {reward_code} at {branch_code} cannot go below zero (on hand {on_hand})."),
    "auth.forbidden": QT_TRANSLATE_NOOP("Errors", "Your role may not {action}."),
    "operation.payload_mismatch": QT_TRANSLATE_NOOP("Errors", "This operation was already recorded with different details; start again."),
    # manual adjustments, staff, audit
    "adjust.direction": QT_TRANSLATE_NOOP("Errors", "Choose credit or debit."),
    "adjust.reason_code": QT_TRANSLATE_NOOP("Errors", "Choose a reason code."),
    "adjust.points": QT_TRANSLATE_NOOP("Errors", "Enter the points: a whole number above 0."),
    "adjust.points_max": QT_TRANSLATE_NOOP("Errors", "At most {maximum} points in one adjustment."),
    "adjust.memo_too_short": QT_TRANSLATE_NOOP("Errors", "The memo needs at least {minimum} characters ({actual} so far)."),
    "adjust.memo_too_long": QT_TRANSLATE_NOOP("Errors", "The memo may have at most {maximum} characters ({actual} now)."),
    "adjust.evidence_required": QT_TRANSLATE_NOOP("Errors", "This reason needs an evidence reference."),
    "adjust.evidence_too_long": QT_TRANSLATE_NOOP("Errors", "The evidence reference may have at most {maximum} characters."),
    "adjust.debit_only": QT_TRANSLATE_NOOP("Errors", "A fraud reversal can only be a debit."),
    "adjust.goodwill_max": QT_TRANSLATE_NOOP("Errors", "A goodwill adjustment is at most {maximum} points."),
    "adjust.beyond_available": QT_TRANSLATE_NOOP("Errors", "A debit cannot exceed the available balance of {available} points."),
    "adjust.own_request": QT_TRANSLATE_NOOP("Errors", "{username} made this request and cannot approve or reject it. Another supervisor must."),
    "adjust.not_supervisor": QT_TRANSLATE_NOOP("Errors", "{username} is not a supervisor. Only a supervisor can approve or reject."),
    "adjust.other_branch": QT_TRANSLATE_NOOP("Errors", "{username} is a supervisor of another branch. A supervisor of this branch or of head office must decide."),
    "adjust.inactive_approver": QT_TRANSLATE_NOOP("Errors", "The account {username} is disabled and cannot approve."),
    "adjust.already_decided": QT_TRANSLATE_NOOP("Errors", "This request is already {status}."),
    "adjust.expired": QT_TRANSLATE_NOOP("Errors", "This request expired at {expires_at} and can no longer be approved."),
    "adjust.second_approver_same": QT_TRANSLATE_NOOP("Errors", "{username} has already approved this request. A second, different supervisor must approve it."),
    "adjust.cancel_not_maker": QT_TRANSLATE_NOOP("Errors", "Only the officer who made the request can cancel it."),
    "adjust.note_required": QT_TRANSLATE_NOOP("Errors", "Give a note saying why the request is rejected."),
    "adjust.note_too_long": QT_TRANSLATE_NOOP("Errors", "The note may have at most {maximum} characters."),
    "staff.invalid": QT_TRANSLATE_NOOP("Errors", "{field}: {value} is not allowed ({rule})."),
    "staff.exists": QT_TRANSLATE_NOOP("Errors", "A staff account named {username} already exists."),
    "staff.password_weak": QT_TRANSLATE_NOOP("Errors", "{field}: at least {minimum} characters with letters and digits."),
    "staff.self": QT_TRANSLATE_NOOP("Errors", "You cannot change your own account this way."),
    "staff.not_locked": QT_TRANSLATE_NOOP("Errors", "The account {username} is not locked."),
    "staff.unlock_scope": QT_TRANSLATE_NOOP("Errors", "A supervisor can unlock only officers of their own branch."),
    "audit.filter_dates": QT_TRANSLATE_NOOP("Errors", "The start date {since} is after the end date {until}."),
    # referrals
    "referral.code_required": QT_TRANSLATE_NOOP("Errors", "Type the referrer's referral code."),
    "referral.code_characters": QT_TRANSLATE_NOOP("Errors", "{characters} cannot appear in a referral code (0-9 and A-Z without I, L, O, U)."),
    "referral.code_length": QT_TRANSLATE_NOOP("Errors", "A referral code has {expected} characters, not {actual}."),
    "referral.code_check": QT_TRANSLATE_NOOP("Errors", "{value} is not a valid referral code: a character is mistyped."),
    "referral.code_unknown": QT_TRANSLATE_NOOP("Errors", "No member has the referral code {value}."),
    "referral.already_member": QT_TRANSLATE_NOOP("Errors", "Already a member ({member_no}) with this {field}: an existing member cannot be referred."),
    "referral.self_referral": QT_TRANSLATE_NOOP("Errors", "Same {field} as the referrer {member_no}: a member cannot refer themself."),
    "referral.referrer_staff": QT_TRANSLATE_NOOP("Errors", "The referrer {member_no} is a member of staff: staff may not refer clients for rewards."),
    "referral.referrer_cap": QT_TRANSLATE_NOOP("Errors", "The referrer {member_no} already has {count} qualified referrals in {year} (at most {cap} a year)."),
    "referral.referrer_inactive": QT_TRANSLATE_NOOP("Errors", "The referrer {member_no} is {status}: only active members may refer."),
    "member_no.not_reserved": QT_TRANSLATE_NOOP("Errors", "Member number {member_no} is not from a block head office reserved to desk {desk}. A desk gives only numbers from its own blocks."),
    "referral.member_no_taken": QT_TRANSLATE_NOOP("Errors", "The member number {member_no} was taken meanwhile. Register again."),
    "referral.not_flagged": QT_TRANSLATE_NOOP("Errors", "This referral is no longer flagged; someone has already decided it."),
    "referral.other_branch": QT_TRANSLATE_NOOP("Errors", "{username} is a supervisor of another branch. A supervisor of this branch or of head office must decide."),
    "referral.note_required": QT_TRANSLATE_NOOP("Errors", "Give a note saying what you checked."),
    "referral.note_too_long": QT_TRANSLATE_NOOP("Errors", "The note may have at most {maximum} characters."),
    "referral.status": QT_TRANSLATE_NOOP("Errors", "Unknown referral status {value}."),
    "identity.length_range": QT_TRANSLATE_NOOP("Errors", "{field} should have {minimum} to {maximum} characters, not {actual}."),
    "identity.id_type": QT_TRANSLATE_NOOP("Errors", "Choose an ID type."),
    # statements and exports
    "documents.no_cjk_font": QT_TRANSLATE_NOOP("Errors", "No Chinese font was found to print with. Install one, or set {env} to a TrueType font file."),
    "statement.period_order": QT_TRANSLATE_NOOP("Errors", "The period ends ({period_to}) before it starts ({period_from})."),
    "statement.period_future": QT_TRANSLATE_NOOP("Errors", "The period starts on {value}, after today."),
    "statement.period_length": QT_TRANSLATE_NOOP("Errors", "A statement covers at most {maximum_days} days."),
    "export.within": QT_TRANSLATE_NOOP("Errors", "Choose 30, 60 or 90 days."),
    "export.period_order": QT_TRANSLATE_NOOP("Errors", "The period ends ({date_to}) before it starts ({date_from})."),
    "export.cancelled": QT_TRANSLATE_NOOP("Errors", "The export was cancelled; no file was written."),
    "import.missing_column": QT_TRANSLATE_NOOP("Errors", "The file has no {column} column."),
    "import.bad_row": QT_TRANSLATE_NOOP("Errors", "Row {row}: {value} is not a member number."),
    "import.field_count": QT_TRANSLATE_NOOP("Errors", "Row {row} has {actual} fields but the header has {expected}."),
    "import.control_character": QT_TRANSLATE_NOOP("Errors", "{field}: control character {character} at position {position} is not allowed."),
    "import.too_long": QT_TRANSLATE_NOOP("Errors", "{field}: at most {maximum} characters, not {actual}."),
    "import.unreadable_row": QT_TRANSLATE_NOOP("Errors", "Row {row} cannot be read ({reason}); nothing was posted."),
    "import.encoding": QT_TRANSLATE_NOOP("Errors", "The file {file} is not {encoding}: byte {offset} (line {line}) cannot be read. Save it as UTF-8."),
    "import.duplicate_column": QT_TRANSLATE_NOOP("Errors", "The file has two {column} columns."),
    "import.amount_format": QT_TRANSLATE_NOOP(
        "Errors", "{field}: {value} is not an amount: digits with an optional . and up to {decimals} decimals, at most {digits} digits before the point."
    ),
    "import.points_format": QT_TRANSLATE_NOOP("Errors", "{field}: {value} is not a number of points: digits only, with a leading - for a debit."),
    "signature.missing": QT_TRANSLATE_NOOP("Errors", "The operation lacks a required signature. Head office applies only operations signed by the staff who made and approved them."),
    "signature.invalid": QT_TRANSLATE_NOOP("Errors", "A signature on the operation does not match: the operation was changed after it was signed, or the signature is forged."),
    "signature.unknown_key": QT_TRANSLATE_NOOP("Errors", "The operation is signed with a key head office does not hold."),
    "signature.key_not_valid": QT_TRANSLATE_NOOP("Errors", "{username} signed with a key that was not valid when the operation was made."),
    "signature.signer_inactive": QT_TRANSLATE_NOOP("Errors", "{username}'s account was disabled before the operation was made; the signature is refused."),
    "signature.role_not_allowed": QT_TRANSLATE_NOOP("Errors", "{username} may not sign this kind of operation."),
    "signature.wrong_branch": QT_TRANSLATE_NOOP("Errors", "{username} is not staff of this desk's branch or of head office, so cannot sign its operations."),
    "signature.wrong_desk": QT_TRANSLATE_NOOP("Errors", "The operation was made at another desk; a desk sends only its own operations."),
    "signature.wrong_signer": QT_TRANSLATE_NOOP("Errors", "The staff the operation names are not the staff who signed it."),
    "signature.made_in_future": QT_TRANSLATE_NOOP("Errors", "The operation says it was made after head office received it. Check the desk's clock."),
    "signature.unknown_desk": QT_TRANSLATE_NOOP("Errors", "The desk that sent the operation is not registered at head office."),
    "signature.key_locked": QT_TRANSLATE_NOOP("Errors", "Your signing key is not unlocked at this desk. Sign in again."),
    "signature.key_unlock": QT_TRANSLATE_NOOP("Errors", "The signing key could not be opened with this password. An administrator must reset the password."),
}

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
}

WHAT: dict[str, str] = {
    "member": QT_TRANSLATE_NOOP("Errors", "member"),
    "staff": QT_TRANSLATE_NOOP("Errors", "staff account"),
    "reward": QT_TRANSLATE_NOOP("Errors", "reward"),
    "redemption": QT_TRANSLATE_NOOP("Errors", "redemption"),
    "branch": QT_TRANSLATE_NOOP("Errors", "branch"),
    "referral": QT_TRANSLATE_NOOP("Errors", "referral"),
    "sync_exception": QT_TRANSLATE_NOOP("Errors", "sync exception"),
}

UNEXPECTED = QT_TRANSLATE_NOOP("Errors", "Something went wrong. Please quote incident {incident} to support.")
UNKNOWN_CODE = QT_TRANSLATE_NOOP("Errors", "The request was refused ({code}).")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _param_text(key: str, value: Any) -> str:
    if key == "field" and isinstance(value, str):
        return _tr(FIELDS[value]) if value in FIELDS else value
    if key == "what" and isinstance(value, str):
        return _tr(WHAT[value]) if value in WHAT else value
    if key == "action" and isinstance(value, str) and value in ACTIONS:
        return _tr(ACTIONS[value])
    if value is None:
        return "–"
    if key in ("required", "tier") and isinstance(value, str) and value in fmt.TIERS:
        return fmt.tier(value)
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


def error_message(error: BaseException) -> str:
    """The sentence to show for any exception a task or a service raised."""
    if isinstance(error, DomainError):
        field = error.params.get("field")
        template = (MESSAGES.get(f"{error.code}.{field}") if isinstance(field, str) else None) or MESSAGES.get(error.code)
        params = {key: _param_text(key, value) for key, value in error.params.items()}
        if template is None:
            return _tr(UNKNOWN_CODE).format(code=error.code)
        try:
            return _tr(template).format(**params)
        except (KeyError, IndexError):
            return _tr(template)
    incident = getattr(error, "incident", None) or "?"
    return _tr(UNEXPECTED).format(incident=incident)
