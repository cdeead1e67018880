"""Demo and benchmark data: a local store filled with realistic, deterministic data.

``generate(data_dir, members=2000, seed=7, today=...)`` deletes the local store in
``data_dir`` (if any) and rebuilds it: the same ``seed`` and ``today`` give the same
rows (only the Argon2 salt of the demo password hash differs from run to run).

What it holds
-------------
* 5 branches: ``HQ01`` 总行营业部 (head office, Beijing), ``BJ01`` 北京分行,
  ``SH01`` 上海分行, ``SZ01`` 深圳分行, ``HZ01`` 杭州分行 (ids 1-5 in that order), in three
  regions: ``north`` (HQ01, BJ01), ``east`` (SH01, HZ01), ``south`` (SZ01).
* Staff (``DEMO_PASSWORD`` = ``demo1234`` for every account, hashed once):
  ``officer.<b>1``/``officer.<b>2`` and ``supervisor.<b>1``/``supervisor.<b>2`` for
  every branch ``<b>`` in hq, bj, sh, sz, hz, plus ``admin`` and ``auditor`` at head office.
* Members ``M1000000016`` ... (serial 100000000 + id): common Chinese names (weighted
  surnames; every 500th member from id 7 on is exactly 张伟) with ``name_pinyin`` and the
  ``member_name_key`` rows lookup searches (every suffix of the name and the pinyin key,
  as ``domain.names.name_search_keys`` + ``to_pinyin_key``), ~3 % business members
  (company names, unified social credit codes), valid resident IDs (born 1950-2004),
  unique mobiles, 16-digit ``6222`` cards for ~85 %, addresses in the branch's city,
  ~1 % frozen and ~0.5 % closed.
* 27 months of earning history (24 live months plus 3 already expired): card spend
  (tier multiplier; x2 in the Spring Festival campaign window), financing (high-margin
  products x1.5), on-time repayments, profile / branch event / survey, and the card
  journey bonuses. Every earning is a ledger entry (kind ``earn``) and a lot expiring per
  ``lot_expiry_date``; lots whose expiry date has passed were consumed by one expiry
  entry (kind ``expire``) per member and run date, with ``lot_movement`` rows. The lots
  earned 24 months before ``today`` expire at the end of this month.
  Demo history is imported history: ``operation_id`` is NULL, ``entry_uid`` is
  ``demo:<member_no>:<nn>``. Ids are ``member_id * 64 + n`` (entries, lots share the id of
  their entry, movements), so they do not depend on how the work was split up.
* Tier = the tier whose threshold the qualifying points of the last 12 months reach;
  ``last_upgrade_on`` = the day that threshold was crossed in that window. Card spend and
  financing were multiplied with the multiplier of the member's spending profile (the
  tier they were generated to reach), an approximation of "the tier at the time".
* Default rule settings, two campaigns (last Spring Festival double points on card spend,
  a current financing campaign), audit events for everything above (valid hash chain).

The bulk load uses the raw ``sqlite3`` module: non-unique indexes are dropped and
re-created afterwards, journal and sync are off while loading, and for large runs two
worker processes build chunks of members in in-memory SQLite databases that the main
process copies in with ``INSERT ... SELECT`` (chunks are seeded by their first member id,
so serial and parallel runs give the same rows).
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from loyalty_desk.domain.dates import add_months
from loyalty_desk.domain.identity import (
    RESIDENT_ID_CHECK_CHARS,
    RESIDENT_ID_WEIGHTS,
    make_resident_id,
    make_uscc,
)
from loyalty_desk.domain.lots import lot_expiry_date
from loyalty_desk.domain.names import SURNAME_READINGS, to_pinyin_key
from loyalty_desk.domain.referrals import make_referral_code
from loyalty_desk.domain.rules import DEFAULT_RULES, Tier

Progress = Callable[[int, int, str], None]

DEMO_PASSWORD = "demo1234"
MEMBER_SERIAL_BASE = 100_000_000
ID_STRIDE = 64  # entry / lot / movement ids: member_id * ID_STRIDE + n
HISTORY_MONTHS = 27  # 24 live months + 3 months whose lots have expired already
CARD_PREFIX = "6222"
PARALLEL_THRESHOLD = 40_000  # below this many members everything runs in this process
CHUNK_MEMBERS = 25_000
_day_of = itemgetter(0)
INDEXES_KEPT_DURING_LOAD = frozenset({
    "ix_ledger_entry_member_id_id", "ix_ledger_entry_member_id_occurred_on", "ix_ledger_entry_operation_id",
    "ix_ledger_entry_reference", "ix_lot_member_id_expires_on", "ix_lot_movement_entry_id", "ix_lot_movement_lot_id",
})


@dataclass(frozen=True)
class DemoSummary:
    members: int
    entries: int
    lots: int
    seconds: float
    accounts: list[tuple[str, str, str, str]]  # (username, role, branch_code, password)


# --------------------------------------------------------------------- reference data

# (code, name_zh, name_en, is_head_office, username key, city, weight of members)
BRANCHES: tuple[tuple[str, str, str, bool, str, str, int], ...] = (
    ("HQ01", "总行营业部", "Head Office Business Department", True, "hq", "北京市", 10),
    ("BJ01", "北京分行", "Beijing Branch", False, "bj", "北京市", 22),
    ("SH01", "上海分行", "Shanghai Branch", False, "sh", "上海市", 26),
    ("SZ01", "深圳分行", "Shenzhen Branch", False, "sz", "深圳市", 22),
    ("HZ01", "杭州分行", "Hangzhou Branch", False, "hz", "杭州市", 20),
)
# A desk holds the members of its branch's region (docs/sync.md, "What a desk may read").
REGIONS = {"HQ01": "north", "BJ01": "north", "SH01": "east", "HZ01": "east", "SZ01": "south"}

# city -> (region code, district) ; resident IDs use these and a few birthplaces elsewhere
CITY_REGIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "北京市": (("110101", "东城区"), ("110102", "西城区"), ("110105", "朝阳区"), ("110106", "丰台区"), ("110108", "海淀区")),
    "上海市": (("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310112", "闵行区"), ("310115", "浦东新区")),
    "深圳市": (("440303", "罗湖区"), ("440304", "福田区"), ("440305", "南山区"), ("440306", "宝安区"), ("440307", "龙岗区")),
    "杭州市": (("330102", "上城区"), ("330105", "拱墅区"), ("330106", "西湖区"), ("330108", "滨江区"), ("330110", "余杭区")),
}
OTHER_BIRTH_REGIONS = ("320102", "420106", "510104", "370102", "410105", "430102", "350203", "210102", "610113", "500103")
STREETS = ("建国路", "人民路", "中山路", "解放路", "和平路", "文化路", "新华路", "光明路", "花园路", "学院路", "科技路", "滨江大道")

# weights in tenths of a percent of the population (approximate national shares)
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 71), ("李", 70), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 21),
    ("吴", 20), ("周", 19), ("徐", 15), ("孙", 14), ("马", 13), ("朱", 13), ("胡", 12), ("郭", 11),
    ("何", 11), ("高", 10), ("林", 10), ("罗", 9), ("郑", 9), ("梁", 9), ("谢", 8), ("宋", 7),
    ("唐", 7), ("许", 7), ("韩", 6), ("冯", 6), ("邓", 6), ("曹", 6), ("彭", 5), ("曾", 5),
    ("肖", 5), ("田", 5), ("董", 5), ("袁", 4), ("潘", 4), ("于", 4), ("蒋", 4), ("蔡", 4),
    ("余", 4), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3),
    ("任", 3), ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 2), ("谭", 2),
    ("陆", 2), ("汪", 2), ("范", 2), ("金", 2), ("石", 2), ("廖", 2), ("贾", 2), ("夏", 2),
    ("韦", 2), ("方", 2), ("白", 2), ("邹", 2), ("孟", 2), ("熊", 2), ("秦", 2), ("邱", 2),
    ("江", 2), ("尹", 2), ("薛", 2), ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2),
    ("欧阳", 1), ("司马", 1),
)
# characters with one common reading (no polyphones such as 长 乐 重 朝 行)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红飞鹏辉斌波宇浩凯健俊帆帅旭宁"
    "林欣佳琳雪梅琴云莉倩婷颖露瑶怡婧晶妍璐晨阳鑫博文武志国建立新海峰亮成东春永金庆德荣"
    "福祥嘉子轩梓涵然雨晓宏伦秋冬月燕凤兰琦岩松航睿泽铭昊天诺安欢"
)
COMPANY_BRANDS = ("星辰", "华信", "恒达", "鼎盛", "瑞丰", "宏远", "金桥", "博源", "中科", "云帆",
                  "天成", "汇通", "安泰", "永信", "新锐", "盛世", "嘉禾", "锦程", "明德", "合力")
COMPANY_INDUSTRIES = ("科技", "贸易", "实业", "投资", "物流", "建设", "食品", "医药", "电子", "文化")
COMPANY_SUFFIX = "有限公司"
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139",
                   "150", "151", "152", "153", "155", "156", "157", "158", "159",
                   "180", "181", "182", "183", "185", "186", "187", "188", "189")

# Spring Festival (春节) dates for the campaign window
SPRING_FESTIVAL = {
    2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1), 2023: date(2023, 1, 22),
    2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
    2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3), 2031: date(2031, 1, 23),
    2032: date(2032, 2, 11), 2033: date(2033, 1, 31), 2034: date(2034, 2, 19), 2035: date(2035, 2, 8),
}

TIER_NAMES = tuple(t.value for t in (Tier.STANDARD, Tier.SILVER, Tier.GOLD, Tier.PLATINUM))
TIER_MULT_PCT = tuple(round(float(r.earn_multiplier) * 100) for r in DEFAULT_RULES.tiers.rules)
TIER_MULT_TEXT = tuple(r.earn_multiplier for r in DEFAULT_RULES.tiers.rules)

# spending profiles: (share %, mean lots, card amount range CNY, financing probability)
PROFILES = (
    (70, 3.2, (30, 2_500), 0.02),
    (18, 5.0, (2_000, 12_000), 0.06),
    (9, 6.5, (8_000, 40_000), 0.25),
    (3, 7.5, (20_000, 90_000), 0.70),
)

# rule names (ledger_entry.rule / lot.rule)
R_CARD, R_FIN, R_FIN_HM, R_REPAY = "card_spend", "financing", "financing_high_margin", "repayment"
R_PROFILE, R_EVENT, R_SURVEY = "profile_completed", "branch_event", "survey"
R_FIRST, R_TARGET, R_EXPIRY = "card_first_transaction", "card_spend_target", "expiry"
ALL_RULES = (R_CARD, R_FIN, R_FIN_HM, R_REPAY, R_PROFILE, R_EVENT, R_SURVEY, R_FIRST, R_TARGET)

MEMBER_COLUMNS = (
    "id", "member_no", "kind", "name", "name_pinyin", "id_type", "id_number", "mobile", "mobile_last4",
    "card_no", "address", "branch_id", "status", "tier", "last_upgrade_on", "joined_on", "card_approved_on",
    "profile_bonus_given", "referral_code", "posted_balance", "held_points", "created_at",
)
ENTRY_COLUMNS = (
    "id", "entry_uid", "member_id", "kind", "rule", "points", "balance_after", "occurred_on",
    "posted_at", "branch_id", "campaign_code", "details",
)
LOT_COLUMNS = ("id", "member_id", "entry_id", "rule", "earned_on", "expires_on", "original", "remaining", "qualifying")
MOVEMENT_COLUMNS = ("id", "entry_id", "lot_id", "points")
NAME_KEY_COLUMNS = ("key", "member_id")
BULK_TABLES = {
    "member": MEMBER_COLUMNS,
    "member_name_key": NAME_KEY_COLUMNS,
    "ledger_entry": ENTRY_COLUMNS,
    "lot": LOT_COLUMNS,
    "lot_movement": MOVEMENT_COLUMNS,
}


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _permutation(modulus: int, seed_text: str) -> tuple[int, int]:
    """(multiplier, offset) of the bijection ``x -> (x * multiplier + offset) % modulus``."""
    rng = random.Random(seed_text)
    while True:
        multiplier = rng.randrange(modulus // 3, modulus - 1)
        if math.gcd(multiplier, modulus) == 1:
            return multiplier, rng.randrange(modulus)


class _Tables:
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
    return sum((ord(ch) - 48) * w for ch, w in zip(text, weights))


def campaign_windows(today: date) -> list[dict[str, Any]]:
    """The Spring Festival double points of the last festival at least 15 days ago, and a
    financing campaign running now."""
    festival = max(d for d in SPRING_FESTIVAL.values() if d <= today - timedelta(days=15))
    return [
        {
            "code": f"SF{festival.year}",
            "name_zh": f"{festival.year}春节双倍积分",
            "name_en": f"Spring Festival {festival.year} double points",
            "starts_on": festival - timedelta(days=14),
            "ends_on": festival + timedelta(days=14),
            "sources": ["card_spend"],
            "tiers": list(TIER_NAMES),
            "multiplier": "2",
        },
        {
            "code": f"WEALTH{today.year}{today.month:02d}",
            "name_zh": "财富季融资积分1.5倍",
            "name_en": "Wealth season: financing points x1.5",
            "starts_on": today - timedelta(days=20),
            "ends_on": today + timedelta(days=40),
            "sources": ["financing"],
            "tiers": ["standard", "silver"],
            "multiplier": "1.5",
        },
    ]


# --------------------------------------------------------------------- member chunks


def _generate_chunk(
    t: _Tables, first_id: int, count: int, conn: sqlite3.Connection, name_key_table: str = "main.member_name_key"
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
    lots: list[tuple[Any, ...]] = []
    movements: list[tuple[Any, ...]] = []
    rules_seen: set[str] = set()
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
        earned.sort(key=_day_of)

        k = mv = 0
        balance = 0
        pending: list[list[Any]] = []  # [run_day, [(lot_id, points), ...]]
        qualifying = 0
        window: list[tuple[int, int]] = []
        base_id = member_id * ID_STRIDE
        for d, rule, points, campaign, details in earned:
            while pending and pending[0][0] <= d:
                run_day, taken = pending.pop(0)
                k += 1
                entry_id = base_id + k
                total = 0
                for lot_id, lot_points in taken:
                    total += lot_points
                    mv += 1
                    movements.append((base_id + mv, entry_id, lot_id, -lot_points))
                balance -= total
                entries.append((entry_id, f"demo:{member_no}:{k:02d}", member_id, "expire", R_EXPIRY, -total, balance,
                                days[run_day], expiry_posted[run_day], branch_id, None, None))
            k += 1
            entry_id = base_id + k
            balance += points
            entries.append((entry_id, f"demo:{member_no}:{k:02d}", member_id, "earn", rule, points, balance,
                            days[d], posted[d], branch_id, campaign, details))
            m = month_of_day[d]
            run_day = expiry_run[m]
            if run_day <= T:
                lots.append((entry_id, member_id, entry_id, rule, days[d], expires[m], points, 0, 1))
                if pending and pending[-1][0] == run_day:
                    pending[-1][1].append((entry_id, points))
                else:
                    pending.append([run_day, [(entry_id, points)]])
            else:
                lots.append((entry_id, member_id, entry_id, rule, days[d], expires[m], points, points, 1))
            if d > q_after:
                qualifying += points
                window.append((d, points))
            rules_seen.add(rule)
        for run_day, taken in pending:
            k += 1
            entry_id = base_id + k
            total = 0
            for lot_id, lot_points in taken:
                total += lot_points
                mv += 1
                movements.append((base_id + mv, entry_id, lot_id, -lot_points))
            balance -= total
            entries.append((entry_id, f"demo:{member_no}:{k:02d}", member_id, "expire", R_EXPIRY, -total, balance,
                            days[run_day], expiry_posted[run_day], branch_id, None, None))

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
    return {
        "members": len(members),
        "entries": len(entries),
        "lots": len(lots),
        "rules": sorted(rules_seen),
        "campaign_extra": campaign_extra,
    }


# --------------------------------------------------------------------- worker processes

_worker_tables: _Tables | None = None


def _worker_init(seed: int, today: date) -> None:
    global _worker_tables
    _worker_tables = _Tables(seed, today)


def _worker_chunk(args: tuple[int, int]) -> tuple[bytes, dict[str, Any]]:
    """Builds one chunk in an in-memory SQLite database (plain tables, no indexes) and
    returns it serialized, for the main process to copy in with ``INSERT ... SELECT``."""
    first_id, count = args
    assert _worker_tables is not None
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for table, columns in BULK_TABLES.items():
        conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
    conn.execute("BEGIN")
    stats = _generate_chunk(_worker_tables, first_id, count, conn)
    conn.execute("COMMIT")
    data = conn.serialize()
    conn.close()
    return data, stats


# --------------------------------------------------------------------- reference rows


def _staff_plan() -> list[tuple[str, str, int, str]]:
    """(username, role, branch_id, display name)."""
    rng = random.Random("staff")
    plan: list[tuple[str, str, int, str]] = []
    surnames = [s for s, _ in SURNAMES[:30]]

    def person() -> str:
        return rng.choice(surnames) + rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS)

    for branch_id, branch in enumerate(BRANCHES, start=1):
        key = branch[4]
        if branch[3]:
            plan.append(("admin", "admin", branch_id, person()))
            plan.append(("auditor", "auditor", branch_id, person()))
        for n in (1, 2):
            plan.append((f"supervisor.{key}{n}", "supervisor", branch_id, person()))
        for n in (1, 2):
            plan.append((f"officer.{key}{n}", "officer", branch_id, person()))
    return plan


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(username, role, branch_code, password) of every demo staff account."""
    return [(u, role, BRANCHES[b - 1][0], DEMO_PASSWORD) for u, role, b, _ in _staff_plan()]


