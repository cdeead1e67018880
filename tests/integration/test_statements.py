"""Member statements: figures against the ledger, read back from the PDF's text; the signed QR
text; page numbering over many pages; batches; the audit rows; a missing CJK font."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store, post_debit, post_earning
from pypdf import PdfReader

from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.identity import make_member_no
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.statements.batch import run_batch
from loyalty_desk.services.statements.service import StatementService, period_for
from loyalty_desk.services.statements.signing import parse_qr_text, qr_text

UNKNOWN = make_member_no(900_000_001)
ACTOR = Actor(username="officer1", desk="test-desk", branch_code="BJ01")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = open_store(tmp_path / "store")  # clock fixed at 2026-06-30 12:00
    add_branch(opened.context)
    add_staff(opened.context, username="officer1")
    yield opened
    opened.close()


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"(?<![\d-])\d{1,3}(?:,\d{3})+(?!\d)|(?<![\d,.-])\d+(?![\d,-])", text)]


def entries_of(store: LocalStore, member_no: str) -> list[tuple[date, int]]:
    with store.context.uow() as uow:
        member = uow.members.by_no(member_no)
        return [(e.occurred_on, e.points) for e in uow.ledger.entries_for_member(member.id)]


def test_figures_match_the_ledger_and_the_pdf_says_them_in_chinese(store: LocalStore, tmp_path: Path) -> None:
    ctx = store.context
    zhang = add_member(ctx, name="张伟", referral_code="7K3M9QX2")
    # before the period: the opening balance
    post_earning(ctx, zhang, 4_000, on=date(2024, 6, 10))  # expires 2026-06-30: this month
    post_earning(ctx, zhang, 3_000, on=date(2024, 7, 5))  # expires 2026-07-31
    post_debit(ctx, zhang, 1_500, on=date(2024, 12, 1))  # takes from the June lot first
    # in the period
    post_earning(ctx, zhang, 2_500, on=date(2024, 8, 20))  # back-dated? no: before the period too
    post_earning(ctx, zhang, 1_200, on=date(2026, 1, 15), rule="repayment")
    post_earning(ctx, zhang, 800, on=date(2026, 3, 3), rule="financing", campaign_code=None)
    post_debit(ctx, zhang, 700, on=date(2026, 4, 9), details={"reward_code": "TEA-SET", "number": "R-20260409-0001"})
    post_earning(ctx, zhang, 600, on=date(2026, 6, 28))
    # after the period (excluded)
    post_earning(ctx, zhang, 999, on=date(2026, 6, 30))

    service = StatementService(ctx)
    data = service.build(member_no=zhang, period_from=date(2026, 1, 1), period_to=date(2026, 6, 29), language="zh_CN")

    entries = entries_of(store, zhang)
    opening = sum(p for d, p in entries if d < date(2026, 1, 1))
    inside = [p for d, p in entries if date(2026, 1, 1) <= d <= date(2026, 6, 29)]
    assert data.opening == opening == 8_000
    assert data.total_earned == sum(p for p in inside if p > 0) == 2_600
    assert data.total_spent == -sum(p for p in inside if p < 0) == 700
    assert data.closing == data.opening + data.total_earned - data.total_spent == opening + sum(inside)
    assert data.entry_count == len(inside) == 4
    running = data.opening
    for line in data.lines:
        running += line.earned - line.spent
        assert line.balance_after == running
    assert data.lines[-1].balance_after == data.closing

    # expiring per month from the open lots: June 2026 lot (4,000 - 1,500 - 700 taken soonest first), July 3,000
    assert [(e.month, e.points) for e in data.expiring] == [(date(2026, 6, 1), 1_800), (date(2026, 7, 1), 3_000), (date(2026, 8, 1), 2_500)]

    path = service.render(data, tmp_path / "zhang.pdf")
    pages = pdf_text(path)
    text = "\n".join(pages)
    assert "积分对账单" in text and "张伟" in text and "7K3M9QX2" in text
    assert "110105********" in text  # masked ID, never the full number
    assert data.statement_no in text and "第 1 页 / 共 1 页" in pages[0]
    assert "2026/1/1 至 2026/6/29" in text  # dates as the desk shows them in Chinese
    for figure in (data.opening, data.total_earned, data.total_spent, data.closing, 1_800, 3_000, 2_500):
        assert f"{figure:,}" in text
    assert "2026年6月底到期" in text and "2026年8月底到期" in text
    assert "按时还款积分" in text and "融资放款积分" in text and "积分兑换：TEA-SET（R-20260409-0001）" in text
    # the balance column read back from the page: opening, then every running balance, then the closing
    after_each = [line.balance_after for line in data.lines]
    found = numbers(text[text.index("积分明细") :])
    positions = [found.index(value) for value in after_each]
    assert positions == sorted(positions)


def test_english_layout(store: LocalStore, tmp_path: Path) -> None:
    member = add_member(store.context, name="Zhang Wei", id_type="passport")
    post_earning(store.context, member, 1_000, on=date(2026, 6, 2))
    service = StatementService(store.context)
    data = service.build(member_no=member, period_from=date(2026, 6, 1), period_to=date(2026, 6, 30), language="en")
    text = "\n".join(pdf_text(service.render(data, tmp_path / "en.pdf")))
    for words in ("Member Points Statement", "Opening balance", "Closing balance", "Page 1 of 1", "Zhang Wei", "Card spend", "Expire end of June 2026"):
        assert words in text


def test_three_hundred_entries_span_pages_with_correct_totals(store: LocalStore, tmp_path: Path) -> None:
    member = add_member(store.context, name="欧阳娜娜")
    earned = spent = 0
    for i in range(300):
        day = date(2025, 7, 1 + (i % 28)) if i < 150 else date(2026, 1 + (i % 5), 1 + (i % 28))
        if i % 5 == 4:
            post_debit(store.context, member, 50 + i, on=day)
            spent += 50 + i
        else:
            post_earning(store.context, member, 300 + i, on=day)
            earned += 300 + i
    service = StatementService(store.context)
    from_, to = period_for("last_12_months", store.context.today())
    assert (from_, to) == (date(2025, 7, 1), date(2026, 6, 30))
    data = service.build(member_no=member, period_from=from_, period_to=to, language="zh_CN")
    assert data.entry_count == 300 and (data.total_earned, data.total_spent) == (earned, spent)
    assert data.closing == earned - spent == data.lines[-1].balance_after
    pages = pdf_text(service.render(data, tmp_path / "long.pdf"))
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page
        assert data.statement_no in page and "日期" in page  # header and column heads on every page
    assert sum(page.count("\n20") for page in pages) >= 300  # every entry's date line
    last = pages[-1]
    assert f"{earned:,}" in last and f"{spent:,}" in last and f"{data.closing:,}" in last


def test_qr_text_verifies_and_an_edited_figure_fails(store: LocalStore) -> None:
    member = add_member(store.context, name="王芳")
    post_earning(store.context, member, 5_000, on=date(2026, 2, 1))
    post_debit(store.context, member, 1_000, on=date(2026, 3, 1))
    service = StatementService(store.context)
    data = service.build(member_no=member, period_from=date(2026, 1, 1), period_to=date(2026, 6, 30))
    genuine = service.verify(data.qr_text)
    assert genuine.genuine and genuine.ledger_matches and genuine.figures.closing == 4_000

    figures = parse_qr_text(data.qr_text)
    for edit in (
        {"closing": 40_000},
        {"total_spent": 100},
        {"opening": 1},
        {"entry_count": 3},
        {"member_no": UNKNOWN},
        {"period_to": date(2026, 5, 31)},
    ):
        from dataclasses import replace

        forged = qr_text(replace(figures, **edit))
        result = service.verify(forged)
        assert not result.genuine and result.problem == "digest_mismatch", edit
    assert service.verify("hello").problem == "format"
    assert service.verify(data.qr_text.replace(":K1:", ":K9:")).problem == "unknown_key"

    # a later back-dated posting: still genuine, but the ledger no longer gives the same figures
    post_earning(store.context, member, 10, on=date(2026, 4, 1))
    later = service.verify(data.qr_text)
    assert later.genuine and later.ledger_matches is False and later.ledger_closing == 4_010

    # the key survives a new service (it is in the store, not in memory)
    assert StatementService(store.context).verify(data.qr_text).genuine


def test_saving_and_printing_are_audited(store: LocalStore, tmp_path: Path) -> None:
    member = add_member(store.context)
    service = StatementService(store.context)
    data = service.build(member_no=member, period_from=date(2026, 6, 1), period_to=date(2026, 6, 30))
    service.render(data, tmp_path / "a.pdf", actor=ACTOR)
    service.record_print(data, actor=ACTOR, printer="Counter 1", pages=1)
    with store.context.uow() as uow:
        _, rows = uow.audit.search(action="statement.", limit=10)
        actions = sorted((r.action, r.member_no, r.details["statement_no"]) for r in rows if r.action != "statement.key_created")
    assert actions == [("statement.print", member, data.statement_no), ("statement.save", member, data.statement_no)]


def test_bad_periods_are_refused(store: LocalStore) -> None:
    member = add_member(store.context)
    service = StatementService(store.context)
    with pytest.raises(ValidationError) as error:
        service.build(member_no=member, period_from=date(2026, 6, 1), period_to=date(2026, 5, 1))
    assert error.value.code == "statement.period_order"
    with pytest.raises(ValidationError):
        service.build(member_no=member, period_from=date(2026, 7, 1), period_to=date(2026, 7, 31))
    with pytest.raises(DomainError) as missing:
        service.build(member_no=UNKNOWN, period_from=date(2026, 6, 1), period_to=date(2026, 6, 30))
    assert missing.value.code == "not_found"


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.progress: list[tuple[int, int]] = []
        self.cancel_after = cancel_after

    def set_progress(self, done: int, total: int) -> None:
        self.progress.append((done, total))

    def set_status(self, text: str) -> None:
        pass

    def is_cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.progress) >= self.cancel_after


def test_batch_per_member_combined_and_cancelled(store: LocalStore, tmp_path: Path) -> None:
    members = [add_member(store.context, name=name) for name in ("张伟", "王芳", "李娜")]
    for i, member in enumerate(members):
        post_earning(store.context, member, 1_000 * (i + 1), on=date(2026, 5, 1))
    service = StatementService(store.context)
    wanted = [*members, UNKNOWN]  # the last one does not exist

    period = {"period_from": date(2026, 1, 1), "period_to": date(2026, 6, 30)}
    progress = Recorder()
    result = run_batch(progress, service=service, member_nos=wanted, **period, out=tmp_path / "each", actor=ACTOR)
    assert sorted(Path(p).name for p in result.written) == sorted(f"{m}.pdf" for m in members)
    assert result.failed == ((UNKNOWN, "not_found"),) and not result.cancelled
    assert progress.progress[-1] == (4, 4)
    assert "王芳" in pdf_text(tmp_path / "each" / f"{members[1]}.pdf")[0]

    combined = run_batch(Recorder(), service=service, member_nos=members, **period, out=tmp_path / "all.pdf", combined=True)
    pages = pdf_text(Path(combined.written[0]))
    assert len(pages) == 3 and all("第 1 页 / 共 1 页" in page for page in pages)
    assert [name in page for name, page in zip(("张伟", "王芳", "李娜"), pages, strict=True)] == [True, True, True]

    cancelled = run_batch(Recorder(cancel_after=1), service=service, member_nos=members, **period, out=tmp_path / "cut")
    assert cancelled.cancelled and len(cancelled.written) == 1


def test_no_cjk_font_is_a_clear_refusal(store: LocalStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loyalty_desk.documents import fonts

    member = add_member(store.context)
    service = StatementService(store.context)
    data = service.build(member_no=member, period_from=date(2026, 6, 1), period_to=date(2026, 6, 30))
    monkeypatch.setattr(fonts, "candidate_paths", lambda: [tmp_path / "missing.ttf"])
    fonts.reset_for_tests()
    try:
        with pytest.raises(DomainError) as error:
            service.render(data, tmp_path / "x.pdf")
        assert error.value.code == "documents.no_cjk_font"
        from loyalty_desk.messages import describe

        assert "font" in describe(error.value).lower()
    finally:
        monkeypatch.undo()
        fonts.reset_for_tests()
