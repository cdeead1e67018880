"""The member view: balance, holds, tier progress, expiring points, lots, history, and the
audited reveal of a member's full ID number and mobile."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from loyalty_desk.domain import tiers as tier_rules
from loyalty_desk.domain.card_journey import CardJourney, card_journey
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.identity import mask_card, mask_id, mask_mobile, mask_name, validate_member_no
from loyalty_desk.domain.lots import OpenLot, available_balance, expiring_within
from loyalty_desk.domain.rules import RuleSettings, Tier
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.members.dto import (
    ExpiringPoints,
    FreezeView,
    HistoryEntry,
    HistoryFilter,
    HistoryPage,
    LotView,
    MemberView,
    RevealedIdentity,
    TierProgressView,
)
from loyalty_desk.services.members.records import member_or_fail, tier_progress_of
from loyalty_desk.store.models import Member
from loyalty_desk.store.repositories.lookup import HistoryRow
from loyalty_desk.store.uow import UnitOfWork

REVEAL_REASON_MIN_LENGTH = 5
HISTORY_MAX_PAGE = 500

# Kinds whose rule names what the line was for (earn.card_spend, referral.referrer ...).
_KINDS_DESCRIBED_BY_RULE = frozenset({"earn", "clawback", "referral", "adjust", "tier"})
# Entry details worth showing on the line, as description parameters.
_DETAIL_PARAMS = (
    "reason_code", "reward_code", "reward_name", "quantity", "multiplier", "original_txn_id", "redemption_no", "from_tier", "to_tier",
)


class MemberService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def view(self, *, member_no: str, as_of: date | None = None) -> MemberView:
        member_no = validate_member_no(member_no)
        as_of = as_of or self._context.today()
        settings = self._context.rules
        with self._context.uow() as uow:
            member = member_or_fail(uow, member_no)
            branch = uow.members.branch(member)
            lots = uow.ledger.lots_for_member(member.id, open_only=True)
            progress = tier_progress_of(uow, member, as_of, settings)
            due = tier_rules.downgrade_due(Tier(member.tier), member.tier_warned_on, as_of)
            open_lots = [OpenLot(lot.id, lot.earned_on, lot.expires_on, lot.remaining) for lot in lots]
            return MemberView(
                member_no=member.member_no,
                kind=member.kind,
                name=member.name,
                masked_name=mask_name(member.name),
                id_type=member.id_type,
                masked_id=mask_id(member.id_type, member.id_number),
                masked_mobile=mask_mobile(member.mobile),
                masked_card=mask_card(member.card_no) if member.card_no else None,
                status=member.status,
                branch_code=branch.code,
                branch_name_zh=branch.name_zh,
                branch_name_en=branch.name_en,
                joined_on=member.joined_on,
                posted_balance=member.posted_balance,
                held_points=member.held_points,
                available_balance=available_balance(member.posted_balance, member.held_points),
                tier=TierProgressView(
                    **progress.as_values(),
                    tier_since=member.last_upgrade_on,
                    downgrade_warned_on=member.tier_warned_on if due else None,
                    downgrade_due_on=due[0] if due else None,
                    downgrade_to=due[1].value if due else None,
                ),
                expiring=tuple(
                    ExpiringPoints(days, expiring_within(open_lots, as_of, days))
                    for days in settings.expiry.reminder_windows_days
                ),
                lots=tuple(
                    LotView(lot.id, lot.rule, lot.earned_on, lot.expires_on, lot.original, lot.remaining) for lot in lots
                ),
                referral_code=member.referral_code,
                freeze=_freeze_of(uow, member),
                card_journey=_card_journey_of(uow, member, as_of, settings),
            )

    def history(self, *, member_no: str, offset: int = 0, limit: int = 50, filter: HistoryFilter | None = None) -> HistoryPage:
        """One page of the member's ledger, newest first, with the total for the filter."""
        member_no = validate_member_no(member_no)
        wanted = filter or HistoryFilter()
        if offset < 0:
            raise ValidationError("history.offset", field="offset", value=offset)
        if not 1 <= limit <= HISTORY_MAX_PAGE:
            raise ValidationError("history.limit", field="limit", minimum=1, maximum=HISTORY_MAX_PAGE, actual=limit)
        if wanted.date_from and wanted.date_to and wanted.date_from > wanted.date_to:
            raise ValidationError("history.date_range", field="date_to", date_from=wanted.date_from, date_to=wanted.date_to)
        with self._context.uow() as uow:
            member = member_or_fail(uow, member_no)
            total, rows = uow.lookup.history(
                member.id,
                kinds=wanted.kinds,
                date_from=wanted.date_from,
                date_to=wanted.date_to,
                offset=offset,
                limit=limit,
            )
            rewards = uow.documents.reward_names(str((row.details or {}).get("reward_code") or "") for row in rows)
        return HistoryPage(member_no=member_no, total=total, offset=offset, rows=tuple(_history_entry(row, rewards) for row in rows))

    def reveal(self, *, session: StaffSession, member_no: str, reason: str) -> RevealedIdentity:
        """Full ID number and mobile, for any signed-in role, always with a reason and an audit row."""
        member_no = validate_member_no(member_no)
        reason = (reason or "").strip()
        if len(reason) < REVEAL_REASON_MIN_LENGTH:
            raise ValidationError("reveal.reason_required", field="reason", minimum=REVEAL_REASON_MIN_LENGTH, actual=len(reason))
        with self._context.uow(write=True) as uow:
            member = member_or_fail(uow, member_no)
            revealed = RevealedIdentity(member.member_no, member.id_type, member.id_number, member.mobile)
            record(
                uow,
                self._context.actor_of(session),
                "member.reveal",
                entity="member",
                entity_id=str(member.id),
                member_no=member.member_no,
                details={"reason": reason, "member_no": member.member_no, "fields": ["id_number", "mobile"]},
                now=self._context.clock(),
            )
            uow.commit()
        return revealed


