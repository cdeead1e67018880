"""The month-end points liability: the figures of a small programme worked out by hand, the
reconciliation (and a difference shown, never hidden), who may see it, the audit event, the
workbook (read back by openpyxl, LibreOffice and Gnumeric), the PDF in both languages and the command."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, LocalStore, add_branch, add_member, add_staff, open_store, post_debit, post_earning
from openpyxl import load_workbook
from pypdf import PdfReader

from loyalty_desk.cli.main import main
from loyalty_desk.domain.errors import DomainError, Forbidden
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.expiry import ExpiryService
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.liability.service import LiabilityService

NOW = datetime(2026, 6, 30, 12, 0)


@dataclass
class Programme:
    store: LocalStore
    service: LiabilityService
    auditor: StaffSession
    supervisor_sh: StaffSession
    officer: StaffSession
    members: dict[str, str]


def _post(store: LocalStore, member_no: str, points: int, *, kind: str, on: date, uid: str) -> int:
    """A credit (points > 0) or debit of ``kind`` straight through the ledger (adjustments, odd kinds)."""
    with store.context.uow(write=True) as uow:
        found = uow.members.by_no(member_no)
        assert found is not None
        member = uow.members.lock(found.id)
        assert member is not None
        ledger = Ledger(uow, store.context.rules, store.clock())
        posting = Posting(entry_uid=uid, kind=kind, rule=kind, occurred_on=on, branch_id=member.branch_id)
        entry = ledger.credit(member, posting, points, qualifying=False) if points > 0 else ledger.debit(member, posting, -points)
        uow.commit()
        return entry.id


def _restore(store: LocalStore, member_no: str, entry_id: int, *, on: date, uid: str) -> None:
    with store.context.uow(write=True) as uow:
        found = uow.members.by_no(member_no)
        assert found is not None
        member = uow.members.lock(found.id)
        original = uow.ledger.entry(entry_id)
        assert member is not None and original is not None
        Ledger(uow, store.context.rules, store.clock()).restore(member, Posting(entry_uid=uid, kind="reversal", rule="test", occurred_on=on), original)
        uow.commit()


@pytest.fixture
def programme(tmp_path: Path) -> Iterator[Programme]:
    store = open_store(tmp_path / "store", now=NOW)
    context = store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(context, code="BJ01", name_zh="北京分行", name_en="Beijing Branch")
    add_branch(context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    auditor = add_staff(context, username="auditor", role="auditor", branch_code="HQ01")
    supervisor_sh = add_staff(context, username="super.sh", role="supervisor", branch_code="SH01")
    officer = add_staff(context, username="officer.bj", role="officer", branch_code="BJ01")
    a = add_member(context, name="张伟", branch_code="BJ01", tier="standard")
    b = add_member(context, name="王芳", branch_code="BJ01", tier="gold")
    c = add_member(context, name="李娜", branch_code="SH01", tier="silver")
    # A: 10,000 before May; in May 2,000 earned, 3,000 redeemed and given back, 1,000 redeemed
    post_earning(context, a, 10_000, on=date(2026, 4, 10))
    post_earning(context, a, 2_000, on=date(2026, 5, 5))
    redeemed = post_debit(context, a, 3_000, on=date(2026, 5, 10), kind="redeem")
    _restore(store, a, redeemed, on=date(2026, 5, 20), uid="reverse-1")
    post_debit(context, a, 1_000, on=date(2026, 5, 25), kind="redeem")
    # B: 5,000 expiring at the end of April (expired by the run of 1 May), 1,500 expiring at the end of May, +700 adjusted
    post_earning(context, b, 5_000, on=date(2024, 4, 15))
    post_earning(context, b, 1_500, on=date(2024, 5, 2))
    ExpiryService(context).run(as_of=date(2026, 5, 1))
    _post(store, b, 700, kind="adjust", on=date(2026, 5, 15), uid="adjust-b")
    # C: 800 before May (expiring at the end of May 2027), -300 adjusted in May, 4,000 earned in June (after the report)
    post_earning(context, c, 800, on=date(2025, 5, 10))
    _post(store, c, -300, kind="adjust", on=date(2026, 5, 3), uid="adjust-c")
    post_earning(context, c, 4_000, on=date(2026, 6, 2))
    yield Programme(store, LiabilityService(context), auditor, supervisor_sh, officer, {"a": a, "b": b, "c": c})
    store.close()


def test_the_roll_forward_of_a_month_by_branch_and_tier(programme: Programme) -> None:
    report = programme.service.build(month="2026-05", session=programme.auditor)
    lines = {(line.branch_code, line.tier): line for line in report.lines}
    assert list(lines) == [("BJ01", "standard"), ("BJ01", "gold"), ("SH01", "silver")]
    a, b, c = lines["BJ01", "standard"], lines["BJ01", "gold"], lines["SH01", "silver"]
    assert (a.opening, a.issued, a.redeemed, a.expired, a.adjusted, a.closing) == (10_000, 2_000, 1_000, 0, 0, 11_000)
    assert (b.opening, b.issued, b.redeemed, b.expired, b.adjusted, b.closing) == (6_500, 0, 0, 5_000, 700, 2_200)
    assert (c.opening, c.issued, c.redeemed, c.expired, c.adjusted, c.closing) == (800, 0, 0, 0, -300, 500)
    total = report.total
    assert (total.opening, total.issued, total.redeemed, total.expired, total.adjusted, total.closing) == (17_300, 2_000, 1_000, 5_000, 400, 13_700)
    assert total.lots_at_close == 13_700 and report.reconciled
    assert report.cny(total.closing) == Decimal("137.00") and report.cny(total.opening) == Decimal("173.00")
    # the lots expiring at the end of May are still open at its end; C's 500 expire at the end of May 2027, the 12th month
    assert report.past_expiry == 1_500
    assert [(item.month, item.points) for item in report.expiring if item.points] == [(date(2027, 5, 1), 500)]
    assert [item.month for item in report.expiring] == [date(2026, m, 1) for m in range(6, 13)] + [date(2027, m, 1) for m in range(1, 6)]
    # breakage over June 2024 to May 2026: B's lots were earned before the window
    assert (report.breakage_from, report.breakage_to) == (date(2024, 6, 1), date(2026, 5, 31))
    breakage = {line.branch_code: line for line in report.breakage}
    assert (breakage["BJ01"].issued, breakage["BJ01"].expired, breakage["BJ01"].rate) == (12_000, 5_000, Decimal("0.4167"))
    assert (breakage[""].issued, breakage[""].expired, breakage[""].rate) == (12_800, 5_000, Decimal("0.3906"))


def test_the_closing_of_one_month_is_the_opening_of_the_next_and_the_current_month_meets_the_lots(programme: Programme) -> None:
    may = programme.service.build(month="2026-05", session=programme.auditor)
    june = programme.service.build(month="2026-06", session=programme.auditor)
    assert june.total.opening == may.total.closing
    assert june.total.issued == 4_000 and june.reconciled
    with programme.store.context.uow() as uow:
        assert june.total.closing == sum(uow.ledger.sum_lot_remaining(m.id) for m in (uow.members.by_no(n) for n in programme.members.values()) if m)


def test_one_branch_and_a_point_value_setting(programme: Programme) -> None:
    report = programme.service.build(month="2026-05", session=programme.auditor, branch_code="sh01")
    assert report.branch_code == "SH01" and [line.branch_code for line in report.lines] == ["SH01"]
    assert report.total.closing == 500 and report.past_expiry == 0 and report.reconciled


def test_an_entry_of_a_kind_the_report_does_not_know_shows_as_a_difference(programme: Programme) -> None:
    _post(programme.store, programme.members["c"], 250, kind="bonus", on=date(2026, 5, 9), uid="odd-kind")
    report = programme.service.build(month="2026-05", session=programme.auditor)
    assert not report.reconciled
    assert report.total.difference == -250 and report.total.lots_at_close == 13_950
    assert next(line for line in report.lines if line.branch_code == "SH01").difference == -250


def test_who_may_see_the_liability(programme: Programme) -> None:
    with pytest.raises(Forbidden):
        programme.service.build(month="2026-05", session=programme.officer)
    own = programme.service.build(month="2026-05", session=programme.supervisor_sh)
    assert own.branch_code == "SH01" and [line.branch_code for line in own.lines] == ["SH01"]
    with pytest.raises(Forbidden):
        programme.service.build(month="2026-05", session=programme.supervisor_sh, branch_code="BJ01")
    with pytest.raises(DomainError) as refused:
        programme.service.build(month="2026-13", session=programme.auditor)
    assert refused.value.code == "liability.month"
    with pytest.raises(DomainError) as future:
        programme.service.build(month="2026-07", session=programme.auditor)
    assert future.value.code == "liability.future_month"


def test_producing_the_report_is_audited_with_the_month_branch_and_closing(programme: Programme, tmp_path: Path) -> None:
    result = programme.service.produce(month="2026-05", session=programme.auditor, branch_code="BJ01", xlsx=tmp_path / "l.xlsx")
    assert result.xlsx and Path(result.xlsx).exists() and result.pdf is None
    with programme.store.context.uow() as uow:
        event = uow.audit.last()
        assert event is not None
        assert (event.action, event.actor, event.entity_id) == ("export.liability", "auditor", "2026-05:BJ01")
        assert event.details["month"] == "2026-05" and event.details["branch"] == "BJ01"
        assert event.details["closing_points"] == 13_200 and event.details["closing_cny"] == "132.00" and event.details["reconciled"] is True
        assert event.details["files"] == ["l.xlsx"]


def test_the_workbook_holds_numbers_and_currency(programme: Programme, tmp_path: Path) -> None:
    path = programme.service.produce(month="2026-05", session=programme.auditor, xlsx=tmp_path / "liability.xlsx").xlsx
    assert path
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Roll-forward", "Expiry by month", "Breakage"]
    roll = workbook["Roll-forward"]
    rows = [row for row in roll.iter_rows(min_row=5, values_only=True) if any(v is not None for v in row)]
    assert [row[:3] for row in rows] == [("BJ01", "Beijing Branch", "Standard"), ("BJ01", "Beijing Branch", "Gold"),
                                        ("SH01", "Shanghai Branch", "Silver"), ("Total", None, None)]
    assert rows[-1][3:11] == (17_300, 2_000, 1_000, 5_000, 400, 13_700, 13_700, 0)
    assert rows[-1][16] == 137.0
    assert "¥" in roll.cell(row=8, column=17).number_format
    assert "Reconciled" in str(roll["A3"].value)
    expiry = [row for row in workbook["Expiry by month"].iter_rows(min_row=3, values_only=True) if row[0]]
    assert expiry[0][1:] == (1_500, 15.0) and ("2027-05", 500, 5.0) in expiry and expiry[-1][1] == 2_000
    breakage = [row for row in workbook["Breakage"].iter_rows(min_row=4, values_only=True) if row[0]]
    assert breakage[-1][:5] == ("Total", None, 12_800, 5_000, 0.3906)
    assert workbook["Breakage"].cell(row=4, column=5).number_format == "0.00%"


@pytest.mark.parametrize(("language", "words"), [
    ("zh_CN", ("积分负债月报", "已核对", "13,700", "沉淀率 = 统计期间过期积分")),
    ("en", ("Points Liability Report", "Reconciled: the closing balance of 13,700 points (CNY 137.00)", "Breakage rate = points expired")),
])
def test_the_pdf_in_both_languages(programme: Programme, tmp_path: Path, language: str, words: tuple[str, ...]) -> None:
    path = programme.service.produce(month="2026-05", session=programme.auditor, pdf=tmp_path / "l.pdf", language=language).pdf
    assert path
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    for word in words:
        assert " ".join(word.split()) in text, word


def test_the_pdf_says_when_it_is_not_reconciled(programme: Programme, tmp_path: Path) -> None:
    _post(programme.store, programme.members["a"], 90, kind="bonus", on=date(2026, 5, 9), uid="odd-kind")
    path = programme.service.produce(month="2026-05", session=programme.auditor, pdf=tmp_path / "l.pdf", language="en").pdf
    assert path
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    assert "NOT reconciled" in text and "a difference of -90 points" in text


def _tools() -> tuple[str, str]:
    soffice, ssconvert = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("ssconvert")
    if soffice and ssconvert:
        return soffice, ssconvert
    if os.environ.get("CI") == "true":
        pytest.fail("CI must have LibreOffice (soffice) and Gnumeric (ssconvert): .ci/run installs them")
    pytest.skip("LibreOffice (soffice) or Gnumeric (ssconvert) is not installed here; .ci/run installs both for CI")


def _number(text: str) -> float:
    """A converter's cell as a number: as stored, or as shown (currency sign, separators, percent)."""
    value = float(text.replace("¥", "").replace(",", "").replace("%", "").strip())
    return value / 100 if text.strip().endswith("%") else value


