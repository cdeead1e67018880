"""Members and their earning and redemption history, built in chunks (in this process or in worker processes) as plain SQLite rows."""

from __future__ import annotations

import json
import math
import random
import sqlite3
import uuid
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from loyalty_desk.demo.catalogue import DEMO_CATALOGUE
from loyalty_desk.demo.reference_data import (
    BRANCHES,
    CARD_PREFIX,
    CITY_REGIONS,
    COMPANY_BRANDS,
    COMPANY_INDUSTRIES,
    COMPANY_SUFFIX,
    GIVEN_CHARS,
    HISTORY_MONTHS,
    ID_STRIDE,
    MEMBER_SERIAL_BASE,
    MOBILE_PREFIXES,
    OTHER_BIRTH_REGIONS,
    PROFILES,
    R_CARD,
    R_EVENT,
    R_EXPIRY,
    R_FIN,
    R_FIN_HM,
    R_FIRST,
    R_PROFILE,
    R_REPAY,
    R_SURVEY,
    R_TARGET,
    STREETS,
    SURNAMES,
    TIER_MULT_PCT,
    TIER_MULT_TEXT,
    TIER_NAMES,
    campaign_windows,
)
from loyalty_desk.demo.staff import staff_plan
from loyalty_desk.domain.dates import add_months
from loyalty_desk.domain.identity import (
    RESIDENT_ID_CHECK_CHARS,
    RESIDENT_ID_WEIGHTS,
    make_uscc,
)
from loyalty_desk.domain.lots import lot_expiry_date
from loyalty_desk.domain.names import SURNAME_READINGS, to_pinyin_key
from loyalty_desk.domain.redemption import redemption_number
from loyalty_desk.domain.referrals import make_referral_code
from loyalty_desk.domain.rules import DEFAULT_RULES
from loyalty_desk.services.operations import payload_digest
from loyalty_desk.services.tier_changes import TierChangeReason, tier_entry_uid

_day_of = itemgetter(0)


MEMBER_COLUMNS = (
    "id", "member_no", "kind", "name", "name_pinyin", "id_type", "id_number", "mobile", "mobile_last4",
    "card_no", "address", "branch_id", "status", "tier", "last_upgrade_on", "joined_on", "card_approved_on",
    "profile_bonus_given", "referral_code", "posted_balance", "held_points", "created_at",
)


ENTRY_COLUMNS = (
    "id", "entry_uid", "member_id", "kind", "rule", "points", "balance_after", "occurred_on",
    "posted_at", "branch_id", "campaign_code", "details", "operation_id", "staff_id", "reference",
)


LOT_COLUMNS = ("id", "member_id", "entry_id", "rule", "earned_on", "expires_on", "original", "remaining", "qualifying")


MOVEMENT_COLUMNS = ("id", "entry_id", "lot_id", "points")


NAME_KEY_COLUMNS = ("key", "member_id")


OPERATION_COLUMNS = ("id", "kind", "member_id", "payload", "payload_digest", "status", "origin", "staff_id", "created_at", "result", "offline")


REDEMPTION_COLUMNS = ("id", "number", "operation_id", "member_id", "reward_id", "qty", "points", "entry_id", "branch_id", "staff_id", "redeemed_at")


BULK_TABLES = {
    "member": MEMBER_COLUMNS,
    "member_name_key": NAME_KEY_COLUMNS,
    "ledger_entry": ENTRY_COLUMNS,
    "lot": LOT_COLUMNS,
    "lot_movement": MOVEMENT_COLUMNS,
    "operation": OPERATION_COLUMNS,
    "redemption": REDEMPTION_COLUMNS,
}

