"""With the box empty, lookup lists the members served at this desk today, for one-key reopening."""

from __future__ import annotations

from typing import Any

import pytest
from factories import add_staff
from PySide6.QtCore import Qt


@pytest.fixture
def catalogue(desk_data) -> Any:
    admin = add_staff(desk_data.store.context, username="admin1", role="admin")
    desk_data.services.redemption.upsert_reward(
        code="VCH-JD100", name_zh="京东E卡100元", name_en="JD e-card 100 CNY", category="voucher", points_cost=10_000,
        cash_value="100", session=admin,
    )
    return admin


def _request(desk_data, member_no):
    adjustments = desk_data.services.adjustments
    adjustments.request(
        operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=member_no,
        direction="credit", points=100, reason_code="GOODWILL", memo="Client waited an hour at the counter",
    )


def _served(lookup) -> list[str]:
    return [lookup.model.row(row).member_no for row in range(lookup.model.rowCount())] if lookup.served is not None else []


def test_members_served_today_are_listed_latest_first_and_follow_the_store(qtbot, main_window, desk_data, catalogue):
    _request(desk_data, desk_data.latin)  # yesterday: not today's
    desk_data.store.clock.advance(days=1)
    lookup = main_window.screens["lookup"]
    _request(desk_data, desk_data.wang)
    main_window.navigate("lookup")
    qtbot.waitUntil(lambda: _served(lookup) == [desk_data.wang], timeout=10_000)
    assert lookup.count.text() == "Served at this desk today: 1"

    service = desk_data.services.redemption
    service.redeem(operation_id=service.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                   reward_code="VCH-JD100", qty=1)
    main_window.store_watch.check()  # the redemption adds its member without anything else done
    qtbot.waitUntil(lambda: _served(lookup) == [desk_data.zhang, desk_data.wang], timeout=10_000)

    # ↓ and Enter reopens the second
    qtbot.keyClick(lookup.search, Qt.Key.Key_Down)
    qtbot.keyClick(lookup.search, Qt.Key.Key_Down)
    with qtbot.waitSignal(lookup.sig_open_member) as opened:
        qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    assert opened.args == [desk_data.wang]


def test_alt_and_a_digit_reopens_a_served_member_and_typing_searches_as_before(qtbot, main_window, desk_data):
    _request(desk_data, desk_data.wang)
    _request(desk_data, desk_data.zhang)
    lookup = main_window.screens["lookup"]
    main_window.navigate("lookup")
    qtbot.waitUntil(lambda: _served(lookup) == [desk_data.zhang, desk_data.wang], timeout=10_000)
    assert [s.isEnabled() for s in lookup.served_shortcuts[:3]] == [True, True, False]
    qtbot.keyClick(lookup.search, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: main_window.current_key() == "member", timeout=10_000)
    assert main_window.screens["member"].member_no == desk_data.wang

    main_window.navigate("lookup")
    qtbot.keyClicks(lookup.search, desk_data.latin)
    qtbot.waitUntil(lambda: lookup.result is not None and lookup.result.total == 1, timeout=10_000)
    assert lookup.served is None and not any(s.isEnabled() for s in lookup.served_shortcuts)
    lookup.search.clear()
    qtbot.waitUntil(lambda: _served(lookup) == [desk_data.zhang, desk_data.wang], timeout=10_000)


def test_another_desks_work_is_not_served_here(qtbot, tmp_path, main_window, desk_data):
    from factories import carry_sign_ins

    from loyalty_desk.bootstrap import build_services

    other = build_services(tmp_path / "store", desk_name="other-desk", clock=desk_data.store.clock)
    carry_sign_ins(desk_data.store.context, other, desk_data.officer2)
    try:
        adjustments = other.adjustments
        adjustments.request(
            operation_id=adjustments.new_operation_id(), session=desk_data.officer2, member_no=desk_data.zhang,
            direction="credit", points=100, reason_code="GOODWILL", memo="Client waited an hour at the counter",
        )
    finally:
        other.close()
    assert desk_data.services.lookup.served_today() == ()
