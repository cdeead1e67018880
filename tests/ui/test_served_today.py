"""With the box empty, lookup lists the members served at this desk today, for one-key reopening."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt


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


@pytest.mark.parametrize("typed", ["", "Wang"])
@pytest.mark.parametrize("notice", [None, "Redeemed R-1."])
def test_showing_lookup_reads_the_served_list_once(qtbot, main_window, desk_data, monkeypatch, typed, notice):
    _request(desk_data, desk_data.wang)
    lookup = main_window.screens["lookup"]
    main_window.store_watch.timer.stop()  # only the showing reads
    lookup.search.setText(typed)
    assert main_window.runner.wait_for_done()
    reads = []
    served_today = desk_data.services.lookup.served_today
    monkeypatch.setattr(desk_data.services.lookup, "served_today", lambda **kw: reads.append(1) or served_today(**kw))
    main_window.navigate("lookup", notice=notice)
    assert main_window.runner.wait_for_done()  # every read asked for has run
    assert len(reads) == (0 if typed and notice is None else 1)
    if not typed or notice is not None:
        qtbot.waitUntil(lambda: _served(lookup) == [desk_data.wang], timeout=10_000)
