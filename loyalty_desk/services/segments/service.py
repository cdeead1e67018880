"""Segments for head-office marketing: the saved list, the live member count of saved or unsaved
criteria, and saving (the operation segment.save, ``handlers.py``)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import date
from typing import Any

from loyalty_desk.domain.errors import or_not_found
from loyalty_desk.domain.segments import SegmentCriteria, check_code, check_segment, criteria_of, dates_for
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.operations import OperationService
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.services.segments.dto import SegmentCount, SegmentView
from loyalty_desk.services.segments.handlers import SAVE
from loyalty_desk.store.models import Segment
from loyalty_desk.store.uow import UnitOfWork


def view_of(row: Segment) -> SegmentView:
    criteria = criteria_of(row.criteria)
    return SegmentView(
        code=row.code, name_zh=row.name_zh, name_en=row.name_en, criteria=criteria.as_payload(), described=tuple(criteria.describe()),
        version=row.version, created_by=row.created_by, created_at=row.created_at, updated_by=row.updated_by, updated_at=row.updated_at,
    )


def segment_criteria(uow: UnitOfWork, code: str) -> SegmentCriteria:
    """The saved segment's criteria (``NotFound`` when there is none)."""
    row = or_not_found(uow.segments.by_code(code), "segment", code)
    return criteria_of(row.criteria)


def in_segment(uow: UnitOfWork, code: str, member_id: int, on: date) -> bool:
    """Whether the member is in the saved segment on ``on`` (a campaign aimed at a segment earns only for its
    members): one indexed query on the member. A segment the store does not hold (yet) holds nobody."""
    row = uow.segments.by_code(code)
    if row is None:
        return False
    criteria = criteria_of(row.criteria)
    return uow.segments.holds(criteria, dates_for(criteria, on), on, member_id)


class SegmentService(OperationService):
    def list(self, *, session: StaffSession) -> builtins.list[SegmentView]:
        require(session.role, Permission.CAMPAIGN_VIEW)
        with self._context.uow() as uow:
            return [view_of(row) for row in uow.segments.all()]

    def get(self, *, session: StaffSession, code: str) -> SegmentView:
        require(session.role, Permission.CAMPAIGN_VIEW)
        with self._context.uow() as uow:
            row = or_not_found(uow.segments.by_code(str(code).strip().upper()), "segment", code)
            return view_of(row)

    def branch_codes(self) -> builtins.list[str]:
        with self._context.uow() as uow:
            return uow.reference.branch_codes()

    def check(self, fields: Mapping[str, Any]) -> None:
        """The fields checked as the handler will (``SegmentInvalid`` names every bad field)."""
        check_segment(fields, known_branches=self.branch_codes())

    def count(self, *, session: StaffSession, code: str | None = None, fields: Mapping[str, Any] | None = None) -> SegmentCount:
        """How many members the saved segment ``code`` (or the unsaved ``fields``) holds today: one query."""
        require(session.role, Permission.CAMPAIGN_VIEW)
        today = self._context.today()
        with self._context.uow() as uow:
            if fields is not None:
                criteria = check_segment({"name_zh": "-", "name_en": "-", **fields}, known_branches=uow.reference.branch_codes()).criteria
            else:
                criteria = segment_criteria(uow, str(code or "").strip().upper())
            return SegmentCount(uow.segments.count(criteria, dates_for(criteria, today), today), today)

    def save(self, *, operation_id: str, session: StaffSession, code: str, fields: Mapping[str, Any], version: int = 0) -> SegmentView:
        """Creates the segment (``version`` 0) or changes the version the marketer was shown."""
        require(session.role, Permission.CAMPAIGN_MANAGE)
        chosen = check_code(code)
        checked = check_segment(fields, known_branches=self.branch_codes())
        payload = {"code": chosen, **checked.as_payload(), "version": int(version)}
        self._run(operation_id, SAVE, payload, session.staff_id)
        return self.get(session=session, code=chosen)
