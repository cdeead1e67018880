"""Every screen shows the store's truth after every action: a member opened again (by card or by
number) after a redemption, an approved adjustment, a reversal, a referral or an expiry run shows the
new balance and the new history entry, and so do the lookup results and a member view on show."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_support import card_for, type_text

from loyalty_desk.domain.identity import make_resident_id


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the keyboard is (the desk's shortcuts reach the window from any widget)."""
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def shown_member(member) -> tuple[int, int, str, int]:
    """What the member view shows: available and posted balance tiles, and the newest history line."""
    newest = member.history_model.row(0)
    return (
        int(member.t_available.value.text().replace(",", "")),
        int(member.t_posted.value.text().replace(",", "")),
        newest.kind,
        newest.points,
    )


def truth(desk_data, member_no: str) -> tuple[int, int, str, int]:
    view = desk_data.services.members.view(member_no=member_no)
    newest = desk_data.services.members.history(member_no=member_no, offset=0, limit=1).rows[0]
    return view.available_balance, view.posted_balance, newest.kind, newest.points


def reopen(qtbot, window, text: str) -> Any:
    """F2, the text typed into the lookup box as a swipe or the keyboard does, Enter: the member view."""
    lookup = window.screens["lookup"]
    member = window.screens["member"]
    press(qtbot, window, Qt.Key.Key_F2)
    assert window.current_key() == "lookup" and QApplication.focusWidget() is lookup.search
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000), qtbot.waitSignal(member.history_model.sig_loaded, timeout=10_000):
        type_text(qtbot, lookup.search, text)  # the old text is selected: the swipe replaces it
        qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    assert window.current_key() == "member"
    return member


def assert_reopened_shows(qtbot, window, desk_data, member_no: str, expected: tuple[int, int, str, int]) -> None:
    card = card_for(desk_data.serials["zhang"]) if member_no == desk_data.zhang else None
    for text in filter(None, (card, member_no)):
        member = reopen(qtbot, window, text)
        qtbot.waitUntil(lambda member=member: member.history_model.rowCount() > 0, timeout=10_000)
        assert shown_member(member) == expected, f"opened by {text}"


def open_member(qtbot, window, member_no: str) -> Any:
    member = window.screens["member"]
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000), qtbot.waitSignal(member.history_model.sig_loaded, timeout=10_000):
        window.navigate("member", member_no=member_no)
    return member


def test_after_a_redemption_the_member_opened_again_shows_the_new_balance_and_entry(qtbot, main_window, desk_data, catalogue):
    card = card_for(desk_data.serials["zhang"])
    before = truth(desk_data, desk_data.zhang)
    member = reopen(qtbot, main_window, card)  # the walk-in's first swipe
    assert shown_member(member)[:2] == before[:2]
    lookup = main_window.screens["lookup"]

    redeem = main_window.screens["redeem"]
    with qtbot.waitSignal(redeem.sig_quoted, timeout=10_000):
        press(qtbot, main_window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: redeem.quote is not None and redeem.quote.reward_code == "VCH-JD100", timeout=10_000)
    press(qtbot, main_window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: redeem.confirm_dialog is not None and redeem.confirm_dialog.isAncestorOf(QApplication.focusWidget()), timeout=10_000)
    with qtbot.waitSignal(redeem.sig_redeemed, timeout=10_000):
        press(qtbot, main_window, Qt.Key.Key_Return)
    after = truth(desk_data, desk_data.zhang)
    assert after[:2] == (before[0] - 10_000, before[1] - 10_000) and after[2:] == ("redeem", -10_000)
    # no receipt printer on this desk: the redemption screen stays and says so; F2 goes back to lookup,
    # whose list shows the balance of now, not the one from before the redemption
    qtbot.waitUntil(lambda: redeem.unprinted is not None, timeout=10_000)
    press(qtbot, main_window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: lookup.model.rowCount() == 1 and lookup.model.row(0).balance == after[1], timeout=10_000)
    assert_reopened_shows(qtbot, main_window, desk_data, desk_data.zhang, after)


