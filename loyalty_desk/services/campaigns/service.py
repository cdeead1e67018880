"""Campaigns for head-office marketing: the list with its figures, the lifecycle as operations (one id
made where each starts, the handlers in ``handlers.py``) and the cost forecast."""

from __future__ import annotations

import builtins
import re
import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from loyalty_desk.domain.campaigns import (
    CampaignDraft,
    CampaignKind,
    ReplayDay,
    Stacking,
    check_draft,
    check_note,
    multiplier_ratio,
    replay_rates,
    replay_window,
    shown_status,
    total_with_budget,
    years_later,
)
from loyalty_desk.domain.errors import DomainError, ValidationError, or_not_found
from loyalty_desk.domain.rules import Tier
from loyalty_desk.domain.tiers import earn_multiplier
from loyalty_desk.services.audit import NoProgress, Progress
from loyalty_desk.services.campaigns.dto import CampaignForecast, CampaignView
from loyalty_desk.services.campaigns.handlers import APPROVE, CODE_PATTERN, CREATE, EDIT, REJECT, STOP, SUBMIT
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.operations import OperationService
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.services.segments.service import segment_criteria
from loyalty_desk.store.models import Campaign
from loyalty_desk.store.repositories.campaigns import ReplayQuery, slices

FORECAST_SLICES = 16  # slices of the members the forecast reads (progress and Cancel between them)
FORECAST_WORKERS = 2


def view_of(row: Campaign, today: date) -> CampaignView:
    return CampaignView(
        code=row.code, name_zh=row.name_zh, name_en=row.name_en, kind=row.kind or CampaignKind.MULTIPLIER.value, multiplier=row.multiplier,
        bonus_points=int(row.bonus_points or 0), sources=tuple(row.sources or ()), tiers=tuple(row.tiers or ()),
        branches=tuple(row.branches or ()), starts_on=row.starts_on, ends_on=row.ends_on, budget_points=int(row.budget_points),
        spent_points=int(row.spent_points or 0), member_cap=int(row.member_cap) if row.member_cap is not None else None,
        stacking=row.stacking or Stacking.BEST.value, status=row.status,
        shown_status=shown_status(row.status, row.starts_on, row.ends_on, int(row.budget_points), int(row.spent_points or 0), today).value,
        members_reached=int(row.members_reached or 0), created_by=row.created_by, created_at=row.created_at, submitted_by=row.submitted_by,
        decided_by=row.decided_by, decided_at=row.decided_at, rejection_note=row.rejection_note, stopped_by=row.stopped_by,
        stopped_at=row.stopped_at, stop_reason=row.stop_reason, within_days=row.within_days,
        target_cny=int(row.target_cny) if row.target_cny is not None else None,
        segment=row.segment_code,
    )


def decision_refusal(view: CampaignView, username: str) -> str | None:
    """Why ``username`` may not approve or reject ``view`` now (an error code), or None."""
    if view.status != "submitted":
        return "campaign.wrong_status"
    if username in view.makers:
        return "campaign.maker_cannot_decide"
    return None


