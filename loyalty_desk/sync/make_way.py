"""Local rows that give way to central's (the rules in ``sync/give_way.py``): a provisional row standing
in the way of a feed page, members and entries central will never receive. Its waiting operation is
rejected here, the row and what depends on it removed, the clash queued as a sync exception."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.members.enrolment import ENROL
from loyalty_desk.store.models import LedgerEntry, Member, Operation, Outbox, SyncException
from loyalty_desk.store.uow import UnitOfWork
from loyalty_desk.sync.desk_state import CentralUnreachable, log
from loyalty_desk.sync.feed import FeedRow
from loyalty_desk.sync.give_way import CONFLICT, LOCAL_ONLY, MEMBER_UNKNOWN, Clash, find_clashes, local_row_key, orphan_entries, retire
from loyalty_desk.sync.outcomes import DeskOutcomes
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE
from loyalty_desk.sync.replica import recompute_projections


def waiting_on_member(session: Session, member_id: int) -> list[str]:
    """This desk's operations on a member still waiting for central's verdict, oldest first."""
    return list(session.scalars(
        select(Outbox.operation_id).join(Operation, Operation.id == Outbox.operation_id)
        .where(Operation.member_id == member_id, Outbox.outcome.is_(None)).order_by(Outbox.queued_at)
    ))


def _rejected(session: Session, operation_id: str) -> bool:
    outbox = session.get(Outbox, operation_id)
    return outbox is not None and outbox.outcome == "rejected"


def forget_local_txns(session: Session, entry_uids: list[str]) -> None:
    """The earning transactions of retired local entries (``txn:<txn id>:<award>``) that central never posted."""
    txn_ids = {uid[4:].rsplit(":", 1)[0] for uid in entry_uids if uid.startswith("txn:") and uid.count(":") >= 2}
    for txn_id in txn_ids:
        if session.scalar(select(LedgerEntry.id).where(LedgerEntry.entry_uid.startswith(f"txn:{txn_id}:")).limit(1)) is None:
            session.execute(text("DELETE FROM earning_txn WHERE txn_id = :t"), {"t": txn_id})


class DeskMakeWay(DeskOutcomes):
    def _make_way(self, rows: list[FeedRow]) -> int:
        """Local provisional rows holding a unique value of the page's rows give way; how many did."""
        with self.database.read_sessions() as session:
            clashes = find_clashes(session, self._tables, rows)
            # rows of our operations the page shows central posted are replaced by central's copies as the page applies
            posted_here = set(self._own_operations_posted(session, rows))
            clashes = [clash for clash in clashes if self._owner(session, clash)[0] not in posted_here]
        given = 0
        for clash in clashes:
            given += self._give_way(clash)
        return given

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
            concerned = waiting_on_member(session, clash.local_id) if clash.table == "member" else []
        if owner is not None and waiting and clash.table != "member":
            waiting = self._judged_by_central(owner) is None
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
            if owner is None:
                queued = (LOCAL_ONLY, params)
            elif not waiting and not _rejected(session, owner):  # a rejected operation is queued already, with central's reason
                queued = (CONFLICT, {**params, "operation_id": owner})
            self._record_gave_way(
                uow, clash.table, clash.local_id, member_id=member_id, member_no=params.get("member_no"), queued=queued,
                details={**params, "operation_id": owner, "rows": {t: len(k) for t, k in result.rows.items()}}, now=now,
            )
            session.flush()
            if result.members:
                recompute_projections(session, sorted(result.members))
            uow.commit()
        return 1

    def _judged_by_central(self, operation_id: str) -> str | None:
        """Central's verdict on a waiting operation of ours, applied here as any verdict is
        (``collect_outcomes``): "accepted", "rejected", or None when central has not judged it (or
        cannot be reached). A row of ours that clashes with central's is often central's answer to
        that very operation (another desk's decision on the same request won), and the reason the
        operation is queued with is then central's, not a guess of this desk's."""
        try:
            found = self.collect_outcomes([operation_id])
        except CentralUnreachable:
            return None
        return found[0].outcome if found else None

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
                        "WHERE r.referee_member_id = m.id AND (o.outcome IS NULL OR o.outcome = 'accepted')) AND NOT EXISTS ("
                        "SELECT 1 FROM operation op JOIN outbox o ON o.operation_id = op.id "
                        "WHERE op.member_id = m.id AND op.kind = :enrol AND (o.outcome IS NULL OR o.outcome = 'accepted'))"
                    ),
                    {"base": PROVISIONAL_BASE, "enrol": ENROL},
                )
            ]
        for member_id, member_no in found:
            with self.database.read_sessions() as session:
                referral = self._tables["referral"]
                registered = session.scalar(select(referral.c.operation_id).where(referral.c.referee_member_id == member_id)) or session.scalar(
                    select(Operation.id).where(Operation.member_id == member_id, Operation.kind == ENROL))
                waiting = waiting_on_member(session, member_id)
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
                    recompute_projections(session, sorted(result.members))
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
                forget_local_txns(session, uids)
                member = session.get(Member, member_id)
                member_no = member.member_no if member else None
                params: dict[str, Any] = {
                    "table": "ledger_entry", "member_no": member_no,
                    "entries": len(ids), "points": sum(points for _, points in entries),
                }
                params["row"] = f"ledger_entry:{min(ids)}"
                self._record_gave_way(
                    uow, "ledger_entry", min(ids), member_id=member_id, member_no=member_no, queued=(LOCAL_ONLY, params), details=params, now=now,
                )
                session.flush()
                recompute_projections(session, sorted(result.members | {member_id}))
            uow.commit()
