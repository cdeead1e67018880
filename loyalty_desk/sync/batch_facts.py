"""What the applier's batch reads once, up front, for its operations' rules (``sync/batch.py``
holds it in ``BatchState``; ``sync/batch_repositories.py`` answers the handlers from it): the batch's
operations and its members' open lots and redemptions (the redemption limits), its referral
registrations' referrers, identities and referral history, and the targets of its reversals,
adjustment decisions and exception decisions, one statement a kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, or_, select, text
from sqlalchemy.orm import Session

from loyalty_desk.store.models import (
    AdjustmentApproval,
    AdjustmentRequest,
    LedgerEntry,
    Lot,
    LotMovement,
    Member,
    Operation,
    Redemption,
    Referral,
    ReferralReward,
    Staff,
    SyncException,
)

if TYPE_CHECKING:
    from loyalty_desk.sync.batch import BatchState


def preload_members(session: Session, operation_ids: list[str], state: BatchState, now: datetime) -> None:
    """The batch's operations that exist already (replays), its members' open lots and their
    redemptions since the start of the year (or of the last week, whichever is earlier: the
    redemption limits' month, 24 hours and year), one statement each."""
    state.operations = dict.fromkeys(operation_ids)
    state.operations.update((op.id, op) for op in session.scalars(select(Operation).where(Operation.id.in_(operation_ids))))
    if state.members:
        state.open_lots = {member_id: [] for member_id in state.members}
        for lot in session.scalars(select(Lot).where(Lot.member_id.in_(list(state.members)), Lot.remaining > 0)):
            state.open_lots[lot.member_id].append(lot)
        since = min(datetime(now.year, 1, 1), now - timedelta(days=7))
        state.redemptions = {member_id: [] for member_id in state.members}
        state.redemptions_since = since
        query = select(Redemption).where(
            Redemption.member_id.in_(list(state.members)), Redemption.redeemed_at >= since, Redemption.reversed_at.is_(None)
        )
        for redemption in session.scalars(query):
            state.redemptions[redemption.member_id].append(redemption)



class ReferralFacts:
    """What the batch's referral registrations ask about their referrers and referees, read in one
    statement each at the start of the batch (``preload_referrals``): each referrer's own referral
    (``parent_of``), its referrals since ``since`` and those of the referees' addresses
    (``comparable``), its rewards since ``rewards_from`` (the yearly cap), and the members sharing a
    referee's identity number or mobile (``members_with``). Referrals and members the batch adds
    join them; a change the batch makes to a row that would change an answer (``BatchState.changed``)
    sends the question back to the database."""

    def __init__(self) -> None:
        self.referrers: set[int] = set()
        self.since = date.max
        self.address_keys: set[str] = set()
        self.referrals: dict[int, Referral] = {}
        self.referees: dict[int, Member] = {}
        self.rewards_from = date.max
        self.rewards: dict[int, list[date]] = {}  # referrer -> qualifying dates of its live rewards
        self.id_numbers: set[str] = set()
        self.mobiles: set[str] = set()
        self.identities: dict[int, Member] = {}
        self.staff: dict[str, Staff | None] = {}  # a referrer's identity number -> the active staff member holding it


# Column types COPY takes as they are (JSON goes through psycopg's Json); a table with any other type stays with the flush.


def preload_referrals(session: Session, state: BatchState, registrations: list[tuple[str, str | None, str | None, str | None, date]]) -> None:
    """The facts of the batch's referral registrations (code, identity number, mobile, address key,
    business day each), one statement a kind: the referrers are locked up front (SKIP LOCKED: one
    another applier holds is locked by its operation when it comes to it) and their referral history
    read with the members sharing the referees' identities."""
    codes = sorted({code for code, *_ in registrations})
    if not codes:
        return
    query = select(Member).where(Member.referral_code.in_(codes)).order_by(Member.id).with_for_update(skip_locked=True)
    referrers = list(session.scalars(query.execution_options(populate_existing=True)))
    for member in referrers:
        state.members[member.id] = member
        state.numbers[member.member_no] = member.id
        state.codes[member.referral_code or ""] = member.id
    facts = ReferralFacts()
    facts.referrers = {m.id for m in referrers}
    earliest = min(day for *_, day in registrations)
    facts.since = earliest - timedelta(days=366)
    facts.rewards_from = date(earliest.year, 1, 1)
    facts.address_keys = {key for _, _, _, key, _ in registrations if key}
    facts.id_numbers = {n for _, n, _, _, _ in registrations if n}
    facts.mobiles = {m for _, _, m, _, _ in registrations if m}
    ids = sorted(facts.referrers)
    history = (Referral.referee_member_id.in_(ids)) | ((Referral.referrer_member_id.in_(ids)) & (Referral.registered_on >= facts.since))
    if facts.address_keys:
        history = history | Referral.referee_address_key.in_(sorted(facts.address_keys))
    for referral, referee in session.execute(select(Referral, Member).join(Member, Member.id == Referral.referee_member_id).where(history)):
        facts.referrals[referral.id] = referral
        facts.referees[referee.id] = referee
    rewards = (
        select(ReferralReward.member_id, Referral.qualifying_on)
        .join(Referral, Referral.id == ReferralReward.referral_id)
        .where(ReferralReward.member_id.in_(ids), ReferralReward.role == "referrer", ReferralReward.status.in_(("pending", "posted")),
               Referral.qualifying_on >= facts.rewards_from)
    )
    for member_id, on in session.execute(rewards):
        if on is not None:
            facts.rewards.setdefault(member_id, []).append(on)
    identity = [c for c in (Member.id_number.in_(sorted(facts.id_numbers)) if facts.id_numbers else None,
                            Member.mobile.in_(sorted(facts.mobiles)) if facts.mobiles else None) if c is not None]
    if identity:
        for member in session.scalars(select(Member).where(or_(*identity))):
            facts.identities[member.id] = member
    referrer_ids = sorted({m.id_number for m in referrers if m.id_number})
    if referrer_ids:
        facts.staff = dict.fromkeys(referrer_ids)
        facts.staff.update((staff.id_number or "", staff) for staff in session.scalars(
            select(Staff).where(Staff.id_number.in_(referrer_ids), Staff.active.is_(True))))
    state.referrals = facts


def target_members(session: Session, numbers: Sequence[str], requests: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The members of the redemptions (by number) and adjustment requests (by operation id) the batch's
    reversals and decisions name, so that they are locked with the batch's other members."""
    by_number: dict[str, int] = {}
    by_request: dict[str, int] = {}
    if numbers:
        query = select(Redemption.number, Redemption.member_id).where(Redemption.number.in_(sorted(set(numbers))))
        by_number.update((number, member_id) for number, member_id in session.execute(query))
    if requests:
        asked = select(AdjustmentRequest.operation_id, AdjustmentRequest.member_id).where(AdjustmentRequest.operation_id.in_(sorted(set(requests))))
        by_request.update((operation_id, member_id) for operation_id, member_id in session.execute(asked))
    return by_number, by_request


def preload_targets(session: Session, state: BatchState, numbers: Sequence[str], requests: Sequence[str], rejected: Sequence[str] = ()) -> None:
    """The reversals' redemptions with their ledger entries, lot movements, lots and any reversal, the
    decisions' requests with their decisions, and head office's decisions already recorded on the
    rejected operations the resolutions name, one statement each; only those whose member this batch
    holds locked (anything else is read by its operation as it comes)."""
    held = set(state.members)
    if rejected:
        state.exceptions = dict.fromkeys(rejected)
        state.exceptions.update((row.operation_id, row) for row in session.scalars(
            select(SyncException).where(SyncException.operation_id.in_(sorted(set(rejected))))))
    if numbers:
        query = select(Redemption).where(Redemption.number.in_(sorted(set(numbers))), Redemption.member_id.in_(sorted(held)))
        redemptions = list(session.scalars(query.execution_options(populate_existing=True)))
        state.redemptions_by_number = {r.number: r for r in redemptions}
        missing = set(numbers) - set(state.redemptions_by_number)
        if missing:
            # a reversal of a redemption central never made is then refused without a query (which would flush the batch's rows)
            state.absent_redemptions = missing - set(session.scalars(select(Redemption.number).where(Redemption.number.in_(sorted(missing)))))
        entry_ids = sorted({r.entry_id for r in redemptions})
        if entry_ids:
            list(session.scalars(select(LedgerEntry).where(LedgerEntry.id.in_(entry_ids))))  # into the session: ``entry`` is a get
            state.reversals = dict.fromkeys(entry_ids)
            for reversal in session.scalars(select(LedgerEntry).where(LedgerEntry.reverses_entry_id.in_(entry_ids))):
                state.reversals[reversal.reverses_entry_id or 0] = reversal
            state.movements = {entry_id: [] for entry_id in entry_ids}
            for movement in session.scalars(select(LotMovement).where(LotMovement.entry_id.in_(entry_ids)).order_by(LotMovement.id)):
                state.movements[movement.entry_id].append(movement)
            lot_ids = sorted({m.lot_id for moved in state.movements.values() for m in moved})
            if lot_ids:
                list(session.scalars(select(Lot).where(Lot.id.in_(lot_ids)).execution_options(populate_existing=True)))
    if requests:
        asked = select(AdjustmentRequest).where(AdjustmentRequest.operation_id.in_(sorted(set(requests))),
                                                AdjustmentRequest.member_id.in_(sorted(held)))
        found = list(session.scalars(asked.execution_options(populate_existing=True)))
        state.requests = {r.operation_id: r for r in found}
        state.approvals = {r.id: [] for r in found}
        if found:
            decided = select(AdjustmentApproval).where(AdjustmentApproval.request_id.in_(sorted(state.approvals))).order_by(AdjustmentApproval.id)
            for approval in session.scalars(decided.execution_options(populate_existing=True)):
                state.approvals[approval.request_id].append(approval)


def take_member_serials(engine: Engine, wanted: int) -> list[int]:
    """``wanted`` new member serials from central's sequence, in a transaction of their own: the
    numbering's lock (``ld_member_serials``) is held for that short transaction, not for the batch,
    so appliers side by side do not take turns. A number the batch does not use is never given again
    (the sequence's holes, as a rolled-back transaction leaves)."""
    if wanted < 1:
        return []
    with engine.begin() as connection:
        first = int(connection.execute(text("SELECT ld_member_serials(:n)"), {"n": wanted}).scalar_one())
    return list(range(first, first + wanted))
