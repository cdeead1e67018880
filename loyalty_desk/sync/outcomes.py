"""Central's verdicts on the pushed operations: an accepted one is settled here, a rejected one is
compensated (``sync/compensation.py``) and queued for a supervisor (``sync_exception``)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.handlers import undo_refused
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.tier_changes import TIER_ENTRY_KIND, undo_tier_change
from loyalty_desk.store.models import LedgerEntry, Outbox, SyncException
from loyalty_desk.store.repositories.sync_exceptions import COMPENSATION_RULE
from loyalty_desk.sync.compensation import (
    COMPENSATION_PREFIX,
    CompensationWaits,
    compensate_stock,
    reopen_refused_resolution,
    reverse_credit,
)
from loyalty_desk.sync.desk_state import CentralUnreachable, DeskSyncState, Outcome, log
from loyalty_desk.sync.protocol import POSTED, READ_VERDICTS
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE
from loyalty_desk.sync.replica import recompute_projections

# The counter reads central's verdict at 2, 4, 8 ms and then every 10 ms for the first 100 ms, the
# time central takes when it is well; after that, every 50 ms. With the gaps doubling up to 50 ms
# from the start, the read after the verdict came up to 30 ms late (a single desk, shared machine:
# verdict wait p95 82-86 ms, 61-69 ms with the 10 ms gaps); 10 ms gaps all along would have two
# hundred desks waiting on a slow central read it 20,000 times a second.
VERDICT_POLL_FAST = (0.1, 0.01)  # for this long, at most this far apart
VERDICT_POLL_SLOW = 0.05

class DeskOutcomes(DeskSyncState):
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
        started = time.monotonic()
        deadline = started + wait
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
            fast_for, fast_gap = VERDICT_POLL_FAST
            delay = min(delay * 2, fast_gap if time.monotonic() < started + fast_for else VERDICT_POLL_SLOW)

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
                if _undone_by_our_own_reversal(session, uow, entry):
                    continue
                posting = Posting(
                    entry_uid=f"{COMPENSATION_PREFIX}{entry.entry_uid}",
                    kind="reversal",
                    rule=COMPENSATION_RULE,
                    occurred_on=now.date(),
                    operation_id=operation_id,
                    branch_id=entry.branch_id,
                    details={"reason_code": code, "reverses": entry.entry_uid},
                )
                if entry.kind == TIER_ENTRY_KIND:  # a tier change moves no point: the tier goes back
                    undo_tier_change(ledger, member, entry, posting)
                elif entry.points < 0:
                    ledger.restore(member, posting, entry)
                elif entry.points > 0:  # out of the very lots it credited; waits while our own operations spend them
                    reverse_credit(session, ledger, member, posting, entry)
            compensate_stock(session, operation_id, now)
            if operation is not None:
                undo_refused(uow, operation)
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
                recompute_projections(session, [member_id])
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


def _undone_by_our_own_reversal(session: Any, uow: Any, entry: LedgerEntry) -> bool:
    """True when ``entry`` needs no compensation: this desk already reversed it with an operation of
    its own (a redemption reversed at the counter before central's verdict: the points and goods are
    back), or it is that reversal and central refused the operation it reversed (the refused
    redemption's compensation was that very reversal). Either way, moving the points again would give
    them twice or take them back. Central decides a reversal only after the redemption it reverses
    (``waits_for``), so the redemption's verdict is the first to arrive."""
    if uow.ledger.reversal_of(entry.id) is not None:
        return True
    if entry.reverses_entry_id is None:
        return False
    reversed_entry = session.get(LedgerEntry, entry.reverses_entry_id)
    if reversed_entry is None or reversed_entry.operation_id in (None, entry.operation_id):
        return False
    refused = session.get(Outbox, reversed_entry.operation_id)
    return refused is not None and refused.outcome == "rejected"

