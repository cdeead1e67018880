"""Builds settings, the store and the services. Nothing happens at import time."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from loyalty_desk.services.clock import Clock, utc_now

if TYPE_CHECKING:
    from loyalty_desk.services.adjustments.service import AdjustmentService
    from loyalty_desk.services.analytics.dashboard import DashboardService
    from loyalty_desk.services.analytics.results import ResultsService
    from loyalty_desk.services.analytics.service import AnalyticsService
    from loyalty_desk.services.audit import AuditService
    from loyalty_desk.services.audit_viewer import AuditViewerService
    from loyalty_desk.services.auth import AuthService
    from loyalty_desk.services.benefits import BenefitService
    from loyalty_desk.services.campaigns.service import CampaignService
    from loyalty_desk.services.changes import StoreChanges
    from loyalty_desk.services.earning.file_import import ImportService
    from loyalty_desk.services.earning.service import EarningService
    from loyalty_desk.services.expiry import ExpiryService
    from loyalty_desk.services.exports import ExportService
    from loyalty_desk.services.hints import HintService
    from loyalty_desk.services.liability.service import LiabilityService
    from loyalty_desk.services.lookup import LookupService
    from loyalty_desk.services.member_care import MemberCareService
    from loyalty_desk.services.members.card_service import CardServiceReportService
    from loyalty_desk.services.members.enrolment import EnrolmentService
    from loyalty_desk.services.members.file_import import MemberImportService
    from loyalty_desk.services.members.service import MemberService
    from loyalty_desk.services.operations import OperationRunner
    from loyalty_desk.services.outreach.preferences import OutreachPreferenceService
    from loyalty_desk.services.outreach.service import OutreachService
    from loyalty_desk.services.redemption.service import RedemptionService
    from loyalty_desk.services.referrals.service import ReferralService
    from loyalty_desk.services.rule_changes import RuleChangeService
    from loyalty_desk.services.segments.service import SegmentService
    from loyalty_desk.services.settings import SettingsService
    from loyalty_desk.services.signing import UnlockedKey
    from loyalty_desk.services.staff_admin import StaffAdminService
    from loyalty_desk.services.standalone_jobs import StandaloneJobService
    from loyalty_desk.services.statements.service import StatementService
    from loyalty_desk.services.tier_overrides import TierOverrideService
    from loyalty_desk.store.db import Database
    from loyalty_desk.sync.service import SyncService

DATA_DIR_ENV = "LOYALTY_DESK_DATA_DIR"
APP_NAME = "LoyaltyDesk"


def default_data_dir() -> Path:
    """Where the local store lives when ``--data-dir`` is not given: env LOYALTY_DESK_DATA_DIR, else the
    data folder the user chose in the desk's settings (the pointer file), else the platform's default."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    chosen = read_data_folder_pointer()
    if chosen is not None:
        return chosen
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, APP_NAME))


DATA_FOLDER_POINTER = "data-folder.json"


