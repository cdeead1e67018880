"""The audit trail: one hash-chained row per event, and its verification.

Each row's ``hash`` is SHA-256 over the previous row's hash and the row's own canonical
content (id included), so an edited, deleted or reordered row breaks the chain at that
row. The latest digest (id and hash) can be kept outside the store to detect a truncated tail.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.services.dto import AuditVerifyResult
from loyalty_desk.store.models import AuditEvent
from loyalty_desk.store.uow import UnitOfWork, UowFactory

GENESIS = "0" * 64


class Progress(Protocol):
    def set_progress(self, done: int, total: int) -> None: ...
    def set_status(self, text: str) -> None: ...
    def is_cancelled(self) -> bool: ...


class NoProgress:
    def set_progress(self, done: int, total: int) -> None:
        pass

    def set_status(self, text: str) -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


@dataclass(frozen=True)
class Actor:
    """Who did it, as the trail records it."""

    username: str
    desk: str
    branch_code: str | None = None


SYSTEM = Actor(username="system", desk="job")


def _canonical(event: AuditEvent) -> bytes:
    content: dict[str, Any] = {
        "id": event.id,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "desk": event.desk,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "member_no": event.member_no,
        "branch_code": event.branch_code,
        "before": event.before,
        "after": event.after,
        "details": event.details,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(event)).hexdigest()


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    member_no: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Appends one event inside the caller's unit of work, so it commits with the change it describes."""
    uow.audit.lock_chain()
    last = uow.audit.last()
    event = AuditEvent(
        id=(last.id + 1) if last else 1,
        occurred_at=now or utc_now(),
        actor=actor.username,
        desk=actor.desk,
        action=action,
        entity=entity,
        entity_id=entity_id,
        member_no=member_no,
        branch_code=actor.branch_code,
        before=_jsonable(before),
        after=_jsonable(after),
        details=_jsonable(details),
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    event.hash = chain_hash(event.prev_hash, event)
    return uow.audit.add(event)


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    jsonable: dict[str, Any] = json.loads(json.dumps(value, default=str, ensure_ascii=False))
    return jsonable


@dataclass(frozen=True)
class Digest:
    last_id: int
    last_hash: str

    def to_text(self) -> str:
        return json.dumps({"last_id": self.last_id, "last_hash": self.last_hash})

    @classmethod
    def from_text(cls, text: str) -> Digest:
        data = json.loads(text)
        return cls(int(data["last_id"]), str(data["last_hash"]))


class AuditService:
    def __init__(self, uow_factory: UowFactory, clock: Clock = utc_now) -> None:
        self._uow = uow_factory
        self._clock = clock

    def record(self, actor: Actor, action: str, **fields: Any) -> None:
        """An event with no other change to commit alongside (sign-in, print, export...)."""
        with self._uow(write=True) as uow:
            record(uow, actor, action, now=self._clock(), **fields)
            uow.commit()

    def digest(self) -> Digest:
        with self._uow() as uow:
            last = uow.audit.last()
            return Digest(last.id, last.hash) if last else Digest(0, GENESIS)

    def verify(self, progress: Progress | None = None, *, digest: Digest | None = None) -> AuditVerifyResult:
        """Walks the chain in order; the first row that does not follow names the problem."""
        progress = progress or NoProgress()
        with self._uow() as uow:
            total = uow.audit.count()
            progress.set_status("audit.verify")
            prev_hash, expected_id, checked = GENESIS, 1, 0
            last_seen: tuple[int, str] | None = None
            for event in uow.audit.in_order():
                if event.id != expected_id:
                    return AuditVerifyResult(False, checked, expected_id, "sequence_gap")
                if event.prev_hash != prev_hash:
                    return AuditVerifyResult(False, checked, event.id, "chain_broken")
                if chain_hash(prev_hash, event) != event.hash:
                    return AuditVerifyResult(False, checked, event.id, "hash_mismatch")
                if digest is not None and event.id == digest.last_id and event.hash != digest.last_hash:
                    return AuditVerifyResult(False, checked, event.id, "digest_mismatch")
                prev_hash, expected_id, checked = event.hash, expected_id + 1, checked + 1
                last_seen = (event.id, event.hash)
                if checked % 1000 == 0:
                    progress.set_progress(checked, total)
                    if progress.is_cancelled():
                        return AuditVerifyResult(False, checked, None, "cancelled")
            progress.set_progress(checked, total)
        if digest is not None and digest.last_id > 0 and (last_seen is None or last_seen[0] < digest.last_id):
            return AuditVerifyResult(False, checked, (last_seen[0] + 1) if last_seen else 1, "truncated")
        return AuditVerifyResult(True, checked)

