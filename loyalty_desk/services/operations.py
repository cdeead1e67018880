"""Desk operations: one id made where the operation starts, one write path, the same code on desk and central.

A desk operation (redemption, adjustment request, referral registration, ...) is a kind with a
JSON payload and a handler. ``OperationRunner.execute`` applies it in one write transaction:
the handler's postings, the ``operation`` row with its result, and — when the desk syncs with
central — the outbox row. Executing the same id again returns the first result; the same id
with a different payload is refused. Central's applier calls the very same handlers.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from loyalty_desk.domain.errors import Conflict, DomainError, ValidationError, or_not_found
from loyalty_desk.domain.signatures import APPROVER, MAKER
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.signing import sign_as_central, sign_operation
from loyalty_desk.store.models import Operation
from loyalty_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class OperationRequest:
    operation_id: str
    kind: str
    payload: dict[str, Any]  # JSON primitives only
    origin: str  # the desk that made it
    staff_id: int | None = None
    offline: bool = False
    approver_ids: tuple[int, ...] = ()  # staff who approve it within it (their keys lent to the keyring for this call)
    # Set by central's applier only: the signatures the desk made and the time they cover (already verified).
    signatures: tuple[dict[str, Any], ...] | None = None
    made_at: datetime | None = None


@dataclass(frozen=True)
class OperationOutcome:
    operation_id: str
    status: str
    result: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False  # this id had been applied before; nothing new was posted


@dataclass(frozen=True)
class Applied:
    """What a handler hands back: the result shown to the officer, and the member it concerned."""

    result: dict[str, Any]
    member_id: int | None = None
    status: str = "posted"


class OperationHandler(Protocol):
    kind: str

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied: ...


def prerequisites(handler: OperationHandler | None, payload: Any) -> tuple[str, ...]:
    """The operations this one needs applied first, as their ids or the start of one (a redemption's
    number carries only the start of its operation id): what a handler's optional ``waits_for`` names.
    Central's applier keeps an operation waiting while one of them is still queued."""
    waits_for = getattr(handler, "waits_for", None)
    if waits_for is None or not isinstance(payload, dict):
        return ()
    return tuple(waits_for(payload))


def business_date(request: OperationRequest, now: datetime) -> date:
    """The day an operation belongs to: when it was made at its desk (central applies it later), else ``now``."""
    return (request.made_at or now).date()


def write_decision(request_row: Any, status: str, staff_id: int, note: str, now: datetime) -> None:
    """A four-eyes decision written on the request row it decides: its new status, when, who, and the note
    (None when empty)."""
    request_row.status = status
    request_row.decided_at = now
    request_row.decided_by_staff_id = staff_id
    request_row.decision_note = note or None


def put_back(row: Any, undo: Any, *, dates: tuple[str, ...] = (), times: tuple[str, ...] = ()) -> None:
    """Sets ``row``'s fields back to the values a refused operation's result kept to undo it (``undo``:
    field, value); the ``dates`` and ``times`` come back from their ISO text, an empty one as it is."""
    for name, value in dict(undo or {}).items():
        if value and name in dates:
            value = date.fromisoformat(value)
        elif value and name in times:
            value = datetime.fromisoformat(value)
        setattr(row, name, value)