class CampaignService(OperationService):

    # ------------------------------------------------------------------ reading

    def list(self, *, session: StaffSession, statuses: tuple[str, ...] = ()) -> list[CampaignView]:
        require(session.role, Permission.CAMPAIGN_VIEW)
        today = self._context.today()
        with self._context.uow() as uow:
            return [view_of(row, today) for row in uow.reference.campaigns_listed(statuses)]

    def get(self, *, session: StaffSession, code: str) -> CampaignView:
        require(session.role, Permission.CAMPAIGN_VIEW)
        with self._context.uow() as uow:
            row = or_not_found(uow.reference.campaign_by_code(str(code).strip().upper()), "campaign", code)
            return view_of(row, self._context.today())

    def today(self) -> date:
        """The desk's business date (the screens' date fields start from it)."""
        return self._context.today()

    def branch_codes(self) -> builtins.list[str]:
        with self._context.uow() as uow:
            return uow.reference.branch_codes()

    def segment_codes(self) -> builtins.list[str]:
        """The saved segments a campaign may target."""
        with self._context.uow() as uow:
            return uow.segments.codes()

    def _checked(self, fields: Mapping[str, Any], today: date) -> CampaignDraft:
        with self._context.uow() as uow:
            return check_draft(fields, today=today, known_branches=uow.reference.branch_codes(), known_segments=uow.segments.codes())

    def check(self, fields: Mapping[str, Any]) -> None:
        """The draft's fields checked as the handlers will (``CampaignInvalid`` names every bad field)."""
        self._checked(fields, self._context.today())

    # ------------------------------------------------------------------ operations

    def create(self, *, operation_id: str, session: StaffSession, fields: Mapping[str, Any], code: str | None = None) -> CampaignView:
        require(session.role, Permission.CAMPAIGN_MANAGE)
        draft = self._checked(fields, self._context.today())
        chosen = (code or "").strip().upper() or self._new_code(operation_id)
        if not re.fullmatch(CODE_PATTERN, chosen):
            raise ValidationError("campaign.code", field="code", value=chosen)
        return self._execute(operation_id, CREATE, {"code": chosen, **draft.as_payload()}, session, chosen)

    def edit(self, *, operation_id: str, session: StaffSession, code: str, fields: Mapping[str, Any]) -> CampaignView:
        require(session.role, Permission.CAMPAIGN_MANAGE)
        draft = self._checked(fields, self._context.today())
        return self._execute(operation_id, EDIT, {"code": code, **draft.as_payload()}, session, code)

    def submit(self, *, operation_id: str, session: StaffSession, code: str) -> CampaignView:
        require(session.role, Permission.CAMPAIGN_MANAGE)
        return self._execute(operation_id, SUBMIT, {"code": code}, session, code)

    def approve(self, *, operation_id: str, session: StaffSession, code: str, note: str = "") -> CampaignView:
        require(session.role, Permission.CAMPAIGN_MANAGE)
        return self._execute(operation_id, APPROVE, {"code": code, "note": (note or "").strip()}, session, code)

    def reject(self, *, operation_id: str, session: StaffSession, code: str, note: str) -> CampaignView:
        require(session.role, Permission.CAMPAIGN_MANAGE)
        note = check_note(note)
        return self._execute(operation_id, REJECT, {"code": code, "note": note}, session, code)

    def stop(self, *, operation_id: str, session: StaffSession, code: str, reason: str) -> CampaignView:
        require(session.role, Permission.CAMPAIGN_MANAGE)
        reason = check_note(reason, field="reason")
        return self._execute(operation_id, STOP, {"code": code, "reason": reason}, session, code)

    @staticmethod
    def _new_code(operation_id: str) -> str:
        return "C" + uuid.UUID(str(operation_id)).hex[:8].upper()

    def _execute(self, operation_id: str, kind: str, payload: dict[str, Any], session: StaffSession, code: str) -> CampaignView:
        payload["code"] = str(code).strip().upper()
        self._run(operation_id, kind, payload, session.staff_id)
        return self.get(session=session, code=payload["code"])

    # ------------------------------------------------------------------ the forecast

    def forecast(
        self, *, session: StaffSession, fields: Mapping[str, Any] | None = None, code: str | None = None, progress: Progress | None = None
    ) -> CampaignForecast:
        """What the campaign (saved, by ``code``, or the form's ``fields``) would have cost over the same
        days a year earlier (within the last 12 months): its rules replayed on the ledger's earn entries
        with the earning engine's arithmetic, set-wise in the database, a slice of members at a time
        (``progress``: done/total, Cancel between slices raises ``campaign.forecast_cancelled``)."""
        require(session.role, Permission.CAMPAIGN_VIEW)
        progress = progress or NoProgress()
        if fields is None:
            view = self.get(session=session, code=str(code or ""))
            fields = {
                "name_zh": view.name_zh, "name_en": view.name_en, "kind": view.kind, "multiplier": view.multiplier,
                "bonus_points": view.bonus_points, "sources": view.sources, "tiers": view.tiers, "branches": view.branches,
                "starts_on": view.starts_on, "ends_on": view.ends_on, "budget_points": view.budget_points, "member_cap": view.member_cap,
                "stacking": view.stacking, "within_days": view.within_days, "target_cny": view.target_cny, "segment": view.segment,
            }
            today_rule = min(view.starts_on, self._context.today())  # an approved campaign may have begun
        else:
            today_rule = self._context.today()
        draft = self._checked(fields, today_rule)
        settings = self._context.rules
        point_value = settings.earning.point_value_cny_per_100_points
        today = self._context.today()
        window = replay_window(draft.starts_on, draft.ends_on, today)
        empty = CampaignForecast(code, None, None, 0, 0, 0, 0, 0, Decimal(0), draft.budget_points, None, point_value)
        if window is None:
            return empty
        replay_from, replay_to, years = window
        query = ReplayQuery(
            rates=tuple(replay_rates(settings, draft.sources)), tiers=tuple(t.value for t in draft.tiers),
            tier_ratios={t.value: multiplier_ratio(earn_multiplier(Tier(t), settings.tiers)) for t in Tier},
            branch_codes=draft.branches, kind=draft.kind.value, stacking=draft.stacking.value, multiplier=multiplier_ratio(draft.multiplier),
            bonus_points=draft.bonus_points, member_cap=draft.member_cap, replay_from=replay_from, replay_to=replay_to,
            within_days=draft.within_days, target_cny=draft.target_cny,
        )
        with self._context.uow() as uow:
            if draft.segment is not None:  # the segment's members as they are today
                query = replace(query, segment=segment_criteria(uow, draft.segment), segment_on=today)
            parts = slices(uow.campaigns.member_id_bounds(), FORECAST_SLICES)
        progress.set_progress(0, len(parts))
        done = [0]
        lock = threading.Lock()

        def replay(part: tuple[int, int]) -> builtins.list[ReplayDay]:
            if progress.is_cancelled():
                raise DomainError("campaign.forecast_cancelled")
            with self._context.uow() as uow:
                found = uow.campaigns.replay_slice(query, *part)
            with lock:
                done[0] += 1
                progress.set_progress(done[0], len(parts))
            return found

        # Two slices at a time: the database works on each in its own connection (SQLite releases the
        # GIL while it steps), so the forecast takes both cores of a desk.
        with ThreadPoolExecutor(max_workers=FORECAST_WORKERS) as pool:
            days = [item for found in pool.map(replay, parts) for item in found]
        by_day: dict[date, list[int]] = {}
        for item in days:
            sums = by_day.setdefault(item.day, [0, 0, 0])
            sums[0] += item.points
            sums[1] += item.transactions
            sums[2] += item.first_members
        totals = total_with_budget([ReplayDay(d, *v) for d, v in by_day.items()], draft.budget_points)
        cost = (Decimal(totals.points) * point_value / 100).quantize(Decimal("0.01"))
        return CampaignForecast(
            code=code, replayed_from=replay_from, replayed_to=replay_to, years_back=years, transactions=totals.transactions, points=totals.points,
            points_without_budget=totals.points_without_budget, members_reached=totals.members, cost_cny=cost, budget_points=draft.budget_points,
            exhausted_on=years_later(totals.exhausted_on, years) if totals.exhausted_on else None, point_value_cny_per_100_points=point_value,
        )
