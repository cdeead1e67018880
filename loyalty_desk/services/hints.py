"""What to offer now: the member view's hints (``domain/hints.py``) from the store's facts, and the
officer's response to each (offered, accepted, declined) as the operation ``hint.respond``: recorded,
audited and synced like every operation. A hint accepted or declined is not shown again that day.

The facts are read in a handful of small indexed queries for the one member. What each tier redeems
most is counted over the whole store, so it is read once a day per process and kept
(``_tier_popularity``); the rest is read on every call, so the view always shows the store's truth.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from loyalty_desk.domain import hints as rules
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.identity import validate_member_no
from loyalty_desk.domain.lots import OpenLot, available_balance
from loyalty_desk.domain.rules import Tier
from loyalty_desk.services.adjustments.records import acting_staff, actor_of
from loyalty_desk.services.audit import record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.members.records import member_or_fail, qualifying_earnings
from loyalty_desk.services.operations import Applied, OperationHandler, OperationRequest, OperationRunner, OperationService, checked_operation_id
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import HintResponse, Member
from loyalty_desk.store.uow import UnitOfWork

RESPOND = "hint.respond"
# Referrals that count as successful for "invite to refer again".
SUCCESSFUL_REFERRAL = ("qualified", "rewarded")


@dataclass(frozen=True)
class HintView:
    kind: str  # expiring | tier_reach | popular_reward | dormant | refer_again
    key: str  # what a response names
    priority: int
    facts: Mapping[str, Any]  # numbers, dates, reward codes (domain/hints.py says which per kind)
    reward_names: Mapping[str, tuple[str, str]]  # the rewards the facts name: code -> (Chinese name, English name)
    offered_today: bool  # an officer recorded it as offered today (still open: accepted or declined closes it)


@dataclass(frozen=True)
class MemberHints:
    member_no: str
    as_of: date
    hints: tuple[HintView, ...]
    closed_today: int  # hints accepted or declined today, not shown again until tomorrow


@dataclass(frozen=True)
class HintResponseView:
    operation_id: str
    member_no: str
    hint_key: str
    kind: str
    response: str
    responded_on: date
    replayed: bool = False


class RespondHandler:
    """Payload: ``member_no``, ``hint_key``, ``kind``, ``response``, ``facts`` (the hint's facts as shown),
    ``on`` (the desk's business date). An officer or supervisor; changes no balance."""

    kind = RESPOND

    def apply(self, uow: UnitOfWork, context: ServiceContext, request: OperationRequest, now: datetime) -> Applied:
        payload = request.payload
        staff = acting_staff(uow, request.staff_id, Permission.HINT_RESPOND)
        kind, key, response = rules.check_response(payload.get("kind"), payload.get("hint_key"), payload.get("response"))
        member = member_or_fail(uow, validate_member_no(payload.get("member_no", "")))
        facts = payload.get("facts")
        row = uow.hints.add_response(
            HintResponse(
                operation_id=request.operation_id, member_id=member.id, hint_key=key, kind=kind.value, response=response.value,
                facts=dict(facts) if isinstance(facts, dict) else {}, responded_on=_business_date(payload.get("on"), now),
                branch_id=staff.branch_id, staff_id=staff.id, created_at=now,
            )
        )
        uow.flush()
        record(
            uow, actor_of(uow, staff, request.origin), "member.hint_response", entity="member", entity_id=str(member.id), member_no=member.member_no,
            after={"hint_key": key, "response": response.value},
            details={"operation_id": request.operation_id, "kind": kind.value, "facts": row.facts, "response_id": row.id}, now=now,
        )
        return Applied(result=_result(row, member), member_id=member.id, status="posted")


def _business_date(value: Any, now: datetime) -> date:
    if value is None:
        return now.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError("hint.date", field="on", value=value) from None


def _result(row: HintResponse, member: Member) -> dict[str, Any]:
    return {"operation_id": row.operation_id, "member_no": member.member_no, "hint_key": row.hint_key, "kind": row.kind,
            "response": row.response, "responded_on": row.responded_on.isoformat()}


def handlers() -> list[OperationHandler]:
    """The hint response handler, for the desk runner and central's applier."""
    return [RespondHandler()]


class HintService(OperationService):
    def __init__(self, context: ServiceContext, runner: OperationRunner) -> None:
        super().__init__(context, runner)
        self._popular_lock = threading.Lock()
        self._popular: tuple[date, dict[str, dict[int, int]]] | None = None

    def for_member(self, *, member_no: str, as_of: date | None = None, branch_code: str | None = None) -> MemberHints:
        """Today's hints for the member, without those accepted or declined today. Physical gifts out of stock
        at ``branch_code`` (the desk's branch; by default the member's own) are not offered."""
        member_no = validate_member_no(member_no)
        as_of = as_of or self._context.today()
        popularity = self._tier_popularity(as_of)
        with self._context.uow() as uow:
            member = member_or_fail(uow, member_no)
            branch = uow.reference.branch_by_code(branch_code) if branch_code else None
            hints, names = self._hints(uow, member, as_of, popularity, branch.id if branch else member.branch_id)
            responses = [(r.hint_key, rules.HintResponse(r.response)) for r in uow.hints.responses_on(member.id, as_of)]
            member_no = member.member_no
        closed = {key for key, response in responses if response in rules.CLOSING_RESPONSES}
        offered = {key for key, response in responses if response is rules.HintResponse.OFFERED}
        shown = tuple(
            HintView(
                kind=h.kind.value, key=h.key, priority=h.priority, facts=h.facts,
                reward_names={code: names[code] for code in _reward_codes(h) if code in names}, offered_today=h.key in offered,
            )
            for h in hints if h.key not in closed
        )
        return MemberHints(member_no=member_no, as_of=as_of, hints=shown, closed_today=len(closed & {h.key for h in hints}))

    def respond(self, *, operation_id: str, session: StaffSession, member_no: str, hint_key: str, response: str) -> HintResponseView:
        """Records the officer's response to one of today's hints (the hint's facts go with it)."""
        require(session.role, Permission.HINT_RESPOND)
        checked_operation_id(operation_id)
        member_no = validate_member_no(member_no)
        with self._context.uow() as uow:
            done = uow.ledger.operation(operation_id)
            if done is not None and done.kind == RESPOND and done.result:  # a retry of a recorded response
                return _view(done.result, replayed=True)
        today = self._context.today()
        shown = {h.key: h for h in self.for_member(member_no=member_no, as_of=today, branch_code=session.branch_code).hints}
        kind_text = str(hint_key or "").split(":", 1)[0]
        kind, key, answer = rules.check_response(kind_text, hint_key, response)
        hint = shown.get(key)
        if hint is None:
            raise DomainError("hint.not_offered", hint_key=key, member_no=member_no)
        payload = {"member_no": member_no, "hint_key": key, "kind": kind.value, "response": answer.value,
                   "facts": rules.facts_as_json(hint.facts), "on": today.isoformat()}
        outcome = self._runner.execute(
            OperationRequest(operation_id=operation_id, kind=RESPOND, payload=payload, origin=self._context.desk_name, staff_id=session.staff_id)
        )
        return _view(outcome.result, replayed=outcome.replayed)

    def _hints(
        self, uow: UnitOfWork, member: Member, as_of: date, popularity: dict[str, dict[int, int]], branch_id: int
    ) -> tuple[list[rules.Hint], dict[str, tuple[str, str]]]:
        settings = self._context.rules
        tier = Tier(member.tier)
        counts = popularity.get(tier.value, {})
        stock = uow.redemption.stock_at_branch(branch_id)
        rewards = [r for r in uow.hints.active_rewards(as_of) if not r.stock_tracked or stock.get(r.id, 0) > 0]
        catalogue = tuple(rules.RewardFacts(r.code, r.points_cost, Tier(r.min_tier), counts.get(r.id, 0)) for r in rewards)
        first, last = date(as_of.year, 1, 1), date(as_of.year, 12, 31)
        facts = rules.MemberFacts(
            as_of=as_of,
            status=member.status,
            tier=tier,
            available_balance=available_balance(member.posted_balance, member.held_points),
            lots=tuple(OpenLot(lot.id, lot.earned_on, lot.expires_on, lot.remaining) for lot in uow.ledger.lots_for_member(member.id, open_only=True)),
            qualifying_earnings=tuple(qualifying_earnings(uow, member, as_of, settings)),
            last_activity_on=max(filter(None, (uow.hints.last_activity_on(member.id), member.joined_on))),
            successful_referrals=uow.hints.successful_referrals(member.id, SUCCESSFUL_REFERRAL),
            referrals_this_year=uow.referrals.referrer_rewards_in(member.id, first, last),
            has_referral_code=bool(member.referral_code),
            catalogue=catalogue,
        )
        return rules.hints_for(facts, settings), {r.code: (r.name_zh, r.name_en) for r in rewards}

    def _tier_popularity(self, as_of: date) -> dict[str, dict[int, int]]:
        """Per tier, per reward id: redemptions in the last ``POPULAR_WINDOW_DAYS`` days by members of that tier,
        counted once a day (the whole store's redemptions: too many to count on every member view)."""
        with self._popular_lock:
            if self._popular is not None and self._popular[0] == as_of:
                return self._popular[1]
            since = datetime.combine(as_of - timedelta(days=rules.POPULAR_WINDOW_DAYS), time.min)
            counted: dict[str, dict[int, int]] = {}
            with self._context.uow() as uow:
                for tier, reward_id, count in uow.hints.redemptions_by_tier(since):
                    counted.setdefault(tier, {})[reward_id] = count
            self._popular = (as_of, counted)
            return counted


def _reward_codes(hint: rules.Hint) -> tuple[str, ...]:
    if hint.kind is rules.HintKind.EXPIRING:
        return tuple(hint.facts["rewards"])
    if hint.kind is rules.HintKind.POPULAR_REWARD:
        return (str(hint.facts["reward"]),)
    return ()


def _view(result: Mapping[str, Any], *, replayed: bool) -> HintResponseView:
    return HintResponseView(
        operation_id=str(result["operation_id"]), member_no=str(result["member_no"]), hint_key=str(result["hint_key"]),
        kind=str(result["kind"]), response=str(result["response"]), responded_on=date.fromisoformat(str(result["responded_on"])),
        replayed=replayed,
    )
