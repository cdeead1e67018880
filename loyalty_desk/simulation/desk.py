"""One simulated desk: the desk's own services (``bootstrap.build_services``) over a store of its own,
joined to central with its login, its officer and two supervisors signed in, making operations
through the services a counter uses and syncing with the real sync engine.

The operations (weights in ``MIX``): a redemption (officer), a referral registration (officer), an
adjustment request (officer) or the approval of the oldest one pending at the branch (a supervisor
who is not its maker), a reversal of a redemption made here (supervisor), and a supervisor's decision
on an exception this desk holds (goods reversed). After each operation made online the desk does
what the counter does: pushes it and waits briefly for central's verdict (``SyncService.confirmation``);
every few operations a full round (push, verdicts, pull).

Going offline is a cut line: the desk's sync engine is pointed at a port nobody listens on
(``OFFLINE_URL_PORT``) and its connections dropped, so its next round fails the way an unplugged
branch's would, the desk marks itself offline and its operations are made offline (offline limits
apply). Coming back restores the login and the next round sends what waited.
"""

from __future__ import annotations

import random
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from loyalty_desk.bootstrap import Services, build_services
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.simulation.proof import DeskFacts
from loyalty_desk.simulation.world import Region, SimulatedDesk, World, chinese_numerals
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import LedgerEntry, Member, Outbox, Redemption
from loyalty_desk.sync.desk_settings import DeskSettings
from loyalty_desk.sync.desk_state import first_line
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE

OFFLINE_URL_PORT = 9  # discard: refused on loopback, so the desk's round fails at once
SYNC_EVERY = 5  # a full round after this many operations
CONFIRM_WAIT = 0.5
MIX: tuple[tuple[str, int], ...] = (("redeem", 60), ("referral", 15), ("adjustment", 15), ("reversal", 7), ("resolve", 3))
GOODWILL_POINTS = (100, 2_000)


@dataclass(frozen=True)
class TimedRedemption:
    """What the officer waited for at the counter, in seconds."""

    operation_id: str
    seconds: float  # from the start to central's verdict here (or to giving up waiting)
    here: float  # of those, making it at the desk (its own store), before the push
    push: float  # the push to central
    state: str  # confirmed, rejected, or waiting (no verdict within the wait)


@dataclass
class DeskTally:
    """What one desk did: the operations it made (id → kind), their ledger effect here when made,
    the counter's refusals by reason, and any failure the desk's code raised."""

    made: dict[str, str] = field(default_factory=dict)
    effect_here: dict[str, tuple[int, int]] = field(default_factory=dict)  # id → (entries, points)
    refused: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    tracebacks: dict[str, str] = field(default_factory=dict)  # each failure's first traceback
    offline_made: int = 0
    offline_spells: int = 0


