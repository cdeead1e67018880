"""Qualification from the transaction feed: a referee's posted transactions against the open referral."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from loyalty_desk.domain import referrals as rules
from loyalty_desk.domain.earning import EarningTxn, stored_decimal
from loyalty_desk.domain.referrals import Event, RewardRole, Status
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.referrals.records import member_no_of, referral_state, year_bounds
from loyalty_desk.store.models import Member, Referral, ReferralReward
from loyalty_desk.store.uow import UnitOfWork

QUALIFY_JOB = "referrals.qualify"


# Referrals a referee's transactions still matter to: open ones (qualification) and qualified ones
# (card refunds during the pending period).
WATCHED = (Status.REGISTERED, Status.FLAGGED, Status.EXPIRED, Status.QUALIFIED)


def net_card_spend(referral: Referral, first: date, last: date) -> Decimal:
    """Card spend net of refunds the feed brought for the referee, dated ``first``..``last``.
    Kept on the referral by transaction id (spends too small to earn a point leave no ledger entry)."""
    total = Decimal(0)
    for amount, day in (referral.card_txns or {}).values():
        if first <= date.fromisoformat(day) <= last:
            total += stored_decimal(amount)
    return total


def _track_card_txn(referral: Referral, txn: EarningTxn) -> None:
    signed = -txn.amount if txn.source is Source.CARD_REFUND else txn.amount
    seen = dict(referral.card_txns or {})
    if txn.txn_id not in seen:
        seen[txn.txn_id] = [str(signed), txn.occurred_on.isoformat()]
        referral.card_txns = seen  # a new dict: the JSON column sees the change


def qualify_referral(
    uow: UnitOfWork, context: ServiceContext, referral: Referral, event: Event, txn_id: str | None, event_on: date,
    now: datetime, actor: Actor,
) -> None:
    """Registered (or expired, when the event fell inside the window) -> qualified, with pending rewards."""
    settings = context.rules_on(event_on).referrals  # the rules in force on the day of the qualifying event
    before = referral_state(referral)
    referral.qualifying_event, referral.qualifying_txn_id, referral.qualifying_on = event.value, txn_id, event_on
    if referral.status == Status.FLAGGED:  # waits for a supervisor; the event is kept for the decision
        record(uow, actor, "referral.event_while_flagged", entity="referral", entity_id=referral.operation_id,
               before=before, after=referral_state(referral), details={"txn_id": txn_id}, now=now)
        return
    if not rules.in_window(referral.registered_on, event_on, settings):
        return
    first, last = year_bounds(event_on)
    counted = uow.referrals.referrer_rewards_in(referral.referrer_member_id, first, last)
    plans = rules.plan_rewards(
        event=event, has_second_level=referral.second_level_member_id is not None, referrer_rewarded_this_year=counted, settings=settings
    )
    until = rules.available_on(event_on, settings)
    members = {
        RewardRole.REFEREE: referral.referee_member_id,
        RewardRole.REFERRER: referral.referrer_member_id,
        RewardRole.SECOND_LEVEL: referral.second_level_member_id,
    }
    for plan in plans:
        member_id = members[plan.role]
        assert member_id is not None
        uow.referrals.add_reward(
            ReferralReward(referral_id=referral.id, role=plan.role.value, member_id=member_id, points=plan.points,
                           status=plan.status.value, available_on=until)
        )
    referral.status = Status.QUALIFIED.value
    referral.qualified_at = now
    referral.rewards_pending_until = until
    referral.closed_reason = None
    record(
        uow, actor, "referral.qualify", entity="referral", entity_id=referral.operation_id,
        member_no=member_no_of(uow, referral.referrer_member_id), before=before, after=referral_state(referral),
        details={"txn_id": txn_id, "rewards": [{"role": p.role.value, "points": p.points, "status": p.status.value} for p in plans]},
        now=now,
    )


def referee_ids_to_watch(uow: UnitOfWork, member_ids: Iterable[int]) -> set[int]:
    """Of ``member_ids``, the referees whose referral a transaction could still qualify (one query)."""
    return uow.referrals.referee_ids_with_status(member_ids, [s.value for s in WATCHED])


def on_transaction(uow: UnitOfWork, context: ServiceContext, member: Member, txn: EarningTxn, now: datetime, actor: Actor) -> None:
    """Called by ``EarningService.post_in`` after ``txn`` of a watched referee was posted (once per
    transaction: a re-imported transaction is skipped before this point)."""
    if txn.source not in (Source.FINANCING, Source.CARD_SPEND, Source.CARD_APPROVED, Source.CARD_REFUND):
        return
    referral = uow.referrals.for_referee(member.id)
    if referral is None or referral.status not in WATCHED:
        return
    if txn.source in (Source.CARD_SPEND, Source.CARD_REFUND):
        _track_card_txn(referral, txn)
    if referral.status not in (Status.REGISTERED, Status.FLAGGED, Status.EXPIRED) or txn.source is Source.CARD_REFUND:
        return
    if referral.status == Status.FLAGGED and referral.qualifying_on is not None:
        return  # the first qualifying event is already recorded
    settings = context.rules_on(txn.occurred_on).referrals
    registered_on = referral.registered_on
    event: Event | None = None
    if txn.source is Source.FINANCING:
        if rules.financing_qualifies(txn.amount, registered_on, txn.occurred_on, settings):
            event = Event.FINANCING
    elif rules.in_window(registered_on, txn.occurred_on, settings):
        spend = net_card_spend(referral, registered_on, rules.window_end(registered_on, settings))
        if rules.card_qualifies(member.card_approved_on, spend, registered_on, txn.occurred_on, settings):
            event = Event.CARD
    if event is None:
        return
    qualify_referral(uow, context, referral, event, txn.txn_id, txn.occurred_on, now, actor)
