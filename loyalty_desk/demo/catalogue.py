"""The demo reward catalogue: about 25 rewards in every category, with stock at every branch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from loyalty_desk.store.models import Reward as RewardRow
from loyalty_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class _Seed:
    code: str
    name_zh: str
    name_en: str
    category: str
    points_cost: int
    cash_value: str
    min_tier: str = "standard"
    yearly_limit: int | None = None
    stock: int | None = None  # per branch; None: not tracked
    months_active: int | None = None  # a seasonal reward: offered from a month ago for this many months


DEMO_CATALOGUE: tuple[_Seed, ...] = (
    # physical gifts (stock per branch)
    _Seed("GIFT-TUMBLER", "定制保温杯", "Insulated tumbler", "physical_gift", 4_500, "45.00", stock=40),
    _Seed("GIFT-UMBRELLA", "商务晴雨伞", "Business umbrella", "physical_gift", 3_800, "38.00", stock=30),
    _Seed("GIFT-PILLOW", "记忆棉颈枕", "Memory-foam neck pillow", "physical_gift", 6_800, "68.00", stock=25),
    _Seed("GIFT-RICE", "五常大米5公斤", "Wuchang rice 5 kg", "physical_gift", 9_900, "99.00", stock=20),
    _Seed("GIFT-OIL", "鲁花花生油5升", "Luhua peanut oil 5 L", "physical_gift", 12_800, "128.00", stock=20),
    _Seed("GIFT-TEA", "西湖龙井礼盒", "West Lake Longjing tea gift box", "physical_gift", 26_800, "268.00", "silver", stock=10),
    _Seed("GIFT-LUGGAGE", "20寸登机箱", "20-inch cabin suitcase", "physical_gift", 45_000, "450.00", "gold", stock=6),
    _Seed("GIFT-AIRFRYER", "智能空气炸锅", "Smart air fryer", "physical_gift", 39_900, "399.00", "silver", stock=8),
    _Seed("GIFT-HEADPHONES", "降噪蓝牙耳机", "Noise-cancelling headphones", "physical_gift", 89_000, "890.00", "gold", 1, stock=4),
    _Seed("GIFT-MOONCAKE", "中秋月饼礼盒", "Mid-Autumn mooncake box", "physical_gift", 15_800, "158.00", yearly_limit=2, stock=30, months_active=3),
    # vouchers (unlimited)
    _Seed("VCH-MOBILE50", "话费充值50元", "Mobile top-up 50 CNY", "voucher", 5_000, "50.00"),
    _Seed("VCH-MOBILE100", "话费充值100元", "Mobile top-up 100 CNY", "voucher", 10_000, "100.00"),
    _Seed("VCH-JD100", "京东E卡100元", "JD e-card 100 CNY", "voucher", 10_000, "100.00"),
    _Seed("VCH-JD500", "京东E卡500元", "JD e-card 500 CNY", "voucher", 50_000, "500.00", "silver", 4),
    _Seed("VCH-STARBUCKS", "星巴克中杯饮品券", "Starbucks tall drink voucher", "voucher", 3_300, "33.00", yearly_limit=12),
    _Seed("VCH-DIDI30", "滴滴出行券30元", "DiDi ride voucher 30 CNY", "voucher", 3_000, "30.00"),
    _Seed("VCH-MOVIE", "电影票兑换券", "Cinema ticket voucher", "voucher", 4_000, "40.00", yearly_limit=10),
    # cash rebates
    _Seed("CASH-RBT20", "信用卡账单抵扣20元", "Card statement rebate 20 CNY", "cash_rebate", 2_000, "20.00"),
    _Seed("CASH-RBT100", "信用卡账单抵扣100元", "Card statement rebate 100 CNY", "cash_rebate", 10_000, "100.00"),
    _Seed("CASH-RBT500", "信用卡账单抵扣500元", "Card statement rebate 500 CNY", "cash_rebate", 50_000, "500.00", "gold", 6),
    # service privileges
    _Seed("SVC-FEEWAIVER", "信用卡年费减免", "Card annual fee waiver", "service_privilege", 20_000, "200.00", yearly_limit=1),
    _Seed("SVC-LOANRATE", "贷款利率九五折", "Loan rate 5% discount", "service_privilege", 60_000, "600.00", "gold", 1),
    _Seed("SVC-LOUNGE", "机场贵宾厅单次", "Airport lounge visit", "service_privilege", 18_000, "180.00", "silver", 6),
    _Seed("SVC-HEALTH", "年度体检套餐", "Annual health check-up", "service_privilege", 68_000, "680.00", "gold", 1),
    _Seed("SVC-CARWASH", "精致洗车服务", "Car wash service", "service_privilege", 2_800, "28.00", yearly_limit=12),
    _Seed("SVC-TRANSFERFEE", "跨行转账手续费全年免", "Interbank transfer fees waived for a year", "service_privilege", 30_000, "300.00", "platinum", 1),
)


def seed_catalogue(uow: UnitOfWork, today: date, *, now: datetime | None = None) -> int:
    """Adds the demo catalogue (about 25 rewards) and stock at every branch inside the caller's
    unit of work (the caller commits). Idempotent: rewards already there by code are left alone.
    Returns how many rewards were added."""
    at = now or datetime(today.year, today.month, today.day)
    branches = uow.reference.branches()
    added = 0
    for seed in DEMO_CATALOGUE:
        if uow.redemption.reward_by_code(seed.code) is not None:
            continue
        active_from = active_to = None
        if seed.months_active is not None:
            active_from = today - timedelta(days=30)
            active_to = today + timedelta(days=30 * seed.months_active)
        row = uow.redemption.add_reward(
            RewardRow(
                code=seed.code, name_zh=seed.name_zh, name_en=seed.name_en, category=seed.category, points_cost=seed.points_cost,
                cash_value=seed.cash_value, min_tier=seed.min_tier, active_from=active_from, active_to=active_to,
                yearly_limit_per_member=seed.yearly_limit, stock_tracked=seed.stock is not None, updated_at=at,
            )
        )
        added += 1
        if seed.stock is not None:
            for branch in branches:
                uow.redemption.move_stock(branch_id=branch.id, reward_id=row.id, change=seed.stock, reason="received", at=at)
    return added
