"""The month-end points liability report: an Excel workbook (three sheets, through
``documents.workbooks``: numbers as numbers, CNY in a currency format) and an A4 landscape PDF in
the statement's style, fonts and colours, in Chinese or English.

Both take any object shaped like ``services.liability.dto.LiabilityReport``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from loyalty_desk.documents import formats
from loyalty_desk.documents.fonts import cjk_font
from loyalty_desk.documents.formats import document_language
from loyalty_desk.documents.liability_wording import LABELS
from loyalty_desk.documents.report_pdf import figure_table, write_report_pdf
from loyalty_desk.documents.statement_layout import ACCENT, INK, MUTED, SHADE, paragraph_styles
from loyalty_desk.documents.statement_wording import MONTHS_EN, tier_name
from loyalty_desk.documents.workbooks import NUMBER, TEXT, Column, Sheet, Styled, write_workbook

CNY = '"¥"#,##0.00'
PERCENT = "0.00%"
TIER_NAMES_EN = {"standard": "Standard", "silver": "Silver", "gold": "Gold", "platinum": "Platinum"}

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN_X = 14 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 16 * mm


# ---------------------------------------------------------------------- workbook

ROLLFORWARD_COLUMNS = (
    Column("Branch", 8, TEXT), Column("Branch name", 18, TEXT), Column("Tier", 10, TEXT),
    Column("Opening (points)", 15, NUMBER), Column("Issued (points)", 14, NUMBER), Column("Redeemed (points)", 14, NUMBER),
    Column("Expired (points)", 14, NUMBER), Column("Adjusted (points)", 14, NUMBER), Column("Closing (points)", 15, NUMBER),
    Column("Open lots at month end (points)", 16, NUMBER), Column("Difference (points)", 12, NUMBER),
    Column("Opening (CNY)", 15, CNY), Column("Issued (CNY)", 14, CNY), Column("Redeemed (CNY)", 14, CNY),
    Column("Expired (CNY)", 14, CNY), Column("Adjusted (CNY)", 14, CNY), Column("Closing (CNY)", 15, CNY),
)
EXPIRY_COLUMNS = (Column("Expire at the end of", 22, TEXT), Column("Points", 15, NUMBER), Column("CNY", 15, CNY))
BREAKAGE_COLUMNS = (
    Column("Branch", 8, TEXT), Column("Branch name", 18, TEXT), Column("Issued (points)", 15, NUMBER),
    Column("Expired (points)", 15, NUMBER), Column("Breakage rate", 13, PERCENT), Column("Issued (CNY)", 15, CNY),
    Column("Expired (CNY)", 15, CNY),
)


def reconciliation_sentence(report: Any, language: str) -> str:
    """"Reconciled: ..." or "NOT reconciled: ... a difference of N points" in the document's language."""
    lang = document_language(language)
    labels = LABELS[lang]
    total = report.total
    day = formats.day(report.month_end, lang)
    if report.reconciled:
        return labels["reconciled"].format(points=formats.number(total.closing, lang), cny=_money(report.cny(total.closing), lang), date=day)
    return labels["not_reconciled"].format(
        points=formats.number(total.closing, lang), lots=formats.number(total.lots_at_close, lang),
        difference=formats.number(total.difference, lang), date=day,
    )


