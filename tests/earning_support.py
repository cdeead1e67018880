"""A temp SQLite store (``factories.open_store``) with the earning, import and expiry services,
plus read-back helpers that return plain values (never ORM objects outside their session).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import factories

from loyalty_desk.domain.earning import EarningTxn
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.earning.file_import import ImportService
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.expiry import ExpiryService
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import Campaign

NOW = datetime(2026, 6, 30, 12, 0, 0)
BRANCH = "BJ01"
ACTOR = Actor(username="importer", desk="test-desk", branch_code=BRANCH)


@dataclass(frozen=True)
class MemberState:
    id: int
    member_no: str
    tier: str
    last_upgrade_on: date | None
    card_approved_on: date | None
    posted_balance: int


@dataclass(frozen=True)
class EntryRow:
    id: int
    entry_uid: str
    kind: str
    rule: str | None
    points: int
    occurred_on: date
    campaign_code: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class LotRow:
    id: int
    rule: str
    earned_on: date
    expires_on: date
    original: int
    remaining: int
    qualifying: bool


@dataclass
class Desk:
    database: Database
    context: ServiceContext
    earning: EarningService
    imports: ImportService
    expiry: ExpiryService
    clock: factories.FixedClock

    def close(self) -> None:
        self.database.dispose()

    # ---------------------------------------------------------------- data

    def add_member(self, *, tier: str = "standard", card_approved_on: date | None = None) -> str:
        member_no = factories.add_member(self.context, branch_code=BRANCH, tier=tier)
        if card_approved_on is not None:
            with self.context.uow(write=True) as uow:
                found = uow.members.by_no(member_no)
                assert found is not None
                found.card_approved_on = card_approved_on
                uow.commit()
        return member_no

    def add_campaign(self, **values: Any) -> None:
        with self.context.uow(write=True) as uow:
            uow.reference.add_campaign(Campaign(**{"status": "approved", **values}))
            uow.commit()

    def member(self, member_no: str) -> MemberState:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert member is not None
            return MemberState(member.id, member.member_no, member.tier, member.last_upgrade_on, member.card_approved_on, member.posted_balance)

    def entries(self, member_no: str) -> list[EntryRow]:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert member is not None
            return [
                EntryRow(e.id, e.entry_uid, e.kind, e.rule, e.points, e.occurred_on, e.campaign_code, dict(e.details or {}))
                for e in uow.ledger.entries_for_member(member.id)
            ]

    def lots(self, member_no: str) -> list[LotRow]:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert member is not None
            return [
                LotRow(lot.id, lot.rule, lot.earned_on, lot.expires_on, lot.original, lot.remaining, lot.qualifying)
                for lot in uow.ledger.lots_for_member(member.id)
            ]

    def balance(self, member_no: str) -> int:
        return self.member(member_no).posted_balance

    def post(self, *txns: EarningTxn) -> Any:
        return self.earning.post(txns=list(txns), origin="test", actor=ACTOR)

    def spend(self, member_no: str, points: int, *, uid: str, on: date) -> int:
        """A service-level debit (a redemption without the redemption rules): returns the entry id."""
        return factories.post_debit(self.context, member_no, points, on=on, rule="test_spend", entry_uid=uid)

    def reverse(self, member_no: str, entry_id: int, *, uid: str, on: date) -> None:
        with self.context.uow(write=True) as uow:
            found = uow.members.by_no(member_no)
            assert found is not None
            member = uow.members.lock(found.id)
            original = uow.ledger.entry(entry_id)
            assert member is not None and original is not None
            Ledger(uow, self.context.rules, self.clock()).restore(
                member, Posting(entry_uid=uid, kind="reversal", rule="test_spend", occurred_on=on), original
            )
            uow.commit()


def open_desk(data_dir: Path) -> Desk:
    store = factories.open_store(data_dir, now=NOW)
    factories.add_branch(store.context, code=BRANCH)
    context = store.context
    earning = EarningService(context)
    return Desk(store.database, context, earning, ImportService(context, earning), ExpiryService(context), store.clock)


def txn(
    txn_id: str,
    member_no: str,
    occurred_on: date,
    source: Source | str,
    amount: str | int = 0,
    product: str = "",
    *,
    due_date: date | None = None,
    original_txn_id: str | None = None,
) -> EarningTxn:
    return EarningTxn(
        txn_id=txn_id,
        member_no=member_no,
        occurred_on=occurred_on,
        source=Source(source),
        amount=Decimal(str(amount)),
        product=product,
        due_date=due_date,
        original_txn_id=original_txn_id,
    )


FILE_COLUMNS = ("txn_id", "member_no", "date", "source", "amount", "product", "due_date", "original_txn_id")


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, header: Sequence[str] = FILE_COLUMNS, encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def check_invariants(desk: Desk) -> None:
    """Balance == sum of entries == sum of lots' remaining; 0 <= remaining <= original."""
    with desk.context.uow() as uow:
        for member_id in uow.earning.member_ids_in_tiers(["standard", "silver", "gold", "platinum"]):
            member = uow.members.get(member_id)
            assert member is not None
            entries_sum = uow.ledger.sum_entries(member_id)
            lots_sum = uow.ledger.sum_lot_remaining(member_id)
            assert member.posted_balance == entries_sum == lots_sum, (member.member_no, member.posted_balance, entries_sum, lots_sum)
            for lot in uow.ledger.lots_for_member(member_id):
                assert 0 <= lot.remaining <= lot.original, (lot.id, lot.remaining, lot.original)
