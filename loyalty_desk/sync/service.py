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
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from loyalty_desk.domain.errors import Conflict, DomainError, ValidationError, or_not_found
from loyalty_desk.domain.resolutions import RESOLUTIONS as RESOLUTION_KINDS
from loyalty_desk.domain.resolutions import WRITTEN_OFF, check_operation_id, check_resolution, check_role, clean_note, goods_of
from loyalty_desk.services.audit import Actor, Progress
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import SyncConfirmation, SyncExceptionView, SyncStatus, WaitingOperationView
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.member_numbers import DeskBlocks
from loyalty_desk.services.operations import OperationRequest, OperationRunner
from loyalty_desk.services.sync_resolution import RESOLVE, SyncResolution
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import Member, Operation, Outbox, SyncException
from loyalty_desk.sync.desk import DeskSync
from loyalty_desk.sync.desk_settings import DeskSettings
from loyalty_desk.sync.desk_state import CentralUnreachable, Outcome
from loyalty_desk.sync.outbox import attach

log = logging.getLogger(__name__)
RESOLUTIONS = frozenset(RESOLUTION_KINDS)


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
        if self.desk is not None and isinstance(context.member_numbers, DeskBlocks):
            context.member_numbers.use(self.desk.reserve_member_numbers)  # blocks from central's sequence
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._runner: OperationRunner | None = None
        self._auth_service: Any = None

    @classmethod
    def open(cls, data_dir: Path, database: Database, context: ServiceContext) -> SyncService:
        return cls(database, context, DeskSettings.load(data_dir))

    @property
    def standalone(self) -> bool:
        return self.desk is None

    def attach(self, runner: OperationRunner) -> None:
        """With a central configured, makes every operation of the desk's runner (built with
        ``services.handlers.operation_handlers``) write its outbox row in its own transaction."""
        self._runner = runner
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
                except Exception:
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

    def resolve(
        self, *, exception_id: int, resolution: str, actor: Actor, role: str, note: str = "", operation_id: str | None = None,
        staff_id: int | None = None, approver_username: str | None = None, approver_password: str | None = None,
    ) -> SyncResolution:
        """A supervisor's decision on a rejected operation, as a desk operation (``sync.resolve``) that is
        sent to central and posts what the decision implies (``services/sync_resolution.py``).

        ``operation_id`` is made where the decision starts (the screen's resolve step); the same id
        again replays the first result. ``staff_id`` is the signed-in supervisor (looked up by
        ``actor.username`` when not given). A write-off needs a second supervisor, who signs in here
        with ``approver_username``/``approver_password`` (audited; failures count towards the lock).
        """
        check_role(role)
        resolution = check_resolution(resolution)
        note = clean_note(note)
        operation_id = check_operation_id(operation_id or self.new_operation_id())
        runner = self._runner if self._runner is not None else self._standalone_runner()
        with self._context.uow() as uow:
            row = or_not_found(uow.sync_exceptions.by_id(exception_id), "sync_exception", exception_id)
            if row.resolved_at is not None and row.resolution_operation_id != operation_id:
                raise Conflict("sync.already_resolved", operation_id=row.operation_id, resolution=row.resolution)
            if staff_id is not None:
                staff = or_not_found(uow.staff.get(staff_id), "staff", staff_id)
            else:
                staff = or_not_found(uow.staff.by_username(actor.username), "staff", actor.username)
            staff_id, username = staff.id, staff.username
            rejected = uow.ledger.operation(row.operation_id)
            payload: dict[str, Any] = {
                "rejected_operation_id": row.operation_id,
                "resolution": resolution,
                "note": note,
                "member_no": uow.sync_exceptions.member_no_of(row.member_id),
                "points": uow.sync_exceptions.points_given_back(row.operation_id),
                "reason_code": row.reason_code,
                "resolved_by": username,
                "approved_by": None,
                "goods": goods_of(rejected.kind, rejected.payload) if rejected is not None else None,
            }
        approver_ids: tuple[int, ...] = ()
        lent: AbstractContextManager[Any] = nullcontext()
        if resolution == WRITTEN_OFF:
            if not (approver_username or "").strip():
                raise ValidationError("sync.approver_required", field="approved_by")
            # the second supervisor's key signs this one decision and is forgotten (never kept in the keyring)
            approver, approver_key = self._auth().sign_in_to_approve(username=approver_username.strip(), password=approver_password or "")  # type: ignore[union-attr]
            payload["approved_by"] = approver.username
            approver_ids, lent = (approver.staff_id,), self._context.keyring.lend(approver_key)
        with lent:
            outcome = runner.execute(
                OperationRequest(operation_id=operation_id, kind=RESOLVE, payload=payload, origin=self._context.desk_name,
                                 staff_id=staff_id, approver_ids=approver_ids)
            )
        return SyncResolution.from_result(outcome.result, status=outcome.status, replayed=outcome.replayed)

    @staticmethod
    def new_operation_id() -> str:
        """Made where a decision starts; pass the same id again to retry safely."""
        return str(uuid.uuid4())

    def _standalone_runner(self) -> OperationRunner:
        runner = operation_runner(self._context)
        self.attach(runner)
        return runner

    def _auth(self) -> Any:
        if self._auth_service is None:
            from loyalty_desk.services.auth import AuthService

            self._auth_service = AuthService(self._context)
        return self._auth_service

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

    def fetch_member(self, kind: str, value: str) -> str:
        """A member this desk does not hold, asked of head office by an exact handle (the lookup's
        remote): ``fetched`` (kept here from now on), ``absent``, ``offline`` (not held here and
        head office unreachable: the lookup says so), ``limit`` (head office refused more today),
        ``standalone``."""
        if self.desk is None:
            return "standalone"
        if self.is_offline():
            self._wake.set()  # the background round tries central again at once
            return "offline"
        try:
            return "fetched" if self.desk.fetch_member(kind, value) else "absent"
        except CentralUnreachable:
            return "offline"
        except DomainError as error:
            if error.code == "member.fetch_limit":
                return "limit"
            raise

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
            rows = session.execute(query.order_by(SyncException.id)).all()
        with self._context.uow() as uow:
            given_back = uow.sync_exceptions.given_back_by_operation([e.operation_id for e, _, _, _ in rows])
        return [
            SyncExceptionView(
                e.id, e.operation_id, no, e.reason_code, dict(e.params or {}), e.created_at, e.resolved_at, e.resolution,
                kind=kind, points=_points_of(payload), resolved_by=e.resolved_by,
                points_given_back=given_back.get(e.operation_id, 0), resolution_operation_id=e.resolution_operation_id,
            )
            for e, no, kind, payload in rows
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
