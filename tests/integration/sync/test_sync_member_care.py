"""Member maintenance through sync on a real PostgreSQL central: a freeze made at desk A reaches central
and, through the feed, desk B, whose redemption is then refused with the freeze's reason; a redemption
B made before it heard of the freeze is refused by central; the unfreeze and a mobile change travel
the same way."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sync_support import BRANCH, Desk, add_central_staff, central_rows, new_desk, seed_central

from loyalty_desk.demo.catalogue import seed_catalogue
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.member_care import MemberCareService
from loyalty_desk.services.redemption.service import RedemptionService
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier

pytestmark = pytest.mark.postgres


def _session(desk: Desk, username: str) -> StaffSession:
    session = desk.sign_in(username)
    return StaffSession(session.staff_id, session.username, session.display_name, session.role, BRANCH, "总行", "Head office")


def _settled(desk: Desk, applier: Applier, operation_id: str) -> str:
    desk.sync.desk.push([operation_id])
    applier.drain()
    verdict = desk.sync.confirm(operation_id, wait=2.0)
    assert verdict is not None
    return verdict.outcome


def _member(desk: Desk, member_no: str) -> tuple[str, str | None, str]:
    with desk.context.uow() as uow:
        member = uow.members.by_no(member_no)
        assert member is not None
        return member.status, member.freeze_reason, member.mobile


def test_a_freeze_at_one_desk_stops_a_redemption_at_another_after_the_feed(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    member_no, other_no = seed_central(central_url, [50_000, 0])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        seed_catalogue(uow, date.today())
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        add_central_staff(uow, "off1", "officer", branch.id, datetime(2026, 11, 1, 9, 0))
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        officer_a = _session(desk_a, "off1")
        care_a = MemberCareService(desk_a.context, desk_a.runner)
        supervisor_b = _session(desk_b, "sup1")
        care_b = MemberCareService(desk_b.context, desk_b.runner)
        redeem_b = RedemptionService(desk_b.context, desk_b.runner)

        def redeem_at_b() -> str:
            operation_id = str(uuid.uuid4())
            redeem_b.redeem(operation_id=operation_id, session=supervisor_b, member_no=member_no, reward_code="GIFT-TUMBLER", qty=1)
            return operation_id

        # B redeems while the member is still active everywhere, but sends it only after A's freeze reached central
        early = redeem_at_b()

        frozen = care_a.freeze(operation_id=care_a.new_operation_id(), session=officer_a, member_no=member_no, reason="suspected_fraud",
                               note="Card used in two cities within an hour")
        assert frozen.status == "frozen"
        assert _settled(desk_a, applier, frozen.operation_id) == "accepted"
        assert central_rows(central_url, "SELECT status, freeze_reason, frozen_by FROM member WHERE member_no = :m", m=member_no) == [
            ("frozen", "suspected_fraud", "off1")]
        # central runs the redemption handler on a frozen member: refused with the freeze's rule
        assert _settled(desk_b, applier, early) == "rejected"
        assert central_rows(central_url, "SELECT reason_code FROM inbound_operation WHERE operation_id = :o", o=early) == [("member.frozen",)]

        desk_b.sync.desk.pull()
        assert _member(desk_b, member_no)[:2] == ("frozen", "suspected_fraud")
        with pytest.raises(DomainError) as refused:
            redeem_at_b()
        assert (refused.value.code, refused.value.params["freeze_reason"]) == ("member.frozen", "suspected_fraud")

        # an officer may not lift it; a supervisor at B does, and A hears of it through the feed
        with pytest.raises(DomainError):
            care_a.unfreeze(operation_id=care_a.new_operation_id(), session=officer_a, member_no=member_no, note="Customer verified in person")
        lifted = care_b.unfreeze(operation_id=care_b.new_operation_id(), session=supervisor_b, member_no=member_no,
                                 note="Customer verified in person")
        assert _settled(desk_b, applier, lifted.operation_id) == "accepted"
        desk_a.sync.desk.pull()
        assert _member(desk_a, member_no)[:2] == ("active", None)
        assert _settled(desk_b, applier, redeem_at_b()) == "accepted"

        # a mobile change at A: central and B hold the new mobile; one another member holds is refused
        changed = care_a.change_mobile(operation_id=care_a.new_operation_id(), session=officer_a, member_no=member_no, mobile="13912345678",
                                       note="Signed change-of-details form")
        assert _settled(desk_a, applier, changed.operation_id) == "accepted"
        desk_b.sync.desk.pull()
        assert _member(desk_b, member_no)[2] == "13912345678"
        assert central_rows(central_url, "SELECT mobile, mobile_last4 FROM member WHERE member_no = :m", m=member_no) == [("13912345678", "5678")]
        taken = _member(desk_b, other_no)[2]
        with pytest.raises(DomainError) as clash:
            care_b.change_mobile(operation_id=care_b.new_operation_id(), session=supervisor_b, member_no=member_no, mobile=taken,
                                 note="Signed change-of-details form")
        assert (clash.value.code, clash.value.params["member_no"]) == ("member.mobile_taken", other_no)
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()


def test_a_change_central_refuses_is_undone_on_the_desk(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    first_no, second_no = seed_central(central_url, [0, 0])
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        care_a = MemberCareService(desk_a.context, desk_a.runner)
        care_b = MemberCareService(desk_b.context, desk_b.runner)
        session_a, session_b = _session(desk_a, "sup1"), _session(desk_b, "sup1")
        second_mobile = _member(desk_b, second_no)[2]
        # the same new mobile given to two members at two desks before either hears of the other
        to_first = care_a.change_mobile(operation_id=care_a.new_operation_id(), session=session_a, member_no=first_no, mobile="13955556666",
                                        note="Signed change-of-details form")
        to_second = care_b.change_mobile(operation_id=care_b.new_operation_id(), session=session_b, member_no=second_no, mobile="13955556666",
                                         note="Signed change-of-details form")
        frozen_b = care_b.freeze(operation_id=care_b.new_operation_id(), session=session_b, member_no=first_no, reason="lost_card",
                                 note="Card reported lost by phone")
        assert _settled(desk_a, applier, to_first.operation_id) == "accepted"
        assert _settled(desk_b, applier, to_second.operation_id) == "rejected"
        assert central_rows(central_url, "SELECT reason_code FROM inbound_operation WHERE operation_id = :o", o=to_second.operation_id) == [
            ("member.mobile_taken",)]
        # the refused change is undone at B: the member keeps the mobile central holds
        assert _member(desk_b, second_no)[2] == second_mobile
        # B's freeze was accepted; after the pull B holds A's mobile change and its own freeze of the first member
        assert _settled(desk_b, applier, frozen_b.operation_id) == "accepted"
        desk_b.sync.desk.pull()
        assert _member(desk_b, first_no) == ("frozen", "lost_card", "13955556666")
        assert _member(desk_b, second_no)[2] == second_mobile
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()


def test_an_address_and_a_card_change_at_one_desk_reach_another_through_central(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    from factories import card_for

    member_no, other_no = seed_central(central_url, [0, 0])
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        care_a, care_b = MemberCareService(desk_a.context, desk_a.runner), MemberCareService(desk_b.context, desk_b.runner)
        session_a, session_b = _session(desk_a, "sup1"), _session(desk_b, "sup1")
        with desk_a.context.uow() as uow:
            old_card = uow.members.by_no(member_no).card_no
        new_card = card_for(818_181)
        moved = care_a.change_address(operation_id=care_a.new_operation_id(), session=session_a, member_no=member_no,
                                      address="上海市浦东新区世纪大道100号", note="Signed change-of-details form")
        carded = care_a.change_card(operation_id=care_a.new_operation_id(), session=session_a, member_no=member_no, card_no=new_card,
                                    note="Card reported lost by phone")
        assert _settled(desk_a, applier, moved.operation_id) == "accepted"
        assert _settled(desk_a, applier, carded.operation_id) == "accepted"
        assert central_rows(central_url, "SELECT address, card_no FROM member WHERE member_no = :m", m=member_no) == [
            ("上海市浦东新区世纪大道100号", new_card)]
        [(before,)] = central_rows(central_url, "SELECT before FROM audit_event WHERE action = 'member.change_card' AND member_no = :m", m=member_no)
        assert before == {"card_no": old_card}
        desk_b.sync.desk.pull()
        with desk_b.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert (member.address, member.card_no) == ("上海市浦东新区世纪大道100号", new_card)
        # B now refuses the card for the other member, naming the holder
        with pytest.raises(DomainError) as taken:
            care_b.change_card(operation_id=care_b.new_operation_id(), session=session_b, member_no=other_no, card_no=new_card,
                               note="Card reported lost by phone")
        assert (taken.value.code, taken.value.params["member_no"]) == ("member.identity_taken", member_no)
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()


def test_an_account_closed_at_one_desk_with_a_forfeit_approved_is_closed_at_another(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    from sync_support import STAFF_PASSWORD

    member_no, _other_no = seed_central(central_url, [7_000, 0])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        seed_catalogue(uow, date.today())
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        add_central_staff(uow, "sup2", "supervisor", branch.id, datetime(2026, 11, 1, 9, 0))
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        care_a = MemberCareService(desk_a.context, desk_a.runner)
        session_a = _session(desk_a, "sup1")
        closed = care_a.close(operation_id=care_a.new_operation_id(), session=session_a, member_no=member_no, note="Customer moved abroad",
                              reward_code="GIFT-TUMBLER", qty=1, approver_username="sup2", approver_password=STAFF_PASSWORD)
        assert (closed.status, closed.forfeited) == ("closed", 2_500)
        assert _settled(desk_a, applier, closed.operation_id) == "accepted"
        assert central_rows(central_url, "SELECT status, posted_balance FROM member WHERE member_no = :m", m=member_no) == [("closed", 0)]
        assert central_rows(central_url, "SELECT le.kind, le.points FROM ledger_entry le JOIN member m ON m.id = le.member_id "
                                         "WHERE m.member_no = :m AND le.operation_id = :o ORDER BY le.id", m=member_no, o=closed.operation_id) == [
            ("redeem", -4_500), ("forfeit", -2_500)]
        desk_b.sync.desk.pull()
        assert _member(desk_b, member_no)[0] == "closed"
        redeem_b = RedemptionService(desk_b.context, desk_b.runner)
        with pytest.raises(DomainError):
            redeem_b.redeem(operation_id=str(uuid.uuid4()), session=_session(desk_b, "sup1"), member_no=member_no, reward_code="GIFT-TUMBLER", qty=1)
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()


def test_a_closing_central_refuses_is_undone_on_the_desk(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    from sync_support import STAFF_PASSWORD

    member_no, _other_no = seed_central(central_url, [7_000, 0])
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        seed_catalogue(uow, date.today())
        branch = uow.reference.branch_by_code(BRANCH)
        assert branch is not None
        add_central_staff(uow, "sup2", "supervisor", branch.id, datetime(2026, 11, 1, 9, 0))
        uow.commit()
    database.dispose()
    desk_a = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    desk_b = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        care_a = MemberCareService(desk_a.context, desk_a.runner)
        # B redeems first at central; A, not having heard of it, closes forfeiting the 7,000 points it sees
        redeemed = RedemptionService(desk_b.context, desk_b.runner).redeem(
            operation_id=str(uuid.uuid4()), session=_session(desk_b, "sup1"), member_no=member_no, reward_code="GIFT-TUMBLER", qty=1)
        closed = care_a.close(operation_id=care_a.new_operation_id(), session=_session(desk_a, "sup1"), member_no=member_no,
                              note="Customer moved abroad", approver_username="sup2", approver_password=STAFF_PASSWORD)
        assert (closed.forfeited, _member(desk_a, member_no)[0], desk_a.balance(member_no)) == (7_000, "closed", 0)
        assert _settled(desk_b, applier, redeemed.operation_id) == "accepted"
        assert _settled(desk_a, applier, closed.operation_id) == "rejected"
        assert central_rows(central_url, "SELECT reason_code FROM inbound_operation WHERE operation_id = :o", o=closed.operation_id) == [
            ("member.close_forfeit_changed",)]
        # A puts the member back as central holds it: open, the forfeit given back; the pull brings B's redemption
        assert _member(desk_a, member_no)[0] == "active"
        desk_a.sync.desk.pull()
        assert (_member(desk_a, member_no)[0], desk_a.balance(member_no)) == ("active", 2_500)
        assert central_rows(central_url, "SELECT status, posted_balance FROM member WHERE member_no = :m", m=member_no) == [("active", 2_500)]
    finally:
        applier.close()
        desk_a.close()
        desk_b.close()
