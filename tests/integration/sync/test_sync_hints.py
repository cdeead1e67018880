"""A member's answer to a hint, recorded at one desk, reaches central for analysis and hides the hint
for the day at another desk of the region too."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sync_support import new_desk, seed_central

from loyalty_desk.domain.dates import add_months
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.hints import HintService
from loyalty_desk.store.db import make_engine
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres


def test_a_declined_hint_reaches_central_and_the_other_desk(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    # points earned 24 months before this month expire at its end: an expiry hint today
    (member_no,) = seed_central(central_url, [3_000], earned_on=add_months(date.today().replace(day=1), -24))
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        session = desk_a.sign_in("sup1")
        hints_a = HintService(desk_a.context, desk_a.runner)
        (expiry,) = [h for h in hints_a.for_member(member_no=member_no).hints if h.kind == "expiring"]
        hints_a.respond(operation_id=str(uuid.uuid4()), session=session, member_no=member_no, hint_key=expiry.key, response="declined")
        desk_a.sync.desk.push()
        assert applier.drain().posted == 1
        engine = make_engine(central_url)
        try:
            with engine.connect() as connection:
                row = connection.execute(text("SELECT hint_key, response, facts FROM hint_response")).one()
        finally:
            engine.dispose()
        assert (row.hint_key, row.response, row.facts["points"]) == (expiry.key, "declined", 3_000)
        desk_b.sync.desk.pull()
        hints_b = HintService(desk_b.context, desk_b.runner).for_member(member_no=member_no)
        assert expiry.key not in {h.key for h in hints_b.hints} and hints_b.closed_today == 1
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()