def write_liability_workbook(report: Any, path: Path | str) -> Path:
    """The roll-forward by branch and tier, the expiry by month and the breakage estimate."""
    path = Path(path)
    scope = report.branch_code or "all branches"
    lead = (
        Styled(f"Points liability, {report.month_text}, {scope}", bold=True, size=13),
        Styled(
            f"Point value: 100 points = CNY {report.point_value_cny_per_100_points}. Produced {report.produced_at:%Y-%m-%d %H:%M} UTC "
            f"by {report.produced_by}. Closing = opening + issued - redeemed - expired + adjusted.",
            italic=True,
        ),
        Styled(reconciliation_sentence(report, "en"), bold=not report.reconciled, italic=report.reconciled),
    )
    sheets = [
        Sheet("Roll-forward", ROLLFORWARD_COLUMNS, _rollforward_rows(report), lead=lead),
        Sheet("Expiry by month", EXPIRY_COLUMNS, _expiry_rows(report), lead=(
            Styled(f"Open points at the end of {report.month_end.isoformat()} by the month they expire at the end of", bold=True),
        )),
        Sheet("Breakage", BREAKAGE_COLUMNS, _breakage_rows(report), lead=(
            Styled(f"Breakage estimate, {report.breakage_from.isoformat()} to {report.breakage_to.isoformat()} (24 months)", bold=True),
            Styled("Breakage rate = points expired in the window / points issued in the window (both net of reversals)", italic=True),
        )),
    ]
    write_workbook(path, sheets)
    return path


def _rollforward_rows(report: Any) -> Iterator[tuple[Any, ...]]:
    for line in report.lines:
        yield _rollforward_row(report, line, line.branch_code, report.branch_name(line.branch_code, "en"), TIER_NAMES_EN.get(line.tier, line.tier))
    total = report.total
    yield tuple(Styled(value, bold=True) if value is not None else None for value in _rollforward_row(report, total, "Total", None, None))


def _rollforward_row(report: Any, line: Any, branch: str, name: str | None, tier: str | None) -> tuple[Any, ...]:
    points = (line.opening, line.issued, line.redeemed, line.expired, line.adjusted, line.closing)
    return (branch, name, tier, *points, line.lots_at_close, line.difference, *(report.cny(value) for value in points))


def _expiry_rows(report: Any) -> Iterator[tuple[Any, ...]]:
    yield ("Past their date, awaiting the expiry run", report.past_expiry, report.cny(report.past_expiry))
    for item in report.expiring:
        yield (f"{item.month.year:04d}-{item.month.month:02d}", item.points, report.cny(item.points))
    total = report.past_expiry + sum(item.points for item in report.expiring)
    yield (Styled("Total", bold=True), Styled(total, bold=True), Styled(report.cny(total), bold=True))


def _breakage_rows(report: Any) -> Iterator[tuple[Any, ...]]:
    for line in report.breakage:
        values = (line.branch_code or "Total", report.branch_name(line.branch_code, "en") if line.branch_code else None,
                  line.issued, line.expired, line.rate, report.cny(line.issued), report.cny(line.expired))
        yield values if line.branch_code else tuple(Styled(v, bold=True) if v is not None else None for v in values)


# ---------------------------------------------------------------------- PDF


def _scope(report: Any, lang: str) -> str:
    labels = LABELS[lang]
    if report.branch_code:
        return f"{labels['scope']}: {report.branch_name(report.branch_code, lang)} ({report.branch_code})" if lang == "en" else (
            f"{labels['scope']}：{report.branch_name(report.branch_code, lang)}（{report.branch_code}）")
    return f"{labels['scope']}: {labels['all_branches']}" if lang == "en" else f"{labels['scope']}：{labels['all_branches']}"


def _month_name(month: Any, lang: str) -> str:
    return LABELS[lang]["month_value"].format(year=month.year, month=month.month, month_name=MONTHS_EN[month.month - 1])


