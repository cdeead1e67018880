"""The redemption use cases: the catalogue for a member, quotes, redeeming, receipts, reversal and catalogue admin."""

from __future__ import annotations

import builtins
from dataclasses import replace
from datetime import date
from decimal import Decimal

from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.domain.identity import mask_name, validate_member_no
from loyalty_desk.domain.redemption import (
    evaluate_redemption,
    points_needed,
    sort_offers_key,
    validate_qty,
)
from loyalty_desk.services.audit import record
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.members.records import member_or_fail
from loyalty_desk.services.operations import OperationRequest, OperationService
from loyalty_desk.services.redemption.catalogue import block_reason, member_facts, offer_of, reward_dict, to_domain_reward, validate_reward_fields, year_start
from loyalty_desk.services.redemption.dto import RedemptionQuote, RedemptionReceipt, RedemptionReversal, RedemptionView, RewardOffer
from loyalty_desk.services.redemption.handlers import REDEEM, REVERSE, receipt_of, reversal_of
from loyalty_desk.services.redemption.records import (
    ADMIN_ROLES,
    REDEEM_ROLES,
    REVERSE_ROLES,
    branch_or_fail,
    clean_reason,
    require_role,
    reward_or_fail,
)
from loyalty_desk.store.models import Redemption, Staff
from loyalty_desk.store.models import Reward as RewardRow
from loyalty_desk.store.uow import UnitOfWork


