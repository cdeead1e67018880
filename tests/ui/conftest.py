"""UI tests: pytest-qt, offscreen, on a small temp store built through the repositories and the ledger."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from factories import (
    DEFAULT_PASSWORD,
    LocalStore,
    add_branch,
    add_member,
    add_staff,
    carry_sign_ins,
    open_store,
    post_debit,
    post_earning,
)

from loyalty_desk.bootstrap import Services, build_services
from loyalty_desk.services.dto import StaffSession

PASSWORD = DEFAULT_PASSWORD


@dataclass
class DeskData:
    store: LocalStore
    services: Services
    officer: StaffSession
    officer2: StaffSession
    supervisor: StaffSession
    zhang: str  # 张伟: a Gold member with lots and a long history
    wang: str  # 王芳
    latin: str  # Zhang Wei (Latin name)
    business: str  # 北京星辰科技有限公司 (USCC)
    serials: dict[str, int]

    def audit_rows(self, action: str | None = None) -> list[Any]:
        with self.store.context.uow() as uow:
            _, rows = uow.audit.search(action=action, limit=1000)
            return [
                SimpleNamespace(action=r.action, actor=r.actor, desk=r.desk, member_no=r.member_no, details=r.details)
                for r in reversed(rows)
            ]


def _serial(member_no: str) -> int:
    return int(member_no[1:-1])


@dataclass(frozen=True)
class _DeskTemplate:
    """The desk data built once per session; each test gets a copy of its store folder."""

    folder: Path
    keys: tuple[Any, ...]  # the staff's unlocked signing keys, as their sign-ins leave them
    officer: StaffSession
    officer2: StaffSession
    supervisor: StaffSession
    members: dict[str, str]


@pytest.fixture(scope="session")
def _desk_template(tmp_path_factory: pytest.TempPathFactory) -> _DeskTemplate:
    folder = tmp_path_factory.mktemp("desk-template") / "store"
    store = open_store(folder)
    context = store.context
    add_branch(context, code="BJ01", name_zh="北京分行营业部", name_en="Beijing Main Branch")
    add_branch(context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    officer = add_staff(context, username="officer1", display_name="李娜", role="officer")
    officer2 = add_staff(context, username="officer2", display_name="陈静", role="officer")
    supervisor = add_staff(context, username="super1", display_name="刘强", role="supervisor")

    zhang = add_member(context, name="张伟", tier="gold", last_upgrade_on=date(2026, 3, 1))
    wang = add_member(context, name="王芳", branch_code="SH01")
    latin = add_member(context, name="Zhang Wei", id_type="passport", card_no=None)
    business = add_member(context, name="北京星辰科技有限公司", kind="business", id_type="uscc")
    # 张伟: 60 earnings over two years and 15 redemptions: more history than one page.
    for i in range(60):
        on = date(2024, 7, 1 + (i % 28)) if i < 20 else date(2025, 1 + (i % 12), 1 + (i % 28))
        post_earning(context, zhang, 1_500 + i * 10, on=on, rule="card_spend" if i % 3 else "repayment")
    for i in range(15):
        post_debit(context, zhang, 500, on=date(2026, 1 + (i % 6), 2 + i))
    post_earning(context, wang, 2_000, on=date(2026, 5, 1))
    keys = tuple(context.keyring.get(session.staff_id) for session in (officer, officer2, supervisor))
    store.close()
    return _DeskTemplate(folder, keys, officer, officer2, supervisor, {"zhang": zhang, "wang": wang, "latin": latin, "business": business})


@pytest.fixture
def desk_data(tmp_path: Path, _desk_template: _DeskTemplate) -> Iterator[DeskData]:
    shutil.copytree(_desk_template.folder, tmp_path / "store")
    store = open_store(tmp_path / "store")
    context = store.context
    for key in _desk_template.keys:
        context.keyring.put(key)
    officer, officer2, supervisor = _desk_template.officer, _desk_template.officer2, _desk_template.supervisor
    members = _desk_template.members
    zhang, wang, latin, business = members["zhang"], members["wang"], members["latin"], members["business"]

    services = build_services(tmp_path / "store", desk_name="test-desk", clock=store.clock)
    carry_sign_ins(context, services, officer, officer2, supervisor)
    data = DeskData(
        store=store,
        services=services,
        officer=officer,
        officer2=officer2,
        supervisor=supervisor,
        zhang=zhang,
        wang=wang,
        latin=latin,
        business=business,
        serials={k: _serial(v) for k, v in members.items()},
    )
    yield data
    services.close()
    store.close()


@pytest.fixture
def runner(qtbot: Any) -> Iterator[Any]:
    from loyalty_desk.ui.tasks import TaskRunner

    task_runner = TaskRunner()
    yield task_runner
    task_runner.wait_for_done(30_000)
    qtbot.waitUntil(lambda: task_runner.active_count() == 0, timeout=10_000)
    task_runner.close(30_000)  # the windows outlive this fixture: nothing they start may reach the closed store


@pytest.fixture(autouse=True)
def english(qapp: Any) -> Iterator[None]:
    """Every UI test runs in English (en_GB numbers and dates) unless it switches language itself."""
    from loyalty_desk.ui.app import install_language

    install_language(qapp, "en")
    yield
    install_language(qapp, "en")


@pytest.fixture
def desk_settings(tmp_path: Path) -> Any:
    from PySide6.QtCore import QSettings

    from loyalty_desk.ui.settings import DeskSettings

    settings = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    settings.language = "en"
    return settings


@pytest.fixture
def main_window(qtbot: Any, desk_data: DeskData, runner: Any, desk_settings: Any) -> Any:
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    window = MainWindow(desk_data.services, desk_data.officer, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


@pytest.fixture
def catalogue(desk_data: DeskData) -> Any:
    """One reward in the catalogue (the JD e-card, 10,000 points), added by an administrator, who is returned."""
    admin = add_staff(desk_data.store.context, username="admin1", role="admin")
    desk_data.services.redemption.upsert_reward(
        code="VCH-JD100", name_zh="京东E卡100元", name_en="JD e-card 100 CNY", category="voucher", points_cost=10_000,
        cash_value="100", session=admin,
    )
    return admin
