"""The audit trail read as people read it: actions as sentences, the people and things named,
before/after as a table of changed fields, reason codes and values in the screen's language."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from factories import add_staff
from PySide6.QtCore import QCoreApplication, Qt

import loyalty_desk
from loyalty_desk.services.exports import TITLES
from loyalty_desk.ui import audit_words, fmt
from loyalty_desk.ui.app import install_language
from loyalty_desk.ui.main_window import MainWindow
from loyalty_desk.ui.registry import default_registry

PACKAGE = Path(loyalty_desk.__file__).parent


def _calls_of(tree: ast.AST, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and name in (getattr(n.func, "id", None), getattr(n.func, "attr", None))]


def _constants(node: ast.AST) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constants(node.body), _constants(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _values_of_name(tree: ast.AST, function: ast.FunctionDef, name: str) -> list[str] | None:
    """What ``name`` holds inside ``function``: local assignments, else what callers pass for that parameter."""
    found = [c for a in ast.walk(function) if isinstance(a, ast.Assign) and any(getattr(t, "id", None) == name for t in a.targets)
             for c in (_constants(a.value) or [])]
    if found:
        return found
    params = [a.arg for a in function.args.args]
    if name not in params + [a.arg for a in function.args.kwonlyargs]:
        return None
    position = params.index(name) - (1 if params and params[0] == "self" else 0) if name in params else 10**6
    for call in _calls_of(tree, function.name):
        for keyword in call.keywords:
            if keyword.arg == name:
                found += _passed(tree, call, keyword.value)
        if len(call.args) > position:
            found += _passed(tree, call, call.args[position])
    return found or None


def _passed(tree: ast.AST, call: ast.Call, node: ast.AST) -> list[str]:
    """What a caller passes: a string, or ``self.kind`` in a base class's method (each subclass's kind)."""
    if isinstance(tree, ast.Module) and isinstance(node, ast.Attribute) and node.attr == "kind" and getattr(node.value, "id", None) == "self":
        return _kinds_of_subclasses(tree, call) or []
    return _constants(node) or []


def _kinds_of_subclasses(tree: ast.Module, call: ast.Call) -> list[str] | None:
    """``self.kind`` in a base class's method: the ``kind`` each subclass in the module sets."""
    module_constants = {t.id: c for a in tree.body if isinstance(a, ast.Assign) for t in a.targets
                        if isinstance(t, ast.Name) for c in (_constants(a.value) or [])}
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    base = next((c for c in classes if c.lineno <= call.lineno <= (c.end_lineno or c.lineno)), None)
    if base is None:
        return None
    kinds = []
    for subclass in classes:
        if any(getattr(b, "id", None) == base.name for b in subclass.bases):
            for assign in subclass.body:
                if isinstance(assign, ast.Assign) and any(getattr(t, "id", None) == "kind" for t in assign.targets):
                    value = assign.value
                    kinds += _constants(value) or ([module_constants[value.id]] if isinstance(value, ast.Name) and value.id in module_constants
                                                    else [])
    return kinds or None


def written_actions() -> set[str]:
    """Every action any ``record(...)`` call in the package can write."""
    actions: set[str] = set()
    unresolved: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for call in _calls_of(tree, "record"):
            args = call.args[2:3] if getattr(call.func, "id", None) == "record" else call.args[1:2]
            if not args:
                continue
            node = args[0]
            values = _constants(node)
            enclosing = [f for f in functions if f.lineno <= call.lineno <= (f.end_lineno or f.lineno)]
            function = enclosing[-1] if enclosing else None
            if values is None and isinstance(node, ast.Name) and function is not None:
                values = _values_of_name(tree, function, node.id)
            if values is None and isinstance(node, ast.Attribute) and node.attr == "kind" and getattr(node.value, "id", None) == "self":
                values = _kinds_of_subclasses(tree, call)
            if values is None and isinstance(node, ast.JoinedStr) and function is not None:
                parts = [p for p in node.values if isinstance(p, ast.FormattedValue)]
                if len(parts) == 1 and isinstance(parts[0].value, ast.Name):
                    text = ast.unparse(node)[2:-1]
                    hole = "{" + parts[0].value.id + "}"
                    fillers = sorted(TITLES) if parts[0].value.id == "kind" else _values_of_name(tree, function, parts[0].value.id)
                    values = [text.replace(hole, f) for f in fillers] if fillers else None
            if values is None:
                if path.name == "audit.py" and function is not None and function.name == "record":
                    continue  # AuditService.record passes its caller's action on
                unresolved.append(f"{path.relative_to(PACKAGE)}:{call.lineno}")
            else:
                actions.update(values)
    assert not unresolved, f"audit actions this test cannot work out: {unresolved}"
    return actions


