"""Excel exports read back with openpyxl and compared with what the services say: member list,
ledger, points expiring (masked or not by role), branch journal, redemptions and stock,
pending approvals; roles and branches; the filter sheet; the audit row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store, post_debit, post_earning
from openpyxl import load_workbook

from loyalty_desk.domain.errors import DomainError, Forbidden
from loyalty_desk.domain.identity import mask_mobile
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.exports import ExportService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.members.dto import HistoryFilter
from loyalty_desk.services.members.service import MemberService
from loyalty_desk.services.redemption.service import RedemptionService

NOW = datetime(2026, 6, 30, 12, 0)


@dataclass
class Shop:
    store: LocalStore
    exports: ExportService
    members: MemberService
    redemption: RedemptionService
    officer: StaffSession
    supervisor: StaffSession
    auditor: StaffSession
    admin: StaffSession
    bj: list[str]
    sh: str


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    store = open_store(tmp_path / "store", now=NOW)
    ctx = store.context
    add_branch(ctx, code="HQ01", name_zh="总行", name_en="Head Office", head_office=True)
    add_branch(ctx, code="BJ01")
    add_branch(ctx, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    officer = add_staff(ctx, username="officer.bj", role="officer")
    supervisor = add_staff(ctx, username="super.bj", role="supervisor")
    auditor = add_staff(ctx, username="auditor", role="auditor", branch_code="HQ01")
    admin = add_staff(ctx, username="admin", role="admin", branch_code="HQ01")
    bj = [add_member(ctx, name=name) for name in ("张伟", "王芳", "李娜")]
    sh = add_member(ctx, name="刘强", branch_code="SH01")
    post_earning(ctx, bj[0], 5_000, on=date(2024, 7, 10))  # expires 2026-07-31: within 60 days
    post_earning(ctx, bj[0], 1_000, on=date(2024, 8, 2))  # expires 2026-08-31: within 90 days, not 60
    post_earning(ctx, bj[1], 2_000, on=date(2024, 6, 3))  # expires 2026-06-30: within 30
    post_earning(ctx, bj[2], 700, on=date(2026, 6, 1), rule="repayment")
    post_debit(ctx, bj[0], 300, on=date(2026, 6, 15), kind="adjust", details={"reason_code": "CORRECTION"})
    post_earning(ctx, sh, 9_000, on=date(2024, 7, 1))
    runner = operation_runner(ctx)
    redemption = RedemptionService(ctx, runner)
    redemption.upsert_reward(
        session=admin, code="TEA", points_cost=400, name_zh="茶具", name_en="Tea set", category="physical_gift", cash_value="25.00", stock_tracked=True,
    )
    redemption.receive_stock(session=admin, reward_code="TEA", branch_code="BJ01", qty=5)
    yield Shop(store, ExportService(ctx), MemberService(ctx), redemption, officer, supervisor, auditor, admin, bj, sh)
    store.close()


def read(path: Path) -> tuple[list[str], list[tuple], dict[str, object]]:
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    filters = {row[0]: row[1] for row in workbook["Filter"].iter_rows(min_row=2, values_only=True)}
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(rows[0])).column_letter}{len(rows)}"
    return list(rows[0]), rows[1:], filters


def as_day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def test_member_list_matches_the_member_view_and_is_masked(shop: Shop, tmp_path: Path) -> None:
    result = shop.exports.export(kind="members", session=shop.officer, path=tmp_path / "m.xlsx")
    header, rows, filters = read(tmp_path / "m.xlsx")
    assert result.rows == len(rows) == 3 and filters["Branch"] == "BJ01" and filters["Rows"] == 3  # an officer: own branch
    column = {name: i for i, name in enumerate(header)}
    for row in rows:
        view = shop.members.view(member_no=row[column["Member no."]])
        assert row[column["Name"]] == view.name
        assert row[column["ID number (masked)"]] == view.masked_id and "*" in view.masked_id
        assert row[column["Mobile (masked)"]] == view.masked_mobile
        assert row[column["Balance"]] == view.posted_balance and row[column["Available"]] == view.available_balance
        assert row[column["Tier"]] == view.tier.tier and as_day(row[column["Joined"]]) == view.joined_on
    sheet = load_workbook(tmp_path / "m.xlsx").worksheets[0]
    assert sheet.cell(2, column["Balance"] + 1).number_format == "#,##0"
    assert sheet.cell(2, column["Joined"] + 1).number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width >= 12

    everyone = shop.exports.export(kind="members", session=shop.auditor, path=tmp_path / "all.xlsx")
    assert everyone.rows == 4


def test_ledger_for_a_period_matches_the_history(shop: Shop, tmp_path: Path) -> None:
    shop.exports.export(kind="ledger", session=shop.supervisor, path=tmp_path / "l.xlsx", date_from=date(2024, 7, 1), date_to=date(2026, 6, 30))
    header, rows, filters = read(tmp_path / "l.xlsx")
    column = {name: i for i, name in enumerate(header)}
    expected = []
    for member_no in shop.bj:
        page = shop.members.history(member_no=member_no, limit=500, filter=HistoryFilter(date_from=date(2024, 7, 1), date_to=date(2026, 6, 30)))
        expected += [(e.entry_id, member_no, e.occurred_at.date(), e.kind, e.points, e.balance_after) for e in page.rows]
    got = [
        (r[column["Entry ID"]], r[column["Member no."]], as_day(r[column["Date"]]), r[column["Kind"]], r[column["Points"]], r[column["Balance after"]])
        for r in rows
    ]
    assert sorted(got) == sorted(expected) and len(got) == 4  # bj[1]'s June 2024 earning is before the period
    assert as_day(filters["From"]) == date(2024, 7, 1) and as_day(filters["To"]) == date(2026, 6, 30)


@pytest.mark.parametrize("within, expected", [(30, {1: 2_000}), (60, {0: 5_000 - 300, 1: 2_000}), (90, {0: 6_000 - 300, 1: 2_000})])
def test_expiring_matches_the_member_view_and_masks_by_role(shop: Shop, tmp_path: Path, within: int, expected: dict[int, int]) -> None:
    shop.exports.export(kind="expiring", session=shop.supervisor, path=tmp_path / "s.xlsx", within_days=within)
    header, rows, filters = read(tmp_path / "s.xlsx")
    column = {name: i for i, name in enumerate(header)}
    got = {r[column["Member no."]]: r for r in rows}
    assert set(got) == {shop.bj[i] for i in expected}
    for index, points in expected.items():
        view = shop.members.view(member_no=shop.bj[index])
        from_view = next(e.points for e in view.expiring if e.within_days == within)
        row = got[shop.bj[index]]
        assert row[column["Points expiring"]] == points == from_view
        assert row[column["Mobile"]].isdigit() and len(row[column["Mobile"]]) == 11  # a supervisor sees the full mobile
    assert filters["Mobile numbers"].startswith("in full")

    shop.exports.export(kind="expiring", session=shop.officer, path=tmp_path / "o.xlsx", within_days=within)
    _, officer_rows, officer_filters = read(tmp_path / "o.xlsx")
    assert officer_filters["Mobile numbers"] == "masked"
    for row in officer_rows:
        original = got[row[0]][column["Mobile"]]
        assert row[column["Mobile"]] == mask_mobile(original) and "****" in row[column["Mobile"]]


def test_branch_journal_by_officer(shop: Shop, tmp_path: Path) -> None:
    # redemption by the officer at the branch, today
    redeemed = shop.redemption.redeem(operation_id=shop.redemption.new_operation_id(), session=shop.officer, member_no=shop.bj[2], reward_code="TEA", qty=1)
    shop.exports.export(kind="journal", session=shop.supervisor, path=tmp_path / "j.xlsx", date_from=date(2026, 6, 1), date_to=date(2026, 6, 30))
    header, rows, _ = read(tmp_path / "j.xlsx")
    column = {name: i for i, name in enumerate(header)}
    by_key = {(as_day(r[0]), r[column["Officer"]]): r for r in rows}
    repay = by_key[(date(2026, 6, 1), "(system)")]
    assert (repay[column["Earned (count)"]], repay[column["Earned (points)"]]) == (1, 700)
    adjust = by_key[(date(2026, 6, 15), "(system)")]
    assert (adjust[column["Adjusted (count)"]], adjust[column["Adjusted (points)"]]) == (1, -300)
    officer = by_key[(NOW.date(), "officer.bj")]
    assert (officer[column["Redeemed (count)"]], officer[column["Redeemed (points)"]]) == (1, -redeemed.points)
    assert sum(r[column["Net points"]] for r in rows) == 700 - 300 - redeemed.points


def test_redemptions_and_stock(shop: Shop, tmp_path: Path) -> None:
    receipt = shop.redemption.redeem(operation_id=shop.redemption.new_operation_id(), session=shop.officer, member_no=shop.bj[0], reward_code="TEA", qty=2)
    result = shop.exports.export(kind="redemptions", session=shop.admin, path=tmp_path / "r.xlsx", date_from=date(2026, 6, 1), date_to=date(2026, 6, 30))
    header, rows, _ = read(tmp_path / "r.xlsx")
    column = {name: i for i, name in enumerate(header)}
    listed = shop.redemption.list(limit=50)
    assert [(r[column["Number"]], r[column["Points"]], r[column["Qty"]]) for r in rows if r[column["Number"]] and r[column["Number"]] != "STOCK ON HAND"] == [
        (v.number, v.points, v.qty) for v in listed
    ]
    assert rows[0][column["Number"]] == receipt.number and rows[0][column["Cash value (CNY)"]] == 50.0
    assert result.rows >= 1


def test_roles_and_branches_are_enforced(shop: Shop, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        shop.exports.export(kind="members", session=shop.officer, path=tmp_path / "x.xlsx", branch_code="SH01")
    with pytest.raises(Forbidden):
        shop.exports.export(kind="ledger", session=shop.admin, path=tmp_path / "x.xlsx")
    with pytest.raises(DomainError) as error:
        shop.exports.export(kind="expiring", session=shop.officer, path=tmp_path / "x.xlsx", within_days=45)
    assert error.value.code == "export.within"
    assert not (tmp_path / "x.xlsx").exists()


def test_every_export_is_audited(shop: Shop, tmp_path: Path) -> None:
    shop.exports.export(kind="expiring", session=shop.auditor, path=tmp_path / "e.xlsx", within_days=90)
    with shop.store.context.uow() as uow:
        _, rows = uow.audit.search(action="export.", limit=10)
        events = [(r.action, r.actor, r.details["rows"], r.details["Mobile numbers"]) for r in rows]
    assert events == [("export.expiring", "auditor", 3, "in full (role may see them)")]


def test_pending_approvals_when_the_module_is_there(shop: Shop, tmp_path: Path) -> None:
    try:
        from loyalty_desk.services.adjustments.service import AdjustmentService
        from loyalty_desk.services.auth import AuthService
    except ImportError:
        pytest.skip("adjustments module not present")
    ctx = shop.store.context
    adjustments = AdjustmentService(ctx, operation_runner(ctx), AuthService(ctx))
    shop.exports.attach_adjustments(adjustments)
    outcome = adjustments.request(
        operation_id=adjustments.new_operation_id(), session=shop.officer, member_no=shop.bj[0], direction="credit", points=500,
        reason_code="GOODWILL", memo="Apology for the long wait at the counter",
    )
    shop.exports.export(kind="approvals", session=shop.supervisor, path=tmp_path / "a.xlsx")
    _header, rows, _ = read(tmp_path / "a.xlsx")
    queue = adjustments.queue(session=shop.supervisor)
    assert [(r[0], r[1], r[6]) for r in rows] == [(v.request_id, v.member_no, v.points) for v in queue if v.status == "pending"]
    assert len(rows) == 1 and outcome is not None


def test_referral_report_matches_the_referral_list_and_is_audited(tmp_path: Path) -> None:
    """The referral report is an export kind like the others (roles, branch, period,
    filter sheet, ``export.referrals``); its rows are what ``ReferralService.list`` says for the filter."""
    from referral_support import open_referral_desk

    from loyalty_desk.documents.referrals import HEADERS
    from loyalty_desk.services.referrals.dto import ListFilter

    desk = open_referral_desk(tmp_path / "store")
    try:
        ctx = desk.context
        exports = ExportService(ctx, referrals=desk.service)
        desk.register()
        desk.register()
        desk.register(who=desk.other_supervisor)  # a Shanghai referral: not in Beijing's report
        day = desk.clock().date()
        result = exports.export(kind="referrals", session=desk.officer, path=tmp_path / "r.xlsx", date_from=day, date_to=day)
        header, rows, filters = read(tmp_path / "r.xlsx")
        assert header == list(HEADERS["en"])
        expected = desk.service.list(session=desk.officer, filters=ListFilter(since=day, until=day, branch_code="BJ01"))
        assert len(expected) == 2 and result.rows == len(rows) == 2
        assert [(r[0], r[1], r[2], r[5], r[7], r[8]) for r in rows] == [
            (v.registered_at, v.status, v.branch_code, v.referrer_no, v.referee_no, v.referee_name) for v in expected
        ]
        assert filters["Export"] == "Referral report" and filters["Branch"] == "BJ01" and filters["Rows"] == 2
        assert as_day(filters["From"]) == day and as_day(filters["To"]) == day

        # head office picks a branch; an officer may not ask for another branch; an administrator may not export it
        exports.export(kind="referrals", session=desk.hq_supervisor, path=tmp_path / "sh.xlsx", branch_code="SH01")
        _, sh_rows, _ = read(tmp_path / "sh.xlsx")
        assert [r[2] for r in sh_rows] == ["SH01"]
        with pytest.raises(Forbidden):
            exports.export(kind="referrals", session=desk.officer, path=tmp_path / "x.xlsx", branch_code="SH01")
        admin = add_staff(ctx, username="admin", role="admin", branch_code="HQ01")
        with pytest.raises(Forbidden):
            exports.export(kind="referrals", session=admin, path=tmp_path / "y.xlsx")
        # a period with no referrals: an empty report
        empty = exports.export(kind="referrals", session=desk.officer, path=tmp_path / "e.xlsx", date_from=date(2020, 1, 1), date_to=date(2020, 1, 31))
        assert empty.rows == 0

        with ctx.uow() as uow:
            _, audit_rows = uow.audit.search(action="export.referrals", limit=10)
            events = sorted((r.actor, r.details["rows"], r.details["Branch"]) for r in audit_rows)
        assert events == [("officer.bj", 0, "BJ01"), ("officer.bj", 2, "BJ01"), ("super.hq", 1, "SH01")]
    finally:
        desk.store.close()


def test_referral_report_needs_the_referral_module(shop: Shop, tmp_path: Path) -> None:
    with pytest.raises(DomainError):
        shop.exports.export(kind="referrals", session=shop.officer, path=tmp_path / "r.xlsx")
