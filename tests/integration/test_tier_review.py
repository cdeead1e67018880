"""The monthly tier review on a desk's SQLite store: scheduled with the standalone desk's jobs, once a month."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import factories
import pytest
from earning_support import Desk, check_invariants, txn
from factories import install_rules
from pypdf import PdfReader

from loyalty_desk.documents.statement_wording import describe_line
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.earning.service import EarningService
from loyalty_desk.services.expiry import ExpiryService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.members.service import MemberService
from loyalty_desk.services.standalone_jobs import StandaloneJobService
from loyalty_desk.services.statements.service import StatementService
from loyalty_desk.store.models import JobRun


def standalone_jobs(desk: Desk) -> StandaloneJobService:
    context = desk.context
    return StandaloneJobService(context, AdjustmentService(context, operation_runner(context)), desk.expiry, desk.earning)


def set_last_upgrade(desk: Desk, member_no: str, on: date) -> None:
    with desk.context.uow(write=True) as uow:
        member = uow.members.by_no(member_no)
        assert member is not None
        member.last_upgrade_on = on
        uow.commit()


def job_runs(desk: Desk, job: str) -> list[str]:
    with desk.context.uow() as uow:
        rows = uow.ledger.session.query(JobRun).filter(JobRun.job == job, JobRun.finished_at.isnot(None)).all()
        return sorted(row.run_key for row in rows)


def test_standalone_desk_runs_the_expiry_daily_and_the_tier_review_monthly(desk: Desk) -> None:
    gold = desk.add_member(tier="gold")
    set_last_upgrade(desk, gold, date(2024, 5, 1))
    lapsing = desk.add_member()
    factories.post_earning(desk.context, lapsing, 700, on=date(2024, 1, 10))  # expired at the end of January 2026
    jobs = standalone_jobs(desk)

    first = jobs.run_due()  # 2026-06-30
    assert first.expiry is not None and (first.expiry.as_of, first.expiry.points_expired) == (date(2026, 6, 30), 700)
    assert first.tier_review is not None and (first.tier_review.month, first.tier_review.reviewed) == ("2026-06", 1)
    assert not first.tier_review.already_run

    again = jobs.run_due()  # the same day: nothing is started again, not even an audit row
    assert (again.expiry, again.tier_review) == (None, None)
    with desk.context.uow() as uow:
        assert uow.audit.search(action="job.tier_review")[0] == 1
        assert uow.audit.search(action="job.expiry")[0] == 1

    desk.clock.advance(days=1)  # 2026-07-01: a new day and a new month
    later = jobs.run_due()
    assert later.expiry is not None and later.expiry.points_expired == 0
    assert later.tier_review is not None and later.tier_review.month == "2026-07"
    assert job_runs(desk, "tier_review") == ["2026-06", "2026-07"]
    assert job_runs(desk, "expiry") == ["2026-06-30", "2026-07-01"]
    # the analytics rows of closed months are compacted once a month, after the review
    assert (first.compacted, again.compacted, later.compacted) == (True, False, True)
    assert job_runs(desk, "analytics_compact") == ["2026-06", "2026-07"]


def test_a_desk_joined_to_central_leaves_the_tier_review_to_central(desk: Desk) -> None:
    joined = dataclasses.replace(desk.context, joined_central="postgresql://central.example/loyalty")
    with pytest.raises(DomainError) as refused:
        EarningService(joined).review_tiers(as_of=date(2026, 6, 30))
    assert refused.value.code == "job.joined_desk"
    jobs = StandaloneJobService(joined, AdjustmentService(joined, operation_runner(joined)), ExpiryService(joined), EarningService(joined))
    with pytest.raises(DomainError) as also_refused:
        jobs.run_due()
    assert also_refused.value.code == "job.joined_desk"
    assert job_runs(desk, "tier_review") == []



# ---------------------------------------------------------------- the tier change in the history and the statement


def test_a_downgrade_is_a_zero_point_line_in_the_history_and_the_statement(desk: Desk, tmp_path: Path) -> None:
    member_no = desk.add_member(tier="gold")
    set_last_upgrade(desk, member_no, date(2024, 5, 1))
    factories.post_earning(desk.context, member_no, 25_000, on=date(2026, 2, 3))  # enough for Silver, not for Gold
    desk.earning.review_tiers(as_of=date(2026, 5, 1))  # warns
    desk.earning.review_tiers(as_of=date(2026, 6, 1))  # downgrades
    assert desk.member(member_no).tier == "silver"

    history = MemberService(desk.context).history(member_no=member_no)
    change = history.rows[0]
    assert (change.kind, change.source, change.description, change.points, change.balance_after) == ("tier", "monthly_review", "tier.monthly_review", 0, 25_000)
    assert (change.description_params["from_tier"], change.description_params["to_tier"]) == ("gold", "silver")
    assert desk.balance(member_no) == 25_000  # no point moved
    check_invariants(desk)

    statements = StatementService(desk.context)
    for language, words in (("en", "Tier changed Gold -> Silver (monthly review)"), ("zh_CN", "会员等级由金卡调整为银卡（月度等级评定）")):
        data = statements.build(member_no=member_no, period_from=date(2026, 6, 1), period_to=date(2026, 6, 30), language=language)
        [line] = [line for line in data.lines if line.kind == "tier"]
        assert (line.earned, line.spent, describe_line(line, language)) == (0, 0, words)
    assert data.total_earned == 0 and data.total_spent == 0
    text = "\n".join(page.extract_text() for page in PdfReader(str(statements.render(data, tmp_path / "zh.pdf"))).pages)
    assert "会员等级由金卡调整为银卡" in text


def test_an_upgrade_on_earning_is_a_line_too_and_is_posted_once(desk: Desk) -> None:
    member_no = desk.add_member()
    desk.post(txn("big", member_no, date(2026, 6, 10), "financing", "2500000"))  # 25,000 points: Silver at once
    desk.post(txn("big", member_no, date(2026, 6, 10), "financing", "2500000"))
    assert desk.member(member_no).tier == "silver"
    changes = [entry for entry in desk.entries(member_no) if entry.kind == "tier"]
    assert [(c.rule, c.points, c.details["from_tier"], c.details["to_tier"]) for c in changes] == [("points_reached", 0, "standard", "silver")]
    check_invariants(desk)


# ---------------------------------------------------------------- the downgrade grace


def test_the_first_review_below_the_tier_warns_and_the_next_one_downgrades(desk: Desk) -> None:
    member_no = desk.add_member(tier="gold")
    set_last_upgrade(desk, member_no, date(2024, 5, 1))
    factories.post_earning(desk.context, member_no, 30_000, on=date(2026, 2, 3))
    members = MemberService(desk.context)

    june = desk.earning.review_tiers(as_of=date(2026, 6, 1))
    assert (june.warned, june.downgraded) == (1, 0)
    assert desk.member(member_no).tier == "gold"
    view = members.view(member_no=member_no, as_of=date(2026, 6, 15)).tier
    assert (view.downgrade_warned_on, view.downgrade_due_on, view.downgrade_to) == (date(2026, 6, 1), date(2026, 7, 1), "silver")
    assert view.keep_points_needed == 50_000  # "downgrade due at the review on 1 July unless 50,000 more points"
    assert not [entry for entry in desk.entries(member_no) if entry.kind == "tier"]  # a warning moves no tier

    july = desk.earning.review_tiers(as_of=date(2026, 7, 1))
    assert (july.warned, july.downgraded) == (0, 1)
    assert desk.member(member_no).tier == "silver"
    after = members.view(member_no=member_no, as_of=date(2026, 7, 2)).tier
    assert (after.downgrade_warned_on, after.downgrade_due_on, after.downgrade_to) == (None, None, None)
    with desk.context.uow() as uow:
        assert [row.action for row in uow.audit.search(member_no=member_no)[1] if row.action.startswith("member.tier")] == [
            "member.tier_downgrade", "member.tier_warning",
        ]


def test_a_member_back_at_the_threshold_keeps_the_tier_and_a_later_shortfall_is_warned_again(desk: Desk) -> None:
    member_no = desk.add_member(tier="gold")
    set_last_upgrade(desk, member_no, date(2024, 5, 1))
    factories.post_earning(desk.context, member_no, 30_000, on=date(2026, 2, 3))
    assert desk.earning.review_tiers(as_of=date(2026, 6, 1)).warned == 1
    factories.post_earning(desk.context, member_no, 50_000, on=date(2026, 6, 20), qualifying=True)  # back at 80,000

    july = desk.earning.review_tiers(as_of=date(2026, 7, 1))
    assert (july.warned, july.downgraded) == (0, 0)
    assert desk.member(member_no).tier == "gold"
    assert MemberService(desk.context).view(member_no=member_no, as_of=date(2026, 7, 2)).tier.downgrade_due_on is None

    # the February points leave the window at the end of January 2027: below again, warned again first
    february = desk.earning.review_tiers(as_of=date(2027, 2, 3))
    assert (february.warned, february.downgraded) == (1, 0)
    assert desk.member(member_no).tier == "gold"


def test_with_the_grace_switched_off_the_first_review_downgrades(desk: Desk) -> None:
    settings = desk.context.rules
    no_grace = dataclasses.replace(settings, tiers=dataclasses.replace(settings.tiers, downgrade_warning=False))
    install_rules(desk.context, no_grace)
    member_no = desk.add_member(tier="gold")
    set_last_upgrade(desk, member_no, date(2024, 5, 1))
    report = desk.earning.review_tiers(as_of=date(2026, 6, 1))
    assert (report.warned, report.downgraded) == (0, 1)
    assert desk.member(member_no).tier == "silver"
