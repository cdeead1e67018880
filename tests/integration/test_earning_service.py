"""Every earning rule of rules.md posted end to end through EarningService into a SQLite store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from earning_support import Desk, check_invariants, txn

D = date(2026, 3, 10)


def base_points(desk: Desk, member_no: str, txn_id: str) -> int:
    return next(e.points for e in desk.entries(member_no) if e.entry_uid == f"txn:{txn_id}:base")


def audit_rows(desk: Desk, action: str) -> list[tuple[str | None, Any, Any]]:
    """(member_no, before, after) of the audit rows of ``action``."""
    with desk.context.uow() as uow:
        return [(row.member_no, row.before, row.after) for row in uow.audit.search(action=action)[1]]


# ---------------------------------------------------------------- card spend


def test_card_spend_earns_a_point_per_whole_cny_times_the_tier_multiplier(desk: Desk) -> None:
    standard, gold = desk.add_member(), desk.add_member(tier="gold")
    counts = desk.post(txn("s1", standard, D, "card_spend", "999.99"), txn("g1", gold, D, "card_spend", "1000"))
    assert base_points(desk, standard, "s1") == 999
    assert base_points(desk, gold, "g1") == 1250  # Gold x1.25
    entry = next(e for e in desk.entries(gold) if e.entry_uid == "txn:g1:base")
    assert (entry.kind, entry.rule, entry.details["amount"], entry.details["multiplier"]) == ("earn", "card_spend", "1000", "1.25")
    assert counts.posted == 2
    lot = next(lot for lot in desk.lots(gold) if lot.rule == "card_spend")
    assert lot.expires_on == date(2028, 3, 31) and lot.qualifying
    check_invariants(desk)


def test_posting_the_same_transactions_again_posts_nothing(desk: Desk) -> None:
    member = desk.add_member()
    first = desk.post(txn("a", member, D, "card_spend", "100"), txn("b", member, D, "branch_event"))
    again = desk.post(txn("a", member, D, "card_spend", "100"), txn("b", member, D, "branch_event"))
    assert (first.posted, again.posted, again.already_posted, again.points) == (2, 0, 2, 0)
    assert desk.balance(member) == 100 + 1000 + 1000  # spend, first card transaction, branch event


def test_unknown_member_is_reported_and_not_posted(desk: Desk) -> None:
    counts = desk.post(txn("x", "M9999999999", D, "branch_event"))
    assert counts.unknown_members == ("x",) and counts.posted == 0


# ---------------------------------------------------------------- financing


def test_financing_points_high_margin_and_tier(desk: Desk) -> None:
    standard, silver, gold = desk.add_member(), desk.add_member(tier="silver"), desk.add_member(tier="gold")
    desk.post(
        txn("f1", standard, D, "financing", "200000", "FIN-STD"),
        txn("f2", standard, D, "financing", "200000", "FIN-HM"),
        txn("f3", silver, D, "financing", "200000", "FIN-STD"),
        txn("f4", gold, D, "financing", "250000", "fin-struct"),
    )
    assert base_points(desk, standard, "f1") == 2000
    assert base_points(desk, standard, "f2") == 3000  # high-margin x1.5
    assert base_points(desk, silver, "f3") == 2200  # Silver x1.1
    assert base_points(desk, gold, "f4") == 4687  # 2500 x1.5 x1.25 = 4687.5, rounded down
    assert {e.rule for e in desk.entries(standard)} == {"financing", "financing_high_margin"}


def test_financing_below_the_minimum_earns_nothing(desk: Desk) -> None:
    member = desk.add_member()
    counts = desk.post(txn("f", member, D, "financing", "99999.99", "FIN-HM"))
    assert (counts.posted, counts.no_points, desk.balance(member)) == (0, 1, 0)


# ---------------------------------------------------------------- repayment and behaviour


def test_repayment_on_or_before_due_date_earns_200_late_earns_nothing(desk: Desk) -> None:
    member = desk.add_member(tier="gold")
    counts = desk.post(
        txn("r1", member, D, "repayment", due_date=D),
        txn("r2", member, D, "repayment", due_date=date(2026, 3, 31)),
        txn("r3", member, D, "repayment", due_date=date(2026, 3, 9)),
    )
    assert (counts.posted, counts.no_points) == (2, 1)
    assert desk.balance(member) == 400  # no tier multiplier on repayments


def test_behaviour_profile_once_events_always_surveys_four_a_year(desk: Desk) -> None:
    member = desk.add_member()
    desk.post(
        txn("p1", member, D, "profile_completed"),
        txn("p2", member, date(2026, 4, 1), "profile_completed"),
        txn("e1", member, D, "branch_event"),
        txn("e2", member, D, "branch_event"),
        *(txn(f"s{i}", member, date(2026, 1, i + 1), "survey") for i in range(5)),
        txn("s-next-year", member, date(2027, 1, 2), "survey"),
    )
    by_rule: dict[str, int] = {}
    for entry in desk.entries(member):
        by_rule[entry.rule or ""] = by_rule.get(entry.rule or "", 0) + entry.points
    assert by_rule == {"profile_completed": 500, "branch_event": 2000, "survey": 5 * 200}
    assert "txn:s4:base" not in {e.entry_uid for e in desk.entries(member)}  # the fifth survey of 2026


# ---------------------------------------------------------------- card journey


def test_card_approval_first_transaction_and_65_day_spend_target(desk: Desk) -> None:
    on_time, too_late = desk.add_member(), desk.add_member()
    approved = date(2026, 1, 1)
    desk.post(txn("a1", on_time, approved, "card_approved"), txn("a2", too_late, approved, "card_approved"))
    assert desk.member(on_time).card_approved_on == approved

    desk.post(
        txn("o1", on_time, date(2026, 1, 10), "card_spend", "1000"),
        txn("o2", on_time, date(2026, 3, 7), "card_spend", "2000"),  # day 65: 3,000 CNY reached
        txn("o3", on_time, date(2026, 3, 8), "card_spend", "5000"),
        txn("l1", too_late, date(2026, 1, 10), "card_spend", "1000"),
        txn("l2", too_late, date(2026, 3, 8), "card_spend", "2000"),  # day 66
    )
    on_time_rules = [e.rule for e in desk.entries(on_time)]
    assert on_time_rules.count("card_first_transaction") == 1
    assert on_time_rules.count("card_spend_target") == 1
    assert next(e for e in desk.entries(on_time) if e.rule == "card_spend_target").entry_uid == "txn:o2:spend_target"
    assert desk.balance(on_time) == 8000 + 1000 + 3000
    assert "card_spend_target" not in [e.rule for e in desk.entries(too_late)]
    assert desk.balance(too_late) == 3000 + 1000


# ---------------------------------------------------------------- campaigns


def test_campaign_best_multiplier_applies_and_budget_stops_it(desk: Desk) -> None:
    member = desk.add_member(tier="silver")
    common = {"starts_on": date(2026, 2, 1), "ends_on": date(2026, 2, 28), "sources": ["card_spend"], "tiers": ["standard", "silver"]}
    desk.add_campaign(code="DOUBLE", name_zh="春节双倍", name_en="Spring Festival double", multiplier="2", budget_points=100_000, spent_points=0, **common)
    desk.add_campaign(code="TRIPLE", name_zh="三倍", name_en="Triple", multiplier="3", budget_points=250, spent_points=0, **common)
    desk.post(
        txn("c1", member, date(2026, 2, 5), "card_spend", "100"),  # x3: 300 = 110 (tier) + 190 extra
        txn("c2", member, date(2026, 2, 6), "card_spend", "100"),  # TRIPLE has 60 left, DOUBLE gives more: 200
        txn("c3", member, date(2026, 3, 1), "card_spend", "100"),  # after the window: tier only
    )
    entries = {e.entry_uid: e for e in desk.entries(member)}
    assert (entries["txn:c1:base"].points, entries["txn:c1:base"].campaign_code) == (300, "TRIPLE")
    assert (entries["txn:c2:base"].points, entries["txn:c2:base"].campaign_code) == (200, "DOUBLE")
    assert (entries["txn:c3:base"].points, entries["txn:c3:base"].campaign_code) == (110, None)
    with desk.context.uow() as uow:
        spent = {c.code: c.spent_points for c in uow.reference.campaigns()}
    assert spent == {"TRIPLE": 190, "DOUBLE": 90}


def test_campaign_budget_caps_the_extra_points(desk: Desk) -> None:
    member = desk.add_member()
    desk.add_campaign(
        code="SMALL", name_zh="小", name_en="Small", starts_on=D, ends_on=D, sources=["card_spend"], tiers=["standard"],
        multiplier="2", budget_points=150, spent_points=0,
    )
    desk.post(*(txn(f"b{i}", member, D, "card_spend", "100") for i in range(3)))
    entries = {e.entry_uid: e for e in desk.entries(member)}
    assert [entries[f"txn:b{i}:base"].points for i in range(3)] == [200, 150, 100]
    assert [entries[f"txn:b{i}:base"].campaign_code for i in range(3)] == ["SMALL", "SMALL", None]


# ---------------------------------------------------------------- refunds


def test_refund_claws_back_the_purchase_points_never_more(desk: Desk) -> None:
    member = desk.add_member(tier="gold")
    desk.post(txn("buy", member, D, "card_spend", "1000"))  # 1250 + first transaction 1000
    desk.post(txn("ref1", member, date(2026, 3, 12), "card_refund", "400", original_txn_id="buy"))
    desk.post(txn("ref2", member, date(2026, 3, 13), "card_refund", "800", original_txn_id="buy"))
    entries = {e.entry_uid: e for e in desk.entries(member)}
    assert entries["txn:ref1:base"].points == -500  # 1250 x 400/1000
    assert entries["txn:ref2:base"].points == -750  # only what is left of the purchase
    assert entries["txn:ref1:base"].kind == "clawback"
    assert desk.balance(member) == 1000
    check_invariants(desk)


def test_refund_takes_only_what_the_lots_hold_and_records_the_shortfall(desk: Desk) -> None:
    member = desk.add_member()
    desk.post(txn("buy", member, D, "card_spend", "1000"))  # 1000 + 1000
    desk.spend(member, 1900, uid="spend-1", on=D)
    counts = desk.post(txn("ref", member, date(2026, 3, 11), "card_refund", "1000", original_txn_id="buy"))
    entry = next(e for e in desk.entries(member) if e.entry_uid == "txn:ref:base")
    assert entry.points == -100 and entry.details["shortfall"] == 900
    assert counts.clawback_shortfall == 900
    assert desk.balance(member) == 0
    check_invariants(desk)


# ---------------------------------------------------------------- tiers


def test_upgrade_to_silver_as_soon_as_20000_qualifying_points_are_reached(desk: Desk) -> None:
    member = desk.add_member()
    counts = desk.post(txn("big", member, D, "card_spend", "18000"))  # 18,000 + 1,000 first transaction
    assert (counts.upgrades, desk.member(member).tier) == (0, "standard")
    counts = desk.post(txn("event", member, date(2026, 3, 20), "branch_event"))  # exactly 20,000
    state = desk.member(member)
    assert (counts.upgrades, state.tier, state.last_upgrade_on) == (1, "silver", date(2026, 3, 20))
    [(member_no, before, after)] = audit_rows(desk, "member.tier_upgrade")
    assert (member_no, before, after["tier"]) == (member, {"tier": "standard"}, "silver")
    desk.post(txn("next", member, date(2026, 3, 21), "card_spend", "1000"))
    assert base_points(desk, member, "next") == 1100  # Silver multiplier from the next transaction on


def test_points_older_than_twelve_months_do_not_qualify(desk: Desk) -> None:
    member = desk.add_member()
    desk.post(txn("old", member, date(2025, 1, 10), "card_spend", "15000"))
    desk.post(txn("new", member, date(2026, 3, 10), "card_spend", "5000"))
    assert desk.member(member).tier == "standard"


def test_monthly_review_downgrades_one_level_once_a_month_and_respects_protection(desk: Desk) -> None:
    lapsed, protected = desk.add_member(tier="gold"), desk.add_member(tier="gold")
    with desk.context.uow(write=True) as uow:
        for member_no, upgraded in ((lapsed, date(2024, 5, 1)), (protected, date(2026, 1, 15))):
            found = uow.members.by_no(member_no)
            assert found is not None
            found.last_upgrade_on = upgraded
        uow.commit()
    warning = desk.earning.review_tiers(as_of=date(2026, 5, 1))  # the downgrade grace: a warning month first
    assert (warning.reviewed, warning.warned, warning.downgraded) == (2, 1, 0)
    report = desk.earning.review_tiers(as_of=date(2026, 6, 1))
    assert (report.reviewed, report.downgraded, report.already_run) == (2, 1, False)
    assert desk.member(lapsed).tier == "silver" and desk.member(protected).tier == "gold"
    again = desk.earning.review_tiers(as_of=date(2026, 6, 20))
    assert again.already_run and desk.member(lapsed).tier == "silver"
    assert len(audit_rows(desk, "member.tier_downgrade")) == 1


def test_decimal_amounts_are_kept_exactly_in_details(desk: Desk) -> None:
    member = desk.add_member()
    desk.post(txn("d", member, D, "card_spend", "0.10"))
    entry = next(e for e in desk.entries(member) if e.rule == "card_first_transaction")
    assert Decimal(entry.details["amount"]) == Decimal("0.10")
