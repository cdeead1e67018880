"""Member lookup at the desk: every handle, keyboard-only, the scanner path, the empty and too-many states."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import install_rules
from PySide6.QtCore import Qt
from ui_support import card_for, mobile_for, resident_id_for, type_text

from loyalty_desk.domain.rules import LookupSettings
from loyalty_desk.services.dto import HandleKind


@pytest.fixture
def lookup(main_window):
    screen = main_window.screens["lookup"]
    assert main_window.focusWidget() is screen.search  # the box has the keyboard after sign-in
    return screen


def _search(qtbot, screen, text):
    screen.search.clear()
    type_text(qtbot, screen.search, text)
    qtbot.waitUntil(lambda: screen.result is not None and screen.result.query == text, timeout=10_000)
    return screen.result


def _shown(screen):
    return [screen.model.row(i).member_no for i in range(screen.model.rowCount())]


@pytest.mark.parametrize(
    ("handle", "make_text", "expected"),
    [
        (HandleKind.MEMBER_NO, lambda d: d.zhang, "zhang"),
        (HandleKind.CARD_NO, lambda d: card_for(d.serials["zhang"]), "zhang"),
        (HandleKind.MOBILE, lambda d: mobile_for(d.serials["wang"]), "wang"),
        (HandleKind.MOBILE_LAST4, lambda d: mobile_for(d.serials["wang"])[-4:], "wang"),
        (HandleKind.RESIDENT_ID, lambda d: resident_id_for(d.serials["zhang"]), "zhang"),
        (HandleKind.NAME, lambda d: "芳", "wang"),
        (HandleKind.NAME, lambda d: "星辰科技", "business"),
    ],
)
def test_every_handle_finds_the_member(qtbot, lookup, desk_data, handle, make_text, expected):
    result = _search(qtbot, lookup, make_text(desk_data))
    assert result.handle == handle
    assert getattr(desk_data, expected) in _shown(lookup)
    # masked by default
    row = lookup.model.row(_shown(lookup).index(getattr(desk_data, expected)))
    assert "*" in row.masked_id and "*" in row.masked_mobile
    assert lookup.hint.text().startswith("Searching by:")


def test_pinyin_name_finds_chinese_and_latin_names(qtbot, lookup, desk_data):
    _search(qtbot, lookup, "zhang wei")
    assert {desk_data.zhang, desk_data.latin} <= set(_shown(lookup))


def test_results_show_masked_columns_in_the_locale(qtbot, lookup, desk_data):
    _search(qtbot, lookup, desk_data.zhang)
    view = desk_data.services.members.view(member_no=desk_data.zhang)
    cells = [lookup.model.index(0, c).data() for c in range(lookup.model.columnCount())]
    assert cells[0] == desk_data.zhang
    assert cells[1] == view.masked_name
    assert cells[2] == view.masked_id
    assert cells[4] == "Gold"
    assert cells[5] == f"{view.posted_balance:,}"


def test_arrow_keys_move_in_results_and_enter_opens_the_selected(qtbot, lookup, desk_data, main_window):
    result = _search(qtbot, lookup, "zhang")
    assert result.total >= 2
    assert not lookup.table.selectionModel().hasSelection()  # many matches: no row is chosen for the user
    qtbot.keyClick(lookup.search, Qt.Key.Key_Down)
    assert lookup.table.currentIndex().row() == 0
    qtbot.keyClick(lookup.search, Qt.Key.Key_Down)
    assert lookup.table.currentIndex().row() == 1
    assert main_window.focusWidget() is lookup.search  # the keyboard never left the box
    qtbot.keyClick(lookup.search, Qt.Key.Key_Up)
    qtbot.keyClick(lookup.search, Qt.Key.Key_Down)
    wanted = lookup.model.row(1).member_no
    with qtbot.waitSignal(lookup.sig_open_member) as opened:
        qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    assert opened.args == [wanted]
    assert main_window.current_key() == "member"


def test_a_scanned_card_opens_the_member_directly(qtbot, lookup, desk_data, main_window):
    card = card_for(desk_data.serials["zhang"])
    member = main_window.screens["member"]
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000) as loaded:
        qtbot.keyClicks(lookup.search, card)  # the scanner types faster than the debounce...
        qtbot.keyClick(lookup.search, Qt.Key.Key_Return)  # ...and presses Enter
    assert loaded.args[0].member_no == desk_data.zhang
    assert main_window.current_key() == "member"


def test_a_typed_member_number_and_enter_opens_it(qtbot, lookup, desk_data):
    with qtbot.waitSignal(lookup.sig_open_member, timeout=10_000) as opened:
        qtbot.keyClicks(lookup.search, desk_data.wang)
        qtbot.keyClick(lookup.search, Qt.Key.Key_Enter)
    assert opened.args == [desk_data.wang]


def test_enter_with_many_matches_opens_nothing_until_a_row_is_chosen(qtbot, lookup, desk_data, main_window):
    """Many matches ("张" at a branch finds hundreds): Enter opens no arbitrary first row; it says to choose
    or type more, and the keyboard stays where ↑/↓ move in the list."""
    result = _search(qtbot, lookup, "zhang")
    assert result.total >= 2
    opened = []
    lookup.sig_open_member.connect(opened.append)
    with qtbot.waitSignal(lookup.sig_enter_refused, timeout=10_000):
        qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    assert opened == []
    assert main_window.current_key() == "lookup"
    assert main_window.focusWidget() is lookup.search
    assert "choose one with ↑/↓" in lookup.hint.text()
    assert not lookup.table.selectionModel().hasSelection()
    qtbot.keyClick(lookup.search, Qt.Key.Key_Down)  # the user moves to a row: Enter opens that one
    wanted = lookup.model.row(0).member_no
    with qtbot.waitSignal(lookup.sig_open_member, timeout=10_000) as chosen:
        qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    assert chosen.args == [wanted]


def test_enter_opens_a_single_match_of_any_handle(qtbot, lookup, desk_data):
    result = _search(qtbot, lookup, "星辰科技")
    assert result.total == 1
    with qtbot.waitSignal(lookup.sig_open_member, timeout=10_000) as opened:
        qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    assert opened.args == [desk_data.business]


def test_no_match_says_so(qtbot, lookup):
    result = _search(qtbot, lookup, "Qxzzy")
    assert result.total == 0
    assert lookup.model.rowCount() == 0
    assert lookup.banner.isVisibleTo(lookup)
    assert "No member matches" in lookup.banner.text()
    qtbot.keyClick(lookup.search, Qt.Key.Key_Return)  # nothing to open; nothing happens


def test_too_many_matches_asks_to_refine(qtbot, lookup, desk_data):
    rules = desk_data.services.settings.current()
    install_rules(desk_data.store.context, replace(rules, lookup=LookupSettings(max_results=1)))
    result = _search(qtbot, lookup, "zhang")
    assert result.truncated
    assert lookup.model.rowCount() == 1
    assert "refine your search" in lookup.banner.text()


def test_clearing_the_box_clears_the_results(qtbot, lookup, desk_data):
    _search(qtbot, lookup, desk_data.zhang)
    qtbot.keyClick(lookup.search, Qt.Key.Key_Escape)
    assert lookup.search.text() == ""
    assert lookup.model.rowCount() == 0


def test_a_stale_answer_is_discarded(qtbot, lookup, desk_data):
    _search(qtbot, lookup, desk_data.zhang)
    newest = lookup._seq
    old_answer = desk_data.services.lookup.search(text=desk_data.wang)
    lookup._result_arrived(newest - 1, desk_data.wang, old_answer)  # an older request answering late
    assert _shown(lookup) == [desk_data.zhang]


def test_typing_does_not_wait_for_the_store(qtbot, lookup, desk_data, monkeypatch):
    """The first keystroke searches at once on a worker thread; keystrokes typed while the store is
    busy never wait for it and are folded into one search for the latest text."""
    import threading

    threads = []
    texts = []
    release = threading.Event()
    original = desk_data.services.lookup.search

    def slow_store(**kwargs):
        threads.append(threading.current_thread())
        texts.append(kwargs["text"])
        release.wait(10)
        return original(**kwargs)

    monkeypatch.setattr(desk_data.services.lookup, "search", slow_store)
    qtbot.keyClicks(lookup.search, "zhan")  # returns while the first search is still blocked
    assert lookup.search.text() == "zhan" and lookup.result is None
    release.set()
    qtbot.waitUntil(lambda: lookup.result is not None and lookup.result.query == "zhan")
    assert texts == ["z", "zhan"]  # the first keystroke, then one search for everything typed meanwhile
    assert all(thread is not threading.main_thread() for thread in threads)


def test_an_offline_regional_desk_says_the_member_is_not_held_here(qtbot, desk_data, runner, desk_settings, tmp_path):
    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.domain.identity import make_member_no
    from loyalty_desk.sync.desk_settings import DeskSettings as CentralLogin
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    data_dir = tmp_path / "store"
    CentralLogin("postgresql://ld_desk_bj1:pw@127.0.0.1:1/loyalty", "bj1").save(data_dir)  # a desk whose central cannot be reached
    services = build_services(data_dir, desk_name="bj1", clock=desk_data.store.clock)
    try:
        assert "offline" in services.sync.sync_once()
        window = MainWindow(services, desk_data.officer, runner, desk_settings, default_registry())
        qtbot.addWidget(window)
        window.show()
        window.start()
        screen = window.screens["lookup"]
        elsewhere = make_member_no(987_654_321)  # a member of another region: not in this store
        result = _search(qtbot, screen, elsewhere)
        assert (result.total, result.remote) == (0, "offline")
        assert "is not held at this desk" in screen.banner.text() and "head office cannot be reached" in screen.banner.text()
        result = _search(qtbot, screen, desk_data.zhang)  # held here: found as ever, nothing asked
        assert (result.total, result.remote) == (1, "")
        window.close()
        runner.wait_for_done(30_000)
    finally:
        services.close()


def test_the_match_count_reads_as_english_and_chinese_plurals(qtbot, qapp, lookup):
    from loyalty_desk.ui.app import install_language

    assert _search(qtbot, lookup, "星辰科技").total == 1
    assert lookup.count.text() == "1 member"
    install_language(qapp, "zh_CN")
    assert _search(qtbot, lookup, "星辰科技").total == 1
    assert lookup.count.text() == "1 位会员"
