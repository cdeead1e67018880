"""Head office's card service report: days from application to approval against the 20-day target by
branch, worked out by hand on a small programme whose approvals came through the real import path;
who may see which branch; bad dates refused; the audit event; the workbook read back by openpyxl and
Gnumeric; the command."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_member, add_staff, open_store
from openpyxl import load_workbook

from loyalty_desk.cli.main import main
from loyalty_desk.domain.earning import EarningTxn
from loyalty_desk.domain.errors import Forbidden, ValidationError
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.members.card_service import CardServiceReportService

NOW = datetime(2026, 6, 30, 12, 0)
# (branch, applied on, approved on): approval days 10, 20 (on the target), 25, none (no application
# date), 40, and one approved before the period
CARDS = (
    ("BJ01", date(2026, 5, 1), date(2026, 5, 11)),
    ("BJ01", date(2026, 5, 1), date(2026, 5, 21)),
    ("BJ01", date(2026, 5, 6), date(2026, 5, 31)),
    ("BJ01", None, date(2026, 5, 15)),
    ("SH01", date(2026, 4, 22), date(2026, 6, 1)),
    ("SH01", date(2026, 3, 1), date(2026, 3, 10)),
)


@pytest.fixture
def programme(tmp_path: Path):
    store = open_store(tmp_path / "store", now=NOW)
    context = store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(context, code="BJ01", name_zh="北京分行", name_en="Beijing Branch")
    add_branch(context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    sessions = {
        "marketing": add_staff(context, username="mkt", role="marketing", branch_code="HQ01"),
        "auditor": add_staff(context, username="auditor", role="auditor", branch_code="HQ01"),
        "supervisor_sh": add_staff(context, username="super.sh", role="supervisor", branch_code="SH01"),
        "officer": add_staff(context, username="officer.bj", role="officer", branch_code="BJ01"),
    }
    earning = EarningService(context)
    members = []
    for n, (branch, applied_on, approved_on) in enumerate(CARDS):
        member_no = add_member(context, name=f"持卡人{'一二三四五六'[n]}", branch_code=branch)
        members.append(member_no)
        txn = EarningTxn(txn_id=f"APPROVED-{n}", member_no=member_no, occurred_on=approved_on, source=Source.CARD_APPROVED,
                         amount=Decimal(0), product="", applied_on=applied_on)
        earning.post(txns=[txn], origin="card system", actor=Actor("import", "test-desk"))
    yield store, CardServiceReportService(context), sessions, members
    store.close()


def test_the_figures_by_branch_against_the_target(programme) -> None:
    _store, service, sessions, members = programme
    report = service.build(session=sessions["marketing"], first="2026-05-01", last="2026-06-30")
    assert report.target_days == 20
    lines = {line.branch_code: line for line in report.lines}
    assert set(lines) == {"BJ01", "SH01"}
    bj, sh, total = lines["BJ01"], lines["SH01"], report.total
    assert (bj.approvals, bj.measured, bj.within_target, bj.over_target) == (4, 3, 2, 1)
    assert (bj.within_share, bj.median_days, bj.p90_days, bj.longest_days) == (Decimal("66.7"), Decimal(20), 25, 25)
    assert (sh.approvals, sh.measured, sh.within_target, sh.over_target, sh.within_share, sh.median_days) == (1, 1, 0, 1, Decimal("0.0"), Decimal(40))
    assert (total.approvals, total.measured, total.within_target, total.over_target) == (5, 4, 2, 2)
    assert (total.within_share, total.median_days, total.p90_days, total.longest_days) == (Decimal("50.0"), Decimal("22.5"), 40, 40)
    assert [(item.member_no, item.branch_code, item.days) for item in report.late] == [(members[4], "SH01", 40), (members[2], "BJ01", 25)]


def test_a_branch_supervisor_sees_their_own_branch_and_an_officer_nothing(programme) -> None:
    _store, service, sessions, _members = programme
    own = service.build(session=sessions["supervisor_sh"], first="2026-05-01", last="2026-06-30")
    assert own.branch_code == "SH01" and [line.branch_code for line in own.lines] == ["SH01"]
    with pytest.raises(Forbidden):
        service.build(session=sessions["supervisor_sh"], first="2026-05-01", last="2026-06-30", branch_code="BJ01")
    with pytest.raises(Forbidden):
        service.build(session=sessions["officer"], first="2026-05-01", last="2026-06-30")
    one = service.build(session=sessions["auditor"], first="2026-05-01", last="2026-06-30", branch_code="bj01")
    assert [line.branch_code for line in one.lines] == ["BJ01"] and one.total.approvals == 4


@pytest.mark.parametrize(("first", "last", "code", "field"), [
    ("2026-5-1", "2026-06-30", "report.date", "from"),
    ("2026-05-01", "June", "report.date", "to"),
    ("2026-06-30", "2026-05-01", "export.period_order", "to"),
])
def test_bad_dates_are_refused_naming_the_field(programme, first, last, code, field) -> None:
    _store, service, sessions, _members = programme
    with pytest.raises(ValidationError) as refused:
        service.produce(session=sessions["marketing"], first=first, last=last)
    assert (refused.value.code, refused.value.params["field"]) == (code, field)


def test_the_workbook_and_the_audit_event(programme, tmp_path: Path) -> None:
    store, service, sessions, members = programme
    path = service.produce(session=sessions["marketing"], first="2026-05-01", last="2026-06-30", xlsx=tmp_path / "cards.xlsx").xlsx
    assert path
    book = load_workbook(path, read_only=True)
    rows = [row for row in book["By branch"].iter_rows(values_only=True) if row[0] in ("BJ01", "SH01") or row[1] == "Total"]
    assert [row[:6] for row in rows] == [("BJ01", "Beijing Branch", 4, 3, 2, 1), ("SH01", "Shanghai Branch", 1, 1, 0, 1), (None, "Total", 5, 4, 2, 2)]
    late = [row for row in book["Over target"].iter_rows(values_only=True) if row[0] in members]
    assert [(row[0], row[5]) for row in late] == [(members[4], 40), (members[2], 25)]
    with store.context.uow() as uow:
        [event] = [e for e in uow.audit.in_order() if e.action == "export.card_service"]
    assert (event.actor, event.entity_id, event.details["over_target"]) == ("mkt", "2026-05-01..2026-06-30", 2)
    ssconvert = shutil.which("ssconvert")
    if ssconvert is None:
        return
    subprocess.run([ssconvert, "-S", str(path), str(tmp_path / "cards-%s.csv")], check=True, capture_output=True, timeout=120)
    text = (tmp_path / "cards-By branch.csv").read_text(encoding="utf-8")
    assert "BJ01,Beijing Branch,4,3,2,1" in text.replace('"', "")


def test_the_command(programme, tmp_path: Path, capsys, monkeypatch) -> None:
    store, _service, _sessions, members = programme
    store.close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    data_dir = str(tmp_path / "store")
    assert main(["--data-dir", data_dir, "card-service", "--from", "2026-05-01", "--to", "2026-06-30", "--user", "mkt",
                 "--xlsx", str(tmp_path / "c.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "target: approval within 20 days" in out and "Over the target (2)" in out and f"{members[4]}  SH01" in out
    assert (tmp_path / "c.xlsx").exists()
    assert main(["--data-dir", data_dir, "card-service", "--from", "2026-05-01", "--to", "2026-06-30", "--user", "officer.bj"]) == 1
    assert "Your role may not see the card service report" in capsys.readouterr().err
