"""The redemption desk operations, run by the desk's runner and by central's applier: redeem and reverse."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from loyalty_desk.domain.errors import DomainError, or_not_found
from loyalty_desk.domain.identity import mask_name
from loyalty_desk.domain.redemption import (
    can_reverse,
    evaluate_redemption,
    points_needed,
    redemption_number,
    redemption_operation_start,
    validate_qty,
)
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.members.records import member_or_fail
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, business_date
from loyalty_desk.services.redemption.catalogue import available_of, member_facts, to_domain_reward
from loyalty_desk.services.redemption.dto import RedemptionReceipt, RedemptionReversal
from loyalty_desk.services.redemption.records import (
    REDEEM_ROLES,
    REVERSE_ROLES,
    branch_or_fail,
    clean_reason,
    reward_or_fail,
    staff_or_fail,
)
from loyalty_desk.store.models import Redemption
from loyalty_desk.store.uow import UnitOfWork

REDEEM = "redeem"


REVERSE = "redeem.reverse"


def receipt_of(result: dict[str, Any], replayed: bool = False) -> RedemptionReceipt:
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


def reversal_of(result: dict[str, Any], replayed: bool = False) -> RedemptionReversal:
    return RedemptionReversal(
        number=result["number"],
        member_no=result["member_no"],
        points=int(result["points"]),
        balance_after=int(result["balance_after"]),
        reason=result["reason"],
        reversed_by=result["reversed_by"],
        reversed_at=datetime.fromisoformat(result["reversed_at"]),
        restored_lots=tuple((int(lot), int(p), date.fromisoformat(e)) for lot, p, e in result["restored_lots"]),
        replayed=replayed,
    )


class RedeemHandler:
    """Payload: ``member_no``, ``reward_code``, ``qty``, ``points`` (what the officer confirmed), ``branch_code``."""

    kind = REDEEM

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules_on(business_date(request, now))
        staff = staff_or_fail(uow, request.staff_id, REDEEM_ROLES, "redeem")
        qty = validate_qty(payload["qty"])
        branch = branch_or_fail(uow, payload["branch_code"])
        found = member_or_fail(uow, payload["member_no"])
        member = uow.members.lock(found.id)
        assert member is not None
        row = reward_or_fail(uow, payload["reward_code"])
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
            after={
                "reward_code": reward.code, "qty": qty, "points": needed, "balance_after": result["balance_after"],
                "stock_after": None if stock is None else stock - qty,
            },
            details={"operation_id": request.operation_id, "lots": result["lots"]},
            now=now,
        )
        return Applied(result=result, member_id=member.id)


class ReverseHandler:
    """Payload: ``number`` (the redemption), ``reason``."""

    kind = REVERSE

    @staticmethod
    def waits_for(payload: dict[str, Any]) -> tuple[str, ...]:
        """The redemption it reverses (its operation id starts with the number's digits)."""
        start = redemption_operation_start(payload.get("number", ""))
        return (start,) if start else ()

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        settings = context.rules_on(business_date(request, now))
        staff = staff_or_fail(uow, request.staff_id, REVERSE_ROLES, "reverse a redemption")
        reason = clean_reason(payload.get("reason"))
        found = or_not_found(uow.redemption.by_number(payload["number"]), "redemption", payload["number"])
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


def handlers() -> list[OperationHandler]:
    """The redemption handlers, for the desk runner and central's applier."""
    return [RedeemHandler(), ReverseHandler()]
