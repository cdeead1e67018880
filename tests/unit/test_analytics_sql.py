"""The analytics check covers every aggregate: each table is compared with the ledger by one check."""

from __future__ import annotations

from loyalty_desk.store import analytics
from loyalty_desk.store.repositories.analytics import SET_CHECKS, SHAPE_CHECKS

SET_TABLES = {"served": analytics.SERVED_TABLE, "active": analytics.ACTIVE_TABLE, "campaign": analytics.CAMPAIGN_TABLE}


def test_every_aggregate_table_is_checked_once() -> None:
    checked = [*SHAPE_CHECKS, *(SET_TABLES[name] for name in SET_CHECKS)]
    assert sorted(checked) == sorted(analytics.AGGREGATE_TABLES)
    assert set(SHAPE_CHECKS) == {shape.table for shape in analytics.SHAPES}
