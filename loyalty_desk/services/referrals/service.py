"""The referral use cases: registration, decisions, the sweep and the referral views."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from loyalty_desk.domain import referrals as rules
from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.domain.identity import (
    mask_name,
    validate_address,
    validate_member_no,
    validate_mobile,
)
from loyalty_desk.domain.referrals import Event, RewardStatus, Status
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import refuse_local_job
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.member_numbers import number_for
from loyalty_desk.services.members.records import member_or_fail
from loyalty_desk.services.operations import OperationService, checked_operation_id
from loyalty_desk.services.referrals.checks import clean_fields, existing_matches, flags_for, referrer_by_code, referrer_facts
from loyalty_desk.services.referrals.dto import (
    DecisionOutcome,
    FlaggedReferral,
    ListFilter,
    MemberReferrals,
    ReferralView,
    ReferrerPreview,
    RegistrationOutcome,
    RewardView,
    SweepReport,
    TreeNode,
)
from loyalty_desk.services.referrals.handlers import CLEAR, REGISTER, REJECT
from loyalty_desk.services.referrals.qualification import net_card_spend
from loyalty_desk.services.referrals.records import entry_uid, member_no_of, referral_code_for, referral_state, require_resolve
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.models import Referral
from loyalty_desk.store.uow import UnitOfWork

SWEEP_JOB = "referrals.sweep"


class ReferralService(OperationService):
    # ------------------------------------------------------------------ checking as the officer types

    def referrer(self, *, code: str) -> ReferrerPreview:
        code = rules.validate_referral_code(code)
        with self._context.uow() as uow:
            member = referrer_by_code(uow, code)
            return ReferrerPreview(code, member.member_no, mask_name(member.name), member.status, uow.members.branch(member).code)

    def check(
        self, *, code: str | None, name: str | None = None, id_type: str | None = None, id_number: str | None = None,
        mobile: str | None = None, address: str | None = None, partial: bool = False,
    ) -> list[DomainError]:
        """Every problem of the registration form: field rules, then the store's refusals (already a
        member, self-referral, staff, yearly cap). ``partial`` skips the "required" problems of fields
        still empty (the form checks as the officer types)."""
        today = self._context.today()
        clean, problems = clean_fields(code=code, name=name, id_type=id_type, id_number=id_number, mobile=mobile, address=address, today=today)
        if partial:
            problems = [p for p in problems if not p.code.endswith("required")]
        with self._context.uow() as uow:
            referrer = None
            if "code" in clean:
                try:
                    referrer = referrer_by_code(uow, clean["code"])
                except DomainError as error:
                    problems.append(error)
            referee = rules.Person(clean.get("id_number", ""), clean.get("mobile", ""), clean.get("address"))
            problems += rules.registration_problems(
                referee=referee,
                referrer=referrer_facts(uow, referrer, today) if referrer is not None else None,
                existing=existing_matches(uow, clean.get("id_number"), clean.get("mobile")),
                year=today.year,
                settings=self._context.rules.referrals,
            )
        return problems

    def would_flag(self, *, code: str, id_number: str, mobile: str, address: str | None) -> list[str]:
        """The fraud patterns a registration would be flagged for (shown before confirming)."""
        with self._context.uow() as uow:
            referrer = referrer_by_code(uow, rules.validate_referral_code(code))
            person = rules.Person(id_number, validate_mobile(mobile), validate_address(address, "address"))
            return [f.flag.value for f in flags_for(uow, self._context.rules.referrals, person, referrer, self._context.today())]

    # ------------------------------------------------------------------ operations

    def register(
        self, *, operation_id: str, session: StaffSession, code: str, name: str, id_type: str, id_number: str, mobile: str,
        address: str | None = None,
    ) -> RegistrationOutcome:
        require(session.role, Permission.REFERRAL_REGISTER)
        checked_operation_id(operation_id)
        clean, problems = clean_fields(code=code, name=name, id_type=id_type, id_number=id_number, mobile=mobile, address=address,
                                        today=self._context.today())
        if problems:
            raise problems[0]
        payload = {
            "code": clean["code"], "name": clean["name"], "id_type": clean["id_type"], "id_number": clean["id_number"],
            "mobile": clean["mobile"], "address": clean["address"], "member_no": number_for(self._context, operation_id, REGISTER),
        }
        outcome = self._run(operation_id, REGISTER, payload, session.staff_id)
        r = outcome.result
        return RegistrationOutcome(int(r["referral_id"]), operation_id, str(r["status"]), str(r["referee_no"]), str(r["referee_code"]),
                                   str(r["referrer_no"]), tuple(r.get("flags") or ()), outcome.replayed)

    def clear(self, *, operation_id: str, session: StaffSession, referral: str, note: str) -> DecisionOutcome:
        return self._decide(CLEAR, operation_id, session, referral, note)

    def reject(self, *, operation_id: str, session: StaffSession, referral: str, note: str) -> DecisionOutcome:
        return self._decide(REJECT, operation_id, session, referral, note)

    def _decide(self, kind: str, operation_id: str, session: StaffSession, referral: str, note: str) -> DecisionOutcome:
        require_resolve(session.role)
        checked_operation_id(operation_id)
        note = rules.clean_decision_note(note)
        outcome = self._run(operation_id, kind, {"referral": str(referral), "note": note}, session.staff_id)
        r = outcome.result
        return DecisionOutcome(int(r["referral_id"]), str(r["operation_id"]), str(r["status"]), outcome.replayed)

    # ------------------------------------------------------------------ the sweep (a job)

    def sweep(self, *, as_of: date | None = None, actor: Actor | None = None) -> SweepReport:
        """Releases or claws back rewards whose pending period ended on or before ``as_of``, expires
        registrations whose window ended before it, and assigns missing referral codes. One
        transaction per referral; a rerun finds nothing left to do."""
        refuse_local_job(self._context, "referrals sweep")
        as_of = as_of or self._context.today()
        actor = actor or self._context.system_actor(SWEEP_JOB)
        settings = self._context.rules
        codes = self.assign_missing_codes(actor=actor)
        with self._context.uow() as uow:
            due = uow.referrals.due_for_release(as_of)
            stale = uow.referrals.due_for_expiry(as_of - timedelta(days=settings.referrals.qualification_days))
        released = clawed = expired = points = 0
        touched: list[int] = []
        for referral_id in due:
            with self._context.uow(write=True) as uow:
                now = self._context.clock()
                referral = uow.referrals.get(referral_id, fresh=True)
                if referral is None or referral.status != Status.QUALIFIED or referral.rewards_pending_until is None \
                        or referral.rewards_pending_until > as_of:
                    continue
                reason = self._closed_product(uow, referral)
                if reason:
                    self._claw_back(uow, referral, reason, now, actor)
                    clawed += 1
                else:
                    points += self._release(uow, settings, referral, now, actor)
                    released += 1
                uow.commit()
                touched.append(referral_id)
        for referral_id in stale:
            with self._context.uow(write=True) as uow:
                now = self._context.clock()
                referral = uow.referrals.get(referral_id, fresh=True)
                if referral is None or referral.status != Status.REGISTERED or not rules.is_expired(referral.registered_on, as_of, settings.referrals):
                    continue
                before = referral_state(referral)
                referral.status = Status.EXPIRED.value
                referral.closed_reason = "not_qualified"
                record(uow, actor, "referral.expire", entity="referral", entity_id=referral.operation_id,
                       member_no=member_no_of(uow, referral.referrer_member_id), before=before, after=referral_state(referral),
                       details={"registered_on": referral.registered_on, "as_of": as_of}, now=now)
                uow.commit()
                expired += 1
                touched.append(referral_id)
        return SweepReport(as_of, released, points, clawed, expired, codes, tuple(touched))

    def _closed_product(self, uow: UnitOfWork, referral: Referral) -> str | None:
        referee = uow.members.get(referral.referee_member_id)
        assert referee is not None
        if referee.status == "closed":
            return "referee_closed"
        if referral.qualifying_event == Event.CARD and referral.rewards_pending_until is not None:
            spend = net_card_spend(referral, referral.registered_on, referral.rewards_pending_until)
            if spend < self._context.rules.referrals.card_spend_minimum_cny:
                return "card_spend_refunded"
        return None

    @staticmethod
    def _claw_back(uow: UnitOfWork, referral: Referral, reason: str, now: datetime, actor: Actor) -> None:
        before = referral_state(referral)
        rewards = uow.referrals.rewards([referral.id]).get(referral.id, [])
        for reward in rewards:
            if reward.status == RewardStatus.PENDING:
                reward.status, reward.settled_at = RewardStatus.CLAWED_BACK.value, now
        referral.status, referral.closed_reason = Status.CLAWED_BACK.value, reason
        record(uow, actor, "referral.claw_back", entity="referral", entity_id=referral.operation_id,
               member_no=member_no_of(uow, referral.referrer_member_id), before=before, after=referral_state(referral),
               details={"reason": reason, "rewards": [{"role": r.role, "points": r.points, "status": r.status} for r in rewards]}, now=now)

    @staticmethod
    def _release(uow: UnitOfWork, settings: Any, referral: Referral, now: datetime, actor: Actor) -> int:
        before = referral_state(referral)
        ledger = Ledger(uow, settings, now)
        rewards = sorted(uow.referrals.rewards([referral.id]).get(referral.id, []), key=lambda r: r.member_id)  # lock order
        referee_no = member_no_of(uow, referral.referee_member_id)
        posted = 0
        for reward in rewards:
            if reward.status != RewardStatus.PENDING:
                continue
            member = uow.members.lock(reward.member_id)
            assert member is not None
            uid = entry_uid(referral, reward.role)
            existing = uow.ledger.entry_by_uid(uid)
            if existing is None:
                existing = ledger.credit(
                    member,
                    Posting(entry_uid=uid, kind="referral", rule=f"referral_{reward.role}", occurred_on=reward.available_on,
                            branch_id=referral.branch_id, reference=referee_no,
                            details={"referral": referral.operation_id, "role": reward.role, "event": referral.qualifying_event,
                                     "referee_no": referee_no}),
                    int(reward.points),
                    qualifying=False,  # referral points are not tier points
                )
                posted += int(reward.points)
            reward.status, reward.entry_id, reward.settled_at = RewardStatus.POSTED.value, existing.id, now
        referral.status, referral.rewarded_at = Status.REWARDED.value, now
        record(uow, actor, "referral.reward", entity="referral", entity_id=referral.operation_id,
               member_no=member_no_of(uow, referral.referrer_member_id), before=before, after=referral_state(referral),
               details={"points_posted": posted, "rewards": [{"role": r.role, "points": r.points, "status": r.status} for r in rewards]},
               now=now)
        return posted

    def assign_missing_codes(self, *, actor: Actor | None = None) -> int:
        """Every member gets the referral code derived from their number (members made before codes existed)."""
        actor = actor or self._context.system_actor(SWEEP_JOB)
        total = 0
        while True:
            with self._context.uow(write=True) as uow:
                batch = uow.referrals.members_without_code()
                if not batch:
                    break
                uow.referrals.set_codes([(member_id, referral_code_for(member_no)) for member_id, member_no in batch])
                total += len(batch)
                uow.commit()
        if total:
            with self._context.uow(write=True) as uow:
                record(uow, actor, "referral.codes_assigned", details={"members": total}, now=self._context.clock())
                uow.commit()
        return total

    # ------------------------------------------------------------------ reading

    def for_member(self, *, member_no: str) -> MemberReferrals:
        member_no = validate_member_no(member_no)
        with self._context.uow() as uow:
            member = member_or_fail(uow, member_no)
            received = uow.referrals.for_referee(member.id)
            made = uow.referrals.made_by([member.id])
            grandchildren = uow.referrals.made_by([r.referee_member_id for r in made])
            views = self._views(uow, [*([received] if received else []), *made, *grandchildren])
            by_id = {v.referral_id: v for v in views}
            below: dict[str, list[ReferralView]] = {}
            for r in grandchildren:
                below.setdefault(by_id[r.id].referrer_no, []).append(by_id[r.id])

            def points_for(view: ReferralView, role: str) -> int:
                reward = view.reward_for(role)
                return reward.points if reward and reward.status in ("pending", "posted") else 0

            tree = tuple(
                TreeNode(
                    by_id[r.id].referee_no, by_id[r.id].referee_name, by_id[r.id].status, r.registered_on,
                    points_for(by_id[r.id], "referrer"),
                    tuple(TreeNode(g.referee_no, g.referee_name, g.status, g.registered_on, points_for(g, "second_level"),
                                   event=g.qualifying_event)
                          for g in below.get(by_id[r.id].referee_no, [])),
                    event=r.qualifying_event,
                )
                for r in made
            )
            pending = uow.referrals.pending_for_member(member.id)
            return MemberReferrals(
                member_no=member.member_no,
                referral_code=member.referral_code,
                received=by_id[received.id] if received else None,
                made=tuple(by_id[r.id] for r in made),
                tree=tree,
                pending_points=sum(int(p.points) for p in pending),
                next_available_on=pending[0].available_on if pending else None,
            )

    def get(self, *, referral: str) -> ReferralView:
        with self._context.uow() as uow:
            found = or_not_found(uow.referrals.by_operation(str(referral)), "referral", referral)
            return self._views(uow, [found])[0]

    def list(self, *, session: StaffSession | None = None, filters: ListFilter | None = None, limit: int = 1000) -> tuple[ReferralView, ...]:
        """Referrals newest first. With a session: its branch (head office and auditors: any, or
        ``filters.branch_code``). Without (command line and jobs): every branch."""
        wanted = filters or ListFilter()
        for status in wanted.statuses:
            if status not in {s.value for s in Status}:
                raise ValidationError("referral.status", field="status", value=status, allowed=", ".join(s.value for s in Status))
        if wanted.since and wanted.until and wanted.since > wanted.until:
            raise ValidationError("audit.filter_dates", field="since", since=wanted.since, until=wanted.until)
        with self._context.uow() as uow:
            branch_id = self._scope(uow, session, wanted.branch_code)
            member_id = referrer_id = None
            if wanted.member_no:
                member = uow.members.by_no(validate_member_no(wanted.member_no))
                if member is None:
                    return ()
                member_id = member.id
            if wanted.referrer_no:
                member = uow.members.by_no(validate_member_no(wanted.referrer_no))
                if member is None:
                    return ()
                referrer_id = member.id
            rows = uow.referrals.search(statuses=wanted.statuses or None, branch_id=branch_id, referrer_member_id=referrer_id,
                                        member_id=member_id, since=wanted.since, until=wanted.until, limit=limit)
            return tuple(self._views(uow, rows))

    def flagged(self, *, session: StaffSession) -> tuple[FlaggedReferral, ...]:
        """The supervisor's list: flagged referrals of the branch (any for head office), oldest first,
        each with the other referrals that show the same pattern."""
        if session.role != "auditor":
            require_resolve(session.role)
        with self._context.uow() as uow:
            branch_id = self._scope(uow, session, None)
            rows = list(reversed(uow.referrals.search(statuses=[Status.FLAGGED.value], branch_id=branch_id)))
            items = []
            for referral in rows:
                others = {r.id: r for r in uow.referrals.sharing(
                    address_key=referral.referee_address_key, phone_prefix=referral.referee_phone_prefix, exclude_id=referral.id)}
                if "daily_volume" in {str(f.get("code")) for f in referral.flag_reasons or []}:
                    others.update({r.id: r for r in uow.referrals.by_referrer_on(referral.referrer_member_id, referral.registered_on, referral.id)})
                views = self._views(uow, [referral, *sorted(others.values(), key=lambda r: r.id)])
                items.append(FlaggedReferral(views[0], tuple(views[1:])))
            return tuple(items)

    def pending_rewards(self, *, member_no: str) -> tuple[RewardView, ...]:
        member_no = validate_member_no(member_no)
        with self._context.uow() as uow:
            member = member_or_fail(uow, member_no)
            return tuple(RewardView(r.role, member_no, int(r.points), r.status, r.available_on) for r in uow.referrals.pending_for_member(member.id))

    def export(self, *, session: StaffSession, path: Path, filters: ListFilter | None = None, language: str = "en") -> Path:
        """The branch referral list as an Excel workbook (masked names); audited."""
        from loyalty_desk.documents.referrals import write_referrals

        require(session.role, Permission.EXPORT_BRANCH_LISTS)
        views = self.list(session=session, filters=filters, limit=100_000)
        written = write_referrals(Path(path), views, language=language)
        self._context.audit.record(self._context.actor_of(session), "export.referrals", entity="file", entity_id=written.name,
                                   details={"rows": len(views), "filters": _filters_json(filters)})
        return written

    @staticmethod
    def _scope(uow: UnitOfWork, session: StaffSession | None, branch_code: str | None) -> int | None:
        if session is None or session.role == "auditor":
            wanted = branch_code
        else:
            own = or_not_found(uow.reference.branch_by_code(session.branch_code), "branch", session.branch_code)
            if not own.is_head_office:
                return own.id
            wanted = branch_code
        if not wanted:
            return None
        branch = or_not_found(uow.reference.branch_by_code(wanted), "branch", wanted)
        return branch.id

    @staticmethod
    def _views(uow: UnitOfWork, rows: Sequence[Referral]) -> builtins.list[ReferralView]:
        if not rows:
            return []
        member_ids = {r.referrer_member_id for r in rows} | {r.referee_member_id for r in rows}
        member_ids |= {r.second_level_member_id for r in rows if r.second_level_member_id}
        rewards = uow.referrals.rewards([r.id for r in rows])
        member_ids |= {w.member_id for items in rewards.values() for w in items}
        members = {m.id: m for m in uow.members.by_ids(member_ids)}
        staff_ids = {r.staff_id for r in rows} | {r.decided_by_staff_id for r in rows if r.decided_by_staff_id}
        staff = {s_id: uow.staff.get(s_id) for s_id in staff_ids}
        branches = {b.id: b.code for b in uow.reference.branches()}
        views = []
        for r in rows:
            referrer, referee = members[r.referrer_member_id], members[r.referee_member_id]
            officer, decider = staff.get(r.staff_id), staff.get(r.decided_by_staff_id) if r.decided_by_staff_id else None
            views.append(
                ReferralView(
                    referral_id=r.id, operation_id=r.operation_id, status=r.status, code_used=r.code_used,
                    referrer_no=referrer.member_no, referrer_name=mask_name(referrer.name),
                    referee_no=referee.member_no, referee_name=mask_name(referee.name),
                    second_level_no=members[r.second_level_member_id].member_no if r.second_level_member_id else None,
                    branch_code=branches.get(r.branch_id, "?"), officer=officer.username if officer else "?",
                    registered_on=r.registered_on, registered_at=r.registered_at,
                    qualifying_event=r.qualifying_event, qualifying_txn_id=r.qualifying_txn_id, qualifying_on=r.qualifying_on,
                    rewards_pending_until=r.rewards_pending_until,
                    rewards=tuple(RewardView(w.role, members[w.member_id].member_no, int(w.points), w.status, w.available_on)
                                  for w in rewards.get(r.id, [])),
                    flags=tuple(r.flag_reasons or ()), decided_by=decider.username if decider else None, decided_at=r.decided_at,
                    decision_note=r.decision_note, closed_reason=r.closed_reason,
                )
            )
        return views


def _filters_json(filters: ListFilter | None) -> dict[str, Any]:
    if filters is None:
        return {}
    return {k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
            for k, v in filters.__dict__.items() if v not in (None, ())}
