"""Programme rules administration (four eyes, versioned with effective dates).

An administrator proposes new values for one or more settings with an effective date (today or
later) and a reason (``rules.propose``); a second administrator approves it (``rules.approve``: it
becomes the next version, in force from its effective date) or rejects it (``rules.reject``); the
proposer may withdraw it while it is pending (``rules.withdraw``). The proposer never decides their
own change. Every approved version is kept, so the rules in force on any day, past or future, can be
shown (``rules_on``), and the engines use the version in force on an operation's business date
(``ServiceContext.rules_on``). The rows reach the desks through the change feed like any replicated
table; a desk applies a version from its effective date because it reads the same calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.domain.rule_changes import (
    SETTING_PATHS,
    ChangeStatus,
    RuleVersion,
    check_proposal,
    clean_decision_note,
    clean_reason,
    flatten,
    parse_date,
    proposal_problems,
)
from loyalty_desk.services.adjustments.records import acting_staff, actor_of
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, OperationService, business_date, write_decision
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.services.settings import calendar_in
from loyalty_desk.store.models import Operation, RuleChange, Staff
from loyalty_desk.store.uow import UnitOfWork

PROPOSE = "rules.propose"
APPROVE = "rules.approve"
REJECT = "rules.reject"
WITHDRAW = "rules.withdraw"
KINDS = (PROPOSE, APPROVE, REJECT, WITHDRAW)


@dataclass(frozen=True)
class SettingChange:
    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RuleChangeView:
    change_id: int
    operation_id: str
    status: str  # pending | approved | rejected | withdrawn
    effective_on: date
    reason: str
    settings: tuple[SettingChange, ...]
    maker_staff_id: int
    maker_username: str
    created_at: datetime
    version: int | None
    decided_by_username: str | None
    decided_at: datetime | None
    decision_note: str | None

    def refusal_for(self, session: StaffSession) -> str | None:
        """Why ``session`` may not approve or reject this change (an error code), or None."""
        if self.status != ChangeStatus.PENDING.value:
            return "rules.not_pending"
        if self.maker_staff_id == session.staff_id:
            return "rules.own_change"
        return None


@dataclass(frozen=True)
class RulesInForce:
    """The rules in force on ``day``: every setting by path, and the version they come from (0: the base)."""

    day: date
    version: int
    settings: dict[str, Any]


def _views(uow: UnitOfWork, row: RuleChange) -> RuleChangeView:
    maker = uow.staff.get(row.maker_staff_id)
    decider = uow.staff.get(row.decided_by_staff_id) if row.decided_by_staff_id is not None else None
    before = dict(row.before or {})
    settings = tuple(SettingChange(path, before.get(path), value) for path, value in _in_path_order(row.changes))
    return RuleChangeView(
        change_id=row.id, operation_id=row.operation_id, status=row.status, effective_on=row.effective_on, reason=row.reason,
        settings=settings, maker_staff_id=row.maker_staff_id, maker_username=maker.username if maker else "?", created_at=row.created_at,
        version=row.version, decided_by_username=decider.username if decider else None, decided_at=row.decided_at,
        decision_note=row.decision_note,
    )


def _in_path_order(changes: Mapping[str, Any]) -> list[tuple[str, Any]]:
    order = {path: i for i, path in enumerate(SETTING_PATHS)}
    return sorted(changes.items(), key=lambda item: order.get(item[0], len(order)))


def _result(change: RuleChange) -> dict[str, Any]:
    return {"change_id": change.id, "operation_id": change.operation_id, "status": change.status, "version": change.version,
            "effective_on": change.effective_on.isoformat()}


def _check_later_versions(uow: UnitOfWork, changes: Mapping[str, Any], effective_on: date, version: int) -> None:
    """The change must leave valid rules on its effective date and on every later version's (those
    versions set their own settings over it)."""
    calendar_in(uow).with_version(RuleVersion(version, effective_on, changes)).check_from(effective_on)


def _pending_locked(uow: UnitOfWork, request_operation_id: Any) -> RuleChange:
    uow.rule_changes.lock_decisions()
    change = or_not_found(uow.rule_changes.locked(str(request_operation_id or "")), "rule change", request_operation_id)
    if change.status != ChangeStatus.PENDING.value:
        raise DomainError("rules.not_pending", change_id=change.id, status=change.status)
    return change


def _decision(uow: UnitOfWork, request: OperationRequest, *, note_required: bool, by_proposer: bool) -> tuple[str, Staff, RuleChange]:
    """A decision's note, the administrator taking it and the pending proposal it names, locked; refused when the
    administrator is (``by_proposer`` False) or is not (True) the proposer."""
    note = clean_decision_note(request.payload.get("note"), required=note_required)
    staff = acting_staff(uow, request.staff_id, Permission.SETTINGS_EDIT)
    change = _pending_locked(uow, request.payload.get("change"))
    if by_proposer and change.maker_staff_id != staff.id:
        raise DomainError("rules.withdraw_not_proposer", change_id=change.id, username=staff.username)
    if not by_proposer and change.maker_staff_id == staff.id:
        raise DomainError("rules.own_change", change_id=change.id, username=staff.username)
    return note, staff, change


def _record_decision(uow: UnitOfWork, staff: Staff, request: OperationRequest, change: RuleChange, action: str, now: datetime,
                     **details: Any) -> None:
    record(
        uow, actor_of(uow, staff, request.origin), action, entity="rule_change", entity_id=str(change.id),
        before=dict(change.before), after=dict(change.changes),
        details={"operation_id": request.operation_id, "proposal": change.operation_id, **details}, now=now,
    )


class ProposeHandler:
    """Payload: ``changes`` ({setting path: value}), ``effective_on`` (ISO date), ``reason``. An administrator."""

    kind = PROPOSE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        staff = acting_staff(uow, request.staff_id, Permission.SETTINGS_EDIT)
        effective_on = parse_date(payload.get("effective_on"))
        calendar = calendar_in(uow)
        changes = payload.get("changes")
        if not isinstance(changes, dict):
            raise ValidationError("rules.no_change", field="changes")
        cleaned = check_proposal(base=calendar.on(effective_on), changes=changes, effective_on=effective_on, reason=payload.get("reason"),
                                 today=business_date(request, now))
        _check_later_versions(uow, cleaned.changes, cleaned.effective_on, uow.rule_changes.last_version() + 1)
        change = uow.rule_changes.add(
            RuleChange(
                operation_id=request.operation_id, maker_staff_id=staff.id, effective_on=cleaned.effective_on, reason=cleaned.reason,
                changes=cleaned.changes, before=cleaned.before, status=ChangeStatus.PENDING.value, created_at=now,
            )
        )
        record(
            uow, actor_of(uow, staff, request.origin), "rules.propose", entity="rule_change", entity_id=str(change.id),
            before=cleaned.before, after=cleaned.changes,
            details={"operation_id": request.operation_id, "effective_on": cleaned.effective_on.isoformat(), "reason": cleaned.reason},
            now=now,
        )
        return Applied(result=_result(change), status="pending")


class ApproveHandler:
    """Payload: ``change`` (the proposal's operation id), ``note``. Another administrator than the proposer."""

    kind = APPROVE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note, staff, change = _decision(uow, request, note_required=False, by_proposer=False)
        today = business_date(request, now)
        if change.effective_on < today:
            raise DomainError("rules.effective_passed", change_id=change.id, effective_on=change.effective_on, today=today)
        in_force = flatten(calendar_in(uow).on(change.effective_on))
        version = uow.rule_changes.last_version() + 1
        _check_later_versions(uow, change.changes, change.effective_on, version)
        change.before = {path: in_force[path] for path in change.changes}
        change.version = version
        write_decision(change, ChangeStatus.APPROVED.value, staff.id, note, now)
        _record_decision(uow, staff, request, change, "rules.approve", now, version=version, effective_on=change.effective_on.isoformat(), note=note)
        return Applied(result=_result(change), status="posted")


class _ClosingHandler:
    """A decision that closes a proposal with nothing put in force: it takes ``status``, audited as the
    operation's kind."""

    kind: str
    status: ChangeStatus
    note_required: bool
    by_proposer: bool

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        note, staff, change = _decision(uow, request, note_required=self.note_required, by_proposer=self.by_proposer)
        write_decision(change, self.status.value, staff.id, note, now)
        _record_decision(uow, staff, request, change, self.kind, now, note=note)
        # the decision is recorded ("posted"): an operation's "rejected" means refused
        return Applied(result=_result(change), status="posted")


class RejectHandler(_ClosingHandler):
    """Payload: ``change`` (the proposal's operation id), ``note`` (required). Another administrator than the proposer."""

    kind = REJECT
    status = ChangeStatus.REJECTED
    note_required = True
    by_proposer = False


class WithdrawHandler(_ClosingHandler):
    """Payload: ``change`` (the proposal's operation id), ``note``. The proposer only, while pending."""

    kind = WITHDRAW
    status = ChangeStatus.WITHDRAWN
    note_required = False
    by_proposer = True


def undo_refused(uow: UnitOfWork, operation: Operation) -> bool:
    """Desk, inside a rejection's transaction: a rules operation central refused leaves no trace in force
    here. A refused proposal's provisional row goes; a refused decision puts the change back to pending,
    unless central's copy (decided by someone else) already replaced what this desk wrote. False for
    another kind of operation or when nothing was put back."""
    if operation.kind not in KINDS:
        return False
    if operation.kind == PROPOSE:
        change = uow.rule_changes.by_operation(operation.id)
        if change is None or change.status != ChangeStatus.PENDING.value or change.created_at != operation.created_at:
            return False
        uow.rule_changes.remove_provisional(change)
        return True
    change = uow.rule_changes.by_operation(str(operation.payload.get("change") or ""))
    if change is None or change.decided_at != operation.created_at or change.decided_by_staff_id != operation.staff_id:
        return False
    change.status, change.version = ChangeStatus.PENDING.value, None
    change.decided_at = change.decided_by_staff_id = change.decision_note = None
    return True


def handlers() -> list[OperationHandler]:
    """The rules administration handlers, for the desk runner and central's applier."""
    return [ProposeHandler(), ApproveHandler(), RejectHandler(), WithdrawHandler()]


class RuleChangeService(OperationService):
    """Reads the rules calendar and writes its changes through the runner."""

    def rules_on(self, day: date | None = None) -> RulesInForce:
        """The rules in force on ``day`` (today when None), with the version they come from."""
        when = day or self._context.today()
        calendar = self._context.rule_calendar()
        return RulesInForce(day=when, version=calendar.version_on(when), settings=flatten(calendar.on(when)))

    def history(self) -> list[RuleChangeView]:
        """The approved versions, the latest first."""
        with self._context.uow() as uow:
            rows = uow.rule_changes.approved()
            return [_views(uow, row) for row in sorted(rows, key=lambda r: r.version or 0, reverse=True)]

    def changes(self, *, statuses: tuple[str, ...] = ()) -> list[RuleChangeView]:
        """Proposals in ``statuses`` (all when empty), the latest first."""
        with self._context.uow() as uow:
            return [_views(uow, row) for row in uow.rule_changes.search(statuses=statuses)]

    def pending(self) -> list[RuleChangeView]:
        return self.changes(statuses=(ChangeStatus.PENDING.value,))

    def form_problems(self, *, changes: Mapping[str, Any], effective_on: Any, reason: Any = None) -> list[ValidationError]:
        """Every problem of ``changes`` against the rules in force on ``effective_on`` (each naming its setting), and of
        ``reason`` when given; nothing written."""
        found: list[ValidationError] = []
        if reason is not None:
            try:
                clean_reason(reason)
            except ValidationError as error:
                found.append(error)
        try:
            when = parse_date(effective_on)
        except ValidationError as error:
            return [*found, error]
        if when < self._context.today():
            found.append(ValidationError("rules.effective_past", field="effective_on", effective_on=when, today=self._context.today()))
        return found + proposal_problems(self._context.rules_on(when), changes)[1]

    def preview(self, *, changes: Mapping[str, Any], effective_on: Any) -> list[SettingChange]:
        """What the proposal would change: each setting with its value in force on ``effective_on`` and the new one."""
        when = parse_date(effective_on)
        in_force = self._context.rules_on(when)
        typed, found = proposal_problems(in_force, changes)
        if found:
            raise found[0]
        current = flatten(in_force)
        return [SettingChange(path, current[path], value) for path, value in _in_path_order(typed)]

    def propose(self, *, operation_id: str, session: StaffSession, changes: Mapping[str, Any], effective_on: Any,
                reason: str) -> RuleChangeView:
        require(session.role, Permission.SETTINGS_EDIT)
        when = parse_date(effective_on)
        cleaned = check_proposal(base=self._context.rules_on(when), changes=changes, effective_on=when, reason=reason,
                                 today=self._context.today())
        return self._execute(operation_id, PROPOSE, cleaned.as_payload(), session)

    def approve(self, *, operation_id: str, session: StaffSession, change_id: Any, note: str = "") -> RuleChangeView:
        require(session.role, Permission.SETTINGS_EDIT)
        clean_decision_note(note, required=False)
        return self._execute(operation_id, APPROVE, {"change": self._proposal_operation(change_id), "note": note or ""}, session)

    def reject(self, *, operation_id: str, session: StaffSession, change_id: Any, note: str) -> RuleChangeView:
        require(session.role, Permission.SETTINGS_EDIT)
        clean_decision_note(note, required=True)
        return self._execute(operation_id, REJECT, {"change": self._proposal_operation(change_id), "note": note}, session)

    def withdraw(self, *, operation_id: str, session: StaffSession, change_id: Any, note: str = "") -> RuleChangeView:
        require(session.role, Permission.SETTINGS_EDIT)
        clean_decision_note(note, required=False)
        return self._execute(operation_id, WITHDRAW, {"change": self._proposal_operation(change_id), "note": note or ""}, session)

    def _proposal_operation(self, change_id: Any) -> str:
        return self._operation_of_request(_rule_changes, change_id, code="rules.change_id", field="change_id", what="rule change")

    def _execute(self, operation_id: str, kind: str, payload: dict[str, Any], session: StaffSession) -> RuleChangeView:
        return self._run_then_view(operation_id, kind, payload, session.staff_id, _rule_changes, _views)


def _rule_changes(uow: UnitOfWork) -> Any:
    return uow.rule_changes