def _write_reference(database: Any, today: date, password_hash: str) -> None:
    """Branches, staff and rule settings through the unit of work (ids 1..n, in order)."""
    from loyalty_desk.services.audit import SYSTEM, record
    from loyalty_desk.services.staff_keys import issue_credential
    from loyalty_desk.store.models import Branch, Staff
    from loyalty_desk.store.uow import uow_factory

    now = datetime.combine(today, time(0, 0))
    with uow_factory(database)(write=True) as uow:
        for branch_id, (code, zh, en, hq, _key, _city, _w) in enumerate(BRANCHES, start=1):
            uow.reference.add_branch(Branch(id=branch_id, code=code, name_zh=zh, name_en=en, is_head_office=hq, region=REGIONS[code]))
            record(uow, SYSTEM, "branch.created", entity="branch", entity_id=code,
                   after={"code": code, "name_zh": zh, "name_en": en, "is_head_office": hq, "region": REGIONS[code]}, now=now)
        for staff_id, (username, role, branch_id, display) in enumerate(_staff_plan(), start=1):
            birth = date(1975 + staff_id % 20, 1 + staff_id % 12, 1 + staff_id % 28)
            staff = uow.staff.add(Staff(
                id=staff_id, username=username, display_name=display, role=role, branch_id=branch_id,
                active=True, failed_sign_ins=0, locked_until=None,
                must_change_password=False, id_number=make_resident_id("110105", birth, 900 + staff_id),
                mobile=f"1390000{staff_id:04d}", created_at=now,
            ))
            issue_credential(uow, staff, DEMO_PASSWORD, now, password_hash=password_hash)
            record(uow, SYSTEM, "staff.created", entity="staff", entity_id=username,
                   after={"username": username, "role": role, "branch": BRANCHES[branch_id - 1][0]}, now=now)
        for section, value in DEFAULT_RULES.to_dict().items():
            uow.reference.put_rule_section(section, value, by="system", now=now)
            record(uow, SYSTEM, "settings.changed", entity="rule_setting", entity_id=section, after=value, now=now)
        uow.commit()


