"""The central applier: desks' operations applied to the authoritative state with the desk's own code.

Each pass claims a batch of ``inbound_operation`` rows (``status = 'received'``,
``FOR UPDATE SKIP LOCKED``, so appliers side by side never take the same row) and, for each, runs
the very ``OperationRunner`` the desk runs — same handlers, same idempotency (an operation id
already in ``operation`` replays, a different payload is a ``Conflict``) — inside a savepoint of
the batch transaction. A ``DomainError`` (or a constraint such as ``posted_balance >= 0``) rolls
the savepoint back and the row is marked ``rejected`` with the code and parameters; otherwise
``posted`` with the result. The batch commits once. Deadlocks between appliers (two batches
locking the same members in a different order) roll the batch back; it is retried one
operation per transaction.

Central jobs (expiry) run exactly once however many appliers run: the first to take
``pg_try_advisory_xact_lock`` runs the job for the day, the others skip; the job's entry ids
come from its inputs, so a run killed midway and rerun posts nothing twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.operations import OperationHandler, OperationRequest, OperationRunner
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import UnitOfWork, uow_factory

log = logging.getLogger(__name__)

JOBS_LOCK = 7408


class _SessionSource:
    """Looks like a ``Database`` to ``UnitOfWork``: hands out the one session of the batch."""

    is_sqlite = False

    def __init__(self, session: Session) -> None:
        self._session = session

    def write_sessions(self) -> Session:
        return self._session

    read_sessions = write_sessions


class BorrowedUnitOfWork(UnitOfWork):
    """A unit of work over a session someone else commits (the applier's batch transaction)."""

    def __init__(self, session: Session) -> None:
        super().__init__(_SessionSource(session), write=True)  # type: ignore[arg-type]

    def __exit__(self, *exc: Any) -> None:
        self._session = None  # the owner rolls back or commits

    def commit(self) -> None:
        self.flush()


@dataclass(frozen=True)
class ApplyReport:
    posted: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.posted + self.rejected


_CLAIM = text(
    "SELECT operation_id, kind, payload, payload_digest, origin, staff_id, offline FROM inbound_operation "
    "WHERE status = 'received' ORDER BY received_at, operation_id LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_POSTED = text("UPDATE inbound_operation SET status = 'posted', applied_at = :now, result = CAST(:result AS json) WHERE operation_id = :id")
_REJECTED = text(
    "UPDATE inbound_operation SET status = 'rejected', applied_at = :now, reason_code = :code, reason_params = CAST(:params AS json) "
    "WHERE operation_id = :id"
)


def _member_order(row: Any) -> tuple[str, str]:
    payload = row.payload if isinstance(row.payload, dict) else {}
    return (str(payload.get("member_no") or payload.get("member_id") or ""), row.operation_id)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, default=str, ensure_ascii=False)


class Applier:
    def __init__(self, url: str, handlers: Iterable[OperationHandler], *, clock: Clock = utc_now, batch: int = 50) -> None:
        self.database = Database(url)
        self._factory = uow_factory(self.database)
        self._settings = SettingsService(self._factory, clock)
        self._handlers = list(handlers)
        self._clock = clock
        self.batch = batch

    def close(self) -> None:
        self.database.dispose()

    def _runner(self, session: Session) -> OperationRunner:
        def borrowed(*, write: bool = False) -> UnitOfWork:
            return BorrowedUnitOfWork(session)

        context = ServiceContext(uow=borrowed, settings=self._settings, desk_name="central", clock=self._clock)
        return OperationRunner(context, {h.kind: h for h in self._handlers})

    def apply_batch(self, limit: int | None = None) -> ApplyReport:
        """One pass: claims up to ``limit`` received operations and posts or rejects each.

        Within a batch, operations are applied in member order, so two appliers take member
        locks in the same order; a deadlock that happens anyway rolls the batch back and it is
        retried one operation per transaction.
        """
        limit = limit or self.batch
        for attempt in range(5):
            try:
                return self._apply(limit if attempt == 0 else 1)
            except OperationalError as error:
                if not isinstance(error.orig, (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)):
                    raise
                log.info("applier batch deadlocked (attempt %s); retrying one operation per transaction", attempt + 1)
        return self._apply(1)

    def _apply(self, limit: int) -> ApplyReport:
        posted = rejected = 0
        with self.database.write_sessions() as session:
            rows = session.execute(_CLAIM, {"limit": limit}).all()
            rows.sort(key=_member_order)
            runner = self._runner(session)
            for row in rows:
                request = OperationRequest(
                    operation_id=row.operation_id,
                    kind=row.kind,
                    payload=row.payload,
                    origin=row.origin,
                    staff_id=row.staff_id,
                    offline=row.offline,
                )
                now = self._clock()
                savepoint = session.begin_nested()
                try:
                    if row.kind not in {h.kind for h in self._handlers}:
                        raise DomainError("operation.unknown_kind", kind=row.kind)
                    outcome = runner.execute(request)
                    savepoint.commit()
                except DomainError as error:
                    savepoint.rollback()
                    session.execute(_REJECTED, {"now": now, "code": error.code, "params": _json(dict(error.params)), "id": row.operation_id})
                    rejected += 1
                    continue
                except IntegrityError as error:
                    savepoint.rollback()
                    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
                    session.execute(
                        _REJECTED, {"now": now, "code": "central.constraint", "params": _json({"constraint": constraint}), "id": row.operation_id}
                    )
                    rejected += 1
                    continue
                if outcome.status == "rejected":
                    session.execute(_REJECTED, {"now": now, "code": "operation.rejected", "params": _json(outcome.result), "id": row.operation_id})
                    rejected += 1
                else:
                    session.execute(_POSTED, {"now": now, "result": _json(outcome.result), "id": row.operation_id})
                    posted += 1
            session.commit()
        return ApplyReport(posted, rejected)

    def drain(self) -> ApplyReport:
        """Applies until nothing is waiting."""
        posted = rejected = 0
        while True:
            report = self.apply_batch()
            if report.total == 0:
                return ApplyReport(posted, rejected)
            posted, rejected = posted + report.posted, rejected + report.rejected

    # jobs

    def run_jobs(self, day: date | None = None, *, jobs: dict[str, Callable[[ServiceContext, date], Any]] | None = None) -> list[str]:
        """Each job once per day across all appliers; returns the jobs this applier ran."""
        day = day or self._clock().date()
        jobs = jobs if jobs is not None else default_jobs()
        context = ServiceContext(uow=self._factory, settings=self._settings, desk_name="central", clock=self._clock)
        ran: list[str] = []
        for name, job in jobs.items():
            with self.database.write_engine.connect() as connection:
                with connection.begin():
                    key = _stable_hash(name)
                    if not connection.scalar(text("SELECT pg_try_advisory_xact_lock(:a, :b)"), {"a": JOBS_LOCK, "b": key}):
                        continue
                    finished = connection.scalar(
                        text("SELECT finished_at FROM job_run WHERE job = :job AND run_key = :key"), {"job": name, "key": day.isoformat()}
                    )
                    if finished is not None:
                        continue
                    job(context, day)  # its own transactions; the advisory lock is held by this one meanwhile
                    ran.append(name)
        return ran


def default_jobs() -> dict[str, Callable[[ServiceContext, date], Any]]:
    from loyalty_desk.services.expiry import ExpiryService

    return {"expiry": lambda context, day: ExpiryService(context).run(as_of=day)}


def _stable_hash(text_value: str) -> int:
    import zlib

    return zlib.crc32(text_value.encode()) & 0x7FFFFFFF


def run_forever(
    url: str,
    handlers: Iterable[OperationHandler],
    *,
    workers: int = 1,
    once: bool = False,
    stop: threading.Event | None = None,
    jobs_every: float = 60.0,
    on_report: Callable[[ApplyReport], None] | None = None,
) -> ApplyReport:
    """``central run``: ``workers`` appliers side by side; each waits on NOTIFY ld_inbound when idle."""
    handlers = list(handlers)
    stop = stop or threading.Event()
    totals = [0, 0]
    lock = threading.Lock()

    def worker(index: int) -> None:
        applier = Applier(url, handlers)
        listen = psycopg.connect(_plain_url(url), autocommit=True)
        listen.execute("LISTEN ld_inbound")
        last_jobs = 0.0
        try:
            while not stop.is_set():
                if index == 0 and time.monotonic() - last_jobs > jobs_every:
                    applier.run_jobs()
                    last_jobs = time.monotonic()
                report = applier.apply_batch()
                with lock:
                    totals[0] += report.posted
                    totals[1] += report.rejected
                if report.total and on_report:
                    on_report(report)
                if report.total == 0:
                    if once:
                        return
                    for _ in listen.notifies(timeout=1.0, stop_after=1):
                        pass
        finally:
            listen.close()
            applier.close()

    threads = [threading.Thread(target=worker, args=(i,), name=f"applier-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        stop.set()
        for thread in threads:
            thread.join()
    return ApplyReport(totals[0], totals[1])


def _plain_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url.replace("postgresql+psycopg://", "postgresql://", 1))
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


__all__ = ["Applier", "ApplyReport", "run_forever", "DBAPIError"]
