"""The desk's side of sync: outbox, push, outcomes, pull.

Identity of rows. The desk's SQLite store is a replica of central: rows pulled from the change
feed keep central's ids. Rows a desk operation writes locally before central has seen it
("provisional" rows) get ids from ``PROVISIONAL_BASE`` up (central never gets there), so the two
never collide. When the feed brings central's ``operation`` row for one of our operations (it is
always the first row that operation's transaction wrote), the provisional rows of that operation
are replaced by central's copies, which follow in the same page (same ``entry_uid``). A rejected
operation never reaches the feed: its provisional postings are reversed locally with
compensating entries — a debit given back to the very lots (``Ledger.restore``), a credit taken
back out of the very lots it credited (``Ledger.reverse_credit``; see ``_reverse_credit`` for when
that must wait), its stock movements undone by opposite ones — and it goes to ``sync_exception``.

Projections. Central's ``member.posted_balance`` and ``lot.remaining`` are taken as pulled, except
for members with provisional rows, whose projections are recomputed from the rows
(balance = sum of entries, lot remaining = original + sum of movements, held in range while a
double spend waits for central's verdict). A branch's ``reward_stock.on_hand`` pulled from central
is lowered (raised) by the stock this desk's own operations took (gave back) that central's feed
has not brought back yet (``_recompute_stock``), so the desk never shows goods it has handed out.

Never stuck. A feed page a local provisional row stands in the way of is written once that row has
given way to central's (``sync/give_way.py``: its waiting operation rejected here, the row and what
depends on it removed, the clash queued as a sync exception); rows central will never receive
(members and entries an older release wrote outside the operations) give way before each push; a
row central's database refuses at push rejects that operation only. Member numbers: blocks of
central's sequence (``reserve_member_numbers``, topped up each round; ``services/member_numbers.py``).

Kill points for the crash tests: ``LOYALTY_DESK_SYNC_KILL_AT`` = ``before_send`` |
``after_commit`` | ``after_ack`` makes the process SIGKILL itself at that point of a push.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import time
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Engine, Table, delete, event, func, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.audit import Actor, NoProgress, Progress, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import OperationRunner, payload_digest
from loyalty_desk.services.sync_resolution import RESOLVE
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.models import Base, LedgerEntry, Member, Operation, Outbox, RewardStock, RewardStockMovement, SyncException, SyncState
from loyalty_desk.store.repositories.sync_exceptions import COMPENSATION_RULE
from loyalty_desk.store.uow import UnitOfWork
from loyalty_desk.sync import desk_login
from loyalty_desk.sync.feed import Cursor, FeedRow, read_page
from loyalty_desk.sync.give_way import (
    CONFLICT,
    LOCAL_ONLY,
    MEMBER_UNKNOWN,
    PROVISIONAL_BASE,
    Clash,
    find_clashes,
    local_row_key,
    orphan_entries,
    referencing,
    retire,
)
from loyalty_desk.sync.protocol import (
    FETCH_LIMIT_STATE,
    FETCH_MEMBER,
    POSTED,
    PUSH_OPERATION,
    PUSHED_DIGEST,
    READ_VERDICTS,
    REPLICATED,
    RESERVE_MEMBER_NUMBERS,
)

log = logging.getLogger(__name__)

COMPENSATION_PREFIX = "sync-reversal:"  # entry_uid of a rejected operation's compensating entries
SETTINGS_FILE = "desk.json"
KILL_ENV = "LOYALTY_DESK_SYNC_KILL_AT"
MAX_BACKOFF_SECONDS = 300.0


def kill_point(name: str) -> None:
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


# --- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskSettings:
    """The central URL with this desk's login, and the desk's name. On disk, ``desk.json`` holds the
    URL without the password, which is kept apart (``sync/desk_login.py``: the platform keychain,
    else a file readable by the user alone)."""

    central_url: str
    desk: str

    @property
    def display_url(self) -> str:
        url = make_url(self.central_url)
        return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query).render_as_string(hide_password=False)

    @classmethod
    def load(cls, data_dir: Path) -> DeskSettings | None:
        path = data_dir / SETTINGS_FILE
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        desk, url = str(data["desk"]), make_url(str(data["central_url"]))
        if url.password is not None:  # written by an earlier release: the password moves out of the file now
            settings = cls(central_url=url.render_as_string(hide_password=False), desk=desk)
            settings.save(data_dir)
            return settings
        password = desk_login.load(data_dir, desk, data.get("password_in"))
        if password is not None:
            url = url.set(password=password)
        return cls(central_url=url.render_as_string(hide_password=False), desk=desk)

    def save(self, data_dir: Path) -> Path:
        data_dir.mkdir(parents=True, exist_ok=True)
        url = make_url(self.central_url)
        where = desk_login.store(data_dir, self.desk, url.password) if url.password is not None else None
        path = data_dir / SETTINGS_FILE
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"central_url": self.display_url, "desk": self.desk, "password_in": where}, handle)
        os.replace(tmp, path)
        return path

    @staticmethod
    def forget(data_dir: Path) -> None:
        """Removes ``desk.json`` and the password kept for it."""
        settings_path = data_dir / SETTINGS_FILE
        if settings_path.is_file():
            desk_login.forget(data_dir, str(json.loads(settings_path.read_text(encoding="utf-8")).get("desk", "")))
        settings_path.unlink(missing_ok=True)


# --- provisional ids ----------------------------------------------------------------------------

_PROVISIONAL_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
_ID_TABLES: list[str] = []


def _allocate(mapper: Any, connection: Any, target: Any) -> None:
    if getattr(target, "id", None) is not None or connection.engine not in _PROVISIONAL_ENGINES:
        return
    table = mapper.local_table.name
    key = ("ld_next_id", table)
    stored = connection.exec_driver_sql(f"SELECT MAX(id) FROM {table} WHERE id >= ?", (PROVISIONAL_BASE,)).scalar()  # noqa: S608
    candidate = max(PROVISIONAL_BASE, (stored or 0) + 1, connection.info.get(key, 0) + 1)
    connection.info[key] = candidate
    target.id = candidate


def enable_provisional_ids(database: Database) -> None:
    """Rows this desk's operations insert into replicated tables take ids from ``PROVISIONAL_BASE`` up."""
    _PROVISIONAL_ENGINES.add(database.write_engine)
    if _ID_TABLES:
        return
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if table.name in REPLICATED and [c.name for c in table.primary_key.columns] == ["id"] and table.name != "operation":
            event.listen(mapper, "before_insert", _allocate)
            _ID_TABLES.append(table.name)


# --- outbox hook ------------------------------------------------------------------------------


