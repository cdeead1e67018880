"""The pull: change-feed pages applied to the replica, each page and its cursor in one local
transaction; central's copy of one of our operations replaces its provisional rows first. A fresh
desk far behind takes the waiting rows in bulk (``feed.bulk_load``)."""

from __future__ import annotations

import time
from contextlib import closing
from typing import Any

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from loyalty_desk.services.audit import NoProgress, Progress
from loyalty_desk.store.models import LedgerEntry, Operation, Outbox
from loyalty_desk.sync.desk_state import CentralUnreachable, PrimaryConnection, PullReport, first_line, log
from loyalty_desk.sync.feed import Cursor, FeedRow, read_page
from loyalty_desk.sync.make_way import DeskMakeWay
from loyalty_desk.sync.protocol import FETCH_MEMBER, REPLICATED
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE
from loyalty_desk.sync.replica import (
    by_entity,
    members_with_provisional,
    recompute_projections,
    recompute_stock,
    remap_reversals,
    remap_to_central_copies,
    replace_provisional_member,
)


class _BulkCancelled(Exception):
    pass


class _Same:
    """The feed's connection lent for fetches (closed by its owner, not here)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self._connection.execute(*args, **kwargs)

    def commit(self) -> None:
        self._connection.commit()

    def close(self) -> None:
        pass


def fetched_rows(connection: Any, kind: str, handle: str) -> list[FeedRow]:
    """A member's rows central hands this desk (``ld_fetch_member``): by an exact handle, or a referral's party."""
    result = connection.execute(FETCH_MEMBER, {"kind": kind, "handle": handle})
    return [FeedRow(0, 0, str(entity), "", payload) for entity, payload in result]


class DeskPull(DeskMakeWay):
    def pull(self, progress: Progress | None = None, *, page_size: int = 5000, max_pages: int | None = None) -> PullReport:
        """Applies change-feed pages until caught up; each page and its cursor in one local transaction."""
        progress = progress or NoProgress()
        started = time.perf_counter()
        total_rows = pages = 0
        cursor = Cursor.from_text(self.state().get("cursor"))
        progress.set_status("sync.pull")
        stopped_at = None
        try:
            with self.feed_connection() as connection, closing(self._fetcher(connection)) as fetcher:
                remaining = None
                if max_pages is None:
                    total_rows, cursor = self._bulk_load(connection, cursor, progress, fetcher)
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
                    if not self._apply_page_giving_way(rows, cursor, fetcher):
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
                self._mark(state="online", last_error=f"a change from head office cannot be written here: {first_line(error.orig or error)}"[:400])
                return False
        return False

    def _fetcher(self, connection: Connection) -> Any:
        """What referral completion fetches through: the feed's own connection when it is central's
        primary, else a primary connection opened if a fetch is needed (a replica is read-only)."""
        return _Same(connection) if connection.engine is self.central else PrimaryConnection(self.central)

    def _bulk_load(self, connection: Any, cursor: Cursor, progress: Progress, fetcher: Any) -> tuple[int, Cursor]:
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
            self._complete_referrals(session, fetcher)
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
            replaced_rows: dict[str, dict[int, str]] = {}  # table -> provisional id -> its operation (central's copy has the same)
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
                dirty |= self._replace_provisional(session, operation_id, replaced, replaced_rows)
            for provisional_id, central_id in self._members_created(session, rows, set(own)):
                replace_provisional_member(session, provisional_id, central_id)
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
                remap_reversals(session, replaced)
            if replaced_rows:
                remap_to_central_copies(session, self._tables, replaced_rows)
            if touched and session.scalar(select(LedgerEntry.id).where(LedgerEntry.id >= PROVISIONAL_BASE).limit(1)) is not None:
                dirty |= members_with_provisional(session, touched)
            if dirty:
                recompute_projections(session, sorted(dirty))
            if stocked:
                recompute_stock(session, stocked)
            if connection is not None and any(row.entity in ("referral", "referral_reward") for row in rows):
                self._complete_referrals(session, connection)
            if cursor is not None:
                self._set_state(session, cursor=cursor.to_text())
            session.commit()

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
                rows = fetched_rows(connection, "referral_party", str(member_id))
                connection.commit()  # central's record that this desk holds them
                for entity, payloads in by_entity(rows):
                    self._upsert(session, entity, payloads)

    def _upsert(self, session: Session, entity: str, payloads: list[dict[str, Any]]) -> None:
        """Insert-or-update by primary key straight through sqlite3 (values stored as SQLAlchemy stores them)."""
        sql, names, converters = self._upsert_sql[entity]
        rows = [tuple(convert(payload.get(name)) for name, convert in zip(names, converters, strict=True)) for payload in payloads]
        session.connection().exec_driver_sql(sql, rows)

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

    def _replace_provisional(self, session: Session, operation_id: str, replaced: dict[int, str],
                             replaced_rows: dict[str, dict[int, str]]) -> set[int]:
        """Central posted one of our operations: its provisional rows give way to central's copies
        (``replaced``: the entries' ids and uids; ``replaced_rows``: the other rows' ids by table, whose
        local referrers follow them to central's copies once the page is written)."""
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
            gone = list(session.scalars(select(table.c.id).where(table.c.operation_id == operation_id, table.c.id >= PROVISIONAL_BASE)))
            if gone:
                replaced_rows.setdefault(table.name, {}).update(dict.fromkeys(gone, operation_id))
                session.execute(delete(table).where(table.c.id.in_(gone)))
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