def _money(value: Decimal, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.00", locale=formats.locale_for(lang))


def _signed(value: int, lang: str) -> str:
    return ("+" if value > 0 else "") + formats.number(value, lang)


class _Figures(Flowable):
    """The summary: six boxes (opening, issued, redeemed, expired, adjusted, closing), points over CNY."""

    HEIGHT = 17 * mm

    def __init__(self, report: Any, lang: str, font: str, width: float) -> None:
        super().__init__()
        labels = LABELS[lang]
        total = report.total
        self.items = [
            (labels["opening"], formats.number(total.opening, lang), report.cny(total.opening), INK),
            (labels["issued"], _signed(total.issued, lang), report.cny(total.issued), INK),
            (labels["redeemed"], _signed(-total.redeemed, lang), report.cny(total.redeemed), INK),
            (labels["expired"], _signed(-total.expired, lang), report.cny(total.expired), INK),
            (labels["adjusted"], _signed(total.adjusted, lang), report.cny(total.adjusted), INK),
            (labels["closing"], formats.number(total.closing, lang), report.cny(total.closing), ACCENT),
        ]
        self.lang = lang
        self.font = font
        self.width = width
        self.currency = "¥" if lang == "zh_CN" else "CNY "

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.HEIGHT

    def draw(self) -> None:
        canvas = self.canv
        width = self.width / len(self.items)
        canvas.setFillColor(SHADE)
        canvas.rect(0, 0, self.width, self.HEIGHT, stroke=0, fill=1)
        canvas.setStrokeColor(colors.white)
        canvas.setLineWidth(0.5)
        for index, (label, points, cny, colour) in enumerate(self.items):
            centre = width * index + width / 2
            if index:
                canvas.line(width * index, 0, width * index, self.HEIGHT)
            canvas.setFont(self.font, 8)
            canvas.setFillColor(MUTED)
            canvas.drawCentredString(centre, self.HEIGHT - 4.5 * mm, label)
            canvas.setFont(self.font, 12)
            canvas.setFillColor(colour)
            canvas.drawCentredString(centre, 6 * mm, points)
            canvas.setFont(self.font, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawCentredString(centre, 2.2 * mm, self.currency + _money(cny, self.lang))


def _table(rows: list[list[str]], widths: list[float], font: str, *, numeric_from: int, total_rows: int = 1) -> Table:
    return figure_table(rows, widths, font, numeric_from=numeric_from, total_rows=total_rows)


def _story(report: Any, lang: str, font: str, width: float) -> list[Flowable]:
    labels = LABELS[lang]
    styles = paragraph_styles(font)
    heading = styles["h"]
    warning = ParagraphStyle("warning", parent=styles["base"], textColor=ACCENT, fontSize=9, leading=12)
    number = formats.number
    story: list[Flowable] = []
    facts = [
        f"{labels['month']}：{_month_name(report.month, lang)}" if lang == "zh_CN" else f"{labels['month']}: {_month_name(report.month, lang)}",
        _scope(report, lang),
        (f"{labels['point_value']}：" if lang == "zh_CN" else f"{labels['point_value']}: ")
        + labels["point_value_value"].format(cny=report.point_value_cny_per_100_points),
    ]
    story.append(Paragraph(escape("　　".join(facts) if lang == "zh_CN" else "    ·    ".join(facts)), styles["base"]))
    story.append(Spacer(0, 2 * mm))
    story.append(Paragraph(escape(labels["summary"]), heading))
    story.append(_Figures(report, lang, font, width))
    story.append(Spacer(0, 3 * mm))
    story.append(Paragraph(escape(reconciliation_sentence(report, lang)), warning if not report.reconciled else styles["base"]))

    # roll-forward
    header = [labels["branch"], labels["tier"], labels["opening"], labels["issued"], labels["redeemed"], labels["expired"],
              labels["adjusted"], labels["closing"], labels["closing_cny"], labels["difference"]]
    rows = [header]
    for line in report.lines:
        rows.append([
            f"{line.branch_code} {report.branch_name(line.branch_code, lang)}", tier_name(line.tier, lang), number(line.opening, lang),
            number(line.issued, lang), number(line.redeemed, lang), number(line.expired, lang), _signed(line.adjusted, lang),
            number(line.closing, lang), _money(report.cny(line.closing), lang), number(line.difference, lang),
        ])
    total = report.total
    rows.append([
        labels["total"], "", number(total.opening, lang), number(total.issued, lang), number(total.redeemed, lang),
        number(total.expired, lang), _signed(total.adjusted, lang), number(total.closing, lang), _money(report.cny(total.closing), lang),
        number(total.difference, lang),
    ])
    widths = [0.0, 17 * mm] + [24 * mm] * 6 + [27 * mm, 17 * mm]
    widths[0] = width - sum(widths)
    story.append(Paragraph(escape(labels["rollforward"]), heading))
    if report.lines:
        story.append(_table(rows, widths, font, numeric_from=2))
    else:
        story.append(Paragraph(escape(labels["no_lines"]), styles["base"]))

    # expiry and breakage side by side
    expiry_rows = [[labels["expiry_month"], labels["points"], labels["cny"]]]
    expiry_rows.append([labels["past_expiry"], number(report.past_expiry, lang), _money(report.cny(report.past_expiry), lang)])
    for item in report.expiring:
        month = labels["expiry_row"].format(year=item.month.year, month=item.month.month, month_name=MONTHS_EN[item.month.month - 1])
        expiry_rows.append([month, number(item.points, lang), _money(report.cny(item.points), lang)])
    expiring_total = report.past_expiry + sum(item.points for item in report.expiring)
    expiry_rows.append([labels["total"], number(expiring_total, lang), _money(report.cny(expiring_total), lang)])
    half = (width - 8 * mm) / 2
    past_style = ParagraphStyle("past", parent=styles["base"], fontSize=8, leading=10)
    expiry_rows[1][0] = Paragraph(escape(expiry_rows[1][0]), past_style)
    expiry = _table(expiry_rows, [half - 56 * mm, 28 * mm, 28 * mm], font, numeric_from=1)

    breakage_rows = [[labels["branch"], labels["breakage_issued"], labels["breakage_expired"], labels["breakage_rate"]]]
    for line in report.breakage:
        rate = f"{line.rate * 100:.2f}%" if line.rate is not None else labels["not_applicable"]
        name = f"{line.branch_code} {report.branch_name(line.branch_code, lang)}" if line.branch_code else labels["total"]
        breakage_rows.append([name, number(line.issued, lang), number(line.expired, lang), rate])
    breakage = _table(breakage_rows, [half - 82 * mm, 28 * mm, 28 * mm, 26 * mm], font, numeric_from=1)
    breakage_block = [
        Paragraph(escape(labels["breakage"]), heading),
        Paragraph(escape(labels["breakage_window"].format(start=formats.day(report.breakage_from, lang), end=formats.day(report.breakage_to, lang))),
                  styles["small"]),
        Spacer(0, 1.5 * mm),
        breakage,
        Spacer(0, 1.5 * mm),
        Paragraph(escape(labels["breakage_formula"]), styles["small"]),
        Spacer(0, 4 * mm),
        Paragraph(escape(labels["notes"]), styles["small"]),
    ]
    side_by_side = Table(
        [[[Paragraph(escape(labels["expiry"]), heading), expiry], breakage_block]],
        colWidths=[half + 4 * mm, half + 4 * mm],
    )
    side_by_side.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (1, 0), (1, 0), 8 * mm),
    ]))
    story.append(Spacer(0, 2 * mm))
    story.append(KeepTogether([side_by_side]))
    return story


def render_liability_pdf(report: Any, path: Path | str, language: str = "zh_CN") -> Path:
    """Writes the report as an A4 landscape PDF in ``language`` (``zh_CN`` or ``en``)."""
    lang = document_language(language)
    font = cjk_font()
    labels = LABELS[lang]
    month = _month_name(report.month, lang)
    produced = labels["produced_value"].format(date=formats.moment(report.produced_at, lang), user=report.produced_by)
    return write_report_pdf(
        path, page_size=(PAGE_WIDTH, PAGE_HEIGHT), margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM), font=font,
        title=f"{labels['title']} {report.month_text}", subject=f"{report.month_text} {report.branch_code or ''}".strip(),
        heading=(report.bank_name_zh if lang == "zh_CN" else report.bank_name_en, _scope(report, lang)),
        title_block=(labels["title"], f"{labels['month']} {month}"),
        footer_text=f"{labels['title']} · {month} · {labels['produced']} {produced}",
        page_text=lambda page, pages: labels["page"].format(page=page, pages=pages),
        story=lambda width: _story(report, lang, font, width),
    )