def outbox_hook(clock: Any, on_commit: Any = None) -> Any:
    def hook(uow: UnitOfWork, operation: Operation) -> None:
        session = uow.ledger.session
        session.add(Outbox(operation_id=operation.id, queued_at=clock(), attempts=0))
        session.flush()
        if on_commit is not None:  # e.g. wake the background pusher once the operation is committed
            event.listen(session, "after_commit", lambda _session: on_commit(), once=True)

    return hook


def attach(runner: OperationRunner, database: Database, clock: Any, on_commit: Any = None) -> None:
    """Makes a desk runner write the outbox row of every operation in the operation's transaction."""
    enable_provisional_ids(database)
    runner.on_committed_locally(outbox_hook(clock, on_commit))


# --- reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushReport:
    sent: int = 0
    already_there: int = 0
    refused: int = 0


@dataclass(frozen=True)
class Outcome:
    operation_id: str
    outcome: str  # accepted | rejected
    code: str | None = None
    params: dict[str, Any] | None = None


@dataclass(frozen=True)
class PullReport:
    rows: int = 0
    pages: int = 0
    seconds: float = 0.0
    stopped_at: str | None = None  # the cursor of a page that could not be written (``_apply_page_giving_way``)


class CentralUnreachable(Exception):
    pass


class CompensationWaits(Exception):
    """A rejected credit cannot be taken back yet: its points are spent (see ``_reverse_credit``)."""


class _BulkCancelled(Exception):
    pass


# --- the desk's sync engine -------------------------------------------------------------------


