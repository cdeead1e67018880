"""The member points statement (积分对账单) as an A4 PDF, in Chinese or English.

Every page carries the bank and branch, the statement number and "page x of y"; the first
page the member, the period, the summary (opening, earned, spent, closing), the points expiring
in each of the next three months and a QR code with the signed figures (see
``services.statements``); then every entry with its running balance, totals and the closing
balance. Several statements can go into one file, each numbered on its own ("page x of y" per
statement). Text uses the embedded CJK TrueType font (``documents.fonts``), so names render
the same everywhere and the text can be extracted.

The renderer takes any object shaped like ``services.statements.StatementData``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph, Spacer

from loyalty_desk.documents import formats
from loyalty_desk.documents.fonts import cjk_font, wrap_text

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 18 * mm
INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#6b7280")
ACCENT = colors.HexColor("#9f1d20")  # a bank's red
RULE = colors.HexColor("#d1d5db")
SHADE = colors.HexColor("#f3f4f6")
QR_MASK = 2
HEADER_HEIGHT = 6.5 * mm
ENTRY_LEADING = 10.0
ENTRY_PAD = 2.2
CELL_PAD = 4.0

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
        "note": "本对账单由系统生成，积分以本行系统记录为准。每笔积分自获得当月起24个月后的月末到期，使用时先到期的积分先扣减。如有疑问，请于收到对账单后30日内联系开户网点。",
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
        "note": "This statement is produced by the bank's system; the bank's records prevail. Points expire at the end of the 24th month after the month they were earned in; the soonest-expiring points are used first. Please contact your branch within 30 days of receiving this statement with any question.",
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
    "zh_CN": {"earn": "积分获取", "redeem": "积分兑换", "expire": "积分到期", "adjust": "手工调整", "reversal": "冲正", "referral": "推荐奖励", "clawback": "积分扣回"},
    "en": {"earn": "Points earned", "redeem": "Redemption", "expire": "Points expired", "adjust": "Manual adjustment", "reversal": "Reversal", "referral": "Referral reward", "clawback": "Clawback"},
}

REASONS = {
    "zh_CN": {"MISSING_POINTS": "补记积分", "SERVICE_RECOVERY": "服务补偿", "CORRECTION": "差错更正", "GOODWILL": "客户关怀", "FRAUD_REVERSAL": "欺诈冲回"},
    "en": {"MISSING_POINTS": "missing points", "SERVICE_RECOVERY": "service recovery", "CORRECTION": "correction", "GOODWILL": "goodwill", "FRAUD_REVERSAL": "fraud reversal"},
}

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _lang(language: str) -> str:
    return "en" if language.startswith("en") else "zh_CN"


def describe_line(line: Any, language: str) -> str:
    """The description of one statement line: the rule, the campaign, the reward."""
    lang = _lang(language)
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
    text = rules.get(line.rule or "") or kinds.get(line.kind, line.kind)
    if line.kind == "clawback" and line.rule in (None, "", "card_refund"):
        text = rules["card_refund"]
    if line.campaign_name:
        text += f" · {line.campaign_name}"
    return text


def _money(points: int) -> str:
    return f"{points:,}"


def _signed(points: int, sign: str) -> str:
    return sign + _money(points) if points else "0"


def _tier(tier: str | None, lang: str) -> str:
    return TIERS[lang].get(tier or "", tier or "")


# ---------------------------------------------------------------------- page furniture


class _StatementStart(Flowable):
    """Zero-size marker: the statement whose pages follow (for the page header and "page x of y")."""

    width = height = 0

    def __init__(self, index: int, data: Any) -> None:
        super().__init__()
        self.index = index
        self.data = data

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._ld_statement = (self.index, self.data)


class _NumberedCanvas(Canvas):
    """Holds pages until ``save`` so every page can say "page x of y" of its own statement."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ld_pages: list[dict[str, Any]] = []
        self._ld_statement: tuple[int, Any] | None = None

    def showPage(self) -> None:
        self._ld_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        counts: dict[int, int] = {}
        for state in self._ld_pages:
            statement = state.get("_ld_statement")
            key = statement[0] if statement else -1
            counts[key] = counts.get(key, 0) + 1
        seen: dict[int, int] = {}
        for state in self._ld_pages:
            self.__dict__.update(state)
            statement = state.get("_ld_statement")
            key = statement[0] if statement else -1
            seen[key] = seen.get(key, 0) + 1
            if statement is not None:
                _draw_footer(self, statement[1], seen[key], counts[key])
            Canvas.showPage(self)
        Canvas.save(self)


