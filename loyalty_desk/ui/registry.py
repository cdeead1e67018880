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
    from loyalty_desk.ui.screens.lookup import LookupScreen
    from loyalty_desk.ui.screens.member.screen import MemberScreen

    registry = ScreenRegistry()
    registry.register(ScreenSpec("lookup", QT_TRANSLATE_NOOP("Screens", "Member lookup"), "search", "F2", LookupScreen, order=10))
    registry.register(
        ScreenSpec("member", QT_TRANSLATE_NOOP("Screens", "Member"), "member", "F3", MemberScreen, order=20, in_navigation=False)
    )
    from loyalty_desk.ui.screens.redeem.screen import RedeemScreen  # opened from the member view (F4 there)

    registry.register(
        ScreenSpec("redeem", QT_TRANSLATE_NOOP("Screens", "Redemption"), "gift", "", RedeemScreen,
                   roles=frozenset({"officer", "supervisor"}), order=30, in_navigation=False)
    )
    from loyalty_desk.ui.screens.dashboard.screen import DashboardScreen  # the supervisor's home screen

    registry.register(
        ScreenSpec("dashboard", QT_TRANSLATE_NOOP("Screens", "Branch dashboard"), "branch", "Ctrl+Shift+D", DashboardScreen,
                   roles=frozenset({"officer", "supervisor", "auditor"}), order=5)
    )
    from loyalty_desk.ui.screens.results.screen import ResultsScreen  # head office and auditors: how the programme did

    registry.register(
        ScreenSpec("results", QT_TRANSLATE_NOOP("Screens", "Programme results"), "branch", "Ctrl+Shift+G", ResultsScreen,
                   roles=frozenset({"supervisor", "auditor"}), order=7)
    )
    from loyalty_desk.ui.screens.adjustments.screen import ApprovalsScreen
    from loyalty_desk.ui.screens.audit_viewer import AuditScreen
    from loyalty_desk.ui.screens.staff_admin import StaffScreen

    registry.register(
        ScreenSpec("approvals", QT_TRANSLATE_NOOP("Screens", "Approvals queue"), "approvals", "F6", ApprovalsScreen,
                   roles=frozenset({"supervisor"}), order=60)
    )
    registry.register(
        ScreenSpec("audit", QT_TRANSLATE_NOOP("Screens", "Audit trail"), "audit", "F8", AuditScreen,
                   roles=frozenset({"supervisor", "auditor"}), order=80)
    )
    registry.register(
        ScreenSpec("staff", QT_TRANSLATE_NOOP("Screens", "Staff accounts"), "staff", "F9", StaffScreen,
                   roles=frozenset({"admin", "supervisor"}), order=90)
    )
    from loyalty_desk.ui.screens.catalogue_admin.screen import CatalogueAdminScreen  # the catalogue and stock, admin only

    registry.register(
        ScreenSpec("catalogue", QT_TRANSLATE_NOOP("Screens", "Reward catalogue"), "gift", "Shift+F9", CatalogueAdminScreen,
                   roles=frozenset({"admin"}), order=92)
    )
    from loyalty_desk.ui.screens.rules_admin import RulesScreen  # programme rules: proposals, four-eyes decisions, versions

    registry.register(
        ScreenSpec("rules", QT_TRANSLATE_NOOP("Screens", "Programme rules"), "settings", "Ctrl+F9", RulesScreen,
                   roles=frozenset({"admin"}), order=93)
    )
    from loyalty_desk.ui.screens.referrals.screen import FlaggedReferralsScreen, ReferralsScreen

    registry.register(
        ScreenSpec("referrals", QT_TRANSLATE_NOOP("Screens", "Referrals"), "member", "F11", ReferralsScreen,
                   roles=frozenset({"officer", "supervisor", "auditor"}), order=50)
    )
    registry.register(
        ScreenSpec("referrals_flagged", QT_TRANSLATE_NOOP("Screens", "Flagged referrals"), "warning", "Shift+F11", FlaggedReferralsScreen,
                   roles=frozenset({"supervisor"}), order=55)
    )
    from loyalty_desk.ui.screens.documents import DocumentsScreen  # batch statements, exports, imports

    registry.register(
        ScreenSpec("documents", QT_TRANSLATE_NOOP("Screens", "Statements and exports"), "print", "F10", DocumentsScreen,
                   roles=frozenset({"officer", "supervisor", "auditor", "admin"}), order=70)
    )
    from loyalty_desk.ui.screens.sync_status.screen import SyncStatusScreen  # shown standalone too, saying so

    registry.register(
        ScreenSpec("sync", QT_TRANSLATE_NOOP("Screens", "Sync status"), "refresh", "Shift+F12", SyncStatusScreen,
                   roles=frozenset({"officer", "supervisor"}), order=95)
    )
    from loyalty_desk.ui.screens.campaigns.screen import CampaignsScreen  # head-office marketing; auditors read

    registry.register(
        ScreenSpec("campaigns", QT_TRANSLATE_NOOP("Screens", "Campaigns"), "gift", "Shift+F7", CampaignsScreen,
                   roles=frozenset({"marketing", "auditor"}), order=85)
    )
    from loyalty_desk.ui.screens.segments.screen import SegmentsScreen  # head-office marketing's saved member filters

    registry.register(
        ScreenSpec("segments", QT_TRANSLATE_NOOP("Screens", "Segments"), "member", "Shift+F8", SegmentsScreen,
                   roles=frozenset({"marketing", "auditor"}), order=86)
    )
    from loyalty_desk.ui.screens.outreach.screen import OutreachScreen  # head-office marketing's message batches; auditors read

    registry.register(
        ScreenSpec("outreach", QT_TRANSLATE_NOOP("Screens", "Outreach"), "print", "Ctrl+F8", OutreachScreen,
                   roles=frozenset({"marketing", "auditor"}), order=87)
    )
    return registry
