"""Redemption: the reward catalogue for a member, redeeming, receipts, reversal, and catalogue admin.

A redemption and its reversal are desk operations (kinds ``redeem`` and ``redeem.reverse``)
run by the shared ``OperationRunner``: the id is made where the officer starts (the confirm
step, the command), the handler reads everything from the payload and the store, takes
``now`` from its argument, and locks the member before it checks stock, caps and balance and
posts — all in the runner's one transaction. Central runs the very same handlers.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from loyalty_desk.domain.errors import DomainError, Forbidden, NotFound, ValidationError
from loyalty_desk.domain.identity import mask_name, validate_member_no
from loyalty_desk.domain.redemption import (
    Block,
    MemberFacts,
    Reward,
    RewardCategory,
    can_reverse,
    evaluate_redemption,
    points_needed,
    redemption_number,
    sort_offers_key,
    validate_qty,
    window_start,
)
from loyalty_desk.domain.rules import RuleSettings, Tier
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import (
    BlockReason,
    RedemptionQuote,
    RedemptionReceipt,
    RedemptionReversal,
    RedemptionView,
    RewardOffer,
    StaffSession,
)
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.operations import Applied, OperationRequest, OperationRunner
from loyalty_desk.store.models import Branch, Member, Redemption, Staff
from loyalty_desk.store.models import Reward as RewardRow
from loyalty_desk.store.uow import UnitOfWork

REDEEM = "redeem"
REVERSE = "redeem.reverse"
REDEEM_ROLES = frozenset({"officer", "supervisor"})
REVERSE_ROLES = frozenset({"supervisor"})
ADMIN_ROLES = frozenset({"admin"})
REASON_MAX = 200
REWARD_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")


# ---------------------------------------------------------------------------- helpers


def _require_role(role: str, allowed: frozenset[str], action: str) -> None:
    if role not in allowed:
        raise Forbidden("auth.forbidden", role=role, action=action)


def to_domain_reward(row: RewardRow) -> Reward:
    return Reward(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        category=RewardCategory(row.category),
        points_cost=int(row.points_cost),
        cash_value=Decimal(row.cash_value),
        min_tier=Tier(row.min_tier),
        active_from=row.active_from,
        active_to=row.active_to,
        yearly_limit_per_member=row.yearly_limit_per_member,
        stock_tracked=bool(row.stock_tracked),
    )


def _month_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, 1)


def _year_start(now: datetime) -> datetime:
    return datetime(now.year, 1, 1)


def available_of(member: Member) -> int:
    return int(member.posted_balance) - int(member.held_points)


def member_facts(
    uow: UnitOfWork, member: Member, settings: RuleSettings, now: datetime, reward_id: int | None = None, *, offline: bool = False
) -> MemberFacts:
    """The member's side of the rules; ``reward_count_this_year`` is for ``reward_id`` (0 without one);
    ``offline`` adds today's redeemed points for the offline daily limit (``loyalty_desk.domain.offline``)."""
    recent = uow.redemption.times_after(member.id, window_start(now, settings.redemption.window_hours))
    units = uow.redemption.units_since(member.id, _year_start(now)) if reward_id is not None else {}
    return MemberFacts(
        status=member.status,
        tier=Tier(member.tier),
        available=available_of(member),
        redeemed_this_month=uow.redemption.points_since(member.id, _month_start(now)),
        recent_redemptions=tuple(recent),
        reward_count_this_year=units.get(reward_id, 0) if reward_id is not None else 0,
        offline_points_today=uow.redemption.offline_points_today(offline=offline, member_id=member.id, day=now.date()),
    )


def _block_reason(block: Block) -> BlockReason:
    return BlockReason(block.code, dict(block.params))


def _offer(row: RewardRow, stock: int | None, blocks: list[Block]) -> RewardOffer:
    return RewardOffer(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        category=row.category,
        points_cost=int(row.points_cost),
        cash_value=Decimal(row.cash_value),
        min_tier=row.min_tier,
        active_from=row.active_from,
        active_to=row.active_to,
        yearly_limit_per_member=row.yearly_limit_per_member,
        stock_tracked=bool(row.stock_tracked),
        stock=stock,
        available=not blocks,
        blocks=tuple(_block_reason(b) for b in blocks),
    )


def _member_or_fail(uow: UnitOfWork, member_no: str) -> Member:
    member = uow.members.by_no(member_no)
    if member is None:
        raise NotFound("member", member_no)
    return member