def _write_campaigns_and_summary(database: Any, today: date, extra: dict[str, int], summary: dict[str, Any]) -> None:
    from loyalty_desk.demo.catalogue import seed_catalogue
    from loyalty_desk.services.audit import SYSTEM, record
    from loyalty_desk.store.models import Campaign
    from loyalty_desk.store.uow import uow_factory

    now = datetime.combine(today, time(0, 0))
    with uow_factory(database)(write=True) as uow:
        for spec in campaign_windows(today):
            spent = extra.get(spec["code"], 0)
            # budget: a round figure above what the demo history spent (past campaign ~80 % used)
            budget = max(1_000_000, int(math.ceil(spent / 0.8 / 1_000_000)) * 1_000_000)
            campaign = Campaign(
                code=spec["code"], name_zh=spec["name_zh"], name_en=spec["name_en"], starts_on=spec["starts_on"],
                ends_on=spec["ends_on"], sources=spec["sources"], tiers=spec["tiers"], multiplier=spec["multiplier"],
                budget_points=budget, spent_points=spent,
            )
            uow.reference.add_campaign(campaign)
            record(uow, SYSTEM, "campaign.created", entity="campaign", entity_id=spec["code"],
                   after={**spec, "budget_points": budget}, now=now)
        summary["rewards"] = seed_catalogue(uow, today, now=now)
        record(uow, SYSTEM, "demo.generated", entity="store", details=summary, now=now)
        uow.commit()


