"""The demo generator builds a store whose ledger, identities and audit chain all hold up."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from loyalty_desk.demo import generator
from loyalty_desk.demo.generator import DemoSummary, generate
from loyalty_desk.demo.members import ChunkTables
from loyalty_desk.demo.reference_data import ALL_RULES, CARD_PREFIX, COMPANY_SUFFIX, MEMBER_SERIAL_BASE
from loyalty_desk.demo.staff import DEMO_PASSWORD, demo_accounts
from loyalty_desk.domain.identity import validate_card_no, validate_id, validate_member_no, validate_mobile
from loyalty_desk.domain.lots import lot_expiry_date
from loyalty_desk.domain.names import member_name_keys, to_pinyin_key
from loyalty_desk.domain.rules import DEFAULT_RULES, Tier
from loyalty_desk.domain.tiers import qualifying_points, tier_for_points
from loyalty_desk.services.audit import AuditService
from loyalty_desk.services.passwords import verify_password
from loyalty_desk.store.db import LOCAL_STORE_FILENAME, Database, current_revision, head_revision
from loyalty_desk.store.uow import uow_factory

TODAY = date(2026, 11, 22)
MEMBERS = 300


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary, list[tuple[int, int, str]]]:
    data_dir = tmp_path_factory.mktemp("demo")
    calls: list[tuple[int, int, str]] = []
    summary = generate(data_dir, members=MEMBERS, seed=7, today=TODAY, progress=lambda *a: calls.append(a))
    return data_dir, summary, calls


@pytest.fixture(scope="module")
def db(built: tuple[Path, DemoSummary, list]) -> sqlite3.Connection:
    conn = sqlite3.connect(built[0] / LOCAL_STORE_FILENAME)
    yield conn
    conn.close()


def test_summary_and_progress(built: tuple[Path, DemoSummary, list], db: sqlite3.Connection) -> None:
    _, summary, calls = built
    assert summary.members == MEMBERS
    assert summary.entries == db.execute("SELECT count(*) FROM ledger_entry").fetchone()[0]
    assert summary.lots == db.execute("SELECT count(*) FROM lot").fetchone()[0]
    assert summary.seconds > 0
    assert calls[-1] == (MEMBERS, MEMBERS, "done")
    assert any(text == "members" for _, _, text in calls)


def test_store_opens_at_head_in_wal(built: tuple[Path, DemoSummary, list], db: sqlite3.Connection) -> None:
    database = Database.open_local(built[0])
    try:
        assert current_revision(database.write_engine) == head_revision()
    finally:
        database.dispose()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"ix_ledger_entry_member_id_id", "ix_lot_member_id_expires_on", "ix_lot_expires_on_open", "ix_member_mobile_last4"} <= indexes


def test_balances_entries_and_lots_agree(db: sqlite3.Connection) -> None:
    balances = dict(db.execute("SELECT id, posted_balance FROM member"))
    entry_sums = dict(db.execute("SELECT member_id, sum(points) FROM ledger_entry GROUP BY member_id"))
    lot_sums = dict(db.execute("SELECT member_id, sum(remaining) FROM lot GROUP BY member_id"))
    for member_id, balance in balances.items():
        assert balance == entry_sums.get(member_id, 0) == lot_sums.get(member_id, 0), member_id
        assert balance >= 0
    assert db.execute("SELECT count(*) FROM member WHERE held_points <> 0").fetchone()[0] == 0

    running: dict[int, int] = defaultdict(int)
    for member_id, points, balance_after, kind, occurred_on in db.execute(
        "SELECT member_id, points, balance_after, kind, occurred_on FROM ledger_entry ORDER BY member_id, id"
    ):
        running[member_id] += points
        assert balance_after == running[member_id]
        assert kind in ("earn", "expire", "redeem", "tier")
        assert (points > 0) == (kind == "earn")
        assert occurred_on <= TODAY.isoformat()


def test_entries_are_uniquely_named_and_history_is_imported(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT e.entry_uid, m.member_no, e.operation_id, e.kind FROM ledger_entry e JOIN member m ON m.id = e.member_id"
    ).fetchall()
    assert len({uid for uid, _, _, _ in rows}) == len(rows)
    for uid, member_no, operation_id, kind in rows:
        if kind == "redeem":  # made at a desk: named by its operation
            assert uid == f"redeem:{operation_id}"
        elif kind == "tier":
            assert uid.startswith(f"tier:{member_no}:demo:") and operation_id is None
        else:
            assert uid.startswith(f"demo:{member_no}:")
            assert operation_id is None


def test_redemptions_were_made_at_the_desk_within_the_limits(db: sqlite3.Connection) -> None:
    from loyalty_desk.demo.catalogue import DEMO_CATALOGUE
    from loyalty_desk.domain.redemption import redemption_number
    from loyalty_desk.services.operations import payload_digest

    rows = db.execute(
        "SELECT d.number, d.points, d.qty, d.redeemed_at, d.branch_id, d.staff_id, r.code, r.points_cost, r.stock_tracked, b.code, "
        "r.yearly_limit_per_member, e.kind, e.points, e.reference, e.occurred_on, e.branch_id, e.staff_id, e.balance_after, e.operation_id, "
        "o.kind, o.status, o.payload, o.payload_digest, m.branch_id, m.id, s.role, s.branch_id "
        "FROM redemption d JOIN reward r ON r.id = d.reward_id JOIN ledger_entry e ON e.id = d.entry_id JOIN operation o ON o.id = d.operation_id "
        "JOIN member m ON m.id = d.member_id JOIN staff s ON s.id = d.staff_id JOIN branch b ON b.id = d.branch_id"
    ).fetchall()
    assert len(rows) >= MEMBERS // 10, "a realistic share of members redeemed"
    per_year: Counter[tuple[int, str, str]] = Counter()
    per_day: Counter[tuple[int, str]] = Counter()
    for (number, points, qty, at, branch_id, staff_id, code, cost, stock_tracked, branch_code, yearly, kind, entry_points, reference, on,
         entry_branch, entry_staff, balance_after, operation_id, op_kind, op_status, payload, digest, home, member_id, role, staff_branch) in rows:
        assert (kind, entry_points, reference, on, entry_branch, entry_staff) == ("redeem", -points, number, at[:10], branch_id, staff_id)
        assert points == cost * qty and not stock_tracked and balance_after >= 0
        assert (op_kind, op_status) == ("redeem", "posted") and digest == payload_digest("redeem", json.loads(payload))
        assert number == redemption_number(branch_code, operation_id)
        assert branch_id == home == staff_branch and role == "officer"
        assert code in {seed.code for seed in DEMO_CATALOGUE}
        per_year[(member_id, code, at[:4])] += 1
        if yearly is not None:
            assert per_year[(member_id, code, at[:4])] <= yearly
        per_day[(member_id, at[:10])] += 1
    assert max(per_day.values()) <= DEFAULT_RULES.redemption.max_redemptions_per_window
    categories = {category for (category,) in db.execute("SELECT DISTINCT r.category FROM redemption d JOIN reward r ON r.id = d.reward_id")}
    assert categories == {"voucher", "cash_rebate", "service_privilege"}


def test_lots_expire_per_rule_and_expiries_have_movements(db: sqlite3.Connection) -> None:
    today = TODAY.isoformat()
    for earned_on, expires_on, original, remaining in db.execute("SELECT earned_on, expires_on, original, remaining FROM lot"):
        assert expires_on == lot_expiry_date(date.fromisoformat(earned_on)).isoformat()
        assert 0 <= remaining <= original and original > 0
        if expires_on < today:
            assert remaining == 0

    movements = dict(db.execute("SELECT entry_id, sum(points) FROM lot_movement GROUP BY entry_id"))
    expiries = db.execute("SELECT id, points FROM ledger_entry WHERE kind IN ('expire', 'redeem')").fetchall()
    assert expiries, "some lots have expired already"
    for entry_id, points in expiries:
        assert movements[entry_id] == points
    taken = dict(db.execute("SELECT lot_id, sum(points) FROM lot_movement GROUP BY lot_id"))
    for lot_id, original, remaining in db.execute("SELECT id, original, remaining FROM lot"):
        assert original + taken.get(lot_id, 0) == remaining
    # one expiry entry per member and run date
    assert db.execute(
        "SELECT count(*) FROM (SELECT member_id, occurred_on FROM ledger_entry WHERE kind='expire' "
        "GROUP BY member_id, occurred_on HAVING count(*) > 1)"
    ).fetchone()[0] == 0


def test_some_points_expire_within_30_days(db: sqlite3.Connection) -> None:
    soon = db.execute(
        "SELECT count(DISTINCT member_id) FROM lot WHERE remaining > 0 AND expires_on >= ? AND expires_on < ?",
        (TODAY.isoformat(), (TODAY + timedelta(days=30)).isoformat()),
    ).fetchone()[0]
    assert soon >= 1


def test_every_source_is_present(db: sqlite3.Connection) -> None:
    rules = {rule for (rule,) in db.execute("SELECT DISTINCT rule FROM lot")}
    assert set(ALL_RULES) <= rules
    campaigns = {code: (spent, budget) for code, spent, budget in db.execute("SELECT code, spent_points, budget_points FROM campaign")}
    assert len(campaigns) == 2
    used = dict(db.execute("SELECT campaign_code, count(*) FROM ledger_entry WHERE campaign_code IS NOT NULL GROUP BY campaign_code"))
    assert set(used) <= set(campaigns)
    assert any(code.startswith("SF") for code in used)
    for spent, budget in campaigns.values():
        assert 0 <= spent <= budget


def test_identities_are_valid_and_unique(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT member_no, kind, name, name_pinyin, id_type, id_number, mobile, mobile_last4, card_no, status, address "
        "FROM member ORDER BY id"
    ).fetchall()
    assert len(rows) == MEMBERS
    for member_no, kind, name, pinyin, id_type, id_number, mobile, last4, card_no, status, address in rows:
        assert validate_member_no(member_no) == member_no
        assert validate_id(id_type, id_number, today=TODAY) == id_number
        assert (id_type == "uscc") == (kind == "business")
        assert validate_mobile(mobile) == mobile and mobile[:2] in ("13", "15", "18") and last4 == mobile[-4:]
        if card_no is not None:
            assert validate_card_no(card_no) == card_no and card_no.startswith("6222")
        assert status in ("active", "frozen", "closed")
        assert pinyin == to_pinyin_key(name), name
        assert address
    for column in (0, 5, 6):
        assert len({row[column] for row in rows}) == MEMBERS
    cards = [row[8] for row in rows if row[8]]
    assert len(set(cards)) == len(cards) > MEMBERS * 0.7
    statuses = Counter(row[9] for row in rows)
    assert statuses["frozen"] >= 1 and statuses["closed"] >= 1
    kinds = Counter(row[1] for row in rows)
    assert kinds["business"] >= 1
    assert sum(1 for row in rows if row[2] == "张伟") >= 1


def test_name_keys_match_the_domain(db: sqlite3.Connection) -> None:
    keys: dict[int, set[str]] = defaultdict(set)
    for key, member_id in db.execute("SELECT key, member_id FROM member_name_key"):
        keys[member_id].add(key)
    for member_id, name in db.execute("SELECT id, name FROM member"):
        assert keys[member_id] == set(member_name_keys(name)), name


def test_pinyin_tables_match_the_domain_for_every_pair() -> None:
    """The generator concatenates per-character readings; pypinyin must agree for every pair it can make."""
    tables = ChunkTables(7, TODAY)
    surnames = dict(tables.surnames)
    given = dict(tables.given)
    for surname, s_key in surnames.items():
        for ch, key in given.items():
            assert to_pinyin_key(surname + ch) == s_key + key, surname + ch
    for a, ka in given.items():
        for b, kb in given.items():
            assert to_pinyin_key("张" + a + b) == surnames["张"] + ka + kb, a + b
    for city, city_key in tables.city_keys.items():
        for brand, brand_key in tables.brands:
            for industry, industry_key in tables.industries:
                name = f"{city[:2]}{brand}{industry}{COMPANY_SUFFIX}"
                assert to_pinyin_key(name) == city_key + brand_key + industry_key + tables.company_suffix_key, name


def test_tiers_follow_qualifying_points(db: sqlite3.Connection) -> None:
    earnings: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for member_id, earned_on, original in db.execute("SELECT member_id, earned_on, original FROM lot WHERE qualifying"):
        earnings[member_id].append((date.fromisoformat(earned_on), original))
    window = DEFAULT_RULES.tiers.qualifying_window_months
    tiers = Counter()
    for member_id, tier, last_upgrade_on in db.execute("SELECT id, tier, last_upgrade_on FROM member"):
        qualifying = qualifying_points(earnings[member_id], TODAY, window)
        assert tier == tier_for_points(qualifying, DEFAULT_RULES).value, member_id
        assert (last_upgrade_on is None) == (tier == Tier.STANDARD.value)
        tiers[tier] += 1
    assert tiers[Tier.STANDARD.value] and tiers[Tier.SILVER.value]


def test_staff_roles_per_branch(built: tuple[Path, DemoSummary, list], db: sqlite3.Connection) -> None:
    _, summary, _ = built
    branches = dict(db.execute("SELECT id, code FROM branch"))
    assert sorted(branches.values()) == ["BJ01", "HQ01", "HZ01", "SH01", "SZ01"]
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    staff = db.execute("SELECT s.username, s.role, s.branch_id, c.password_hash FROM staff s JOIN staff_credential c ON c.staff_id = s.id").fetchall()
    for _username, role, branch_id, _hash in staff:
        roles[branches[branch_id]][role] += 1
    for code in branches.values():
        assert roles[code]["officer"] >= 2 and roles[code]["supervisor"] >= 2
    assert roles["HQ01"]["admin"] >= 1 and roles["HQ01"]["auditor"] >= 1
    assert sorted((u, r, branches[b]) for u, r, b, _ in staff) == sorted((u, r, b) for u, r, b, _ in summary.accounts)
    assert len({h for *_, h in staff}) == 1  # hashed once
    assert verify_password(staff[0][3], DEMO_PASSWORD)
    assert {p for *_, p in summary.accounts} == {DEMO_PASSWORD}


def test_settings_and_audit_chain(built: tuple[Path, DemoSummary, list], db: sqlite3.Connection) -> None:
    sections = {section for (section,) in db.execute("SELECT section FROM rule_setting")}
    assert sections == set(DEFAULT_RULES.SECTIONS)
    database = Database.open_local(built[0])
    try:
        factory = uow_factory(database)
        with factory() as uow:
            assert uow.reference.rule_sections() == DEFAULT_RULES.to_dict()
            member = uow.members.by_no(db.execute("SELECT member_no FROM member WHERE id = 1").fetchone()[0])
            assert member is not None
            assert uow.ledger.sum_entries(member.id) == uow.ledger.sum_lot_remaining(member.id) == member.posted_balance
        result = AuditService(factory).verify()
        assert result.ok, result
        assert result.rows_checked >= 5 + len(demo_accounts())
    finally:
        database.dispose()
    actions = {action for (action,) in db.execute("SELECT action FROM audit_event")}
    assert {"demo.generated", "staff.created", "branch.created", "campaign.created"} <= actions


def _fingerprint(data_dir: Path) -> tuple[list[tuple], int, int]:
    conn = sqlite3.connect(data_dir / LOCAL_STORE_FILENAME)
    try:
        members = conn.execute("SELECT member_no, name, id_number, mobile, card_no, posted_balance, tier FROM member ORDER BY id").fetchall()
        entries = conn.execute("SELECT count(*) FROM ledger_entry").fetchone()[0]
        total = conn.execute("SELECT sum(points) FROM ledger_entry").fetchone()[0]
        return members, entries, total
    finally:
        conn.close()


def test_same_seed_same_data_and_refresh(built: tuple[Path, DemoSummary, list], tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, members=MEMBERS, seed=7, today=TODAY)
    assert _fingerprint(again) == _fingerprint(built[0])

    generate(again, members=50, seed=8, today=TODAY)  # refresh: the old store is replaced
    members, _, _ = _fingerprint(again)
    assert len(members) == 50
    assert [m[1] for m in members] != [m[1] for m in _fingerprint(built[0])[0][:50]]


def test_parallel_load_gives_the_same_rows_as_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "CHUNK_MEMBERS", 40)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    generate(serial, members=130, seed=3, today=TODAY)
    monkeypatch.setattr(generator, "PARALLEL_THRESHOLD", 0)
    summary = generate(parallel, members=130, seed=3, today=TODAY)
    assert summary.members == 130
    assert _fingerprint(parallel) == _fingerprint(serial)


def test_inlined_check_digits_equal_the_domain(db: sqlite3.Connection) -> None:
    from loyalty_desk.domain.identity import make_card_no, make_member_no, make_resident_id, resident_id_birth_date

    for member_id, member_no, id_type, id_number, card_no in db.execute("SELECT id, member_no, id_type, id_number, card_no FROM member"):
        assert member_no == make_member_no(MEMBER_SERIAL_BASE + member_id)
        if id_type == "resident_id":
            assert id_number == make_resident_id(id_number[:6], resident_id_birth_date(id_number), int(id_number[14:17]))
        if card_no:
            assert card_no == make_card_no(CARD_PREFIX, int(card_no[4:15]))


def test_card_earnings_only_for_card_holders_after_approval(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT m.card_no, m.card_approved_on, l.earned_on FROM lot l JOIN member m ON m.id = l.member_id "
        "WHERE l.rule IN ('card_spend', 'card_first_transaction', 'card_spend_target')"
    ).fetchall()
    assert rows
    for card_no, approved_on, earned_on in rows:
        assert card_no is not None and approved_on is not None and earned_on >= approved_on


def test_every_member_above_standard_was_upgraded_by_a_tier_entry_on_their_upgrade_day(db: sqlite3.Connection) -> None:
    rank = {tier.value: index for index, tier in enumerate((Tier.STANDARD, Tier.SILVER, Tier.GOLD, Tier.PLATINUM))}
    moves: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for member_id, on, details, rule, points in db.execute(
        "SELECT member_id, occurred_on, details, rule, points FROM ledger_entry WHERE kind = 'tier' ORDER BY member_id, id"
    ):
        moved = json.loads(details)
        assert rule == "points_reached" and points == 0 and rank[moved["to_tier"]] > rank[moved["from_tier"]]
        moves[member_id].append((on, moved["from_tier"], moved["to_tier"]))
    for member_id, tier, upgraded_on in db.execute("SELECT id, tier, last_upgrade_on FROM member"):
        if tier == "standard":
            assert member_id not in moves
            continue
        steps = moves[member_id]
        assert steps[0][1] == "standard" and steps[-1][2] == tier and steps[-1][0] == upgraded_on
        assert all(before[2] == after[1] for before, after in pairwise(steps))
