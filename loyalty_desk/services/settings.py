"""Rule settings as stored: defaults from ``rules.md`` until an administrator changes a section."""

from __future__ import annotations

from loyalty_desk.domain.rules import DEFAULT_RULES, RuleSettings
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.store.uow import UowFactory


class SettingsService:
    def __init__(self, uow_factory: UowFactory, clock: Clock = utc_now) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._cached: RuleSettings | None = None

    def current(self) -> RuleSettings:
        if self._cached is None:
            with self._uow() as uow:
                self._cached = RuleSettings.from_dict(uow.reference.rule_sections())
        return self._cached

    def invalidate(self) -> None:
        self._cached = None

    def seed_defaults(self, actor: Actor) -> None:
        """Writes every section that is not stored yet with its default (idempotent)."""
        with self._uow(write=True) as uow:
            stored = uow.reference.rule_sections()
            for section, value in DEFAULT_RULES.to_dict().items():
                if section not in stored:
                    uow.reference.put_rule_section(section, value, by=actor.username, now=self._clock())
            uow.commit()
        self.invalidate()

    def update(self, actor: Actor, settings: RuleSettings) -> None:
        """Stores the sections that changed, each with a new version and an audit row."""
        with self._uow(write=True) as uow:
            stored = uow.reference.rule_sections()
            for section, value in settings.to_dict().items():
                before = stored.get(section)
                if before != value:
                    uow.reference.put_rule_section(section, value, by=actor.username, now=self._clock())
                    record(uow, actor, "settings.update", entity="rule_setting", entity_id=section, before=before, after=value)
            uow.commit()
        self.invalidate()

