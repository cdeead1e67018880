"""Screenshots of the referral screens, called by ``ui.screenshots.desk`` for each language:
``20-referral-tree``, ``21-referral-form``, ``22-referrals-list``, ``23-referrals-flagged``.

Needs referrals in the store (``loyalty-desk demo`` seeds a few); shows nothing it would have to
write, except the supervisor's sign-in for the flagged list (audited like the officer's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty_desk.ui.screens.referrals.screen import FlaggedReferralsScreen
from loyalty_desk.ui.screenshots.windows import close_window

SUPERVISOR = "supervisor.bj1"
EXAMPLE = {
    "en": ("Lin Xiaoyu", "15900007788", "Room 1202, Unit 1, Building 6, 12 Guanghua Road, Chaoyang, Beijing"),
    "zh_CN": ("林晓雨", "15900007788", "北京市朝阳区光华路12号6栋1单元1202室"),
}
EXAMPLE_ID = "11010519920315002X"


def render_referral_screenshots(
    app: Any, services: Any, window: Any, settings: Any, runner: Any, save: Callable[..., None], wait: Callable[..., Any],
    language: str, password: str,
) -> None:
    from loyalty_desk.services.referrals.dto import ListFilter

    referrals = services.referrals
    rows = referrals.list(filters=ListFilter(statuses=("rewarded",)), limit=50)
    if not rows:
        return
    counts: dict[str, int] = {}
    for row in referrals.list(limit=500):
        counts[row.referrer_no] = counts.get(row.referrer_no, 0) + 1
    referrer = max(counts, key=lambda no: counts[no])
    member = window.screens["member"]
    window.navigate("member", member_no=referrer)  # read from the store, even when already on screen
    wait(app, member.sig_loaded)
    panel = member.referrals_panel
    if panel.data is None or panel.data.member_no != referrer:
        wait(app, panel.sig_loaded)
    member.tabs.setCurrentWidget(panel)
    save(window, "20-referral-tree")

    # the registration form, filled in and checked, not submitted
    member.ask_referral()
    dialog = member.referral_dialog
    if dialog is not None:
        name, mobile, address = EXAMPLE.get(language, EXAMPLE["en"])
        for field, text in ((dialog.name, name), (dialog.id_number, EXAMPLE_ID), (dialog.mobile, mobile), (dialog.address, address)):
            field.setText(text)
            field.textEdited.emit(text)
        dialog.address.setCursorPosition(0)
        dialog.name.setFocus()
        dialog.check()
        wait(app, dialog.sig_checked)
        if dialog.referrer_line.text() == "":
            app.processEvents()
        save(window, "21-referral-form", overlay=dialog)
        dialog.reject()

    if "referrals" in window.screens:
        screen = window.screens["referrals"]
        window.navigate("referrals")
        wait(app, screen.sig_loaded)
        save(window, "22-referrals-list")

    # the supervisor's flagged list, in a window of its own
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    try:
        session = services.auth.sign_in(username=SUPERVISOR, password=password)
    except Exception:
        return
    other = MainWindow(services, session, runner, settings, default_registry())
    other.resize(window.size())
    other.show()
    flagged = other.screen_of("referrals_flagged", FlaggedReferralsScreen)
    assert flagged is not None  # a supervisor has the flagged list
    other.navigate("referrals_flagged")
    wait(app, flagged.sig_loaded)
    if flagged.items:  # the one with the most evidence
        best = max(range(len(flagged.items)), key=lambda i: len(flagged.items[i].evidence))
        flagged.table.selectRow(best)
        flagged.note.setText("已核实：母女同住" if language == "zh_CN" else "Checked in person: mother and daughter")
    save(other, "23-referrals-flagged")
    close_window(app, runner, other)
