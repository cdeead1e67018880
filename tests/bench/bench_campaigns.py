"""The campaign cost forecast (target ≤ 10 s for 1,000,000 members' 12 months) on a demo store.

- ``campaign_forecast``: ``CampaignService.forecast`` for a draft whose window is the coming year, so
  the last 12 months of the ledger's earn entries are replayed: a ×2 multiplier on card spend and
  financing for every tier, then the same with a per-member cap (the running sum per member), then a
  fixed bonus on every source; then the card-journey tasks (first card transaction after approval, card
  spend of 3,000 CNY within 65 days of approval: a running sum per member over the card entries);
  signed in as the demo auditor (who may see campaigns).
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from common import BenchOptions, Row, bench_store, benchmark

FORECAST_TARGET_S = 10.0


@benchmark("campaign_forecast")
def campaign_forecast(options: BenchOptions) -> list[Row]:
    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo.staff import DEMO_PASSWORD

    services = build_services(bench_store(options.members))
    starts = date.today() + timedelta(days=1)
    base = {
        "name_zh": "全年双倍积分", "name_en": "A year of double points", "kind": "multiplier", "multiplier": "2",
        "sources": ["card_spend", "financing"], "tiers": ["standard", "silver", "gold", "platinum"], "starts_on": starts.isoformat(),
        "ends_on": (starts + timedelta(days=364)).isoformat(), "budget_points": 10**12, "stacking": "best",
    }
    variants = [
        ("x2 on card spend and financing", base),
        ("x2 with a 5,000-point cap per member", {**base, "member_cap": 5_000}),
        ("200-point bonus on every source", {**base, "kind": "bonus", "bonus_points": 200, "multiplier": "", "stacking": "combine",
                                              "sources": ["card_spend", "financing", "repayment", "profile_completed", "branch_event", "survey"]}),
        ("first-transaction gift of 1,000 points", {**base, "kind": "first_transaction", "bonus_points": 1_000, "multiplier": ""}),
        ("2,000 points for 3,000 CNY within 65 days", {**base, "kind": "spend_target", "bonus_points": 2_000, "multiplier": "",
                                                        "target_cny": 3_000, "within_days": 65}),
    ]
    rows = []
    try:
        session = services.auth.sign_in(username="auditor", password=DEMO_PASSWORD)
        for label, fields in variants:
            began = time.perf_counter()
            forecast = services.campaigns.forecast(session=session, fields=fields)
            seconds = time.perf_counter() - began
            rows.append(Row(
                f"campaign forecast, {options.members:,} members, 12 months, {label}: {forecast.transactions:,} entries, "
                f"{forecast.members_reached:,} members, {forecast.points:,} points", seconds, "s", FORECAST_TARGET_S,
            ))
    finally:
        services.close()
    return rows
