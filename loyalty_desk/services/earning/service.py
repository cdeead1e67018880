"""Posting earned points from transaction feeds, immediate tier upgrades, and the monthly tier review."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from loyalty_desk.domain import tiers as tier_rules
from loyalty_desk.domain.earning import (
    JOURNEY_KINDS,
    JOURNEY_RULES,
    Award,
    Campaign,
    EarningContext,
    EarningTxn,
    compute_earning,
    spend_within,
    stored_decimal,
)
from loyalty_desk.domain.member_care import MemberStatus
from loyalty_desk.domain.rules import TIER_ORDER, RuleSettings, Source, Tier
from loyalty_desk.domain.tier_overrides import OverrideStatus
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext, refuse_local_job
from loyalty_desk.services.earning.dto import EarningCounts, TierReviewReport
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.members.records import qualifying_earnings
from loyalty_desk.services.referrals import qualification as referral_hook
from loyalty_desk.services.segments.service import in_segment
from loyalty_desk.services.tier_changes import TierChangeReason, change_tier
from loyalty_desk.services.tier_overrides import end_due_overrides
from loyalty_desk.store.models import Campaign as CampaignRow
from loyalty_desk.store.models import EarningTxn as EarningTxnRow
from loyalty_desk.store.models import Member
from loyalty_desk.store.uow import UnitOfWork

# Every key the domain gives an award of one transaction (``Award.key``).
TIER_REVIEW_JOB = "tier_review"

E = TypeVar("E", bound=StrEnum)


def review_month(as_of: date) -> str:
    """The ``job_run`` key of the monthly tier review: one run per calendar month."""
    return f"{as_of.year:04d}-{as_of.month:02d}"


def txn_digest(txn: EarningTxn) -> str:
    """Of the transaction's content: the same id arriving again with other data is refused."""
    content = "|".join(
        str(value)
        for value in (txn.txn_id, txn.member_no, txn.occurred_on, txn.source.value, txn.amount, txn.product, txn.due_date, txn.original_txn_id,
                      *((txn.applied_on,) if txn.applied_on is not None else ()))  # the digests of rows without it stay as they were
    )
    return hashlib.sha256(content.encode()).hexdigest()


def entry_uid_for(txn_id: str, key: str) -> str:
    return f"txn:{txn_id}:{key}"


def _known(kind: type[E], values: Sequence[str] | None) -> frozenset[E]:
    """The values that name a member of ``kind``; any other is passed over."""
    found: set[E] = set()
    for value in values or ():
        try:
            found.add(kind(value))
        except ValueError:
            continue
    return frozenset(found)


def _domain_campaign(row: CampaignRow, member_spent: int = 0) -> Campaign:
    return Campaign(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        sources=_known(Source, row.sources),
        tiers=_known(Tier, row.tiers),
        multiplier=stored_decimal(row.multiplier),
        budget_points=int(row.budget_points),
        spent_points=int(row.spent_points or 0),
        kind=row.kind or "multiplier",
        bonus_points=int(row.bonus_points or 0),
        branches=frozenset(row.branches or ()),
        member_cap=int(row.member_cap) if row.member_cap is not None else None,
        member_spent=member_spent,
        stacking=row.stacking or "best",
        within_days=int(row.within_days) if row.within_days is not None else None,
        target_cny=Decimal(int(row.target_cny)) if row.target_cny is not None else None,
    )


