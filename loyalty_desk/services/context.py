"""What every service is built with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from loyalty_desk.domain.rules import RuleSettings
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.services.signing import Keyring, UnlockedKey
from loyalty_desk.store.uow import UowFactory


@dataclass(frozen=True)
class ServiceContext:
    uow: UowFactory
    settings: SettingsService
    desk_name: str = "desk"
    clock: Clock = utc_now
    # The unlocked signing keys of the staff signed in here (memory only); every operation made here is signed from it.
    keyring: Keyring = field(default_factory=Keyring, compare=False)
    # Central's own key, when these services run at central (head office's imports and jobs).
    central_key: UnlockedKey | None = None

    @property
    def rules(self) -> RuleSettings:
        return self.settings.current()

    def today(self) -> date:
        return self.clock().date()

    def system_actor(self, job: str) -> Actor:
        return Actor(username="system", desk=f"{self.desk_name}:{job}")
