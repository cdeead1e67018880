"""The member view: balances, expiring points, lots, tier progress, history, and the audited reveal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import add_branch, add_member, add_staff, open_store, post_debit, post_earning, set_held_points

from loyalty_desk.domain.errors import NotFound, ValidationError
from loyalty_desk.domain.identity import make_member_no
from loyalty_desk.services.members.dto import HistoryFilter
from loyalty_desk.services.members.service import MemberService

AS_OF = date(2026, 6, 1)
UNKNOWN = make_member_no(999_999_999)


@pytest.fixture
def store(tmp_path: Path):
    store = open_store(tmp_path)
    add_branch(store.context, code="BJ01", name_zh="北京分行", name_en="Beijing Branch")
    yield store
    store.close()


@pytest.fixture
def members(store) -> MemberService:
    return MemberService(store.context)


@pytest.fixture
def silver(store) -> str:
    """A Silver member since 2025-07-10 with lots expiring around the 30/60/90-day marks of AS_OF."""
    context = store.context
    member_no = add_member(context, name="张伟", tier="silver", last_upgrade_on=date(2025, 7, 10), mobile="13812345678")
    post_earning(context, member_no, 100, on=date(2024, 5, 10), reference="T-A")  # expires 2026-05-31: already past
    post_earning(context, member_no, 200, on=date(2024, 6, 15), reference="T-B")  # 2026-06-30: day 30 of AS_OF
    post_earning(context, member_no, 400, on=date(2024, 7, 1), reference="T-C")  # 2026-07-31: day 61
    post_earning(context, member_no, 800, on=date(2024, 8, 20), reference="T-D")  # 2026-08-31: day 92
    post_earning(context, member_no, 20_000, on=date(2025, 7, 10), rule="financing", reference="T-G")
    post_earning(context, member_no, 300, on=date(2026, 4, 1), rule="survey", qualifying=False, reference="T-F")
    post_earning(
        context, member_no, 1_600, on=date(2026, 5, 1), reference="T-E", campaign_code="SPRING2026",
        details={"multiplier": "2"},
    )
    post_debit(context, member_no, 150, on=date(2026, 5, 20), reference="R-1", details={"reward_code": "GIFT-01"})
    set_held_points(context, member_no, 500)
    return member_no


def test_balances_and_identity(members, silver):
    view = members.view(member_no=silver, as_of=AS_OF)
    assert view.posted_balance == 100 + 200 + 400 + 800 + 20_000 + 300 + 1_600 - 150
    assert view.held_points == 500
    assert view.available_balance == view.posted_balance - 500
    assert (view.name, view.masked_name, view.masked_mobile) == ("张伟", "张*", "138****5678")
    assert view.masked_id.startswith("110105") and "*" in view.masked_id
    assert view.masked_card is not None and view.masked_card.startswith("6222 **** **** ")
    assert (view.branch_code, view.branch_name_zh, view.branch_name_en) == ("BJ01", "北京分行", "Beijing Branch")


def test_open_lots_soonest_expiring_first_after_spending(members, silver):
    lots = members.view(member_no=silver, as_of=AS_OF).lots
    # the 150 spent took the 100 expiring first and 50 of the next lot
    assert [(lot.expires_on, lot.remaining) for lot in lots] == [
        (date(2026, 6, 30), 150),
        (date(2026, 7, 31), 400),
        (date(2026, 8, 31), 800),
        (date(2027, 7, 31), 20_000),
        (date(2028, 4, 30), 300),
        (date(2028, 5, 31), 1_600),
    ]
    assert lots[0].original == 200 and lots[0].source == "card_spend"


def test_expiring_windows_include_their_last_day_only(members, silver):
    def expiring(as_of: date) -> dict[int, int]:
        return {e.within_days: e.points for e in members.view(member_no=silver, as_of=as_of).expiring}

    # 2026-06-30 is day 30 of 2026-06-01; 2026-07-31 is day 61; 2026-08-31 is day 92
    assert expiring(date(2026, 6, 1)) == {30: 150, 60: 150, 90: 550}
    # one day later 2026-07-31 is day 60 and 2026-08-31 day 91
    assert expiring(date(2026, 6, 2)) == {30: 150, 60: 550, 90: 550}
    # on its expiry date a lot still counts; the day after it no longer does
    assert expiring(date(2026, 6, 30))[30] == 150
    assert expiring(date(2026, 7, 1))[30] == 0  # and 2026-07-31 is day 31
    assert expiring(date(2026, 7, 2))[30] == 400


def test_tier_progress_counts_qualifying_earnings_of_the_last_12_months(members, silver):
    tier = members.view(member_no=silver, as_of=AS_OF).tier
    assert tier.tier == "silver" and tier.tier_since == date(2025, 7, 10)
    assert tier.qualifying_points == 20_000 + 1_600  # the survey lot does not qualify, 2024 lots are too old
    assert (tier.next_tier, tier.points_to_next) == ("gold", 80_000 - 21_600)
    # protected until 2026-07-10, so the first review that could downgrade is 2026-08-01,
    # when the 20,000 of 2025-07-10 have left the window
    assert tier.keep_by == date(2026, 8, 1)
    assert tier.keep_points_needed == 20_000 - 1_600


def test_standard_member_with_nothing_yet(store, members):
    member_no = add_member(store.context, name="李娜", card_no=None)
    view = members.view(member_no=member_no, as_of=AS_OF)
    assert (view.posted_balance, view.available_balance, view.lots, view.masked_card) == (0, 0, (), None)
    assert [e.points for e in view.expiring] == [0, 0, 0]
    assert (view.tier.tier, view.tier.next_tier, view.tier.points_to_next, view.tier.keep_by) == ("standard", "silver", 20_000, None)


def test_unknown_and_malformed_member_numbers(members):
    with pytest.raises(NotFound) as missing:
        members.view(member_no=UNKNOWN)
    assert missing.value.params == {"what": "member", "key": UNKNOWN}
    with pytest.raises(ValidationError) as malformed:
        members.view(member_no="M123")
    assert malformed.value.code == "member_no.format" and malformed.value.field == "member_no"
    with pytest.raises(ValidationError) as check_digit:
        members.history(member_no="M1000000019", offset=0, limit=10, filter=HistoryFilter())
    assert check_digit.value.code == "identity.check_digit"


def test_history_newest_first_with_paging(members, silver):
    first = members.history(member_no=silver, offset=0, limit=3, filter=HistoryFilter())
    assert first.total == 8 and first.offset == 0 and len(first.rows) == 3
    assert [row.occurred_at.date() for row in first.rows] == [date(2026, 5, 20), date(2026, 5, 1), date(2026, 4, 1)]
    redeem, spring = first.rows[0], first.rows[1]
    assert (redeem.kind, redeem.description, redeem.points, redeem.balance_after) == ("redeem", "redeem", -150, 23_250)
    assert redeem.description_params == {"reference": "R-1", "reward_code": "GIFT-01"}
    assert spring.description == "earn.card_spend"
    assert spring.description_params == {"campaign": "SPRING2026", "reference": "T-E", "multiplier": "2"}
    assert spring.branch_code == "BJ01"

    pages = [members.history(member_no=silver, offset=offset, limit=3, filter=HistoryFilter()) for offset in (3, 6)]
    all_rows = [*first.rows, *pages[0].rows, *pages[1].rows]
    assert len(pages[1].rows) == 2
    assert len({row.entry_id for row in all_rows}) == 8
    dates = [row.occurred_at.date() for row in all_rows]
    assert dates == sorted(dates, reverse=True)
    assert members.history(member_no=silver, offset=8, limit=3, filter=HistoryFilter()).rows == ()


def test_history_filters(members, silver):
    redeems = members.history(member_no=silver, offset=0, limit=50, filter=HistoryFilter(kinds=("redeem",)))
    assert redeems.total == 1 and redeems.rows[0].points == -150
    in_2024 = members.history(
        member_no=silver, offset=0, limit=50, filter=HistoryFilter(date_from=date(2024, 6, 15), date_to=date(2024, 8, 20))
    )
    assert [row.reference for row in in_2024.rows] == ["T-D", "T-C", "T-B"]  # both ends included
    earn_2026 = members.history(
        member_no=silver, offset=0, limit=50, filter=HistoryFilter(kinds=("earn",), date_from=date(2026, 1, 1))
    )
    assert [row.description for row in earn_2026.rows] == ["earn.card_spend", "earn.survey"]
    with pytest.raises(ValidationError) as backwards:
        members.history(member_no=silver, offset=0, limit=50, filter=HistoryFilter(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)))
    assert backwards.value.field == "date_to"


def test_reveal_hands_out_the_full_identity_and_audits_it(store, members, silver):
    officer = add_staff(store.context, username="officer.bj1", role="officer")
    revealed = members.reveal(session=officer, member_no=silver, reason="client asked to confirm mobile")
    assert revealed.member_no == silver and revealed.mobile == "13812345678"
    assert len(revealed.id_number) == 18 and "*" not in revealed.id_number
    with store.context.uow() as uow:
        total, events = uow.audit.search(member_no=silver, action="member.reveal")
        assert total == 1
        event = events[0]
        assert (event.actor, event.branch_code, event.desk) == ("officer.bj1", "BJ01", "test-desk")
        assert event.details["reason"] == "client asked to confirm mobile" and event.details["member_no"] == silver
        assert "13812345678" not in str(event.details)  # the trail says who looked and why, not what they saw


def test_every_role_may_reveal_and_each_reveal_is_audited(store, members, silver):
    for role in ("officer", "supervisor", "admin", "auditor"):
        session = add_staff(store.context, username=f"{role}.1", role=role)
        members.reveal(session=session, member_no=silver, reason=f"{role} checking identity")
    with store.context.uow() as uow:
        total, events = uow.audit.search(member_no=silver, action="member.reveal")
        assert total == 4 and {event.actor for event in events} == {"officer.1", "supervisor.1", "admin.1", "auditor.1"}


@pytest.mark.parametrize("reason", ["", "    ", "abc", " ab c "])
def test_reveal_without_a_real_reason_is_refused_and_not_audited(store, members, silver, reason):
    officer = add_staff(store.context, username="officer.bj1")
    with pytest.raises(ValidationError) as refused:
        members.reveal(session=officer, member_no=silver, reason=reason)
    assert (refused.value.code, refused.value.field) == ("reveal.reason_required", "reason")
    with store.context.uow() as uow:
        assert uow.audit.search(member_no=silver, action="member.reveal")[0] == 0


def test_reveal_of_an_unknown_member_is_not_found(store, members):
    officer = add_staff(store.context, username="officer.bj1")
    with pytest.raises(NotFound):
        members.reveal(session=officer, member_no=UNKNOWN, reason="client at the counter")
