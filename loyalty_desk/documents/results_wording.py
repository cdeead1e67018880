"""The words of the programme results' workbook and PDF in Chinese and English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "title": "积分计划成效",
        "period": "期间",
        "scope": "范围",
        "all_branches": "全部网点",
        "all_tiers": "全部等级",
        "tier_scope": "等级",
        "produced": "生成",
        "produced_value": "{date}，{user}",
        "point_value": "积分价值",
        "point_value_value": "100 积分 = {cny} 元",
        "page": "第 {page} 页 / 共 {pages} 页",
        "summary": "概览",
        "figure": "指标",
        "value": "数值",
        "cny": "金额（元）",
        "members": "会员数（期末前入会）",
        "active": "活跃会员（期内有积累或兑换）",
        "participation": "参与率",
        "active_previous": "上一期活跃会员",
        "retained": "两期均活跃的会员",
        "retention": "留存率",
        "issued": "发放积分",
        "redeemed": "兑换积分",
        "expired": "过期积分",
        "redemption_rate": "兑换率（兑换 ÷ 发放）",
        "breakage": "沉淀率（过期 ÷ 发放）",
        "not_applicable": "不适用",
        "by_month": "按月发放与兑换",
        "month": "月份",
        "by_source": "按来源发放积分",
        "source": "来源",
        "points": "积分",
        "entries": "笔数",
        "by_category": "按奖品类别兑换积分",
        "category": "类别",
        "redemptions": "兑换次数",
        "tiers": "会员等级分布",
        "tier": "等级",
        "tier_moves": "等级变动",
        "branch": "网点",
        "moved_up": "升级",
        "moved_down": "降级",
        "not_held": "本库未持有的会员",
        "all_branches_total": "合计",
        "referrals": "推荐漏斗",
        "stage": "阶段",
        "count": "数量",
        "conversion": "转化率（已奖励且未追回 ÷ 已登记）",
        "campaigns": "营销活动成效",
        "campaign": "活动",
        "reached": "触达会员",
        "cost": "成本（元）",
        "no_campaigns": "期内没有进行中的活动。",
        "campaign_spend": "活动增量消费及每元回报",
        "campaign_spend_sheet": "活动增量消费",
        "months_compared": "比较月份",
        "participants": "参与会员",
        "average_participant": "参与会员人均消费（元）",
        "comparison": "未参与的合资格会员",
        "average_comparison": "未参与会员人均消费（元）",
        "incremental": "增量消费（元）",
        "return_per_cny": "每元积分成本回报",
        "segment_marked": "* 细分客群未逐一评估：以活动网点及等级的会员作为合资格会员。",
        "registered": "已登记",
        "qualified": "已达标",
        "rewarded": "已奖励",
        "clawed_back": "已追回",
        "notes": (
            "说明：会员按其当前所属网点及等级统计；活跃会员指期内有积分积累或兑换的会员；留存率 = 两期均活跃的会员 ÷ 上一期活跃会员；"
            "发放、兑换、过期均为扣除冲正后的净额；按类别兑换统计期内未被冲正的兑换记录，无兑换记录的兑换计入“其他”；"
            "等级变动为期内每一次等级变更（复核、达标升级、人工调整及其到期、总行拒绝后的撤回），升至更高等级计为升级，降至更低等级计为降级；"
            "活动积分及触达会员为活动开始至今的累计数；"
            "增量消费 =（参与会员人均卡消费 - 未参与的合资格会员人均卡消费）× 参与会员数，比较期内活动进行的月份，消费扣除退款及冲正；"
            "参与会员为期内获得活动奖励的会员，合资格会员为活动网点（未指定则全部网点）及等级内、期末前入会的会员；"
            "每元回报 = 增量消费 ÷ 成本，成本为 0 时不适用。"
        ),
    },
    "en": {
        "title": "Programme results",
        "period": "Period",
        "scope": "Scope",
        "all_branches": "all branches",
        "all_tiers": "all tiers",
        "tier_scope": "Tier",
        "produced": "Produced",
        "produced_value": "{date} by {user}",
        "point_value": "Point value",
        "point_value_value": "100 points = CNY {cny}",
        "page": "Page {page} of {pages}",
        "summary": "Summary",
        "figure": "Figure",
        "value": "Value",
        "cny": "CNY",
        "members": "Members (joined by the period's end)",
        "active": "Active members (earned or redeemed)",
        "participation": "Participation rate",
        "active_previous": "Active in the previous period",
        "retained": "Active in both periods",
        "retention": "Retention rate",
        "issued": "Points issued",
        "redeemed": "Points redeemed",
        "expired": "Points expired",
        "redemption_rate": "Redemption rate (redeemed / issued)",
        "breakage": "Breakage (expired / issued)",
        "not_applicable": "n/a",
        "by_month": "Issued and redeemed by month",
        "month": "Month",
        "by_source": "Points issued by source",
        "source": "Source",
        "points": "Points",
        "entries": "Entries",
        "by_category": "Points redeemed by reward category",
        "category": "Category",
        "redemptions": "Redemptions",
        "tiers": "Members by tier",
        "tier": "Tier",
        "tier_moves": "Tier movements",
        "branch": "Branch",
        "moved_up": "Moved up",
        "moved_down": "Moved down",
        "not_held": "members this store does not hold",
        "all_branches_total": "Total",
        "referrals": "Referral funnel",
        "stage": "Stage",
        "count": "Count",
        "conversion": "Conversion (rewarded and kept / registered)",
        "campaigns": "Campaign results",
        "campaign": "Campaign",
        "reached": "Members reached",
        "cost": "Cost (CNY)",
        "no_campaigns": "No campaign ran in the period.",
        "campaign_spend": "Campaign incremental spend and return per CNY",
        "campaign_spend_sheet": "Campaign spend",
        "months_compared": "Months compared",
        "participants": "Participants",
        "average_participant": "Average spend, participants (CNY)",
        "comparison": "Eligible, not taking part",
        "average_comparison": "Average spend, not taking part (CNY)",
        "incremental": "Incremental spend (CNY)",
        "return_per_cny": "Return per CNY",
        "segment_marked": "* Segment not evaluated: the members of the campaign's branches and tiers stand for those eligible.",
        "registered": "Registered",
        "qualified": "Qualified",
        "rewarded": "Rewarded",
        "clawed_back": "Clawed back",
        "notes": (
            "Notes: members count under their home branch and tier as they are now; active members earned or redeemed in the period; "
            "retention = members active in both periods / members active in the previous period; issued, redeemed and expired are net of "
            "reversals; redeemed by category counts the period's redemptions not reversed, what the ledger redeemed without a redemption "
            "record shows as Other; tier movements count every tier change dated in the period (reviews, upgrades on reaching the points, "
            "overrides and their end, a change head office refused and undid), to a higher tier as up and to a lower one as down; "
            "campaign points and members reached are the campaign's totals to date; "
            "incremental spend = (average card spend of participants - average of eligible members not taking part) x participants, "
            "over the months of the period the campaign ran in, net of refunds and reversals; participants are the members the campaign "
            "awarded in the period, eligible members those of its branches (every branch when it names none) and tiers who had joined by the period's end; "
            "return per CNY = incremental spend / cost, n/a when the cost is 0."
        ),
    },
}

SOURCES: dict[str, dict[str, str]] = {
    "zh_CN": {
        "card_spend": "信用卡消费", "card_refund": "退货扣回", "financing": "融资提款", "repayment": "按时还款", "profile_completed": "完善资料",
        "branch_event": "网点活动", "survey": "问卷", "card_approved": "办卡旅程", "card_first_transaction": "首笔刷卡", "card_spend_target": "消费达标",
        "campaign_bonus": "活动奖励", "campaign_multiplier": "活动加赠", "referral": "推荐奖励", "clawback": "扣回", "reversed": "冲正",
    },
    "en": {
        "card_spend": "Card spend", "card_refund": "Card refund", "financing": "Financing drawdown", "repayment": "On-time repayment",
        "profile_completed": "Profile completed", "branch_event": "Branch event", "survey": "Survey answered", "card_approved": "Card journey",
        "card_first_transaction": "First card transaction", "card_spend_target": "Card spend target", "campaign_bonus": "Campaign bonus",
        "campaign_multiplier": "Campaign extra points", "referral": "Referral rewards", "clawback": "Claw-backs", "reversed": "Reversed",
    },
}

CATEGORIES: dict[str, dict[str, str]] = {
    "zh_CN": {"physical_gift": "实物礼品", "voucher": "代金券", "cash_rebate": "现金返还", "service_privilege": "服务权益", "other": "其他"},
    "en": {
        "physical_gift": "Physical gifts", "voucher": "Vouchers", "cash_rebate": "Cash rebates", "service_privilege": "Service privileges", "other": "Other",
    },
}


def source_name(source: str, lang: str) -> str:
    return SOURCES[lang].get(source, source)


def category_name(category: str, lang: str) -> str:
    return CATEGORIES[lang].get(category, category)