def test_an_adjustment_approved_by_a_supervisor_shows_on_the_open_member_and_when_opened_again(qtbot, main_window, desk_data):
    adjustments = desk_data.services.adjustments
    member = open_member(qtbot, main_window, desk_data.zhang)
    before = shown_member(member)
    filed = adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                                direction="credit", points=1_000, reason_code="GOODWILL", memo="Queue took over an hour")
    adjustments.approve(operation_id=adjustments.new_operation_id(), request_id=filed.request_id, session=desk_data.supervisor)
    after = truth(desk_data, desk_data.zhang)
    assert after[:2] == (before[0] + 1_000, before[1] + 1_000) and after[2:] == ("adjust", 1_000)
    # the member on show follows the supervisor's approval without being opened again
    qtbot.waitUntil(lambda: member.history_model.rowCount() > 0 and shown_member(member) == after, timeout=10_000)
    assert_reopened_shows(qtbot, main_window, desk_data, desk_data.zhang, after)


def test_a_reversal_shows_on_the_member_opened_again(qtbot, main_window, desk_data, catalogue):
    service = desk_data.services.redemption
    receipt = service.redeem(operation_id=service.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                             reward_code="VCH-JD100", qty=1)
    member = open_member(qtbot, main_window, desk_data.zhang)
    redeemed = shown_member(member)
    assert redeemed[2:] == ("redeem", -10_000)
    service.reverse(operation_id=service.new_operation_id(), session=desk_data.supervisor, redemption_number=receipt.number,
                    reason="goods returned unopened")
    after = truth(desk_data, desk_data.zhang)
    assert after[:2] == (redeemed[0] + 10_000, redeemed[1] + 10_000) and after[2:] == ("reversal", 10_000)
    qtbot.waitUntil(lambda: member.history_model.rowCount() > 0 and shown_member(member) == after, timeout=10_000)
    assert_reopened_shows(qtbot, main_window, desk_data, desk_data.zhang, after)


def test_an_expiry_run_shows_on_the_member_opened_again(qtbot, main_window, desk_data):
    member = open_member(qtbot, main_window, desk_data.zhang)
    before = shown_member(member)
    report = desk_data.services.expiry.run(as_of=date(2026, 8, 1))  # the lots earned in July 2024 end on 31 July 2026
    assert report.points_expired > 0
    after = truth(desk_data, desk_data.zhang)
    assert after[1] == before[1] - report.points_expired and after[2:] == ("expire", -report.points_expired)
    qtbot.waitUntil(lambda: member.history_model.rowCount() > 0 and shown_member(member) == after, timeout=10_000)
    assert_reopened_shows(qtbot, main_window, desk_data, desk_data.zhang, after)


def test_a_referral_shows_on_the_referrer_and_its_new_member_is_found(qtbot, main_window, desk_data):
    referrals = desk_data.services.referrals
    referrals.assign_missing_codes()
    member = open_member(qtbot, main_window, desk_data.zhang)
    panel = member.referrals_panel
    qtbot.waitUntil(lambda: panel.data is not None and panel.data.member_no == desk_data.zhang, timeout=10_000)
    assert len(panel.data.made) == 0
    code = desk_data.services.members.view(member_no=desk_data.zhang).referral_code
    outcome = referrals.register(
        operation_id=referrals.new_operation_id(), session=desk_data.officer2, code=code, name="孙丽",
        id_type="resident_id", id_number=make_resident_id("310104", date(1990, 5, 17), 123), mobile="15800001234",
        address="上海市徐汇区漕溪北路12号3栋1单元502室",
    )
    # registered at the next desk: the referrer on show here lists it at once...
    qtbot.waitUntil(lambda: panel.data is not None and len(panel.data.made) == 1, timeout=10_000)
    # ...and so does the referrer opened again, and the new member is found and opened
    reopen(qtbot, main_window, desk_data.zhang)
    qtbot.waitUntil(lambda: panel.data is not None and panel.data.member_no == desk_data.zhang and len(panel.data.made) == 1, timeout=10_000)
    assert outcome.referee_no in panel.model.item(0, 0).text()
    referee = reopen(qtbot, main_window, outcome.referee_no)
    assert referee.view.member_no == outcome.referee_no
