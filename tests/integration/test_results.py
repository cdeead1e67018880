"""Programme results: every figure equals the same figure recomputed from the ledger and the tables
behind it (a demo store, every scope), a small programme worked out by hand, who may see what, the
drill-down, the export (a workbook with its native charts read back, converted by Gnumeric; a PDF in
both languages), its audit event and the command."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, LocalStore, add_branch, add_member, add_staff, open_store, post_debit, post_earning
from openpyxl import load_workbook
from pypdf import PdfReader

from loyalty_desk.demo.generator import build_demo_store
from loyalty_desk.domain.dates import add_months
from loyalty_desk.domain.errors import DomainError, Forbidden, ValidationError
from loyalty_desk.domain.rules import Tier
from loyalty_desk.services.analytics.results import ResultsService
from loyalty_desk.services.analytics.service import AnalyticsService
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.expiry import ExpiryService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.ledger import Ledger
from loyalty_desk.services.redemption.service import RedemptionService
from loyalty_desk.services.tier_changes import TierChangeReason, change_tier
from loyalty_desk.store.db import LOCAL_STORE_FILENAME
from loyalty_desk.store.models import Campaign, CampaignMember, Member

TODAY = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12, 0)
ISSUED = {"earn", "referral", "clawback"}
REDEEMED = {"redeem"}
EXPIRED = {"expire", "forfeit"}


def _session(role: str, branch: str) -> StaffSession:
    return StaffSession(1, f"{role}.{branch.lower()}", role, role, branch, branch, branch)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("results-demo")
    build_demo_store(folder, members=80, today=TODAY)
    return folder


@pytest.fixture(scope="module")
def demo(demo_folder: Path) -> Iterator[LocalStore]:
    store = open_store(demo_folder, now=NOW)
    _redeem_in_the_demo(store)
    yield store
    store.close()


def _redeem_in_the_demo(store: LocalStore) -> None:
    """More redemptions at a desk today, one of them reversed."""
    context = store.context
    officer = add_staff(context, username="results.officer", role="officer", branch_code="BJ01")
    supervisor = add_staff(context, username="results.supervisor", role="supervisor", branch_code="BJ01")
    service = RedemptionService(context, operation_runner(context))
    with context.uow() as uow:
        rewards = [r.code for r in sorted(uow.redemption.rewards(), key=lambda r: r.points_cost) if not r.stock_tracked and r.min_tier == "standard"]
        members = [m.member_no for m in uow.members.session.query(Member).order_by(Member.posted_balance.desc()).limit(6)]
    numbers = []
    for index, member_no in enumerate(members):
        try:
            receipt = service.redeem(operation_id=service.new_operation_id(), session=officer, member_no=member_no,
                                     reward_code=rewards[index % 2], qty=1)
        except DomainError:
            continue
        numbers.append(receipt.number)
    assert len(numbers) >= 2
    service.reverse(operation_id=service.new_operation_id(), session=supervisor, redemption_number=numbers[0], reason="returned")


def _recomputed(folder: Path, first: date, last: date, branch: str | None, tier: str | None) -> dict[str, object]:
    """The figures straight from the ledger, the members, the redemptions and the referrals, in Python."""
    connection = sqlite3.connect(folder / LOCAL_STORE_FILENAME)
    try:
        branches = dict(connection.execute("SELECT id, code FROM branch").fetchall())
        members = {
            row[0]: row for row in connection.execute("SELECT id, branch_id, tier, joined_on FROM member")
            if (branch is None or branches[row[1]] == branch) and (tier is None or row[2] == tier)
        }
        kinds = dict(connection.execute("SELECT id, kind FROM ledger_entry").fetchall())
        entries = connection.execute("SELECT member_id, kind, rule, points, occurred_on, reverses_entry_id FROM ledger_entry").fetchall()
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        previous = (add_months(first, -months), date.fromordinal(first.toordinal() - 1))
        issued = redeemed = expired = 0
        by_source: dict[str, int] = {}
        active: set[int] = set()
        active_before: set[int] = set()
        for member_id, kind, rule, points, on, reverses in entries:
            if member_id not in members:
                continue
            day = date.fromisoformat(on)
            if kind in ("earn", "redeem") and previous[0] <= day <= previous[1]:
                active_before.add(member_id)
            if not first <= day <= last:
                continue
            if kind in ("earn", "redeem"):
                active.add(member_id)
            effective = kinds[reverses] if kind == "reversal" else kind
            if effective in ISSUED:
                issued += points
                source = "reversed" if kind == "reversal" else (rule if kind == "earn" else kind)
                by_source[source] = by_source.get(source, 0) + points
            elif effective in REDEEMED:
                redeemed -= points
            elif effective in EXPIRED:
                expired -= points
        in_period = {m for m, row in members.items() if date.fromisoformat(row[3]) <= last}
        tiers: dict[str, int] = {}
        for member_id in in_period:
            tiers[members[member_id][2]] = tiers.get(members[member_id][2], 0) + 1
        funnel = [0, 0, 0, 0]
        for referrer, status, on, qualified_at, rewarded_at in connection.execute(
            "SELECT referrer_member_id, status, registered_on, qualified_at, rewarded_at FROM referral"
        ):
            if referrer in members and first <= date.fromisoformat(on) <= last:
                funnel[0] += 1
                funnel[1] += qualified_at is not None
                funnel[2] += rewarded_at is not None
                funnel[3] += status == "clawed_back"
        categories: dict[str, int] = {}
        for member_id, category, points, at in connection.execute(
            "SELECT d.member_id, r.category, d.points, d.redeemed_at FROM redemption d JOIN reward r ON r.id = d.reward_id WHERE d.reversed_at IS NULL"
        ):
            if member_id in members and first <= datetime.fromisoformat(at).date() <= last:
                categories[category] = categories.get(category, 0) + points
        rank = {"standard": 0, "silver": 1, "gold": 2, "platinum": 3}
        moves: dict[str | None, tuple[int, int]] = {}
        for member_id, details, on in connection.execute("SELECT member_id, details, occurred_on FROM ledger_entry WHERE kind = 'tier'"):
            moved = json.loads(details)
            if member_id in members and first <= date.fromisoformat(on) <= last and moved["from_tier"] != moved["to_tier"]:
                up, down = moves.get(branches[members[member_id][1]], (0, 0))
                upward = rank[moved["to_tier"]] > rank[moved["from_tier"]]
                moves[branches[members[member_id][1]]] = (up + upward, down + (not upward))
        return {
            "categories": categories, "moves": moves,
            "members": len(in_period), "active": len(active), "active_previous": len(active_before), "retained": len(active & active_before),
            "issued": issued, "redeemed": redeemed, "expired": expired, "by_source": {k: v for k, v in by_source.items() if v},
            "tiers": tiers, "funnel": tuple(funnel),
        }
    finally:
        connection.close()


@pytest.mark.parametrize(("branch", "tier"), [(None, None), ("BJ01", None), (None, "gold"), ("SH01", "standard")])
@pytest.mark.parametrize(("first", "last"), [("2025-07", "2026-06"), ("2026-01", "2026-03")])
def test_results_equal_the_figures_recomputed_from_the_ledger(
    demo: LocalStore, demo_folder: Path, branch: str | None, tier: str | None, first: str, last: str
) -> None:
    results = ResultsService(demo.context).read(session=_session("auditor", "HQ01"), first_month=first, last_month=last, branch_code=branch, tier=tier)
    expected = _recomputed(demo_folder, results.first, results.last, branch, tier)
    assert (results.members, results.active, results.active_previous, results.retained) == (
        expected["members"], expected["active"], expected["active_previous"], expected["retained"])
    assert (results.issued, results.redeemed, results.expired) == (expected["issued"], expected["redeemed"], expected["expired"])
    assert {s.source: s.points for s in results.issued_by_source if s.points} == expected["by_source"]
    assert {t.tier: t.members for t in results.tiers if t.members} == expected["tiers"]
    funnel = results.referrals
    assert (funnel.registered, funnel.qualified, funnel.rewarded, funnel.clawed_back) == expected["funnel"]
    assert sum(c.points for c in results.redeemed_by_category) == results.redeemed
    assert {c.category: c.points for c in results.redeemed_by_category if c.category != "other"} == expected["categories"]
    assert sum(m.issued for m in results.months) == results.issued and len(results.months) == results.months_in_period
    assert {m.branch_code: (m.up, m.down) for m in results.tier_moves} == expected["moves"]


def test_the_demo_has_figures_to_compare(demo: LocalStore) -> None:
    results = ResultsService(demo.context).read(session=_session("auditor", "HQ01"), first_month="2025-07", last_month="2026-06")
    assert results.issued > 0 and results.redeemed > 0 and results.active > 0 and results.retained > 0
    assert results.referrals.registered > 0 and len(results.issued_by_source) > 1 and results.campaigns


# ---------------------------------------------------------------------- a small programme by hand


@pytest.fixture
def small(tmp_path: Path) -> Iterator[tuple[LocalStore, dict[str, str]]]:
    store = open_store(tmp_path / "store", now=NOW)
    context = store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(context, code="BJ01", name_zh="北京分行", name_en="Beijing Branch")
    add_branch(context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    a = add_member(context, name="张伟", branch_code="BJ01", tier="standard", joined_on=date(2025, 1, 5))
    b = add_member(context, name="王芳", branch_code="BJ01", tier="gold", joined_on=date(2025, 1, 5))
    c = add_member(context, name="李娜", branch_code="SH01", tier="silver", joined_on=date(2025, 1, 5))
    add_member(context, name="赵敏", branch_code="SH01", tier="silver", joined_on=date(2026, 7, 1))  # joins after the period
    post_earning(context, a, 1_000, on=date(2026, 1, 10), details={"amount": "800.00"})  # previous period
    post_earning(context, b, 5_000, on=date(2024, 5, 15))  # expires at the end of May 2026
    post_earning(context, a, 2_000, on=date(2026, 4, 5), details={"amount": "1500.00"}, campaign_code="SPRING")
    post_earning(context, a, 500, on=date(2026, 5, 5), rule="survey")
    post_debit(context, a, 1_200, on=date(2026, 5, 10), kind="redeem")
    post_earning(context, c, 3_000, on=date(2026, 2, 1))  # previous period only
    post_earning(context, c, 700, on=date(2026, 6, 2), rule="financing")
    ExpiryService(context).run(as_of=date(2026, 6, 1))
    admin = add_staff(context, username="admin.hq", role="admin", branch_code="HQ01")
    officer = add_staff(context, username="officer.bj", role="officer", branch_code="BJ01")
    supervisor = add_staff(context, username="super.bj", role="supervisor", branch_code="BJ01")
    redemption = RedemptionService(context, operation_runner(context))
    redemption.upsert_reward(session=admin, code="V500", name_zh="代金券", name_en="Voucher", points_cost=500, cash_value="5", category="voucher",
                             stock_tracked=False)
    for reverse in (False, True):  # on 30 June: one kept, one given back
        receipt = redemption.redeem(operation_id=redemption.new_operation_id(), session=officer, member_no=a, reward_code="V500", qty=1)
        if reverse:
            redemption.reverse(operation_id=redemption.new_operation_id(), session=supervisor, redemption_number=receipt.number, reason="returned")
    # SPRING, for Beijing's standard and gold members, April to June: A took part, B (Beijing, gold) did not;
    # C (Shanghai) and the member who joined later were never eligible.
    with context.uow(write=True) as uow:  # as the earning service leaves them: the campaign's totals, what it gave A (its entry carries the code)
        spring = uow.reference.add_campaign(
            Campaign(code="SPRING", name_zh="春季活动", name_en="Spring drive", starts_on=date(2026, 4, 1), ends_on=date(2026, 6, 30),
                     sources=["card_spend"], tiers=["standard", "gold"], branches=["BJ01"], multiplier="2", budget_points=50_000,
                     spent_points=1_000, members_reached=1, status="approved")
        )
        uow.analytics.session.flush()
        member_a = uow.members.by_no(a)
        assert member_a is not None
        uow.analytics.session.add(CampaignMember(campaign_id=spring.id, member_id=member_a.id, points=1_000))
        uow.commit()
    yield store, {"a": a, "b": b, "c": c}
    store.close()


def test_a_small_programme_worked_out_by_hand(small: tuple[LocalStore, dict[str, str]]) -> None:
    store, _members = small
    service = ResultsService(store.context)
    steps: list[tuple[int, int]] = []
    results = service.read(session=_session("auditor", "HQ01"), first_month="2026-04", last_month="2026-06",
                           progress=lambda done, of: steps.append((done, of)))
    assert [done for done, _ in steps] == sorted({done for done, _ in steps}) and steps[-1][0] == steps[-1][1]
    assert (results.first, results.last, results.previous_first, results.previous_last) == (date(2026, 4, 1), TODAY, date(2026, 1, 1), date(2026, 3, 31))
    assert (results.members, results.active, results.participation_rate) == (3, 2, Decimal("0.6667"))  # A and C; B only expired
    assert (results.active_previous, results.retained, results.retention_rate) == (2, 2, Decimal("1.0000"))
    assert (results.issued, results.redeemed, results.expired) == (3_200, 1_700, 5_000)
    assert results.redemption_rate == Decimal("0.5313") and results.breakage_rate == Decimal("1.5625")
    assert [(s.source, s.points) for s in results.issued_by_source] == [("card_spend", 2_000), ("financing", 700), ("survey", 500)]
    # the 1,200 were taken with no redemption record behind the entry (as an import posts them)
    assert [(c.category, c.points, c.redemptions) for c in results.redeemed_by_category] == [("voucher", 500, 1), ("other", 1_200, 0)]
    assert [(m.month, m.issued, m.redeemed, m.expired) for m in results.months] == [
        (date(2026, 4, 1), 2_000, 0, 0), (date(2026, 5, 1), 500, 1_200, 0), (date(2026, 6, 1), 700, 500, 5_000)]
    assert [(t.tier, t.members) for t in results.tiers] == [("standard", 1), ("silver", 1), ("gold", 1), ("platinum", 0)]
    assert results.referrals.registered == 0 and results.referrals.conversion is None
    # SPRING: A spent 1,500.00 in April (800.00 in January is outside the months compared); B nothing:
    # (1,500.00 - 0.00) x 1 = 1,500.00 for 1,000 points at 1 CNY per 100 = 10.00 CNY, 150.00 per CNY
    (spring,) = results.campaigns
    assert (spring.participants, spring.comparison_members, spring.average_spend_participant, spring.average_spend_comparison) == (
        1, 1, Decimal("1500.00"), Decimal("0.00"))
    assert (spring.cost_cny, spring.incremental_spend, spring.return_per_cny) == (Decimal("10.00"), Decimal("1500.00"), Decimal("150.00"))
    assert spring.months_compared == (date(2026, 4, 1), date(2026, 6, 1)) and not spring.eligibility_by_branch_only
    beijing = service.read(session=_session("auditor", "HQ01"), first_month="2026-04", last_month="2026-06", branch_code="bj01")
    assert (beijing.members, beijing.active, beijing.issued, beijing.expired, beijing.retained) == (2, 1, 2_500, 5_000, 1)
    silver = service.read(session=_session("auditor", "HQ01"), first_month="2026-04", last_month="2026-06", tier="silver")
    assert (silver.members, silver.active, silver.issued) == (1, 1, 700)
    (spring,) = silver.campaigns  # no silver member took part or was eligible
    assert (spring.participants, spring.comparison_members, spring.incremental_spend, spring.return_per_cny) == (0, 0, None, None)
    gold = service.read(session=_session("auditor", "HQ01"), first_month="2026-04", last_month="2026-06", tier="gold")
    (spring,) = gold.campaigns  # B alone: no participant, so no average to compare
    assert (spring.participants, spring.comparison_members, spring.average_spend_comparison, spring.incremental_spend) == (0, 1, Decimal("0.00"), None)


def test_who_may_see_which_branch_and_bad_periods(small: tuple[LocalStore, dict[str, str]]) -> None:
    store, _ = small
    service = ResultsService(store.context)
    own = service.read(session=_session("supervisor", "SH01"), first_month="2026-04", last_month="2026-06")
    assert own.branch_code == "SH01" and not own.may_choose and [b.code for b in own.branches] == ["SH01"]
    with pytest.raises(Forbidden):
        service.read(session=_session("supervisor", "SH01"), first_month="2026-04", last_month="2026-06", branch_code="BJ01")
    with pytest.raises(Forbidden):
        service.read(session=_session("admin", "HQ01"), first_month="2026-04", last_month="2026-06")
    assert service.read(session=_session("supervisor", "HQ01"), first_month="2026-04", last_month="2026-06").may_choose
    for first, last, code in (("2026-06", "2026-04", "results.period_order"), ("2026-13", "2026-06", "liability.month"),
                              ("2023-01", "2026-06", "results.period_length")):
        with pytest.raises(ValidationError) as raised:
            service.read(session=_session("auditor", "HQ01"), first_month=first, last_month=last)
        assert raised.value.code == code
    with pytest.raises(ValidationError):
        service.read(session=_session("auditor", "HQ01"), first_month="2026-04", last_month="2026-06", tier="diamond")


def test_drilling_down_to_the_entries_and_members_behind_a_figure(small: tuple[LocalStore, dict[str, str]]) -> None:
    store, members = small
    service = ResultsService(store.context)
    auditor = _session("auditor", "HQ01")

    def drill(figure: str, key: str | None, **extra: object) -> list[tuple[str, int | None]]:
        page = service.drill(session=auditor, figure=figure, key=key, first_month="2026-04", last_month="2026-06", **extra)  # type: ignore[arg-type]
        assert page.total == len(page.rows)
        return [(row.member_no, row.points) for row in page.rows]

    assert drill("issued", "card_spend") == [(members["a"], 2_000)]
    assert drill("issued", "financing") == [(members["c"], 700)]
    assert drill("redeemed", "voucher") == [(members["a"], -500)]
    assert drill("redeemed", "other") == [(members["a"], -1_200)]
    assert drill("expired", None) == [(members["b"], -5_000)]
    assert drill("month", "2026-05") == [(members["a"], 500), (members["a"], -1_200)]
    assert [no for no, _ in drill("active", None)] == sorted([members["a"], members["c"]])
    assert [no for no, _ in drill("tier", "gold")] == [members["b"]]
    assert drill("referral", "registered") == []
    assert drill("issued", None, branch_code="SH01") == [(members["c"], 700)]
    page = service.drill(session=auditor, figure="members", key=None, first_month="2026-04", last_month="2026-06", offset=1, limit=1)
    assert (page.offset, page.total, len(page.rows)) == (1, 3, 1)
    with pytest.raises(ValidationError):
        service.drill(session=auditor, figure="salaries", key=None, first_month="2026-04", last_month="2026-06")


# ---------------------------------------------------------------------- the export


def test_the_export_writes_a_workbook_with_native_charts_and_a_pdf_and_is_audited(small: tuple[LocalStore, dict[str, str]], tmp_path: Path) -> None:
    store, _ = small
    service = ResultsService(store.context)
    auditor = _session("auditor", "HQ01")
    done = service.produce(session=auditor, first_month="2026-04", last_month="2026-06", xlsx=tmp_path / "results.xlsx", pdf=tmp_path / "results.pdf",
                           language="en")
    workbook = load_workbook(done.xlsx)
    assert workbook.sheetnames[:3] == ["Summary", "Issued and redeemed by month", "Points issued by source"]
    by_month = workbook["Issued and redeemed by month"]
    rows = [tuple(cell.value for cell in row) for row in by_month.iter_rows(min_row=2, max_row=4)]
    assert rows == [("2026-04", 2_000, 0, 0), ("2026-05", 500, 1_200, 0), ("2026-06", 700, 500, 5_000)]
    charts = {sheet.title: [type(chart).__name__ for chart in sheet._charts] for sheet in workbook.worksheets}  # openpyxl's reader keeps them there
    assert charts["Issued and redeemed by month"] == ["LineChart"]
    assert charts["Points issued by source"] == ["BarChart"] and charts["Referral funnel"] == ["BarChart"]
    spend = workbook["Campaign spend"]
    assert [cell.value for cell in spend[1]] == ["Campaign", "Months compared", "Participants", "Average spend, participants (CNY)",
                                                 "Eligible, not taking part", "Average spend, not taking part (CNY)", "Incremental spend (CNY)",
                                                 "Return per CNY"]
    assert [cell.value for cell in spend[2]] == ["SPRING Spring drive", "2026-04 – 2026-06", 1, 1500, 1, 0, 1500, 150]
    line = workbook["Issued and redeemed by month"]._charts[0]
    assert len(line.series) == 2
    text = "\n".join(page.extract_text() for page in PdfReader(done.pdf).pages)
    assert "Programme results" in text and "3,200" in text and "Referral funnel" in text
    assert "Campaign incremental spend and return per CNY" in text and "1,500.00" in text and "150.00" in text
    chinese = service.produce(session=auditor, first_month="2026-04", last_month="2026-06", pdf=tmp_path / "results-zh.pdf", language="zh_CN")
    assert "积分计划成效" in "".join(page.extract_text() for page in PdfReader(chinese.pdf).pages)
    with store.context.uow() as uow:
        events = [e for e in uow.audit.in_order() if e.action == "export.results"]
    assert len(events) == 2
    assert events[-1].details["period"] == "2026-04 – 2026-06" and events[-1].details["issued"] == 3_200


@pytest.mark.skipif(shutil.which("ssconvert") is None, reason="Gnumeric's ssconvert is not installed")
def test_gnumeric_reads_every_sheet_of_the_workbook(small: tuple[LocalStore, dict[str, str]], tmp_path: Path) -> None:
    store, _ = small
    done = ResultsService(store.context).produce(session=_session("auditor", "HQ01"), first_month="2026-04", last_month="2026-06",
                                                 xlsx=tmp_path / "results.xlsx", language="en")
    subprocess.run(["ssconvert", "-S", str(done.xlsx), str(tmp_path / "sheet.csv")], check=True, capture_output=True, timeout=120)
    with open(tmp_path / "sheet.csv.1", encoding="utf-8", newline="") as handle:
        months = [row[:4] for row in csv.reader(handle) if row and row[0]]
    assert months[1:] == [["2026-04", "2000", "0", "0"], ["2026-05", "500", "1200", "0"], ["2026-06", "700", "500", "5000"]]
    sheets = [path.read_text(encoding="utf-8") for path in tmp_path.glob("sheet.csv.*")]
    assert any("Spring drive" in sheet and "1500" in sheet and "150" in sheet for sheet in sheets)  # the campaign spend sheet, read by a second program


def test_the_command_prints_writes_and_answers_json(
    small: tuple[LocalStore, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from loyalty_desk.cli.main import main

    store, _ = small
    add_staff(store.context, username="auditor", role="auditor", branch_code="HQ01")
    store.close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    base = ["--data-dir", str(tmp_path / "store"), "analytics", "results", "--user", "auditor"]
    assert main([*base, "--from", "2026-04", "--to", "2026-06", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["issued"] == 3_200 and answer["participation_rate"] == "0.6667" and answer["months"][2]["expired"] == 5_000
    (spring,) = answer["campaigns"]
    assert (spring["participants"], spring["incremental_spend"], spring["return_per_cny"], spring["months_compared"]) == (
        1, "1500.00", "150.00", ["2026-04-01", "2026-06-01"])
    assert main([*base, "--from", "2026-04", "--to", "2026-06", "--branch", "BJ01", "--xlsx", str(tmp_path / "r.xlsx"), "--pdf", str(tmp_path / "r.pdf")]) == 0
    out = capsys.readouterr().out
    assert "Points issued" in out and "2,500" in out and (tmp_path / "r.xlsx").exists() and (tmp_path / "r.pdf").exists()
    assert "incremental spend CNY 1,500.00; return per CNY of points 150.00" in out
    assert main([*base, "--from", "2026-04", "--to", "2026-02"]) == 1
    assert "the period ends (2026-02) before it starts (2026-04)" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "store"), "analytics", "results", "--from", "2026-04", "--to", "2026-06", "--user", "admin.hq"]) == 1


def test_tier_moves_count_each_change_up_or_down_under_the_home_branch(small: tuple[LocalStore, dict[str, str]]) -> None:
    store, members = small
    context = store.context
    for member_no, tier, on in (
        ("a", Tier.SILVER, date(2026, 5, 3)),  # Beijing, up
        ("b", Tier.SILVER, date(2026, 4, 20)),  # Beijing, down
        ("a", Tier.GOLD, date(2026, 6, 1)),  # Beijing, up again
        ("c", Tier.STANDARD, date(2026, 2, 1)),  # Shanghai, down, before the period
        ("c", Tier.SILVER, date(2026, 6, 15)),  # Shanghai, up
    ):
        with context.uow(write=True) as uow:
            found = uow.members.by_no(members[member_no])
            assert found is not None
            member = uow.members.lock(found.id)
            assert member is not None
            change_tier(uow, Ledger(uow, context.rules, NOW), member, tier, reason=TierChangeReason.OVERRIDE, cause=f"test:{member_no}:{on}",
                        occurred_on=on, actor=context.system_actor("test"), now=NOW)
            uow.commit()
    service = ResultsService(context)
    results = service.read(session=_session("auditor", "HQ01"), first_month="2026-04", last_month="2026-06")
    assert [(m.branch_code, m.up, m.down) for m in results.tier_moves] == [("BJ01", 2, 1), ("SH01", 1, 0)]
    assert (results.moved_up, results.moved_down) == (3, 1)
    earlier = service.read(session=_session("auditor", "HQ01"), first_month="2026-01", last_month="2026-03")
    assert [(m.branch_code, m.up, m.down) for m in earlier.tier_moves] == [("SH01", 0, 1)]
    gold = service.read(session=_session("auditor", "HQ01"), first_month="2026-04", last_month="2026-06", tier="gold")
    assert [(m.branch_code, m.up, m.down) for m in gold.tier_moves] == [("BJ01", 2, 0)]  # members count under their tier now
    assert AnalyticsService(context).verify().agrees
