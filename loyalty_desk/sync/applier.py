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
  operation behind and the others keep their result. An operation refused before it changed
  anything (a limit, a rule; its own ``operation`` row joins the session only when its handler
  has finished) is taken as refused without running the batch again (``WriteWatch``);
* a desk's operations are applied in the order the desk made them (the push stamps each insert
  with its own time; the claim reads them in that order): an operation of a desk waits for a later
  batch while an earlier one of that desk waits, and an operation whose prerequisite (the request an
  adjustment decision decides, the redemption a reversal reverses; the handler's ``waits_for``) is
  still queued waits for it, instead of being refused as not found, holding back only its desk's
  later operations on the same member (or on one that cannot be told), never its own prerequisite
  (``_in_desk_order``);
* the batch's members are locked up front in one ``SELECT ... ORDER BY id FOR UPDATE SKIP LOCKED``
  (id order: the same order in every applier), with the members its reversals and adjustment
  decisions name through their redemption or request, and handed to the handlers from the session
  (``uow.members.by_no``/``lock`` answer without a query for them). Operations whose member another
  applier holds stay ``received`` for a later batch instead of waiting; when every member of a
  batch is held elsewhere the batch waits for them;
* the facts the rules ask for are read once for the batch (the redemption limits' redemptions,
  the referral registrations' referrers, identities and referral history, the reversals' and
  decisions' targets: ``sync/batch_facts.py``) and the batch's repositories answer from them;
* the audit events wait outside the session and are chained when the batch ends
  (``batch.chain_events``): the chain lock is held from there to the commit only;
* one write for the whole batch: the repositories add rows without a flush each (ids come from
  the sequences a block at a time, ``IdBlocks`` in ``sync/batch.py``), the batch's operations and its members' open
  lots are loaded up front, and at the end the new rows go in one ``COPY`` per table and the
  changed ones in one flush. A query a handler makes still sees every earlier row of the batch:
  the session flushes before a query that reads a table with rows not yet written
  (``batch.UnwrittenTables``). The ORM orders one flush by table name rather than by foreign
  key, so the batch defers the foreign-key checks (``central.install`` makes them deferrable) and
  checks them before writing its verdicts. When the database refuses a row of that write, the
  batch runs again an operation at a time, each flushed in its own savepoint, so the refusal is
  charged to the operation that caused it.

Deadlocks between appliers (a handler locking rows beyond the batch's members in another order)
roll the batch back; it is retried one operation per transaction.

Central jobs (expiry, adjustment expiry, referral sweep daily; the tier review monthly) run exactly once
however many appliers run: the first to take ``pg_try_advisory_xact_lock`` runs the job for its period
(the day, or the calendar month for the tier review), the others skip; the job's entry ids come from
its inputs, so a run killed midway and rerun posts nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg
from sqlalchemy import or_, select, text
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.identity import is_provisional_member_no, make_member_no, validate_member_no
from loyalty_desk.domain.referrals import normalise_address
from loyalty_desk.domain.signatures import MAKER_ROLES, Inbound, Refusal, RegisteredKey, judge
from loyalty_desk.services.adjustments.handlers import APPROVE, REJECT
from loyalty_desk.services.clock import Clock, utc_now
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.earning.service import TIER_REVIEW_JOB, review_month
from loyalty_desk.services.operations import OperationHandler, OperationRequest, OperationRunner, payload_digest, prerequisites
from loyalty_desk.services.redemption.handlers import REVERSE
from loyalty_desk.services.referrals.checks import clean_fields
from loyalty_desk.services.referrals.handlers import REGISTER as REFERRAL_REGISTER
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.services.signing import verify as verify_signature
from loyalty_desk.services.sync_resolution import RESOLVE
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import Member
from loyalty_desk.store.uow import UnitOfWork, uow_factory
from loyalty_desk.sync.batch import BatchState, WriteWatch, chain_events, copy_new_rows
from loyalty_desk.sync.batch_facts import preload_members, preload_referrals, preload_targets, take_member_serials, target_members
from loyalty_desk.sync.batch_repositories import BorrowedUnitOfWork
from loyalty_desk.sync.protocol import (
    CLAIM_OPERATIONS,
    DESKS_WITH_EARLIER_WAITING,
    POSTED,
    PREREQUISITE_KEY,
    PUSHING_DESKS,
    RECLAIM_OPERATIONS,
    REJECTED,
    RESERVED_BLOCKS,
    WAITING_PREREQUISITES,
    WAITING_PREREQUISITES_SHORT,
    WRITE_VERDICTS,
)

log = logging.getLogger(__name__)

JOBS_LOCK = 7408



@dataclass(frozen=True)
class ApplyReport:
    posted: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.posted + self.rejected


# The batch's signers, once per batch: every key named, with its owner's standing now (role, branch, status).
_SIGNER_KEYS = text(
    "SELECT k.key_id, k.staff_id, k.public_key, k.valid_from, k.valid_until, s.username, s.role, s.branch_id, "
    "coalesce(b.is_head_office, false) AS head_office, coalesce(s.active, false) AS active, s.deactivated_at "
    "FROM staff_key k LEFT JOIN staff s ON s.id = k.staff_id LEFT JOIN branch b ON b.id = s.branch_id WHERE k.key_id = ANY(:ids)"
)
DECISIONS = (APPROVE, REJECT)  # the adjustment decisions: their payload's ``request`` names the request
_NEW_MEMBER_KINDS = ("referral.register", "member.enrol")  # the operations that register a member with a number the desk chose
NUMBER_NOT_RESERVED = "member_no.not_reserved"
MEMBER_NOT_HELD = "member.not_held"  # a member outside the pushing desk's branches that it never fetched
MALFORMED = "operation.malformed"  # a payload its handler cannot read (a field missing, of the wrong type, too long to store)
# What a handler raises on a payload it cannot read; refused like a rule, never failing the batch.
_MALFORMED_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError)
_MEMBERS_NOT_HELD = text(
    "SELECT f.operation_id, m.member_no FROM unnest(CAST(:ids AS text[]), CAST(:logins AS text[]), CAST(:nos AS text[]), "
    "CAST(:mids AS bigint[])) AS f(operation_id, login, member_no, member_id) "
    "CROSS JOIN LATERAL (SELECT id, member_no, branch_id FROM member WHERE member_no = f.member_no "
    "UNION ALL SELECT id, member_no, branch_id FROM member WHERE id = f.member_id) m "
    "JOIN central_desk d ON d.login = f.login "
    "WHERE NOT m.branch_id = ANY (coalesce("
    "(SELECT array_agg(c.branch_id) FROM central_desk_branch c WHERE c.login = f.login), "
    "(SELECT array_agg(b.id) FROM branch own JOIN branch b ON b.region IS NOT DISTINCT FROM own.region WHERE own.id = d.branch_id), "
    "ARRAY[]::bigint[])) "
    "AND NOT EXISTS (SELECT 1 FROM central_desk_member c WHERE c.login = f.login AND c.member_id = m.id)"
)  # the desk's members as its feed scope has them (``ld_desk_member_branches``, ``ld_desk_members``), for each pushing login
_SMALLEST_BATCH_WRITE = 4
_DEFER_CONSTRAINTS = text("SET CONSTRAINTS ALL DEFERRED")
_CHECK_CONSTRAINTS = text("SET CONSTRAINTS ALL IMMEDIATE")  # checks the deferred ones now, while a failure can still be retried
_FIND_MEMBERS = text("SELECT id, member_no FROM member WHERE member_no = ANY(:nos) OR id = ANY(:ids)")




class _Failed(Exception):
    """An operation failed outside a savepoint: the batch is run again with a savepoint around it."""

    def __init__(self, operation_id: str) -> None:
        super().__init__(operation_id)
        self.operation_id = operation_id


_VERDICT_KEYS = ("operation_id", "status", "applied_at", "result", "code", "params")


def _verdict_params(verdicts: list[tuple[Any, ...]]) -> dict[str, str]:
    return {"verdicts": _json([dict(zip(_VERDICT_KEYS, verdict, strict=True)) for verdict in verdicts], default=datetime.isoformat)}


def _member_ref(row: Any) -> tuple[str | None, Any]:
    payload = row.payload if isinstance(row.payload, dict) else {}
    if isinstance(payload.get("member_no"), str):
        return "no", payload["member_no"]
    member_id = payload.get("member_id")
    if isinstance(member_id, int) and not isinstance(member_id, bool):
        return "id", member_id
    return None, None


def _new_provisional_member(row: Any) -> bool:
    """A registration of a member whose number the desk made up (provisional): central gives it one of its own."""
    number = row.payload.get("member_no") if row.kind in _NEW_MEMBER_KINDS and isinstance(row.payload, dict) else None
    return isinstance(number, str) and is_provisional_member_no(number)


def _decision_targets(rows: list[Any]) -> tuple[list[str], list[str], list[str]]:
    """The redemption numbers the batch's reversals name, the request operation ids its adjustment
    decisions name and the rejected operations its resolutions decide on."""
    numbers: list[str] = []
    requests: list[str] = []
    rejected: list[str] = []
    for row in rows:
        payload = row.payload if isinstance(row.payload, dict) else {}
        if row.kind == REVERSE and isinstance(payload.get("number"), str):
            numbers.append(payload["number"])
        elif row.kind in DECISIONS and isinstance(payload.get("request"), str):
            requests.append(payload["request"])
        elif row.kind == RESOLVE and isinstance(payload.get("rejected_operation_id"), str):
            rejected.append(payload["rejected_operation_id"])
    return numbers, requests, rejected


def _registrations(rows: list[Any], now: datetime) -> list[tuple[str, str | None, str | None, str | None, date]]:
    """(code, identity number, mobile, address key, business day) of each referral registration in
    ``rows`` whose code reads as one, as its handler will clean them (``preload_referrals``)."""
    found = []
    for row in rows:
        payload = row.payload
        if row.kind != REFERRAL_REGISTER or not isinstance(payload, dict):
            continue
        day = (row.made_at or now).date()
        try:
            clean, _problems = clean_fields(code=payload.get("code"), name=payload.get("name"), id_type=payload.get("id_type"),
                                            id_number=payload.get("id_number"), mobile=payload.get("mobile"),
                                            address=payload.get("address"), today=day)
        except _MALFORMED_ERRORS:
            continue  # the handler refuses it
        if "code" in clean:
            found.append((clean["code"], clean.get("id_number"), clean.get("mobile"), normalise_address(clean.get("address")) or None, day))
    return found


def _malformed_why(error: BaseException) -> str:
    """What was wrong with a payload, short enough for the exceptions queue (a database refusal's first line)."""
    if isinstance(error, DataError):
        return (str(error.orig or error).splitlines() or [type(error).__name__])[0][:200]
    if isinstance(error, KeyError):
        return f"the field {error.args[0]!r} is missing"[:200]
    return f"{type(error).__name__}: {error}"[:200]


def _json(value: Any, default: Callable[[Any], str] = str) -> str:
    import json

    return json.dumps(value, default=default, ensure_ascii=False)


class Applier:
    def __init__(self, url: str, handlers: Iterable[OperationHandler], *, clock: Clock = utc_now, batch: int = 200) -> None:
        self.database = Database(url)
        self._factory = uow_factory(self.database)
        self._settings = SettingsService(self._factory, clock)
        self._handlers = list(handlers)
        self._clock = clock
        self.batch = batch
        # who may make each kind: the domain's table, and what a handler of another kind declares (``maker_roles``)
        self._maker_roles = {**MAKER_ROLES, **{h.kind: frozenset(h.maker_roles) for h in self._handlers if hasattr(h, "maker_roles")}}

    def close(self) -> None:
        self.database.dispose()

    def _runner(self, session: Session, state: BatchState | None = None) -> OperationRunner:
        def borrowed(*, write: bool = False) -> UnitOfWork:
            return BorrowedUnitOfWork(session, state)

        context = ServiceContext(uow=borrowed, settings=self._settings.pinned(), desk_name="central", clock=self._clock)
        return OperationRunner(context, {h.kind: h for h in self._handlers})

    def _judge(self, session: Session, rows: list[Any]) -> dict[str, Refusal]:
        """Every operation's signatures checked before any handler runs (``domain.signatures.judge``),
        with the batch's pushing desks and signers' keys loaded in one statement each."""
        logins = sorted({row.desk for row in rows})
        desks = {r.login: (r.desk, r.branch_id) for r in session.execute(PUSHING_DESKS, {"logins": logins})}
        key_ids = sorted({entry["key_id"] for row in rows if isinstance(row.signatures, list)
                          for entry in row.signatures if isinstance(entry, dict) and isinstance(entry.get("key_id"), str)})
        keys = {r.key_id: RegisteredKey(r.key_id, r.staff_id, r.public_key, r.valid_from, r.valid_until, r.username, r.role,
                                        r.branch_id, bool(r.head_office), bool(r.active), r.deactivated_at)
                for r in (session.execute(_SIGNER_KEYS, {"ids": key_ids}) if key_ids else ())}
        refused: dict[str, Refusal] = {}
        for row in rows:
            if not isinstance(row.payload, dict):
                refused[row.operation_id] = Refusal(MALFORMED, {"why": "the payload is not a JSON object"})
                continue
            desk_name, branch_id = desks.get(row.desk, (None, None))
            inbound = Inbound(row.operation_id, row.kind, row.payload if isinstance(row.payload, dict) else {}, row.payload_digest,
                              row.origin, row.staff_id, row.made_at, row.received_at, row.signatures)
            refusal = judge(inbound, desk_name=desk_name, desk_branch_id=branch_id, keys=keys, verify=verify_signature,
                            maker_roles=self._maker_roles)
            if refusal is None and row.payload_digest != payload_digest(row.kind, dict(inbound.payload)):
                refusal = Refusal("signature.invalid", {"why": "the payload is not the one its digest names"})
            if refusal is not None:
                refused[row.operation_id] = refusal
        refused.update(self._unreserved_numbers(session, [row for row in rows if row.operation_id not in refused], desks))
        refused.update(self._members_not_held(session, [row for row in rows if row.operation_id not in refused], desks))
        return refused

    @staticmethod
    def _members_not_held(session: Session, rows: list[Any], desks: dict[str, tuple[Any, Any]]) -> dict[str, Refusal]:
        """An operation on a member the pushing desk does not hold (outside its branches, never fetched
        by it) is refused: the desk could not have served that member, so its login was misused or the
        member moved away before the push. A member central does not know is the handler's to refuse."""
        named = [(row, *_member_ref(row)) for row in rows]
        named = [(row, kind, key) for row, kind, key in named if kind is not None]
        if not named:
            return {}
        found = session.execute(_MEMBERS_NOT_HELD, {
            "ids": [row.operation_id for row, _, _ in named],
            "logins": [row.desk for row, _, _ in named],
            "nos": [key if kind == "no" else None for _, kind, key in named],
            "mids": [key if kind == "id" else None for _, kind, key in named],
        })
        logins = {row.operation_id: row.desk for row, _, _ in named}
        return {r.operation_id: Refusal(MEMBER_NOT_HELD, {"member_no": r.member_no, "desk": desks.get(logins[r.operation_id], (None, None))[0]
                                                          or logins[r.operation_id]}) for r in found}

    @staticmethod
    def _unreserved_numbers(session: Session, rows: list[Any], desks: dict[str, tuple[Any, Any]]) -> dict[str, Refusal]:
        """A registration's final member number must come from a block central reserved to the sending
        desk; a provisional one is replaced by central's (``services.member_numbers.final_number``)."""
        chosen: list[tuple[Any, str, int]] = []
        for row in rows:
            number = row.payload.get("member_no") if row.kind in _NEW_MEMBER_KINDS and isinstance(row.payload, dict) else None
            if not isinstance(number, str):
                continue  # a missing or malformed number is the handler's to refuse
            try:
                number = validate_member_no(number)
            except DomainError:
                continue  # the handler refuses a malformed number with its own reason
            if is_provisional_member_no(number):
                continue
            chosen.append((row, number, int(number[1:-1])))
        if not chosen:
            return {}
        names = sorted({desks.get(row.desk, (None, None))[0] or "" for row, _, _ in chosen})
        blocks: dict[str, list[tuple[int, int]]] = {}
        for block in session.execute(RESERVED_BLOCKS, {"desks": names}):
            blocks.setdefault(block.desk, []).append((block.first_serial, block.last_serial))
        refused: dict[str, Refusal] = {}
        for row, number, serial in chosen:
            desk_name = desks.get(row.desk, (None, None))[0]
            if not any(first <= serial <= last for first, last in blocks.get(desk_name or "", ())):
                refused[row.operation_id] = Refusal(NUMBER_NOT_RESERVED, {"member_no": number, "desk": desk_name or row.desk})
        return refused

    def apply_batch(self, limit: int | None = None) -> ApplyReport:
        """One pass: claims up to ``limit`` received operations and posts or rejects each.

        Within a batch, operations are applied in the order they were received (each desk's in the
        order it made them, ``_in_desk_order``); the members are locked up front in id order, so two
        appliers take member locks in the same order. A deadlock that happens anyway (a handler
        locking rows beyond the batch's members) rolls the batch back and it is retried one
        operation per transaction.
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
        one_flush_failed = False
        judged: dict[str, Refusal] | None = None  # the signatures are checked once, not again on each retry
        serials: list[int] = []  # taken once for the batch's registrations, used again by its retries
        for attempt in range(4):
            with self.database.write_sessions() as session:
                if ids is None:
                    rows = list(session.execute(CLAIM_OPERATIONS, {"limit": limit}).all())
                else:
                    rows = list(session.execute(RECLAIM_OPERATIONS, {"ids": ids}).all()) if ids else []
                if not rows:
                    return ApplyReport()
                if judged is None:
                    judged = self._judge(session, rows)
                claimed = {row.operation_id for row in rows}
                refused = {operation_id: r for operation_id, r in judged.items() if operation_id in claimed}
                now = self._clock()
                refusals = [(operation_id, REJECTED, now, None, r.code, _json(r.params)) for operation_id, r in refused.items()]
                rows = [row for row in rows if row.operation_id not in refused]
                everything = attempt == 3 or one_flush_failed
                # a handful of operations (a desk waiting at the counter) is quicker row by row than with the batch's extra statements
                state = BatchState(session, batched=not one_flush_failed and len(rows) >= _SMALLEST_BATCH_WRITE, operations=len(rows))
                if state.batched:
                    session.execute(_DEFER_CONSTRAINTS)
                numbers, requests, rejected = _decision_targets(rows)
                by_number, by_request = target_members(session, numbers, requests) if state.batched else ({}, {})
                targets = {row.operation_id: by_number.get(str(row.payload.get("number"))) or by_request.get(str(row.payload.get("request")))
                           for row in rows if isinstance(row.payload, dict)}
                known = {k: v for k, v in targets.items() if v is not None}
                locked = self._lock_members(session, rows, state, known)
                rows = self._in_desk_order(session, rows, locked, state, known)
                ids = [row.operation_id for row in rows] + list(refused)
                if state.batched:
                    preload_members(session, ids, state, now)
                    preload_referrals(session, state, _registrations(rows, now))
                    if attempt == 0:
                        serials = take_member_serials(self.database.write_engine, sum(1 for row in rows if _new_provisional_member(row)))
                    state.serials = list(serials)
                    state.absent_numbers.update(make_member_no(serial) for serial in serials)  # fresh from the sequence: nobody holds them
                    preload_targets(session, state, numbers, requests, rejected)
                try:
                    verdicts = refusals + self._run(session, rows, suspects, everything, state)
                    if state.batched:
                        chain_events(session, state)
                        copy_new_rows(session)
                    session.flush()
                    if state.batched:
                        session.execute(_CHECK_CONSTRAINTS)
                except _Failed as failed:
                    session.rollback()
                    suspects.add(failed.operation_id)
                    continue
                except (IntegrityError, DataError, psycopg.errors.IntegrityError, psycopg.errors.DataError):
                    # a constraint refused a row of the batch's one flush: run it again an operation at a time, each in a savepoint
                    session.rollback()
                    one_flush_failed = True
                    continue
                except DBAPIError as error:
                    # a trigger refused the batch's rows (the change feed finds no member for one): the batch
                    # runs again row by row, each operation in a savepoint, rather than the applier stopping
                    if one_flush_failed or not isinstance(error.orig, psycopg.errors.RaiseException):
                        raise
                    log.warning("applier batch refused by a trigger (%s); running it again row by row", str(error.orig).splitlines()[0])
                    session.rollback()
                    one_flush_failed = True
                    continue
                if verdicts:
                    session.execute(WRITE_VERDICTS, _verdict_params(verdicts))
                session.commit()
            return ApplyReport(sum(1 for v in verdicts if v[1] == POSTED), sum(1 for v in verdicts if v[1] == REJECTED))
        raise AssertionError("unreachable")  # pragma: no cover

    def _in_desk_order(self, session: Session, rows: list[Any], runnable: list[Any], state: BatchState,
                       targets: dict[str, int]) -> list[Any]:
        """The batch's operations that may run now, in the order received (the order each desk made them).

        Waiting for a later batch, none of them refused (a later batch applies them in the same order):

        * an operation whose member another applier holds (not in ``runnable``), and every operation
          of its desk received after it or after one another applier holds (``DESKS_WITH_EARLIER_WAITING``);
        * an operation whose prerequisite (``waits_for``: an adjustment's request, a reversal's
          redemption) is still queued and not run before it in this batch; it *parks*, holding back
          only its desk's later operations on the member it concerns (its prerequisite's), on a member
          that cannot be told, or on nothing, and those that wait for it. The desk's later operations
          on other members go on, and so does the prerequisite itself when the desk received it after
          the parked operation (pushed out of order): holding the whole desk back would stall the desk
          behind a prerequisite that may come much later, or for ever behind one of its own.
        """
        if not rows:
            return rows
        first: dict[str, Any] = {}
        for row in rows:
            first.setdefault(row.desk, row)
        blocked = set(session.scalars(DESKS_WITH_EARLIER_WAITING, {
            "desks": list(first), "ats": [row.received_at for row in first.values()], "ids": [row.operation_id for row in first.values()],
        }))
        handlers = {h.kind: h for h in self._handlers}
        needs = {row.operation_id: prerequisites(handlers.get(row.kind), row.payload) for row in rows}
        queued = waiting_prerequisites(session, (ref for wanted in needs.values() for ref in wanted))
        numbers = {member_id: member.member_no for member_id, member in state.members.items()}

        def member_of(row: Any) -> str | None:
            kind, key = _member_ref(row)
            if kind == "no":
                return str(key)
            member_id = key if kind == "id" else targets.get(row.operation_id)
            return numbers.get(member_id) if member_id is not None else None

        allowed = {row.operation_id for row in runnable}
        parked: dict[str, set[str | None]] = {}  # desk: the members its parked operations concern (None: cannot tell)
        awaited: set[str] = set()  # the queued prerequisites of parked operations: never held back by them
        kept: list[Any] = []
        run_before: set[str] = set()
        for row in rows:
            if row.desk in blocked or row.operation_id not in allowed:
                blocked.add(row.desk)
                continue
            pending = {operation_id: member_no for ref in needs[row.operation_id]
                       for operation_id, member_no in queued.get(ref, {}).items() if operation_id not in run_before}
            held = parked.get(row.desk)
            member_no = member_of(row)
            if pending or (held is not None and row.operation_id not in awaited and (None in held or member_no is None or member_no in held)):
                parked.setdefault(row.desk, set()).update(pending.values() if pending else (member_no,))
                awaited.update(pending)
                continue
            kept.append(row)
            run_before.add(row.operation_id)
        return kept

    def _lock_members(self, session: Session, rows: list[Any], state: BatchState, targets: dict[str, int] | None = None) -> list[Any]:
        """Locks the batch's members in one statement, in id order (the order every applier uses),
        and keeps them in the session for the handlers (``_BatchMembers``).

        Members another applier holds are skipped: their operations stay ``received`` (and locked by
        this transaction until it ends) for a later batch instead of waiting here; when every member
        of the batch is taken elsewhere, the batch waits for them (so it always makes progress).
        """
        targets = targets or {}

        def member_ref(row: Any) -> tuple[str | None, Any]:
            kind, key = _member_ref(row)
            return (kind, key) if kind is not None or row.operation_id not in targets else ("id", targets[row.operation_id])

        wanted_nos: set[str] = set()
        wanted_ids: set[int] = set()
        for row in rows:
            kind, key = member_ref(row)
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
        found: list[Any] | None = None
        if not locked:
            locked = list(session.scalars(query.with_for_update()))
        elif len(locked) < len(wanted_nos) + len(wanted_ids):
            got_nos = {m.member_no for m in locked}
            got_ids = {m.id for m in locked}
            found = list(session.execute(_FIND_MEMBERS, {"nos": sorted(wanted_nos), "ids": sorted(wanted_ids)}).all())
            busy_nos = {r.member_no for r in found} - got_nos
            busy_ids = {r.id for r in found} - got_ids
            kept = []
            for row in rows:
                kind, key = member_ref(row)
                if (kind == "no" and key in busy_nos) or (kind == "id" and key in busy_ids):
                    continue
                kept.append(row)
        state.members = {m.id: m for m in locked}
        state.numbers = {m.member_no: m.id for m in locked}
        state.absent_numbers = wanted_nos - {m.member_no for m in (found if found is not None else locked)}
        return kept

    def _run(self, session: Session, rows: list[Any], suspects: set[str], everything: bool, state: BatchState) -> list[tuple[Any, ...]]:
        """(id, status, now, result, code, params) per operation; raises ``_Failed`` for a failure outside a savepoint."""
        runner = self._runner(session, state)
        kinds = {h.kind for h in self._handlers}
        verdicts: list[tuple[Any, ...]] = []
        watch = WriteWatch(session, state) if state.batched else None
        for row in rows:
            request = OperationRequest(
                operation_id=row.operation_id,
                kind=row.kind,
                payload=row.payload,
                origin=row.origin,
                staff_id=row.staff_id,
                offline=row.offline,
                signatures=tuple(row.signatures),
                made_at=row.made_at,
            )
            now = self._clock()
            recorded = len(state.events)  # the audit events this operation records follow; dropped if it fails
            guarded = everything or row.operation_id in suspects
            savepoint = session.begin_nested() if guarded else None
            mark = watch.mark() if watch is not None and savepoint is None else None
            try:
                if row.kind not in kinds:
                    raise DomainError("operation.unknown_kind", kind=row.kind)
                outcome = runner.execute(request)
                if savepoint is not None:
                    savepoint.commit()
            except DomainError as error:
                del state.events[recorded:]
                if savepoint is None:
                    if watch is not None and mark is not None and watch.forget(mark, row.operation_id):
                        # refused before it wrote anything (a redemption limit, a rule): no need to run the batch again
                        verdicts.append((row.operation_id, REJECTED, now, None, error.code, _json(dict(error.params))))
                        continue
                    raise _Failed(row.operation_id) from error
                savepoint.rollback()
                state.savepoint_rolled_back()
                verdicts.append((row.operation_id, REJECTED, now, None, error.code, _json(dict(error.params))))
                continue
            except IntegrityError as error:
                del state.events[recorded:]
                if savepoint is None:
                    raise _Failed(row.operation_id) from error
                savepoint.rollback()
                state.savepoint_rolled_back()
                constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
                verdicts.append((row.operation_id, REJECTED, now, None, "central.constraint", _json({"constraint": constraint})))
                continue
            except (DataError, *_MALFORMED_ERRORS) as error:
                del state.events[recorded:]
                if savepoint is None:
                    if not isinstance(error, DataError) and watch is not None and mark is not None and watch.forget(mark, row.operation_id):
                        verdicts.append((row.operation_id, REJECTED, now, None, MALFORMED, _json({"why": _malformed_why(error)})))
                        continue
                    raise _Failed(row.operation_id) from error
                savepoint.rollback()
                state.savepoint_rolled_back()
                verdicts.append((row.operation_id, REJECTED, now, None, MALFORMED, _json({"why": _malformed_why(error)})))
                continue
            if outcome.status == "rejected":
                verdicts.append((row.operation_id, REJECTED, now, None, "operation.rejected", _json(outcome.result)))
            else:
                verdicts.append((row.operation_id, POSTED, now, _json(outcome.result), None, None))
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
        """Each job once per period (``job_run_key``) across all appliers; returns the jobs this applier ran."""
        day = day or self._clock().date()
        jobs = jobs if jobs is not None else default_jobs()
        context = ServiceContext(uow=self._factory, settings=self._settings, desk_name="central", clock=self._clock)
        ran: list[str] = []
        for name, job in jobs.items():
            with self.database.write_engine.connect() as connection, connection.begin():
                key = _stable_hash(name)
                if not connection.scalar(text("SELECT pg_try_advisory_xact_lock(:a, :b)"), {"a": JOBS_LOCK, "b": key}):
                    continue
                run_key = job_run_key(name, day)
                finished = connection.scalar(
                    text("SELECT finished_at FROM job_run WHERE job = :job AND run_key = :key"), {"job": name, "key": run_key}
                )
                if finished is not None:
                    continue
                job(context, day)  # its own transactions; the advisory lock is held by this one meanwhile
                connection.execute(
                    text(
                        "INSERT INTO job_run (job, run_key, started_at, finished_at) VALUES (:job, :key, :now, :now) "
                        "ON CONFLICT (job, run_key) DO UPDATE SET finished_at = COALESCE(job_run.finished_at, EXCLUDED.finished_at)"
                    ),
                    {"job": name, "key": run_key, "now": self._clock()},
                )
                ran.append(name)
        return ran


def job_run_key(name: str, day: date) -> str:
    """The period a central job runs once in: the month for the tier review (the key its service
    claims itself), the day for the others."""
    return review_month(day) if name == TIER_REVIEW_JOB else day.isoformat()


def default_jobs() -> dict[str, Callable[[ServiceContext, date], Any]]:
    """Central's jobs. Each is idempotent on its own (a rerun finds nothing left to do); the
    advisory lock and ``job_run`` make it run once a period however many appliers run. An adjustment
    request past its 72 hours can no longer be approved whenever the sweep runs; the sweep
    releases its held points. Manual tier overrides end on their end date (daily, before the
    review). The tier review's changes reach the desks through the feed with the
    member rows. The analytics compaction folds closed months' delta rows (daily: rows dated in a
    closed month keep arriving from desks that were offline)."""
    from loyalty_desk.services.adjustments.service import AdjustmentService
    from loyalty_desk.services.analytics.service import COMPACT_JOB, AnalyticsService
    from loyalty_desk.services.earning.service import EarningService
    from loyalty_desk.services.expiry import ExpiryService
    from loyalty_desk.services.handlers import operation_runner
    from loyalty_desk.services.referrals.service import ReferralService
    from loyalty_desk.services.tier_overrides import END_JOB as OVERRIDE_END_JOB
    from loyalty_desk.services.tier_overrides import end_due_overrides

    return {
        "expiry": lambda context, day: ExpiryService(context).run(as_of=day),
        "adjustment_expiry": lambda context, day: AdjustmentService(context, operation_runner(context)).expire_due(),
        "referral_sweep": lambda context, day: ReferralService(context, operation_runner(context)).sweep(as_of=day),
        OVERRIDE_END_JOB: lambda context, day: end_due_overrides(context, as_of=day),
        TIER_REVIEW_JOB: lambda context, day: EarningService(context).review_tiers(as_of=day),
        COMPACT_JOB: lambda context, day: AnalyticsService(context).compact(),
    }


def waiting_prerequisites(session: Session, refs: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """The operations still queued (``received``) whose id starts with each reference, ignoring case,
    each with the member number its payload names (None when it names none).

    One statement looking each reference up by the first ``PREREQUISITE_KEY`` characters in an index
    (``protocol.WAITING_PREREQUISITES``); a reference shorter than that key (no handler makes one) is
    matched the slow way, on its own."""
    refs = sorted(set(refs))
    queued: dict[str, dict[str, str | None]] = {}
    keyed = [ref for ref in refs if len(ref) >= PREREQUISITE_KEY]
    short = [ref for ref in refs if len(ref) < PREREQUISITE_KEY]
    for statement, wanted in ((WAITING_PREREQUISITES, keyed), (WAITING_PREREQUISITES_SHORT, short)):
        if wanted:
            for ref, operation_id, member_no in session.execute(statement, {"refs": wanted}):
                queued.setdefault(ref, {})[operation_id] = member_no
    return queued


def _stable_hash(text_value: str) -> int:
    import zlib

    return zlib.crc32(text_value.encode()) & 0x7FFFFFFF


__all__ = ["Applier", "ApplyReport", "DBAPIError", "waiting_prerequisites"]