def test_the_workbook_opens_in_libreoffice_and_gnumeric(programme: Programme, tmp_path: Path) -> None:
    soffice, ssconvert = _tools()
    path = Path(programme.service.produce(month="2026-05", session=programme.auditor, xlsx=tmp_path / "liability.xlsx").xlsx or "")
    libreoffice, gnumeric = tmp_path / "libreoffice", tmp_path / "gnumeric"
    libreoffice.mkdir()
    gnumeric.mkdir()
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", str(libreoffice), str(path)],
        check=True, capture_output=True, timeout=300,
    )
    subprocess.run([ssconvert, "-S", str(path), str(gnumeric / "liability-%s.csv")], check=True, capture_output=True, timeout=120)
    for program, folder in (("LibreOffice", libreoffice), ("Gnumeric", gnumeric)):
        def sheet(title: str, folder: Path = folder) -> list[list[str]]:
            with open(folder / f"liability-{title}.csv", encoding="utf-8-sig", newline="") as handle:
                return [row for row in csv.reader(handle) if any(row)]

        roll = sheet("Roll-forward")
        data = {(row[0], row[2]): row for row in roll if row[0] in ("BJ01", "SH01", "Total")}
        assert set(data) == {("BJ01", "Standard"), ("BJ01", "Gold"), ("SH01", "Silver"), ("Total", "")}, program
        assert [_number(v) for v in data["BJ01", "Gold"][3:11]] == [6_500, 0, 0, 5_000, 700, 2_200, 2_200, 0], program
        assert _number(data["Total", ""][16]) == 137.0, program
        expiry = {row[0]: row for row in sheet("Expiry by month")}
        assert _number(expiry["2027-05"][1]) == 500 and _number(expiry["Total"][2]) == 20.0, program
        breakage = {row[0]: row for row in sheet("Breakage")}
        assert _number(breakage["Total"][2]) == 12_800 and abs(_number(breakage["BJ01"][4]) - 0.4167) < 1e-6, program


def test_the_command(programme: Programme, tmp_path: Path, capsys, monkeypatch) -> None:
    data_dir = tmp_path / "store"
    programme.store.close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    args = ["--data-dir", str(data_dir), "liability", "--month", "2026-05", "--user", "auditor",
            "--xlsx", str(tmp_path / "l.xlsx"), "--pdf", str(tmp_path / "l.pdf"), "--lang", "en"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Reconciled: the closing balance of 13,700 points (CNY 137.00)" in out
    assert "Breakage estimate 2024-06-01 to 2026-05-31: expired 5,000 / issued 12,800 = 39.06%" in out
    assert (tmp_path / "l.xlsx").exists() and (tmp_path / "l.pdf").exists()
    assert main(["--data-dir", str(data_dir), "liability", "--month", "May", "--user", "auditor"]) == 1
    assert "not a month in the form YYYY-MM" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "liability", "--month", "2026-05", "--user", "officer.bj"]) == 1
    assert "Your role may not see the points liability" in capsys.readouterr().err
