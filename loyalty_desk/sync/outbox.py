"""The outbox: every operation of a joined desk writes its outbox row in its own transaction; the push
(``sync/push.py``) sends what waits there."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from loyalty_desk.services.operations import OperationRunner
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import Operation, Outbox
from loyalty_desk.store.uow import UnitOfWork
from loyalty_desk.sync.provisional_ids import enable_provisional_ids


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