def _freeze_of(uow: UnitOfWork, member: Member) -> FreezeView | None:
    if member.status != "frozen":
        return None
    staff = uow.staff.by_username(member.frozen_by) if member.frozen_by else None
    return FreezeView(member.freeze_reason or "", member.freeze_note or "", member.frozen_at, staff.display_name if staff else member.frozen_by)


def _history_entry(row: HistoryRow, rewards: dict[str, tuple[str, str]]) -> HistoryEntry:
    description = f"{row.kind}.{row.rule}" if row.rule and row.kind in _KINDS_DESCRIBED_BY_RULE else row.kind
    params: dict[str, str] = {}
    if row.campaign_code:
        params["campaign"] = row.campaign_code
    if row.reference:
        params["reference"] = row.reference
    details: dict[str, Any] = row.details or {}
    for key in _DETAIL_PARAMS:
        if details.get(key) is not None:
            params[key] = str(details[key])
    if details.get("qty") is not None:
        params["quantity"] = str(details["qty"])
    if details.get("number") is not None and row.kind == "reversal":
        params["redemption_no"] = str(details["number"])
    names = rewards.get(str(details.get("reward_code") or ""))
    if names:  # the reward as the statement names it, in either language
        params["reward_name_zh"], params["reward_name_en"] = names
    # The business date is what the member sees; the posting time only says when on that day.
    occurred_at = row.posted_at if row.posted_at.date() == row.occurred_on else datetime.combine(row.occurred_on, time.min)
    return HistoryEntry(
        entry_id=row.entry_id,
        occurred_at=occurred_at,
        kind=row.kind,
        source=row.rule,
        description=description,
        description_params=params,
        points=row.points,
        balance_after=row.balance_after,
        reference=row.reference,
        branch_code=row.branch_code,
        operation_id=row.operation_id,
    )


def _card_journey_of(uow: UnitOfWork, member: Member, as_of: date, settings: RuleSettings) -> CardJourney | None:
    """The card journey once the card is approved (the import's card_approved row; its applied_on the application)."""
    approved = member.card_approved_on
    if approved is None:
        return None
    deadline = approved + timedelta(days=settings.earning.card_spend_target_days)
    spend = Decimal(0)
    for source, amount in uow.earning.card_amounts(member.id, on_or_after=approved, on_or_before=min(deadline, as_of)):
        spend += -Decimal(amount) if source == "card_refund" else Decimal(amount)
    first = uow.earning.first_entry_on(member.id, "card_first_transaction")
    reached = uow.earning.first_entry_on(member.id, "card_spend_target")
    return card_journey(applied_on=member.card_applied_on, approved_on=approved, first_transaction_on=first[0] if first else None,
                        spend_cny=spend, spend_target_reached_on=reached[0] if reached else None, today=as_of, settings=settings)