class EarningService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    # ------------------------------------------------------------------ posting

    def post(self, *, txns: Sequence[EarningTxn], origin: str, actor: Actor) -> EarningCounts:
        """Posts ``txns`` in one transaction, each member's in date order (ties: given order)."""
        with self._context.uow(write=True) as uow:
            counts = self.post_in(uow, txns=txns, origin=origin, actor=actor)
            uow.commit()
            return counts

    def post_in(self, uow: UnitOfWork, *, txns: Sequence[EarningTxn], origin: str, actor: Actor) -> EarningCounts:
        """Like ``post`` inside the caller's unit of work (the caller commits)."""
        calendar = self._context.rule_calendar()  # each transaction earns by the rules in force on its own date
        now = self._context.clock()
        ledgers: dict[int, Ledger] = {}
        member_ids = uow.earning.member_ids_by_no(txn.member_no for txn in txns)
        referees = referral_hook.referee_ids_to_watch(uow, member_ids.values())  # open referrals in this batch
        locked: dict[int, Member] = {}
        posted = already = points = no_points = upgrades = shortfall_total = 0
        unknown: list[str] = []
        posted_before = uow.earning.txn_digests([txn.txn_id for txn in txns])
        conflicting: list[str] = []
        ordered = sorted(enumerate(txns), key=lambda pair: (pair[1].occurred_on, pair[0]))
        for _, txn in ordered:
            member_id = member_ids.get(txn.member_no)
            if member_id is None:
                unknown.append(txn.txn_id)
                continue
            digest = txn_digest(txn)
            if txn.txn_id in posted_before:
                if posted_before[txn.txn_id] == digest:
                    already += 1
                else:
                    conflicting.append(txn.txn_id)
                continue
            posted_before[txn.txn_id] = digest
            member = locked.get(member_id)
            if member is None:
                member = uow.members.lock(member_id)
                assert member is not None
                locked[member_id] = member
            settings = calendar.on(txn.occurred_on)
            ledger = ledgers.setdefault(id(settings), Ledger(uow, settings, now))
            if member.status == MemberStatus.CLOSED:  # a closed account earns nothing: the transaction is kept, without points
                txn_points, shortfall = None, 0
            else:
                txn_points, shortfall = self._post_one(uow, ledger, settings, member, txn, origin, actor)
            uow.earning.add_txn(
                EarningTxnRow(
                    txn_id=txn.txn_id, member_id=member_id, source=txn.source.value, occurred_on=txn.occurred_on,
                    amount=str(txn.amount), product=txn.product, digest=digest, origin=origin[:120], posted_at=now,
                    points=txn_points or 0,
                )
            )
            if member_id in referees and member.status != MemberStatus.CLOSED:  # the referee's qualifying event (financing, card + spend)
                referral_hook.on_transaction(uow, self._context, member, txn, now, actor)
            shortfall_total += shortfall
            if txn_points is None:
                no_points += 1
            else:
                posted += 1
                points += txn_points
                if self._upgrade_if_reached(uow, ledger, settings, member, txn, actor):
                    upgrades += 1
        return EarningCounts(posted, already, points, no_points, tuple(unknown), upgrades, shortfall_total, tuple(conflicting))

    def _context_for(self, uow: UnitOfWork, settings: RuleSettings, member: Member, txn: EarningTxn) -> EarningContext:
        rules = settings.earning
        spend = Decimal(0)
        approved = member.card_approved_on
        history: tuple[tuple[Source, date, Decimal], ...] = ()
        if txn.source is Source.CARD_SPEND and approved is not None:
            history = tuple((Source(source), on, stored_decimal(amount)) for source, on, amount in uow.earning.card_history(member.id, approved))
            spend = spend_within(history, approved, rules.card_spend_target_days)
        surveys = 0
        if txn.source is Source.SURVEY:
            year = txn.occurred_on.year
            surveys = uow.earning.count_entries_with_rule(
                member.id, "survey", on_or_after=date(year, 1, 1), on_or_before=date(year, 12, 31)
            )
        original: tuple[int, Decimal] | None = None
        if txn.source is Source.CARD_REFUND and txn.original_txn_id:
            original = self._refundable(uow, member, txn.original_txn_id)
        rows = [row for row in uow.reference.campaigns_active_on(txn.occurred_on)
                if row.segment_code is None or in_segment(uow, row.segment_code, member.id, txn.occurred_on)]
        given = uow.earning.campaign_given_to_member(
            member.id, [row.id for row in rows if row.member_cap is not None or row.kind in JOURNEY_KINDS]
        )
        campaigns = tuple(_domain_campaign(row, given.get(row.id, 0)) for row in rows)
        return EarningContext(
            tier=Tier(member.tier),
            card_approved_on=approved,
            first_card_bonus_given=uow.earning.has_entry_with_rule(member.id, "card_first_transaction"),
            spend_target_bonus_given=uow.earning.has_entry_with_rule(member.id, "card_spend_target"),
            card_spend_cny_since_approval=spend,
            profile_bonus_given=bool(member.profile_bonus_given)
            or uow.earning.has_entry_with_rule(member.id, "profile_completed"),
            surveys_in_year=surveys,
            original_purchase=original,
            campaigns=campaigns,
            branch_code=uow.reference.branch_code(member.branch_id) if campaigns else None,
            card_spends_since_approval=sum(1 for source, _on, _amount in history if source is Source.CARD_SPEND),
            card_history=history,
        )

    @staticmethod
    def _refundable(uow: UnitOfWork, member: Member, original_txn_id: str) -> tuple[int, Decimal] | None:
        """(points, amount) of the refunded purchase still open to clawback: earlier refunds
        of the same purchase are deducted, so several partial refunds never take back more."""
        entry = uow.ledger.entry_by_uid(entry_uid_for(original_txn_id, "base"))
        if entry is None or entry.member_id != member.id or entry.rule != "card_spend":
            return None
        points = entry.points
        amount = stored_decimal((entry.details or {}).get("amount", 0))
        for refund in uow.earning.entries_with_rules(member.id, ("card_refund",)):
            details = refund.details or {}
            if details.get("original_txn_id") == original_txn_id:
                points -= int(details.get("clawback", -refund.points))
                amount -= stored_decimal(details.get("amount", 0))
        return max(points, 0), max(amount, Decimal(0))

    def _post_one(
        self,
        uow: UnitOfWork,
        ledger: Ledger,
        settings: RuleSettings,
        member: Member,
        txn: EarningTxn,
        origin: str,
        actor: Actor,
    ) -> tuple[int | None, int]:
        """Posts one transaction's awards: (net points or None when it earns nothing, clawback shortfall)."""
        if txn.source is Source.CARD_APPROVED:
            if member.card_approved_on is not None:  # the card was approved already: nothing more
                return None, 0
            outcome = compute_earning(txn, self._context_for(uow, settings, member, txn), settings)  # card-journey campaigns
            member.card_approved_on = txn.occurred_on
            member.card_applied_on = txn.applied_on
            record(
                uow, actor, "member.card_approved", entity="member", entity_id=str(member.id),
                member_no=member.member_no, after={"card_approved_on": txn.occurred_on.isoformat(),
                                                   "card_applied_on": txn.applied_on.isoformat() if txn.applied_on else None},
                details={"txn_id": txn.txn_id, "origin": origin}, now=self._context.clock(),
            )
        else:
            outcome = compute_earning(txn, self._context_for(uow, settings, member, txn), settings)
        if not outcome.awards:
            return None, 0
        net = 0
        shortfall_total = 0
        for award in outcome.awards:
            posted, shortfall = self._post_award(uow, ledger, member, txn, award, origin)
            net += posted
            shortfall_total += shortfall
        if txn.source is Source.PROFILE_COMPLETED:
            member.profile_bonus_given = True
        return net, shortfall_total

    def _post_award(
        self, uow: UnitOfWork, ledger: Ledger, member: Member, txn: EarningTxn, award: Award, origin: str
    ) -> tuple[int, int]:
        if award.campaign_code and award.campaign_extra_points > 0:
            award = self._claimed(uow, member, award)
            if award.points == 0:
                return 0, 0
        details: dict[str, Any] = {
            "source": txn.source.value,
            "amount": str(txn.amount),
            "product": txn.product,
            "multiplier": str(award.multiplier),
            "origin": origin,
        }
        if award.campaign_code:
            details["campaign_extra_points"] = award.campaign_extra_points
        if txn.original_txn_id:
            details["original_txn_id"] = txn.original_txn_id
        posting_kind = "earn" if award.points > 0 else "clawback"
        if award.points < 0:
            wanted = -award.points
            in_lots = sum(lot.remaining for lot in ledger.open_lots(member))
            # Never into points held by pending operations (available balance stays >= 0).
            taken = max(min(wanted, in_lots, member.posted_balance - member.held_points), 0)
            details["clawback"] = wanted
            details["shortfall"] = wanted - taken
            if taken == 0:
                return 0, wanted
            posting = self._posting(txn, award, posting_kind, details)
            ledger.debit(member, posting, taken)
            return -taken, wanted - taken
        posting = self._posting(txn, award, posting_kind, details)
        ledger.credit(member, posting, award.points, qualifying=award.qualifying)
        return award.points, 0

    @staticmethod
    def _claimed(uow: UnitOfWork, member: Member, award: Award) -> Award:
        """The award with its campaign's extra points cut to what the campaign's budget and per-member
        cap still grant, claimed under the campaign's row lock; without any, the award loses the campaign
        (a base award keeps its tier points, a campaign's own award is nothing)."""
        assert award.campaign_code is not None
        granted = uow.earning.claim_campaign_points(award.campaign_code, member.id, award.campaign_extra_points,
                                                    once=award.rule in JOURNEY_RULES)
        if granted == award.campaign_extra_points:
            return award
        without = award.points - award.campaign_extra_points
        if granted == 0:
            if award.key != "base":
                return replace(award, points=0, campaign_code=None, campaign_extra_points=0)
            return replace(award, points=without, campaign_code=None, campaign_extra_points=0, multiplier=award.tier_multiplier)
        return replace(award, points=without + granted, campaign_extra_points=granted)

    @staticmethod
    def _posting(txn: EarningTxn, award: Award, kind: str, details: dict[str, Any]) -> Posting:
        return Posting(
            entry_uid=entry_uid_for(txn.txn_id, award.key),
            kind=kind,
            rule=award.rule,
            occurred_on=txn.occurred_on,
            reference=txn.txn_id,
            campaign_code=award.campaign_code,
            details=details,
        )

    # ------------------------------------------------------------------ tiers

    def _qualifying(self, uow: UnitOfWork, settings: RuleSettings, member: Member, as_of: date) -> int:
        earnings = qualifying_earnings(uow, member, as_of, settings)
        return tier_rules.qualifying_points(earnings, as_of, settings.tiers.qualifying_window_months)

    def _upgrade_if_reached(self, uow: UnitOfWork, ledger: Ledger, settings: RuleSettings, member: Member, txn: EarningTxn, actor: Actor) -> bool:
        current = Tier(member.tier)
        if current is TIER_ORDER[-1]:
            return False
        qualifying = self._qualifying(uow, settings, member, txn.occurred_on)
        new = tier_rules.apply_upgrade(current, qualifying, settings)
        if new is current:
            return False
        change_tier(
            uow, ledger, member, new, reason=TierChangeReason.POINTS_REACHED, cause=f"txn:{txn.txn_id}", occurred_on=txn.occurred_on,
            actor=actor, now=self._context.clock(), details={"qualifying_points": qualifying},
        )
        return True

    def review_tiers(self, *, as_of: date, actor: Actor | None = None) -> TierReviewReport:
        """The monthly review (at most one level down, never within the protection period after
        an upgrade; with the downgrade grace, a first shortfall warns and the next review downgrades,
        ``domain.tiers.review_with_grace``). One run per calendar month, in one transaction: a rerun
        changes nothing."""
        refuse_local_job(self._context, "tiers review")
        end_due_overrides(self._context, as_of=as_of)  # their members are reviewed on the tier they go back to
        actor = actor or self._context.system_actor(TIER_REVIEW_JOB)
        settings = self._context.rules_on(as_of)
        month = review_month(as_of)
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            run = uow.reference.claim_job_run(TIER_REVIEW_JOB, month, now)  # a concurrent run waits, then finds it finished
            if run.finished_at is not None:
                return TierReviewReport(month, 0, 0, 0, True)
            reviewed = downgraded = upgraded = warned = 0
            ledger = Ledger(uow, settings, now)
            above_standard = [tier.value for tier in TIER_ORDER[1:]]
            overridden = uow.tier_overrides.member_ids_with_status(OverrideStatus.APPROVED.value)  # a manual tier in force
            for member_id in uow.earning.member_ids_in_tiers(above_standard):
                if member_id in overridden:
                    continue
                member = uow.members.lock(member_id)
                assert member is not None
                reviewed += 1
                current = Tier(member.tier)
                qualifying = self._qualifying(uow, settings, member, as_of)
                decision = tier_rules.review_with_grace(current, member.last_upgrade_on, member.tier_warned_on, qualifying, as_of, settings)
                details = {"qualifying_points": qualifying, "review": month}
                if decision.tier is current:
                    if decision.warned_on != member.tier_warned_on:
                        if decision.warned_on is not None:
                            warned += 1
                        self._set_warning(uow, member, decision.warned_on, current, actor, now, details)
                    continue
                if decision.tier.rank > current.rank:
                    upgraded += 1
                else:
                    downgraded += 1
                change_tier(
                    uow, ledger, member, decision.tier, reason=TierChangeReason.MONTHLY_REVIEW, cause=f"review:{month}", occurred_on=as_of,
                    actor=actor, now=now, details=details,
                )
            result = {"reviewed": reviewed, "downgraded": downgraded, "upgraded": upgraded, "warned": warned}
            run.finished_at = now
            run.result = result
            record(uow, actor, "job.tier_review", entity="job_run", entity_id=month, details=result, now=now)
            uow.commit()
            return TierReviewReport(month, reviewed, downgraded, upgraded, False, warned)

    @staticmethod
    def _set_warning(
        uow: UnitOfWork, member: Member, warned_on: date | None, tier: Tier, actor: Actor, now: datetime, details: dict[str, Any]
    ) -> None:
        """Gives (``warned_on``) or lifts (None) the member's downgrade warning, with its audit row."""
        action = "member.tier_warning" if warned_on is not None else "member.tier_warning_lifted"
        before = {"tier_warned_on": member.tier_warned_on.isoformat() if member.tier_warned_on else None}
        member.tier_warned_on = warned_on
        if warned_on is not None:
            details = {**details, "downgrade_to": TIER_ORDER[tier.rank - 1].value}
        record(
            uow, actor, action, entity="member", entity_id=str(member.id), member_no=member.member_no, before=before,
            after={"tier": tier.value, "tier_warned_on": warned_on.isoformat() if warned_on else None}, details=details, now=now,
        )
