"""Referrals end to end (rules.md "Referrals"): registration and its refusals, fraud flags and the
supervisor's decision, qualification from the transaction feed, pending rewards, clawback, expiry,
the yearly cap and idempotency — through the service, the operation runner and the earning feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import add_staff
from referral_support import START, ReferralDesk, feed, open_referral_desk

from loyalty_desk.domain.errors import Conflict, DomainError, Forbidden, ValidationError
from loyalty_desk.domain.referrals import is_check_valid
from loyalty_desk.messages import describe
from loyalty_desk.services.referrals.dto import ListFilter

DAY0 = START.date()


@pytest.fixture
def desk(tmp_path):
    opened = open_referral_desk(tmp_path / "store")
    yield opened
    opened.store.close()


def member(desk: ReferralDesk, member_no: str):
    with desk.context.uow() as uow:
        m = uow.members.by_no(member_no)
        return (m.status, m.referral_code, m.branch_id, m.joined_on, m.address)


# ---------------------------------------------------------------------------- registration


def test_registration_creates_the_member_with_number_and_code_and_the_referral(desk):
    outcome = desk.register(name="陈静")
    assert outcome.status == "registered" and not outcome.flags
    assert outcome.referrer_no == desk.referrer
    status, code, _, joined, _ = member(desk, outcome.referee_no)
    assert status == "active" and joined == DAY0
    assert code == outcome.referee_code and is_check_valid(code)
    view = desk.view(outcome)
    assert (view.status, view.referrer_no, view.referee_no, view.officer) == ("registered", desk.referrer, outcome.referee_no, "officer.bj")
    assert view.referee_name == "陈*"
    actions = [row.action for row in desk.audit("")]
    assert "member.create" in actions and "referral.register" in actions
    # the new member can be found by name like any other
    with desk.context.uow() as uow:
        assert uow.members.by_no(outcome.referee_no).name_pinyin == "chenjing"


def test_the_same_operation_id_registers_once(desk):
    operation_id = desk.service.new_operation_id()
    person = desk.person()
    first = desk.service.register(operation_id=operation_id, session=desk.officer, code=desk.code_of(desk.referrer), **person)
    desk.register()  # someone else registers meanwhile: the next member number moves on
    again = desk.service.register(operation_id=operation_id, session=desk.officer, code=desk.code_of(desk.referrer), **person)
    assert again.replayed and again.referee_no == first.referee_no and again.referral_id == first.referral_id


def test_a_mistyped_code_is_caught_by_the_check_character(desk):
    code = desk.code_of(desk.referrer)
    wrong = code[:3] + ("0" if code[3] != "0" else "1") + code[4:]
    with pytest.raises(ValidationError) as caught:
        desk.register(wrong)
    assert caught.value.code == "referral.code_check"
    assert "mistyped" in describe(caught.value)
    # lower case and Crockford's look-alikes are accepted
    relaxed = code.lower().replace("1", "l").replace("0", "o")
    assert desk.register(relaxed).status == "registered"


@pytest.mark.parametrize(
    ("clash", "field"),
    [("id_number", "id_number"), ("mobile", "mobile")],
)
def test_an_existing_member_cannot_be_referred(desk, clash, field):
    existing = desk.new_member(name="赵磊", mobile="13700001111")
    with desk.context.uow() as uow:
        m = uow.members.by_no(existing)
        values = {"id_number": m.id_number, "mobile": m.mobile}
    with pytest.raises(ValidationError) as caught:
        desk.register(**{clash: values[clash]})
    assert caught.value.code == "referral.already_member" and caught.value.field == field
    assert caught.value.params["member_no"] == existing


@pytest.mark.parametrize("field", ["id_number", "mobile", "address"])
def test_a_member_cannot_refer_themself(desk, field):
    with desk.context.uow() as uow:
        m = uow.members.by_no(desk.referrer)
        own = {"id_number": m.id_number, "mobile": m.mobile, "address": " 北京市朝阳区建国路88号1栋2单元1502室 "}
    problems = desk.service.check(code=desk.code_of(desk.referrer), **{**desk.person(), field: own[field]})
    assert [(p.code, p.params.get("field")) for p in problems] == [("referral.self_referral", field)]
    with pytest.raises(ValidationError) as caught:
        desk.register(**{field: own[field]})
    assert (caught.value.code, caught.value.field) == ("referral.self_referral", field)
    assert "cannot refer themself" in describe(caught.value)


def test_staff_may_not_refer_for_rewards(desk):
    with desk.context.uow() as uow:
        id_number = uow.members.by_no(desk.referrer).id_number
    add_staff(desk.context, username="teller.wang", role="officer", id_number=id_number)
    problems = desk.service.check(code=desk.code_of(desk.referrer), **desk.person())
    assert [p.code for p in problems] == ["referral.referrer_staff"]
    with pytest.raises(DomainError) as caught:
        desk.register()
    assert caught.value.code == "referral.referrer_staff"
    assert "staff may not refer" in describe(caught.value)


def test_officer_check_reports_each_field_and_partial_mode_ignores_empty_fields(desk):
    problems = desk.service.check(code="", name="", id_type="resident_id", id_number="", mobile="", partial=True)
    assert problems == []
    problems = desk.service.check(code="ABC", name="张三", id_type="resident_id", id_number="11010519491231002", mobile="12345")
    assert {p.code for p in problems} == {"referral.code_length", "identity.length", "identity.mobile_format"}


def test_an_unknown_code_is_refused(desk):
    from loyalty_desk.domain.referrals import make_referral_code

    with pytest.raises(ValidationError) as caught:
        desk.register(make_referral_code(999_999_999))
    assert caught.value.code == "referral.code_unknown"


def test_only_staff_who_may_register_referrals_can(desk):
    auditor = add_staff(desk.context, username="auditor", role="auditor", branch_code="HQ01")
    with pytest.raises(Forbidden):
        desk.register(who=auditor)


# ---------------------------------------------------------------------------- fraud flags


def test_more_than_five_referrals_by_one_referrer_in_a_day_are_flagged(desk):
    outcomes = [desk.register() for _ in range(6)]
    assert [o.status for o in outcomes] == ["registered"] * 5 + ["flagged"]
    assert outcomes[-1].flags == ("daily_volume",)
    desk.clock.advance(days=1)
    assert desk.register().status == "registered"  # a new day


def test_a_referee_in_the_referrers_building_is_flagged(desk):
    outcome = desk.register(address="北京市朝阳区建国路88号1栋2单元1503室")  # next door to 1502
    assert outcome.status == "flagged" and outcome.flags == ("referrer_address",)


def test_a_referee_with_the_referrers_number_block_is_flagged(desk):
    outcome = desk.register(mobile="13911115678")  # the referrer is 139 1111 2222
    assert outcome.status == "flagged" and outcome.flags == ("phone_pattern",)


def test_referees_of_one_referrer_from_one_number_block_are_flagged(desk):
    first = desk.register(mobile="15012340001")
    second = desk.register(mobile="15012340002")
    assert first.status == "registered"
    assert second.status == "flagged" and second.flags == ("phone_pattern",)
    assert desk.view(second).flags[0]["evidence"] == [first.referral_id]


def test_several_referees_at_the_same_address_are_flagged(desk):
    other_referrer = desk.new_member(name="刘洋", address="广州市天河区体育西路1号", mobile="13622223333")
    address = "上海市浦东新区世纪大道100号8栋1单元501室"
    first = desk.register(address=address)
    second = desk.register(desk.code_of(other_referrer), address="上海市浦东新区世纪大道100号8栋1单元501室 ")
    assert first.status == "registered"
    assert second.status == "flagged" and second.flags == ("shared_address",)
    flagged = desk.service.flagged(session=desk.supervisor)
    assert [f.referral.referral_id for f in flagged] == [second.referral_id]
    assert [e.referral_id for e in flagged[0].evidence] == [first.referral_id]


def test_a_supervisor_clears_a_flagged_referral_with_a_note_and_it_qualifies(desk):
    outcome = desk.register(mobile="13911115678")
    # the qualifying event arrives while it is flagged: recorded, nothing rewarded
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=10), "financing", "200000.00"))
    assert desk.view(outcome).status == "flagged" and desk.view(outcome).qualifying_event == "financing"
    with pytest.raises(Forbidden):
        desk.service.clear(operation_id=desk.service.new_operation_id(), session=desk.officer, referral=outcome.operation_id, note="ok")
    with pytest.raises(Forbidden) as caught:
        desk.service.clear(operation_id=desk.service.new_operation_id(), session=desk.other_supervisor, referral=outcome.operation_id,
                           note="Known family")
    assert caught.value.code == "referral.other_branch"
    with pytest.raises(ValidationError) as caught:
        desk.service.clear(operation_id=desk.service.new_operation_id(), session=desk.supervisor, referral=outcome.operation_id, note=" ")
    assert caught.value.code == "referral.note_required"
    decided = desk.service.clear(operation_id=desk.service.new_operation_id(), session=desk.supervisor, referral=outcome.operation_id,
                                 note="Colleagues with company phones; checked ID in person")
    view = desk.view(outcome)
    assert decided.status == view.status == "qualified"
    assert view.decided_by == "super.bj" and view.decision_note.startswith("Colleagues")
    assert view.reward_for("referrer").points == 10_000
    assert [row.action for row in desk.audit()][-2:] == ["referral.clear", "referral.qualify"]
    with pytest.raises(Conflict):  # decided once
        desk.service.reject(operation_id=desk.service.new_operation_id(), session=desk.hq_supervisor, referral=outcome.operation_id,
                            note="Too late")


def test_a_supervisor_rejects_a_flagged_referral_and_it_never_qualifies(desk):
    outcome = desk.register(address="北京市朝阳区建国路88号1栋2单元1503室")
    desk.service.reject(operation_id=desk.service.new_operation_id(), session=desk.hq_supervisor, referral=outcome.operation_id,
                        note="Same household as the referrer")
    assert desk.view(outcome).status == "rejected"
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=3), "financing", "500000.00"))
    assert desk.view(outcome).status == "rejected" and desk.view(outcome).rewards == ()
    assert desk.audit("referral.reject")[0].details["note"] == "Same household as the referrer"


# ---------------------------------------------------------------------------- qualification


def test_financing_below_the_minimum_does_not_qualify_and_at_the_minimum_doubles_the_referrer_reward(desk):
    outcome = desk.register()
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=5), "financing", "99999.99"))
    assert desk.view(outcome).status == "registered"
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=6), "financing", "100000.00"))
    view = desk.view(outcome)
    assert (view.status, view.qualifying_event, view.qualifying_on) == ("qualified", "financing", DAY0 + timedelta(days=6))
    assert {r.role: (r.points, r.status) for r in view.rewards} == {"referee": (2_000, "pending"), "referrer": (10_000, "pending")}
    assert view.rewards_pending_until == DAY0 + timedelta(days=36)


def test_card_activated_and_500_spent_qualifies_with_the_single_referrer_reward(desk):
    outcome = desk.register()
    referee = outcome.referee_no
    desk.post(feed(referee, DAY0 + timedelta(days=2), "card_approved"))
    desk.post(feed(referee, DAY0 + timedelta(days=3), "card_spend", "300.00"), feed(referee, DAY0 + timedelta(days=4), "card_spend", "199.99"))
    assert desk.view(outcome).status == "registered"  # 499.99 spent
    desk.post(feed(referee, DAY0 + timedelta(days=5), "card_spend", "0.01"))
    view = desk.view(outcome)
    assert (view.status, view.qualifying_event) == ("qualified", "card")
    assert view.reward_for("referrer").points == 5_000


def test_spend_without_an_activated_card_does_not_qualify(desk):
    outcome = desk.register()
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=3), "card_spend", "800.00"))
    assert desk.view(outcome).status == "registered"
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=4), "card_approved"))  # activation completes it
    assert desk.view(outcome).qualifying_event == "card"


@pytest.mark.parametrize(("day", "qualifies"), [(90, True), (91, False)])
def test_the_qualifying_window_is_90_days(desk, day, qualifies):
    outcome = desk.register()
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=day), "financing", "150000.00"))
    assert (desk.view(outcome).status == "qualified") is qualifies


@pytest.mark.parametrize(("day", "qualifies"), [(90, True), (91, False)])
def test_the_card_window_is_90_days(desk, day, qualifies):
    outcome = desk.register()
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=1), "card_approved"))
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=day), "card_spend", "500.00"))
    assert (desk.view(outcome).status == "qualified") is qualifies


def test_second_level_gets_500_and_there_is_no_third_level(desk):
    a = desk.referrer
    b = desk.register(name="钱一").referee_no
    c = desk.register(desk.code_of(b), name="孙二").referee_no
    d_outcome = desk.register(desk.code_of(c), name="周三")
    c_view = desk.service.list(filters=ListFilter(member_no=c, referrer_no=b))[0]
    assert c_view.second_level_no == a
    assert desk.view(d_outcome).second_level_no == b  # not a: two levels only
    desk.post(feed(d_outcome.referee_no, DAY0 + timedelta(days=7), "financing", "100000.00"))
    rewards = {r.role: (r.member_no, r.points) for r in desk.view(d_outcome).rewards}
    assert rewards == {"referee": (d_outcome.referee_no, 2_000), "referrer": (c, 10_000), "second_level": (b, 500)}
    # the referral tree of a: b, then b's referee c (two levels)
    tree = desk.service.for_member(member_no=a).tree
    assert [(n.member_no, [g.member_no for g in n.children]) for n in tree] == [(b, [c])]


# ---------------------------------------------------------------------------- pending, release, clawback, expiry


def qualified(desk: ReferralDesk, *, source: str = "financing"):
    outcome = desk.register()
    if source == "financing":
        desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=10), "financing", "120000.00", txn_id=f"FIN-{outcome.referral_id}"))
    else:
        desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=9), "card_approved"))
        desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=10), "card_spend", "600.00", txn_id=f"CS-{outcome.referral_id}"))
    return outcome


def test_rewards_stay_pending_30_days_then_post_as_non_qualifying_points(desk):
    outcome = qualified(desk)
    before = desk.balance(desk.referrer)
    report = desk.service.sweep(as_of=DAY0 + timedelta(days=39))
    assert report.released == 0 and desk.balance(desk.referrer) == before
    pending = desk.service.for_member(member_no=desk.referrer)
    assert pending.pending_points == 10_000 and pending.next_available_on == DAY0 + timedelta(days=40)
    report = desk.service.sweep(as_of=DAY0 + timedelta(days=40))
    assert (report.released, report.points_posted) == (1, 12_000)
    assert desk.view(outcome).status == "rewarded"
    assert desk.referral_entries(desk.referrer) == [("referral_referrer", 10_000, False)]
    assert desk.balance(desk.referrer) == (before[0] + 10_000, 0)
    desk.invariants()
    # rerunning the sweep, re-importing the feed: nothing new
    assert desk.service.sweep(as_of=DAY0 + timedelta(days=41)).released == 0
    again = desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=10), "financing", "120000.00", txn_id=f"FIN-{outcome.referral_id}"))
    assert again.already_posted == 1
    assert desk.referral_entries(desk.referrer) == [("referral_referrer", 10_000, False)]
    assert len(desk.view(outcome).rewards) == 2


def test_rewards_are_clawed_back_when_the_referee_closed_the_product(desk):
    outcome = qualified(desk)
    with desk.context.uow(write=True) as uow:
        uow.members.by_no(outcome.referee_no).status = "closed"
        uow.commit()
    report = desk.service.sweep(as_of=DAY0 + timedelta(days=40))
    assert (report.clawed_back, report.released, report.points_posted) == (1, 0, 0)
    view = desk.view(outcome)
    assert view.status == "clawed_back" and view.closed_reason == "referee_closed"
    assert {r.status for r in view.rewards} == {"clawed_back"}
    assert desk.referral_entries(desk.referrer) == [] and desk.referral_entries(outcome.referee_no) == []
    desk.invariants()


def test_a_refunded_qualifying_card_spend_is_clawed_back(desk):
    outcome = qualified(desk, source="card")
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=20), "card_refund", "600.00", original=f"CS-{outcome.referral_id}"))
    report = desk.service.sweep(as_of=DAY0 + timedelta(days=40))
    assert report.clawed_back == 1 and desk.view(outcome).closed_reason == "card_spend_refunded"


def test_a_registration_not_qualified_in_90_days_expires(desk):
    outcome = desk.register()
    assert desk.service.sweep(as_of=DAY0 + timedelta(days=90)).expired == 0
    assert desk.service.sweep(as_of=DAY0 + timedelta(days=91)).expired == 1
    assert desk.view(outcome).status == "expired"
    assert desk.service.sweep(as_of=DAY0 + timedelta(days=92)).expired == 0
    # a late feed with an event inside the window still qualifies it
    desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=89), "financing", "100000.00"))
    assert desk.view(outcome).status == "qualified"


def test_the_referrer_is_rewarded_for_at_most_20_referrals_a_year(desk):
    outcomes = []
    for _ in range(21):
        outcomes.append(desk.register())
        desk.clock.advance(days=1)  # one a day: no volume flag
    for n, outcome in enumerate(outcomes[:20]):
        desk.post(feed(outcome.referee_no, DAY0 + timedelta(days=n + 1), "financing", "100000.00"))
    # the 21st was registered before the cap was reached; it qualifies but the referrer's reward is capped
    desk.post(feed(outcomes[20].referee_no, DAY0 + timedelta(days=25), "financing", "100000.00"))
    view = desk.view(outcomes[20])
    assert view.status == "qualified"
    assert view.reward_for("referrer").status == "capped" and view.reward_for("referee").status == "pending"
    # and a 22nd registration is refused
    with pytest.raises(DomainError) as caught:
        desk.register()
    assert caught.value.code == "referral.referrer_cap" and caught.value.params["count"] == 20
    assert "at most 20 a year" in describe(caught.value)
    # the sweep posts the capped referral's referee reward only
    desk.service.sweep(as_of=DAY0 + timedelta(days=60))
    assert desk.referral_entries(outcomes[20].referee_no) == [("referral_referee", 2_000, False)]
    assert sum(p for _, p, _ in desk.referral_entries(desk.referrer)) == 20 * 10_000
    desk.invariants()


def test_codes_are_given_to_members_without_one(desk):
    from factories import add_member

    member_no = add_member(desk.context, name="吴敏")
    assert member(desk, member_no)[1] is None
    assert desk.service.sweep(as_of=DAY0).codes_assigned == 1
    code = member(desk, member_no)[1]
    assert is_check_valid(code)
    assert desk.service.referrer(code=code).member_no == member_no


def test_branch_list_filters_and_export(desk, tmp_path):
    from openpyxl import load_workbook

    first = desk.register()
    desk.clock.advance(days=1)
    second = desk.register(mobile="13911115678")  # flagged
    assert [v.referral_id for v in desk.service.list(session=desk.officer)] == [second.referral_id, first.referral_id]
    assert [v.referral_id for v in desk.service.list(session=desk.officer, filters=ListFilter(statuses=("flagged",)))] == [second.referral_id]
    assert desk.service.list(session=desk.other_supervisor) == ()  # another branch sees none
    assert len(desk.service.list(session=desk.hq_supervisor, filters=ListFilter(branch_code="BJ01"))) == 2
    path = desk.service.export(session=desk.officer, path=tmp_path / "referrals.xlsx")
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.values)
    assert rows[0][:3] == ("Registered", "Status", "Branch") and len(rows) == 3
    assert desk.audit("export.referrals")[0].details["rows"] == 2


# ---------------------------------------------------------------------------- command line


def _cli(store_dir, monkeypatch, capsys, *args):
    from factories import DEFAULT_PASSWORD

    from loyalty_desk.cli.main import main

    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    code = main(["--data-dir", str(store_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_refer_list_and_sweep(desk, tmp_path, monkeypatch, capsys):
    import json

    from loyalty_desk.services.clock import utc_now

    desk.store.clock.now = utc_now()  # the command line runs on the real clock
    store = tmp_path / "store"
    code = desk.code_of(desk.referrer)
    person = desk.person()
    args = ["refer", "--code", code.lower(), "--name", person["name"], "--id-type", "resident_id", "--id", person["id_number"],
            "--mobile", person["mobile"], "--address", person["address"], "--user", "officer.bj"]
    rc, out, err = _cli(store, monkeypatch, capsys, *args)
    assert rc == 0 and "registered" in out and desk.referrer in out, err
    rc, _, err = _cli(store, monkeypatch, capsys, *args)  # the same client again
    assert rc == 1 and "already a member" in err and "Traceback" not in err
    with desk.context.uow() as uow:
        own_mobile = uow.members.by_no(desk.referrer).mobile
    rc, _, err = _cli(store, monkeypatch, capsys, "refer", "--code", code, "--name", "王芳", "--id-type", "resident_id",
                      "--id", desk.person()["id_number"], "--mobile", own_mobile, "--user", "officer.bj")
    assert rc == 1 and "refer themself" in err
    rc, _, err = _cli(store, monkeypatch, capsys, "refer", "--code", code[:-1] + ("0" if code[-1] != "0" else "1"), "--name", "x",
                      "--id-type", "passport", "--id", "E12345678", "--mobile", "13800001234", "--user", "officer.bj")
    assert rc == 1 and "mistyped" in err
    rc, out, _ = _cli(store, monkeypatch, capsys, "referrals", "list", "--json")
    rows = json.loads(out)
    assert rc == 0 and len(rows) == 1 and rows[0]["status"] == "registered" and rows[0]["referrer_no"] == desk.referrer
    rc, out, _ = _cli(store, monkeypatch, capsys, "referrals", "list", "--member", desk.referrer, "--status", "flagged")
    assert rc == 0 and "0 referral(s)" in out
    later = (utc_now() + timedelta(days=91)).date().isoformat()
    rc, out, _ = _cli(store, monkeypatch, capsys, "referrals", "sweep", "--as-of", later)
    assert rc == 0 and "1 expired" in out
    rc, out, _ = _cli(store, monkeypatch, capsys, "referrals", "sweep", "--as-of", later)
    assert rc == 0 and "0 expired" in out