class RedemptionService(OperationService):
    # ------------------------------------------------------------------ catalogue

    def catalogue(self, *, member_no: str | None = None, branch_code: str | None, include_inactive: bool = False) -> tuple[RewardOffer, ...]:
        """Rewards offered today (all of them with ``include_inactive``), for ``member_no`` when
        given, each with its stock at ``branch_code`` (default: the member's home branch) and
        every reason that blocks it; what may be taken first, then by points cost."""
        now = self._context.clock()
        settings = self._context.rules
        with self._context.uow() as uow:
            member = member_or_fail(uow, validate_member_no(member_no)) if member_no else None
            if branch_code:
                branch = branch_or_fail(uow, branch_code)
            elif member is not None:
                branch = uow.members.branch(member)
            else:
                raise ValidationError("identity.required", field="branch")
            stock = uow.redemption.stock_at_branch(branch.id)
            facts = member_facts(uow, member, settings, now, offline=self._runner.is_offline()) if member else None
            units = uow.redemption.units_since(member.id, year_start(now)) if member else {}
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
                offers.append(offer_of(row, on_hand, blocks))
        offers.sort(key=lambda o: sort_offers_key(o.available, o.points_cost, o.code))
        return tuple(offers)

    def quote(self, *, member_no: str, reward_code: str, qty: int, branch_code: str) -> RedemptionQuote:
        """Points, the balance before and after, and every block for ``qty`` of a reward (nothing is posted)."""
        qty = validate_qty(qty)
        now = self._context.clock()
        settings = self._context.rules
        with self._context.uow() as uow:
            branch = branch_or_fail(uow, branch_code)
            member = member_or_fail(uow, validate_member_no(member_no))
            row = reward_or_fail(uow, reward_code)
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
                blocks=tuple(block_reason(b) for b in blocks),
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
        require_role(session.role, REDEEM_ROLES, "redeem")
        qty = validate_qty(qty)
        member_no = validate_member_no(member_no)
        reward_code = (reward_code or "").strip().upper()
        if expected_points is None:
            with self._context.uow() as uow:
                expected_points = points_needed(to_domain_reward(reward_or_fail(uow, reward_code)), qty)
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
        return receipt_of(outcome.result, outcome.replayed)

    def reverse(self, *, operation_id: str, session: StaffSession, redemption_number: str, reason: str) -> RedemptionReversal:
        """Supervisor only, within ``reversal_window_days``, once, with a reason: points go back into
        the lots they came from (original expiry dates) and the stock goes back."""
        require_role(session.role, REVERSE_ROLES, "reverse a redemption")
        payload = {"number": (redemption_number or "").strip().upper(), "reason": clean_reason(reason)}
        outcome = self._runner.execute(
            OperationRequest(operation_id=operation_id, kind=REVERSE, payload=payload, origin=self._context.desk_name, staff_id=session.staff_id)
        )
        return reversal_of(outcome.result, outcome.replayed)

    # ------------------------------------------------------------------ reading

    def list(self, *, member_no: str | None = None, limit: int = 50, offset: int = 0) -> tuple[RedemptionView, ...]:
        """Newest first; a member's or everyone's."""
        with self._context.uow() as uow:
            member_id = member_or_fail(uow, validate_member_no(member_no)).id if member_no else None
            _, rows = uow.redemption.page(member_id=member_id, limit=limit, offset=offset)
            return tuple(self._views(uow, rows))

    def get(self, *, number: str) -> RedemptionView:
        with self._context.uow() as uow:
            row = or_not_found(uow.redemption.by_number((number or "").strip().upper()), "redemption", number)
            return self._views(uow, [row])[0]

    def receipt(self, *, number: str) -> RedemptionReceipt:
        """The receipt of an earlier redemption (for reprinting)."""
        with self._context.uow() as uow:
            row = or_not_found(uow.redemption.by_number((number or "").strip().upper()), "redemption", number)
            operation = uow.ledger.operation(row.operation_id)
            assert operation is not None and operation.result is not None
            return receipt_of(operation.result, replayed=True)

    def record_receipt_print(self, *, session: StaffSession, number: str, medium: str) -> None:
        """Every print (or PDF) of a receipt goes to the audit trail; ``medium``: print | pdf."""
        with self._context.uow(write=True) as uow:
            row = or_not_found(uow.redemption.by_number(number), "redemption", number)
            member = uow.members.get(row.member_id)
            record(uow, self._context.actor_of(session), "redemption.receipt_print",
                   entity="redemption", entity_id=number, member_no=member.member_no if member else None,
                   details={"medium": medium}, now=self._context.clock())
            uow.commit()

    @staticmethod
    def _views(uow: UnitOfWork, rows: builtins.list[Redemption]) -> builtins.list[RedemptionView]:
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
        require_role(session.role, ADMIN_ROLES, "edit the catalogue")
        values = validate_reward_fields(
            code=code, name_zh=name_zh, name_en=name_en, category=category, points_cost=points_cost, cash_value=cash_value,
            min_tier=min_tier, active_from=active_from, active_to=active_to, yearly_limit_per_member=yearly_limit_per_member,
            stock_tracked=stock_tracked,
        )
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            row = uow.redemption.reward_by_code(values["code"])
            before = reward_dict(row) if row else None
            if row is None:
                row = uow.redemption.add_reward(RewardRow(updated_at=now, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                row.updated_at = now
            after = reward_dict(row)
            if before != after:
                record(uow, self._context.actor_of(session),
                       "reward.create" if before is None else "reward.update", entity="reward", entity_id=row.code,
                       before=before, after=after, now=now)
            uow.flush()
            offer = offer_of(row, None, [])
            uow.commit()
            return offer

    def receive_stock(self, *, session: StaffSession, branch_code: str, reward_code: str, qty: int, note: str | None = None) -> int:
        """Records goods received at a branch (admin only), with an optional note (delivery slip…);
        returns the new on-hand count."""
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            raise ValidationError("stock.qty", field="qty", value=qty)
        note = clean_reason(note) if note and note.strip() else None
        return self._move_stock(session, branch_code, reward_code, qty, "received", "stock.receive", note)

    def adjust_stock(self, *, session: StaffSession, branch_code: str, reward_code: str, change: int, note: str) -> int:
        """Corrects a branch's count (stocktake, damage), with a note (admin only)."""
        if isinstance(change, bool) or not isinstance(change, int) or change == 0:
            raise ValidationError("stock.qty", field="change", value=change)
        return self._move_stock(session, branch_code, reward_code, change, "adjusted", "stock.adjust", clean_reason(note))

    def _move_stock(self, session: StaffSession, branch_code: str, reward_code: str, change: int, reason: str, action: str, note: str | None) -> int:
        require_role(session.role, ADMIN_ROLES, "change stock")
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            branch = branch_or_fail(uow, branch_code)
            reward = reward_or_fail(uow, reward_code)
            if not reward.stock_tracked:
                raise ValidationError("reward.invalid", field="reward_code", value=reward.code, rule="stock is not tracked for this reward")
            current = uow.redemption.stock(branch.id, reward.id, lock=True)
            before = current.on_hand if current else 0
            if before + change < 0:
                raise DomainError("stock.negative", reward_code=reward.code, branch_code=branch.code, on_hand=before, change=change)
            stock = uow.redemption.move_stock(branch_id=branch.id, reward_id=reward.id, change=change, reason=reason, at=now, staff_id=session.staff_id)
            record(uow, self._context.actor_of(session), action, entity="reward_stock",
                   entity_id=f"{branch.code}:{reward.code}", before={"on_hand": before}, after={"on_hand": stock.on_hand},
                   details={"change": change, "note": note} if note else {"change": change}, now=now)
            on_hand = stock.on_hand
            uow.commit()
            return on_hand
