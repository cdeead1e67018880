"""The error catalogue: every domain error code once, with its English sentence.

The command line and the logs format the English sentence (``describe``); the screens translate the
same sentence through Qt (context ``ErrorMessages``, ``loyalty_desk/ui/errors.py``) and write the
parameters in the desk's locale. Placeholders are named after the error's params. A format spec or
conversion (``{points:,}``, ``{value!r}``) is for the command line; the screens format every
parameter their own way. A sentence keyed ``code.field`` (``reward.invalid.code``) is used instead
of the code's own sentence when the error names that field.
"""

from __future__ import annotations

from collections.abc import Mapping

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.translatable import QT_TRANSLATE_NOOP

CONTEXT = "ErrorMessages"

MESSAGES: dict[str, str] = {
    # sign-in, staff and roles
    "auth.invalid_credentials": QT_TRANSLATE_NOOP("ErrorMessages", "Wrong username or password."),
    "auth.locked": QT_TRANSLATE_NOOP("ErrorMessages", "This account is locked after too many failed sign-ins. Try again after {until}."),
    "auth.inactive": QT_TRANSLATE_NOOP("ErrorMessages", "The account {username} is disabled. Ask an administrator."),
    "auth.unlock_not_allowed": QT_TRANSLATE_NOOP("ErrorMessages", "Only {locked_user} or a supervisor can unlock this desk."),
    "auth.password_policy": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: at least {minimum} characters, with both letters and digits."),
    "auth.password_reused": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: choose a password different from the current one."),
    "forbidden": QT_TRANSLATE_NOOP("ErrorMessages", "Your role may not do this."),
    "staff.joined_desk": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "This desk is joined to head office ({central}), so accounts are not changed in its own store: head office would never "
        "learn of it and would refuse the person's operations. Do it at head office: loyalty-desk staff {action} ... --central "
        "URL"),
    "staff.password_change_not_own": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "A password change may be made only by the staff member whose password it is (staff {staff_id})."),
    "staff.password_change_key": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The password change of {username} does not keep the signing key head office holds (the password was reset since, or the "
        "change is forged). Sign in with the password head office set."),
    "auth.forbidden": QT_TRANSLATE_NOOP("ErrorMessages", "Your role may not {action}."),
    "staff.invalid": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value!r} is not allowed ({rule})."),
    "staff.exists": QT_TRANSLATE_NOOP("ErrorMessages", "A staff account named {username} already exists."),
    "staff.password_weak": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: at least {minimum} characters with letters and digits."),
    "staff.self": QT_TRANSLATE_NOOP("ErrorMessages", "You cannot change your own account this way."),
    "staff.not_locked": QT_TRANSLATE_NOOP("ErrorMessages", "The account {username} is not locked."),
    "staff.unlock_scope": QT_TRANSLATE_NOOP("ErrorMessages", "A supervisor can unlock only officers of their own branch."),
    # identities
    "identity.required": QT_TRANSLATE_NOOP("ErrorMessages", "{field} is required."),
    "identity.length": QT_TRANSLATE_NOOP("ErrorMessages", "{field} should have {expected} characters, not {actual}."),
    "identity.characters": QT_TRANSLATE_NOOP("ErrorMessages", "{field} may contain only: {allowed}."),
    "identity.check_digit": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: check digit should be {expected}, not {actual}"),
    "identity.birth_date": QT_TRANSLATE_NOOP("ErrorMessages", "{field} contains an invalid birth date ({value})."),
    "identity.mobile_format": QT_TRANSLATE_NOOP("ErrorMessages", "{field} must be 11 digits starting with 1."),
    "identity.control_character": QT_TRANSLATE_NOOP("ErrorMessages", "{field} may not contain control characters ({character} at position {position})."),
    "identity.emoji": QT_TRANSLATE_NOOP("ErrorMessages", "{field} may not contain emoji or symbols ({character} at position {position})."),
    "identity.markup": QT_TRANSLATE_NOOP("ErrorMessages", "{field} may not contain the markup character {character} (position {position})."),
    "identity.formula_start": QT_TRANSLATE_NOOP("ErrorMessages", "{field} may not begin with {character}: a spreadsheet would take it for a formula"),
    "identity.name_script": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: write a person's name either in Chinese characters or in Latin letters, not both."),
    "identity.name_characters": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{field} may not contain {character}. A person's name holds Chinese characters (parts joined by ·), or Latin letters with"
        " spaces and ' or - between letters."),
    "identity.business_name_characters": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{field} may not contain {character}. A business name holds Chinese characters, Latin letters, digits, spaces and ( ) . ,"
        " & ' - ·"),
    "identity.name_punctuation": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {character} may only stand between two letters of the name."),
    "member_no.format": QT_TRANSLATE_NOOP("ErrorMessages", "{value} is not a member number (M followed by 10 digits)."),
    "member_no.not_reserved": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "Member number {member_no} is not from a block head office reserved to desk {desk}. A desk gives only numbers from its "
        "own blocks."),
    "identity.length_range": QT_TRANSLATE_NOOP("ErrorMessages", "{field} should have {minimum} to {maximum} characters, not {actual}."),
    "identity.id_type": QT_TRANSLATE_NOOP("ErrorMessages", "Choose an ID type."),
    # members, history and reveal
    "not_found": QT_TRANSLATE_NOOP("ErrorMessages", "No {what} found for {key}."),
    "reveal.reason_too_short": QT_TRANSLATE_NOOP("ErrorMessages", "Give a reason of at least {minimum} characters."),
    "reveal.reason_required": QT_TRANSLATE_NOOP("ErrorMessages", "Give a reason of at least {minimum} characters to reveal the full ID and mobile."),
    "history.date_range": QT_TRANSLATE_NOOP("ErrorMessages", "The start date {date_from} is after the end date {date_to}."),
    "history.limit": QT_TRANSLATE_NOOP("ErrorMessages", "A history page holds {minimum} to {maximum} entries."),
    "history.offset": QT_TRANSLATE_NOOP("ErrorMessages", "Invalid history position {value}."),
    "member.fetch_limit": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "This desk has fetched as many members of other regions from head office as it may today. Ask head office."),
    # points, lots and earning
    "points.not_positive": QT_TRANSLATE_NOOP("ErrorMessages", "Points must be a positive number."),
    "points.insufficient": QT_TRANSLATE_NOOP("ErrorMessages", "Not enough points: {available:,} available, {requested:,} requested"),
    "ledger.already_reversed": QT_TRANSLATE_NOOP("ErrorMessages", "This entry has already been reversed."),
    "ledger.credit_spent": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "Entry {entry_id} credited {points} points, but the member's lots hold only {available}: the points were spent"),
    "earning.financing_below_minimum": QT_TRANSLATE_NOOP("ErrorMessages", "Financing below the minimum amount earns no points"),
    "earning.repayment_late": QT_TRANSLATE_NOOP("ErrorMessages", "Repayment after its due date earns no points"),
    "earning.survey_limit": QT_TRANSLATE_NOOP("ErrorMessages", "Survey limit for the year already reached"),
    "earning.profile_already_rewarded": QT_TRANSLATE_NOOP("ErrorMessages", "The completed profile was already rewarded"),
    "earning.card_approved_recorded": QT_TRANSLATE_NOOP("ErrorMessages", "Card approval recorded (no points)"),
    "earning.no_points": QT_TRANSLATE_NOOP("ErrorMessages", "The transaction earns no points"),
    "earning.unknown_source": QT_TRANSLATE_NOOP("ErrorMessages", "Unknown earning source {source}"),
    # transaction and member imports
    "import.joined_desk": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "This desk is joined to head office ({central}) and syncs with head office, so it does not import {kind} itself: head "
        "office would never receive them. Import the file at head office: loyalty-desk import {kind} FILE --central URL"),
    "import.missing_column": QT_TRANSLATE_NOOP("ErrorMessages", "The file has no {column} column"),
    "import.bad_row": QT_TRANSLATE_NOOP("ErrorMessages", "Row {row}: {value} is not a member number."),
    "import.field_count": QT_TRANSLATE_NOOP("ErrorMessages", "Row {row} has {actual} fields but the header has {expected}"),
    "import.control_character": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: control character {character} at position {position} is not allowed."),
    "import.too_long": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: at most {maximum} characters, not {actual}."),
    "import.unreadable_row": QT_TRANSLATE_NOOP("ErrorMessages", "Row {row} cannot be read ({reason}); nothing was posted."),
    "import.encoding": QT_TRANSLATE_NOOP("ErrorMessages", "The file {file} is not {encoding}: byte {offset} (line {line}) cannot be read. Save it as UTF-8."),
    "import.duplicate_column": QT_TRANSLATE_NOOP("ErrorMessages", "The file has two {column} columns."),
    "import.amount_format": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{field}: {value} is not an amount: digits with an optional . and up to {decimals} decimals, at most {digits} digits "
        "before the point."),
    "import.points_format": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is not a number of points: digits only, with a leading - for a debit."),
    "import.required": QT_TRANSLATE_NOOP("ErrorMessages", "{field} is required"),
    "import.date_format": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is not a date in the form {expected}"),
    "import.date_future": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is in the future"),
    "import.amount_negative": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is negative"),
    "import.unknown_source": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: unknown source {value} (allowed: {allowed})"),
    "import.due_date_required": QT_TRANSLATE_NOOP("ErrorMessages", "{field} is required for a repayment"),
    "import.txn_id_reused": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{field}: transaction {value} was imported before with other data; a transaction id is never reused"),
    "import.duplicate_txn_id": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} already appears on row {first_row} of this file"),
    "import.unknown_member": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: no member has the number {value}"),
    "import.unreadable": QT_TRANSLATE_NOOP("ErrorMessages", "The file {file} cannot be read ({reason})"),
    "import.file_type": QT_TRANSLATE_NOOP("ErrorMessages", "The file {file} is not a supported type (allowed: {allowed})"),
    "member_import.duplicate_in_file": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} already appears on row {first_row} of this file"),
    "member_import.exists": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} belongs to member {member_no} already"),
    "member_import.unknown_branch": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: no branch has the code {value}"),
    "member_import.kind": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: unknown member type {value} (allowed: {allowed})"),
    "member_import.kind_id_type": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: a member with a unified social credit code is a business member"),
    # member maintenance: freeze, unfreeze, mobile
    "member.frozen": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The member is frozen ({freeze_reason}): no redemption, referral or credit until a supervisor lifts the freeze."),
    "member.already_frozen": QT_TRANSLATE_NOOP("ErrorMessages", "The member is already frozen."),
    "member.not_frozen": QT_TRANSLATE_NOOP("ErrorMessages", "The member is {status}, not frozen: there is no freeze to lift."),
    "member.closed": QT_TRANSLATE_NOOP("ErrorMessages", "The member's account is closed and cannot be changed."),
    "member.freeze_reason": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: choose one of the listed reasons."),
    "member.same_mobile": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: this is already the member's mobile."),
    "member.same_address": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: this is already the member's address."),
    "member.same_card": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: this is already the member's card."),
    "member.close_held": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{held:,} points are held for a redemption waiting for head office: close the account once it is settled."),
    "member.close_forfeit_changed": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The balance changed: {actual:,} points would be forfeited, not {expected:,}. Check the figures and confirm again."),
    "member.close_approver_required": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: forfeiting {points:,} points needs a second supervisor's approval."),
    "member.close_approver_same": QT_TRANSLATE_NOOP("ErrorMessages", "{username} is closing the account and cannot also approve the forfeit."),
    "member.close_approver_inactive": QT_TRANSLATE_NOOP("ErrorMessages", "{username} is not an active staff member."),
    "member.close_approver_not_supervisor": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{username} is not a supervisor ({role}): only a supervisor approves a forfeit."),
    "member.close_approver_other_branch": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{username} is of another branch: a supervisor of this branch or head office approves."),
    "member.account_closed": QT_TRANSLATE_NOOP("ErrorMessages", "Member {member_no}'s account is closed: no redemption, referral or earning."),
    "benefit.unknown": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: no benefit is called {value} (the programme has: {allowed})."),
    "benefit.not_in_tier": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: the {tier} tier does not include {benefit}."),
    "benefit.used_up": QT_TRANSLATE_NOOP("ErrorMessages", "All {allowed} of {benefit} for {year} are used ({used} taken)."),
    "benefit.member_inactive": QT_TRANSLATE_NOOP("ErrorMessages", "The member is {status}: only an active member uses benefits."),
    "import.applied_on_source": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: only a card_approved row carries the application date (this row is {source})."),
    "import.applied_after_approval": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: the application ({value}) cannot be after the approval ({approved_on})."),
    "member.identity_taken": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: already held by member {member_no}; open that member instead."),
    "member.mobile_taken": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: this mobile belongs to member {member_no}; a mobile is one member's."),
    # redemption, rewards and stock
    "redeem.member_inactive": QT_TRANSLATE_NOOP("ErrorMessages", "The member is {status}: only active members may redeem."),
    "redeem.tier": QT_TRANSLATE_NOOP("ErrorMessages", "Needs the {required} tier (the member is {tier})."),
    "redeem.inactive_window": QT_TRANSLATE_NOOP("ErrorMessages", "Not offered today (offered {active_from} to {active_to})."),
    "redeem.out_of_stock": QT_TRANSLATE_NOOP("ErrorMessages", "Out of stock at this branch: {available} left, {requested} wanted."),
    "redeem.monthly_cap": QT_TRANSLATE_NOOP("ErrorMessages", "Monthly cap of {cap:,} points: {remaining:,} left this month, {needed:,} needed."),
    "redeem.window_limit": QT_TRANSLATE_NOOP("ErrorMessages", "Already {max} redemptions in {hours} hours; next one from {next_allowed_at}."),
    "redeem.yearly_limit": QT_TRANSLATE_NOOP("ErrorMessages", "Limit of {limit} a year reached ({used} taken this year)."),
    "redeem.balance": QT_TRANSLATE_NOOP("ErrorMessages", "Not enough points: {available:,} available, {needed:,} needed."),
    "redeem.offline_limit": QT_TRANSLATE_NOOP("ErrorMessages", "Offline: at most {limit:,} points a day per member ({used:,} used today, {needed:,} needed)."),
    "redeem.qty": QT_TRANSLATE_NOOP("ErrorMessages", "The quantity must be from 1 to {maximum}."),
    "redeem.price_changed": QT_TRANSLATE_NOOP("ErrorMessages", "The points cost of {reward_code} has changed; check the new figures and confirm again."),
    "redeem.already_reversed": QT_TRANSLATE_NOOP("ErrorMessages", "Redemption {number} was already reversed on {reversed_at}."),
    "redeem.reversal_window": QT_TRANSLATE_NOOP("ErrorMessages", "Redemption {number} is older than {days} days and can no longer be reversed."),
    "redeem.reason_required": QT_TRANSLATE_NOOP("ErrorMessages", "Give a reason for the reversal."),
    "reward.invalid": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is not allowed ({rule})."),
    "reward.invalid.code": QT_TRANSLATE_NOOP("ErrorMessages", "Code: 2 to 32 capital letters, digits, - or _."),
    "reward.invalid.name_zh": QT_TRANSLATE_NOOP("ErrorMessages", "Chinese name: 1 to 100 characters."),
    "reward.invalid.name_en": QT_TRANSLATE_NOOP("ErrorMessages", "English name: 1 to 100 characters."),
    "reward.invalid.category": QT_TRANSLATE_NOOP("ErrorMessages", "Choose a category."),
    "reward.invalid.points_cost": QT_TRANSLATE_NOOP("ErrorMessages", "Points cost: a whole number of points above 0."),
    "reward.invalid.cash_value": QT_TRANSLATE_NOOP("ErrorMessages", "Cash value: an amount in CNY of at least 0, with at most 2 decimals."),
    "reward.invalid.min_tier": QT_TRANSLATE_NOOP("ErrorMessages", "Choose a minimum tier."),
    "reward.invalid.active_to": QT_TRANSLATE_NOOP("ErrorMessages", "The last day must be on or after the first day."),
    "reward.invalid.yearly_limit_per_member": QT_TRANSLATE_NOOP("ErrorMessages", "Yearly limit: empty (unlimited) or at least 1."),
    "reward.invalid.reward_code": QT_TRANSLATE_NOOP("ErrorMessages", "Stock is not tracked for {value}."),
    "stock.qty": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: enter a whole number of at least 1."),
    "stock.negative": QT_TRANSLATE_NOOP("ErrorMessages", "Stock of {reward_code} at {branch_code} cannot go below zero (on hand {on_hand})."),
    "redeem.operation_id": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is not an operation id."),
    # sync with head office
    "balance.insufficient": QT_TRANSLATE_NOOP("ErrorMessages", "Not enough points at head office: {available:,} available, {requested:,} requested."),
    "central.rejected": QT_TRANSLATE_NOOP("ErrorMessages", "Head office refused the operation."),
    "central.constraint": QT_TRANSLATE_NOOP("ErrorMessages", "Head office's database refused the operation: it breaks the rule {constraint}."),
    "operation.rejected": QT_TRANSLATE_NOOP("ErrorMessages", "Head office's rules rejected the operation."),
    "operation.unknown_kind": QT_TRANSLATE_NOOP("ErrorMessages", "Head office does not know operations of the kind {kind}."),
    "operation.malformed": QT_TRANSLATE_NOOP("ErrorMessages", "Head office could not read the operation's details ({why}); nothing was applied."),
    "member.not_held": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "Member {member_no} is not held by desk {desk} (another region's member it never looked up at head office, or one who moved "
        "away); nothing was applied."),
    "sync.conflict": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "Head office already holds {column} {value} for another record: this desk's operation gave way to head office's copy and "
        "was reversed here."),
    "sync.local_only": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "A {table} row of member {member_no} was written on this desk outside any operation (a local import of an older release) "
        "and never reached head office. Head office's data replaced it."),
    "sync.member_unknown": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "Member {member_no} exists on this desk only; head office never registered it. The operation was not sent and was "
        "reversed here."),
    "sync.push_refused": QT_TRANSLATE_NOOP("ErrorMessages", "Head office's database refused the operation ({reason}). It was reversed here."),
    "job.joined_desk": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "This desk is joined to head office ({central}): head office runs '{job}' for every desk (loyalty-desk central run) and "
        "the results reach this desk through sync; run here it would change this desk's copy only"),
    "sync.resolve_role": QT_TRANSLATE_NOOP("ErrorMessages", "Only a supervisor may resolve a sync exception."),
    "sync.resolution": QT_TRANSLATE_NOOP("ErrorMessages", "Choose how to resolve the exception."),
    "sync.already_resolved": QT_TRANSLATE_NOOP("ErrorMessages", "This exception was already resolved."),
    "sync.note_required": QT_TRANSLATE_NOOP("ErrorMessages", "Explain the decision in at least {minimum} characters."),
    "sync.note_too_long": QT_TRANSLATE_NOOP("ErrorMessages", "The note may have at most {maximum} characters."),
    "sync.operation_id": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is not an operation id."),
    "sync.points": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is not a whole number of points."),
    "sync.resolved_by": QT_TRANSLATE_NOOP("ErrorMessages", "The decision must be recorded by the signed-in supervisor {expected}."),
    "sync.member_mismatch": QT_TRANSLATE_NOOP("ErrorMessages", "This exception is about member {expected}, not {value}."),
    "sync.points_mismatch": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The rejection gave back {expected:,} points, not {value:,}. Refresh the list and decide again."),
    "sync.nothing_owed": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The rejection gave no points back, so there is nothing to take again as points owed. Choose another decision."),
    "sync.goods": QT_TRANSLATE_NOOP("ErrorMessages", "The goods of the rejected redemption are not named properly."),
    "sync.approver_required": QT_TRANSLATE_NOOP("ErrorMessages", "A write-off needs the approval of a second supervisor."),
    "sync.approver_unexpected": QT_TRANSLATE_NOOP("ErrorMessages", "Only a write-off is approved by a second supervisor."),
    "sync.approver_same": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{username} is resolving this exception and cannot also approve the write-off. A second supervisor must."),
    "sync.approver_inactive": QT_TRANSLATE_NOOP("ErrorMessages", "The account {username} is disabled and cannot approve a write-off."),
    "sync.approver_not_supervisor": QT_TRANSLATE_NOOP("ErrorMessages", "{username} is not a supervisor. Only a supervisor can approve a write-off."),
    "sync.approver_other_branch": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{username} is a supervisor of another branch. A supervisor of this branch or of head office must approve."),
    "operation.payload_mismatch": QT_TRANSLATE_NOOP("ErrorMessages", "This operation was already recorded with different details; start again."),
    # manual adjustments and the audit trail
    "adjust.direction": QT_TRANSLATE_NOOP("ErrorMessages", "Choose credit or debit."),
    "adjust.reason_code": QT_TRANSLATE_NOOP("ErrorMessages", "Choose a reason code."),
    "adjust.points": QT_TRANSLATE_NOOP("ErrorMessages", "Enter the points: a whole number above 0."),
    "adjust.points_max": QT_TRANSLATE_NOOP("ErrorMessages", "At most {maximum:,} points in one adjustment."),
    "adjust.memo_too_short": QT_TRANSLATE_NOOP("ErrorMessages", "The memo needs at least {minimum} characters ({actual} so far)."),
    "adjust.memo_too_long": QT_TRANSLATE_NOOP("ErrorMessages", "The memo may have at most {maximum} characters ({actual} now)."),
    "adjust.evidence_required": QT_TRANSLATE_NOOP("ErrorMessages", "This reason needs an evidence reference."),
    "adjust.evidence_too_long": QT_TRANSLATE_NOOP("ErrorMessages", "The evidence reference may have at most {maximum} characters."),
    "adjust.debit_only": QT_TRANSLATE_NOOP("ErrorMessages", "A fraud reversal can only be a debit."),
    "adjust.goodwill_max": QT_TRANSLATE_NOOP("ErrorMessages", "A goodwill adjustment is at most {maximum:,} points."),
    "adjust.beyond_available": QT_TRANSLATE_NOOP("ErrorMessages", "A debit cannot exceed the available balance of {available:,} points."),
    "adjust.own_request": QT_TRANSLATE_NOOP("ErrorMessages", "{username} made this request and cannot approve or reject it. Another supervisor must."),
    "adjust.not_supervisor": QT_TRANSLATE_NOOP("ErrorMessages", "{username} is not a supervisor. Only a supervisor can approve or reject."),
    "adjust.other_branch": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{username} is a supervisor of another branch. A supervisor of this branch or of head office must decide."),
    "adjust.inactive_approver": QT_TRANSLATE_NOOP("ErrorMessages", "The account {username} is disabled and cannot approve."),
    "adjust.already_decided": QT_TRANSLATE_NOOP("ErrorMessages", "This request is already {status}."),
    "adjust.expired": QT_TRANSLATE_NOOP("ErrorMessages", "This request expired at {expires_at:%Y-%m-%d %H:%M} and can no longer be approved."),
    "adjust.second_approver_same": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{username} has already approved this request. A second, different supervisor must approve it."),
    "adjust.cancel_not_maker": QT_TRANSLATE_NOOP("ErrorMessages", "Only the officer who made the request can cancel it."),
    "tier_override.tier": QT_TRANSLATE_NOOP("ErrorMessages", "{value!r} is not a tier: give standard, silver, gold or platinum."),
    "tier_override.reason_short": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Give the reason for the override in at least {minimum} characters (now {actual})."),
    "tier_override.reason_long": QT_TRANSLATE_NOOP("ErrorMessages", "The reason may have at most {maximum} characters (now {actual})."),
    "tier_override.ends_on": QT_TRANSLATE_NOOP("ErrorMessages", "Give the override's end date as YYYY-MM-DD, not {value!r}."),
    "tier_override.ends_in_past": QT_TRANSLATE_NOOP("ErrorMessages", "The override must end after today ({today}), not on {ends_on}."),
    "tier_override.same_tier": QT_TRANSLATE_NOOP("ErrorMessages", "The member is already at tier {tier}: there is nothing to override."),
    "tier_override.open": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Member {member_no} already has a tier override waiting for approval or in force; one at a time."),
    "tier_override.ended_before_approval": QT_TRANSLATE_NOOP(
        "ErrorMessages", "This override's end date ({ends_on}) has come; it can no longer be approved."),
    "tier_override.id": QT_TRANSLATE_NOOP("ErrorMessages", "{value!r} is not a tier override number."),
    # programme rules administration (four eyes, versions by effective date)
    "rules.unknown_setting": QT_TRANSLATE_NOOP("ErrorMessages", "{setting} is not a setting of the programme's rules."),
    "rules.not_a_whole_number": QT_TRANSLATE_NOOP("ErrorMessages", "{setting} takes a whole number, not {value!r}."),
    "rules.not_a_decimal": QT_TRANSLATE_NOOP("ErrorMessages", "{setting} takes a number such as 1.25, not {value!r}."),
    "rules.not_yes_no": QT_TRANSLATE_NOOP("ErrorMessages", "{setting} takes yes or no, not {value!r}."),
    "rules.negative": QT_TRANSLATE_NOOP("ErrorMessages", "{setting} may not be negative (given {value})."),
    "rules.below_minimum": QT_TRANSLATE_NOOP("ErrorMessages", "{setting} must be at least {minimum} (given {value})."),
    "rules.above_maximum": QT_TRANSLATE_NOOP("ErrorMessages", "{setting} may be at most {maximum} (given {value})."),
    "rules.multiplier_range": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{setting} must be a multiplier above {low} and at most {high} (given {value})."),
    "rules.windows_empty": QT_TRANSLATE_NOOP("ErrorMessages", "{setting} needs at least one reminder window."),
    "rules.window_range": QT_TRANSLATE_NOOP("ErrorMessages", "{setting}: each window is 1 to 366 days (given {value})."),
    "rules.windows_order": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{setting}: give the windows shortest first, each once (given {value})."),
    "rules.product_code": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{setting}: {value!r} is not a product code (capital letters, digits, '-' or '_', at most 20)."),
    "rules.tier_base_threshold": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{setting}: the Standard tier starts at 0 qualifying points (given {value})."),
    "rules.tier_order": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{setting}: tier thresholds must rise tier by tier; {value} is not above the {lower_tier} threshold of {lower_value}."),
    "rules.effective_on": QT_TRANSLATE_NOOP("ErrorMessages", "Give the effective date as YYYY-MM-DD, not {value!r}."),
    "rules.effective_past": QT_TRANSLATE_NOOP(
        "ErrorMessages", "A rules change takes effect today ({today}) or later, not on {effective_on}."),
    "rules.effective_passed": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "This change was to take effect on {effective_on}, before today ({today}); it can no longer be approved. Propose it again."),
    "rules.no_change": QT_TRANSLATE_NOOP("ErrorMessages", "The proposal changes no setting: every value is the one in force."),
    "rules.reason_short": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Give the reason for the change in at least {minimum} characters (now {actual})."),
    "rules.reason_long": QT_TRANSLATE_NOOP("ErrorMessages", "The reason may have at most {maximum} characters (now {actual})."),
    "rules.note_required": QT_TRANSLATE_NOOP("ErrorMessages", "Say why the change is rejected."),
    "rules.note_long": QT_TRANSLATE_NOOP("ErrorMessages", "The note may have at most {maximum} characters (now {actual})."),
    "rules.own_change": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "Four eyes: {username} proposed rules change {change_id} and may not decide it. A second administrator must approve or "
        "reject it."),
    "rules.withdraw_not_proposer": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Only the administrator who proposed rules change {change_id} may withdraw it."),
    "rules.not_pending": QT_TRANSLATE_NOOP("ErrorMessages", "Rules change {change_id} is already {status}; it cannot be decided again."),
    "rules.change_id": QT_TRANSLATE_NOOP("ErrorMessages", "{value!r} is not a rules change number."),
    # campaigns (head-office marketing)
    "campaign.name_required": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: a campaign needs a name in Chinese and in English."),
    "campaign.name_long": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: at most {maximum} characters (now {actual})."),
    "campaign.choice": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value!r} is not one of {allowed}."),
    "campaign.none_chosen": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: choose at least one."),
    "campaign.multiplier": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The multiplier must be a number from {minimum} to {maximum} with at most two decimals, not {value!r}."),
    "campaign.bonus_range": QT_TRANSLATE_NOOP("ErrorMessages", "The bonus must be from {minimum} to {maximum} points, not {value}."),
    "campaign.number": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value!r} is not a whole number of points."),
    "campaign.whole_number": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value!r} is not a whole number."),
    "campaign.within_days_range": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The number of days must be from {minimum} to {maximum}, not {value}."),
    "campaign.target_range": QT_TRANSLATE_NOOP("ErrorMessages", "The spend target must be from {minimum} to {maximum} CNY, not {value}."),
    "campaign.budget_range": QT_TRANSLATE_NOOP("ErrorMessages", "The budget must be more than 0 points (at most {maximum}), not {value}."),
    "campaign.cap_range": QT_TRANSLATE_NOOP("ErrorMessages", "The per-member cap must be more than 0 points (at most {maximum}), not {value}."),
    "campaign.cap_over_budget": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The per-member cap ({cap}) may not be more than the whole budget ({budget})."),
    "campaign.branch_unknown": QT_TRANSLATE_NOOP("ErrorMessages", "There is no branch {value!r}."),
    "campaign.date": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: give a date as YYYY-MM-DD, not {value!r}."),
    "campaign.starts_in_past": QT_TRANSLATE_NOOP("ErrorMessages", "A campaign may not start in the past: {starts_on} is before today ({today})."),
    "campaign.dates_order": QT_TRANSLATE_NOOP("ErrorMessages", "The end date ({ends_on}) must not be before the start date ({starts_on})."),
    "campaign.too_long": QT_TRANSLATE_NOOP("ErrorMessages", "A campaign may run at most {maximum} days (this one {actual})."),
    "campaign.code": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{value!r} is not a campaign code: 3 to 32 capital letters, digits, - or _, starting with a letter or digit."),
    "campaign.code_taken": QT_TRANSLATE_NOOP("ErrorMessages", "There is already a campaign {value}."),
    "campaign.note_short": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: at least {minimum} characters (now {actual})."),
    "campaign.note_long": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: at most {maximum} characters (now {actual})."),
    "campaign.wrong_status": QT_TRANSLATE_NOOP("ErrorMessages", "Campaign {campaign} is {status}; this needs it to be {allowed}."),
    "campaign.maker_cannot_decide": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Four eyes: {maker} drafted or submitted campaign {campaign}, so a second person must approve or reject it."),
    "campaign.edit_not_maker": QT_TRANSLATE_NOOP("ErrorMessages", "Only {maker}, who drafted campaign {campaign}, may edit it."),
    "campaign.head_office_only": QT_TRANSLATE_NOOP("ErrorMessages", "Campaigns are run by head office; {username} is not of head office."),
    "campaign.window_passed": QT_TRANSLATE_NOOP("ErrorMessages", "Campaign {campaign} ended on {ends_on}; it can no longer be submitted or approved."),
    "campaign.forecast_cancelled": QT_TRANSLATE_NOOP("ErrorMessages", "The forecast was cancelled."),
    "campaign.segment_unknown": QT_TRANSLATE_NOOP("ErrorMessages", "There is no segment {value!r}."),
    # segments (saved member filters)
    "segment.code": QT_TRANSLATE_NOOP("ErrorMessages", "A segment code is 3 to 32 capital letters, digits, - or _, not {value!r}."),
    "segment.name_required": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: a segment needs a name in Chinese and in English."),
    "segment.name_long": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: at most {maximum} characters (now {actual})."),
    "segment.number": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value!r} is not a whole number."),
    "segment.range": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: give a number from {minimum} to {maximum}, not {value}."),
    "segment.choice": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value!r} is not one of {allowed}."),
    "segment.branch_unknown": QT_TRANSLATE_NOOP("ErrorMessages", "There is no branch {value!r}."),
    "segment.balance_order": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The highest balance ({maximum}) must not be below the lowest balance ({minimum})."),
    "segment.dormant_and_active": QT_TRANSLATE_NOOP(
        "ErrorMessages", "A dormant member has neither earned nor redeemed: leave the earned and redeemed periods empty with dormancy."),
    "segment.head_office_only": QT_TRANSLATE_NOOP("ErrorMessages", "Segments are kept by head office; {username} is not of head office."),
    # outreach (marketing messages)
    "outreach.reason": QT_TRANSLATE_NOOP("ErrorMessages", "{value!r} is not a reason for messages: give one of {allowed}."),
    "outreach.language": QT_TRANSLATE_NOOP("ErrorMessages", "{value!r} is not a language for messages: give one of {allowed}."),
    "outreach.opt_out": QT_TRANSLATE_NOOP("ErrorMessages", "Give the opt-out as yes or no, not {value!r}."),
    "outreach.preferences_unchanged": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Member {member_no} already has this language and this choice about marketing messages."),
    "outreach.head_office_only": QT_TRANSLATE_NOOP("ErrorMessages", "Outreach is run by head office; {username} is not of head office."),
    "outreach.folder": QT_TRANSLATE_NOOP("ErrorMessages", "There is no folder {value!r} to write the SMS file in."),
    "outreach.campaign_required": QT_TRANSLATE_NOOP("ErrorMessages", "A campaign invitation names the campaign it invites to."),
    "outreach.campaign_not_open": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Campaign {campaign} is not approved and open (it may have ended or spent its budget): nobody can be invited to it."),
    "outreach.delivery_columns": QT_TRANSLATE_NOOP("ErrorMessages", "The delivery report lacks the column(s) {missing}."),
    "outreach.build_cancelled": QT_TRANSLATE_NOOP("ErrorMessages", "The batch was cancelled: nothing was recorded and no file was written."),
    "outreach.sms_not_configured": QT_TRANSLATE_NOOP(
        "ErrorMessages", "This desk has no SMS platform settings (sms-platform.ini in the data folder): save the SMS file and hand it over instead."),
    "outreach.sms_settings_unreadable": QT_TRANSLATE_NOOP("ErrorMessages", "The SMS platform settings file {file} cannot be read: {reason}."),
    "outreach.sms_url": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The SMS platform settings in {file}: url {value!r} is not an http:// or https:// address."),
    "outreach.sms_token": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The SMS platform settings in {file} give no token: set the environment variable {variable} or the file's token line."),
    "outreach.sms_timeout": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The SMS platform settings in {file}: timeout_seconds {value!r} is not a number of seconds from {low} to {high}."),
    "segment.changed": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Segment {segment} was changed meanwhile (version {actual}, you edited {expected}); open it again."),
    # what to offer now (the member view's hints)
    "hint.kind": QT_TRANSLATE_NOOP("ErrorMessages", "{value!r} is not a kind of hint: expiring, tier_reach, popular_reward, dormant or refer_again."),
    "hint.key": QT_TRANSLATE_NOOP("ErrorMessages", "{value!r} is not a hint of the kind {kind}."),
    "hint.response": QT_TRANSLATE_NOOP("ErrorMessages", "Record the hint as {allowed}, not {value!r}."),
    "hint.date": QT_TRANSLATE_NOOP("ErrorMessages", "The response's business date should be YYYY-MM-DD, not {value!r}."),
    "hint.not_offered": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The hint {hint_key} is not offered to member {member_no} now; the member view shows today's hints again."),
    "adjust.note_required": QT_TRANSLATE_NOOP("ErrorMessages", "Give a note saying why the request is rejected."),
    "adjust.note_too_long": QT_TRANSLATE_NOOP("ErrorMessages", "The note may have at most {maximum} characters."),
    "audit.filter_dates": QT_TRANSLATE_NOOP("ErrorMessages", "The start date {since} is after the end date {until}."),
    "adjust.signed_points": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: give a whole number of points other than 0 (negative for a debit), not {value!r}"),
    "adjust.request_id": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value!r} is not a request number"),
    "adjust.sort": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: cannot sort by {value!r} (allowed: {allowed})"),
    # referrals
    "referral.code_required": QT_TRANSLATE_NOOP("ErrorMessages", "Type the referrer's referral code."),
    "referral.code_characters": QT_TRANSLATE_NOOP("ErrorMessages", "{characters} cannot appear in a referral code (0-9 and A-Z without I, L, O, U)."),
    "referral.code_length": QT_TRANSLATE_NOOP("ErrorMessages", "A referral code has {expected} characters, not {actual}."),
    "referral.code_check": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{field}: {value} is not a valid referral code; a character is mistyped (check character does not match)"),
    "referral.code_unknown": QT_TRANSLATE_NOOP("ErrorMessages", "No member has the referral code {value}."),
    "referral.already_member": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The client is already a member ({member_no}, same {field}): an existing member cannot be referred."),
    "referral.self_referral": QT_TRANSLATE_NOOP("ErrorMessages", "Same {field} as the referrer {member_no}: a member cannot refer themself."),
    "referral.referrer_staff": QT_TRANSLATE_NOOP("ErrorMessages", "The referrer {member_no} is a member of staff: staff may not refer clients for rewards."),
    "referral.referrer_cap": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The referrer {member_no} already has {count} qualified referrals in {year} (at most {cap} a year)."),
    "referral.referrer_inactive": QT_TRANSLATE_NOOP("ErrorMessages", "The referrer {member_no} is {status}: only active members may refer."),
    "referral.member_no_taken": QT_TRANSLATE_NOOP("ErrorMessages", "The member number {member_no} was taken meanwhile. Register again."),
    "referral.not_flagged": QT_TRANSLATE_NOOP("ErrorMessages", "This referral is no longer flagged; someone has already decided it."),
    "referral.other_branch": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{username} is a supervisor of another branch. A supervisor of this branch or of head office must decide."),
    "referral.note_required": QT_TRANSLATE_NOOP("ErrorMessages", "Give a note saying what you checked."),
    "referral.note_too_long": QT_TRANSLATE_NOOP("ErrorMessages", "The note may have at most {maximum} characters."),
    "referral.status": QT_TRANSLATE_NOOP("ErrorMessages", "Unknown referral status {value}."),
    # statements and exports
    "documents.no_cjk_font": QT_TRANSLATE_NOOP("ErrorMessages", "No Chinese font was found to print with. Install one, or set {env} to a TrueType font file."),
    "statement.period_order": QT_TRANSLATE_NOOP("ErrorMessages", "The period ends ({period_to}) before it starts ({period_from})."),
    "statement.period_future": QT_TRANSLATE_NOOP("ErrorMessages", "The period starts on {value}, after today."),
    "statement.period_length": QT_TRANSLATE_NOOP("ErrorMessages", "A statement covers at most {maximum_days} days."),
    "export.within": QT_TRANSLATE_NOOP("ErrorMessages", "Choose 30, 60 or 90 days."),
    "export.period_order": QT_TRANSLATE_NOOP("ErrorMessages", "The period ends ({date_to}) before it starts ({date_from})."),
    "export.cancelled": QT_TRANSLATE_NOOP("ErrorMessages", "The export was cancelled; no file was written."),
    "statement.preset": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: unknown period {value} (allowed: {allowed})"),
    "statement.language": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: unknown language {value} (allowed: {allowed})"),
    "liability.month": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: {value} is not a month in the form YYYY-MM."),
    "report.date": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: give a date as YYYY-MM-DD, not {value!r}."),
    "liability.future_month": QT_TRANSLATE_NOOP("ErrorMessages", "The month {value} has not started yet."),
    "results.period_order": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: the period ends ({value}) before it starts ({first})."),
    "results.period_length": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: a period is at most {months} months long ({value} is too far)."),
    "results.tier": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: unknown tier {value} (allowed: {allowed})"),
    "results.figure": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: nothing to open behind {value} (allowed: {allowed})"),
    "export.kind": QT_TRANSLATE_NOOP("ErrorMessages", "{field}: unknown export {value} (allowed: {allowed})"),
    "export.unavailable": QT_TRANSLATE_NOOP("ErrorMessages", "The {kind} export is not available in this installation"),
    # operation signatures (docs/security.md)
    "signature.missing": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The operation lacks the {missing}'s signature. Head office applies only operations signed by the staff who made and approved them."),
    "signature.invalid": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "A signature on the operation does not match: the operation was changed after it was signed, or the signature is forged."),
    "signature.unknown_key": QT_TRANSLATE_NOOP("ErrorMessages", "The operation is signed with a key head office does not hold ({key_id})."),
    "signature.key_not_valid": QT_TRANSLATE_NOOP("ErrorMessages", "{username} signed with a key that was not valid when the operation was made."),
    "signature.signer_inactive": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{username}'s account was disabled before the operation was made; the signature is refused."),
    "signature.role_not_allowed": QT_TRANSLATE_NOOP("ErrorMessages", "{username} may not sign this kind of operation."),
    "signature.wrong_branch": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{username} is not staff of this desk's branch or of head office, so cannot sign its operations."),
    "signature.wrong_desk": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The operation was made at desk {origin} but sent by desk {desk}; a desk sends only its own operations."),
    "signature.wrong_signer": QT_TRANSLATE_NOOP("ErrorMessages", "The staff the operation names are not the staff who signed it."),
    "signature.made_in_future": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The operation says it was made at {made_at}, after head office received it. Check the desk's clock."),
    "signature.unknown_desk": QT_TRANSLATE_NOOP("ErrorMessages", "The desk that sent the operation is not registered at head office."),
    "signature.key_locked": QT_TRANSLATE_NOOP("ErrorMessages", "Your signing key is not unlocked at this desk. Sign in again."),
    "signature.key_unlock": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The signing key could not be opened with this password. An administrator must reset the password."),
}


