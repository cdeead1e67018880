"""The push: due outbox operations go to central's ``inbound_operation`` (insert-if-absent); failures
back off exponentially (``outbox.next_attempt_at``) and mark the desk offline."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import literal_column, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from loyalty_desk.services.operations import payload_digest
from loyalty_desk.store.models import Operation, Outbox
from loyalty_desk.sync.desk_state import CentralUnreachable, PushReport, first_line
from loyalty_desk.sync.kill_points import kill_point
from loyalty_desk.sync.outcomes import DeskOutcomes
from loyalty_desk.sync.protocol import PUSH_OPERATION, PUSHED_DIGEST

MAX_BACKOFF_SECONDS = 300.0


class DeskPush(DeskOutcomes):
    def push(self, operation_ids: Sequence[str] | None = None, *, limit: int = 200, due_only: bool = True) -> PushReport:
        """Sends due outbox operations to central (insert-if-absent), then records that central holds them.

        In the order the desk made them, up to the first one still backing off after a failed push:
        the ones made after it wait with it, so none overtakes it at central, and once its backoff is
        over it and everything after it go, in order. ``due_only=False`` ignores the backoff (central
        has just been reached again).
        """
        now = self.context.clock()
        with self.database.read_sessions() as session:
            query = (
                select(Outbox, Operation)
                .join(Operation, Operation.id == Outbox.operation_id)
                .where(Outbox.pushed_at.is_(None), Outbox.outcome.is_(None))
                .order_by(Outbox.queued_at, literal_column("outbox.rowid"))  # the order they were made in, ties by insertion
                .limit(limit)
            )
            if operation_ids is not None:
                query = query.where(Outbox.operation_id.in_(list(operation_ids)))
            due = []
            for o, op in session.execute(query).all():
                if operation_ids is None and due_only and o.next_attempt_at is not None and o.next_attempt_at > now:
                    break  # still backing off: the round stops here, so nothing made after it overtakes it (the desk's order)
                due.append((o.operation_id, op))
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
            self._reject_or_wait(operation_id, "sync.push_refused", {"operation_id": operation_id, "reason": first_line(error.orig or error)})
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
