"""The audit trail in words: each action the trail records as a sentence-like name, the fields of
its before/after and details as people name them, and their values formatted for people. The
screen and the Excel export use these same words (the stored rows keep their codes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from loyalty_desk import messages
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import setting_name

if TYPE_CHECKING:
    from loyalty_desk.documents.audit_export import AuditWording

CONTEXT = "AuditWords"
VALUES_CONTEXT = "AuditValues"
_tr, _tr_value = fmt.Words(CONTEXT), fmt.Words(VALUES_CONTEXT)

ACTIONS: dict[str, str] = {
    "adjustment.approve": QT_TRANSLATE_NOOP("AuditWords", "Approved a points adjustment"),
    "adjustment.cancel": QT_TRANSLATE_NOOP("AuditWords", "Cancelled a points adjustment request"),
    "adjustment.expire": QT_TRANSLATE_NOOP("AuditWords", "A points adjustment request expired"),
    "adjustment.reject": QT_TRANSLATE_NOOP("AuditWords", "Rejected a points adjustment"),
    "adjustment.request": QT_TRANSLATE_NOOP("AuditWords", "Requested a points adjustment"),
    "audit.export": QT_TRANSLATE_NOOP("AuditWords", "Exported the audit trail"),
    "audit.verify": QT_TRANSLATE_NOOP("AuditWords", "Checked the audit trail's integrity"),
    "auth.account_locked": QT_TRANSLATE_NOOP("AuditWords", "Account locked after failed sign-ins"),
    "auth.lock": QT_TRANSLATE_NOOP("AuditWords", "Locked the desk"),
    "auth.password_change_failed": QT_TRANSLATE_NOOP("AuditWords", "Password change refused"),
    "auth.password_changed": QT_TRANSLATE_NOOP("AuditWords", "Changed the password"),
    "auth.sign_in": QT_TRANSLATE_NOOP("AuditWords", "Signed in"),
    "auth.sign_in_failed": QT_TRANSLATE_NOOP("AuditWords", "Sign-in refused"),
    "auth.sign_out": QT_TRANSLATE_NOOP("AuditWords", "Signed out"),
    "auth.unlock": QT_TRANSLATE_NOOP("AuditWords", "Unlocked the desk"),
    "auth.unlock_failed": QT_TRANSLATE_NOOP("AuditWords", "Desk unlock refused"),
    "auth.unlock_refused": QT_TRANSLATE_NOOP("AuditWords", "Desk unlock refused for another user"),
    "branch.created": QT_TRANSLATE_NOOP("AuditWords", "Created a branch"),
    "campaign.created": QT_TRANSLATE_NOOP("AuditWords", "Created a campaign"),
    "campaign.edited": QT_TRANSLATE_NOOP("AuditWords", "Edited a draft campaign"),
    "campaign.submitted": QT_TRANSLATE_NOOP("AuditWords", "Submitted a campaign for approval"),
    "campaign.approved": QT_TRANSLATE_NOOP("AuditWords", "Approved a campaign"),
    "campaign.rejected": QT_TRANSLATE_NOOP("AuditWords", "Rejected a campaign"),
    "campaign.stopped": QT_TRANSLATE_NOOP("AuditWords", "Stopped a campaign early"),
    "segment.created": QT_TRANSLATE_NOOP("AuditWords", "Created a segment"),
    "segment.changed": QT_TRANSLATE_NOOP("AuditWords", "Changed a segment"),
    "outreach.batch_built": QT_TRANSLATE_NOOP("AuditWords", "Built a batch of marketing messages"),
    "outreach.batch_exported": QT_TRANSLATE_NOOP("AuditWords", "Exported a batch of marketing messages for review"),
    "outreach.delivery_imported": QT_TRANSLATE_NOOP("AuditWords", "Imported the delivery results of marketing messages"),
    "outreach.batch_sent": QT_TRANSLATE_NOOP("AuditWords", "Sent a batch of marketing messages to the SMS platform"),
    "member.outreach_preferences": QT_TRANSLATE_NOOP("AuditWords", "Changed a member's message language or opt-out"),
    "demo.generated": QT_TRANSLATE_NOOP("AuditWords", "Generated demonstration data"),
    "export.approvals": QT_TRANSLATE_NOOP("AuditWords", "Exported pending approvals"),
    "export.expiring": QT_TRANSLATE_NOOP("AuditWords", "Exported points expiring"),
    "export.journal": QT_TRANSLATE_NOOP("AuditWords", "Exported the branch daily journal"),
    "export.ledger": QT_TRANSLATE_NOOP("AuditWords", "Exported the ledger"),
    "export.liability": QT_TRANSLATE_NOOP("AuditWords", "Produced the points liability report"),
    "export.card_service": QT_TRANSLATE_NOOP("AuditWords", "Produced the card service report"),
    "export.results": QT_TRANSLATE_NOOP("AuditWords", "Exported the programme results"),
    "export.members": QT_TRANSLATE_NOOP("AuditWords", "Exported members"),
    "export.redemptions": QT_TRANSLATE_NOOP("AuditWords", "Exported redemptions and stock"),
    "export.referrals": QT_TRANSLATE_NOOP("AuditWords", "Exported the referral report"),
    "import.adjustments": QT_TRANSLATE_NOOP("AuditWords", "Imported points adjustments"),
    "import.members": QT_TRANSLATE_NOOP("AuditWords", "Imported members"),
    "import.transactions": QT_TRANSLATE_NOOP("AuditWords", "Imported card transactions"),
    "job.expiry": QT_TRANSLATE_NOOP("AuditWords", "Ran the points expiry"),
    "job.tier_review": QT_TRANSLATE_NOOP("AuditWords", "Ran the monthly tier review"),
    "member.card_approved": QT_TRANSLATE_NOOP("AuditWords", "Recorded a card approval"),
    "member.create": QT_TRANSLATE_NOOP("AuditWords", "Registered a member"),
    "member.reveal": QT_TRANSLATE_NOOP("AuditWords", "Revealed a member's full details"),
    "member.hint_response": QT_TRANSLATE_NOOP("AuditWords", "Recorded a member's answer to an offer"),
    "member.tier_downgrade": QT_TRANSLATE_NOOP("AuditWords", "Moved a member down a tier"),
    "member.tier_upgrade": QT_TRANSLATE_NOOP("AuditWords", "Moved a member up a tier"),
    "member.tier_warning": QT_TRANSLATE_NOOP("AuditWords", "Warned a member of a tier downgrade at the next review"),
    "member.tier_warning_lifted": QT_TRANSLATE_NOOP("AuditWords", "Lifted a member's tier downgrade warning"),
    "member.freeze": QT_TRANSLATE_NOOP("AuditWords", "Froze a member"),
    "member.unfreeze": QT_TRANSLATE_NOOP("AuditWords", "Lifted a member's freeze"),
    "member.change_mobile": QT_TRANSLATE_NOOP("AuditWords", "Changed a member's mobile"),
    "member.change_address": QT_TRANSLATE_NOOP("AuditWords", "Changed a member's address"),
    "member.change_card": QT_TRANSLATE_NOOP("AuditWords", "Changed a member's card"),
    "member.close": QT_TRANSLATE_NOOP("AuditWords", "Closed a member's account"),
    "member.benefit_use": QT_TRANSLATE_NOOP("AuditWords", "Recorded a tier benefit used"),
    "tier_override.request": QT_TRANSLATE_NOOP("AuditWords", "Requested a manual tier override"),
    "tier_override.approve": QT_TRANSLATE_NOOP("AuditWords", "Approved a manual tier override"),
    "tier_override.reject": QT_TRANSLATE_NOOP("AuditWords", "Rejected a manual tier override"),
    "tier_override.end": QT_TRANSLATE_NOOP("AuditWords", "A manual tier override ended"),
    "rules.propose": QT_TRANSLATE_NOOP("AuditWords", "Proposed a programme rules change"),
    "rules.approve": QT_TRANSLATE_NOOP("AuditWords", "Approved a programme rules change"),
    "rules.reject": QT_TRANSLATE_NOOP("AuditWords", "Rejected a programme rules change"),
    "rules.withdraw": QT_TRANSLATE_NOOP("AuditWords", "Withdrew a programme rules change"),
    "redemption.receipt_print": QT_TRANSLATE_NOOP("AuditWords", "Printed a redemption receipt"),
    "redemption.redeem": QT_TRANSLATE_NOOP("AuditWords", "Redeemed a reward"),
    "redemption.reverse": QT_TRANSLATE_NOOP("AuditWords", "Reversed a redemption"),
    "referral.claw_back": QT_TRANSLATE_NOOP("AuditWords", "Clawed back a referral reward"),
    "referral.clear": QT_TRANSLATE_NOOP("AuditWords", "Cleared a flagged referral"),
    "referral.codes_assigned": QT_TRANSLATE_NOOP("AuditWords", "Assigned referral codes"),
    "referral.event_while_flagged": QT_TRANSLATE_NOOP("AuditWords", "A flagged referral met a condition"),
    "referral.expire": QT_TRANSLATE_NOOP("AuditWords", "A referral expired"),
    "referral.qualify": QT_TRANSLATE_NOOP("AuditWords", "A referral qualified"),
    "referral.register": QT_TRANSLATE_NOOP("AuditWords", "Registered a referral"),
    "referral.reject": QT_TRANSLATE_NOOP("AuditWords", "Rejected a flagged referral"),
    "referral.reward": QT_TRANSLATE_NOOP("AuditWords", "Paid a referral reward"),
    "reward.create": QT_TRANSLATE_NOOP("AuditWords", "Added a reward to the catalogue"),
    "reward.update": QT_TRANSLATE_NOOP("AuditWords", "Changed a reward in the catalogue"),
    "settings.changed": QT_TRANSLATE_NOOP("AuditWords", "Changed the programme settings"),
    "settings.update": QT_TRANSLATE_NOOP("AuditWords", "Changed the programme settings"),
    "staff.create": QT_TRANSLATE_NOOP("AuditWords", "Added a staff member"),
    "staff.created": QT_TRANSLATE_NOOP("AuditWords", "Added a staff member"),
    "staff.deactivate": QT_TRANSLATE_NOOP("AuditWords", "Deactivated a staff member"),
    "staff.reset_password": QT_TRANSLATE_NOOP("AuditWords", "Reset a staff member's password"),
    "staff.unlock": QT_TRANSLATE_NOOP("AuditWords", "Unlocked a staff account"),
    "statement.key_created": QT_TRANSLATE_NOOP("AuditWords", "Created the statement signing key"),
    "statement.print": QT_TRANSLATE_NOOP("AuditWords", "Printed a statement"),
    "statement.save": QT_TRANSLATE_NOOP("AuditWords", "Saved a statement"),
    "stock.adjust": QT_TRANSLATE_NOOP("AuditWords", "Corrected reward stock"),
    "stock.receive": QT_TRANSLATE_NOOP("AuditWords", "Received reward stock"),
    "sync.exception_reopened": QT_TRANSLATE_NOOP("AuditWords", "Reopened a sync exception"),
    "sync.exception_resolved": QT_TRANSLATE_NOOP("AuditWords", "Resolved a sync exception"),
    "sync.gave_way": QT_TRANSLATE_NOOP("AuditWords", "Gave way to head office's record"),
    "sync.rejected": QT_TRANSLATE_NOOP("AuditWords", "Head office refused an operation"),
}

# The filter's action groups (prefixes).
GROUPS: dict[str, str] = {
    "adjustment.": QT_TRANSLATE_NOOP("AuditWords", "Points adjustments"),
    "auth.": QT_TRANSLATE_NOOP("AuditWords", "Sign-in and desk lock"),
    "staff.": QT_TRANSLATE_NOOP("AuditWords", "Staff accounts"),
    "member.": QT_TRANSLATE_NOOP("AuditWords", "Members"),
    "redemption.": QT_TRANSLATE_NOOP("AuditWords", "Redemptions"),
    "import.": QT_TRANSLATE_NOOP("AuditWords", "Imports"),
    "audit.": QT_TRANSLATE_NOOP("AuditWords", "Audit trail"),
    "settings.": QT_TRANSLATE_NOOP("AuditWords", "Settings"),
    "reward.": QT_TRANSLATE_NOOP("AuditWords", "Reward catalogue"),
    "stock.": QT_TRANSLATE_NOOP("AuditWords", "Reward stock"),
    "referral.": QT_TRANSLATE_NOOP("AuditWords", "Referrals"),
    "statement.": QT_TRANSLATE_NOOP("AuditWords", "Statements"),
    "export.": QT_TRANSLATE_NOOP("AuditWords", "Exports"),
    "sync.": QT_TRANSLATE_NOOP("AuditWords", "Sync"),
    "job.": QT_TRANSLATE_NOOP("AuditWords", "Scheduled jobs"),
    "tier_override.": QT_TRANSLATE_NOOP("AuditWords", "Tier overrides"),
    "rules.": QT_TRANSLATE_NOOP("AuditWords", "Programme rules"),
    "segment.": QT_TRANSLATE_NOOP("AuditWords", "Segments"),
    "outreach.": QT_TRANSLATE_NOOP("AuditWords", "Marketing messages"),
}

SUBJECT_KINDS: dict[str, str] = {
    "reward": QT_TRANSLATE_NOOP("AuditWords", "Reward {name}"),
    "reward_stock": QT_TRANSLATE_NOOP("AuditWords", "Stock of {name}"),
    "redemption": QT_TRANSLATE_NOOP("AuditWords", "Redemption {name}"),
    "adjustment_request": QT_TRANSLATE_NOOP("AuditWords", "Adjustment request No. {name}"),
    "staff": QT_TRANSLATE_NOOP("AuditWords", "Staff member {name}"),
    "member": QT_TRANSLATE_NOOP("AuditWords", "Member {name}"),
    "statement": QT_TRANSLATE_NOOP("AuditWords", "Statement {name}"),
    "referral": QT_TRANSLATE_NOOP("AuditWords", "Referral {name}"),
    "file": QT_TRANSLATE_NOOP("AuditWords", "File {name}"),
    "rule_setting": QT_TRANSLATE_NOOP("AuditWords", "Settings: {name}"),
    "rule_change": QT_TRANSLATE_NOOP("AuditWords", "Rules change No. {name}"),
    "job_run": QT_TRANSLATE_NOOP("AuditWords", "Job run {name}"),
    "operation": QT_TRANSLATE_NOOP("AuditWords", "Operation {name}"),
    "branch": QT_TRANSLATE_NOOP("AuditWords", "Branch {name}"),
    "campaign": QT_TRANSLATE_NOOP("AuditWords", "Campaign {name}"),
    "segment": QT_TRANSLATE_NOOP("AuditWords", "Segment {name}"),
    "outreach_batch": QT_TRANSLATE_NOOP("AuditWords", "Message batch {name}"),
    "audit_event": QT_TRANSLATE_NOOP("AuditWords", "The audit trail"),
}

FIELDS: dict[str, str] = {
    "approvals": QT_TRANSLATE_NOOP("AuditWords", "Approvals"),
    "approvals_needed": QT_TRANSLATE_NOOP("AuditWords", "Approvals needed"),
    "approved_by": QT_TRANSLATE_NOOP("AuditWords", "Approved by"),
    "as_of": QT_TRANSLATE_NOOP("AuditWords", "As of"),
    "balance_after": QT_TRANSLATE_NOOP("AuditWords", "Balance after"),
    "branch": QT_TRANSLATE_NOOP("AuditWords", "Branch"),
    "branch_code": QT_TRANSLATE_NOOP("AuditWords", "Branch"),
    "cancelled": QT_TRANSLATE_NOOP("AuditWords", "Cancelled"),
    "change": QT_TRANSLATE_NOOP("AuditWords", "Change"),
    "closing": QT_TRANSLATE_NOOP("AuditWords", "Closing balance"),
    "code": QT_TRANSLATE_NOOP("AuditWords", "Code"),
    "direction": QT_TRANSLATE_NOOP("AuditWords", "Direction"),
    "entries": QT_TRANSLATE_NOOP("AuditWords", "Entries"),
    "evidence_ref": QT_TRANSLATE_NOOP("AuditWords", "Evidence"),
    "expires_at": QT_TRANSLATE_NOOP("AuditWords", "Expires"),
    "failures": QT_TRANSLATE_NOOP("AuditWords", "Failed attempts"),
    "file": QT_TRANSLATE_NOOP("AuditWords", "File"),
    "filters": QT_TRANSLATE_NOOP("AuditWords", "Filters"),
    "first_bad_row": QT_TRANSLATE_NOOP("AuditWords", "First bad event"),
    "flags": QT_TRANSLATE_NOOP("AuditWords", "Flags"),
    "freeze_reason": QT_TRANSLATE_NOOP("AuditWords", "Freeze reason"),
    "freeze_note": QT_TRANSLATE_NOOP("AuditWords", "Freeze note"),
    "frozen_at": QT_TRANSLATE_NOOP("AuditWords", "Frozen at"),
    "frozen_by": QT_TRANSLATE_NOOP("AuditWords", "Frozen by"),
    "language": QT_TRANSLATE_NOOP("AuditWords", "Language"),
    "medium": QT_TRANSLATE_NOOP("AuditWords", "Printed on"),
    "member_no": QT_TRANSLATE_NOOP("AuditWords", "Member no."),
    "memo": QT_TRANSLATE_NOOP("AuditWords", "Memo"),
    "name_en": QT_TRANSLATE_NOOP("AuditWords", "English name"),
    "name_zh": QT_TRANSLATE_NOOP("AuditWords", "Chinese name"),
    "not_sent": QT_TRANSLATE_NOOP("AuditWords", "Not sent (to send again)"),
    "note": QT_TRANSLATE_NOOP("AuditWords", "Note"),
    "ok": QT_TRANSLATE_NOOP("AuditWords", "Intact"),
    "on_hand": QT_TRANSLATE_NOOP("AuditWords", "On hand"),
    "operation_id": QT_TRANSLATE_NOOP("AuditWords", "Operation"),
    "period_from": QT_TRANSLATE_NOOP("AuditWords", "Period from"),
    "period_to": QT_TRANSLATE_NOOP("AuditWords", "Period to"),
    "points": QT_TRANSLATE_NOOP("AuditWords", "Points"),
    "points_cost": QT_TRANSLATE_NOOP("AuditWords", "Points"),
    "points_debited": QT_TRANSLATE_NOOP("AuditWords", "Points debited"),
    "points_posted": QT_TRANSLATE_NOOP("AuditWords", "Points posted"),
    "points_released": QT_TRANSLATE_NOOP("AuditWords", "Points released"),
    "points_requested": QT_TRANSLATE_NOOP("AuditWords", "Points requested"),
    "points_restored": QT_TRANSLATE_NOOP("AuditWords", "Points restored"),
    "problem": QT_TRANSLATE_NOOP("AuditWords", "Problem"),
    "qty": QT_TRANSLATE_NOOP("AuditWords", "Quantity"),
    "reason": QT_TRANSLATE_NOOP("AuditWords", "Reason"),
    "hint_key": QT_TRANSLATE_NOOP("AuditWords", "Offer"),
    "refusals": QT_TRANSLATE_NOOP("AuditWords", "Refused by the platform"),
    "response": QT_TRANSLATE_NOOP("AuditWords", "Answer"),
    "reason_code": QT_TRANSLATE_NOOP("AuditWords", "Reason"),
    "referee_no": QT_TRANSLATE_NOOP("AuditWords", "Referred member"),
    "referral_code": QT_TRANSLATE_NOOP("AuditWords", "Referral code"),
    "registered_on": QT_TRANSLATE_NOOP("AuditWords", "Registered on"),
    "reward_code": QT_TRANSLATE_NOOP("AuditWords", "Reward"),
    "role": QT_TRANSLATE_NOOP("AuditWords", "Role"),
    "rows": QT_TRANSLATE_NOOP("AuditWords", "Rows"),
    "rows_checked": QT_TRANSLATE_NOOP("AuditWords", "Events checked"),
    "statement_no": QT_TRANSLATE_NOOP("AuditWords", "Statement no."),
    "status": QT_TRANSLATE_NOOP("AuditWords", "Status"),
    "stock_after": QT_TRANSLATE_NOOP("AuditWords", "Stock after"),
    "tier": QT_TRANSLATE_NOOP("AuditWords", "Tier"),
    "until": QT_TRANSLATE_NOOP("AuditWords", "Until"),
    "username": QT_TRANSLATE_NOOP("AuditWords", "User name"),
    "written_off_points": QT_TRANSLATE_NOOP("AuditWords", "Points written off"),
    "posted_balance": QT_TRANSLATE_NOOP("AuditWords", "Posted balance"),
    "held_points": QT_TRANSLATE_NOOP("AuditWords", "Points on hold"),
    "available": QT_TRANSLATE_NOOP("AuditWords", "Available points"),
    "active": QT_TRANSLATE_NOOP("AuditWords", "Active"),
    "after_failures": QT_TRANSLATE_NOOP("AuditWords", "After failed attempts"),
    "already_registered": QT_TRANSLATE_NOOP("AuditWords", "Already registered"),
    "already_run_members": QT_TRANSLATE_NOOP("AuditWords", "Members already done"),
    "at": QT_TRANSLATE_NOOP("AuditWords", "At"),
    "branch_id": QT_TRANSLATE_NOOP("AuditWords", "Branch"),
    "branch_name_en": QT_TRANSLATE_NOOP("AuditWords", "Branch name (English)"),
    "branch_name_zh": QT_TRANSLATE_NOOP("AuditWords", "Branch name (Chinese)"),
    "budget_points": QT_TRANSLATE_NOOP("AuditWords", "Points budget"),
    "card_approved_on": QT_TRANSLATE_NOOP("AuditWords", "Card approved on"),
    "code_used": QT_TRANSLATE_NOOP("AuditWords", "Code used"),
    "digest": QT_TRANSLATE_NOOP("AuditWords", "Digest"),
    "display_name": QT_TRANSLATE_NOOP("AuditWords", "Name"),
    "downgraded": QT_TRANSLATE_NOOP("AuditWords", "Moved down"),
    "entry_id": QT_TRANSLATE_NOOP("AuditWords", "Ledger entry"),
    "fields": QT_TRANSLATE_NOOP("AuditWords", "Fields"),
    "mobile": QT_TRANSLATE_NOOP("AuditWords", "Mobile"),
    "first_member_no": QT_TRANSLATE_NOOP("AuditWords", "First member no."),
    "forced_by": QT_TRANSLATE_NOOP("AuditWords", "Forced by"),
    "goods": QT_TRANSLATE_NOOP("AuditWords", "Goods"),
    "is_head_office": QT_TRANSLATE_NOOP("AuditWords", "Head office"),
    "key_id": QT_TRANSLATE_NOOP("AuditWords", "Key"),
    "last_member_no": QT_TRANSLATE_NOOP("AuditWords", "Last member no."),
    "last_upgrade_on": QT_TRANSLATE_NOOP("AuditWords", "Last upgraded on"),
    "tier_warned_on": QT_TRANSLATE_NOOP("AuditWords", "Downgrade warning given on"),
    "downgrade_to": QT_TRANSLATE_NOOP("AuditWords", "Downgrade to"),
    "member_tier": QT_TRANSLATE_NOOP("AuditWords", "Member's tier"),
    "locked_until": QT_TRANSLATE_NOOP("AuditWords", "Locked until"),
    "locked_user": QT_TRANSLATE_NOOP("AuditWords", "Locked user"),
    "lots": QT_TRANSLATE_NOOP("AuditWords", "Points lots"),
    "masked_name": QT_TRANSLATE_NOOP("AuditWords", "Name"),
    "members": QT_TRANSLATE_NOOP("AuditWords", "Members"),
    "members_expired": QT_TRANSLATE_NOOP("AuditWords", "Members with points expired"),
    "must_change_password": QT_TRANSLATE_NOOP("AuditWords", "Must change password"),
    "number": QT_TRANSLATE_NOOP("AuditWords", "Number"),
    "officer": QT_TRANSLATE_NOOP("AuditWords", "Officer"),
    "officer_username": QT_TRANSLATE_NOOP("AuditWords", "Officer"),
    "origin": QT_TRANSLATE_NOOP("AuditWords", "Origin"),
    "params": QT_TRANSLATE_NOOP("AuditWords", "Parameters"),
    "password": QT_TRANSLATE_NOOP("AuditWords", "Password"),
    "points_expired": QT_TRANSLATE_NOOP("AuditWords", "Points expired"),
    "posted": QT_TRANSLATE_NOOP("AuditWords", "Posted"),
    "qualifying_event": QT_TRANSLATE_NOOP("AuditWords", "Qualifying event"),
    "qualifying_on": QT_TRANSLATE_NOOP("AuditWords", "Qualified on"),
    "qualifying_points": QT_TRANSLATE_NOOP("AuditWords", "Qualifying points"),
    "referee_code": QT_TRANSLATE_NOOP("AuditWords", "Referee's code"),
    "referral_id": QT_TRANSLATE_NOOP("AuditWords", "Referral"),
    "referrer_no": QT_TRANSLATE_NOOP("AuditWords", "Referrer"),
    "refusal_code": QT_TRANSLATE_NOOP("AuditWords", "Refusal"),
    "refusal_params": QT_TRANSLATE_NOOP("AuditWords", "Refusal details"),
    "refused_resolution": QT_TRANSLATE_NOOP("AuditWords", "Refused resolution"),
    "region": QT_TRANSLATE_NOOP("AuditWords", "Region"),
    "registered": QT_TRANSLATE_NOOP("AuditWords", "Registered"),
    "rejected_operation_id": QT_TRANSLATE_NOOP("AuditWords", "Refused operation"),
    "requests_filed": QT_TRANSLATE_NOOP("AuditWords", "Requests filed"),
    "resolution": QT_TRANSLATE_NOOP("AuditWords", "Resolution"),
    "resolution_operation_id": QT_TRANSLATE_NOOP("AuditWords", "Resolving operation"),
    "resolved_at": QT_TRANSLATE_NOOP("AuditWords", "Resolved at"),
    "resolved_by": QT_TRANSLATE_NOOP("AuditWords", "Resolved by"),
    "restored_lots": QT_TRANSLATE_NOOP("AuditWords", "Lots restored"),
    "reversed": QT_TRANSLATE_NOOP("AuditWords", "Reversed"),
    "reversed_at": QT_TRANSLATE_NOOP("AuditWords", "Reversed at"),
    "reversed_by": QT_TRANSLATE_NOOP("AuditWords", "Reversed by"),
    "review": QT_TRANSLATE_NOOP("AuditWords", "Review"),
    "reviewed": QT_TRANSLATE_NOOP("AuditWords", "Reviewed"),
    "reward_name_en": QT_TRANSLATE_NOOP("AuditWords", "Reward (English)"),
    "reward_name_zh": QT_TRANSLATE_NOOP("AuditWords", "Reward (Chinese)"),
    "rewards": QT_TRANSLATE_NOOP("AuditWords", "Rewards"),
    "rewards_pending_until": QT_TRANSLATE_NOOP("AuditWords", "Rewards pending until"),
    "rows_already_imported": QT_TRANSLATE_NOOP("AuditWords", "Rows already imported"),
    "rows_posted": QT_TRANSLATE_NOOP("AuditWords", "Rows posted"),
    "rows_read": QT_TRANSLATE_NOOP("AuditWords", "Rows read"),
    "rows_skipped_invalid": QT_TRANSLATE_NOOP("AuditWords", "Rows skipped as invalid"),
    "rows_valid": QT_TRANSLATE_NOOP("AuditWords", "Valid rows"),
    "rows_without_points": QT_TRANSLATE_NOOP("AuditWords", "Rows without points"),
    "sha256": QT_TRANSLATE_NOOP("AuditWords", "SHA-256"),
    "signed_out": QT_TRANSLATE_NOOP("AuditWords", "Signed out"),
    "table": QT_TRANSLATE_NOOP("AuditWords", "Table"),
    "tier_upgrades": QT_TRANSLATE_NOOP("AuditWords", "Tier upgrades"),
    "txn_id": QT_TRANSLATE_NOOP("AuditWords", "Transaction"),
    "upgraded": QT_TRANSLATE_NOOP("AuditWords", "Moved up"),
    "via": QT_TRANSLATE_NOOP("AuditWords", "Via"),
    "was_required": QT_TRANSLATE_NOOP("AuditWords", "Was required"),
}

# Values that are codes: statuses, directions, roles, reasons (tiers are named as everywhere else, ``fmt.TIERS``).
# Their own context, as a value may read like a field of the same name ("Active", "Cancelled").
VALUES: dict[str, str] = {
    "active": QT_TRANSLATE_NOOP("AuditValues", "Active"),
    "approved": QT_TRANSLATE_NOOP("AuditValues", "Approved"),
    "cancelled": QT_TRANSLATE_NOOP("AuditValues", "Cancelled"),
    "closed": QT_TRANSLATE_NOOP("AuditValues", "Closed"),
    "credit": QT_TRANSLATE_NOOP("AuditValues", "Credit"),
    "debit": QT_TRANSLATE_NOOP("AuditValues", "Debit"),
    "expired": QT_TRANSLATE_NOOP("AuditValues", "Expired"),
    "flagged": QT_TRANSLATE_NOOP("AuditValues", "Flagged"),
    "frozen": QT_TRANSLATE_NOOP("AuditValues", "Frozen"),
    "inactive": QT_TRANSLATE_NOOP("AuditValues", "Inactive"),
    "locked": QT_TRANSLATE_NOOP("AuditValues", "Locked"),
    "pending": QT_TRANSLATE_NOOP("AuditValues", "Pending"),
    "qualified": QT_TRANSLATE_NOOP("AuditValues", "Qualified"),
    "rejected": QT_TRANSLATE_NOOP("AuditValues", "Rejected"),
    "rewarded": QT_TRANSLATE_NOOP("AuditValues", "Rewarded"),
    "clawed_back": QT_TRANSLATE_NOOP("AuditValues", "Clawed back"),
    "officer": QT_TRANSLATE_NOOP("AuditValues", "Officer"),
    "supervisor": QT_TRANSLATE_NOOP("AuditValues", "Supervisor"),
    "auditor": QT_TRANSLATE_NOOP("AuditValues", "Auditor"),
    "admin": QT_TRANSLATE_NOOP("AuditValues", "Administrator"),
    "marketing": QT_TRANSLATE_NOOP("AuditValues", "Marketing"),
    "unknown_user": QT_TRANSLATE_NOOP("AuditValues", "Unknown user"),
    "no_credential_here": QT_TRANSLATE_NOOP("AuditValues", "No password on this desk"),
    "wrong_password": QT_TRANSLATE_NOOP("AuditValues", "Wrong password"),
    "receipt_printer": QT_TRANSLATE_NOOP("AuditValues", "Receipt printer"),
    "pdf": QT_TRANSLATE_NOOP("AuditValues", "PDF"),
    "printer": QT_TRANSLATE_NOOP("AuditValues", "Printer"),
}
YES = QT_TRANSLATE_NOOP("AuditValues", "Yes")
NO = QT_TRANSLATE_NOOP("AuditValues", "No")


def action_name(action: str) -> str:
    """The action as a sentence; an action without a name (older trails) shows its code."""
    return _tr.of(ACTIONS, action)


def group_name(prefix: str) -> str:
    return _tr.of(GROUPS, prefix)


def field_name(key: str) -> str:
    if key in messages.SETTING_NAMES:  # a programme rules setting (a rules change's before and after)
        return setting_name(key)
    return _tr.of(FIELDS, key, key.replace("_", " "))


def reason_name(code: str) -> str | None:
    """Reason codes the trail records (adjustment reasons, referral flags) in words; None for other text."""
    from loyalty_desk.ui.screens.adjustments.models import REASONS, reason_label
    from loyalty_desk.ui.screens.referrals.models import FLAG_SHORT, flag_short_label

    if code in REASONS:
        return reason_label(code)
    if code in FLAG_SHORT:
        return flag_short_label(code)
    if code in messages.FREEZE_REASONS:
        return fmt.freeze_reason(code)
    return None


def value_text(key: str, value: Any) -> str:
    """A before/after value as people read it: points with separators, dates in the locale's
    format, statuses and reasons translated, referral flags as the flagged-referrals screen words them."""
    if value is None or value == "":
        return "—"
    if key == "flags" and isinstance(value, list) and value and all(isinstance(flag, dict) for flag in value):
        from loyalty_desk.ui.screens.referrals.models import flag_text

        return "; ".join(flag_text(flag) for flag in value)
    if isinstance(value, bool):
        return _tr_value(YES) if value else _tr_value(NO)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt.number(int(value)) if isinstance(value, int) or value == int(value) else str(value)
    if isinstance(value, str):
        if key in ("reason", "reason_code", "refusal_code", "flags", "freeze_reason"):
            named = reason_name(value)
            if named:
                return named
        if value in VALUES:
            return _tr_value(VALUES[value])
        if value in fmt.TIERS:
            return fmt.tier(value)
        parsed = _as_date(value)
        if parsed is not None:
            return fmt.datetime_utc(parsed) if isinstance(parsed, datetime) else fmt.day(parsed)
        return value
    if isinstance(value, list):
        return ", ".join(value_text(key, item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_name(k)}: {value_text(k, v)}" for k, v in sorted(value.items()))
    return str(value)


def _as_date(text: str) -> date | datetime | None:
    if len(text) < 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(key, before, after) for every field whose value differs, in the order first seen."""
    before, after = before or {}, after or {}
    keys = list(before) + [k for k in after if k not in before]
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