def test_every_audit_action_written_anywhere_has_a_translated_name(qapp):
    actions = written_actions()
    assert {"auth.sign_in", "referral.register", "stock.receive", "member.tier_downgrade", "auth.sign_in_failed", "export.members"} <= actions
    missing = sorted(a for a in actions if a not in audit_words.ACTIONS)
    assert not missing, f"audit actions with no name in the trail: {missing}"
    install_language(qapp, "zh_CN")
    try:
        untranslated = sorted(a for a in actions if audit_words.action_name(a) == audit_words.ACTIONS[a])
        assert not untranslated, f"audit actions with no Chinese name: {untranslated}"
    finally:
        install_language(qapp, "en")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_audit_trail_names_a_tier_as_the_member_view_does(qapp, language):
    install_language(qapp, language)
    try:
        for tier in fmt.TIERS:
            assert audit_words.value_text("tier", tier) == fmt.tier(tier)
            assert audit_words.wording().values[tier] == fmt.tier(tier)
    finally:
        install_language(qapp, "en")


def _window(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, session: Any) -> MainWindow:
    window = MainWindow(desk_data.services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def _audit_screen(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any) -> Any:
    auditor = add_staff(desk_data.store.context, username="auditor1", role="auditor", display_name="审计员")
    window = _window(qtbot, desk_data, runner, desk_settings, auditor)
    screen = window.screens["audit"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("audit")
    return screen


def _search(qtbot: Any, screen: Any, prefix: str) -> Any:
    screen.action.setCurrentText(prefix)
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000) as loaded:
        qtbot.mouseClick(screen.search_button, Qt.MouseButton.LeftButton)
    return loaded.args[0]


def _table(table: Any) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _file_and_approve(desk_data: Any) -> Any:
    adjustments = desk_data.services.adjustments
    filed = adjustments.request(operation_id=adjustments.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                                direction="credit", points=4_500, reason_code="GOODWILL", memo="Queue took over an hour")
    adjustments.approve(operation_id=adjustments.new_operation_id(), request_id=filed.request_id, session=desk_data.supervisor)
    return filed


def test_the_audit_trail_names_actions_people_and_changed_fields(qtbot, desk_data, runner, desk_settings):
    filed = _file_and_approve(desk_data)
    screen = _audit_screen(qtbot, desk_data, runner, desk_settings)
    page = _search(qtbot, screen, "adjustment.")
    approve, request = page.rows
    assert approve.actor_name == desk_data.supervisor.display_name and request.member_name and "伟" not in request.member_name
    assert approve.subject_kind == "adjustment_request" and approve.subject == str(filed.request_id)

    cells = [screen.model.data(screen.model.index(0, c)) for c in range(screen.model.columnCount())]
    assert "Approved a points adjustment" in cells and desk_data.supervisor.display_name in cells
    assert f"Adjustment request No. {filed.request_id}" in cells and f"{desk_data.zhang} {request.member_name}" in cells
    assert not any(c in ("adjustment.approve", desk_data.supervisor.username) for c in cells)
    assert "Approved a points adjustment" in screen.detail_title.text() and "{" not in screen.detail_title.text()
    assert ["Status", "Pending", "Approved"] in _table(screen.changes)

    screen.table.selectRow(1)  # the request: what it set names the reason and formats the points and dates
    changed = {field: after for field, _, after in _table(screen.changes)}
    assert changed["Reason"] == "Goodwill" and changed["Points"] == "4,500" and changed["Status"] == "Pending"
    assert "Expires" in dict(_table(screen.details)) and "T" not in dict(_table(screen.details))["Expires"]


def test_the_audit_trail_reads_in_chinese_with_reason_codes_translated(qtbot, qapp, desk_data, runner, desk_settings):
    _file_and_approve(desk_data)
    install_language(qapp, "zh_CN")
    desk_settings.language = "zh_CN"
    try:
        screen = _audit_screen(qtbot, desk_data, runner, desk_settings)
        page = _search(qtbot, screen, "adjustment.")
        assert len(page.rows) == 2
        cells = [screen.model.data(screen.model.index(0, c)) for c in range(screen.model.columnCount())]
        action = cells[3]
        assert action != "adjustment.approve" and action != "Approved a points adjustment"
        changed = _table(screen.changes)
        assert changed and all(not row[0].isascii() for row in changed), changed
        screen.table.selectRow(1)
        changed = {field: after for field, _, after in _table(screen.changes)}
        reason = changed[QCoreApplication.translate(audit_words.CONTEXT, "Reason")]
        assert "GOODWILL" not in reason and not reason.isascii()
        labels = [screen.action.itemText(i) for i in range(screen.action.count())]
        assert not any(t.endswith(".") for t in labels), labels
        groups = {screen.action.itemData(i) for i in range(1, screen.action.count())}
        assert {action.split(".")[0] + "." for action in written_actions()} - {"demo.", "branch.", "campaign."} <= groups
    finally:
        install_language(qapp, "en")
        desk_settings.language = "en"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_audit_export_uses_the_words_of_the_screen(qtbot, qapp, desk_data, runner, desk_settings, tmp_path, language):
    from openpyxl import load_workbook

    _file_and_approve(desk_data)
    install_language(qapp, language)
    try:
        screen = _audit_screen(qtbot, desk_data, runner, desk_settings)
        _search(qtbot, screen, "adjustment.")
        path = tmp_path / "audit.xlsx"
        with qtbot.waitSignal(screen.sig_exported, timeout=20_000):
            screen.export_to(path)
        rows = list(load_workbook(path).active.iter_rows(values_only=True))
        assert rows[0][0] == f"{audit_words.wording().title} {screen.filters_text()}" and "adjustment." not in rows[0][0]
        header = list(rows[1])
        assert header == list(audit_words.wording().headers) and header[0] == ("No." if language == "en" else "序号")
        lines = [dict(zip(header, row, strict=True)) for row in rows[2:]]
        action, user = audit_words.wording().headers[5], audit_words.wording().headers[2]
        assert [line[action] for line in lines] == [audit_words.action_name("adjustment.approve"), audit_words.action_name("adjustment.request")]
        assert lines[0][user] == desk_data.supervisor.display_name
        changes = lines[0][audit_words.wording().headers[8]]
        assert f"{audit_words.field_name('status')}: {audit_words.value_text('status', 'pending')}" in changes
        assert "GOODWILL" not in lines[1][audit_words.wording().headers[8]]
    finally:
        install_language(qapp, "en")


def test_a_refusal_in_the_audit_trail_reads_as_the_desks_sentence_in_chinese(qtbot, qapp, desk_data, runner, desk_settings):
    from loyalty_desk.domain.errors import DomainError
    from loyalty_desk.services.audit import Actor, AuditService
    from loyalty_desk.ui.errors import error_message

    params = {"reward_code": "TEA01", "branch_code": "BJ01", "on_hand": 0, "change": -1}
    AuditService(desk_data.store.context.uow).record(Actor("system", "job"), "sync.rejected", entity="operation", entity_id="op-1",
                                                     details={"reason_code": "stock.negative", "params": params})
    install_language(qapp, "zh_CN")
    try:
        screen = _audit_screen(qtbot, desk_data, runner, desk_settings)
        page = _search(qtbot, screen, "sync.")
        assert [r.action for r in page.rows] == ["sync.rejected"]
        details = dict(_table(screen.details))
        reason = details[QCoreApplication.translate(audit_words.CONTEXT, "Reason")]
        assert reason == error_message(DomainError("stock.negative", **params)) and "stock.negative" not in reason
        assert "TEA01" in reason and not reason.isascii()
    finally:
        install_language(qapp, "en")


def test_a_flagged_referral_in_the_audit_trail_names_both_members_and_its_flags_in_chinese(qtbot, qapp, desk_data, runner, desk_settings):
    from datetime import date

    from loyalty_desk.domain.identity import make_resident_id

    service = desk_data.services.referrals
    service.assign_missing_codes()
    with desk_data.store.context.uow() as uow:
        zhang = uow.members.by_no(desk_data.zhang)
        code, zhang_mobile = zhang.referral_code, zhang.mobile
    flagged = service.register(operation_id=service.new_operation_id(), session=desk_data.officer, code=code, name="周杰",
                               id_type="resident_id", id_number=make_resident_id("310104", date(1988, 8, 8), 8),
                               mobile=zhang_mobile[:7] + "9876", address="上海市静安区南京西路1号")
    assert flagged.status == "flagged"
    install_language(qapp, "zh_CN")
    try:
        screen = _audit_screen(qtbot, desk_data, runner, desk_settings)
        page = _search(qtbot, screen, "referral.")
        register = next(r for r in page.rows if r.action == "referral.register")
        assert register.subject.startswith(f"{desk_data.zhang} 张*") and "周*" in register.subject
        screen.table.selectRow(page.rows.index(register))
        flags = dict(_table(screen.details))[QCoreApplication.translate(audit_words.CONTEXT, "Flags")]
        assert "phone_pattern" not in flags and not flags.isascii()
    finally:
        install_language(qapp, "en")


def test_adjustment_reasons_read_in_chinese_without_their_english_codes(qtbot, qapp, desk_data, runner, desk_settings):
    from loyalty_desk.ui.screens.adjustments.models import REASONS

    install_language(qapp, "zh_CN")
    try:
        window = _window(qtbot, desk_data, runner, desk_settings, desk_data.officer)
        member = window.screens["member"]
        with qtbot.waitSignal(member.sig_loaded, timeout=10_000):
            window.navigate("member", member_no=desk_data.zhang)
        qtbot.waitUntil(lambda: member.pending_panel.member_no == desk_data.zhang, timeout=5_000)
        member.tabs.setCurrentWidget(member.pending_panel)
        qtbot.mouseClick(member.adjust_button, Qt.MouseButton.LeftButton)
        dialog = member.adjustment_dialog
        assert dialog is not None
        items = {dialog.reason.itemData(i): dialog.reason.itemText(i) for i in range(dialog.reason.count()) if dialog.reason.itemData(i)}
        assert set(items) == set(REASONS)
        assert all(code not in text and not any("a" <= ch.lower() <= "z" for ch in text) for code, text in items.items()), items
        dialog.reject()
    finally:
        install_language(qapp, "en")
