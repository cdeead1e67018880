"""The demo's fixed data: branches and regions, names and addresses, spending profiles, rule names and campaign windows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from loyalty_desk.domain.rules import DEFAULT_RULES, Tier

MEMBER_SERIAL_BASE = 100_000_000


ID_STRIDE = 64  # entry / lot / movement ids: member_id * ID_STRIDE + n


HISTORY_MONTHS = 27  # 24 live months + 3 months whose lots have expired already


CARD_PREFIX = "6222"


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
