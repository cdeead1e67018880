"""The words of the member points statement in Chinese and English: labels, tier, ID type, rule,
entry kind and adjustment reason names, and the description of each statement line."""

from __future__ import annotations

from typing import Any

from loyalty_desk.documents.formats import document_language

LABELS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "title": "积分对账单",
        "subtitle": "Member Points Statement",
        "statement_no": "对账单编号",
        "issued": "出具日期",
        "page": "第 {page} 页 / 共 {pages} 页",
        "member_no": "会员号",
        "name": "会员姓名",
        "id": "证件号码",
        "tier": "会员等级",
        "progress": "等级进度",
        "referral": "推荐码",
        "period": "对账期间",
        "branch": "开户网点",
        "summary": "积分汇总",
        "opening": "期初余额",
        "earned": "本期获取",
        "spent": "本期使用",
        "closing": "期末余额",
        "expiring": "即将到期积分",
        "expiring_month": "{year}年{month}月底到期",
        "entries": "积分明细",
        "date": "日期",
        "description": "摘要",
        "col_earned": "获取",
        "col_spent": "使用",
        "col_balance": "余额",
        "opening_row": "期初余额",
        "totals": "本期合计",
        "closing_row": "期末余额",
        "no_entries": "本期无积分变动。",
        "to_next": "再获得 {points} 积分可升级为{tier}",
        "keep": "{date} 前需获得 {points} 积分以保持{tier}",
        "top": "已达最高等级",
        "qualifying": "近12个月有效积分 {points}",
        "qr": "扫码验证对账单真伪",
        "note": (
            "本对账单由系统生成，积分以本行系统记录为准。每笔积分自获得当月起24个月后的月末到期，使用时先到期的积分先扣减。"
            "如有疑问，请于收到对账单后30日内联系开户网点。"
        ),
        "none": "无",
        "to": "至",
    },
    "en": {
        "title": "Member Points Statement",
        "subtitle": "积分对账单",
        "statement_no": "Statement no.",
        "issued": "Issued on",
        "page": "Page {page} of {pages}",
        "member_no": "Member no.",
        "name": "Name",
        "id": "ID number",
        "tier": "Tier",
        "progress": "Tier progress",
        "referral": "Referral code",
        "period": "Period",
        "branch": "Home branch",
        "summary": "Summary",
        "opening": "Opening balance",
        "earned": "Points earned",
        "spent": "Points used",
        "closing": "Closing balance",
        "expiring": "Points expiring soon",
        "expiring_month": "Expire end of {month_name} {year}",
        "entries": "Transactions",
        "date": "Date",
        "description": "Description",
        "col_earned": "Earned",
        "col_spent": "Used",
        "col_balance": "Balance",
        "opening_row": "Opening balance",
        "totals": "Totals for the period",
        "closing_row": "Closing balance",
        "no_entries": "No points movements in this period.",
        "to_next": "{points} points to reach {tier}",
        "keep": "{points} points by {date} to keep {tier}",
        "top": "Highest tier reached",
        "qualifying": "{points} qualifying points in the last 12 months",
        "qr": "Scan to verify this statement",
        "note": (
            "This statement is produced by the bank's system; the bank's records prevail. "
            "Points expire at the end of the 24th month after the month they were earned in; the soonest-expiring points are used first. "
            "Please contact your branch within 30 days of receiving this statement with any question."
        ),
        "none": "none",
        "to": "to",
    },
}

TIERS = {
    "zh_CN": {"standard": "普通", "silver": "银卡", "gold": "金卡", "platinum": "白金卡"},
    "en": {"standard": "Standard", "silver": "Silver", "gold": "Gold", "platinum": "Platinum"},
}

ID_TYPES = {
    "zh_CN": {"resident_id": "居民身份证", "uscc": "统一社会信用代码", "passport": "护照"},
    "en": {"resident_id": "Resident ID", "uscc": "USCC", "passport": "Passport"},
}