def _draw_header(canvas: Canvas, doc: Any) -> None:
    statement = getattr(canvas, "_ld_statement", None)
    if statement is None:
        return
    data = statement[1]
    lang = _lang(data.language)
    labels = LABELS[lang]
    font = doc.ld_font
    zh = lang == "zh_CN"
    top = PAGE_HEIGHT - 12 * mm
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(MARGIN_X, top - 1.2 * mm, 2.2 * mm, 9 * mm, stroke=0, fill=1)
    canvas.setFillColor(INK)
    canvas.setFont(font, 13)
    canvas.drawString(MARGIN_X + 4.5 * mm, top + 3.5 * mm, data.bank_name_zh if zh else data.bank_name_en)
    canvas.setFont(font, 8)
    canvas.setFillColor(MUTED)
    branch = data.branch_name_zh if zh else data.branch_name_en
    canvas.drawString(MARGIN_X + 4.5 * mm, top - 1 * mm, f"{branch} ({data.branch_code})")
    right = PAGE_WIDTH - MARGIN_X
    canvas.setFillColor(INK)
    canvas.setFont(font, 13)
    canvas.drawRightString(right, top + 3.5 * mm, labels["title"])
    canvas.setFont(font, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(right, top - 1 * mm, f"{labels['statement_no']} {data.statement_no}")
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, top - 4 * mm, right, top - 4 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, data: Any, page: int, pages: int) -> None:
    lang = _lang(data.language)
    labels = LABELS[lang]
    font = cjk_font()
    y = 10 * mm
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, y + 4 * mm, PAGE_WIDTH - MARGIN_X, y + 4 * mm)
    canvas.setFont(font, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, y, f"{labels['statement_no']} {data.statement_no} · {data.member_no} · {labels['issued']} {formats.day(data.issued_on, lang)}")
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y, labels["page"].format(page=page, pages=pages))
    canvas.restoreState()


# ---------------------------------------------------------------------- story


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=8.5, leading=11, textColor=INK, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10, textColor=MUTED),
        "h": ParagraphStyle("h", parent=base, fontSize=10.5, leading=14, spaceBefore=4, spaceAfter=3, textColor=ACCENT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
    }


