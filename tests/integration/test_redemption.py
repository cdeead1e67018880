"""Redemption through the service and the operation runner: rules at their boundaries, lots,
stock, reversal, idempotent operations, roles, audit and the printed receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store, post_earning, set_held_points

from loyalty_desk.demo.catalogue import DEMO_CATALOGUE, seed_catalogue
from loyalty_desk.domain.errors import Conflict, DomainError, ValidationError
from loyalty_desk.services.audit import AuditService
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.expiry import ExpiryService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.operations import OperationRequest
from loyalty_desk.services.redemption.service import RedemptionService

START = datetime(2026, 6, 10, 9, 0)


@dataclass
class Desk:
    store: LocalStore
    service: RedemptionService
    officer: StaffSession
    supervisor: StaffSession
    admin: StaffSession

    @property
    def context(self):
        return self.store.context

    def redeem(self, member_no: str, code: str, qty: int = 1, *, op: str | None = None, who: StaffSession | None = None):
        return self.service.redeem(operation_id=op or self.service.new_operation_id(), session=who or self.officer,
                                   member_no=member_no, reward_code=code, qty=qty)

    def reverse(self, number: str, reason: str = "Goods returned unopened", *, op: str | None = None, who: StaffSession | None = None):
        return self.service.reverse(operation_id=op or self.service.new_operation_id(), session=who or self.supervisor,
                                    redemption_number=number, reason=reason)

    def balance(self, member_no: str) -> int:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            return member.posted_balance - member.held_points

    def lots(self, member_no: str) -> dict[int, tuple[int, date]]:
        with self.context.uow() as uow:
            member = uow.members.by_no(member_no)
            return {lot.id: (lot.remaining, lot.expires_on) for lot in uow.ledger.lots_for_member(member.id)}

    def reward(self, code: str, points: int, **fields):
        values = {"name_zh": f"测试礼品{code}", "name_en": f"Test reward {code}", "category": "voucher", "cash_value": "1.00"} | fields
        return self.service.upsert_reward(session=self.admin, code=code, points_cost=points, **values)

    def stock(self, code: str, branch: str = "BJ01") -> int | None:
        return next(o.stock for o in self.service.catalogue(branch_code=branch, include_inactive=True) if o.code == code)


@pytest.fixture
def desk(tmp_path: Path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="BJ01")
    add_branch(store.context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    runner = operation_runner(store.context)
    service = RedemptionService(store.context, runner)
    opened = Desk(
        store,
        service,
        add_staff(store.context, username="officer.bj", role="officer", display_name="王芳"),
        add_staff(store.context, username="super.bj", role="supervisor", display_name="李强"),
        add_staff(store.context, username="admin.hq", role="admin"),
    )
    opened.reward("T10K", 10_000)
    opened.reward("T1", 1)
    yield opened
    store.close()


def member_with(desk: Desk, points: int, **fields) -> str:
    member_no = add_member(desk.context, **fields)
    post_earning(desk.context, member_no, points, on=date(2026, 5, 1))
    return member_no


def codes(offers, code):
    return [b.code for b in next(o for o in offers if o.code == code).blocks]


# ---------------------------------------------------------------------- the blocking rules, at their boundaries


def test_monthly_cap_exactly_reached_then_one_over(desk):
    member = member_with(desk, 100_000)
    desk.redeem(member, "T10K", 2)
    desk.store.clock.advance(hours=25)
    receipt = desk.redeem(member, "T10K")  # 30,000: exactly the Standard cap
    assert receipt.points == 10_000 and receipt.balance_after == 70_000
    desk.store.clock.advance(hours=25)
    with pytest.raises(DomainError) as raised:
        desk.redeem(member, "T1")
    assert raised.value.code == "redeem.monthly_cap"
    assert raised.value.params == {"cap": 30_000, "used": 30_000, "remaining": 0, "needed": 1}
    assert desk.balance(member) == 70_000  # nothing posted
    desk.store.clock.now = datetime(2026, 7, 1, 0, 0)  # a new calendar month
    desk.redeem(member, "T1")


def test_third_redemption_in_24_hours_allowed_fourth_refused_until_the_first_leaves(desk):
    member = member_with(desk, 100_000)
    for _ in range(3):
        desk.redeem(member, "T1")
        desk.store.clock.advance(hours=1)
    with pytest.raises(DomainError) as raised:
        desk.redeem(member, "T1")
    assert raised.value.code == "redeem.window_limit"
    assert raised.value.params["next_allowed_at"] == START + timedelta(hours=24)
    offers = desk.service.catalogue(member_no=member, branch_code="BJ01")
    assert "redeem.window_limit" in codes(offers, "T1")
    desk.store.clock.now = START + timedelta(hours=24)
    desk.redeem(member, "T1")


def test_the_last_item_in_stock_then_out_of_stock(desk):
    desk.reward("GIFT", 100, category="physical_gift", stock_tracked=True)
    desk.service.receive_stock(session=desk.admin, branch_code="BJ01", reward_code="GIFT", qty=1)
    member = member_with(desk, 10_000)
    desk.redeem(member, "GIFT")
    assert desk.stock("GIFT") == 0
    assert desk.stock("GIFT", "SH01") == 0  # stock is per branch
    with pytest.raises(DomainError) as raised:
        desk.redeem(member, "GIFT")
    assert (raised.value.code, raised.value.params) == ("redeem.out_of_stock", {"available": 0, "requested": 1})
    assert codes(desk.service.catalogue(member_no=member, branch_code="BJ01"), "GIFT") == ["redeem.out_of_stock"]


def test_balance_exactly_enough_then_one_short_with_held_points_counted(desk):
    exact = member_with(desk, 10_000)
    assert desk.redeem(exact, "T10K").balance_after == 0
    short = member_with(desk, 10_050)
    set_held_points(desk.context, short, 51)  # available 9,999
    with pytest.raises(DomainError) as raised:
        desk.redeem(short, "T10K")
    assert (raised.value.code, raised.value.params) == ("redeem.balance", {"available": 9_999, "needed": 10_000})


def test_tier_yearly_limit_and_frozen_member_are_shown_in_the_catalogue(desk):
    desk.reward("GOLDONLY", 100, min_tier="gold", category="service_privilege")
    desk.reward("ONCE", 100, yearly_limit_per_member=1)
    member = member_with(desk, 10_000)
    desk.redeem(member, "ONCE")
    offers = desk.service.catalogue(member_no=member, branch_code="BJ01")
    assert codes(offers, "GOLDONLY") == ["redeem.tier"]
    assert codes(offers, "ONCE") == ["redeem.yearly_limit"]
    assert [o.available for o in offers] == sorted((o.available for o in offers), reverse=True)  # available first
    frozen = member_with(desk, 10_000, status="frozen")
    assert all(codes(desk.service.catalogue(member_no=frozen, branch_code="BJ01"), o) == ["member.frozen"] for o in ("T1", "T10K"))


def test_a_reward_outside_its_window_is_not_offered_and_cannot_be_redeemed(desk):
    desk.reward("OLD", 100, active_from=date(2026, 1, 1), active_to=date(2026, 6, 9))
    member = member_with(desk, 1_000)
    assert "OLD" not in [o.code for o in desk.service.catalogue(member_no=member, branch_code="BJ01")]
    with pytest.raises(DomainError, match=r"redeem\.inactive_window"):
        desk.redeem(member, "OLD")


def test_offline_the_daily_limit_per_member_applies(desk):
    desk.reward("T5K", 5_000)
    member = member_with(desk, 100_000, tier="gold")
    desk.redeem(member, "T10K", 1)  # online, earlier today
    offline = {"session": desk.officer, "member_no": member, "reward_code": "T5K", "offline": True}
    desk.service.redeem(operation_id=desk.service.new_operation_id(), qty=2, **offline)  # 20,000 today: exactly the limit
    with pytest.raises(DomainError) as raised:
        desk.service.redeem(operation_id=desk.service.new_operation_id(), qty=1, **offline)
    assert (raised.value.code, raised.value.params) == ("redeem.offline_limit", {"limit": 20_000, "used": 20_000, "needed": 5_000})
    desk.redeem(member, "T5K")  # online again: no daily ceiling


def test_a_changed_price_asks_for_a_new_confirmation(desk):
    member = member_with(desk, 100_000)
    with pytest.raises(DomainError) as raised:
        desk.service.redeem(operation_id=desk.service.new_operation_id(), session=desk.officer, member_no=member,
                            reward_code="T10K", qty=1, expected_points=9_000)
    assert raised.value.code == "redeem.price_changed"


# ---------------------------------------------------------------------- lots


def three_lots(desk: Desk) -> tuple[str, list[int]]:
    member = add_member(desk.context)
    entries = [
        post_earning(desk.context, member, 5_000, on=date(2024, 9, 1)),  # expires 2026-09-30
        post_earning(desk.context, member, 3_000, on=date(2024, 6, 15)),  # expires 2026-06-30 (soonest)
        post_earning(desk.context, member, 10_000, on=date(2025, 3, 1)),  # expires 2027-03-31
    ]
    with desk.context.uow() as uow:
        by_entry = {lot.entry_id: lot.id for lot in uow.ledger.lots_for_member(uow.members.by_no(member).id)}
    return member, [by_entry[e] for e in entries]


def movements_of(desk: Desk, number: str, kind: str) -> list[tuple[int, int]]:
    with desk.context.uow() as uow:
        redemption = uow.redemption.by_number(number)
        entry = uow.ledger.entry(redemption.entry_id)
        if kind == "reversal":
            entry = uow.ledger.reversal_of(entry.id)
        return [(m.lot_id, m.points) for m in uow.ledger.movements_of_entry(entry.id)]


def test_redemption_takes_the_soonest_expiring_lots_first_and_records_them(desk):
    member, (lot_sep, lot_jun, lot_mar) = three_lots(desk)
    receipt = desk.redeem(member, "T10K")
    assert movements_of(desk, receipt.number, "redeem") == [(lot_jun, -3_000), (lot_sep, -5_000), (lot_mar, -2_000)]
    assert desk.lots(member)[lot_mar] == (8_000, date(2027, 3, 31))
    assert receipt.balance_after == 8_000


def test_reversal_restores_the_same_lots_with_their_expiry_and_an_expired_one_expires_at_the_next_run(desk):
    member, (lot_sep, lot_jun, lot_mar) = three_lots(desk)
    desk.store.clock.now = datetime(2026, 6, 30, 10, 0)  # the June lot's last day
    before = desk.lots(member)
    receipt = desk.redeem(member, "T10K")
    expiry = ExpiryService(desk.context)
    assert expiry.run(as_of=date(2026, 7, 1)).points_expired == 0  # the June lot was used up

    desk.store.clock.now = datetime(2026, 7, 2, 15, 0)
    reversal = desk.reverse(receipt.number)
    assert reversal.points == 10_000
    assert sorted(reversal.restored_lots) == sorted(
        [(lot_jun, 3_000, date(2026, 6, 30)), (lot_sep, 5_000, date(2026, 9, 30)), (lot_mar, 2_000, date(2027, 3, 31))]
    )
    assert desk.lots(member) == before  # same lots, same remaining, same expiry dates
    assert movements_of(desk, receipt.number, "reversal") == [(lot_jun, 3_000), (lot_sep, 5_000), (lot_mar, 2_000)]

    report = expiry.run(as_of=date(2026, 7, 3))
    assert (report.members_expired, report.points_expired) == (1, 3_000)
    assert desk.lots(member)[lot_jun] == (0, date(2026, 6, 30))
    assert desk.balance(member) == 15_000
    with desk.context.uow() as uow:
        m = uow.members.by_no(member)
        assert uow.ledger.sum_entries(m.id) == uow.ledger.sum_lot_remaining(m.id) == m.posted_balance == 15_000


# ---------------------------------------------------------------------- reversal


def test_reversal_puts_stock_back_links_the_entries_and_is_listed(desk):
    desk.reward("GIFT", 100, category="physical_gift", stock_tracked=True)
    desk.service.receive_stock(session=desk.admin, branch_code="BJ01", reward_code="GIFT", qty=2)
    member = member_with(desk, 1_000)
    receipt = desk.redeem(member, "GIFT", 2)
    assert desk.stock("GIFT") == 0
    desk.reverse(receipt.number, "  Goods   returned  ")
    assert desk.stock("GIFT") == 2
    with desk.context.uow() as uow:
        movements = uow.redemption.stock_movements(uow.reference.branch_by_code("BJ01").id, uow.redemption.reward_by_code("GIFT").id)
        reasons = [(m.change, m.reason) for m in movements]
        redemption = uow.redemption.by_number(receipt.number)
        original = uow.ledger.entry(redemption.entry_id)
        reversal = uow.ledger.reversal_of(original.id)
        assert (original.reference, reversal.reference, reversal.kind, reversal.points) == (receipt.number, receipt.number, "reversal", 200)
    assert reasons == [(2, "received"), (-2, "redeemed"), (2, "reversed")]
    [view] = desk.service.list(member_no=member)
    assert (view.reversed, view.reversal_reason, view.reversed_by) == (True, "Goods returned", "super.bj")


def test_a_redemption_is_reversed_at_most_once(desk):
    member = member_with(desk, 20_000)
    receipt = desk.redeem(member, "T10K")
    op = desk.service.new_operation_id()
    first = desk.reverse(receipt.number, op=op)
    again = desk.reverse(receipt.number, op=op)  # the same operation retried: its first result, nothing new
    assert again.replayed and again.points == first.points
    with pytest.raises(DomainError) as raised:
        desk.reverse(receipt.number)  # a second reversal
    assert raised.value.code == "redeem.already_reversed"
    assert desk.balance(member) == 20_000


def test_an_officer_cannot_reverse_not_even_through_the_runner(desk):
    member = member_with(desk, 20_000)
    receipt = desk.redeem(member, "T10K")
    with pytest.raises(DomainError) as raised:
        desk.reverse(receipt.number, who=desk.officer)
    assert raised.value.code == "auth.forbidden"
    # what central would apply: the handler checks the role from the store, not from the caller
    request = OperationRequest(operation_id=desk.service.new_operation_id(), kind="redeem.reverse",
                               payload={"number": receipt.number, "reason": "x"}, origin="desk", staff_id=desk.officer.staff_id)
    with pytest.raises(DomainError, match=r"auth\.forbidden"):
        desk.service._runner.execute(request)
    assert desk.balance(member) == 10_000


def test_reversal_needs_a_reason_and_happens_within_30_days(desk):
    member = member_with(desk, 20_000)
    receipt = desk.redeem(member, "T10K")
    with pytest.raises(ValidationError) as raised:
        desk.reverse(receipt.number, "   ")
    assert raised.value.code == "redeem.reason_required"
    desk.store.clock.advance(days=30, minutes=1)
    with pytest.raises(DomainError) as raised:
        desk.reverse(receipt.number)
    assert raised.value.params["days"] == 30


# ---------------------------------------------------------------------- operations, roles, audit


def test_the_same_operation_id_posts_once_and_another_payload_is_refused(desk):
    member = member_with(desk, 50_000)
    op = desk.service.new_operation_id()
    first = desk.redeem(member, "T10K", op=op)
    again = desk.redeem(member, "T10K", op=op)
    assert again.replayed and again.number == first.number and again.balance_after == 40_000
    assert desk.balance(member) == 40_000
    with pytest.raises(Conflict) as raised:
        desk.redeem(member, "T10K", 2, op=op)
    assert raised.value.code == "operation.payload_mismatch"
    assert len(desk.service.list(member_no=member)) == 1


def test_roles_for_redeeming_and_the_catalogue(desk):
    member = member_with(desk, 50_000)
    with pytest.raises(DomainError, match=r"auth\.forbidden"):
        desk.redeem(member, "T1", who=desk.admin)  # admins edit the catalogue, they do not serve clients
    desk.redeem(member, "T1", who=desk.supervisor)
    with pytest.raises(DomainError, match=r"auth\.forbidden"):
        desk.service.upsert_reward(session=desk.officer, code="X1", name_zh="x", name_en="x", category="voucher", points_cost=1, cash_value="1")
    with pytest.raises(DomainError, match=r"auth\.forbidden"):
        desk.service.receive_stock(session=desk.supervisor, branch_code="BJ01", reward_code="T1", qty=1)
    with pytest.raises(ValidationError) as raised:
        desk.reward("BAD", 0)
    assert raised.value.field == "points_cost"


def test_redemptions_reversals_and_catalogue_changes_are_audited(desk):
    member = member_with(desk, 50_000)
    desk.reward("T10K", 12_000)  # a price change
    receipt = desk.redeem(member, "T10K")
    desk.reverse(receipt.number)
    with desk.context.uow() as uow:
        events = [(e.action, e.actor, e.member_no, e.before, e.after) for e in uow.audit.in_order()]
    actions = [(a, actor) for a, actor, *_ in events]
    assert ("reward.create", "admin.hq") in actions and ("redemption.redeem", "officer.bj") in actions and ("redemption.reverse", "super.bj") in actions
    update = next(e for e in events if e[0] == "reward.update")
    assert (update[3]["points_cost"], update[4]["points_cost"]) == (10_000, 12_000)
    assert next(e for e in events if e[0] == "redemption.redeem")[2] == member
    assert AuditService(desk.context.uow).verify().ok


def test_seed_catalogue_fills_every_category_with_stock_at_every_branch(desk):
    with desk.context.uow(write=True) as uow:
        added = seed_catalogue(uow, date(2026, 6, 10))
        assert seed_catalogue(uow, date(2026, 6, 10)) == 0  # idempotent
        uow.commit()
    assert added == len(DEMO_CATALOGUE) >= 25
    offers = desk.service.catalogue(branch_code="SH01")
    assert {o.category for o in offers} == {"physical_gift", "voucher", "cash_rebate", "service_privilege"}
    assert all(o.stock and o.stock > 0 for o in offers if o.stock_tracked)
    assert any(o.name_zh == "定制保温杯" for o in offers)


# ---------------------------------------------------------------------- the receipt


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_receipt_pdf_carries_the_number_member_reward_and_points(desk, tmp_path, language):
    from pypdf import PdfReader

    from loyalty_desk.documents.receipts import render_receipt

    desk.reward("GIFT-TUMBLER", 4_500, name_zh="定制保温杯", name_en="Insulated tumbler", category="physical_gift", stock_tracked=True)
    desk.service.receive_stock(session=desk.admin, branch_code="BJ01", reward_code="GIFT-TUMBLER", qty=5)
    member = member_with(desk, 20_000, name="张晓明")
    receipt = desk.redeem(member, "GIFT-TUMBLER", 2)
    path = render_receipt(receipt, tmp_path / f"receipt-{language}.pdf", language=language)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert receipt.number in compact
    assert member in compact
    assert "张**" in compact  # masked
    assert "张晓明" not in compact
    assert "9,000" in compact and "11,000" in compact  # points and balance after
    if language == "zh_CN":
        assert "定制保温杯" in compact and "积分兑换凭证" in compact and "北京分行营业部" in compact and "王芳" in compact
    else:
        assert "Insulatedtumbler" in compact and "BeijingMainBranch" in compact


@pytest.mark.parametrize(("language", "marker"), [("zh_CN", "临时号"), ("en", "(provisional)")])
def test_receipt_says_a_provisional_member_number_is_provisional(desk, tmp_path, language, marker):
    from pypdf import PdfReader

    from loyalty_desk.documents.receipts import render_receipt
    from loyalty_desk.domain.identity import PROVISIONAL_SERIAL_FROM

    desk.reward("GIFT-PEN", 1_000, name_zh="签字笔", name_en="Pen", category="physical_gift", stock_tracked=True)
    desk.service.receive_stock(session=desk.admin, branch_code="BJ01", reward_code="GIFT-PEN", qty=2)
    provisional = member_with(desk, 5_000, name="李新", serial=PROVISIONAL_SERIAL_FROM + 3)  # given offline, not yet confirmed
    final = member_with(desk, 5_000, name="李旧")
    for member, provisional_expected in ((provisional, True), (final, False)):
        receipt = desk.redeem(member, "GIFT-PEN", 1)
        path = render_receipt(receipt, tmp_path / f"receipt-{language}-{member}.pdf", language=language)
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        assert member in text.replace(" ", "")
        assert (marker in text) is provisional_expected


@pytest.mark.parametrize(("language", "shown"), [("zh_CN", "{d.year}/{d.month}/{d.day}"), ("en", "{d.day:02d}/{d.month:02d}/{d.year}")])
def test_receipt_dates_read_as_the_desk_shows_them(desk, tmp_path, language, shown):
    from pypdf import PdfReader

    from loyalty_desk.documents.fonts import local_time
    from loyalty_desk.documents.receipts import render_receipt

    desk.reward("GIFT-TUMBLER", 4_500, name_zh="定制保温杯", name_en="Insulated tumbler", category="physical_gift", stock_tracked=True)
    desk.service.receive_stock(session=desk.admin, branch_code="BJ01", reward_code="GIFT-TUMBLER", qty=5)
    receipt = desk.redeem(member_with(desk, 20_000, name="张晓明"), "GIFT-TUMBLER", 1)
    path = render_receipt(receipt, tmp_path / f"receipt-{language}.pdf", language=language)
    text = "".join(page.extract_text() for page in PdfReader(path).pages).replace(" ", "")
    when = local_time(receipt.at)
    assert shown.format(d=when) + when.strftime("%H:%M:%S") in text
    assert when.strftime("%Y-%m-%d") not in text
