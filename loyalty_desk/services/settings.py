"""The programme's rules as stored: the base sections (``rule_setting``) and the approved versions
(``rule_change``, ``services/rule_changes.py``), read as a ``RuleCalendar`` that says which rules are in
force on any day."""

from __future__ import annotations

from datetime import date
from typing import Any

from loyalty_desk.domain.rule_changes import RuleCalendar, RuleVersion
from loyalty_desk.domain.rules import DEFAULT_RULES, RuleSettings
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.store.uow import UnitOfWork, UowFactory


def calendar_in(uow: UnitOfWork) -> RuleCalendar:
    """The calendar as ``uow`` sees it (inside a write transaction: with what it wrote)."""
    versions = [
        RuleVersion(version=int(row.version or 0), effective_on=row.effective_on, changes=dict(row.changes))
        for row in uow.rule_changes.approved()
    ]
    return RuleCalendar(RuleSettings.from_dict(uow.reference.rule_sections()), versions)


class SettingsService:
    def __init__(self, uow_factory: UowFactory, clock: Clock = utc_now) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._cached: tuple[tuple[Any, ...], RuleCalendar] | None = None

    def calendar(self) -> RuleCalendar:
        """Every version with its effective date; read again only when a version or a base section
        changed (another process, or the change feed, may have written one)."""
        with self._uow() as uow:
            stamp = uow.rule_changes.stamp()
            if self._cached is not None and self._cached[0] == stamp:
                return self._cached[1]
            calendar = calendar_in(uow)
        self._cached = (stamp, calendar)
        return calendar

    def rules_on(self, day: date) -> RuleSettings:
        """The rules in force on ``day`` (past or future)."""
        return self.calendar().on(day)

    def current(self) -> RuleSettings:
        """The rules in force today."""
        return self.rules_on(self._clock().date())

    def invalidate(self) -> None:
        self._cached = None

    def pinned(self) -> PinnedSettings:
        """These settings with the calendar read once, now, and kept (``PinnedSettings``)."""
        return PinnedSettings(self._uow, self.calendar(), self._clock)

    def seed_defaults(self, actor: Actor) -> None:
        """Writes every section that is not stored yet with its default (idempotent)."""
        with self._uow(write=True) as uow:
            stored = uow.reference.rule_sections()
            for section, value in DEFAULT_RULES.to_dict().items():
                if section not in stored:
                    uow.reference.put_rule_section(section, value, by=actor.username, now=self._clock())
            uow.commit()
        self.invalidate()


class PinnedSettings(SettingsService):
    """The calendar of one moment, kept: the central applier judges a batch of operations against one
    set of rules instead of checking for a new version before each operation (a round trip each).
    A version another applier approves meanwhile is seen from the next batch on."""

    def __init__(self, uow_factory: UowFactory, calendar: RuleCalendar, clock: Clock = utc_now) -> None:
        super().__init__(uow_factory, clock)
        self._calendar = calendar

    def calendar(self) -> RuleCalendar:
        return self._calendar

    def invalidate(self) -> None:
        """Nothing to drop: a pinned calendar is the batch's, and the batch ends."""