class _Qr(Flowable):
    """A QR code drawn as merged runs of dark modules (fast; mask pattern fixed, which the
    standard allows: it only tunes readability, any mask decodes)."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        code = QRCode(None, QRErrorCorrectLevel.M)
        code.addData(text)
        code.version = code.calculate_version()
        code.makeImpl(False, QR_MASK)
        self.modules = code.modules
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        """Dark runs as rectangles in module units (integers) under one scale: a few hundred
        short operators instead of as many formatted floats."""
        count = len(self.modules)
        quiet = 2
        unit = self.size / (count + 2 * quiet)
        ops: list[str] = []
        for r, row in enumerate(self.modules):
            y = count - 1 - r
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    ops.append(f"{start} {y} {c - start} 1 re")
                else:
                    c += 1
        canvas = self.canv
        canvas.saveState()
        canvas.translate(quiet * unit, quiet * unit)
        canvas.scale(unit, unit)
        canvas.setFillColor(colors.black)
        canvas.drawPath(_RawPath("\n".join(ops) + "\n"), stroke=0, fill=1)
        canvas.restoreState()


class _RawPath:
    """Path operators already written out (what ``canvas.drawPath`` asks a path for)."""

    def __init__(self, code: str) -> None:
        self._code = code

    def getCode(self) -> str:
        return self._code


class _Entries(Flowable):
    """The entry lines, drawn straight onto the canvas (a platypus Table of 300 rows costs
    several times the whole budget of a statement); splits across pages repeating its header."""

    def __init__(self, header: list[str], rows: list[tuple[list[str], tuple[str, ...], int]], widths: list[float], font: str) -> None:
        # rows: (cells, description lines, style) where style 0 = entry, 1 = shaded, 2 = total, 3 = closing
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.font = font

    @staticmethod
    def row_height(row: tuple[list[str], tuple[str, ...], int]) -> float:
        return ENTRY_PAD * 2 + ENTRY_LEADING * max(1, len(row[1]))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = HEADER_HEIGHT + sum(self.row_height(r) for r in self.rows)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        used = HEADER_HEIGHT
        for index, row in enumerate(self.rows):
            used += self.row_height(row)
            if used > available_height:
                if index == 0:
                    return []
                return [
                    _Entries(self.header, self.rows[:index], self.widths, self.font),
                    _Entries(self.header, self.rows[index:], self.widths, self.font),
                ]
        return [self]

    def draw(self) -> None:
        """One path for the rules and shading, one text object for every string (reportlab's
        per-call overhead, not the PDF, is what costs: a 300-entry statement draws ~1,500 strings)."""
        canvas = self.canv
        font = self.font
        width = sum(self.widths)
        edges = [0.0]
        for w in self.widths:
            edges.append(edges[-1] + w)
        top = self.height
        canvas.setFillColor(ACCENT)
        canvas.rect(0, top - HEADER_HEIGHT, width, HEADER_HEIGHT, stroke=0, fill=1)
        header = canvas.beginText()
        header.setFont(font, 8)
        header.setFillColor(colors.white)
        baseline = top - HEADER_HEIGHT + 2.2 * mm
        for index, text in enumerate(self.header):
            x = edges[index + 1] - CELL_PAD - pdfmetrics.stringWidth(text, font, 8) if index >= 2 else edges[index] + CELL_PAD
            header.setTextOrigin(x, baseline)
            header.textOut(text)
        canvas.drawText(header)

        # backgrounds and rules first, text on top
        y = top - HEADER_HEIGHT
        shading = canvas.beginPath()
        rules = canvas.beginPath()
        totals_rule: float | None = None
        heights = []
        for row in self.rows:
            height = self.row_height(row)
            heights.append(height)
            style = row[2]
            if style:
                shading.rect(0, y - height, width, height)
            else:
                rules.moveTo(0, y - height)
                rules.lineTo(width, y - height)
            if style == 2:
                totals_rule = y
            y -= height
        canvas.setFillColor(SHADE)
        canvas.drawPath(shading, stroke=0, fill=1)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.25)
        canvas.drawPath(rules, stroke=1, fill=0)
        if totals_rule is not None:
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.8)
            canvas.line(0, totals_rule, width, totals_rule)

        text = canvas.beginText()
        text.setFont(font, 8)
        text.setFillColor(INK)
        closing_value: tuple[float, float, str] | None = None
        widths = pdfmetrics.stringWidth
        y = top - HEADER_HEIGHT
        for (cells, description, style), height in zip(self.rows, heights, strict=True):
            text_y = y - ENTRY_PAD - ENTRY_LEADING + 2.4
            if cells[0]:
                text.setTextOrigin(edges[0] + CELL_PAD, text_y)
                text.textOut(cells[0])
            line_y = text_y
            for line in description:
                text.setTextOrigin(edges[1] + CELL_PAD, line_y)
                text.textOut(line)
                line_y -= ENTRY_LEADING
            for index in (2, 3, 4):
                value = cells[index]
                if value:
                    x = edges[index + 1] - CELL_PAD - widths(value, font, 8)
                    if style == 3 and index == 4:
                        closing_value = (x, text_y, value)
                        continue
                    text.setTextOrigin(x, text_y)
                    text.textOut(value)
            y -= height
        canvas.drawText(text)
        if closing_value is not None:
            closing = canvas.beginText()
            closing.setFont(font, 8)
            closing.setFillColor(ACCENT)
            closing.setTextOrigin(closing_value[0], closing_value[1])
            closing.textOut(closing_value[2])
            canvas.drawText(closing)


class _Overview(Flowable):
    """The first page's top: member and period on the left, the QR code on the right, then the
    summary (opening, earned, used, closing), the points expiring in the next three months and
    the heading of the transactions. Drawn directly: platypus tables cost more than the rest of
    the page together."""

    LABEL = 8.0
    LINE = 13.0
    BOX = 15 * mm

    def __init__(self, data: Any, font: str, width: float) -> None:
        super().__init__()
        self.data = data
        self.font = font
        self.width = width
        lang = _lang(data.language)
        self.lang = lang
        self.labels = LABELS[lang]
        zh = lang == "zh_CN"
        labels = self.labels
        if data.next_tier and data.points_to_next is not None:
            progress = labels["to_next"].format(points=_money(data.points_to_next), tier=_tier(data.next_tier, lang))
        else:
            progress = labels["top"]
        if data.keep_points_needed and data.keep_by:
            progress += "；" if zh else "; "
            progress += labels["keep"].format(points=_money(data.keep_points_needed), date=formats.day(data.keep_by, lang), tier=_tier(data.tier, lang))
        progress += ("。" if zh else ". ") + labels["qualifying"].format(points=_money(data.qualifying_points))
        self.qr_size = 30 * mm
        info_width = width - self.qr_size - 6 * mm
        self.columns = (0.0, 0.17 * info_width, 0.53 * info_width, 0.69 * info_width)
        id_type = ID_TYPES[lang].get(data.id_type, data.id_type)
        period = f"{formats.day(data.period_from, lang)} {labels['to']} {formats.day(data.period_to, lang)}"
        self.pairs = [
            (labels["member_no"], data.member_no, labels["period"], period),
            (labels["name"], data.name, labels["issued"], formats.day(data.issued_on, lang)),
            (labels["id"], f"{data.masked_id} ({id_type})", labels["branch"], data.branch_code),
            (labels["tier"], _tier(data.tier, lang), labels["referral"], data.referral_code or labels["none"]),
        ]
        self.progress_label = labels["progress"]
        self.progress = wrap_text(progress, font, 8.5, info_width - self.columns[1])[:3]
        self.qr = _Qr(data.qr_text or data.statement_no, self.qr_size)
        info_height = self.LINE * (len(self.pairs) + len(self.progress)) + 2
        self.top_height = max(info_height, self.qr_size + 10)
        self.height = self.top_height + 2 * (7 * mm + self.BOX) + 7 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        font, labels, data = self.font, self.labels, self.data
        y = self.height - self.LINE + 3
        cols = self.columns
        for left_label, left_value, right_label, right_value in self.pairs:
            canvas.setFont(font, 8.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(cols[0], y, left_label)
            canvas.drawString(cols[2], y, right_label)
            canvas.setFillColor(INK)
            canvas.drawString(cols[1], y, left_value)
            canvas.drawString(cols[3], y, right_value)
            y -= self.LINE
        canvas.setFillColor(MUTED)
        canvas.drawString(cols[0], y, self.progress_label)
        canvas.setFillColor(INK)
        for line in self.progress:
            canvas.drawString(cols[1], y, line)
            y -= self.LINE

        # QR code, top right, with its caption
        qr_x = self.width - self.qr_size
        qr_y = self.height - self.qr_size
        self.qr.drawOn(canvas, qr_x, qr_y)
        canvas.setFont(font, 6.5)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(qr_x + self.qr_size / 2, qr_y - 7, labels["qr"])

        y = self.height - self.top_height
        y = self._heading(y, labels["summary"])
        figures = [
            (labels["opening"], _money(data.opening), INK),
            (labels["earned"], _signed(data.total_earned, "+"), INK),
            (labels["spent"], _signed(data.total_spent, "-"), INK),
            (labels["closing"], _money(data.closing), ACCENT),
        ]
        self._boxes(y, figures, value_size=13, shaded=True)
        y -= self.BOX
        y = self._heading(y, labels["expiring"])
        expiring = [
            (
                labels["expiring_month"].format(year=item.month.year, month=item.month.month, month_name=MONTHS_EN[item.month.month - 1]),
                _money(item.points),
                INK,
            )
            for item in data.expiring
        ]
        if expiring:
            self._boxes(y, expiring, value_size=11, shaded=False)
        y -= self.BOX
        self._heading(y, labels["entries"])

    def _heading(self, y: float, text: str) -> float:
        canvas = self.canv
        canvas.setFont(self.font, 10.5)
        canvas.setFillColor(ACCENT)
        canvas.drawString(0, y - 5 * mm, text)
        return y - 7 * mm

    def _boxes(self, y: float, items: list[tuple[str, str, Any]], *, value_size: float, shaded: bool) -> None:
        canvas = self.canv
        width = self.width / len(items)
        bottom = y - self.BOX + 1 * mm
        height = self.BOX - 1 * mm
        if shaded:
            canvas.setFillColor(SHADE)
            canvas.rect(0, bottom, self.width, height, stroke=0, fill=1)
            canvas.setStrokeColor(colors.white)
        else:
            canvas.setStrokeColor(RULE)
            canvas.rect(0, bottom, self.width, height, stroke=1, fill=0)
        canvas.setLineWidth(0.5)
        for index, (label, value, colour) in enumerate(items):
            centre = width * index + width / 2
            if index:
                canvas.line(width * index, bottom, width * index, bottom + height)
            canvas.setFont(self.font, 8)
            canvas.setFillColor(MUTED)
            canvas.drawCentredString(centre, bottom + height - 4 * mm, label)
            canvas.setFont(self.font, value_size)
            canvas.setFillColor(colour)
            canvas.drawCentredString(centre, bottom + 2.5 * mm, value)


def _story(index: int, data: Any, font: str, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    lang = _lang(data.language)
    labels = LABELS[lang]
    story: list[Flowable] = [_StatementStart(index, data)]

    story.append(_Overview(data, font, width))
    # entries
    col = [22 * mm, 0, 24 * mm, 24 * mm, 27 * mm]
    col[1] = width - sum(col)
    description_width = col[1] - 2 * CELL_PAD
    header = [labels["date"], labels["description"], labels["col_earned"], labels["col_spent"], labels["col_balance"]]
    rows: list[tuple[list[str], tuple[str, ...], int]] = [(["", "", "", "", _money(data.opening)], (labels["opening_row"],), 1)]
    for line in data.lines:
        text = describe_line(line, lang)
        lines = (text,) if pdfmetrics.stringWidth(text, font, 8) <= description_width else tuple(wrap_text(text, font, 8, description_width))
        rows.append(
            (
                [formats.day(line.occurred_on, lang), "", _money(line.earned) if line.earned else "", _money(line.spent) if line.spent else "", _money(line.balance_after)],
                lines,
                0,
            )
        )
    if not data.lines:
        rows.append((["", "", "", "", ""], (labels["no_entries"],), 0))
    rows.append((["", "", _money(data.total_earned), _money(data.total_spent), ""], (labels["totals"],), 2))
    rows.append((["", "", "", "", _money(data.closing)], (labels["closing_row"],), 3))
    entries = _Entries(header, rows, col, font)
    story.append(entries)
    story.append(Spacer(0, 4 * mm))
    story.append(Paragraph(_escape(labels["note"]), styles["small"]))
    return story






def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _document(path: Path, title: str, subject: str, font: str) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author="Loyalty Desk",
        subject=subject,
        pageCompression=1,
        invariant=0,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, PAGE_WIDTH - 2 * MARGIN_X, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="statement", frames=[frame], onPageEnd=_draw_header)])
    doc.ld_font = font
    return doc


def render_statements(statements: Sequence[Any] | Iterable[Any], path: Path | str) -> Path:
    """Writes one or more statements to one PDF (each starts on a new page and is numbered on its own)."""
    # Page streams are deflated as binary, not also ASCII85-encoded (reportlab's pure-Python
    # encoder costs about a tenth of a statement's time; the PDF is as valid and smaller).
    rl_config.useA85 = 0
    items = list(statements)
    if not items:
        raise ValueError("no statement to render")
    font = cjk_font()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    styles = _styles(font)
    first = items[0]
    labels = LABELS[_lang(first.language)]
    title = f"{labels['title']} {first.statement_no}" if len(items) == 1 else f"{labels['title']} ({len(items)})"
    doc = _document(path, title, first.statement_no, font)
    width = PAGE_WIDTH - 2 * MARGIN_X
    story: list[Flowable] = []
    for index, data in enumerate(items):
        if index:
            story.append(PageBreak())
        story += _story(index, data, font, styles, width)
    doc.build(story, canvasmaker=_NumberedCanvas)
    return path


def render_statement(data: Any, path: Path | str) -> Path:
    """Writes one statement to ``path`` (PDF) and returns the path."""
    return render_statements([data], path)