def data_folder_pointer_path() -> Path:
    """The tiny file through which the desk's settings (Qt, per user) tell the command line and the
    next start which data folder the user chose: ``<user config dir>/LoyaltyDesk/data-folder.json``."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, APP_NAME)) / DATA_FOLDER_POINTER


def read_data_folder_pointer(path: Path | None = None) -> Path | None:
    import json

    try:
        value = json.loads((path or data_folder_pointer_path()).read_text(encoding="utf-8")).get("data_folder")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(value).expanduser() if isinstance(value, str) and value.strip() else None


def write_data_folder_pointer(folder: Path | str | None, path: Path | None = None) -> None:
    """Records the user's data folder (``None`` or empty: back to the default, the file is removed)."""
    import json

    target = path or data_folder_pointer_path()
    if not folder or not str(folder).strip():
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps({"data_folder": str(folder)}, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(target)


MACHINE_CONFIG_ENV = "LOYALTY_DESK_MACHINE_CONFIG"
MACHINE_KEYS = ("central_url", "desk_name", "branch")


def machine_config_path() -> Path:
    """Machine-wide desk defaults written by the installer or IT: ``%ProgramData%\\LoyaltyDesk\\desk.ini``
    on Windows, ``/etc/loyalty-desk/desk.ini`` elsewhere; env LOYALTY_DESK_MACHINE_CONFIG names another file."""
    configured = os.environ.get(MACHINE_CONFIG_ENV)
    if configured:
        return Path(configured)
    if os.name == "nt":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_NAME / "desk.ini"
    return Path("/etc/loyalty-desk/desk.ini")


@dataclass(frozen=True)
class MachineDefaults:
    """The ``[desk]`` section of the machine-wide desk.ini; an absent file or key is an empty string."""

    central_url: str = ""
    desk_name: str = ""
    branch: str = ""


def machine_defaults(path: Path | None = None) -> MachineDefaults:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)  # URLs may hold '%'
    try:
        parser.read(path or machine_config_path(), encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return MachineDefaults()
    if not parser.has_section("desk"):
        return MachineDefaults()
    return MachineDefaults(**{key: parser.get("desk", key, fallback="").strip() for key in MACHINE_KEYS})


def default_desk_name() -> str:
    return machine_defaults().desk_name or socket.gethostname().split(".")[0] or "desk"


@dataclass(frozen=True)
class Services:
    """Everything the screens and the command line use; no storage objects."""

    desk_name: str
    data_dir: Path
    settings: SettingsService
    audit: AuditService
    auth: AuthService
    lookup: LookupService
    members: MemberService
    earning: EarningService
    imports: ImportService
    expiry: ExpiryService
    runner: OperationRunner  # the one OperationRunner shared by every desk-operation service
    redemption: RedemptionService
    close: Callable[[], None]
    adjustments: AdjustmentService  # maker-checker adjustments
    staff_admin: StaffAdminService
    audit_viewer: AuditViewerService
    statements: StatementService  # statements
    exports: ExportService
    liability: LiabilityService  # the month-end points liability (finance, auditors)
    card_service: CardServiceReportService  # card approval times against the service target (head office)
    analytics: AnalyticsService  # the daily aggregates: rebuild, verify, compact
    dashboard: DashboardService  # the branch dashboard's figures
    results: ResultsService  # programme results: the figures, what is behind them, the export
    member_import: MemberImportService
    referrals: ReferralService  # referral registration, qualification, sweep
    sync: SyncService  # standalone unless desk.json names a central
    changes: StoreChanges  # tells the screens that the store changed
    standalone_jobs: StandaloneJobService  # what a standalone desk runs itself (refused on a joined desk)
    tier_overrides: TierOverrideService  # manual tier overrides (maker-checker)
    hints: HintService  # what to offer now: the member view's hints and the officer's responses
    member_care: MemberCareService  # freeze, unfreeze, change mobile
    rule_changes: RuleChangeService  # programme rules: proposals, four-eyes decisions, versions by effective date
    campaigns: CampaignService  # head-office campaigns: drafts, four-eyes approval, stop, the cost forecast
    enrolment: EnrolmentService  # enrolling a walk-in client at the desk
    benefits: BenefitService  # tier benefits as entitlements, used at the counter
    segments: SegmentService  # head-office marketing's saved member filters with their live count
    outreach: OutreachService  # marketing message batches for a segment: the SMS file, delivery results, the review workbook
    outreach_preferences: OutreachPreferenceService  # a member's message language and opt-out (an audited operation)


def build_services(
    data_dir: Path, *, desk_name: str | None = None, clock: Clock = utc_now, upgrade: bool = True, database: Database | None = None,
    central_key: UnlockedKey | None = None,
) -> Services:
    """Opens (and upgrades) the local store in ``data_dir`` and wires the services to it.

    ``database``: another store instead (central's PostgreSQL ``Database`` for head office's imports,
    ``loyalty_desk.central_data.central_services``); the services then never sync themselves."""
    from loyalty_desk.services.adjustments.service import AdjustmentService
    from loyalty_desk.services.analytics.dashboard import DashboardService
    from loyalty_desk.services.analytics.results import ResultsService
    from loyalty_desk.services.analytics.service import AnalyticsService
    from loyalty_desk.services.audit import AuditService
    from loyalty_desk.services.audit_viewer import AuditViewerService
    from loyalty_desk.services.auth import AuthService
    from loyalty_desk.services.benefits import BenefitService
    from loyalty_desk.services.campaigns.service import CampaignService
    from loyalty_desk.services.changes import StoreChanges
    from loyalty_desk.services.context import ServiceContext
    from loyalty_desk.services.earning.file_import import ImportService
    from loyalty_desk.services.earning.service import EarningService
    from loyalty_desk.services.expiry import ExpiryService
    from loyalty_desk.services.exports import ExportService
    from loyalty_desk.services.handlers import operation_runner
    from loyalty_desk.services.hints import HintService
    from loyalty_desk.services.liability.service import LiabilityService
    from loyalty_desk.services.lookup import LookupService
    from loyalty_desk.services.member_care import MemberCareService
    from loyalty_desk.services.member_numbers import DeskBlocks
    from loyalty_desk.services.members.card_service import CardServiceReportService
    from loyalty_desk.services.members.enrolment import EnrolmentService
    from loyalty_desk.services.members.file_import import MemberImportService
    from loyalty_desk.services.members.service import MemberService
    from loyalty_desk.services.outreach.preferences import OutreachPreferenceService
    from loyalty_desk.services.outreach.service import OutreachService
    from loyalty_desk.services.outreach.sms_platform import SETTINGS_FILE as SMS_SETTINGS_FILE
    from loyalty_desk.services.redemption.service import RedemptionService
    from loyalty_desk.services.referrals.service import ReferralService
    from loyalty_desk.services.rule_changes import RuleChangeService
    from loyalty_desk.services.segments.service import SegmentService
    from loyalty_desk.services.settings import SettingsService
    from loyalty_desk.services.staff_admin import StaffAdminService
    from loyalty_desk.services.standalone_jobs import StandaloneJobService
    from loyalty_desk.services.statements.service import StatementService
    from loyalty_desk.services.tier_overrides import TierOverrideService
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory
    from loyalty_desk.sync.desk_settings import DeskSettings
    from loyalty_desk.sync.service import SyncService

    elsewhere = database is not None
    store = database if database is not None else Database.open_local(data_dir, upgrade=upgrade)
    factory = uow_factory(store)
    settings = SettingsService(factory, clock)
    # desk.json, read once: its login may come from the system keychain
    desk_settings = None if elsewhere else DeskSettings.load(data_dir)
    joined = desk_settings.display_url if desk_settings else None  # the head office, shown without the password
    context = ServiceContext(
        uow=factory, settings=settings, desk_name=desk_name or (desk_settings.desk if desk_settings else None) or default_desk_name(),
        clock=clock, joined_central=joined,
        member_numbers=DeskBlocks() if joined else None,  # a joined desk's numbers: blocks of central's sequence
        central_key=central_key,
    )
    earning = EarningService(context)
    runner = operation_runner(context)
    sync = SyncService(store, context, desk_settings)
    sync.attach(runner)  # with a central configured, every operation writes its outbox row in its own transaction
    auth = AuthService(context)
    if joined:
        auth.sync_password_changes(runner)
    audit = AuditService(factory, clock)
    lookup = LookupService(context)
    if not elsewhere and sync.desk is not None:  # a desk of a region: members it does not hold are fetched from central
        lookup.attach_remote(sync.fetch_member)
    adjustments = AdjustmentService(context, runner, auth)
    referrals = ReferralService(context, runner)  # registers its operation handlers on the shared runner
    exports = ExportService(context)
    exports.attach_adjustments(adjustments)
    exports.attach_referrals(referrals)
    expiry = ExpiryService(context)

    def close() -> None:
        sync.close()
        store.dispose()

    return Services(
        desk_name=context.desk_name,
        data_dir=data_dir,
        settings=settings,
        audit=audit,
        auth=auth,
        lookup=lookup,
        members=MemberService(context),
        earning=earning,
        imports=ImportService(context, earning),
        expiry=expiry,
        runner=runner,
        redemption=RedemptionService(context, runner),
        close=close,
        sync=sync,
        adjustments=adjustments,
        staff_admin=StaffAdminService(context),
        audit_viewer=AuditViewerService(context, audit),
        referrals=referrals,
        changes=StoreChanges(store.change_counter()),
        statements=StatementService(context),
        exports=exports,
        liability=LiabilityService(context),
        card_service=CardServiceReportService(context),
        analytics=AnalyticsService(context),
        dashboard=DashboardService(context),
        results=ResultsService(context),
        member_import=MemberImportService(context),
        standalone_jobs=StandaloneJobService(context, adjustments, expiry, earning),
        tier_overrides=TierOverrideService(context, runner),
        hints=HintService(context, runner),
        member_care=MemberCareService(context, runner),
        rule_changes=RuleChangeService(context, runner),
        campaigns=CampaignService(context, runner),
        enrolment=EnrolmentService(context, runner),
        benefits=BenefitService(context, runner),
        segments=SegmentService(context, runner),
        outreach=OutreachService(context, sms_settings=data_dir / SMS_SETTINGS_FILE),
        outreach_preferences=OutreachPreferenceService(context, runner),
    )
