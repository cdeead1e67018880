"""The printed redemption receipt: an 80 mm slip, as a counter receipt printer gives it.

Chinese renders with the bundled CJK TrueType font (``resources/fonts``), embedded as a
subset, so the PDF looks the same on every machine and its text can be extracted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from loyalty_desk.documents import formats
from loyalty_desk.documents.fonts import cjk_font, local_time, wrap_text
from loyalty_desk.domain.identity import is_provisional_member_no

if TYPE_CHECKING:
    from loyalty_desk.services.redemption.dto import RedemptionReceipt

WIDTH = 80 * mm
HEIGHT = 160 * mm
MARGIN = 5 * mm

LABELS = {
    "zh_CN": {
        "title": "积分兑换凭证",
        "subtitle": "Points Redemption Receipt",
        "number": "兑换编号",
        "time": "兑换时间",
        "member": "会员号",
        "provisional": "（临时号）",
        "name": "会员姓名",
        "reward": "兑换礼品",
        "code": "礼品编号",
        "qty": "数量",
        "points": "消耗积分",
        "balance": "剩余可用积分",
        "branch": "兑换网点",
        "officer": "经办柜员",
        "signature": "客户签名：",
        "note": "本凭证为积分兑换凭据，请妥善保管。如需退回，请于{days}日内持本凭证到网点办理。",
        "copy": "客户联",
    },
    "en": {
        "title": "Points Redemption Receipt",
        "subtitle": "积分兑换凭证",
        "number": "Redemption no.",
        "time": "Date and time",
        "member": "Member no.",
        "provisional": " (provisional)",
        "name": "Member",
        "reward": "Reward",
        "code": "Reward code",
        "qty": "Quantity",
        "points": "Points redeemed",
        "balance": "Available balance",
        "branch": "Branch",
        "officer": "Officer",
        "signature": "Customer signature:",
        "note": "Please keep this receipt. Returns are accepted at a branch within {days} days with this receipt.",
        "copy": "Customer copy",
    },
}


def receipt_font() -> str:
    """The name of the registered CJK font (shared with statements: ``documents.fonts``)."""
    return cjk_font()








def render_receipt(receipt: RedemptionReceipt, path: Path | str, language: str = "zh_CN", *, return_days: int = 30) -> Path:
    """Writes the receipt of one redemption to ``path`` (PDF) and returns the path.

    ``language``: ``zh_CN`` or ``en``; ``return_days``: the reversal window printed in the note
    (pass ``settings.redemption.reversal_window_days``)."""
    labels = LABELS[formats.document_language(language)]
    chinese = labels is LABELS["zh_CN"]
    font = receipt_font()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(path), pagesize=(WIDTH, HEIGHT), pageCompression=1)
    canvas.setTitle(f"{labels['title']} {receipt.number}")
    canvas.setAuthor("Loyalty Desk")
    canvas.setSubject(receipt.number)
    inner = WIDTH - 2 * MARGIN
    y = HEIGHT - MARGIN - 5 * mm

    def centred(text: str, size: float) -> None:
        nonlocal y
        for line in wrap_text(text, font, size, inner):
            canvas.setFont(font, size)
            canvas.drawCentredString(WIDTH / 2, y, line)
            y -= size * 1.35

    def rule(dashed: bool = True) -> None:
        nonlocal y
        y -= 1.2 * mm
        canvas.setDash(2, 2) if dashed else canvas.setDash()
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y, WIDTH - MARGIN, y)
        canvas.setDash()
        y -= 4 * mm

    def row(label: str, value: str, size: float = 8.5, bold_value: bool = False) -> None:
        nonlocal y
        canvas.setFont(font, size)
        canvas.drawString(MARGIN, y, label)
        label_width = pdfmetrics.stringWidth(label + "  ", font, size)
        value_size = size + (1.5 if bold_value else 0)
        lines = wrap_text(value, font, value_size, inner - label_width)
        for line in lines:
            canvas.setFont(font, value_size)
            canvas.drawRightString(WIDTH - MARGIN, y, line)
            y -= value_size * 1.4
        y -= 0.6 * mm

    branch = receipt.branch_name_zh if chinese else receipt.branch_name_en
    reward = receipt.reward_name_zh if chinese else receipt.reward_name_en
    when = formats.moment(local_time(receipt.at), language)

    centred(labels["title"], 12)
    centred(labels["subtitle"], 7.5)
    centred(branch, 8.5)
    rule(dashed=False)
    row(labels["number"], receipt.number, bold_value=True)
    row(labels["time"], when)
    row(labels["branch"], f"{branch} ({receipt.branch_code})")
    row(labels["officer"], receipt.officer)
    rule()
    row(labels["member"], receipt.member_no + (labels["provisional"] if is_provisional_member_no(receipt.member_no) else ""))
    row(labels["name"], receipt.masked_name)
    rule()
    row(labels["reward"], reward)
    row(labels["code"], receipt.reward_code)
    row(labels["qty"], f"{receipt.qty}")
    row(labels["points"], formats.number(receipt.points, language), bold_value=True)
    row(labels["balance"], formats.number(receipt.balance_after, language))
    rule()

    barcode = code128.Code128(receipt.number, barHeight=9 * mm, barWidth=0.28 * mm, quiet=False)
    barcode.drawOn(canvas, (WIDTH - barcode.width) / 2, y - 9 * mm)
    y -= 13 * mm
    centred(receipt.number, 7)
    y -= 4 * mm
    canvas.setFont(font, 8.5)
    canvas.drawString(MARGIN, y, labels["signature"])
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN + pdfmetrics.stringWidth(labels["signature"], font, 8.5) + 2 * mm, y - 1, WIDTH - MARGIN, y - 1)
    y -= 8 * mm
    for line in wrap_text(labels["note"].format(days=return_days), font, 6.5, inner):
        canvas.setFont(font, 6.5)
        canvas.drawString(MARGIN, y, line)
        y -= 6.5 * 1.4
    y -= 2 * mm
    centred(labels["copy"], 6.5)
    canvas.showPage()
    canvas.save()
    return path
