"""The words of the points liability report's PDF in Chinese and English (the workbook, like every
export, is in English)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "title": "积分负债月报",
        "month": "报告月份",
        "month_value": "{year}年{month}月",
        "scope": "范围",
        "all_branches": "全部网点",
        "produced": "生成",
        "produced_value": "{date}，{user}",
        "point_value": "积分价值",
        "point_value_value": "100 积分 = {cny} 元",
        "page": "第 {page} 页 / 共 {pages} 页",
        "summary": "积分负债汇总",
        "opening": "期初余额",
        "issued": "本月发放",
        "redeemed": "本月兑换",
        "expired": "本月过期",
        "adjusted": "手工调整",
        "closing": "期末余额",
        "points": "积分",
        "cny": "金额（元）",
        "reconciled": "已核对：期末余额 {points} 积分（{cny} 元）与 {date} 日终全部未用积分批次余额之和完全一致。",
        "not_reconciled": (
            "未核平：按发生额推算的期末余额为 {points} 积分，{date} 日终积分批次余额之和为 {lots} 积分，差额 {difference} 积分。"
            "请勿使用本报告入账，须先查明差额原因。"
        ),
        "rollforward": "按网点及会员等级的积分负债变动",
        "branch": "网点",
        "tier": "等级",
        "closing_cny": "期末（元）",
        "difference": "差额",
        "total": "合计",
        "no_lines": "本月无积分余额及变动。",
        "expiry": "未来12个月到期积分",
        "expiry_month": "到期月份",
        "expiry_row": "{year}年{month}月底",
        "past_expiry": "月末已过有效期、待下次过期处理的积分",
        "breakage": "积分沉淀率（估算）",
        "breakage_window": "统计期间：{start} 至 {end}（24个月）",
        "breakage_formula": "沉淀率 = 统计期间过期积分 ÷ 统计期间发放积分（均为扣除冲正后的净额）。",
        "breakage_issued": "发放积分",
        "breakage_expired": "过期积分",
        "breakage_rate": "沉淀率",
        "not_applicable": "—",
        "notes": (
            "说明：期初余额为月初前一日日终全部积分批次余额之和，由积分流水重新计算；发放含交易积分、推荐奖励，扣除退款扣回；"
            "兑换为扣除撤销后的净额；按会员开户网点及报告生成时的会员等级归类；日期均为业务日期。"
        ),
    },
    "en": {
        "title": "Points Liability Report",
        "month": "Month",
        "month_value": "{month_name} {year}",
        "scope": "Scope",
        "all_branches": "All branches",
        "produced": "Produced",
        "produced_value": "{date} by {user}",
        "point_value": "Point value",
        "point_value_value": "100 points = CNY {cny}",
        "page": "Page {page} of {pages}",
        "summary": "Liability summary",
        "opening": "Opening",
        "issued": "Issued",
        "redeemed": "Redeemed",
        "expired": "Expired",
        "adjusted": "Adjusted",
        "closing": "Closing",
        "points": "Points",
        "cny": "CNY",
        "reconciled": (
            "Reconciled: the closing balance of {points} points (CNY {cny}) equals the sum of all open lot balances "
            "at the end of {date} exactly."
        ),
        "not_reconciled": (
            "NOT reconciled: the roll-forward gives a closing balance of {points} points, but the open lots at the end of "
            "{date} hold {lots} points, a difference of {difference} points. Do not book these figures until the "
            "difference is explained."
        ),
        "rollforward": "Roll-forward by branch and tier",
        "branch": "Branch",
        "tier": "Tier",
        "closing_cny": "Closing (CNY)",
        "difference": "Difference",
        "total": "Total",
        "no_lines": "No points outstanding and no movements this month.",
        "expiry": "Points due to expire in the next 12 months",
        "expiry_month": "Expire at the end of",
        "expiry_row": "{month_name} {year}",
        "past_expiry": "Past their expiry date at the month's end, awaiting the next expiry run",
        "breakage": "Breakage estimate",
        "breakage_window": "Window: {start} to {end} (24 months)",
        "breakage_formula": "Breakage rate = points expired in the window ÷ points issued in the window (both net of reversals).",
        "breakage_issued": "Issued",
        "breakage_expired": "Expired",
        "breakage_rate": "Breakage rate",
        "not_applicable": "—",
        "notes": (
            "Notes: the opening balance is the sum of all lot balances at the end of the day before the month, rebuilt "
            "from the ledger. Issued covers earning and referral rewards, net of refund claw-backs; redeemed is net of "
            "reversals. Lines are by the member's home branch and their tier when the report was produced; dates are "
            "business dates."
        ),
    },
}
