"""What every service is built with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.rule_changes import RuleCalendar
from loyalty_desk.domain.rules import RuleSettings
from loyalty_desk.services.audit import Actor, AuditService
from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.services.signing import Keyring, UnlockedKey
from loyalty_desk.store.uow import UowFactory


@dataclass(frozen=True)
class ServiceContext:
    uow: UowFactory
    settings: SettingsService
    desk_name: str = "desk"
    clock: Clock = utc_now
    joined_central: str | None = None  # the head office this desk syncs with (no password); None: standalone, or central itself
    member_numbers: Any = None  # where new member numbers come from (services/member_numbers.py); None: the store's own
    # The unlocked signing keys of the staff signed in here (memory only); every operation made here is signed from it.
    keyring: Keyring = field(default_factory=Keyring, compare=False)
    # Central's own key, when these services run at central (head office's imports and jobs).
    central_key: UnlockedKey | None = None

    @property
    def rules(self) -> RuleSettings:
        """The rules in force today (by this context's clock)."""
        return self.settings.rules_on(self.today())

    def rules_on(self, day: date) -> RuleSettings:
        """The rules in force on ``day``: an operation's engines use those of its business date."""
        return self.settings.rules_on(day)

    def rule_calendar(self) -> RuleCalendar:
        """Every rules version with its effective date (a batch of many dates reads it once)."""
        return self.settings.calendar()

    def today(self) -> date:
        return self.clock().date()

    def system_actor(self, job: str) -> Actor:
        return Actor(username="system", desk=f"{self.desk_name}:{job}")

    def actor_of(self, session: StaffSession) -> Actor:
        """The person signed in at this desk, as the audit trail records them."""
        return Actor(session.username, self.desk_name, session.branch_code)

    @property
    def audit(self) -> AuditService:
        """The audit trail, for an event with no other change to commit alongside it (an export)."""
        return AuditService(self.uow, self.clock)


def refuse_local_job(context: ServiceContext, job: str) -> None:
    """The daily jobs (expiry, adjustment expiry, referral sweep) run at central for a joined desk
    (``central run``); run here they would change this desk's copy only."""
    if context.joined_central:
        raise DomainError("job.joined_desk", job=job, central=context.joined_central)


def refuse_local_staff_change(context: ServiceContext, action: str) -> None:
    """A desk joined to central creates, resets and disables no account in its own store: central would
    never learn the new key or the change, and would refuse the person's operations (or keep accepting a
    disabled person's). Head office manages accounts with ``staff ... --central``."""
    if context.joined_central:
        raise DomainError("staff.joined_desk", action=action, central=context.joined_central)


def refuse_local_import(context: ServiceContext, kind: str) -> None:
    """A desk joined to central imports nothing into its own store: central would never receive those
    rows, so the desk would differ from head office for good. Head office imports with ``--central``."""
    if context.joined_central:
        raise DomainError("import.joined_desk", kind=kind, central=context.joined_central)