def subject_text(kind: str | None, subject: str | None) -> str:
    if not kind:
        return ""
    pattern = SUBJECT_KINDS.get(kind)
    if pattern is None:
        return f"{kind} {subject}" if subject else kind
    return _tr(pattern).format(name=subject or "")


def wording() -> AuditWording:
    """The export's words: the same names the screen shows, in the current language."""
    from loyalty_desk.documents.audit_export import AuditWording

    headers = (QT_TRANSLATE_NOOP("AuditWords", "No."), QT_TRANSLATE_NOOP("AuditWords", "Time (UTC)"), QT_TRANSLATE_NOOP("AuditWords", "User"),
               QT_TRANSLATE_NOOP("AuditWords", "Desk"), QT_TRANSLATE_NOOP("AuditWords", "Branch"), QT_TRANSLATE_NOOP("AuditWords", "Action"),
               QT_TRANSLATE_NOOP("AuditWords", "Object"), QT_TRANSLATE_NOOP("AuditWords", "Member"), QT_TRANSLATE_NOOP("AuditWords", "Changes"),
               QT_TRANSLATE_NOOP("AuditWords", "Details"), QT_TRANSLATE_NOOP("AuditWords", "Action code"), QT_TRANSLATE_NOOP("AuditWords", "Reference"),
               QT_TRANSLATE_NOOP("AuditWords", "Hash"))
    values = {k: _tr_value(v) for k, v in VALUES.items()}
    values.update({k: fmt.tier(k) for k in fmt.TIERS})
    values.update(true=_tr_value(YES), false=_tr_value(NO))
    from loyalty_desk.ui.screens.adjustments.models import REASONS
    from loyalty_desk.ui.screens.referrals.models import FLAG_SHORT

    values.update({code: reason_name(code) or code for code in (*REASONS, *FLAG_SHORT)})
    return AuditWording(
        title=_tr(QT_TRANSLATE_NOOP("AuditWords", "Audit trail")),
        headers=tuple(_tr(h) for h in headers),
        actions={k: _tr(v) for k, v in ACTIONS.items()},
        fields={k: _tr(v) for k, v in FIELDS.items()},
        values=values,
        subjects={k: _tr(v) for k, v in SUBJECT_KINDS.items()},
    )