RULES = {
    "zh_CN": {
        "card_spend": "刷卡消费积分",
        "card_refund": "退货扣回积分",
        "financing": "融资放款积分",
        "repayment": "按时还款积分",
        "profile_completed": "完善资料奖励",
        "branch_event": "网点活动奖励",
        "survey": "问卷调查奖励",
        "card_approved": "信用卡旅程",
        "card_first_transaction": "首笔刷卡奖励",
        "card_spend_target": "用卡达标奖励",
        "campaign_bonus": "营销活动奖励积分",
        "campaign_multiplier": "营销活动加赠积分",
        "campaign_card_approved": "快速批卡任务奖励",
        "campaign_first_transaction": "首刷有礼活动奖励",
        "campaign_spend_target": "限期消费达标活动奖励",
        "referral": "推荐奖励",
        "referrer": "推荐人奖励",
        "referee": "被推荐人欢迎积分",
        "second_level": "二级推荐奖励",
        "expiry": "积分到期",
        "redemption": "积分兑换",
        "redemption_reversal": "兑换冲正退回",
    },
    "en": {
        "card_spend": "Card spend",
        "card_refund": "Card refund clawback",
        "financing": "Financing drawdown",
        "repayment": "On-time repayment",
        "profile_completed": "Profile completed",
        "branch_event": "Branch event attended",
        "survey": "Survey answered",
        "card_approved": "Card journey",
        "card_first_transaction": "First card transaction",
        "card_spend_target": "Card spend target reached",
        "campaign_bonus": "Campaign bonus",
        "campaign_multiplier": "Campaign extra points",
        "campaign_card_approved": "Campaign: card approved quickly",
        "campaign_first_transaction": "Campaign: first-transaction gift",
        "campaign_spend_target": "Campaign: spend target reached",
        "referral": "Referral reward",
        "referrer": "Referral reward (referrer)",
        "referee": "Referral welcome points",
        "second_level": "Referral reward (second level)",
        "expiry": "Points expired",
        "redemption": "Redemption",
        "redemption_reversal": "Redemption reversed",
    },
}

KINDS = {
    "zh_CN": {
        "earn": "积分获取", "redeem": "积分兑换", "expire": "积分到期", "adjust": "手工调整",
        "reversal": "冲正", "referral": "推荐奖励", "clawback": "积分扣回", "tier": "等级变更",
    },
    "en": {
        "earn": "Points earned", "redeem": "Redemption", "expire": "Points expired", "adjust": "Manual adjustment",
        "reversal": "Reversal", "referral": "Referral reward", "clawback": "Clawback", "tier": "Tier change",
    },
}

REASONS = {
    "zh_CN": {"MISSING_POINTS": "补记积分", "SERVICE_RECOVERY": "服务补偿", "CORRECTION": "差错更正", "GOODWILL": "客户关怀", "FRAUD_REVERSAL": "欺诈冲回"},
    "en": {
        "MISSING_POINTS": "missing points", "SERVICE_RECOVERY": "service recovery", "CORRECTION": "correction",
        "GOODWILL": "goodwill", "FRAUD_REVERSAL": "fraud reversal",
    },
}

TIER_CHANGE_REASONS = {
    "zh_CN": {"monthly_review": "月度等级评定", "points_reached": "有效积分达标", "override": "人工调整等级", "override_ended": "人工调整到期",
              "refused_centrally": "总行未通过"},
    "en": {
        "monthly_review": "monthly review", "points_reached": "qualifying points reached", "override": "manual override",
        "override_ended": "manual override ended", "refused_centrally": "refused by head office",
    },
}

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")



def describe_line(line: Any, language: str) -> str:
    """The description of one statement line: the rule, the campaign, the reward."""
    lang = document_language(language)
    rules, kinds = RULES[lang], KINDS[lang]
    zh = lang == "zh_CN"
    if line.kind == "redeem":
        text = kinds["redeem"]
        if line.reward_name or line.reward_code:
            text += f"：{line.reward_name or line.reward_code}" if zh else f": {line.reward_name or line.reward_code}"
        if line.number:
            text += f"（{line.number}）" if zh else f" ({line.number})"
        return text
    if line.kind == "reversal":
        text = rules.get(line.rule or "", kinds["reversal"])
        if line.number:
            text += f"（{line.number}）" if zh else f" ({line.number})"
        return text
    if line.kind == "adjust":
        text = kinds["adjust"]
        reason = REASONS[lang].get(line.reason or "", line.reason)
        if reason:
            text += f"（{reason}）" if zh else f" ({reason})"
        return text
    if line.kind == "expire":
        return rules["expiry"]
    if line.kind == "tier":
        reason = TIER_CHANGE_REASONS[lang].get(line.rule or "", line.rule or "")
        old, new = tier_name(line.from_tier, lang), tier_name(line.to_tier, lang)
        return f"会员等级由{old}调整为{new}（{reason}）" if zh else f"Tier changed {old} -> {new} ({reason})"
    text = rules.get(line.rule or "") or kinds.get(line.kind, line.kind)
    if line.kind == "clawback" and line.rule in (None, "", "card_refund"):
        text = rules["card_refund"]
    if line.campaign_name:
        text += f" · {line.campaign_name}"
    return text


def points_text(points: int) -> str:
    return f"{points:,}"


def signed_points(points: int, sign: str) -> str:
    return sign + points_text(points) if points else "0"


def tier_name(tier: str | None, lang: str) -> str:
    return TIERS[lang].get(tier or "", tier or "")

