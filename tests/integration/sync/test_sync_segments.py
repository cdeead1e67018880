"""Segments and a member's outreach preferences on a real PostgreSQL central: a segment saved at one desk
is applied at central (its signature judged for the marketing role) and reaches another desk through the
change feed, where it is edited to a second version; an officer's change of a member's preferences is
applied at central and audited there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sync_support import BRANCH, Desk, add_central_staff, central_rows, new_desk, seed_central

from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.outreach.preferences import OutreachPreferenceService
from loyalty_desk.services.segments.service import SegmentService
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres


def _settled(desk: Desk, applier: Applier, operation_id: str) -> str:
    desk.sync.desk.push([operation_id])
    applier.drain()
    verdict = desk.sync.confirm(operation_id, wait=2.0)
    assert verdict is not None
    return verdict.outcome


def _pulled_until(desk: Desk, done: Callable[[], bool]) -> bool:
    """Pulls until ``done``: the feed holds back rows of transactions still open below its horizon, the next pull brings them."""
    for _round in range(10):
        desk.sync.desk.pull()
        if done():
            return True
    return False


def _version(desk: Desk, code: str) -> int | None:
    with desk.context.uow() as uow:
        row = uow.segments.by_code(code)
        return None if row is None else row.version


def test_a_segment_and_a_members_preferences_travel_through_central(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [100])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        add_central_staff(uow, "mkt1", "marketing", branch.id, datetime(2026, 11, 1, 9, 0))
        add_central_staff(uow, "mkt2", "marketing", branch.id, datetime(2026, 11, 1, 9, 0))
        add_central_staff(uow, "off1", "officer", branch.id, datetime(2026, 11, 1, 9, 0))
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    fields = {"name_zh": "金卡会员", "name_en": "Gold members", "criteria": {"tiers": ["gold"]}}
    try:
        at_a = SegmentService(desk_a.context, desk_a.runner)
        saved = at_a.new_operation_id()
        at_a.save(operation_id=saved, session=desk_a.sign_in("mkt1"), code="GOLD", fields=fields)
        assert _settled(desk_a, applier, saved) == "accepted"
        assert central_rows(central_url, "SELECT code, version, created_by FROM segment") == [("GOLD", 1, "mkt1")]

        assert _pulled_until(desk_b, lambda: _version(desk_b, "GOLD") == 1)
        at_b = SegmentService(desk_b.context, desk_b.runner)
        session_b = desk_b.sign_in("mkt2")
        assert at_b.get(session=session_b, code="GOLD").version == 1
        changed = at_b.new_operation_id()
        at_b.save(operation_id=changed, session=session_b, code="GOLD", version=1,
                  fields={**fields, "criteria": {"tiers": ["gold", "platinum"]}})
        assert _settled(desk_b, applier, changed) == "accepted"
        assert _pulled_until(desk_a, lambda: _version(desk_a, "GOLD") == 2)
        shown = at_a.get(session=desk_a.sign_in("mkt1"), code="GOLD")
        assert (shown.version, shown.criteria["tiers"], shown.updated_by) == (2, ["gold", "platinum"], "mkt2")

        preferences = OutreachPreferenceService(desk_a.context, desk_a.runner)
        chosen = preferences.new_operation_id()
        done = preferences.change(operation_id=chosen, session=desk_a.sign_in("off1"), member_no=member_no, language="en", opt_out=True,
                                  note="signed the opt-out form")
        assert (done.language, done.opted_out) == ("en", True)
        assert _settled(desk_a, applier, chosen) == "accepted"
        assert central_rows(central_url, "SELECT language, marketing_opt_out FROM member WHERE member_no = :no", no=member_no) == [
            ("en", True)]
        assert central_rows(central_url, "SELECT action, actor FROM audit_event WHERE action LIKE 'segment.%' "
                                         "OR action = 'member.outreach_preferences' ORDER BY id") == [
            ("segment.created", "mkt1"), ("segment.changed", "mkt2"), ("member.outreach_preferences", "off1")]
    finally:
        applier.close()
        for desk in (desk_a, desk_b):
            desk.close()