class DeskAtCounter:
    def __init__(self, world: World, desk: SimulatedDesk, folder: Path, seed: int, *, confirmed_only: bool = False,
                 read_url: str | None = None) -> None:
        self.name = desk.name
        self.region: Region = world.regions[desk.region]
        self.folder = folder
        self.random = random.Random(seed)
        self.tally = DeskTally()
        self._settings = DeskSettings(desk.url, desk.name).with_read_url(read_url)  # read_url: the feed from a replica
        self._settings.save(folder)
        self.services: Services = build_services(folder, desk_name=desk.name)
        self._reader = Database.open_local(folder, upgrade=False)  # the simulator's own reads of the desk's store
        self._redemptions: list[tuple[str, str]] = []  # (number, operation id) of redemptions made here
        self._referees = 0
        self._offline_for = 0
        self._since_round = 0
        self._rewards = world.rewards
        self._password = world.password
        self.sessions: dict[str, StaffSession] = {}
        # False: a supervisor approves from the branch's whole queue, as the screen shows it (two desks may
        # approve one request at once), and reverses any redemption made here, even one central has not
        # returned yet; True: only requests made here and redemptions made here whose central copy the
        # feed has brought back
        self.confirmed_only = confirmed_only

    # ------------------------------------------------------------------ start and stop

    def join(self) -> None:
        """The first pull (its region's members, staff, rules, catalogue), then its staff sign in."""
        sync = self.services.sync
        assert sync.desk is not None
        sync.desk.pull()
        self.services.settings.invalidate()
        for username in (self.region.officer, *self.region.supervisors):
            self.sessions[username] = self.services.auth.sign_in(username=username, password=self._password)

    def close(self) -> None:
        self._reader.dispose()
        self.services.close()
        DeskSettings.forget(self.folder)

    # ------------------------------------------------------------------ the line to central

    @property
    def offline(self) -> bool:
        return self._offline_for > 0

    def go_offline(self, operations: int) -> None:
        """The line is cut for the desk's next ``operations`` operations."""
        engine = self.services.sync.desk
        assert engine is not None
        cut = make_url(self._settings.central_url).set(host="127.0.0.1", port=OFFLINE_URL_PORT).render_as_string(hide_password=False)
        engine.close()
        engine.settings = DeskSettings(cut, self.name)
        self._offline_for = operations
        self.tally.offline_spells += 1
        self.round()  # fails: the desk now says it is offline

    def come_back(self) -> None:
        engine = self.services.sync.desk
        assert engine is not None
        engine.close()
        engine.settings = self._settings
        self._offline_for = 0
        self.round()

    def round(self, *, wait: float = 0.0) -> dict[str, Any]:
        try:
            return self.services.sync.sync_once(wait=wait)
        except Exception as error:  # a defect of the sync engine: counted, the desk goes on
            self._failed(f"sync round: {type(error).__name__}: {first_line(error)}")
            return {"failed": str(error)}

    def settling_round(self) -> tuple[int, bool]:
        """A round while the run settles: what it moved (rows pulled, verdicts read, operations sent),
        and whether the desk is stuck (the round failed, or its pull stopped on a page)."""
        result = self.round(wait=0.5)
        pulled, pushed = result.get("pulled"), result.get("pushed")
        moved = getattr(pulled, "rows", 0) + len(result.get("outcomes", ())) + getattr(pushed, "sent", 0)
        return moved, "failed" in result or getattr(pulled, "stopped_at", None) is not None

    def _failed(self, what: str) -> None:
        self.tally.errors[what] += 1
        self.tally.tracebacks.setdefault(what, traceback.format_exc())

    # ------------------------------------------------------------------ the counter

    def serve(self, *, member_no: str | None = None, offline_chance: float = 0.0, offline_length: tuple[int, int] = (3, 15)) -> None:
        """One customer: ``member_no`` given, a redemption for that member (a burst); otherwise from the mix."""
        if self._offline_for == 0 and offline_chance and self.random.random() < offline_chance:
            self.go_offline(self.random.randint(*offline_length))
        kind = "redeem" if member_no else self._pick()
        try:
            operation_id, kind = getattr(self, f"_{kind}")(member_no)
        except DomainError as error:
            self.tally.refused[error.code] += 1
            operation_id = None
        except Exception as error:  # a defect of the desk's services: counted, the desk goes on
            self._failed(f"{kind}: {type(error).__name__}: {first_line(error)}")
            operation_id = None
        if operation_id is not None:
            self.tally.made[operation_id] = kind
            self.tally.effect_here[operation_id] = self._effect_of(operation_id)
            if self.offline:
                self.tally.offline_made += 1
            else:
                self.services.sync.confirmation(operation_id, wait=CONFIRM_WAIT)
        self._since_round += 1
        if self._offline_for:
            self._offline_for -= 1
            if self._offline_for == 0:
                self.come_back()
        elif self._since_round >= SYNC_EVERY:
            self._since_round = 0
            self.round()

    def timed_redemption(self, member_no: str, *, wait: float) -> TimedRedemption | None:
        """A redemption for ``member_no`` made online as the counter makes it, and timed as the officer
        waits for it, or None when the counter refused it."""
        started = time.perf_counter()
        try:
            operation_id, kind = self._redeem(member_no)
        except DomainError as error:
            self.tally.refused[error.code] += 1
            return None
        made = time.perf_counter()
        self.tally.made[operation_id] = kind
        self.tally.effect_here[operation_id] = self._effect_of(operation_id)
        pushing = time.perf_counter()
        engine = self.services.sync.desk
        assert engine is not None  # a simulated desk is joined
        engine.push([operation_id])  # the counter's own push, timed on its own: the confirmation then finds it sent
        pushed = time.perf_counter()
        confirmation = self.services.sync.confirmation(operation_id, wait=wait)
        answered = time.perf_counter()
        return TimedRedemption(operation_id, answered - pushing + made - started, made - started, pushed - pushing, confirmation.state)

    def _pick(self) -> str:
        return self.random.choices([k for k, _ in MIX], [w for _, w in MIX])[0]

    def _id(self) -> str:
        return str(uuid.uuid4())

    @property
    def _officer(self) -> StaffSession:
        return self.sessions[self.region.officer]

    def _redeem(self, member_no: str | None) -> tuple[str, str]:
        operation_id = self._id()
        receipt = self.services.redemption.redeem(
            operation_id=operation_id, session=self._officer, member_no=member_no or self.random.choice(self.region.members),
            reward_code=self.random.choice(self._rewards),
        )
        self._redemptions.append((receipt.number, operation_id))
        return operation_id, "redeem"

    def _referral(self, _member_no: str | None) -> tuple[str, str]:
        self._referees += 1
        serial = self.random.randrange(10**8)
        operation_id = self._id()
        self.services.referrals.register(
            operation_id=operation_id, session=self._officer, code=self.random.choice(self.region.referral_codes),
            name=f"模拟新会员{chinese_numerals(self._referees)}", id_type="passport",
            id_number=f"N{self.name.upper().replace('_', '')[-10:]}{self._referees:06d}"[:20], mobile=f"15{serial:09d}",
        )
        return operation_id, "referral"

    def _adjustment(self, _member_no: str | None) -> tuple[str, str]:
        supervisor = self.sessions[self.random.choice(self.region.supervisors)]
        pending = self.services.adjustments.queue(session=supervisor)
        decidable = [p for p in pending if p.maker_username != supervisor.username]
        if self.confirmed_only:
            decidable = [p for p in decidable if p.operation_id in self.tally.made and p.request_id < PROVISIONAL_BASE]
        operation_id = self._id()
        if decidable and self.random.random() < 0.6:
            self.services.adjustments.approve(operation_id=operation_id, request_id=decidable[-1].request_id, session=supervisor,
                                              note="checked against the branch's complaint log")
            return operation_id, "adjustment"
        self.services.adjustments.request(
            operation_id=operation_id, session=self._officer, member_no=self.random.choice(self.region.members), direction="credit",
            points=self.random.randint(*GOODWILL_POINTS), reason_code="GOODWILL", memo="goodwill for a long wait at the counter",
        )
        return operation_id, "adjustment"

    def _reversal(self, _member_no: str | None) -> tuple[str, str]:
        candidates = self._redemptions
        if self.confirmed_only:
            returned = self._returned_redemptions([number for number, _ in candidates])
            candidates = [r for r in candidates if r[0] in returned]
        if not candidates:
            return self._redeem(None)
        chosen = candidates[self.random.randrange(len(candidates))]
        self._redemptions.remove(chosen)
        number = chosen[0]
        operation_id = self._id()
        self.services.redemption.reverse(operation_id=operation_id, session=self.sessions[self.region.supervisors[0]], redemption_number=number,
                                         reason="the member changed their mind at the counter")
        return operation_id, "reversal"

    def _resolve(self, _member_no: str | None) -> tuple[str, str]:
        open_ones = self.services.sync.exceptions()
        if not open_ones:
            return self._redeem(None)
        exception = open_ones[0]
        supervisor = self.sessions[self.region.supervisors[0]]
        operation_id = self._id()
        self.services.sync.resolve(
            exception_id=exception.id, resolution="goods_reversed", actor=Actor(supervisor.username, self.name, supervisor.branch_code),
            role="supervisor", note="the member handed the goods back", operation_id=operation_id, staff_id=supervisor.staff_id,
        )
        return operation_id, "resolve"

    # ------------------------------------------------------------------ what the desk holds

    def _effect_of(self, operation_id: str) -> tuple[int, int]:
        """The ledger entries the operation wrote here when it was made, and the points they moved."""
        with self._reader.read_sessions() as session:
            entries, points = session.execute(
                select(func.count(), func.coalesce(func.sum(LedgerEntry.points), 0)).where(LedgerEntry.operation_id == operation_id)
            ).one()
            return int(entries), int(points)

    def _returned_redemptions(self, numbers: list[str]) -> set[str]:
        """Those of the redemption ``numbers`` whose row here is central's copy (the feed has brought it back)."""
        with self._reader.read_sessions() as session:
            return set(session.scalars(select(Redemption.number).where(Redemption.number.in_(numbers), Redemption.id < PROVISIONAL_BASE)))

    def waiting(self) -> int:
        return self.services.sync.status().waiting

    def outbox(self) -> dict[str, tuple[str | None, str | None]]:
        """Every operation this desk sent or still owes: id → (outcome, code)."""
        with self._session() as session:
            return {o: (outcome, code) for o, outcome, code in session.execute(select(Outbox.operation_id, Outbox.outcome, Outbox.outcome_code))}

    def exception_reasons(self) -> dict[str, str]:
        return {e.operation_id: e.reason_code for e in self.services.sync.exceptions(include_resolved=True)}

    def facts(self) -> DeskFacts:
        """What the proof counts of this desk (``proof.count``)."""
        return DeskFacts(self.name, self.tally.made, self.tally.effect_here, self.outbox(), self.exception_reasons(), self.balances())

    def balances(self) -> dict[str, tuple[int, int]]:
        with self._session() as session:
            return {no: (balance, held) for no, balance, held in session.execute(select(Member.member_no, Member.posted_balance, Member.held_points))}

    def _session(self) -> Any:
        return self._reader.read_sessions()
