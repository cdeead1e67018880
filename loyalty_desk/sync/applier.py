"""The central applier: desks' operations applied to the authoritative state with the desk's own code.

Each pass claims a batch of ``inbound_operation`` rows (``status = 'received'``,
``FOR UPDATE SKIP LOCKED``, so appliers side by side never take the same row) and, for each, runs
the very ``OperationRunner`` the desk runs — same handlers, same idempotency (an operation id
already in ``operation`` replays, a different payload is a ``Conflict``) — in the batch
transaction. A ``DomainError`` (or a constraint such as ``posted_balance >= 0``) marks the row
``rejected`` with the code and parameters; otherwise ``posted`` with the result. The verdicts of
the batch are written in one statement and the batch commits once.

What keeps a batch cheap (the handlers are untouched):

* no savepoint per operation: the batch runs optimistically; when an operation fails, the
  transaction is rolled back and the same operations are run again with a savepoint around the
  ones that failed (around all of them after three tries), so a failure never leaves half an
  operation behind and the others keep their result;
* the batch's members are locked up front in one ``SELECT ... ORDER BY id FOR UPDATE SKIP LOCKED``
  (id order: the same order in every applier) and handed to the handlers from the session
  (``uow.members.by_no``/``lock`` answer without a query for them). Operations whose member another
  applier holds stay ``received`` for a later batch instead of waiting; when every member of a
  batch is held elsewhere the batch waits for them;
* the audit chain is locked once per batch and its last event remembered after each append
  (nobody else can append while the batch holds the chain lock; a rolled-back savepoint forgets it).

Deadlocks between appliers (a handler locking rows beyond the batch's members in another order)
roll the batch back; it is retried one operation per transaction.

Central jobs (expiry, adjustment expiry, referral sweep) run exactly once however many appliers run: the first to take
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
from sqlalchemy import or_, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.operations import OperationHandler, OperationRequest, OperationRunner
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import AuditEvent, Member
from loyalty_desk.store.repositories.audit import AuditRepository
from loyalty_desk.store.repositories.members import MemberRepository
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


class _BatchState:
    """What the batch transaction already holds: the members it locked up front (one statement, id
    order) and, once an operation appended to the audit chain, the chain lock and the last event."""

    def __init__(self) -> None:
        self.members: dict[int, Member] = {}
        self.numbers: dict[str, int] = {}
        self.chain_locked = False
        self.last_event: AuditEvent | None = None

    def savepoint_rolled_back(self) -> None:
        # the event (and possibly the chain lock) taken inside the savepoint are gone with it
        self.chain_locked = False
        self.last_event = None


class _BatchMembers(MemberRepository):
    """Members the batch locked up front come from the session's identity map: no second
    ``SELECT ... FOR UPDATE`` per operation (the row lock is held since the batch began, and every
    change to them in this transaction went through these very objects)."""

    def __init__(self, session: Session, is_postgres: bool, state: _BatchState) -> None:
        super().__init__(session, is_postgres)
        self._state = state

    def by_no(self, member_no: str) -> Member | None:
        member_id = self._state.numbers.get(member_no)
        if member_id is None:
            return super().by_no(member_no)
        return self.session.get(Member, member_id)

    def lock(self, member_id: int) -> Member | None:
        if member_id not in self._state.members:
            return super().lock(member_id)
        return self.session.get(Member, member_id)


class _BatchAudit(AuditRepository):
    """The audit chain within the batch: locked once, its last event remembered after each append
    (nobody else can append while this transaction holds the chain lock)."""

    def __init__(self, session: Session, is_postgres: bool, state: _BatchState) -> None:
        super().__init__(session, is_postgres)
        self._state = state

    def lock_chain(self) -> None:
        if not self._state.chain_locked:
            super().lock_chain()
            self._state.chain_locked = True

    def last(self) -> AuditEvent | None:
        if self._state.chain_locked and self._state.last_event is not None:
            return self._state.last_event
        return super().last()

    def add(self, event: AuditEvent) -> AuditEvent:
        added = super().add(event)
        if self._state.chain_locked:
            self._state.last_event = added
        return added


class BorrowedUnitOfWork(UnitOfWork):
    """A unit of work over a session someone else commits (the applier's batch transaction)."""

    def __init__(self, session: Session, state: _BatchState | None = None) -> None:
        super().__init__(_SessionSource(session), write=True)  # type: ignore[arg-type]
        self._state = state

    def __enter__(self) -> UnitOfWork:
        super().__enter__()
        if self._state is not None and self._session is not None:
            self.members = _BatchMembers(self._session, self.is_postgres, self._state)
            self.audit = _BatchAudit(self._session, self.is_postgres, self._state)
        return self

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
_RECLAIM = text(
    "SELECT operation_id, kind, payload, payload_digest, origin, staff_id, offline FROM inbound_operation "
    "WHERE operation_id = ANY(:ids) AND status = 'received' ORDER BY received_at, operation_id FOR UPDATE SKIP LOCKED"
)
_FIND_MEMBERS = text("SELECT id, member_no FROM member WHERE member_no = ANY(:nos) OR id = ANY(:ids)")
# One statement for the verdicts of the whole batch (the columns a verdict does not set stay NULL, as they were).
_VERDICTS = text(
    "UPDATE inbound_operation AS i SET status = v.status, applied_at = v.applied_at, result = CAST(v.result AS json), "
    "reason_code = v.code, reason_params = CAST(v.params AS json) "
    "FROM unnest(CAST(:ids AS text[]), CAST(:statuses AS text[]), CAST(:applied AS timestamp[]), CAST(:results AS text[]), "
    "CAST(:codes AS text[]), CAST(:params AS text[])) AS v(operation_id, status, applied_at, result, code, params) "
    "WHERE i.operation_id = v.operation_id"
)


class _Failed(Exception):
    """An operation failed outside a savepoint: the batch is run again with a savepoint around it."""

    def __init__(self, operation_id: str) -> None:
        super().__init__(operation_id)
        self.operation_id = operation_id


def _verdict_params(verdicts: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    columns = list(zip(*verdicts))
    return dict(zip(("ids", "statuses", "applied", "results", "codes", "params"), (list(c) for c in columns)))


def _member_ref(row: Any) -> tuple[str | None, Any]:
    payload = row.payload if isinstance(row.payload, dict) else {}
    if isinstance(payload.get("member_no"), str):
        return "no", payload["member_no"]
    member_id = payload.get("member_id")
    if isinstance(member_id, int) and not isinstance(member_id, bool):
        return "id", member_id
    return None, None


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

    def _runner(self, session: Session, state: _BatchState | None = None) -> OperationRunner:
        def borrowed(*, write: bool = False) -> UnitOfWork:
            return BorrowedUnitOfWork(session, state)

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
        """One batch transaction. Operations run without a savepoint each (two round trips saved per
        operation); when one fails, the transaction is rolled back and the same operations are run
        again with a savepoint around the ones that failed (around all of them after a few tries)."""
        suspects: set[str] = set()
        ids: list[str] | None = None
        for attempt in range(4):
            with self.database.write_sessions() as session:
                if ids is None:
                    rows = session.execute(_CLAIM, {"limit": limit}).all()
                else:
                    rows = session.execute(_RECLAIM, {"ids": ids}).all() if ids else []
                if not rows:
                    return ApplyReport()
                rows.sort(key=_member_order)
                state = _BatchState()
                rows = self._lock_members(session, rows, state)
                ids = [row.operation_id for row in rows]
                everything = attempt == 3
                try:
                    verdicts = self._run(session, rows, suspects, everything, state)
                except _Failed as failed:
                    session.rollback()
                    suspects.add(failed.operation_id)
                    continue
                if verdicts:
                    session.execute(_VERDICTS, _verdict_params(verdicts))
                session.commit()
            return ApplyReport(sum(1 for v in verdicts if v[1] == "posted"), sum(1 for v in verdicts if v[1] == "rejected"))
        raise AssertionError("unreachable")  # pragma: no cover

    def _lock_members(self, session: Session, rows: list[Any], state: _BatchState) -> list[Any]:
        """Locks the batch's members in one statement, in id order (the order every applier uses),
        and keeps them in the session for the handlers (``_BatchMembers``).

        Members another applier holds are skipped: their operations stay ``received`` (and locked by
        this transaction until it ends) for a later batch instead of waiting here; when every member
        of the batch is taken elsewhere, the batch waits for them (so it always makes progress).
        """
        wanted_nos: set[str] = set()
        wanted_ids: set[int] = set()
        for row in rows:
            kind, key = _member_ref(row)
            if kind == "no":
                wanted_nos.add(key)
            elif kind == "id":
                wanted_ids.add(key)
        if not wanted_nos and not wanted_ids:
            return rows
        query = (
            select(Member)
            .where(or_(Member.member_no.in_(sorted(wanted_nos)), Member.id.in_(sorted(wanted_ids))))
            .order_by(Member.id)
            .execution_options(populate_existing=True)
        )
        locked = list(session.scalars(query.with_for_update(skip_locked=True)))
        kept = rows
        if not locked:
            locked = list(session.scalars(query.with_for_update()))
        elif len(locked) < len(wanted_nos) + len(wanted_ids):
            got_nos = {m.member_no for m in locked}
            got_ids = {m.id for m in locked}
            found = session.execute(_FIND_MEMBERS, {"nos": sorted(wanted_nos), "ids": sorted(wanted_ids)}).all()
            busy_nos = {r.member_no for r in found} - got_nos
            busy_ids = {r.id for r in found} - got_ids
            kept = []
            for row in rows:
                kind, key = _member_ref(row)
                if (kind == "no" and key in busy_nos) or (kind == "id" and key in busy_ids):
                    continue
                kept.append(row)
        state.members = {m.id: m for m in locked}
        state.numbers = {m.member_no: m.id for m in locked}
        return kept

    def _run(self, session: Session, rows: list[Any], suspects: set[str], everything: bool, state: _BatchState) -> list[tuple[Any, ...]]:
        """(id, status, now, result, code, params) per operation; raises ``_Failed`` for a failure outside a savepoint."""
        runner = self._runner(session, state)
        kinds = {h.kind for h in self._handlers}
        verdicts: list[tuple[Any, ...]] = []
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
            guarded = everything or row.operation_id in suspects
            savepoint = session.begin_nested() if guarded else None
            try:
                if row.kind not in kinds:
                    raise DomainError("operation.unknown_kind", kind=row.kind)
                outcome = runner.execute(request)
                if savepoint is not None:
                    savepoint.commit()
            except DomainError as error:
                if savepoint is None:
                    raise _Failed(row.operation_id) from error
                savepoint.rollback()
                state.savepoint_rolled_back()
                verdicts.append((row.operation_id, "rejected", now, None, error.code, _json(dict(error.params))))
                continue
            except IntegrityError as error:
                if savepoint is None:
                    raise _Failed(row.operation_id) from error
                savepoint.rollback()
                state.savepoint_rolled_back()
                constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
                verdicts.append((row.operation_id, "rejected", now, None, "central.constraint", _json({"constraint": constraint})))
                continue
            if outcome.status == "rejected":
                verdicts.append((row.operation_id, "rejected", now, None, "operation.rejected", _json(outcome.result)))
            else:
                verdicts.append((row.operation_id, "posted", now, _json(outcome.result), None, None))
        return verdicts

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
                    connection.execute(
                        text(
                            "INSERT INTO job_run (job, run_key, started_at, finished_at) VALUES (:job, :key, :now, :now) "
                            "ON CONFLICT (job, run_key) DO UPDATE SET finished_at = COALESCE(job_run.finished_at, EXCLUDED.finished_at)"
                        ),
                        {"job": name, "key": day.isoformat(), "now": self._clock()},
                    )
                    ran.append(name)
        return ran


def default_jobs() -> dict[str, Callable[[ServiceContext, date], Any]]:
    """Central's daily jobs. Each is idempotent on its own (a rerun finds nothing left to do); the
    advisory lock and ``job_run`` make it run once a day however many appliers run. An adjustment
    request past its 72 hours can no longer be approved whenever the sweep runs; the sweep
    releases its held points."""
    from loyalty_desk.services.adjustments import AdjustmentService
    from loyalty_desk.services.expiry import ExpiryService
    from loyalty_desk.services.operations import OperationRunner
    from loyalty_desk.services.referrals import ReferralService

    return {
        "expiry": lambda context, day: ExpiryService(context).run(as_of=day),
        "adjustment_expiry": lambda context, day: AdjustmentService(context, OperationRunner(context)).expire_due(),
        "referral_sweep": lambda context, day: ReferralService(context, OperationRunner(context)).sweep(as_of=day),
    }


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