def _branch_or_fail(uow: UnitOfWork, code: str) -> Branch:
    branch = uow.reference.branch_by_code(code)
    if branch is None:
        raise NotFound("branch", code)
    return branch


def _reward_or_fail(uow: UnitOfWork, code: str) -> RewardRow:
    reward = uow.redemption.reward_by_code(code)
    if reward is None:
        raise NotFound("reward", code)
    return reward


def _staff_or_fail(uow: UnitOfWork, staff_id: int | None) -> Staff:
    staff = uow.staff.get(staff_id) if staff_id is not None else None
    if staff is None or not staff.active:
        raise Forbidden("auth.forbidden", role="unknown", action="operate")
    return staff


def _reason(text: Any) -> str:
    reason = " ".join(str(text or "").split())
    if not reason:
        raise ValidationError("redeem.reason_required", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationError("identity.length_range", field="reason", minimum=1, maximum=REASON_MAX, actual=len(reason))
    return reason


def _receipt(result: dict[str, Any], replayed: bool = False) -> RedemptionReceipt:
    return RedemptionReceipt(
        number=result["number"],
        operation_id=result["operation_id"],
        member_no=result["member_no"],
        masked_name=result["masked_name"],
        reward_code=result["reward_code"],
        reward_name_zh=result["reward_name_zh"],
        reward_name_en=result["reward_name_en"],
        qty=int(result["qty"]),
        points=int(result["points"]),
        balance_after=int(result["balance_after"]),
        branch_code=result["branch_code"],
        branch_name_zh=result["branch_name_zh"],
        branch_name_en=result["branch_name_en"],
        officer=result["officer"],
        officer_username=result["officer_username"],
        at=datetime.fromisoformat(result["at"]),
        replayed=replayed,
    )


def _reversal(result: dict[str, Any], replayed: bool = False) -> RedemptionReversal:
    return RedemptionReversal(
        number=result["number"],
        member_no=result["member_no"],
        points=int(result["points"]),
        balance_after=int(result["balance_after"]),
        reason=result["reason"],
        reversed_by=result["reversed_by"],
        reversed_at=datetime.fromisoformat(result["reversed_at"]),
        restored_lots=tuple((int(l), int(p), date.fromisoformat(e)) for l, p, e in result["restored_lots"]),
        replayed=replayed,
    )


# ---------------------------------------------------------------------------- operation handlers


class RedeemHandler:
    """Payload: ``member_no``, ``reward_code``, ``qty``, ``points`` (what the officer confirmed), ``branch_code``."""

    kind = REDEEM

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules
        staff = _staff_or_fail(uow, request.staff_id)
        _require_role(staff.role, REDEEM_ROLES, "redeem")
        qty = validate_qty(payload["qty"])
        branch = _branch_or_fail(uow, payload["branch_code"])
        found = _member_or_fail(uow, payload["member_no"])
        member = uow.members.lock(found.id)
        assert member is not None
        row = _reward_or_fail(uow, payload["reward_code"])
        reward = to_domain_reward(row)
        needed = points_needed(reward, qty)
        if int(payload["points"]) != needed:
            raise DomainError("redeem.price_changed", reward_code=reward.code, points_cost=reward.points_cost, expected=payload["points"])
        stock_row = uow.redemption.stock(branch.id, row.id, lock=True) if reward.stock_tracked else None
        stock = (stock_row.on_hand if stock_row else 0) if reward.stock_tracked else None
        facts = member_facts(uow, member, settings, now, row.id, offline=request.offline)
        blocks = evaluate_redemption(reward, qty, facts, stock, settings, now)
        if blocks:
            raise blocks[0].as_error()

        number = redemption_number(branch.code, request.operation_id)
        ledger = Ledger(uow, settings, now)
        entry = ledger.debit(
            member,
            Posting(
                entry_uid=f"redeem:{request.operation_id}",
                kind="redeem",
                rule="redemption",
                occurred_on=now.date(),
                operation_id=request.operation_id,
                branch_id=branch.id,
                staff_id=staff.id,
                reference=number,
                details={"reward_code": reward.code, "qty": qty, "number": number},
            ),
            needed,
        )
        if reward.stock_tracked:
            uow.redemption.move_stock(
                branch_id=branch.id, reward_id=row.id, change=-qty, reason="redeemed", at=now, operation_id=request.operation_id, staff_id=staff.id
            )
        uow.redemption.add(
            Redemption(
                number=number,
                operation_id=request.operation_id,
                member_id=member.id,
                reward_id=row.id,
                qty=qty,
                points=needed,
                entry_id=entry.id,
                branch_id=branch.id,
                staff_id=staff.id,
                redeemed_at=now,
            )
        )
        lots = [(m.lot_id, -m.points) for m in uow.ledger.movements_of_entry(entry.id)]
        result = {
            "number": number,
            "operation_id": request.operation_id,
            "member_no": member.member_no,
            "masked_name": mask_name(member.name),
            "reward_code": reward.code,
            "reward_name_zh": reward.name_zh,
            "reward_name_en": reward.name_en,
            "qty": qty,
            "points": needed,
            "balance_after": available_of(member),
            "branch_code": branch.code,
            "branch_name_zh": branch.name_zh,
            "branch_name_en": branch.name_en,
            "officer": staff.display_name,
            "officer_username": staff.username,
            "at": now.isoformat(),
            "entry_id": entry.id,
            "lots": [[lot_id, points] for lot_id, points in lots],
        }
        record(
            uow,
            Actor(staff.username, request.origin, branch.code),
            "redemption.redeem",
            entity="redemption",
            entity_id=number,
            member_no=member.member_no,
            after={"reward_code": reward.code, "qty": qty, "points": needed, "balance_after": result["balance_after"], "stock_after": None if stock is None else stock - qty},
            details={"operation_id": request.operation_id, "lots": result["lots"]},
            now=now,
        )
        return Applied(result=result, member_id=member.id)


class ReverseHandler:
    """Payload: ``number`` (the redemption), ``reason``."""

    kind = REVERSE

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules
        staff = _staff_or_fail(uow, request.staff_id)
        _require_role(staff.role, REVERSE_ROLES, "reverse a redemption")
        reason = _reason(payload.get("reason"))
        found = uow.redemption.by_number(payload["number"])
        if found is None:
            raise NotFound("redemption", payload["number"])
        member = uow.members.lock(found.member_id)
        assert member is not None
        redemption = uow.redemption.by_number(payload["number"])  # re-read under the member lock
        assert redemption is not None
        if redemption.reversed_at is not None:
            raise DomainError("redeem.already_reversed", number=redemption.number, reversed_at=redemption.reversed_at.isoformat(timespec="minutes"))
        if not can_reverse(redemption.redeemed_at, now, settings):
            raise DomainError("redeem.reversal_window", number=redemption.number, days=settings.redemption.reversal_window_days)
        original = uow.ledger.entry(redemption.entry_id)
        assert original is not None
        reversing_branch = uow.staff.branch_of(staff)
        entry = Ledger(uow, settings, now).restore(
            member,
            Posting(
                entry_uid=f"redeem.reverse:{redemption.number}",  # one reversal per redemption, whatever the operation id
                kind="reversal",
                rule="redemption_reversal",
                occurred_on=now.date(),
                operation_id=request.operation_id,
                branch_id=reversing_branch.id,
                staff_id=staff.id,
                reference=redemption.number,
                details={"number": redemption.number, "reason": reason},
            ),
            original,
        )
        reward = uow.redemption.reward(redemption.reward_id)
        assert reward is not None
        if reward.stock_tracked:
            # The goods go back on the shelf of the branch that handed them out.
            uow.redemption.move_stock(
                branch_id=redemption.branch_id, reward_id=reward.id, change=redemption.qty, reason="reversed", at=now,
                operation_id=request.operation_id, staff_id=staff.id,
            )
        redemption.reversed_at = now
        redemption.reversal_operation_id = request.operation_id
        redemption.reversal_reason = reason
        redemption.reversed_by = staff.id
        movements = uow.ledger.movements_of_entry(entry.id)
        lots = uow.ledger.lots_by_ids([m.lot_id for m in movements])
        result = {
            "number": redemption.number,
            "operation_id": request.operation_id,
            "member_no": member.member_no,
            "points": entry.points,
            "balance_after": available_of(member),
            "reason": reason,
            "reversed_by": staff.username,
            "reversed_at": now.isoformat(),
            "entry_id": entry.id,
            "restored_lots": [[m.lot_id, m.points, lots[m.lot_id].expires_on.isoformat()] for m in movements],
        }
        record(
            uow,
            Actor(staff.username, request.origin, reversing_branch.code),
            "redemption.reverse",
            entity="redemption",
            entity_id=redemption.number,
            member_no=member.member_no,
            before={"reversed": False},
            after={"reversed": True, "points_restored": entry.points, "balance_after": result["balance_after"]},
            details={"operation_id": request.operation_id, "reason": reason, "restored_lots": result["restored_lots"]},
            now=now,
        )
        return Applied(result=result, member_id=member.id)


# ---------------------------------------------------------------------------- the service


class RedemptionService:
    def __init__(self, context: ServiceContext, runner: OperationRunner) -> None:
        self._context = context
        self._runner = runner
        runner.register(RedeemHandler())
        runner.register(ReverseHandler())

    @staticmethod
    def new_operation_id() -> str:
        """Made when the officer opens the confirm step; pass the same id again to retry safely."""
        return str(uuid.uuid4())

    # ------------------------------------------------------------------ catalogue

    def catalogue(self, *, member_no: str | None = None, branch_code: str | None, include_inactive: bool = False) -> tuple[RewardOffer, ...]:
        """Rewards offered today (all of them with ``include_inactive``), for ``member_no`` when
        given, each with its stock at ``branch_code`` (default: the member's home branch) and
        every reason that blocks it; what may be taken first, then by points cost."""
        now = self._context.clock()
        settings = self._context.rules
        with self._context.uow() as uow:
            member = _member_or_fail(uow, validate_member_no(member_no)) if member_no else None
            if branch_code:
                branch = _branch_or_fail(uow, branch_code)
            elif member is not None:
                branch = uow.members.branch(member)
            else:
                raise ValidationError("identity.required", field="branch")
            stock = uow.redemption.stock_at_branch(branch.id)
            facts = member_facts(uow, member, settings, now, offline=self._runner.is_offline()) if member else None
            units = uow.redemption.units_since(member.id, _year_start(now)) if member else {}
            offers = []
            for row in uow.redemption.rewards():
                reward = to_domain_reward(row)
                if not include_inactive and not reward.is_active_on(now.date()):
                    continue
                on_hand = stock.get(row.id, 0) if reward.stock_tracked else None
                member_side = None
                if facts is not None:
                    member_side = replace(facts, reward_count_this_year=units.get(row.id, 0))
                blocks = evaluate_redemption(reward, 1, member_side, on_hand, settings, now)
                offers.append(_offer(row, on_hand, blocks))
        offers.sort(key=lambda o: sort_offers_key(o.available, o.points_cost, o.code))
        return tuple(offers)

    def quote(self, *, member_no: str, reward_code: str, qty: int, branch_code: str) -> RedemptionQuote:
        """Points, the balance before and after, and every block for ``qty`` of a reward (nothing is posted)."""
        qty = validate_qty(qty)
        now = self._context.clock()
        settings = self._context.rules
        with self._context.uow() as uow:
            branch = _branch_or_fail(uow, branch_code)
            member = _member_or_fail(uow, validate_member_no(member_no))
            row = _reward_or_fail(uow, reward_code)
            reward = to_domain_reward(row)
            on_hand = uow.redemption.stock_at_branch(branch.id).get(row.id, 0) if reward.stock_tracked else None
            facts = member_facts(uow, member, settings, now, row.id, offline=self._runner.is_offline())
            blocks = evaluate_redemption(reward, qty, facts, on_hand, settings, now)
            needed = points_needed(reward, qty)
            return RedemptionQuote(
                member_no=member.member_no,
                reward_code=reward.code,
                qty=qty,
                points=needed,
                available_before=facts.available,
                available_after=facts.available - needed,
                blocks=tuple(_block_reason(b) for b in blocks),
            )

    # ------------------------------------------------------------------ operations

    def redeem(
        self,
        *,
        operation_id: str,
        session: StaffSession,
        member_no: str,
        reward_code: str,
        qty: int = 1,
        expected_points: int | None = None,
        offline: bool = False,
    ) -> RedemptionReceipt:
        """Redeems ``qty`` × the reward for the member at the session's branch.

        ``expected_points`` is what the officer confirmed (default: today's cost × qty); if the
        cost changed in between, ``redeem.price_changed`` asks for a new confirmation. ``offline``
        (central unreachable) applies the offline daily limit per member; the desk's runner sets it
        by itself while its sync reports central unreachable.
        """
        _require_role(session.role, REDEEM_ROLES, "redeem")
        qty = validate_qty(qty)
        member_no = validate_member_no(member_no)
        reward_code = (reward_code or "").strip().upper()
        if expected_points is None:
            with self._context.uow() as uow:
                expected_points = points_needed(to_domain_reward(_reward_or_fail(uow, reward_code)), qty)
        payload = {
            "member_no": member_no,
            "reward_code": reward_code,
            "qty": qty,
            "points": int(expected_points),
            "branch_code": session.branch_code,
        }
        outcome = self._runner.execute(
            OperationRequest(
                operation_id=operation_id, kind=REDEEM, payload=payload, origin=self._context.desk_name, staff_id=session.staff_id, offline=offline
            )
        )
        return _receipt(outcome.result, outcome.replayed)

    def reverse(self, *, operation_id: str, session: StaffSession, redemption_number: str, reason: str) -> RedemptionReversal:
        """Supervisor only, within ``reversal_window_days``, once, with a reason: points go back into
        the lots they came from (original expiry dates) and the stock goes back."""
        _require_role(session.role, REVERSE_ROLES, "reverse a redemption")
        payload = {"number": (redemption_number or "").strip().upper(), "reason": _reason(reason)}
        outcome = self._runner.execute(
            OperationRequest(operation_id=operation_id, kind=REVERSE, payload=payload, origin=self._context.desk_name, staff_id=session.staff_id)
        )
        return _reversal(outcome.result, outcome.replayed)

    # ------------------------------------------------------------------ reading

    def list(self, *, member_no: str | None = None, limit: int = 50, offset: int = 0) -> tuple[RedemptionView, ...]:
        """Newest first; a member's or everyone's."""
        with self._context.uow() as uow:
            member_id = _member_or_fail(uow, validate_member_no(member_no)).id if member_no else None
            _, rows = uow.redemption.page(member_id=member_id, limit=limit, offset=offset)
            return tuple(self._views(uow, rows))

    def get(self, *, number: str) -> RedemptionView:
        with self._context.uow() as uow:
            row = uow.redemption.by_number((number or "").strip().upper())
            if row is None:
                raise NotFound("redemption", number)
            return self._views(uow, [row])[0]

    def receipt(self, *, number: str) -> RedemptionReceipt:
        """The receipt of an earlier redemption (for reprinting)."""
        with self._context.uow() as uow:
            row = uow.redemption.by_number((number or "").strip().upper())
            if row is None:
                raise NotFound("redemption", number)
            operation = uow.ledger.operation(row.operation_id)
            assert operation is not None and operation.result is not None
            return _receipt(operation.result, replayed=True)

    def record_receipt_print(self, *, session: StaffSession, number: str, medium: str) -> None:
        """Every print (or PDF) of a receipt goes to the audit trail; ``medium``: print | pdf."""
        with self._context.uow(write=True) as uow:
            row = uow.redemption.by_number(number)
            if row is None:
                raise NotFound("redemption", number)
            member = uow.members.get(row.member_id)
            record(uow, Actor(session.username, self._context.desk_name, session.branch_code), "redemption.receipt_print",
                   entity="redemption", entity_id=number, member_no=member.member_no if member else None,
                   details={"medium": medium}, now=self._context.clock())
            uow.commit()

    @staticmethod
    def _views(uow: UnitOfWork, rows: list[Redemption]) -> list[RedemptionView]:
        members = {m.id: m for m in uow.members.by_ids({r.member_id for r in rows})}
        rewards = uow.redemption.rewards_by_ids([r.reward_id for r in rows])
        staff: dict[int, Staff] = {}
        for staff_id in {r.staff_id for r in rows} | {r.reversed_by for r in rows if r.reversed_by}:
            person = uow.staff.get(staff_id)
            if person is not None:
                staff[staff_id] = person
        branches = {b.id: b.code for b in uow.reference.branches()}
        views = []
        for r in rows:
            member, reward = members[r.member_id], rewards[r.reward_id]
            views.append(
                RedemptionView(
                    number=r.number,
                    operation_id=r.operation_id,
                    member_no=member.member_no,
                    masked_name=mask_name(member.name),
                    reward_code=reward.code,
                    reward_name_zh=reward.name_zh,
                    reward_name_en=reward.name_en,
                    qty=r.qty,
                    points=int(r.points),
                    branch_code=branches.get(r.branch_id, "?"),
                    officer_username=staff[r.staff_id].username if r.staff_id in staff else "?",
                    redeemed_at=r.redeemed_at,
                    reversed_at=r.reversed_at,
                    reversal_reason=r.reversal_reason,
                    reversed_by=staff[r.reversed_by].username if r.reversed_by in staff else None,
                    reversal_operation_id=r.reversal_operation_id,
                )
            )
        return views

    # ------------------------------------------------------------------ administration

    def upsert_reward(
        self,
        *,
        session: StaffSession,
        code: str,
        name_zh: str,
        name_en: str,
        category: str,
        points_cost: int,
        cash_value: Decimal | str,
        min_tier: str = "standard",
        active_from: date | None = None,
        active_to: date | None = None,
        yearly_limit_per_member: int | None = None,
        stock_tracked: bool = False,
    ) -> RewardOffer:
        """Adds a reward or changes one (admin only); audited with before and after."""
        _require_role(session.role, ADMIN_ROLES, "edit the catalogue")
        values = validate_reward_fields(
            code=code, name_zh=name_zh, name_en=name_en, category=category, points_cost=points_cost, cash_value=cash_value,
            min_tier=min_tier, active_from=active_from, active_to=active_to, yearly_limit_per_member=yearly_limit_per_member,
            stock_tracked=stock_tracked,
        )
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            row = uow.redemption.reward_by_code(values["code"])
            before = _reward_dict(row) if row else None
            if row is None:
                row = uow.redemption.add_reward(RewardRow(updated_at=now, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                row.updated_at = now
            after = _reward_dict(row)
            if before != after:
                record(uow, Actor(session.username, self._context.desk_name, session.branch_code),
                       "reward.create" if before is None else "reward.update", entity="reward", entity_id=row.code,
                       before=before, after=after, now=now)
            uow.flush()
            offer = _offer(row, None, [])
            uow.commit()
            return offer

    def receive_stock(self, *, session: StaffSession, branch_code: str, reward_code: str, qty: int, note: str | None = None) -> int:
        """Records goods received at a branch (admin only), with an optional note (delivery slip…);
        returns the new on-hand count."""
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            raise ValidationError("stock.qty", field="qty", value=qty)
        note = _reason(note) if note and note.strip() else None
        return self._move_stock(session, branch_code, reward_code, qty, "received", "stock.receive", note)

    def adjust_stock(self, *, session: StaffSession, branch_code: str, reward_code: str, change: int, note: str) -> int:
        """Corrects a branch's count (stocktake, damage), with a note (admin only)."""
        if isinstance(change, bool) or not isinstance(change, int) or change == 0:
            raise ValidationError("stock.qty", field="change", value=change)
        return self._move_stock(session, branch_code, reward_code, change, "adjusted", "stock.adjust", _reason(note))

    def _move_stock(self, session: StaffSession, branch_code: str, reward_code: str, change: int, reason: str, action: str, note: str | None) -> int:
        _require_role(session.role, ADMIN_ROLES, "change stock")
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            branch = _branch_or_fail(uow, branch_code)
            reward = _reward_or_fail(uow, reward_code)
            if not reward.stock_tracked:
                raise ValidationError("reward.invalid", field="reward_code", value=reward.code, rule="stock is not tracked for this reward")
            current = uow.redemption.stock(branch.id, reward.id, lock=True)
            before = current.on_hand if current else 0
            if before + change < 0:
                raise DomainError("stock.negative", reward_code=reward.code, branch_code=branch.code, on_hand=before, change=change)
            stock = uow.redemption.move_stock(branch_id=branch.id, reward_id=reward.id, change=change, reason=reason, at=now, staff_id=session.staff_id)
            record(uow, Actor(session.username, self._context.desk_name, session.branch_code), action, entity="reward_stock",
                   entity_id=f"{branch.code}:{reward.code}", before={"on_hand": before}, after={"on_hand": stock.on_hand},
                   details={"change": change, "note": note} if note else {"change": change}, now=now)
            on_hand = stock.on_hand
            uow.commit()
            return on_hand


def _reward_dict(row: RewardRow) -> dict[str, Any]:
    return {
        "code": row.code, "name_zh": row.name_zh, "name_en": row.name_en, "category": row.category,
        "points_cost": int(row.points_cost), "cash_value": row.cash_value, "min_tier": row.min_tier,
        "active_from": row.active_from.isoformat() if row.active_from else None,
        "active_to": row.active_to.isoformat() if row.active_to else None,
        "yearly_limit_per_member": row.yearly_limit_per_member, "stock_tracked": bool(row.stock_tracked),
    }


def validate_reward_fields(**v: Any) -> dict[str, Any]:
    """Checks an administrator's reward form; ``reward.invalid`` names the field and the rule."""

    def bad(field: str, value: Any, rule: str) -> ValidationError:
        return ValidationError("reward.invalid", field=field, value=value, rule=rule)

    code = str(v["code"] or "").strip().upper()
    if not REWARD_CODE.match(code):
        raise bad("code", v["code"], "2-32 capital letters, digits, - or _")
    names = {}
    for key in ("name_zh", "name_en"):
        name = " ".join(str(v[key] or "").split())
        if not 1 <= len(name) <= 100:
            raise bad(key, v[key], "1-100 characters")
        names[key] = name
    if v["category"] not in {c.value for c in RewardCategory}:
        raise bad("category", v["category"], "one of " + ", ".join(c.value for c in RewardCategory))
    cost = v["points_cost"]
    if isinstance(cost, bool) or not isinstance(cost, int) or cost <= 0:
        raise bad("points_cost", cost, "a whole number of points above 0")
    try:
        cash = Decimal(str(v["cash_value"]).strip())
    except (InvalidOperation, ValueError):
        raise bad("cash_value", v["cash_value"], "an amount in CNY") from None
    if not cash.is_finite() or cash < 0 or cash.as_tuple().exponent < -2:  # type: ignore[operator]
        raise bad("cash_value", v["cash_value"], "an amount in CNY, at least 0, at most 2 decimals")
    if v["min_tier"] not in {t.value for t in Tier}:
        raise bad("min_tier", v["min_tier"], "one of " + ", ".join(t.value for t in Tier))
    if v["active_from"] and v["active_to"] and v["active_to"] < v["active_from"]:
        raise bad("active_to", v["active_to"], "on or after the first day")
    limit = v["yearly_limit_per_member"]
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise bad("yearly_limit_per_member", limit, "empty (unlimited) or at least 1")
    return {
        "code": code, **names, "category": v["category"], "points_cost": cost, "cash_value": f"{cash.quantize(Decimal('0.01'))}",
        "min_tier": v["min_tier"], "active_from": v["active_from"], "active_to": v["active_to"],
        "yearly_limit_per_member": limit, "stock_tracked": bool(v["stock_tracked"]),
    }


# ---------------------------------------------------------------------------- demo catalogue


@dataclass(frozen=True)
class _Seed:
    code: str
    name_zh: str
    name_en: str
    category: str
    points_cost: int
    cash_value: str
    min_tier: str = "standard"
    yearly_limit: int | None = None
    stock: int | None = None  # per branch; None: not tracked
    months_active: int | None = None  # a seasonal reward: offered from a month ago for this many months


DEMO_CATALOGUE: tuple[_Seed, ...] = (
    # physical gifts (stock per branch)
    _Seed("GIFT-TUMBLER", "定制保温杯", "Insulated tumbler", "physical_gift", 4_500, "45.00", stock=40),
    _Seed("GIFT-UMBRELLA", "商务晴雨伞", "Business umbrella", "physical_gift", 3_800, "38.00", stock=30),
    _Seed("GIFT-PILLOW", "记忆棉颈枕", "Memory-foam neck pillow", "physical_gift", 6_800, "68.00", stock=25),
    _Seed("GIFT-RICE", "五常大米5公斤", "Wuchang rice 5 kg", "physical_gift", 9_900, "99.00", stock=20),
    _Seed("GIFT-OIL", "鲁花花生油5升", "Luhua peanut oil 5 L", "physical_gift", 12_800, "128.00", stock=20),
    _Seed("GIFT-TEA", "西湖龙井礼盒", "West Lake Longjing tea gift box", "physical_gift", 26_800, "268.00", "silver", stock=10),
    _Seed("GIFT-LUGGAGE", "20寸登机箱", "20-inch cabin suitcase", "physical_gift", 45_000, "450.00", "gold", stock=6),
    _Seed("GIFT-AIRFRYER", "智能空气炸锅", "Smart air fryer", "physical_gift", 39_900, "399.00", "silver", stock=8),
    _Seed("GIFT-HEADPHONES", "降噪蓝牙耳机", "Noise-cancelling headphones", "physical_gift", 89_000, "890.00", "gold", 1, stock=4),
    _Seed("GIFT-MOONCAKE", "中秋月饼礼盒", "Mid-Autumn mooncake box", "physical_gift", 15_800, "158.00", yearly_limit=2, stock=30, months_active=3),
    # vouchers (unlimited)
    _Seed("VCH-MOBILE50", "话费充值50元", "Mobile top-up 50 CNY", "voucher", 5_000, "50.00"),
    _Seed("VCH-MOBILE100", "话费充值100元", "Mobile top-up 100 CNY", "voucher", 10_000, "100.00"),
    _Seed("VCH-JD100", "京东E卡100元", "JD e-card 100 CNY", "voucher", 10_000, "100.00"),
    _Seed("VCH-JD500", "京东E卡500元", "JD e-card 500 CNY", "voucher", 50_000, "500.00", "silver", 4),
    _Seed("VCH-STARBUCKS", "星巴克中杯饮品券", "Starbucks tall drink voucher", "voucher", 3_300, "33.00", yearly_limit=12),
    _Seed("VCH-DIDI30", "滴滴出行券30元", "DiDi ride voucher 30 CNY", "voucher", 3_000, "30.00"),
    _Seed("VCH-MOVIE", "电影票兑换券", "Cinema ticket voucher", "voucher", 4_000, "40.00", yearly_limit=10),
    # cash rebates
    _Seed("CASH-RBT20", "信用卡账单抵扣20元", "Card statement rebate 20 CNY", "cash_rebate", 2_000, "20.00"),
    _Seed("CASH-RBT100", "信用卡账单抵扣100元", "Card statement rebate 100 CNY", "cash_rebate", 10_000, "100.00"),
    _Seed("CASH-RBT500", "信用卡账单抵扣500元", "Card statement rebate 500 CNY", "cash_rebate", 50_000, "500.00", "gold", 6),
    # service privileges
    _Seed("SVC-FEEWAIVER", "信用卡年费减免", "Card annual fee waiver", "service_privilege", 20_000, "200.00", yearly_limit=1),
    _Seed("SVC-LOANRATE", "贷款利率九五折", "Loan rate 5% discount", "service_privilege", 60_000, "600.00", "gold", 1),
    _Seed("SVC-LOUNGE", "机场贵宾厅单次", "Airport lounge visit", "service_privilege", 18_000, "180.00", "silver", 6),
    _Seed("SVC-HEALTH", "年度体检套餐", "Annual health check-up", "service_privilege", 68_000, "680.00", "gold", 1),
    _Seed("SVC-CARWASH", "精致洗车服务", "Car wash service", "service_privilege", 2_800, "28.00", yearly_limit=12),
    _Seed("SVC-TRANSFERFEE", "跨行转账手续费全年免", "Interbank transfer fees waived for a year", "service_privilege", 30_000, "300.00", "platinum", 1),
)


def seed_catalogue(uow: UnitOfWork, today: date, *, now: datetime | None = None) -> int:
    """Adds the demo catalogue (about 25 rewards) and stock at every branch inside the caller's
    unit of work (the caller commits). Idempotent: rewards already there by code are left alone.
    Returns how many rewards were added."""
    at = now or datetime(today.year, today.month, today.day)
    branches = uow.reference.branches()
    added = 0
    for seed in DEMO_CATALOGUE:
        if uow.redemption.reward_by_code(seed.code) is not None:
            continue
        active_from = active_to = None
        if seed.months_active is not None:
            active_from = today - timedelta(days=30)
            active_to = today + timedelta(days=30 * seed.months_active)
        row = uow.redemption.add_reward(
            RewardRow(
                code=seed.code, name_zh=seed.name_zh, name_en=seed.name_en, category=seed.category, points_cost=seed.points_cost,
                cash_value=seed.cash_value, min_tier=seed.min_tier, active_from=active_from, active_to=active_to,
                yearly_limit_per_member=seed.yearly_limit, stock_tracked=seed.stock is not None, updated_at=at,
            )
        )
        added += 1
        if seed.stock is not None:
            for branch in branches:
                uow.redemption.move_stock(branch_id=branch.id, reward_id=row.id, change=seed.stock, reason="received", at=at)
    return added