# --------------------------------------------------------------------- generate


def generate(
    data_dir: Path,
    *,
    members: int = 2000,
    seed: int = 7,
    progress: Progress | None = None,
    today: date | None = None,
) -> DemoSummary:
    """Deletes the local store in ``data_dir`` and builds a demo store (see the module doc)."""
    from loyalty_desk.services.passwords import hash_password
    from loyalty_desk.store.db import LOCAL_STORE_FILENAME, Database

    started = _time.perf_counter()
    today = today or date.today()
    report = progress or (lambda done, total, text: None)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    store = data_dir / LOCAL_STORE_FILENAME
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)

    report(0, members, "schema")
    database = Database.open_local(data_dir)
    _write_reference(database, today, hash_password(DEMO_PASSWORD))
    database.dispose()

    conn = sqlite3.connect(store, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("PRAGMA cache_size=-1000000")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA threads=2")
    conn.execute("PRAGMA foreign_keys=OFF")
    # Indexes whose keys arrive in order (member by member, chronologically) stay: appending
    # to them is cheap. The others are dropped now and rebuilt, sorted once, after the load.
    placeholders = ", ".join("?" * len(BULK_TABLES))
    dropped = [
        (name, sql) for name, sql in conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({placeholders})",
            tuple(BULK_TABLES),
        )
        if name not in INDEXES_KEPT_DURING_LOAD
    ]
    for name, _sql in dropped:
        conn.execute(f'DROP INDEX "{name}"')

    totals = {"members": 0, "entries": 0, "lots": 0}
    rules_seen: set[str] = set()
    extra: dict[str, int] = {}

    def add(stats: dict[str, Any]) -> None:
        for key in totals:
            totals[key] += stats[key]
        rules_seen.update(stats["rules"])
        for code, points in stats["campaign_extra"].items():
            extra[code] = extra.get(code, 0) + points
        report(totals["members"], members, "members")

    chunks = [(first, min(CHUNK_MEMBERS, members - first + 1)) for first in range(1, members + 1, CHUNK_MEMBERS)]
    if members < PARALLEL_THRESHOLD or (os.cpu_count() or 1) < 2:
        tables = _Tables(seed, today)
        for first, count in chunks:
            conn.execute("BEGIN")
            add(_generate_chunk(tables, first, count, conn))
            conn.execute("COMMIT")
    else:
        _load_parallel(conn, chunks, seed, today, add)

    report(members, members, "indexes")
    for _name, sql in dropped:
        conn.execute(sql)
    conn.execute("PRAGMA analysis_limit=1000")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA locking_mode=NORMAL")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()

    database = Database.open_local(data_dir)  # the normal way in; also checks the revision
    summary_details = {"members": members, "seed": seed, "today": today.isoformat(), **totals,
                       "rules": sorted(rules_seen)}
    _write_campaigns_and_summary(database, today, extra, summary_details)
    database.dispose()
    seconds = _time.perf_counter() - started
    report(members, members, "done")
    return DemoSummary(
        members=totals["members"], entries=totals["entries"], lots=totals["lots"], seconds=seconds,
        accounts=demo_accounts(),
    )