class DeskSync:
    def __init__(self, database: Database, context: ServiceContext, settings: DeskSettings) -> None:
        self.database = database
        self.context = context
        self.settings = settings
        self._central: Engine | None = None
        enable_provisional_ids(database)
        self._tables = {name: Base.metadata.tables[name] for name in REPLICATED if name in Base.metadata.tables}
        self._converters = {name: _converters(table) for name, table in self._tables.items()}
        self._upsert_sql = {name: _upsert_statement(table) for name, table in self._tables.items()}
        self._op_tables = [
            t for name, t in self._tables.items() if "operation_id" in t.c and name not in ("ledger_entry",) and [c.name for c in t.primary_key] == ["id"]
        ]
        self._op_table_names = {name for name, t in self._tables.items() if "operation_id" in t.c}

    # central connection

    @property
    def central(self) -> Engine:
        if self._central is None:
            self._central = make_engine(self.settings.central_url, pool_size=2, max_overflow=2, connect_args={"connect_timeout": 3})
        return self._central

    def close(self) -> None:
        if self._central is not None:
            self._central.dispose()
            self._central = None

    # sync state

    def state(self) -> dict[str, str | None]:
        with self.database.read_sessions() as session:
            return {row.key: row.value for row in session.scalars(select(SyncState))}

    def _set_state(self, session: Session, **values: str | None) -> None:
        for key, value in values.items():
            row = session.get(SyncState, key)
            if row is None:
                session.add(SyncState(key=key, value=value))
            else:
                row.value = value

    def _mark(self, **values: str | None) -> None:
        with self.database.write_sessions() as session:
            self._set_state(session, **values)
            session.commit()

    def is_offline(self) -> bool:
        return self.state().get("state") == "offline"

    def _went_offline(self, error: BaseException) -> None:
        log.info("central unreachable: %s", error)
        self._mark(state="offline", last_error=str(error).splitlines()[0][:400] if str(error) else type(error).__name__)

    # push

    def push(self, operation_ids: Sequence[str] | None = None, *, limit: int = 200, due_only: bool = True) -> PushReport:
        """Sends due outbox operations to central (insert-if-absent), then records that central holds them.

        ``due_only=False`` ignores the backoff (central has just been reached again).
        """
        now = self.context.clock()
        with self.database.read_sessions() as session:
            query = (
                select(Outbox, Operation)
                .join(Operation, Operation.id == Outbox.operation_id)
                .where(Outbox.pushed_at.is_(None), Outbox.outcome.is_(None))
                .order_by(Outbox.queued_at, Outbox.operation_id)
                .limit(limit)
            )
            if operation_ids is not None:
                query = query.where(Outbox.operation_id.in_(list(operation_ids)))
            elif due_only:
                query = query.where((Outbox.next_attempt_at.is_(None)) | (Outbox.next_attempt_at <= now))
            due = [(o.operation_id, op) for o, op in session.execute(query).all()]
        if not due:
            return PushReport()
        kill_point("before_send")
        inserted: list[str] = []
        refused: list[tuple[str, str]] = []
        try:
            with self.central.begin() as connection:
                for operation_id, op in due:
                    got = connection.execute(
                        PUSH_OPERATION,
                        {
                            "id": operation_id,
                            "kind": op.kind,
                            "payload": json.dumps(op.payload, ensure_ascii=False, default=str),
                            "digest": payload_digest(op.kind, op.payload),
                            "origin": op.origin,
                            "staff": op.staff_id,
                            "offline": bool(op.offline),
                            "made_at": op.signed_at or op.created_at,
                            "signatures": json.dumps(op.signatures) if op.signatures is not None else None,
                        },
                    ).scalar()
                    if got is not None:
                        inserted.append(operation_id)
                        continue
                    theirs = connection.scalar(PUSHED_DIGEST, {"id": operation_id})
                    if theirs != payload_digest(op.kind, op.payload):
                        refused.append((operation_id, "operation.payload_mismatch"))
        except (IntegrityError, DataError) as error:  # a row central refuses, not the connection
            if len(due) > 1:  # one at a time: only that operation is refused, the others still go
                reports = [self.push([operation_id], due_only=False) for operation_id, _ in due]
                return PushReport(sum(r.sent for r in reports), sum(r.already_there for r in reports), sum(r.refused for r in reports))
            operation_id = due[0][0]
            self._reject_or_wait(operation_id, "sync.push_refused", {"operation_id": operation_id, "reason": _first_line(error.orig or error)})
            return PushReport(refused=1)
        except DBAPIError as error:
            self._push_failed([i for i, _ in due], error)
            raise CentralUnreachable(str(error)) from error
        kill_point("after_commit")
        refused_ids = {i for i, _ in refused}
        with self.database.write_sessions() as session:
            for operation_id, _ in due:
                if operation_id in refused_ids:
                    continue
                row = session.get(Outbox, operation_id)
                if row is not None and row.pushed_at is None:
                    row.pushed_at = now
                    row.attempts += 1
                    row.last_error = None
            self._set_state(session, state="online", last_push=now.isoformat(timespec="seconds"), last_error=None)
            session.commit()
        kill_point("after_ack")
        for operation_id, code in refused:
            self._reject_or_wait(operation_id, code, {"operation_id": operation_id})
        return PushReport(sent=len(inserted), already_there=len(due) - len(inserted) - len(refused), refused=len(refused))

    def _push_failed(self, operation_ids: list[str], error: BaseException) -> None:
        now = self.context.clock()
        message = (str(error).splitlines() or [type(error).__name__])[0][:400]
        with self.database.write_sessions() as session:
            for operation_id in operation_ids:
                row = session.get(Outbox, operation_id)
                if row is None:
                    continue
                row.attempts += 1
                row.last_error = message
                row.next_attempt_at = now + timedelta(seconds=min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** min(row.attempts, 20)))
            self._set_state(session, state="offline", last_error=message)
            session.commit()

    # outcomes

    def waiting_ids(self, *, pushed_only: bool = False) -> list[str]:
        with self.database.read_sessions() as session:
            query = select(Outbox.operation_id).where(Outbox.outcome.is_(None))
            if pushed_only:
                query = query.where(Outbox.pushed_at.is_not(None))
            return list(session.scalars(query.order_by(Outbox.queued_at)))

    def collect_outcomes(self, operation_ids: Sequence[str] | None = None, *, wait: float = 0.0) -> list[Outcome]:
        """Reads central's verdicts on pushed operations; waits up to ``wait`` seconds for them."""
        ids = list(operation_ids) if operation_ids is not None else self.waiting_ids(pushed_only=True)
        if not ids:
            return []
        deadline = time.monotonic() + wait
        outcomes: list[Outcome] = []
        pending = set(ids)
        delay = 0.002
        while True:
            try:
                with self.central.connect() as connection:
                    rows = connection.execute(
                        READ_VERDICTS,
                        {"ids": sorted(pending)},
                    ).all()
            except DBAPIError as error:
                self._went_offline(error)
                raise CentralUnreachable(str(error)) from error
            waits: list[Any] = []
            for row in rows:
                pending.discard(row.operation_id)
                if row.status == POSTED:
                    self._accept_locally(row.operation_id)
                    outcomes.append(Outcome(row.operation_id, "accepted"))
                elif self._reject_or_wait(row.operation_id, row.reason_code or "central.rejected", row.reason_params):
                    outcomes.append(Outcome(row.operation_id, "rejected", row.reason_code, row.reason_params))
                else:
                    waits.append(row)
            for row in waits:  # a rejection just compensated may have given the spent points back
                if self._reject_or_wait(row.operation_id, row.reason_code or "central.rejected", row.reason_params):
                    outcomes.append(Outcome(row.operation_id, "rejected", row.reason_code, row.reason_params))
            if not pending or time.monotonic() >= deadline:
                return outcomes
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _accept_locally(self, operation_id: str) -> None:
        with self.database.write_sessions() as session:
            row = session.get(Outbox, operation_id)
            if row is not None and row.outcome is None:
                row.outcome, row.outcome_at = "accepted", self.context.clock()
                if row.pushed_at is None:
                    row.pushed_at = row.outcome_at
                session.commit()

    def _reject_or_wait(self, operation_id: str, code: str, params: dict[str, Any] | None) -> bool:
        """``_reject_locally``; False when the compensation must wait (``CompensationWaits``): the outbox
        row stays waiting, with the reason in ``last_error``, and the next round tries again."""
        try:
            self._reject_locally(operation_id, code, params)
        except CompensationWaits as waits:
            log.info("rejection of %s waits: %s", operation_id, waits)
            with self.database.write_sessions() as session:
                row = session.get(Outbox, operation_id)
                if row is not None and row.outcome is None:
                    row.last_error = f"rejected ({code}); {waits}"[:500]
                    session.commit()
            return False
        return True

    def _reject_locally(self, operation_id: str, code: str, params: dict[str, Any] | None, *, postings: bool = True) -> None:
        """Reverses the operation's local postings, marks it rejected and queues it for a supervisor; once.

        ``postings=False``: its entries are not reversed (they are about to give way with their member)."""
        now = self.context.clock()
        with self.context.uow(write=True) as uow:
            session = uow.ledger.session
            outbox = session.get(Outbox, operation_id)
            if outbox is None or outbox.outcome is not None:
                return
            operation = uow.ledger.operation(operation_id)
            entries = list(
                session.scalars(
                    select(LedgerEntry)
                    .where(LedgerEntry.operation_id == operation_id, LedgerEntry.id >= PROVISIONAL_BASE, ~LedgerEntry.entry_uid.startswith(COMPENSATION_PREFIX))
                    .order_by(LedgerEntry.id.desc())
                )
            ) if postings else []
            member_id = operation.member_id if operation is not None else None
            member_no = None
            ledger = Ledger(uow, self.context.rules, now)
            for entry in entries:
                member = uow.members.lock(entry.member_id)
                assert member is not None
                member_no = member.member_no
                member_id = member.id
                posting = Posting(
                    entry_uid=f"{COMPENSATION_PREFIX}{entry.entry_uid}",
                    kind="reversal",
                    rule=COMPENSATION_RULE,
                    occurred_on=now.date(),
                    operation_id=operation_id,
                    branch_id=entry.branch_id,
                    details={"reason_code": code, "reverses": entry.entry_uid},
                )
                if entry.points < 0:
                    ledger.restore(member, posting, entry)
                elif entry.points > 0:  # out of the very lots it credited; waits while our own operations spend them
                    _reverse_credit(session, ledger, member, posting, entry)
            _compensate_stock(session, operation_id, now)
            if operation is not None:
                operation.status = "rejected"
            outbox.outcome, outbox.outcome_code, outbox.outcome_params, outbox.outcome_at = "rejected", code, dict(params or {}), now
            if outbox.pushed_at is None:
                outbox.pushed_at = now
            actor = Actor(username="system", desk=f"{self.context.desk_name}:sync")
            # a refused decision on an exception reopens that exception instead of queuing one of its own
            if operation is None or reopen_refused_resolution(uow, operation, code, params, now, actor) is None:
                session.add(
                    SyncException(operation_id=operation_id, member_id=member_id, reason_code=code, params=dict(params or {}), created_at=now)
                )
            session.flush()
            if member_id is not None:
                _recompute(session, [member_id])
            record(
                uow,
                actor,
                "sync.rejected",
                entity="operation",
                entity_id=operation_id,
                member_no=member_no,
                details={"reason_code": code, "params": dict(params or {})},
                now=now,
            )
            uow.commit()

    # pull

    def pull(self, progress: Progress | None = None, *, page_size: int = 5000, max_pages: int | None = None) -> PullReport:
        """Applies change-feed pages until caught up; each page and its cursor in one local transaction."""
        progress = progress or NoProgress()
        started = time.perf_counter()
        total_rows = pages = 0
        cursor = Cursor.from_text(self.state().get("cursor"))
        progress.set_status("sync.pull")
        stopped_at = None
        try:
            with self.central.connect() as connection:
                remaining = None
                if max_pages is None:
                    total_rows, cursor = self._bulk_load(connection, cursor, progress)
                    pages = 1 if total_rows else 0
                while max_pages is None or pages < max_pages:
                    rows = read_page(connection, cursor, page_size)
                    connection.rollback()
                    if not rows:
                        break
                    if remaining is None:
                        from loyalty_desk.sync.feed import pending_count

                        remaining = pending_count(connection, cursor)
                        connection.rollback()
                    cursor = Cursor(rows[-1].txid, rows[-1].seq)
                    if not self._apply_page_giving_way(rows, cursor, connection):
                        stopped_at = cursor.to_text()
                        break
                    total_rows += len(rows)
                    pages += 1
                    progress.set_progress(total_rows, max(remaining or 0, total_rows))
                    if progress.is_cancelled():
                        break
        except DBAPIError as error:
            self._went_offline(error)
            raise CentralUnreachable(str(error)) from error
        if stopped_at is None:
            self._mark(state="online", last_pull=self.context.clock().isoformat(timespec="seconds"))
        return PullReport(rows=total_rows, pages=pages, seconds=time.perf_counter() - started, stopped_at=stopped_at)

    # rows that give way (``sync/give_way.py``)

    def _apply_page_giving_way(self, rows: list[FeedRow], cursor: Cursor, connection: Any = None, *, attempts: int = 20) -> bool:
        """``_apply_page``; when a local row stands in the way of central's, that row gives way and the
        page is written again. False (recorded in the sync state, not offline) when a row still cannot
        be written and no local row of this desk is to blame: the round goes on, the pull stops there."""
        for _ in range(attempts):
            try:
                self._apply_page(rows, cursor, connection)
                return True
            except IntegrityError as error:
                if self._make_way(rows):
                    continue
                log.error("feed page at %s cannot be written: %s", cursor.to_text(), error)
                self._mark(state="online", last_error=f"a change from head office cannot be written here: {_first_line(error.orig or error)}"[:400])
                return False
        return False

    def _make_way(self, rows: list[FeedRow]) -> int:
        """Local provisional rows holding a unique value of the page's rows give way; how many did."""
        with self.database.read_sessions() as session:
            clashes = find_clashes(session, self._tables, rows)
        given = 0
        for clash in clashes:
            given += self._give_way(clash)
        return given

    def _owner(self, session: Session, clash: Clash) -> tuple[str | None, bool]:
        """The operation that wrote the clashing row, and whether central's verdict on it is still awaited."""
        table = self._tables[clash.table]
        operation_id = None
        if clash.table == "member":
            operation_id = session.scalar(select(Operation.id).where(Operation.member_id == clash.local_id).order_by(Operation.created_at).limit(1))
        elif "operation_id" in table.c:
            operation_id = session.scalar(select(table.c.operation_id).where(table.c.id == clash.local_id))
        elif "entry_id" in table.c:
            operation_id = session.scalar(
                select(LedgerEntry.operation_id).join(table, table.c.entry_id == LedgerEntry.id).where(table.c.id == clash.local_id)
            )
        if operation_id is None:
            return None, False
        outbox = session.get(Outbox, operation_id)
        return str(operation_id), outbox is not None and outbox.outcome is None

    def _give_way(self, clash: Clash) -> int:
        """One local row makes way for central's. Its operation, when central has not judged it yet, is
        rejected here (``sync.conflict``, compensated as any rejection; a member's own rows go with it);
        a row no operation wrote (an older release's local import) is queued as ``sync.local_only``."""
        params: dict[str, Any] = {"table": clash.table, "column": ",".join(clash.columns), "value": clash.value}
        with self.database.read_sessions() as session:
            owner, waiting = self._owner(session, clash)
            member_id = clash.local_id if clash.table == "member" else None
            if member_id is None and "member_id" in self._tables[clash.table].c:
                member_id = session.scalar(select(self._tables[clash.table].c.member_id).where(self._tables[clash.table].c.id == clash.local_id))
            member = session.get(Member, member_id) if member_id is not None else None
            if member is not None:
                params["member_no"] = member.member_no
            concerned = _waiting_on_member(session, clash.local_id) if clash.table == "member" else []
        if owner is not None and waiting:
            self._reject_or_wait(owner, CONFLICT, params) if clash.table != "member" else self._reject_locally(owner, CONFLICT, params, postings=False)
        for operation_id in concerned:  # what this desk did with a member that is not central's: never sent
            if operation_id != owner:
                self._reject_locally(operation_id, CONFLICT, {**params, "operation_id": operation_id}, postings=False)
        now = self.context.clock()
        with self.context.uow(write=True) as uow:
            session = uow.ledger.session
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            result = retire(session, clash.table, {clash.local_id})
            if result.refused:
                log.error("local %s row %s cannot give way: %s", clash.table, clash.local_id, result.refused)
                return 0
            queued = None
            if owner is None or not waiting:
                queued = (CONFLICT, {**params, "operation_id": owner}) if owner else (LOCAL_ONLY, params)
            self._record_gave_way(
                uow, clash.table, clash.local_id, member_id=member_id, member_no=params.get("member_no"), queued=queued,
                details={**params, "operation_id": owner, "rows": {t: len(k) for t, k in result.rows.items()}}, now=now,
            )
            session.flush()
            if result.members:
                _recompute(session, sorted(result.members))
            uow.commit()
        return 1

    def _record_gave_way(
        self, uow: UnitOfWork, table: str, row_id: int, *, member_id: int | None, member_no: str | None,
        queued: tuple[str, dict[str, Any]] | None, details: dict[str, Any], now: datetime,
    ) -> None:
        """What a retired local row leaves behind: the audit line and, when ``queued`` (reason, params),
        one sync exception for the row, named by ``local_row_key`` so a later round never queues it twice."""
        session = uow.ledger.session
        if queued is not None:
            key = local_row_key(self.settings.desk, table, row_id)
            if session.scalar(select(SyncException.id).where(SyncException.operation_id == key)) is None:
                reason, params = queued
                session.add(SyncException(
                    operation_id=key, member_id=member_id, reason_code=reason, params={**params, "row": f"{table}:{row_id}"}, created_at=now,
                ))
        record(
            uow, Actor(username="system", desk=f"{self.context.desk_name}:sync"), "sync.gave_way", entity=table,
            entity_id=str(row_id), member_no=member_no, details=details, now=now,
        )

    def _retire_local_members(self) -> None:
        """Provisional members that no registration waiting for central (or accepted and not yet pulled)
        will bring to central: an older release's local import, a registration central rejected. Their
        number may be someone else's at central, so this desk's waiting operations on them are never
        sent (rejected here, ``sync.member_unknown``), then the member gives way with its rows; a member
        no operation made is queued as ``sync.local_only``. Runs before a round's pushes (``sync_once``)."""
        with self.database.read_sessions() as session:
            found = [
                (int(member_id), str(member_no))
                for member_id, member_no in session.execute(
                    text(
                        "SELECT m.id, m.member_no FROM member m WHERE m.id >= :base AND NOT EXISTS ("
                        "SELECT 1 FROM referral r JOIN outbox o ON o.operation_id = r.operation_id "
                        "WHERE r.referee_member_id = m.id AND (o.outcome IS NULL OR o.outcome = 'accepted'))"
                    ),
                    {"base": PROVISIONAL_BASE},
                )
            ]
        for member_id, member_no in found:
            with self.database.read_sessions() as session:
                referral = self._tables["referral"]
                registered = session.scalar(select(referral.c.operation_id).where(referral.c.referee_member_id == member_id))
                waiting = _waiting_on_member(session, member_id)
            params = {"table": "member", "member_no": member_no}
            for operation_id in waiting:
                self._reject_locally(operation_id, MEMBER_UNKNOWN, {**params, "operation_id": operation_id}, postings=False)
            now = self.context.clock()
            with self.context.uow(write=True) as uow:
                session = uow.ledger.session
                session.execute(text("PRAGMA defer_foreign_keys = ON"))
                result = retire(session, "member", {member_id})
                if result.refused:
                    log.error("local member %s cannot give way: %s", member_no, result.refused)
                    continue
                self._record_gave_way(
                    uow, "member", member_id, member_id=member_id, member_no=member_no,
                    queued=(LOCAL_ONLY, params) if registered is None else None,
                    details={**params, "operation_id": registered, "rows": {t: len(k) for t, k in result.rows.items()}}, now=now,
                )
                session.flush()
                if result.members:
                    _recompute(session, sorted(result.members))
                uow.commit()

    def _retire_orphans(self) -> None:
        """Provisional ledger entries no operation owns (``give_way.orphan_entries``) give way: central
        never receives them. One ``sync.local_only`` exception per member, with the points. Members
        central will never know go first (``_retire_local_members``)."""
        self._retire_local_members()
        with self.database.read_sessions() as session:
            if not orphan_entries(session):
                return
        now = self.context.clock()
        with self.context.uow(write=True) as uow:
            session = uow.ledger.session
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            for member_id, entries in orphan_entries(session).items():
                ids = {entry_id for entry_id, _ in entries}
                uids = list(session.scalars(select(LedgerEntry.entry_uid).where(LedgerEntry.id.in_(list(ids)))))
                result = retire(session, "ledger_entry", ids)
                if result.refused:
                    continue
                _forget_local_txns(session, uids)
                member = session.get(Member, member_id)
                params = {
                    "table": "ledger_entry", "member_no": member.member_no if member else None,
                    "entries": len(ids), "points": sum(points for _, points in entries),
                }
                params["row"] = f"ledger_entry:{min(ids)}"
                self._record_gave_way(
                    uow, "ledger_entry", min(ids), member_id=member_id, member_no=params["member_no"], queued=(LOCAL_ONLY, params), details=params, now=now,
                )
                session.flush()
                _recompute(session, sorted(result.members | {member_id}))
            uow.commit()

    def _bulk_load(self, connection: Any, cursor: Cursor, progress: Progress) -> tuple[int, Cursor]:
        """Many rows waiting and no provisional rows here (a fresh desk): the bulk reader (``feed.bulk_load``),
        all of it and the cursor in one local transaction. Otherwise nothing; the pages do the work."""
        from loyalty_desk.sync.feed import BULK_MIN_ROWS, bulk_load, bulk_plan

        plan = bulk_plan(connection, cursor)
        connection.rollback()
        if plan.total < BULK_MIN_ROWS:
            return 0, cursor
        with self.database.write_sessions() as session:
            if session.scalar(select(Outbox.operation_id).where(Outbox.outcome.is_(None)).limit(1)) is not None:
                return 0, cursor
            if session.scalar(select(LedgerEntry.id).where(LedgerEntry.id >= PROVISIONAL_BASE).limit(1)) is not None:
                return 0, cursor
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            sqlite = session.connection().connection.driver_connection

            def on_rows(done: int) -> None:
                progress.set_progress(done, plan.total)
                if progress.is_cancelled():
                    raise _BulkCancelled

            try:
                served, cursor = bulk_load(
                    connection, sqlite, plan, cursor, self._tables, self._upsert_sql, REPLICATED, on_rows=on_rows
                )
            except _BulkCancelled:
                connection.rollback()
                return 0, cursor
            self._complete_referrals(session, connection)
            self._set_state(session, cursor=cursor.to_text())
            session.commit()
        return served, cursor

    def _apply_page(self, rows: list[FeedRow], cursor: Cursor | None, connection: Any = None) -> None:
        """Writes feed rows (a page, or one fetched member's rows when ``cursor`` is None: the cursor stays)."""
        with self.database.write_sessions() as session:
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            touched: set[int] = set()
            dirty: set[int] = set()
            stocked: set[tuple[int, int]] = set()  # reward_stock rows that now hold central's on-hand
            replaced: dict[int, str] = {}
            batch: list[dict[str, Any]] = []
            batch_entity: str | None = None

            def flush() -> None:
                nonlocal batch, batch_entity
                if batch and batch_entity is not None:
                    self._upsert(session, batch_entity, batch)
                batch, batch_entity = [], None

            # Central posted these operations of ours: their provisional rows give way before any of
            # central's copies is written (a transaction's rows come in no particular table order).
            own = self._own_operations_posted(session, rows)
            for operation_id in own:
                dirty |= self._replace_provisional(session, operation_id, replaced)
            for provisional_id, central_id in self._members_created(session, rows, set(own)):
                _replace_provisional_member(session, provisional_id, central_id)
            for row in rows:
                table = self._tables.get(row.entity)
                if table is None:
                    continue  # a table this release does not know: skipped, cursor still moves
                payload = row.payload
                if row.entity == "reward_stock" and not payload.get("_deleted"):
                    stocked.add((int(payload["branch_id"]), int(payload["reward_id"])))
                if row.entity == "member":
                    touched.add(int(payload["id"]))
                elif "member_id" in payload and payload.get("member_id") is not None and row.entity in ("ledger_entry", "lot"):
                    touched.add(int(payload["member_id"]))
                if payload.get("_deleted"):
                    flush()
                    keys = REPLICATED[row.entity]
                    session.execute(delete(table).where(*[table.c[k] == self._converters[row.entity][k](payload[k]) for k in keys]))
                    continue
                if batch_entity != row.entity:
                    flush()
                    batch_entity = row.entity
                batch.append(payload)
            flush()
            if replaced:
                _remap_reversals(session, replaced)
            if touched and session.scalar(select(LedgerEntry.id).where(LedgerEntry.id >= PROVISIONAL_BASE).limit(1)) is not None:
                dirty |= _members_with_provisional(session, touched)
            if dirty:
                _recompute(session, sorted(dirty))
            if stocked:
                _recompute_stock(session, stocked)
            if connection is not None and any(row.entity in ("referral", "referral_reward") for row in rows):
                self._complete_referrals(session, connection)
            if cursor is not None:
                self._set_state(session, cursor=cursor.to_text())
            session.commit()

    # members outside this desk's branches (docs/sync.md, "What a desk may read")

    def fetch_member(self, kind: str, handle: str) -> bool:
        """Fetches one member this desk does not hold from central by an exact handle (``member_no``,
        ``card``, ``mobile``, ``id_number``) and keeps them: central records that this desk holds
        them, so the feed brings their later changes. False: central has no such single member.
        Raises ``CentralUnreachable`` offline, ``DomainError('member.fetch_limit')`` when central
        refuses more fetches today."""
        try:
            with self.central.connect() as connection:
                rows = self._fetched(connection, kind, handle)
                if rows:
                    self._apply_page(rows, None, connection)
                connection.commit()
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == FETCH_LIMIT_STATE:
                raise DomainError("member.fetch_limit") from error
            self._went_offline(error)
            raise CentralUnreachable(str(error)) from error
        return bool(rows)

    @staticmethod
    def _fetched(connection: Any, kind: str, handle: str) -> list[FeedRow]:
        result = connection.execute(FETCH_MEMBER, {"kind": kind, "handle": handle})
        return [FeedRow(0, 0, str(entity), "", payload) for entity, payload in result]

    def _complete_referrals(self, session: Session, connection: Any) -> None:
        """A referral concerns up to three members, and reaches every desk holding one of them; the
        others (its foreign keys) are fetched from central before the page commits, and held from
        then on. Central gives a desk only members of referrals it holds ('referral_party')."""
        seen: set[int] = set()
        while True:
            missing = [
                int(m) for (m,) in session.execute(text(
                    "SELECT DISTINCT x FROM (SELECT referee_member_id AS x FROM referral UNION SELECT referrer_member_id FROM referral "
                    "UNION SELECT second_level_member_id FROM referral UNION SELECT member_id FROM referral_reward) "
                    "WHERE x IS NOT NULL AND x NOT IN (SELECT id FROM member)"
                )) if int(m) not in seen
            ]
            if not missing:
                return
            for member_id in missing:
                seen.add(member_id)
                rows = self._fetched(connection, "referral_party", str(member_id))
                connection.commit()  # central's record that this desk holds them
                for entity, payloads in _by_entity(rows):
                    self._upsert(session, entity, payloads)

    def _upsert(self, session: Session, entity: str, payloads: list[dict[str, Any]]) -> None:
        """Insert-or-update by primary key straight through sqlite3 (values stored as SQLAlchemy stores them)."""
        sql, names, converters = self._upsert_sql[entity]
        rows = [tuple(convert(payload.get(name)) for name, convert in zip(names, converters)) for payload in payloads]
        session.connection().exec_driver_sql(sql, rows)

    def _own_operations_posted(self, session: Session, rows: list[FeedRow]) -> list[str]:
        """This desk's operations (in its outbox) that the page's rows show central posted, in feed order."""
        seen: dict[str, None] = {}
        for row in rows:
            payload = row.payload
            if payload.get("_deleted"):
                continue
            if row.entity == "operation":
                seen.setdefault(str(payload["id"]), None)
            elif row.entity in self._op_table_names and payload.get("operation_id"):
                seen.setdefault(str(payload["operation_id"]), None)
        if not seen:
            return []
        candidates = list(seen)
        own: set[str] = set()
        for start in range(0, len(candidates), 500):
            own.update(session.scalars(select(Outbox.operation_id).where(Outbox.operation_id.in_(candidates[start : start + 500]))))
        return [operation_id for operation_id in candidates if operation_id in own]

    @staticmethod
    def _members_created(session: Session, rows: list[FeedRow], own: set[str]) -> list[tuple[int, int]]:
        """(provisional id, central id) of the members our operations in this page created (a referral's new
        member). ``own``: the page's operations of this desk (``_own_operations_posted``); no other
        operation names a provisional member, so only theirs are looked up."""
        found: list[tuple[int, int]] = []
        for row in rows:
            if row.entity != "operation" or row.payload.get("_deleted") or row.payload.get("member_id") is None:
                continue
            if str(row.payload["id"]) not in own:
                continue
            local = session.scalar(select(Operation.member_id).where(Operation.id == str(row.payload["id"])))
            if local is not None and local >= PROVISIONAL_BASE and local != int(row.payload["member_id"]):
                found.append((int(local), int(row.payload["member_id"])))
        return found

    def _replace_provisional(self, session: Session, operation_id: str, replaced: dict[int, str]) -> set[int]:
        """Central posted one of our operations: its provisional rows give way to central's copies."""
        outbox = session.get(Outbox, operation_id)
        if outbox is not None and outbox.outcome is None:
            outbox.outcome, outbox.outcome_at = "accepted", self.context.clock()
            outbox.pushed_at = outbox.pushed_at or outbox.outcome_at
        entries = session.execute(
            select(LedgerEntry.id, LedgerEntry.member_id, LedgerEntry.entry_uid).where(
                LedgerEntry.operation_id == operation_id, LedgerEntry.id >= PROVISIONAL_BASE
            )
        ).all()
        members = {m for _, m, _ in entries}
        ids = [i for i, _, _ in entries]
        for table in self._op_tables:
            session.execute(delete(table).where(table.c.operation_id == operation_id, table.c.id >= PROVISIONAL_BASE))
        if not ids:
            return members
        replaced.update({i: uid for i, _, uid in entries})
        lot, movement = self._tables["lot"], self._tables["lot_movement"]
        lot_ids = list(session.scalars(select(lot.c.id).where(lot.c.entry_id.in_(ids))))
        session.execute(delete(movement).where(movement.c.entry_id.in_(ids)))
        if lot_ids:
            session.execute(delete(movement).where(movement.c.lot_id.in_(lot_ids)))
            session.execute(delete(lot).where(lot.c.id.in_(lot_ids)))
        session.execute(delete(self._tables["ledger_entry"]).where(self._tables["ledger_entry"].c.id.in_(ids)))
        return members

    # member numbers (services/member_numbers.py)

    def reserve_member_numbers(self, count: int) -> bool:
        """A block of ``count`` numbers from central's sequence for this desk (recorded per desk at central);
        False when central cannot be reached (the caller then gives a provisional number)."""
        if self.is_offline():
            return False
        try:
            with self.central.begin() as connection:
                first, last = connection.execute(
                    RESERVE_MEMBER_NUMBERS, {"n": count}
                ).one()
        except DBAPIError as error:
            log.info("no member numbers reserved: %s", _first_line(error.orig or error))
            return False
        with self.context.uow(write=True) as uow:
            uow.members.add_block(desk=self.settings.desk, first=int(first), last=int(last), now=self.context.clock())
            uow.commit()
        return True

    def _top_up_member_numbers(self) -> None:
        from loyalty_desk.services.member_numbers import BLOCK_SIZE, LOW_WATER

        with self.context.uow() as uow:
            left = uow.members.block_serials_left()
        if left < LOW_WATER:
            self.reserve_member_numbers(BLOCK_SIZE)

    # one round

    def sync_once(self, progress: Progress | None = None, *, wait: float = 2.0) -> dict[str, Any]:
        """Push, collect verdicts (waiting up to ``wait`` s), pull. Raises ``CentralUnreachable``."""
        self._retire_orphans()  # nothing central will never know is sent (``_retire_local_members``)
        pushed = self.push()
        outcomes = self.collect_outcomes(wait=wait)
        pulled = self.pull(progress)
        if pushed.refused or outcomes or pulled.rows or pulled.stopped_at:
            self._retire_orphans()  # a registration rejected in this round leaves a member central will never know
        self._top_up_member_numbers()
        # central answered: what still waits on a backoff from the offline time goes now
        late = self.push(due_only=False)
        if late.sent or late.already_there:
            pushed = PushReport(pushed.sent + late.sent, pushed.already_there + late.already_there, pushed.refused + late.refused)
        return {"pushed": pushed, "outcomes": outcomes, "pulled": pulled}

    def confirm(self, operation_id: str, *, wait: float = 2.0) -> Outcome | None:
        """An online operation at the counter: push it now and wait briefly for central's verdict."""
        try:
            self.push([operation_id])
            found = self.collect_outcomes([operation_id], wait=wait)
        except CentralUnreachable:
            return None
        return found[0] if found else None