def payload_digest(kind: str, payload: dict[str, Any]) -> str:
    canonical = json.dumps({"kind": kind, "payload": payload}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


OutboxHook = Callable[[UnitOfWork, Operation], None]


class OperationRunner:
    def __init__(self, context: ServiceContext, handlers: dict[str, OperationHandler] | None = None) -> None:
        self._context = context
        self._handlers: dict[str, OperationHandler] = dict(handlers or {})
        self._outbox_hooks: list[OutboxHook] = []
        self._offline_state: Callable[[], bool] | None = None

    def use_offline_state(self, is_offline: Callable[[], bool]) -> None:
        """Where the runner learns whether central is reachable (the desk's SyncService): every operation
        it runs while offline is flagged ``offline=True``, so no service has to remember to pass it."""
        self._offline_state = is_offline

    def is_offline(self) -> bool:
        return self._offline_state is not None and bool(self._offline_state())

    def register(self, handler: OperationHandler) -> None:
        self._handlers[handler.kind] = handler

    def on_committed_locally(self, hook: OutboxHook) -> None:
        """Called inside the operation's transaction (the sync outbox writes its row here)."""
        self._outbox_hooks.append(hook)

    def execute(self, request: OperationRequest) -> OperationOutcome:
        handler = self._handlers[request.kind]
        if not request.offline and self.is_offline():
            request = replace(request, offline=True)
        digest = payload_digest(request.kind, request.payload)
        with self._context.uow(write=True) as uow:
            existing = uow.ledger.operation(request.operation_id)
            if existing is not None:
                return self._replay(existing, digest)
            now = self._context.clock()
            signatures, signed_at = self._signatures(request, digest, now)
            # Inserted first so the handler's entries can reference it; completed below in the same transaction.
            operation = uow.ledger.add_operation(
                Operation(
                    id=request.operation_id,
                    kind=request.kind,
                    payload=request.payload,
                    payload_digest=digest,
                    status="applying",
                    origin=request.origin,
                    staff_id=request.staff_id,
                    created_at=now,
                    offline=request.offline,
                    signatures=signatures,
                    signed_at=signed_at,
                )
            )
            applied = handler.apply(uow, self._context, request, now)
            operation.member_id, operation.status, operation.result = applied.member_id, applied.status, applied.result
            if self._outbox_hooks:
                uow.flush()
                for hook in self._outbox_hooks:
                    hook(uow, operation)
            uow.commit()
        return OperationOutcome(request.operation_id, applied.status, applied.result)

    def _signatures(self, request: OperationRequest, digest: str, now: datetime) -> tuple[list[dict[str, Any]] | None, datetime | None]:
        """The operation's signatures: the maker's (and each approver's) from the keyring, plus
        central's own when these services run at central. Without the maker's unlocked key an
        operation is not made (``signature.key_locked``): central would refuse it anyway."""
        if request.signatures is not None:
            return list(request.signatures), request.made_at
        context = self._context
        keyring = getattr(context, "keyring", None)
        central_key = getattr(context, "central_key", None)
        facts: dict[str, Any] = {
            "operation_id": request.operation_id, "kind": request.kind, "payload_digest": digest, "origin": request.origin, "made_at": now,
        }
        signed: list[dict[str, Any]] = []
        if central_key is not None:
            signed.append(sign_as_central(central_key, **facts).as_json())
        for role, staff_id in ((MAKER, request.staff_id), *((APPROVER, a) for a in request.approver_ids)):
            key = keyring.get(staff_id) if keyring is not None and staff_id is not None else None
            if key is None:
                if central_key is not None and role == MAKER:
                    continue  # central's signature stands for head office's jobs and imports
                raise DomainError("signature.key_locked", staff_id=staff_id, role=role)
            signed.append(sign_operation(key, role=role, **facts).as_json())
        return signed, now

    @staticmethod
    def _replay(existing: Operation, digest: str) -> OperationOutcome:
        if existing.payload_digest != digest:
            raise Conflict("operation.payload_mismatch", operation_id=existing.id)
        return OperationOutcome(existing.id, existing.status, existing.result or {}, replayed=True)


def checked_operation_id(operation_id: Any) -> str:
    """``operation_id`` when it is one (a UUID, made where the operation started); refused naming the field otherwise."""
    try:
        uuid.UUID(str(operation_id))
    except ValueError:
        raise ValidationError("redeem.operation_id", field="operation_id", value=operation_id) from None
    return str(operation_id)


V = TypeVar("V")


class OperationService:
    """A feature's service: it reads through the context's unit of work and writes only through the
    runner, which already holds every handler (``services.handlers.operation_runner``)."""

    def __init__(self, context: ServiceContext, runner: OperationRunner) -> None:
        self._context = context
        self._runner = runner

    @staticmethod
    def new_operation_id() -> str:
        """Made where the operation starts (the confirm step); pass the same id again to retry safely."""
        return str(uuid.uuid4())

    def _run(self, operation_id: str, kind: str, payload: dict[str, Any], staff_id: int | None) -> OperationOutcome:
        """Runs ``kind`` as the staff member's operation made at this desk, its id checked first."""
        return self._runner.execute(OperationRequest(operation_id=checked_operation_id(operation_id), kind=kind, payload=payload,
                                                     origin=self._context.desk_name, staff_id=staff_id))

    def _operation_of_request(self, records: Callable[[UnitOfWork], Any], number: Any, *, code: str, field: str, what: str) -> str:
        """The operation id of the request (a rule change, a tier override) numbered ``number`` in ``records``,
        which a four-eyes decision names; a number that is not one is refused as ``code`` at ``field``."""
        try:
            key = int(number)
        except (TypeError, ValueError):
            raise ValidationError(code, field=field, value=number) from None
        with self._context.uow() as uow:
            found = or_not_found(records(uow).get(key), what, number)
            return str(found.operation_id)

    def _run_then_view(self, operation_id: str, kind: str, payload: dict[str, Any], staff_id: int | None,
                       records: Callable[[UnitOfWork], Any], view: Callable[[UnitOfWork, Any], V]) -> V:
        """Runs ``kind``, then reads the request record it made or decided (found in ``records`` by its operation) as ``view``."""
        outcome = self._run(operation_id, kind, payload, staff_id)
        with self._context.uow() as uow:
            row = records(uow).by_operation(str(outcome.result["operation_id"]))
            assert row is not None
            return view(uow, row)
