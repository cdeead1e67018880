"""Background work: results on the UI thread, errors as messages, writes one at a time, progress with Cancel."""

from __future__ import annotations

import threading

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.messages import MESSAGES
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.tasks import UnexpectedError


def test_results_arrive_on_the_ui_thread(qtbot, runner):
    seen = []
    task = runner.run(lambda x: (x * 2, threading.current_thread()), 21, on_result=lambda r: seen.append((r, threading.current_thread())))
    qtbot.waitUntil(lambda: task.is_done)
    (value, worker), ui_thread = seen[0]
    assert value == 42
    assert worker is not threading.main_thread()
    assert ui_thread is threading.main_thread()


def test_a_bool_result_survives_the_trip(qtbot, runner):
    results = []
    for _ in range(50):
        runner.run(lambda: True, on_result=results.append)
    qtbot.waitUntil(lambda: len(results) == 50)
    assert results == [True] * 50


def test_domain_errors_and_unexpected_errors(qtbot, runner):
    errors = []

    def refuse():
        raise DomainError("auth.invalid_credentials")

    def crash():
        raise ZeroDivisionError

    runner.run(refuse, on_error=errors.append)
    runner.run(crash, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 2)
    domain = next(e for e in errors if isinstance(e, DomainError))
    unexpected = next(e for e in errors if isinstance(e, UnexpectedError))
    assert error_message(domain) == "Wrong username or password."
    assert unexpected.incident in error_message(unexpected)  # a reference the officer can quote
    assert "Traceback" not in error_message(unexpected)


def test_writes_run_one_at_a_time_in_order(qtbot, runner):
    running = []
    order = []
    overlap = []
    lock = threading.Lock()

    def write(n):
        with lock:
            running.append(n)
            if len(running) > 1:
                overlap.append(n)
        order.append(n)
        with lock:
            running.remove(n)

    for n in range(20):
        runner.write(write, n)
    qtbot.waitUntil(lambda: len(order) == 20)
    assert order == list(range(20))
    assert overlap == []


def test_long_work_shows_progress_and_can_be_cancelled(qtbot, runner):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    started = threading.Event()

    def long_job(state):
        state.set_status("working")
        state.set_progress(1, 10)
        started.set()
        while not state.is_cancelled():
            state._cancelled.wait(0.01)
        return "stopped"

    task = runner.run(long_job, progress=True, progress_parent=parent, progress_title="Long job")
    from loyalty_desk.ui.tasks import _ProgressDialogOwner

    qtbot.waitUntil(lambda: any(o.dialog is not None for o in task.findChildren(_ProgressDialogOwner)), timeout=5_000)
    dialog = task.findChildren(_ProgressDialogOwner)[0].dialog
    assert dialog.labelText() == "working"
    assert (dialog.value(), dialog.maximum()) == (1, 10)
    from PySide6.QtWidgets import QPushButton

    dialog.findChild(QPushButton).click()  # the officer presses Cancel
    qtbot.waitUntil(lambda: task.is_done)
    assert task.result == "stopped"


def test_every_error_code_turns_into_a_sentence_with_its_parameters():
    import string

    for code, template in MESSAGES.items():
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        error = DomainError(code, **{name: f"<{name}>" for name in names})
        text = error_message(error)
        assert all(f"<{name}>" in text for name in names if name not in ("field", "what")), code
        assert "{" not in text, code


def test_an_unknown_code_still_gets_a_sentence():
    assert error_message(DomainError("brand.new_rule", x=1)) == "The request was refused (brand.new_rule)."


def _status_codes() -> set[str]:
    """Every status code the package's long work reports (``set_status("...")``, exports by kind)."""
    import ast
    from pathlib import Path

    import loyalty_desk
    from loyalty_desk.services.exports import TITLES

    codes: set[str] = set()
    for path in Path(loyalty_desk.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "set_status" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    codes.add(arg.value)
                elif isinstance(arg, ast.JoinedStr) and ast.unparse(arg) == "f'export.{kind}'":
                    codes.update(f"export.{kind}" for kind in TITLES)
    return codes


def test_the_progress_dialog_says_in_words_what_long_work_is_doing(qtbot, qapp, runner):
    from PySide6.QtWidgets import QPushButton, QWidget

    from loyalty_desk.ui.app import install_language
    from loyalty_desk.ui.tasks import STATUSES, _ProgressDialogOwner

    codes = _status_codes()
    assert {"audit.verify", "import.reading", "export.members"} <= codes
    assert not codes - set(STATUSES), f"status codes with no words: {sorted(codes - set(STATUSES))}"

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    install_language(qapp, "zh_CN")
    try:
        def verify_like(state):
            state.set_status("audit.verify")
            state.set_progress(1, 10)
            while not state.is_cancelled():
                state._cancelled.wait(0.01)
            return "stopped"

        task = runner.run(verify_like, progress=True, progress_parent=parent, progress_title="审计")
        qtbot.waitUntil(lambda: any(o.dialog is not None and o.dialog.labelText() != "审计" for o in task.findChildren(_ProgressDialogOwner)),
                        timeout=5_000)
        dialog = task.findChildren(_ProgressDialogOwner)[0].dialog
        assert dialog.labelText() != "audit.verify" and not dialog.labelText().isascii()
        dialog.findChild(QPushButton).click()
        qtbot.waitUntil(lambda: task.is_done)
    finally:
        install_language(qapp, "en")


def test_a_latest_read_never_overlaps_and_answers_the_last_request(qtbot, runner):
    from PySide6.QtCore import QObject

    from loyalty_desk.ui.tasks import LatestRead

    release = threading.Event()
    calls, answers = [], []

    def read():
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            assert release.wait(10)
        return len(calls)

    owner = QObject()
    latest = LatestRead(runner, read, answers.append, owner)
    latest.request()
    qtbot.waitUntil(lambda: calls == [1])
    latest.request()  # asked twice while the first runs: one more read, after it
    latest.request()
    assert latest.running and calls == [1]
    release.set()
    qtbot.waitUntil(lambda: answers == [1, 2] and not latest.running)
    assert calls == [1, 2]
    assert runner.wait_for_done()