# Redemptions at the desk: the share of members (by spending profile) who redeemed at all, and at most
# how many times each. Only rewards without stock (vouchers, cash rebates, service privileges) and not
# seasonal: a past redemption of a physical gift would owe the branch's stock a movement before it was received.
REDEEMING_SHARE_PCT = (30, 45, 60, 70)
MOST_REDEMPTIONS = 4
REDEMPTION_ORIGIN = "demo"
TIER_EVENT = "~tier"  # in a member's events: an upgrade (its points: the tier's rank)
EVENT_ORDER = {TIER_EVENT: 1, "": 2}  # a day's earnings, then the upgrade they made, then redemptions


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _permutation(modulus: int, seed_text: str) -> tuple[int, int]:
    """(multiplier, offset) of the bijection ``x -> (x * multiplier + offset) % modulus``."""
    rng = random.Random(seed_text)
    while True:
        multiplier = rng.randrange(modulus // 3, modulus - 1)
        if math.gcd(multiplier, modulus) == 1:
            return multiplier, rng.randrange(modulus)


class ChunkTables:
    """Everything precomputed once per process for a (seed, today)."""

    def __init__(self, seed: int, today: date) -> None:
        self.seed = seed
        self.today = today
        base = add_months(today.replace(day=1), -HISTORY_MONTHS)
        self.base = base
        self.today_idx = (today - base).days
        self.days = [(base + timedelta(days=i)).isoformat() for i in range(self.today_idx + 1)]
        self.posted = [d + " 02:15:00.000000" for d in self.days]
        self.expiry_posted = [d + " 01:00:00.000000" for d in self.days]
        month_of_day: list[int] = []
        self.expires: list[str] = []
        self.expiry_run: list[int] = []  # day index of the expiry run that takes the month's lots
        for m in range(HISTORY_MONTHS + 1):
            start = add_months(base, m)
            end = add_months(base, m + 1)
            month_of_day.extend([m] * (end - start).days)
            expires_on = lot_expiry_date(start, DEFAULT_RULES.expiry.lot_lifetime_months)
            self.expires.append(expires_on.isoformat())
            self.expiry_run.append((expires_on + timedelta(days=1) - base).days)
        self.month_of_day = month_of_day[: self.today_idx + 1]
        window_start = add_months(today, -DEFAULT_RULES.tiers.qualifying_window_months)
        self.qualifying_after = (window_start - base).days  # qualifying: day index > this
        self.thresholds = tuple(r.qualifying_points for r in DEFAULT_RULES.tiers.rules)

        # campaigns
        self.campaigns = campaign_windows(today)
        sf = self.campaigns[0]
        self.sf_code, self.sf_lo, self.sf_hi = sf["code"], (sf["starts_on"] - base).days, (sf["ends_on"] - base).days
        wealth = self.campaigns[1]
        self.w_code, self.w_lo, self.w_hi = wealth["code"], (wealth["starts_on"] - base).days, (wealth["ends_on"] - base).days

        # names and their pinyin keys (verified against domain.names by the tests)
        surnames: list[tuple[str, str]] = []
        for surname, weight in SURNAMES:
            reading = SURNAME_READINGS.get(surname)
            key = "".join(reading) if reading else to_pinyin_key(surname)
            surnames.extend([(surname, key)] * weight)
        self.surnames = surnames
        self.given = [(ch, to_pinyin_key(ch)) for ch in GIVEN_CHARS]
        self.brands = [(b, to_pinyin_key(b)) for b in COMPANY_BRANDS]
        self.industries = [(b, to_pinyin_key(b)) for b in COMPANY_INDUSTRIES]
        self.company_suffix_key = to_pinyin_key(COMPANY_SUFFIX)
        self.city_keys = {city: to_pinyin_key(city[:2]) for city in CITY_REGIONS}

        # branches weighted, with their city districts
        self.branch_pick: list[int] = []
        for branch_id, branch in enumerate(BRANCHES, start=1):
            self.branch_pick.extend([branch_id] * branch[6])
        self.branch_city = {i: BRANCHES[i - 1][5] for i in range(1, len(BRANCHES) + 1)}
        self.birth_regions = [code for regions in CITY_REGIONS.values() for code, _ in regions] + list(OTHER_BIRTH_REGIONS)

        # bijections that make mobiles, IDs and company codes unique per member id
        self.birth_first = date(1950, 1, 1)
        self.birth_days = (date(2004, 12, 31) - self.birth_first).days + 1
        self.id_space = self.birth_days * 900  # sequence 000-899 for members, 900-999 for staff
        self.id_perm = _permutation(self.id_space, f"{seed}:id")
        self.mobile_space = len(MOBILE_PREFIXES) * 10**8
        self.mobile_perm = _permutation(self.mobile_space, f"{seed}:mobile")
        self.org_perm = _permutation(10**8, f"{seed}:org")
        self.birth_dates = [self.birth_first + timedelta(days=i) for i in range(self.birth_days)]
        # Fast check digits (equal to identity.make_* , which the tests check): partial sums
        # per 3-digit block for Luhn, per region / birth date / sequence for GB 11643.
        self.luhn_doubled = [_luhn_block(v, True) for v in range(1000)]
        self.luhn_plain = [_luhn_block(v, False) for v in range(1000)]
        self.birth_texts = [d.strftime("%Y%m%d") for d in self.birth_dates]
        self.birth_sums = [_weighted(text, RESIDENT_ID_WEIGHTS[6:14]) for text in self.birth_texts]
        self.seq_sums = [_weighted(f"{q:03d}", RESIDENT_ID_WEIGHTS[14:17]) for q in range(1000)]
        self.region_sums = {code: _weighted(code, RESIDENT_ID_WEIGHTS[:6]) for code in self.birth_regions}
        self.joined_first = today - timedelta(days=365 * 9)

        # amount tables per profile (log-uniform in the range)
        rng = random.Random(f"{seed}:amounts")
        self.amounts: list[list[int]] = []
        for _share, _lots, (lo, hi), _fin in PROFILES:
            self.amounts.append([int(math.exp(rng.uniform(math.log(lo), math.log(hi)))) for _ in range(4096)])
        self.profile_pick: list[int] = []
        for index, profile in enumerate(PROFILES):
            self.profile_pick.extend([index] * profile[0])

        # the rewards a member may have redeemed (reward ids: the catalogue's order, generator.py checks them)
        # as (reward id, code, points, lowest tier rank, yearly limit), and each branch's officers
        self.rewards = [
            (reward_id, seed.code, seed.points_cost, TIER_NAMES.index(seed.min_tier), seed.yearly_limit)
            for reward_id, seed in enumerate(DEMO_CATALOGUE, start=1) if seed.stock is None and seed.months_active is None
        ]
        self.officers: dict[int, list[int]] = {}
        for staff_id, (_username, role, branch_id, _name) in enumerate(staff_plan(), start=1):
            if role == "officer":
                self.officers.setdefault(branch_id, []).append(staff_id)


def _luhn_block(value: int, last_doubled: bool) -> int:
    """Luhn contribution of a 3-digit block whose last digit is (or is not) doubled."""
    total = 0
    double = last_doubled
    for ch in reversed(f"{value:03d}"):
        d = ord(ch) - 48
        total += (d * 2 - 9 if d > 4 else d * 2) if double else d
        double = not double
    return total


def _weighted(text: str, weights: tuple[int, ...]) -> int:
    return sum((ord(ch) - 48) * w for ch, w in zip(text, weights, strict=False))


def generate_chunk(
    t: ChunkTables, first_id: int, count: int, conn: sqlite3.Connection, name_key_table: str = "main.member_name_key"
) -> dict[str, Any]:
    """Generates members ``first_id .. first_id+count-1`` with their history and inserts them."""
    rng = random.Random(f"{t.seed}:chunk:{first_id}")
    rnd = rng.random
    days, posted, expiry_posted = t.days, t.posted, t.expiry_posted
    month_of_day, expires, expiry_run = t.month_of_day, t.expires, t.expiry_run
    T = t.today_idx
    q_after = t.qualifying_after
    thresholds = t.thresholds
    surnames, n_surnames = t.surnames, len(t.surnames)
    given, n_given = t.given, len(t.given)
    branch_pick, n_branch_pick = t.branch_pick, len(t.branch_pick)
    profile_pick = t.profile_pick
    birth_regions, n_birth_regions = t.birth_regions, len(t.birth_regions)
    id_mul, id_off = t.id_perm
    id_space = t.id_space
    mob_mul, mob_off = t.mobile_perm
    mob_space = t.mobile_space
    org_mul, org_off = t.org_perm
    sf_code, sf_lo, sf_hi = t.sf_code, t.sf_lo, t.sf_hi
    w_code, w_lo, w_hi = t.w_code, t.w_lo, t.w_hi
    joined_first = t.joined_first
    joined_span = (t.today - timedelta(days=30) - joined_first).days
    base = t.base
    ld, lp = t.luhn_doubled, t.luhn_plain
    birth_texts, birth_sums, seq_sums, region_sums = t.birth_texts, t.birth_sums, t.seq_sums, t.region_sums
    card_body_base = int(CARD_PREFIX) * 10**11

    members: list[tuple[Any, ...]] = []
    name_keys: list[tuple[str, int]] = []
    entries: list[tuple[Any, ...]] = []
    lots: list[list[Any]] = []  # lists: a lot's remaining points are set once the member's history is done
    movements: list[tuple[Any, ...]] = []
    operations: list[tuple[Any, ...]] = []
    redemptions: list[tuple[Any, ...]] = []
    rules_seen: set[str] = set()
    rewards = t.rewards
    campaign_extra = {sf_code: 0, w_code: 0}

    for member_id in range(first_id, first_id + count):
        serial = MEMBER_SERIAL_BASE + member_id  # == make_member_no(serial), inlined
        b12, b3 = divmod(serial, 1000)
        b1, b2 = divmod(b12, 1000)
        member_no = f"M{serial:09d}{(10 - (ld[b3] + lp[b2] + ld[b1]) % 10) % 10}"
        branch_id = branch_pick[int(rnd() * n_branch_pick)]
        city = t.branch_city[branch_id]
        regions = CITY_REGIONS[city]
        region_code, district = regions[int(rnd() * len(regions))]
        business = rnd() < 0.03
        if business:
            brand, brand_key = t.brands[int(rnd() * len(t.brands))]
            industry, industry_key = t.industries[int(rnd() * len(t.industries))]
            name = f"{city[:2]}{brand}{industry}{COMPANY_SUFFIX}"
            pinyin = t.city_keys[city] + brand_key + industry_key + t.company_suffix_key
            org = (member_id * org_mul + org_off) % 10**8
            id_number = make_uscc(f"91{region_code}{org:08d}{member_id % 10}")
            id_type, kind = "uscc", "business"
        else:
            if member_id % 500 == 7:
                name, pinyin = "张伟", "zhangwei"
            else:
                surname, s_key = surnames[int(rnd() * n_surnames)]
                g1, k1 = given[int(rnd() * n_given)]
                if rnd() < 0.3:
                    name, pinyin = surname + g1, s_key + k1
                else:
                    g2, k2 = given[int(rnd() * n_given)]
                    name, pinyin = surname + g1 + g2, s_key + k1 + k2
            p = (member_id * id_mul + id_off) % id_space
            birth_region = region_code if rnd() < 0.6 else birth_regions[int(rnd() * n_birth_regions)]
            day, seq = divmod(p, 900)  # == make_resident_id(birth_region, birth_dates[day], seq), inlined
            id_number = (f"{birth_region}{birth_texts[day]}{seq:03d}"
                         f"{RESIDENT_ID_CHECK_CHARS[(region_sums[birth_region] + birth_sums[day] + seq_sums[seq]) % 11]}")
            id_type, kind = "resident_id", "person"
        mp = (member_id * mob_mul + mob_off) % mob_space
        tail = mp % 10**8
        mobile = f"{MOBILE_PREFIXES[mp // 10**8]}{tail:08d}"
        has_card = not business and rnd() < 0.87
        if has_card:  # == make_card_no(CARD_PREFIX, card_serial), inlined
            card_body = card_body_base + 10_000_000_000 + member_id * 37 + int(rnd() * 37)
            rest, c5 = divmod(card_body, 1000)
            rest, c4 = divmod(rest, 1000)
            rest, c3 = divmod(rest, 1000)
            c1, c2 = divmod(rest, 1000)
            card_no = f"{card_body}{(10 - (ld[c5] + lp[c4] + ld[c3] + lp[c2] + ld[c1]) % 10) % 10}"
        else:
            card_no = None
        address = (
            f"{city}{district}{STREETS[int(rnd() * len(STREETS))]}{1 + int(rnd() * 300)}号"
            f"{1 + int(rnd() * 20)}栋{1 + int(rnd() * 4)}单元{1 + int(rnd() * 30)}{1 + int(rnd() * 4):02d}室"
        )
        status = "frozen" if member_id % 100 == 50 else ("closed" if member_id % 200 == 77 else "active")
        joined = joined_first + timedelta(days=int(rnd() * joined_span))
        joined_idx = (joined - base).days
        start_idx = joined_idx if joined_idx > 0 else 0
        span = T - start_idx + 1

        profile = profile_pick[int(rnd() * 100)]
        if business and profile == 0:
            profile = 1
        _share, mean_lots, _range, fin_prob = PROFILES[profile]
        mult_pct = TIER_MULT_PCT[profile]
        mult_text = TIER_MULT_TEXT[profile]
        amounts = t.amounts[profile]
        financing_client = business or rnd() < fin_prob

        approved = joined_idx + int(rnd() * 400) if has_card else T + 1  # card approval day
        if approved > T and has_card:
            approved = T
        card_from = approved if approved > start_idx else start_idx  # card spend only once approved

        # the member's earnings: (day, rule, points, campaign, details)
        earned: list[tuple[int, str, int, str | None, str | None]] = []
        n_lots = int(rnd() * (2 * mean_lots + 1)) if rnd() > 0.06 else 0
        surveys = 0
        profile_done = False
        for _ in range(n_lots):
            d = start_idx + int(rnd() * span)
            r = rnd()
            if not has_card and not financing_client:
                r = 0.72 + r * 0.28  # no card: behaviour and repayments only
            if business or (financing_client and r < 0.35):
                if rnd() < 0.3:
                    amount = (100 + int(rnd() * 30) * (100 if profile >= 2 else 20)) * 1000
                    hm = rnd() < 0.3
                    if w_lo <= d <= w_hi and profile <= 1:
                        points = amount * (150 if hm else 100) * 150 // 1_000_000
                        extra = points - amount * (150 if hm else 100) * mult_pct // 1_000_000
                        campaign_extra[w_code] += extra
                        earned.append((d, R_FIN_HM if hm else R_FIN, points, w_code,
                                       f'{{"amount":"{amount}.00","multiplier":"1.5"}}'))
                    else:
                        points = amount * (150 if hm else 100) * mult_pct // 1_000_000
                        earned.append((d, R_FIN_HM if hm else R_FIN, points, None,
                                       f'{{"amount":"{amount}.00","multiplier":"{mult_text}"}}'))
                else:
                    earned.append((d, R_REPAY, 200, None, None))
            elif r < 0.72 and has_card:
                d = card_from + int(rnd() * (T - card_from + 1))
                amount = amounts[int(rnd() * 4096)]
                if sf_lo <= d <= sf_hi:
                    points = amount * 2
                    campaign_extra[sf_code] += points - amount * mult_pct // 100
                    earned.append((d, R_CARD, points, sf_code, f'{{"amount":"{amount}.00","multiplier":"2"}}'))
                else:
                    earned.append((d, R_CARD, amount * mult_pct // 100, None,
                                   f'{{"amount":"{amount}.00","multiplier":"{mult_text}"}}'))
            elif r < 0.80:
                earned.append((d, R_EVENT, 1000, None, None))
            elif r < 0.93 and surveys < 3:
                surveys += 1
                earned.append((d, R_SURVEY, 200, None, None))
            elif not profile_done:
                profile_done = True
                earned.append((d, R_PROFILE, 500, None, None))
            else:
                earned.append((d, R_REPAY, 200, None, None))

        card_approved = None
        if has_card:
            card_approved = (base + timedelta(days=approved)).isoformat()
            if approved >= 0:
                a = approved
                first = a + 1 + int(rnd() * 10)
                if first <= T:
                    earned.append((first, R_FIRST, 1000, None, None))
                    if rnd() < 0.5:
                        reach = a + 5 + int(rnd() * 60)
                        if reach <= T:
                            earned.append((reach, R_TARGET, 3000, None, None))
        if earned and rnd() * 100 < REDEEMING_SHARE_PCT[profile]:
            wanted = 1 + int(rnd() * MOST_REDEMPTIONS)
            redeem_days = {start_idx + 30 + int(rnd() * (span - 30)) for _ in range(wanted)} if span > 30 else set()
            earned.extend((d, "", 0, None, None) for d in redeem_days)  # no rule: a redemption, after the day's earnings
        # upgrades as the qualifying points of the last 12 months reach each tier (the tier entry the earning service posts)
        running = reached = 0
        for d, rule, points, _campaign, _details in sorted(earned, key=_day_of):
            if not rule or d <= q_after:
                continue
            running += points
            above = max((rank for rank in (1, 2, 3) if running >= thresholds[rank]), default=0)
            if above > reached:
                earned.append((d, TIER_EVENT, above, None, f'{{"from_tier":"{TIER_NAMES[reached]}","to_tier":"{TIER_NAMES[above]}",'
                                                         f'"qualifying_points":{running}}}'))
                reached = above
        earned.sort(key=lambda event: (event[0], EVENT_ORDER.get(event[1], 0)))

        k = mv = 0
        balance = 0
        pending: list[list[Any]] = []  # [run_day, [lot_id, ...]]
        open_lots: list[list[Any]] = []  # [lot_id, remaining, its row in lots], earliest expiry first
        remaining_of: dict[int, list[Any]] = {}
        redeemed_in_year: dict[tuple[int, int], int] = {}
        branch_code = BRANCHES[branch_id - 1][0]
        officers = t.officers[branch_id]
        qualifying = 0
        window: list[tuple[int, int]] = []
        base_id = member_id * ID_STRIDE
        # Every earning falls on or before today; the closing entry (day T + 1, no rule) expires the runs still pending.
        for d, rule, points, campaign, details in (*earned, (T + 1, "", 0, None, None)):
            while pending and pending[0][0] <= d:
                run_day, taken = pending.pop(0)
                total = sum(remaining_of[lot_id][1] for lot_id in taken)
                if total == 0:
                    continue  # redeemed to the last point: nothing left to expire
                k += 1
                entry_id = base_id + k
                for lot_id in taken:
                    held = remaining_of[lot_id]
                    if held[1]:
                        mv += 1
                        movements.append((base_id + mv, entry_id, lot_id, -held[1]))
                        held[1] = 0
                balance -= total
                entries.append((entry_id, f"demo:{member_no}:{k:02d}", member_id, "expire", R_EXPIRY, -total, balance,
                                days[run_day], expiry_posted[run_day], branch_id, None, None, None, None, None))
            if d > T:
                break
            if rule == TIER_EVENT:
                k += 1
                entries.append((base_id + k, tier_entry_uid(member_no, f"demo:{k:02d}"), member_id, "tier", TierChangeReason.POINTS_REACHED.value, 0,
                                balance, days[d], posted[d], branch_id, None, details, None, None, None))
                continue
            if not rule:  # a redemption at the member's branch, within the limits, from the earliest-expiring lots
                year = int(days[d][:4])
                chosen = [
                    reward for reward in rewards
                    if reward[2] <= balance and reward[3] <= profile
                    and (reward[4] is None or redeemed_in_year.get((reward[0], year), 0) < reward[4])
                ]
                open_lots = [lot for lot in open_lots if lot[1]]
                if not chosen:
                    continue
                reward_id, code, cost, _rank, _limit = chosen[int(rnd() * len(chosen))]
                plan: list[tuple[int, int]] = []
                left = cost
                for lot in open_lots:
                    taken_points = min(left, lot[1])
                    plan.append((lot[0], taken_points))
                    left -= taken_points
                    if not left:
                        break
                if left or k + 2 * len(earned) + 2 >= ID_STRIDE or mv + len(plan) + len(earned) >= ID_STRIDE:
                    continue  # ids: every member's rows fit in ID_STRIDE
                redeemed_in_year[(reward_id, year)] = redeemed_in_year.get((reward_id, year), 0) + 1
                operation_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                number = redemption_number(branch_code, operation_id)
                staff_id = officers[int(rnd() * len(officers))]
                at = f"{days[d]} {9 + int(rnd() * 8):02d}:{int(rnd() * 60):02d}:00.000000"
                k += 1
                entry_id = base_id + k
                for lot_id, taken_points in plan:
                    mv += 1
                    movements.append((base_id + mv, entry_id, lot_id, -taken_points))
                    remaining_of[lot_id][1] -= taken_points
                balance -= cost
                payload = {"member_no": member_no, "reward_code": code, "qty": 1, "points": cost, "branch_code": branch_code}
                entries.append((entry_id, f"redeem:{operation_id}", member_id, "redeem", "redemption", -cost, balance, days[d], at, branch_id,
                                None, json.dumps({"reward_code": code, "qty": 1, "number": number}), operation_id, staff_id, number))
                operations.append((operation_id, "redeem", member_id, json.dumps(payload, ensure_ascii=False), payload_digest("redeem", payload),
                                   "posted", REDEMPTION_ORIGIN, staff_id, at,
                                   json.dumps({"number": number, "reward_code": code, "qty": 1, "points": cost, "balance_after": balance}), 0))
                redemptions.append((entry_id, number, operation_id, member_id, reward_id, 1, cost, entry_id, branch_id, staff_id, at))
                continue
            k += 1
            entry_id = base_id + k
            balance += points
            entries.append((entry_id, f"demo:{member_no}:{k:02d}", member_id, "earn", rule, points, balance,
                            days[d], posted[d], branch_id, campaign, details, None, None, None))
            m = month_of_day[d]
            run_day = expiry_run[m]
            lot = [entry_id, member_id, entry_id, rule, days[d], expires[m], points, points, 1]
            lots.append(lot)
            held = [entry_id, points, lot]
            remaining_of[entry_id] = held
            open_lots.append(held)
            if run_day <= T:
                if pending and pending[-1][0] == run_day:
                    pending[-1][1].append(entry_id)
                else:
                    pending.append([run_day, [entry_id]])
            if d > q_after:
                qualifying += points
                window.append((d, points))
            rules_seen.add(rule)

        for held in remaining_of.values():
            held[2][7] = held[1]  # the lot's remaining points

        tier_rank = 0
        for rank in (3, 2, 1):
            if qualifying >= thresholds[rank]:
                tier_rank = rank
                break
        last_upgrade = None
        if tier_rank:
            running = 0
            for d, points in window:
                running += points
                if running >= thresholds[tier_rank]:
                    last_upgrade = days[d]
                    break
        joined_text = joined.isoformat()
        members.append((
            member_id, member_no, kind, name, pinyin, id_type, id_number, mobile, mobile[-4:], card_no, address,
            branch_id, status, TIER_NAMES[tier_rank], last_upgrade, joined_text, card_approved,
            1 if profile_done else 0, make_referral_code(serial), balance, 0, joined_text + " 10:00:00.000000",
        ))
        for i in range(len(name)):
            name_keys.append((name[i:], member_id))
        name_keys.append((pinyin, member_id))

    conn.executemany(_insert_sql("main.member", MEMBER_COLUMNS), members)
    conn.executemany(_insert_sql(name_key_table, NAME_KEY_COLUMNS), name_keys)
    conn.executemany(_insert_sql("main.ledger_entry", ENTRY_COLUMNS), entries)
    conn.executemany(_insert_sql("main.lot", LOT_COLUMNS), lots)
    conn.executemany(_insert_sql("main.lot_movement", MOVEMENT_COLUMNS), movements)
    conn.executemany(_insert_sql("main.operation", OPERATION_COLUMNS), operations)
    conn.executemany(_insert_sql("main.redemption", REDEMPTION_COLUMNS), redemptions)
    return {
        "members": len(members),
        "entries": len(entries),
        "lots": len(lots),
        "redemptions": len(redemptions),
        "rules": sorted(rules_seen),
        "campaign_extra": campaign_extra,
    }


_worker_tables: ChunkTables | None = None


def worker_init(seed: int, today: date) -> None:
    global _worker_tables
    _worker_tables = ChunkTables(seed, today)


def worker_chunk(args: tuple[int, int]) -> tuple[bytes, dict[str, Any]]:
    """Builds one chunk in an in-memory SQLite database (plain tables, no indexes) and
    returns it serialized, for the main process to copy in with ``INSERT ... SELECT``."""
    first_id, count = args
    assert _worker_tables is not None
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for table, columns in BULK_TABLES.items():
        conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
    conn.execute("BEGIN")
    stats = generate_chunk(_worker_tables, first_id, count, conn)
    conn.execute("COMMIT")
    data = conn.serialize()
    conn.close()
    return data, stats
