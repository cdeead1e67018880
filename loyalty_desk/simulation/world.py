"""What a simulation run puts into the staging central before its desks start.

Every name the run writes starts with its prefix (``sim`` and six hex digits unless given), so runs
never meet: per region one branch of a region of its own, an officer and two supervisors (the second
supervisor approves what the first cannot: the maker never approves), members with points and a
referral code, and one desk login per desk. The demo catalogue is put in when central has none.

Staff passwords are made for the run and kept in memory only; their hashes and keys use the light
argon2id profile ``services.passwords.SIMULATION`` (t=1, 8 MiB), which the run switches on for its
desks' sign-ins too (``run.simulate``), so two hundred desks sign their staff in within seconds. That
profile is the simulation's own: real accounts keep ``PRODUCTION`` (``services/passwords.py``,
``services/signing.py``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text

from loyalty_desk.domain.identity import make_member_no
from loyalty_desk.domain.referrals import make_referral_code
from loyalty_desk.services.audit import SYSTEM
from loyalty_desk.services.clock import utc_now
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.passwords import SIMULATION, hash_password
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.services.signing import KdfParams
from loyalty_desk.services.staff_keys import issue_credential
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.models import Branch, Member, Reward, Staff
from loyalty_desk.store.uow import UowFactory, uow_factory
from loyalty_desk.sync.central import add_desk

SIMULATION_KDF = KdfParams(time_cost=SIMULATION.time_cost, memory_kib=SIMULATION.memory_kib, parallelism=SIMULATION.parallelism)
# Vouchers and rebates of the demo catalogue: no stock to run out at a new branch
REWARDS = ("VCH-DIDI30", "CASH-RBT20", "VCH-STARBUCKS", "VCH-MOBILE50")
MEMBERS_PER_COMMIT = 500

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Region:
    index: int
    branch_code: str
    members: tuple[str, ...]
    referral_codes: tuple[str, ...]
    officer: str
    supervisors: tuple[str, str]


@dataclass(frozen=True)
class SimulatedDesk:
    name: str
    region: int
    url: str  # the desk's login URL (central's, or the pooler's in front of it)


@dataclass(frozen=True)
class World:
    prefix: str
    password: str
    regions: tuple[Region, ...]
    desks: tuple[SimulatedDesk, ...]
    rewards: tuple[str, ...]


def chinese_numerals(number: int) -> str:
    """A serial in a name, in Chinese numerals (a person's name is written in one script)."""
    return "".join("零一二三四五六七八九"[int(digit)] for digit in str(number))


def new_prefix() -> str:
    return f"sim{secrets.token_hex(3)}"


def build_world(
    url: str, *, prefix: str, desks: int, desks_per_region: int, members_per_desk: int, balance: int, desk_url: str | None = None,
    progress: Progress | None = None,
) -> World:
    """The run's regions, staff, members and desk logins at central (``url``, its owner); desks log in through ``desk_url``."""
    say = progress or (lambda message: None)
    password = secrets.token_urlsafe(18)
    regions_wanted = -(-desks // desks_per_region)
    database = Database(url)
    try:
        factory = uow_factory(database)
        settings = SettingsService(factory)
        settings.seed_defaults(SYSTEM)
        now = utc_now()
        with factory(write=True) as uow:
            session = uow.ledger.session
            if session.scalar(select(Reward.id).where(Reward.code == REWARDS[0])) is None:
                from loyalty_desk.demo.catalogue import seed_catalogue

                seed_catalogue(uow, now.date())
            password_hash = hash_password(password, profile=SIMULATION)
            branches: list[tuple[int, str]] = []
            staff_names: list[tuple[str, tuple[str, str]]] = []
            for r in range(regions_wanted):
                code = f"{prefix.upper()[:11]}R{r:03d}"
                branch = uow.reference.add_branch(
                    Branch(code=code, name_zh=f"模拟支行 {r}", name_en=f"Simulated branch {r}", is_head_office=False, region=f"{prefix}_r{r}")
                )
                names = (f"{prefix}_r{r}_off", (f"{prefix}_r{r}_sup_a", f"{prefix}_r{r}_sup_b"))
                for username, role in ((names[0], "officer"), (names[1][0], "supervisor"), (names[1][1], "supervisor")):
                    staff = uow.staff.add(Staff(username=username, display_name=username, role=role, branch_id=branch.id, created_at=now))
                    issue_credential(uow, staff, password, now, password_hash=password_hash, kdf=SIMULATION_KDF)
                branches.append((branch.id, code))
                staff_names.append(names)
            uow.commit()
        say(f"{regions_wanted} region(s), {3 * regions_wanted} staff")
        members_of = [min(desks_per_region, desks - r * desks_per_region) * members_per_desk for r in range(regions_wanted)]
        first = _member_serials(url, sum(members_of))
        regions: list[Region] = []
        serial = first
        for r, ((branch_id, code), names) in enumerate(zip(branches, staff_names, strict=True)):
            serials = list(range(serial, serial + members_of[r]))
            serial += members_of[r]
            _add_members(factory, settings, serials, branch_id, prefix, balance, now)
            regions.append(Region(r, code, tuple(make_member_no(s) for s in serials), tuple(make_referral_code(s) for s in serials), names[0], names[1]))
            say(f"region {r}: {len(serials)} member(s)")
    finally:
        database.dispose()
    engine = make_engine(url, pool_size=1)
    made: list[SimulatedDesk] = []
    try:
        for i in range(desks):
            region = regions[i // desks_per_region]
            name = f"{prefix}_{region.index}_{i}"
            credentials = add_desk(engine, name, branch_code=region.branch_code)
            made.append(SimulatedDesk(name, region.index, credentials.url(desk_url or url)))
    finally:
        engine.dispose()
    say(f"{desks} desk login(s)")
    return World(prefix, password, tuple(regions), tuple(made), REWARDS)


def _member_serials(url: str, count: int) -> int:
    """The first of ``count`` serials taken from central's member-number sequence (none other will get them)."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as connection:
            first = 0
            for start in range(0, count, 100_000):
                taken = int(connection.scalar(text("SELECT ld_member_serials(:n)"), {"n": min(100_000, count - start)}))
                first = first or taken
            return first
    finally:
        engine.dispose()


def _add_members(factory: UowFactory, settings: SettingsService, serials: list[int], branch_id: int, prefix: str, balance: int, now: datetime) -> None:
    joined: date = now.date()
    for start in range(0, len(serials), MEMBERS_PER_COMMIT):
        with factory(write=True) as uow:
            ledger = Ledger(uow, settings.current(), now)
            for serial in serials[start:start + MEMBERS_PER_COMMIT]:
                member_no = make_member_no(serial)
                member = uow.members.add(
                    Member(
                        member_no=member_no, name=f"模拟会员{chinese_numerals(serial)}", name_pinyin=f"moni huiyuan {serial}", id_type="passport",
                        id_number=f"{prefix.upper()[:10]}{serial:09d}", mobile=f"1{serial % 10**10:010d}", mobile_last4=f"{serial % 10000:04d}",
                        branch_id=branch_id, joined_on=joined, created_at=now, posted_balance=0, held_points=0,
                        referral_code=make_referral_code(serial),
                    ),
                    [],
                )
                ledger.credit(member, Posting(entry_uid=f"{prefix}:seed:{member_no}", kind="earn", rule="simulation", occurred_on=joined),
                              balance, qualifying=True)
            uow.commit()
