"""First run of an installed desk: setup before sign-in, jobs off the UI thread."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from loyalty_desk import first_run
from loyalty_desk.bootstrap import MachineDefaults
from loyalty_desk.ui.first_run import FirstRunDialog


def _dialog(qtbot: Any, runner: Any, data_dir: Path, **overrides: Any) -> FirstRunDialog:
    jobs = {
        "create_demo": functools.partial(first_run.create_demo_store, members=40),
        "join_central": first_run.join_central,
        "problems": first_run.central_problems,
        "defaults": MachineDefaults(),
    }
    jobs.update(overrides)
    dialog = FirstRunDialog(runner, data_dir, **jobs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_only_an_installed_desk_without_a_store_asks(tmp_path: Path) -> None:
    assert first_run.needs_setup(tmp_path, frozen=True)
    assert not first_run.needs_setup(tmp_path, frozen=False)  # a source checkout: ./dev start makes the demo
    from loyalty_desk.store.db import LOCAL_STORE_FILENAME

    assert first_run.store_path(tmp_path).name == LOCAL_STORE_FILENAME
    first_run.store_path(tmp_path).write_bytes(b"")
    assert not first_run.needs_setup(tmp_path, frozen=True)


def test_standalone_makes_a_demo_store_then_offers_sign_in(qtbot: Any, runner: Any, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    dialog = _dialog(qtbot, runner, data_dir)
    assert dialog.standalone.isChecked() and not dialog.central_form.isEnabled()
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert not dialog.continue_button.isEnabled()  # no second job while one runs
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=60_000)
    assert "officer.bj1" in dialog.message.text() and "demo1234" in dialog.message.text()
    assert dialog.continue_button.text() == "&Sign in"
    with qtbot.waitSignal(dialog.accepted, timeout=2_000):
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)

    from loyalty_desk.bootstrap import build_services

    services = build_services(data_dir, desk_name="test-desk")
    try:
        session = services.auth.sign_in(username="officer.bj1", password="demo1234")
        assert session.username == "officer.bj1"
    finally:
        services.close()
    assert not first_run.needs_setup(data_dir, frozen=True)


def test_central_fields_are_checked_before_anything_runs(qtbot: Any, runner: Any, tmp_path: Path) -> None:
    calls: list[Any] = []
    dialog = _dialog(qtbot, runner, tmp_path, join_central=lambda *a, **k: calls.append(a))
    dialog.central.setChecked(True)
    dialog.central_url.setText("central.bank:5432")
    dialog.desk.setText("Desk 3")
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    text = dialog.message.text()
    assert "Central URL" in text and "Desk name" in text and "Desk password" in text
    assert dialog.central_url.hasFocus() or not dialog.isActiveWindow()
    assert calls == [] and runner.active_count() == 0
    assert not first_run.store_path(tmp_path).exists()


def test_machine_defaults_preselect_central(qtbot: Any, runner: Any, tmp_path: Path) -> None:
    defaults = MachineDefaults(central_url="postgresql://central.bank:5432/loyalty", desk_name="bj01_desk03", branch="BJ01")
    dialog = _dialog(qtbot, runner, tmp_path, defaults=defaults)
    assert dialog.central.isChecked()
    assert dialog.central_url.text() == defaults.central_url and dialog.desk.text() == "bj01_desk03"


def test_an_unreachable_central_leaves_nothing_behind(qtbot: Any, runner: Any, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    dialog = _dialog(qtbot, runner, data_dir)
    dialog.central.setChecked(True)
    dialog.central_url.setText("postgresql://127.0.0.1:1/loyalty")  # nothing listens on port 1
    dialog.desk.setText("bj01_desk03")
    dialog.password.setText("secret")
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=30_000)
    assert not dialog.result_value.ok
    assert dialog.message.text().startswith("Central could not be reached")
    assert dialog.continue_button.isEnabled() and dialog.continue_button.text() == "C&ontinue"  # try again
    assert not first_run.store_path(data_dir).exists()
    assert not (data_dir / "desk.json").exists()
    assert first_run.needs_setup(data_dir, frozen=True)


def test_the_desk_login_goes_into_the_url() -> None:
    url = first_run.desk_url("postgresql://central.bank:5432/loyalty", "bj01_desk03", "p@ss word")
    assert url.startswith("postgresql://ld_desk_bj01_desk03:")
    assert url.endswith("@central.bank:5432/loyalty")
    assert "p@ss word" not in url  # escaped


def test_quit_while_a_job_runs_cancels_it(qtbot: Any, runner: Any, tmp_path: Path) -> None:
    def slow_job(state: Any, data_dir: Path) -> Any:
        state._cancelled.wait(30)  # stands for a long demo build that checks is_cancelled()
        if state.is_cancelled():
            raise first_run.SetupCancelled
        return first_run.SetupResult(ok=True)

    dialog = _dialog(qtbot, runner, tmp_path, create_demo=slow_job)
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.task is not None
    dialog.reject()  # Escape / Quit
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10_000)
    assert dialog.isVisible()  # still here: the user may choose again or quit
    assert dialog.message.text() == "Cancelled; nothing was set up."
    with qtbot.waitSignal(dialog.rejected, timeout=2_000):
        dialog.reject()


def test_the_setup_speaks_chinese(qtbot: Any, qapp: Any, runner: Any, tmp_path: Path) -> None:
    from loyalty_desk.ui.app import install_language

    install_language(qapp, "zh_CN")
    dialog = _dialog(qtbot, runner, tmp_path)
    assert dialog.windowTitle() == "设置积分柜台"
    assert dialog.quit_button.text().startswith("退出")


@pytest.mark.parametrize("members", [40])
def test_cancelling_the_demo_build_removes_the_half_made_store(tmp_path: Path, members: int) -> None:
    class CancelAfterSchema:
        calls = 0

        def set_progress(self, done: int, total: int) -> None:
            self.calls += 1

        def set_status(self, text: str) -> None:
            pass

        def is_cancelled(self) -> bool:
            return self.calls >= 1  # the schema exists by the second report

    with pytest.raises(first_run.SetupCancelled):
        first_run.create_demo_store(CancelAfterSchema(), tmp_path, members=members)
    assert not first_run.store_path(tmp_path).exists()
