"""What the screens and the command line use for sync: status, a sync round, the exceptions queue.

    sync = SyncService.open(data_dir, database, context)   # standalone when desk.json is absent
    sync.attach(runner)                 # the desk's OperationRunner writes the outbox
    sync.status()                       # SyncStatus for the status bar / sync screen
    sync.sync_once(progress)            # push, collect verdicts, pull
    sync.is_offline()                   # OperationRequest(offline=...) for new operations
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from loyalty_desk.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from loyalty_desk.services.audit import Actor, Progress, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import SyncConfirmation, SyncExceptionView, SyncStatus, WaitingOperationView
from loyalty_desk.services.operations import OperationRunner
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import Member, Operation, Outbox, SyncException
from loyalty_desk.sync.desk import CentralUnreachable, DeskSettings, DeskSync, Outcome, attach


log = logging.getLogger(__name__)
RESOLUTIONS = frozenset({"points_owed", "goods_reversed", "written_off"})
NOTE_MINIMUM = 5


def configured_desk_name(data_dir: Path) -> str | None:
    """The desk's name as central knows it, when this desk syncs (``desk.json``)."""
    settings = DeskSettings.load(data_dir)
    return settings.desk if settings else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _points_of(payload: Any) -> int | None:
    value = (payload or {}).get("points") if isinstance(payload, dict) else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class SyncService:
    def __init__(self, database: Database, context: ServiceContext, settings: DeskSettings | None) -> None:
        self._database = database
        self._context = context
        self.settings = settings
        self.desk = DeskSync(database, context, settings) if settings else None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def open(cls, data_dir: Path, database: Database, context: ServiceContext) -> SyncService:
        return cls(database, context, DeskSettings.load(data_dir))

    @property
    def standalone(self) -> bool:
        return self.desk is None

    def attach(self, runner: OperationRunner) -> None:
        if self.desk is not None:
            attach(runner, self._database, self._context.clock, on_commit=self._wake.set)
            runner.use_offline_state(self.is_offline)  # operations made while central is unreachable say so

    def start_background(self, *, interval: float = 5.0, on_status: Callable[[SyncStatus], None] | None = None) -> None:
        """Syncs every ``interval`` seconds, and at once after each operation commits; the UI shows ``on_status``.

        An unreachable central leaves the desk offline and retries on the next round; operations
        that failed to push wait for their own backoff (``outbox.next_attempt_at``).
        """
        if self.desk is None or self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    self.sync_once(wait=0.0)
                except Exception:  # noqa: BLE001 - a background round must never kill the loop
                    log.exception("sync round failed")
                if on_status is not None:
                    on_status(self.status())
                self._wake.wait(interval)

        self._thread = threading.Thread(target=loop, name="desk-sync", daemon=True)
        self._thread.start()

    def stop_background(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def resolve(self, *, exception_id: int, resolution: str, actor: Actor, role: str, note: str = "") -> None:
        """A supervisor's decision on a rejected operation: recorded and audited; the row then leaves the queue.

        Posting what the decision implies (points owed, goods reversed, write-off) is the
        matching desk operation's job; its id goes in ``resolution_operation_id`` later.
        """
        if role not in ("supervisor", "admin"):
            raise Forbidden("sync.resolve_role", role=role)
        if resolution not in RESOLUTIONS:
            raise ValidationError("sync.resolution", field="resolution", value=resolution, allowed=sorted(RESOLUTIONS))
        note = (note or "").strip()
        if len(note) < NOTE_MINIMUM:
            raise ValidationError("sync.note_required", field="note", minimum=NOTE_MINIMUM)
        with self._context.uow(write=True) as uow:
            session = uow.ledger.session
            row = session.get(SyncException, exception_id)
            if row is None:
                raise NotFound("sync_exception", exception_id)
            if row.resolved_at is not None:
                raise Conflict("sync.already_resolved", exception_id=exception_id)
            now = self._context.clock()
            row.resolved_at, row.resolved_by, row.resolution = now, actor.username, resolution
            member = uow.members.get(row.member_id) if row.member_id else None
            record(
                uow, actor, "sync.exception_resolved", entity="operation", entity_id=row.operation_id,
                member_no=member.member_no if member else None,
                details={"reason_code": row.reason_code, "resolution": resolution, "note": note}, now=now,
            )
            uow.commit()

    def is_offline(self) -> bool:
        return self.desk is not None and self.desk.is_offline()

    def status(self) -> SyncStatus:
        with self._database.read_sessions() as session:
            waiting = int(session.scalar(select(func.count()).select_from(Outbox).where(Outbox.outcome.is_(None))) or 0)
            exceptions = int(session.scalar(select(func.count()).select_from(SyncException).where(SyncException.resolved_at.is_(None))) or 0)
        if self.desk is None or self.settings is None:
            return SyncStatus("standalone", waiting, exceptions, None, None, None, None)
        state = self.desk.state()
        return SyncStatus(
            state=state.get("state") or "offline",
            waiting=waiting,
            exceptions=exceptions,
            last_push=_parse(state.get("last_push")),
            last_pull=_parse(state.get("last_pull")),
            central_url=self.settings.display_url,
            desk=self.settings.desk,
            last_error=state.get("last_error"),
        )

    def sync_once(self, progress: Progress | None = None, *, wait: float = 2.0) -> dict[str, Any]:
        """One round; an unreachable central is reported in the status (offline), not raised."""
        if self.desk is None:
            return {"standalone": True}
        try:
            return self.desk.sync_once(progress, wait=wait)
        except CentralUnreachable as error:
            return {"offline": str(error)}

    def confirm(self, operation_id: str, *, wait: float = 2.0) -> Outcome | None:
        """After an online operation: push it at once and wait briefly for central's verdict."""
        return None if self.desk is None else self.desk.confirm(operation_id, wait=wait)

    def confirmation(self, operation_id: str, *, wait: float = 2.0) -> SyncConfirmation:
        """The counter's answer after an operation: online, push it now and wait up to ``wait`` seconds
        for central's verdict; offline (or no verdict in time), it is saved here and waits to be sent."""
        if self.desk is None:
            return SyncConfirmation(operation_id, "standalone")
        if self.is_offline():
            self._wake.set()  # the background round tries central again at once
            return SyncConfirmation(operation_id, "waiting")
        outcome = self.confirm(operation_id, wait=wait)
        if outcome is None:
            return SyncConfirmation(operation_id, "waiting")
        if outcome.outcome == "accepted":
            return SyncConfirmation(operation_id, "confirmed")
        return SyncConfirmation(operation_id, "rejected", outcome.code, dict(outcome.params or {}))

    def exceptions(self, *, include_resolved: bool = False) -> list[SyncExceptionView]:
        with self._database.read_sessions() as session:
            query = (
                select(SyncException, Member.member_no, Operation.kind, Operation.payload)
                .outerjoin(Member, Member.id == SyncException.member_id)
                .outerjoin(Operation, Operation.id == SyncException.operation_id)
            )
            if not include_resolved:
                query = query.where(SyncException.resolved_at.is_(None))
            return [
                SyncExceptionView(
                    e.id, e.operation_id, no, e.reason_code, dict(e.params or {}), e.created_at, e.resolved_at, e.resolution,
                    kind=kind, points=_points_of(payload), resolved_by=e.resolved_by,
                )
                for e, no, kind, payload in session.execute(query.order_by(SyncException.id)).all()
            ]

    def waiting(self, *, limit: int = 500) -> list[WaitingOperationView]:
        """Operations made here that head office has not confirmed yet, oldest first."""
        with self._database.read_sessions() as session:
            rows = session.execute(
                select(Outbox, Operation, Member.member_no)
                .join(Operation, Operation.id == Outbox.operation_id)
                .outerjoin(Member, Member.id == Operation.member_id)
                .where(Outbox.outcome.is_(None))
                .order_by(Outbox.queued_at, Outbox.operation_id)
                .limit(limit)
            ).all()
            return [
                WaitingOperationView(
                    operation_id=o.operation_id, kind=op.kind, member_no=no or (op.payload or {}).get("member_no"),
                    points=_points_of(op.payload), made_at=op.created_at, offline=bool(op.offline), sent=o.pushed_at is not None,
                    attempts=int(o.attempts or 0), last_error=o.last_error,
                )
                for o, op, no in rows
            ]

    def close(self) -> None:
        self.stop_background()
        if self.desk is not None:
            self.desk.close()