def _load_parallel(
    conn: sqlite3.Connection, chunks: list[tuple[int, int]], seed: int, today: date,
    add: Callable[[dict[str, Any]], None],
) -> None:
    """Two worker processes generate chunks while this one copies finished chunks in."""
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(2, initializer=_worker_init, initargs=(seed, today)) as pool:
        for data, stats in pool.imap(_worker_chunk, chunks):
            conn.execute("ATTACH DATABASE ':memory:' AS chunk")
            conn.deserialize(data, name="chunk")
            conn.execute("BEGIN")
            for table, columns in BULK_TABLES.items():
                names = ", ".join(columns)
                conn.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM chunk.{table}")
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE chunk")
            add(stats)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Build a demo / benchmark local store.")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)

    def show(done: int, total: int, text: str) -> None:
        print(f"\r{text:10s} {done:>10,d} / {total:,d}", end="", flush=True)

    summary = generate(args.data_dir, members=args.members, seed=args.seed, progress=show, today=args.today)
    print(f"\n{summary.members:,d} members, {summary.entries:,d} entries, {summary.lots:,d} lots in {summary.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def build_demo_store(
    data_dir: Path, *, members: int = 2000, seed: int = 7, progress: Progress | None = None, today: date | None = None
) -> DemoSummary:
    """The demo store a person looks at (``loyalty-desk demo``, first run, screenshots): the generated
    members and history, plus a few referral chains registered and advanced through the real services."""
    from loyalty_desk.referral_demo import seed_demo_referrals

    summary = generate(data_dir, members=members, seed=seed, progress=progress, today=today)
    seed_demo_referrals(Path(data_dir), today or date.today())
    return summary
