"""A desk joined to head office: the member import refused with the way to do it; provisional member numbers shown as such."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loyalty_desk.bootstrap import build_services
from loyalty_desk.sync.desk_settings import DeskSettings

UNREACHABLE_CENTRAL = "postgresql://ld_desk_x:secret@127.0.0.1:1/central"  # nothing listens there: the desk is offline


def test_joined_desk_refuses_the_member_import_and_says_how(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, tmp_path: Path) -> None:
    from loyalty_desk.services.members.file_import import write_template
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    DeskSettings(UNREACHABLE_CENTRAL, "x").save(tmp_path / "store")
    services = build_services(tmp_path / "store", desk_name="test-desk", clock=desk_data.store.clock)
    try:
        window = MainWindow(services, desk_data.officer, runner, desk_settings, default_registry())
        qtbot.addWidget(window)
        window.show()
        screen = window.screens["documents"]
        window.navigate("documents")
        with desk_data.store.context.uow() as uow:
            before = len(uow.documents.member_nos())
        write_template("members", tmp_path / "new.xlsx")  # its example row is a valid new member
        with qtbot.waitSignal(screen.sig_failed, timeout=30_000):
            screen.import_members(tmp_path / "new.xlsx")
        text = screen.banner.text()
        assert "syncs with head office" in text and "--central" in text and "secret" not in text
        with desk_data.store.context.uow() as uow:
            assert len(uow.documents.member_nos()) == before
        assert "import.members" not in [row.action for row in desk_data.audit_rows()]
    finally:
        services.close()


def test_a_provisional_member_number_is_shown_as_provisional(qtbot: Any, main_window: Any, desk_data: Any) -> None:
    from factories import add_member
    from ui_support import type_text

    from loyalty_desk.domain.identity import PROVISIONAL_SERIAL_FROM

    provisional = add_member(desk_data.store.context, name="李新", serial=PROVISIONAL_SERIAL_FROM + 1)  # given offline
    lookup = main_window.screens["lookup"]
    type_text(qtbot, lookup.search, provisional)
    qtbot.waitUntil(lambda: lookup.result is not None and lookup.result.query == provisional, timeout=10_000)
    assert lookup.model.index(0, 0).data() == f"{provisional} (provisional)"
    lookup.search.clear()
    type_text(qtbot, lookup.search, desk_data.zhang)
    qtbot.waitUntil(lambda: lookup.result is not None and lookup.result.query == desk_data.zhang, timeout=10_000)
    assert lookup.model.index(0, 0).data() == desk_data.zhang

    screen = main_window.screens["member"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        main_window.navigate("member", member_no=provisional)
    assert screen.f_member_no.value.text() == f"{provisional} (provisional)"
    assert "head office gives the final number" in screen.f_member_no.value.toolTip()
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        main_window.navigate("member", member_no=desk_data.zhang)
    assert screen.f_member_no.value.text() == desk_data.zhang and screen.f_member_no.value.toolTip() == ""
