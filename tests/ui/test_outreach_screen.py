"""The Outreach screen end to end: a marketer builds a batch for a segment and a reason off the UI thread
(a bad field refused at the field, nothing built), sees the messages recorded and who was left out and
why, finds the SMS file and its checksum in the folder chosen, exports the review workbook, imports a
delivery report (a bad file refused naming the rule, nothing changed), and sends the batch to the SMS
platform when the desk has its settings (no Send button otherwise); an auditor reads without acting;
an officer has no such screen."""

from __future__ import annotations

import csv
import hashlib
import threading
from datetime import timedelta
from typing import Any

import pytest
from factories import add_branch, add_staff, carry_sign_ins
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sms_platform_support import running_platform
from sqlalchemy import update

from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.outreach.sms_platform import SETTINGS_FILE
from loyalty_desk.services.segments.service import SegmentService
from loyalty_desk.store.models import Lot


@pytest.fixture
def marketer(desk_data: Any) -> Any:
    context = desk_data.store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    maker = add_staff(context, username="mkt.maker", display_name="赵敏", role="marketing", branch_code="HQ01")
    auditor = add_staff(context, username="audit1", display_name="孙丽", role="auditor", branch_code="HQ01")
    carry_sign_ins(context, desk_data.services, maker, auditor)
    today = desk_data.services.outreach.today()
    with context.uow(write=True) as uow:
        uow.ledger.session.execute(update(Lot).where(Lot.remaining > 0).values(expires_on=today + timedelta(days=40)))
        uow.commit()
    SegmentService(context, operation_runner(context)).save(
        operation_id=SegmentService.new_operation_id(), session=maker, code="EVERYONE",
        fields={"name_zh": "全体会员", "name_en": "Everyone", "criteria": {}})
    return maker, auditor


