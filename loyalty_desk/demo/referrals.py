"""Demo referrals: a few referral chains at the demo officer's branch, registered, qualified
and rewarded through the real services (operations, earning feed, sweep), so the member view's
referral tree, the branch list and the supervisor's flagged list have something to show.

Called by ``demo.generate`` after the members are loaded; deterministic for a given ``today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from loyalty_desk.domain.earning import EarningTxn
from loyalty_desk.domain.identity import make_resident_id
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.referrals.dto import RegistrationOutcome
from loyalty_desk.services.signing import Keyring
from loyalty_desk.store.uow import UnitOfWork

DEMO_OFFICER = "officer.bj1"
REFEREES = (
    ("孙丽", "上海市徐汇区漕溪北路{n}号3栋1单元502室"),
    ("周杰", "北京市海淀区中关村大街{n}号1栋2单元301室"),
    ("吴敏", "北京市朝阳区光华路{n}号5栋1单元1201室"),
    ("郑浩", "北京市东城区东直门南大街{n}号2栋3单元801室"),
    ("冯雪", "北京市西城区金融大街{n}号1栋1单元1502室"),
    ("陈晨", "北京市丰台区丽泽路{n}号6栋2单元602室"),
    ("褚静", "北京市通州区新华大街{n}号8栋1单元402室"),
    ("卫东", "北京市昌平区回龙观东大街{n}号3栋2单元702室"),
)


@dataclass
class _Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def _session(uow: UnitOfWork, username: str, keyring: Keyring) -> StaffSession | None:
    """The demo officer as signed in: their signing key unlocked with the demo password."""
    from loyalty_desk.demo.staff import DEMO_PASSWORD
    from loyalty_desk.services.staff_keys import unlock_key

    staff = uow.staff.by_username(username)
    if staff is None:
        return None
    credential = uow.staff.credential(staff.id)
    assert credential is not None  # every demo account is made with the demo password
    keyring.put(unlock_key(uow, credential, DEMO_PASSWORD, staff.created_at))
    branch = uow.staff.branch_of(staff)
    return StaffSession(staff.id, staff.username, staff.display_name, staff.role, branch.code, branch.name_zh, branch.name_en)


def seed_demo_referrals(data_dir: Path, today: date) -> int:
    """Registers and advances a handful of referrals; returns how many were registered."""
    from loyalty_desk.services.context import ServiceContext
    from loyalty_desk.services.earning.service import EarningService
    from loyalty_desk.services.handlers import operation_runner
    from loyalty_desk.services.referrals.service import ReferralService
    from loyalty_desk.services.settings import SettingsService
    from loyalty_desk.store.db import Database
    from loyalty_desk.store.uow import uow_factory

    database = Database.open_local(data_dir)
    try:
        factory = uow_factory(database)
        clock = _Clock(datetime.combine(today - timedelta(days=75), time(2, 0)))
        context = ServiceContext(uow=factory, settings=SettingsService(factory, clock), desk_name="demo", clock=clock)
        service = ReferralService(context, operation_runner(context))
        earning = EarningService(context)
        service.assign_missing_codes(actor=Actor("system", "demo"))
        with factory() as uow:
            officer = _session(uow, DEMO_OFFICER, context.keyring)
            if officer is None:
                return 0
            branch = uow.reference.branch_by_code(officer.branch_code)
            assert branch is not None
            referrers = [(m.member_no, m.referral_code) for m in uow.referrals.top_members(branch.id, 3) if m.referral_code is not None]
        if not referrers:
            return 0
        feed = Actor("system", "demo:feed")
        registered = 0
        serial = 0

        def register(code: str, name: str, address: str, *, mobile: str | None = None) -> RegistrationOutcome:
            nonlocal serial, registered
            serial += 1
            outcome = service.register(
                operation_id=service.new_operation_id(), session=officer, code=code, name=name, id_type="resident_id",
                id_number=make_resident_id("110105", date(1986, 1, 1) + timedelta(days=131 * serial), 600 + serial),
                mobile=mobile or f"137{(serial * 7331) % 10**4:04d}{(serial * 13) % 10**4:04d}",
                address=address.format(n=10 + serial),
            )
            registered += 1
            return outcome

        def txn(member_no: str, on: date, source: Source, amount: str, tag: str) -> EarningTxn:
            return EarningTxn(txn_id=f"DEMO-REF-{tag}", member_no=member_no, occurred_on=on, source=source,
                              amount=Decimal(amount), product="FIN-STD" if source is Source.FINANCING else "")

        top_no, top_code = referrers[0]
        # 75 days ago: two referees of the top member; both qualify, one by financing, one by card
        a = register(top_code, *REFEREES[0])
        b = register(top_code, *REFEREES[1])
        start = clock.now.date()
        earning.post(txns=[txn(a.referee_no, start + timedelta(days=8), Source.FINANCING, "300000.00", "A1")], origin="demo", actor=feed)
        earning.post(txns=[txn(b.referee_no, start + timedelta(days=3), Source.CARD_APPROVED, "0", "B1"),
                           txn(b.referee_no, start + timedelta(days=12), Source.CARD_SPEND, "860.00", "B2")], origin="demo", actor=feed)
        # 50 days ago: a's own referee (second level for the top member), qualified by financing
        clock.now = datetime.combine(today - timedelta(days=50), time(3, 0))
        c = register(a.referee_code, *REFEREES[2])
        earning.post(txns=[txn(c.referee_no, today - timedelta(days=45), Source.FINANCING, "120000.00", "C1")], origin="demo", actor=feed)
        # 20 days ago: qualified, rewards still pending
        clock.now = datetime.combine(today - timedelta(days=20), time(3, 0))
        d = register(top_code, *REFEREES[3])
        earning.post(txns=[txn(d.referee_no, today - timedelta(days=15), Source.FINANCING, "150000.00", "D1")], origin="demo", actor=feed)
        # today: registered, and two flagged ones (the referrer's number block; the same address twice)
        clock.now = datetime.combine(today, time(2, 0))
        register(top_code, *REFEREES[4])
        with factory() as uow:
            top_member = uow.members.by_no(top_no)
            assert top_member is not None and top_member.mobile is not None
            top_mobile = top_member.mobile
        register(top_code, *REFEREES[5], mobile=top_mobile[:7] + "0417")
        shared = "北京市朝阳区望京街{n}号9栋1单元1101室"
        register(top_code, REFEREES[6][0], shared.replace("{n}", "8"))
        if len(referrers) > 1:
            register(referrers[1][1], REFEREES[7][0], shared.replace("{n}", "8"))
        service.sweep(as_of=today, actor=Actor("system", "demo"))
        return registered
    finally:
        database.dispose()