def _first_line(error: BaseException | Any) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:300]


def _waiting_on_member(session: Session, member_id: int) -> list[str]:
    """This desk's operations on a member still waiting for central's verdict, oldest first."""
    return list(session.scalars(
        select(Outbox.operation_id).join(Operation, Operation.id == Outbox.operation_id)
        .where(Operation.member_id == member_id, Outbox.outcome.is_(None)).order_by(Outbox.queued_at)
    ))


def _forget_local_txns(session: Session, entry_uids: list[str]) -> None:
    """The earning transactions of retired local entries (``txn:<txn id>:<award>``) that central never posted."""
    txn_ids = {uid[4:].rsplit(":", 1)[0] for uid in entry_uids if uid.startswith("txn:") and uid.count(":") >= 2}
    for txn_id in txn_ids:
        if session.scalar(select(LedgerEntry.id).where(LedgerEntry.entry_uid.startswith(f"txn:{txn_id}:")).limit(1)) is None:
            session.execute(text("DELETE FROM earning_txn WHERE txn_id = :t"), {"t": txn_id})


def _replace_provisional_member(session: Session, provisional_id: int, central_id: int) -> None:
    """Central posted the operation that created a member here: its provisional row gives way to central's
    (same person, central's id and, for a provisional number, the final one), and the rows of this desk's
    other operations that name it follow it to central's id. Its name keys come with central's row."""
    for table, column in referencing("member"):
        if table.name != "member_name_key":
            session.execute(update(table).where(column == provisional_id).values({column.name: central_id}))
    session.execute(update(SyncException).where(SyncException.member_id == provisional_id).values(member_id=central_id))
    session.execute(text("DELETE FROM member_name_key WHERE member_id = :m"), {"m": provisional_id})
    session.execute(delete(Member).where(Member.id == provisional_id))


