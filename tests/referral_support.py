"""A desk with referrals wired in: branches, staff, a referrer with a code and an address,
the earning service (the feed that qualifies referrals) and the referral service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import factories
from factories import LocalStore, add_branch, add_member, add_staff, open_store

from loyalty_desk.domain.earning import EarningTxn
from loyalty_desk.domain.identity import make_resident_id
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.referrals.records import referral_code_for
from loyalty_desk.services.referrals.service import ReferralService

START = datetime(2026, 3, 2, 9, 30)
FEED = Actor("system", "test:feed")
REFERRER_ADDRESS = "北京市朝阳区建国路88号1栋2单元1502室"


@dataclass
class ReferralDesk:
    store: LocalStore
    service: ReferralService
    earning: EarningService
    officer: StaffSession
    supervisor: StaffSession
    other_supervisor: StaffSession
    hq_supervisor: StaffSession
    referrer: str  # member number
    _serial: Any = field(default_factory=lambda: count(1))

    @property
    def context(self):
        return self.store.context

    @property
    def clock(self):
        return self.store.clock

    def code_of(self, member_no: str) -> str:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            return member.referral_code

    def new_member(self, *, address: str | None = None, mobile: str | None = None, **values: Any) -> str:
        """An existing member with a referral code (a referrer)."""
        member_no = add_member(self.context, address=address, mobile=mobile, **values)
        with self.context.uow(write=True) as uow:
            member = uow.members.by_no(member_no)
            member.referral_code = referral_code_for(member_no)
            uow.commit()
        return member_no

    def person(self, *, mobile: str | None = None, address: str | None = "default") -> dict[str, Any]:
        """Details of a new client nobody has seen: a fresh resident ID, mobile and address."""
        n = next(self._serial)
        return {
            "name": f"李{'明华芳军'[n % 4]}{'一二三四五六七八九十'[n % 10]}",
            "id_type": "resident_id",
            "id_number": make_resident_id("310104", date(1985, 1, 1) + timedelta(days=37 * n), n % 1000),
            "mobile": mobile or f"158{(n * 7919) % 10**4:04d}{n % 10**4:04d}",
            "address": f"上海市徐汇区漕溪北路{n}号{n % 30 + 1}栋{n % 4 + 1}单元{n % 30 + 1}01室" if address == "default" else address,
        }

    def register(self, code: str | None = None, *, who: StaffSession | None = None, operation_id: str | None = None, **details: Any):
        person = self.person()
        person.update(details)
        return self.service.register(
            operation_id=operation_id or self.service.new_operation_id(), session=who or self.officer,
            code=code or self.code_of(self.referrer), **person,
        )

    def post(self, *txns: EarningTxn):
        return self.earning.post(txns=txns, origin="test-feed", actor=FEED)

    def view(self, outcome: Any):
        return self.service.get(referral=outcome.operation_id)

    def balance(self, member_no: str) -> tuple[int, int]:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            return int(member.posted_balance), int(member.held_points)

    def referral_entries(self, member_no: str) -> list[tuple[str, int, bool]]:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            lots = {lot.entry_id: lot for lot in uow.ledger.lots_for_member(member.id)}
            return [(e.rule, e.points, lots[e.id].qualifying) for e in uow.ledger.entries_for_member(member.id) if e.kind == "referral"]

    def invariants(self) -> None:
        with self.context.uow() as uow:
            for member_id in uow.earning.member_ids_in_tiers(["standard", "silver", "gold", "platinum"]):
                member = uow.members.get(member_id)
                assert member.posted_balance == uow.ledger.sum_entries(member_id) == uow.ledger.sum_lot_remaining(member_id)
                assert member.held_points >= 0

    def audit(self, prefix: str = "referral.") -> list[Any]:
        with self.context.uow() as uow:
            _, rows = uow.audit.search(action=prefix, limit=1000)
            return [SimpleNamespace(action=r.action, actor=r.actor, member_no=r.member_no, before=r.before, after=r.after,
                                    details=r.details) for r in reversed(rows)]


_txn_ids = count(1)


def feed(member_no: str, on: date, source: str, amount: str | int = 0, *, txn_id: str | None = None, original: str | None = None) -> EarningTxn:
    return EarningTxn(txn_id=txn_id or f"T{next(_txn_ids):06d}", member_no=member_no, occurred_on=on, source=Source(source),
                      amount=Decimal(str(amount)), product="FIN-STD" if source == "financing" else "", original_txn_id=original)


def open_referral_desk(data_dir: Path) -> ReferralDesk:
    store = open_store(data_dir, now=START)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    add_branch(store.context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    runner = operation_runner(store.context)
    desk = ReferralDesk(
        store=store,
        service=ReferralService(store.context, runner),
        earning=EarningService(store.context),
        officer=add_staff(store.context, username="officer.bj", role="officer"),
        supervisor=add_staff(store.context, username="super.bj", role="supervisor"),
        other_supervisor=add_staff(store.context, username="super.sh", role="supervisor", branch_code="SH01"),
        hq_supervisor=add_staff(store.context, username="super.hq", role="supervisor", branch_code="HQ01"),
        referrer="",
    )
    desk.referrer = desk.new_member(name="王芳", address=REFERRER_ADDRESS, mobile="13911112222")
    return desk


__all__ = ["START", "ReferralDesk", "factories", "feed", "open_referral_desk"]