# Why a member is frozen (domain/member_care.py FreezeReason), as the screens and the command line say it.
FREEZE_REASONS_CONTEXT = "FreezeReasons"
FREEZE_REASONS: dict[str, str] = {
    "suspected_fraud": QT_TRANSLATE_NOOP("FreezeReasons", "Suspected fraud"),
    "lost_card": QT_TRANSLATE_NOOP("FreezeReasons", "Lost or stolen card"),
    "customer_request": QT_TRANSLATE_NOOP("FreezeReasons", "At the customer's request"),
    "deceased": QT_TRANSLATE_NOOP("FreezeReasons", "Deceased: estate being settled"),
    "court_order": QT_TRANSLATE_NOOP("FreezeReasons", "Court or authority order"),
    "identity_review": QT_TRANSLATE_NOOP("FreezeReasons", "Identity documents under review"),
}



# What each setting of the programme's rules is called (domain/rule_changes.py paths), on screen and in messages.
SETTING_NAMES_CONTEXT = "RuleSettingNames"
SETTING_NAMES: dict[str, str] = {
    "tiers.standard.qualifying_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Standard: qualifying points"),
    "tiers.standard.monthly_redemption_cap": QT_TRANSLATE_NOOP("RuleSettingNames", "Standard: monthly redemption cap"),
    "tiers.standard.earn_multiplier": QT_TRANSLATE_NOOP("RuleSettingNames", "Standard: earn multiplier"),
    "tiers.silver.qualifying_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Silver: qualifying points"),
    "tiers.silver.monthly_redemption_cap": QT_TRANSLATE_NOOP("RuleSettingNames", "Silver: monthly redemption cap"),
    "tiers.silver.earn_multiplier": QT_TRANSLATE_NOOP("RuleSettingNames", "Silver: earn multiplier"),
    "tiers.gold.qualifying_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Gold: qualifying points"),
    "tiers.gold.monthly_redemption_cap": QT_TRANSLATE_NOOP("RuleSettingNames", "Gold: monthly redemption cap"),
    "tiers.gold.earn_multiplier": QT_TRANSLATE_NOOP("RuleSettingNames", "Gold: earn multiplier"),
    "tiers.platinum.qualifying_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Platinum: qualifying points"),
    "tiers.platinum.monthly_redemption_cap": QT_TRANSLATE_NOOP("RuleSettingNames", "Platinum: monthly redemption cap"),
    "tiers.platinum.earn_multiplier": QT_TRANSLATE_NOOP("RuleSettingNames", "Platinum: earn multiplier"),
    "tiers.qualifying_window_months": QT_TRANSLATE_NOOP("RuleSettingNames", "Qualifying window (months)"),
    "tiers.downgrade_protection_months": QT_TRANSLATE_NOOP("RuleSettingNames", "No downgrade after an upgrade for (months)"),
    "tiers.downgrade_warning": QT_TRANSLATE_NOOP("RuleSettingNames", "Warn one review before a downgrade"),
    "earning.card_points_per_cny": QT_TRANSLATE_NOOP("RuleSettingNames", "Card spend: points per CNY"),
    "earning.financing_minimum_cny": QT_TRANSLATE_NOOP("RuleSettingNames", "Financing: smallest drawdown earning points (CNY)"),
    "earning.financing_cny_per_point": QT_TRANSLATE_NOOP("RuleSettingNames", "Financing: CNY per point"),
    "earning.financing_high_margin_multiplier": QT_TRANSLATE_NOOP("RuleSettingNames", "Financing: high-margin multiplier"),
    "earning.high_margin_products": QT_TRANSLATE_NOOP("RuleSettingNames", "Financing: high-margin product codes"),
    "earning.repayment_points": QT_TRANSLATE_NOOP("RuleSettingNames", "On-time repayment: points"),
    "earning.profile_completed_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Completed profile: points"),
    "earning.branch_event_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Branch event: points"),
    "earning.survey_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Survey: points"),
    "earning.survey_max_per_year": QT_TRANSLATE_NOOP("RuleSettingNames", "Surveys rewarded a year"),
    "earning.card_first_transaction_points": QT_TRANSLATE_NOOP("RuleSettingNames", "First card transaction: points"),
    "earning.card_spend_target_cny": QT_TRANSLATE_NOOP("RuleSettingNames", "Card spend target (CNY)"),
    "earning.card_spend_target_days": QT_TRANSLATE_NOOP("RuleSettingNames", "Card spend target: days after approval"),
    "earning.card_spend_target_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Card spend target: points"),
    "earning.card_approval_service_days": QT_TRANSLATE_NOOP("RuleSettingNames", "Card approval service target (days)"),
    "earning.point_value_cny_per_100_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Point value: CNY per 100 points"),
    "expiry.lot_lifetime_months": QT_TRANSLATE_NOOP("RuleSettingNames", "Points expire after (months)"),
    "expiry.reminder_windows_days": QT_TRANSLATE_NOOP("RuleSettingNames", "Expiry reminder windows (days)"),
    "redemption.max_redemptions_per_window": QT_TRANSLATE_NOOP("RuleSettingNames", "Redemptions allowed per window"),
    "redemption.window_hours": QT_TRANSLATE_NOOP("RuleSettingNames", "Redemption window (hours)"),
    "redemption.offline_daily_limit_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Offline redemption limit a day (points)"),
    "redemption.reversal_window_days": QT_TRANSLATE_NOOP("RuleSettingNames", "Reversal allowed within (days)"),
    "adjustments.memo_min_length": QT_TRANSLATE_NOOP("RuleSettingNames", "Adjustment memo: fewest characters"),
    "adjustments.goodwill_max_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Goodwill adjustment: most points"),
    "adjustments.dual_approval_threshold": QT_TRANSLATE_NOOP("RuleSettingNames", "Two approvers from (points)"),
    "adjustments.request_lifetime_hours": QT_TRANSLATE_NOOP("RuleSettingNames", "Adjustment request expires after (hours)"),
    "referrals.qualification_days": QT_TRANSLATE_NOOP("RuleSettingNames", "Referral qualifies within (days)"),
    "referrals.financing_minimum_cny": QT_TRANSLATE_NOOP("RuleSettingNames", "Referral: smallest financing (CNY)"),
    "referrals.card_spend_minimum_cny": QT_TRANSLATE_NOOP("RuleSettingNames", "Referral: card spend needed (CNY)"),
    "referrals.referee_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Referee welcome points"),
    "referrals.referrer_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Referrer points"),
    "referrals.referrer_financing_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Referrer points for a financing"),
    "referrals.second_level_points": QT_TRANSLATE_NOOP("RuleSettingNames", "Second-level referrer points"),
    "referrals.pending_days": QT_TRANSLATE_NOOP("RuleSettingNames", "Referral rewards pending for (days)"),
    "referrals.yearly_cap": QT_TRANSLATE_NOOP("RuleSettingNames", "Rewarded referrals a year"),
    "referrals.daily_flag_threshold": QT_TRANSLATE_NOOP("RuleSettingNames", "Referrals a day before a fraud flag"),
    "security.max_failed_sign_ins": QT_TRANSLATE_NOOP("RuleSettingNames", "Failed sign-ins before lockout"),
    "security.lockout_minutes": QT_TRANSLATE_NOOP("RuleSettingNames", "Lockout (minutes)"),
    "security.idle_lock_minutes": QT_TRANSLATE_NOOP("RuleSettingNames", "Idle lock after (minutes)"),
    "lookup.max_results": QT_TRANSLATE_NOOP("RuleSettingNames", "Lookup: most results shown"),
}

def template_for(code: str, params: Mapping[str, object]) -> str | None:
    """The English sentence for ``code`` (the field's own one first); None for an unknown code."""
    field = params.get("field")
    if isinstance(field, str) and f"{code}.{field}" in MESSAGES:
        return MESSAGES[f"{code}.{field}"]
    return MESSAGES.get(code)


def describe(error: DomainError) -> str:
    """The English sentence for ``error``; the bare code when no template fits."""
    template = template_for(error.code, error.params)
    if template is None:
        return error.code
    params = dict(error.params)
    if isinstance(params.get("freeze_reason"), str):
        params["freeze_reason"] = FREEZE_REASONS.get(params["freeze_reason"], params["freeze_reason"])
    if isinstance(params.get("setting"), str):
        params["setting"] = f"{SETTING_NAMES.get(params['setting'], params['setting'])} ({params['setting']})"
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return error.code
