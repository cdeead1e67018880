"""Who may do what (rules.md, "Roles"): the single place services check a role.

    from loyalty_desk.services.roles import Permission, require
    require(session.role, Permission.ADJUST_APPROVE)      # raises Forbidden("auth.forbidden", ...)

The screens only hide what a role cannot do (``allowed``); the services refuse it.
"""

from __future__ import annotations

from enum import StrEnum

from loyalty_desk.domain.errors import Forbidden

OFFICER, SUPERVISOR, ADMIN, AUDITOR, MARKETING = "officer", "supervisor", "admin", "auditor", "marketing"
ROLES = (OFFICER, SUPERVISOR, ADMIN, AUDITOR, MARKETING)


class Permission(StrEnum):
    MEMBER_VIEW = "member.view"
    REDEEM = "redeem"
    REDEEM_REVERSE = "redeem.reverse"
    REFERRAL_REGISTER = "referral.register"
    REFERRAL_RESOLVE = "referral.resolve"  # clear or reject flagged referrals
    ADJUST_REQUEST = "adjust.request"
    ADJUST_CANCEL = "adjust.cancel"
    ADJUST_APPROVE = "adjust.approve"  # approve or reject
    ADJUST_QUEUE = "adjust.queue"  # read the approvals queue
    ADJUST_IMPORT = "adjust.import"
    TIER_OVERRIDE = "tier.override"  # request, approve or reject a manual tier override
    HINT_RESPOND = "hint.respond"  # record a member's response to a "what to offer now" hint
    MEMBER_FREEZE = "member.freeze"  # anyone at the counter may freeze to protect the account
    MEMBER_UNFREEZE = "member.unfreeze"  # only a supervisor lifts a freeze
    MEMBER_CONTACT = "member.contact"  # change a member's mobile, address or card
    MEMBER_ENROL = "member.enrol"  # enrol a walk-in client at the desk
    BENEFIT_USE = "benefit.use"  # a tier benefit taken at the counter
    MEMBER_CLOSE = "member.close"  # close an account (forfeiting points needs a second supervisor)
    STATEMENT_PRINT = "statement.print"
    EXPORT_BRANCH_LISTS = "export.branch_lists"
    SYNC_EXCEPTIONS = "sync.exceptions"
    BRANCH_DASHBOARD = "branch.dashboard"
    STAFF_UNLOCK = "staff.unlock"
    STAFF_MANAGE = "staff.manage"  # create, reset password, deactivate
    STAFF_LIST = "staff.list"
    CATALOGUE_EDIT = "catalogue.edit"
    SETTINGS_EDIT = "settings.edit"
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_EXPORT = "audit.export"
    FINANCE_REPORTS = "finance.reports"  # the points liability (product.md: finance, auditors)
    CAMPAIGN_MANAGE = "campaign.manage"  # draft, submit, approve or reject (not one's own), stop campaigns
    CAMPAIGN_VIEW = "campaign.view"  # the campaigns with their figures
    SERVICE_REPORTS = "service.reports"  # card approval times against the service target (head office)


_OFFICER = {
    Permission.MEMBER_VIEW,
    Permission.REDEEM,
    Permission.REFERRAL_REGISTER,
    Permission.HINT_RESPOND,
    Permission.ADJUST_REQUEST,
    Permission.ADJUST_CANCEL,
    Permission.ADJUST_IMPORT,
    Permission.STATEMENT_PRINT,
    Permission.EXPORT_BRANCH_LISTS,
    Permission.MEMBER_FREEZE,
    Permission.MEMBER_CONTACT,
    Permission.MEMBER_ENROL,
    Permission.MEMBER_CLOSE,
    Permission.BENEFIT_USE,
    Permission.BRANCH_DASHBOARD,  # their own branch's
}
_SUPERVISOR = _OFFICER | {
    Permission.MEMBER_UNFREEZE,
    Permission.ADJUST_APPROVE,
    Permission.TIER_OVERRIDE,
    Permission.ADJUST_QUEUE,
    Permission.REDEEM_REVERSE,
    Permission.SYNC_EXCEPTIONS,
    Permission.REFERRAL_RESOLVE,
    Permission.BRANCH_DASHBOARD,
    Permission.STAFF_UNLOCK,
    Permission.STAFF_LIST,
    Permission.AUDIT_READ,
    Permission.AUDIT_VERIFY,
    Permission.AUDIT_EXPORT,
    Permission.FINANCE_REPORTS,
    Permission.SERVICE_REPORTS,
}
_ADMIN = {
    Permission.MEMBER_VIEW,
    Permission.STAFF_MANAGE,
    Permission.STAFF_LIST,
    Permission.STAFF_UNLOCK,
    Permission.CATALOGUE_EDIT,
    Permission.SETTINGS_EDIT,
}
# Read everything, change nothing.
_AUDITOR = {
    Permission.MEMBER_VIEW,
    Permission.ADJUST_QUEUE,
    Permission.STAFF_LIST,
    Permission.AUDIT_READ,
    Permission.AUDIT_VERIFY,
    Permission.AUDIT_EXPORT,
    Permission.BRANCH_DASHBOARD,
    Permission.FINANCE_REPORTS,
    Permission.CAMPAIGN_VIEW,
    Permission.SERVICE_REPORTS,
}
# Head-office marketing (product.md): campaigns with their forecast, a second marketer approving.
_MARKETING = {
    Permission.MEMBER_VIEW,
    Permission.CAMPAIGN_MANAGE,
    Permission.CAMPAIGN_VIEW,
    Permission.SERVICE_REPORTS,
}