def _by_entity(rows: list[FeedRow]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.entity, []).append(row.payload)
    return list(groups.items())


def _converters(table: Table) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for column in table.columns:
        if isinstance(column.type, DateTime):
            result[column.name] = lambda v: None if v is None else datetime.fromisoformat(v) if isinstance(v, str) else v
        elif isinstance(column.type, Date):
            result[column.name] = lambda v: None if v is None else date.fromisoformat(v) if isinstance(v, str) else v
        else:
            result[column.name] = lambda v: v
    return result


def _stored_datetime(value: Any) -> Any:
    """PostgreSQL's ISO text to the text SQLAlchemy keeps in SQLite (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    if value is None or not isinstance(value, str):
        return value
    text_value = value.replace("T", " ")
    if "+" in text_value[10:]:
        text_value = text_value[: text_value.index("+", 10)]
    if "." in text_value:
        head, fraction = text_value.split(".", 1)
        return f"{head}.{fraction[:6].ljust(6, '0')}"
    return f"{text_value}.000000" if len(text_value) > 10 else text_value


def _stored_json(value: Any) -> Any:
    return json.dumps(value)


def _same(value: Any) -> Any:
    return value


def _upsert_statement(table: Table) -> tuple[str, list[str], list[Any]]:
    from sqlalchemy import JSON

    names = [c.name for c in table.columns]
    keys = [c.name for c in table.primary_key.columns]
    converters = [
        _stored_datetime if isinstance(c.type, DateTime) else _stored_json if isinstance(c.type, JSON) else _same for c in table.columns
    ]
    others = [n for n in names if n not in keys]
    conflict = (
        "DO UPDATE SET " + ", ".join(f'"{n}" = excluded."{n}"' for n in others) if others else "DO NOTHING"
    )
    sql = (
        f'INSERT INTO "{table.name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) VALUES ({", ".join("?" for _ in names)}) '
        f'ON CONFLICT ({", ".join(chr(34) + k + chr(34) for k in keys)}) {conflict}'
    )
    return sql, names, converters


def _members_with_provisional(session: Session, member_ids: Iterable[int]) -> set[int]:
    ids = list(member_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            session.scalars(select(LedgerEntry.member_id).where(LedgerEntry.member_id.in_(chunk), LedgerEntry.id >= PROVISIONAL_BASE).distinct())
        )
    return found


def _recompute(session: Session, member_ids: Sequence[int]) -> None:
    """Projections of members with provisional rows, from the rows (held in range while central decides)."""
    for start in range(0, len(member_ids), 500):
        chunk = list(member_ids[start : start + 500])
        params = {f"m{i}": m for i, m in enumerate(chunk)}
        in_list = ", ".join(f":m{i}" for i in range(len(chunk)))
        session.execute(
            text(f"UPDATE member SET posted_balance = (SELECT COALESCE(SUM(points), 0) FROM ledger_entry e WHERE e.member_id = member.id) WHERE id IN ({in_list})"),
            params,
        )
        session.execute(
            text(
                "UPDATE lot SET remaining = MAX(0, MIN(original, original + COALESCE((SELECT SUM(points) FROM lot_movement m WHERE m.lot_id = lot.id), 0))) "
                f"WHERE member_id IN ({in_list})"
            ),
            params,
        )
    session.expire_all()


def _reverse_credit(session: Session, ledger: Ledger, member: Any, posting: Posting, entry: LedgerEntry) -> None:
    """A rejected operation's credit leaves the very lots it credited (``Ledger.reverse_credit``).

    When this desk's own operations that central has not settled yet (provisional entries of
    operations not rejected: waiting, or accepted but not pulled) took points from those lots, the
    compensation waits: once central decides them, a rejection gives the points back to those lots
    and an acceptance is replaced by central's copy (which never touched a lot central never had),
    so the lots are whole again and the credit leaves them exactly. Taking from other lots
    meanwhile would leave this replica's lots different from central's for good. The same when the
    member's lots hold less than the credit (``ledger.credit_spent``): the ledger never goes
    below zero, so the rejection waits (``CompensationWaits``) and is retried each round.
    """
    spent = session.execute(
        text(
            "SELECT COALESCE(-SUM(m.points), 0) FROM lot_movement m "
            "JOIN ledger_entry e ON e.id = m.entry_id JOIN outbox o ON o.operation_id = e.operation_id "
            "WHERE m.points < 0 AND e.id >= :base AND e.operation_id <> :operation_id AND o.outcome IS NOT 'rejected' "
            "AND m.lot_id IN (SELECT id FROM lot WHERE entry_id = :entry_id UNION SELECT lot_id FROM lot_movement WHERE entry_id = :entry_id AND points > 0)"
        ),
        {"base": PROVISIONAL_BASE, "operation_id": entry.operation_id, "entry_id": entry.id},
    ).scalar()
    if spent:
        raise CompensationWaits(f"{spent} of the {entry.points} points it credited are spent by operations central has not settled yet")
    try:
        ledger.reverse_credit(member, posting, entry)
    except DomainError as error:
        if error.code != "ledger.credit_spent":
            raise
        raise CompensationWaits(f"the member's lots hold {error.params['available']} of the {entry.points} points it credited") from error


def _compensate_stock(session: Session, operation_id: str, now: datetime) -> None:
    """A rejected operation's stock movements are undone by opposite movements (append-only) and the
    on-hand projection follows, never below zero (central's next value for the row settles it)."""
    moved = session.execute(
        select(RewardStockMovement.branch_id, RewardStockMovement.reward_id, RewardStockMovement.change).where(
            RewardStockMovement.operation_id == operation_id, RewardStockMovement.id >= PROVISIONAL_BASE
        )
    ).all()
    for branch_id, reward_id, change in moved:
        session.add(RewardStockMovement(reward_id=reward_id, branch_id=branch_id, change=-change, reason="reversed", operation_id=operation_id, at=now))
        session.execute(
            update(RewardStock)
            .where(RewardStock.branch_id == branch_id, RewardStock.reward_id == reward_id)
            .values(on_hand=func.max(0, RewardStock.on_hand - change))
        )
    session.flush()


def _recompute_stock(session: Session, keys: Iterable[tuple[int, int]]) -> None:
    """A branch's on-hand just pulled from central, less what this desk's own operations that central's
    feed has not brought back yet moved (provisional movements: waiting, or accepted and not pulled;
    a rejected operation's are undone by its compensating movements), never below zero."""
    wanted = set(keys)
    ours = session.execute(
        select(RewardStockMovement.branch_id, RewardStockMovement.reward_id, func.sum(RewardStockMovement.change))
        .join(Outbox, Outbox.operation_id == RewardStockMovement.operation_id)
        .where(RewardStockMovement.id >= PROVISIONAL_BASE)
        .group_by(RewardStockMovement.branch_id, RewardStockMovement.reward_id)
    ).all()
    for branch_id, reward_id, change in ours:
        if change and (branch_id, reward_id) in wanted:
            session.execute(
                update(RewardStock)
                .where(RewardStock.branch_id == branch_id, RewardStock.reward_id == reward_id)
                .values(on_hand=func.max(0, RewardStock.on_hand + change))
            )


def _remap_reversals(session: Session, replaced: dict[int, str]) -> None:
    """Local entries that reversed a provisional entry now point at central's copy of it."""
    for old_id, uid in replaced.items():
        new_id = session.scalar(select(LedgerEntry.id).where(LedgerEntry.entry_uid == uid))
        if new_id is not None:
            session.execute(update(LedgerEntry).where(LedgerEntry.reverses_entry_id == old_id).values(reverses_entry_id=new_id))


__all__ = ["DeskSync", "DeskSettings", "CentralUnreachable", "attach", "enable_provisional_ids", "kill_point", "PROVISIONAL_BASE", "DomainError"]


def reopen_refused_resolution(
    uow: UnitOfWork, operation: Operation, code: str, params: dict[str, Any] | None, now: datetime, actor: Actor,
) -> SyncException | None:
    """Desk, inside the rejection's transaction: when the rejected operation is a decision on an exception
    (kind ``sync.resolve``), the exception it resolved is open again, with head office's reason beside the
    original one, and an audit event says so. Returns None for any other operation (or when no exception
    names it), and the caller queues the rejection as an exception of its own."""
    if operation.kind != RESOLVE:
        return None
    row = uow.sync_exceptions.resolved_by(operation.id)
    if row is None:
        return None
    refused = {"resolution": row.resolution, "operation_id": operation.id, "reason_code": code, "params": dict(params or {})}
    row.params = {**dict(row.params or {}), "refused_resolution": refused}
    row.resolved_at = row.resolved_by = row.resolution = row.resolution_operation_id = None
    uow.flush()
    record(
        uow, actor, "sync.exception_reopened", entity="operation", entity_id=row.operation_id,
        member_no=uow.sync_exceptions.member_no_of(row.member_id),
        details={"reason_code": row.reason_code, "refused_resolution": refused["resolution"], "resolution_operation_id": operation.id,
                 "refusal_code": code, "refusal_params": dict(params or {})},
        now=now,
    )
    return row