def window_for(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, session: Any) -> Any:
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    window = MainWindow(desk_data.services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    screen = window.screens["outreach"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("outreach")
    return window, screen


def choose(combo: Any, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_build_export_import_and_refusals_at_the_field(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, marketer: Any,
                                                        tmp_path: Any) -> None:
    maker, auditor = marketer
    window, screen = window_for(qtbot, desk_data, runner, desk_settings, maker)
    assert not screen.send_button.isVisibleTo(screen)  # no SMS platform settings on this desk
    assert not screen.scope_note.isVisibleTo(screen)  # a standalone desk

    qtbot.mouseClick(screen.build_button, Qt.MouseButton.LeftButton)  # nothing chosen
    assert "Choose the segment" in screen.errors["segment"].text()
    assert "no folder" in screen.errors["folder"].text()
    choose(screen.segment, "EVERYONE")
    choose(screen.reason, "campaign_invitation")
    screen.folder.setText(str(tmp_path))
    qtbot.mouseClick(screen.build_button, Qt.MouseButton.LeftButton)
    assert "names the campaign" in screen.errors["campaign"].text() and not screen.errors["segment"].isVisibleTo(screen)
    assert screen.model.rowCount() == 0 and list(tmp_path.glob("sms_*")) == []

    choose(screen.reason, "expiring_90")
    assert not screen.campaign.isEnabled() and "calendar month" in screen.period.text()
    with qtbot.waitSignal(screen.sig_built, timeout=20_000) as built:
        qtbot.mouseClick(screen.build_button, Qt.MouseButton.LeftButton)
    view = built.args[0]
    assert view.messages >= 1 and view.messages + view.left_out == 4
    assert f"Batch {view.code}: {view.messages} messages recorded" in screen.banner.text()
    assert screen.model.rowCount() == 1 and f"{view.code}: {view.messages} messages. Left out:" in screen.details.text()
    sms = tmp_path / view.file_name
    assert (tmp_path / f"{view.file_name}.sha256").read_text(encoding="ascii").split()[0] == hashlib.sha256(sms.read_bytes()).hexdigest()
    with open(sms, encoding="utf-8", newline="") as handle:
        ids = [row["message_id"] for row in csv.DictReader(handle)]

    with qtbot.waitSignal(screen.sig_built, timeout=20_000) as again:  # the same reason and month: nobody twice
        qtbot.mouseClick(screen.build_button, Qt.MouseButton.LeftButton)
    assert (again.args[0].messages, again.args[0].already_messaged) == (0, view.messages)
    assert screen.select_code(view.code)

    review = tmp_path / "review.xlsx"
    with qtbot.waitSignal(screen.sig_exported, timeout=10_000):
        screen.export_to(review)
    assert load_workbook(review, read_only=True)["Batch"]["B2"].value == view.code
    assert "for review" in screen.banner.text()

    bad = tmp_path / "bad.csv"
    bad.write_text("id,result\nx,delivered\n", encoding="utf-8")
    with qtbot.waitSignal(screen.sig_failed, timeout=10_000):
        screen.import_from(bad)
    assert "lacks the column(s) message_id, status" in screen.banner.text()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with qtbot.waitSignal(screen.sig_failed, timeout=10_000):
        screen.import_from(broken)
    assert "The file broken.xlsx cannot be read" in screen.banner.text()
    assert desk_data.services.outreach.get(session=maker, code=view.code).statuses == {"written": view.messages}
    report = tmp_path / "report.csv"
    report.write_text(f"message_id,status\n{ids[0]},DELIVRD\nOB-NOPE,delivered\n", encoding="utf-8")
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000), qtbot.waitSignal(screen.sig_imported, timeout=10_000) as imported:
        screen.import_from(report)
    assert (imported.args[0].updated, imported.args[0].unknown_messages) == (1, ("OB-NOPE",))
    assert "1 rows name no message of this batch (e.g. OB-NOPE)" in screen.banner.text()
    assert screen.select_code(view.code) and "1 delivered" in screen.details.text()
    window.close()

    window2, screen2 = window_for(qtbot, desk_data, runner, desk_settings, auditor)
    assert screen2.model.rowCount() == 2
    assert not screen2.build_button.isVisibleTo(screen2) and not screen2.export_button.isVisibleTo(screen2)
    window2.close()


def test_a_build_cancelled_records_nothing(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, marketer: Any, tmp_path: Any) -> None:
    maker, _ = marketer
    window, screen = window_for(qtbot, desk_data, runner, desk_settings, maker)
    choose(screen.segment, "EVERYONE")
    choose(screen.reason, "expiring_90")
    screen.folder.setText(str(tmp_path))
    gate = threading.Event()
    runner.write(gate.wait, 10)  # the desk's one write worker is busy: the build waits its turn
    qtbot.mouseClick(screen.build_button, Qt.MouseButton.LeftButton)
    assert not screen.build_button.isEnabled()
    screen.build_task.cancel()  # as the progress dialog's Cancel does
    with qtbot.waitSignal(screen.sig_failed, timeout=10_000) as failed:
        gate.set()
    assert failed.args[0].code == "outreach.build_cancelled"
    assert "cancelled: nothing was recorded" in screen.banner.text() and screen.build_button.isEnabled()
    assert screen.model.rowCount() == 0 and list(tmp_path.glob("sms_*")) == []
    window.close()


def test_send_is_offered_only_with_the_platform_settings(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, marketer: Any,
                                                         tmp_path: Any) -> None:
    maker, _ = marketer
    view = desk_data.services.outreach.build(session=maker, segment="EVERYONE", reason="expiring_90", folder=str(tmp_path))
    with running_platform() as (platform, url):
        (tmp_path / "store" / SETTINGS_FILE).write_text(f"[sms_platform]\nurl = {url}\ntoken = t0ken\ntimeout_seconds = 2\n", encoding="utf-8")
        window, screen = window_for(qtbot, desk_data, runner, desk_settings, maker)
        assert screen.send_button.isVisibleTo(screen)
        assert screen.select_code(view.code)
        with qtbot.waitSignal(screen.sig_sent, timeout=20_000) as sent:
            qtbot.mouseClick(screen.send_button, Qt.MouseButton.LeftButton)
        assert (sent.args[0].accepted, sent.args[0].refused) == (view.messages, 0)
        assert len(platform.received) == view.messages
        qtbot.waitUntil(lambda: screen.select_code(view.code) and "accepted by the platform" in screen.details.text(), timeout=10_000)
        window.close()
    (tmp_path / "store" / SETTINGS_FILE).write_text("[sms_platform]\nurl = nowhere\n", encoding="utf-8")
    window2, screen2 = window_for(qtbot, desk_data, runner, desk_settings, maker)
    assert not screen2.send_button.isVisibleTo(screen2) and "settings in" in screen2.banner.text()
    window2.close()


def test_only_marketing_and_auditors_have_the_screen(desk_data: Any) -> None:
    from loyalty_desk.ui.registry import default_registry

    registry = default_registry()
    assert "outreach" in [s.key for s in registry.for_role("marketing")] and "outreach" not in [s.key for s in registry.for_role("officer")]
    shortcuts = [s.shortcut for s in registry.for_role("marketing") + registry.for_role("supervisor") + registry.for_role("admin") if s.shortcut]
    assert registry.get("outreach").shortcut == "Ctrl+F8" and shortcuts.count("Ctrl+F8") == 1
