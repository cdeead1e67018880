"""Screens plug into the desk here: a name, an icon, a shortcut, the roles that may open it.

    REGISTRY.register(ScreenSpec(
        key="redeem", title=QT_TRANSLATE_NOOP("Screens", "Redemption"), icon="gift",
        shortcut="F4", roles=frozenset({"officer", "supervisor"}), factory=RedeemScreen, order=30))

``factory(context)`` builds the screen widget once per signed-in session. A screen may define
``activate(**kwargs)`` (called each time it is shown) and ``default_focus()`` (the widget that
takes the keyboard when the desk comes back to it), and may emit ``sig_open_member(str)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from loyalty_desk.ui.screens.context import ScreenContext

ALL_ROLES = frozenset({"officer", "supervisor", "admin", "auditor", "marketing"})


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str  # QT_TRANSLATE_NOOP("Screens", ...)
    icon: str  # file stem under resources/icons
    shortcut: str
    factory: Callable[[ScreenContext], QWidget]
    roles: frozenset[str] = ALL_ROLES
    order: int = 100
    in_navigation: bool = True  # False: opened from another screen only (e.g. the member view)

    def translated_title(self) -> str:
        return QCoreApplication.translate("Screens", self.title)

    def allowed(self, role: str) -> bool:
        return role in self.roles


@dataclass
class ScreenRegistry:
    _specs: dict[str, ScreenSpec] = field(default_factory=dict)

    def register(self, spec: ScreenSpec) -> ScreenSpec:
        if spec.key in self._specs:
            raise ValueError(f"screen {spec.key!r} registered twice")
        self._specs[spec.key] = spec
        return spec

    def get(self, key: str) -> ScreenSpec:
        return self._specs[key]

    def for_role(self, role: str) -> list[ScreenSpec]:
        return sorted((s for s in self._specs.values() if s.allowed(role)), key=lambda s: (s.order, s.key))


def default_registry() -> ScreenRegistry:
    """The screens this release has; later issues add theirs here."""
    from loyalty_desk.translatable import QT_TRANSLATE_NOOP
    from loyalty_desk.ui.screens.adjustments.screen import ApprovalsScreen
    from loyalty_desk.ui.screens.audit_viewer import AuditScreen
    from loyalty_desk.ui.screens.campaigns.screen import CampaignsScreen
    from loyalty_desk.ui.screens.catalogue_admin.screen import CatalogueAdminScreen
    from loyalty_desk.ui.screens.dashboard.screen import DashboardScreen
    from loyalty_desk.ui.screens.documents import DocumentsScreen
    from loyalty_desk.ui.screens.lookup import LookupScreen
    from loyalty_desk.ui.screens.member.screen import MemberScreen
    from loyalty_desk.ui.screens.outreach.screen import OutreachScreen
    from loyalty_desk.ui.screens.redeem.screen import RedeemScreen
    from loyalty_desk.ui.screens.referrals.screen import FlaggedReferralsScreen, ReferralsScreen
    from loyalty_desk.ui.screens.results.screen import ResultsScreen
    from loyalty_desk.ui.screens.rules_admin import RulesScreen
    from loyalty_desk.ui.screens.segments.screen import SegmentsScreen
    from loyalty_desk.ui.screens.staff_admin import StaffScreen
    from loyalty_desk.ui.screens.sync_status.screen import SyncStatusScreen

    counter = frozenset({"officer", "supervisor"})
    overseers = frozenset({"supervisor", "auditor"})
    marketing = frozenset({"marketing", "auditor"})  # head-office marketing; auditors read
    supervisor, admin = frozenset({"supervisor"}), frozenset({"admin"})
    registry = ScreenRegistry()
    for spec in (
        ScreenSpec("lookup", QT_TRANSLATE_NOOP("Screens", "Member lookup"), "search", "F2", LookupScreen, order=10),
        ScreenSpec("member", QT_TRANSLATE_NOOP("Screens", "Member"), "member", "F3", MemberScreen, order=20, in_navigation=False),
        # opened from the member view (F4 there)
        ScreenSpec("redeem", QT_TRANSLATE_NOOP("Screens", "Redemption"), "gift", "", RedeemScreen, roles=counter, order=30, in_navigation=False),
        # the supervisor's home screen
        ScreenSpec("dashboard", QT_TRANSLATE_NOOP("Screens", "Branch dashboard"), "branch", "Ctrl+Shift+D", DashboardScreen,
                   roles=counter | {"auditor"}, order=5),
        # head office and auditors: how the programme did
        ScreenSpec("results", QT_TRANSLATE_NOOP("Screens", "Programme results"), "branch", "Ctrl+Shift+G", ResultsScreen, roles=overseers, order=7),
        ScreenSpec("approvals", QT_TRANSLATE_NOOP("Screens", "Approvals queue"), "approvals", "F6", ApprovalsScreen, roles=supervisor, order=60),
        ScreenSpec("audit", QT_TRANSLATE_NOOP("Screens", "Audit trail"), "audit", "F8", AuditScreen, roles=overseers, order=80),
        ScreenSpec("staff", QT_TRANSLATE_NOOP("Screens", "Staff accounts"), "staff", "F9", StaffScreen, roles=admin | supervisor, order=90),
        # the catalogue and stock
        ScreenSpec("catalogue", QT_TRANSLATE_NOOP("Screens", "Reward catalogue"), "gift", "Shift+F9", CatalogueAdminScreen, roles=admin, order=92),
        # programme rules: proposals, four-eyes decisions, versions
        ScreenSpec("rules", QT_TRANSLATE_NOOP("Screens", "Programme rules"), "settings", "Ctrl+F9", RulesScreen, roles=admin, order=93),
        ScreenSpec("referrals", QT_TRANSLATE_NOOP("Screens", "Referrals"), "member", "F11", ReferralsScreen, roles=counter | {"auditor"}, order=50),
        ScreenSpec("referrals_flagged", QT_TRANSLATE_NOOP("Screens", "Flagged referrals"), "warning", "Shift+F11", FlaggedReferralsScreen,
                   roles=supervisor, order=55),
        # batch statements, exports, imports
        ScreenSpec("documents", QT_TRANSLATE_NOOP("Screens", "Statements and exports"), "print", "F10", DocumentsScreen,
                   roles=counter | {"auditor", "admin"}, order=70),
        # shown standalone too, saying so
        ScreenSpec("sync", QT_TRANSLATE_NOOP("Screens", "Sync status"), "refresh", "Shift+F12", SyncStatusScreen, roles=counter, order=95),
        ScreenSpec("campaigns", QT_TRANSLATE_NOOP("Screens", "Campaigns"), "gift", "Shift+F7", CampaignsScreen, roles=marketing, order=85),
        # saved member filters
        ScreenSpec("segments", QT_TRANSLATE_NOOP("Screens", "Segments"), "member", "Shift+F8", SegmentsScreen, roles=marketing, order=86),
        # message batches
        ScreenSpec("outreach", QT_TRANSLATE_NOOP("Screens", "Outreach"), "print", "Ctrl+F8", OutreachScreen, roles=marketing, order=87),
    ):
        registry.register(spec)
    return registry