PERMISSIONS: dict[str, frozenset[Permission]] = {
    OFFICER: frozenset(_OFFICER),
    SUPERVISOR: frozenset(_SUPERVISOR),
    ADMIN: frozenset(_ADMIN),
    AUDITOR: frozenset(_AUDITOR),
    MARKETING: frozenset(_MARKETING),
}

# The ``action`` parameter of ``auth.forbidden``: what was refused, in words.
ACTIONS: dict[Permission, str] = {
    Permission.MEMBER_VIEW: "view members",
    Permission.REDEEM: "redeem",
    Permission.REDEEM_REVERSE: "reverse a redemption",
    Permission.REFERRAL_REGISTER: "register referrals",
    Permission.REFERRAL_RESOLVE: "resolve flagged referrals",
    Permission.ADJUST_REQUEST: "request adjustments",
    Permission.ADJUST_CANCEL: "cancel adjustment requests",
    Permission.ADJUST_APPROVE: "approve or reject adjustments",
    Permission.ADJUST_QUEUE: "see the approvals queue",
    Permission.ADJUST_IMPORT: "import adjustment requests",
    Permission.TIER_OVERRIDE: "override a member's tier",
    Permission.HINT_RESPOND: "record a member's answer to an offer",
    Permission.MEMBER_FREEZE: "freeze a member",
    Permission.MEMBER_UNFREEZE: "lift a member's freeze",
    Permission.MEMBER_CONTACT: "change a member's mobile, address or card",
    Permission.MEMBER_ENROL: "enrol a new member",
    Permission.MEMBER_CLOSE: "close a member's account",
    Permission.BENEFIT_USE: "use a member's tier benefit",
    Permission.STATEMENT_PRINT: "print statements",
    Permission.EXPORT_BRANCH_LISTS: "export branch lists",
    Permission.SYNC_EXCEPTIONS: "resolve sync exceptions",
    Permission.BRANCH_DASHBOARD: "see the branch dashboard",
    Permission.STAFF_UNLOCK: "unlock staff accounts",
    Permission.STAFF_MANAGE: "manage staff accounts",
    Permission.STAFF_LIST: "see staff accounts",
    Permission.CATALOGUE_EDIT: "edit the catalogue",
    Permission.SETTINGS_EDIT: "change rule settings",
    Permission.AUDIT_READ: "read the audit trail",
    Permission.AUDIT_VERIFY: "verify the audit trail",
    Permission.AUDIT_EXPORT: "export the audit trail",
    Permission.FINANCE_REPORTS: "see the points liability",
    Permission.CAMPAIGN_MANAGE: "manage campaigns",
    Permission.CAMPAIGN_VIEW: "see campaigns",
    Permission.SERVICE_REPORTS: "see the card service report",
}


def allowed(role: str, permission: Permission | str) -> bool:
    return Permission(permission) in PERMISSIONS.get(role, frozenset())


def require(role: str, permission: Permission | str) -> None:
    """Raises ``Forbidden("auth.forbidden", role=..., action=..., permission=...)`` unless ``role`` may."""
    permission = Permission(permission)
    if not allowed(role, permission):
        raise Forbidden("auth.forbidden", role=role, action=ACTIONS[permission], permission=permission.value)
