"""The statement's page layout: geometry and colours, the page header and "page x of y" footer, the
first page's overview and the entry table. Drawn straight onto the canvas where platypus tables
would cost more than the rest of the page together."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from loyalty_desk.documents import formats
from loyalty_desk.documents.fonts import cjk_font, wrap_text
from loyalty_desk.documents.formats import document_language
from loyalty_desk.documents.qr_code import QrCode
from loyalty_desk.documents.statement_wording import ID_TYPES, LABELS, MONTHS_EN, points_text, signed_points, tier_name

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 18 * mm
INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#6b7280")
ACCENT = colors.HexColor("#9f1d20")  # a bank's red
RULE = colors.HexColor("#d1d5db")
SHADE = colors.HexColor("#f3f4f6")
HEADER_HEIGHT = 6.5 * mm
ENTRY_LEADING = 10.0
ENTRY_PAD = 2.2
CELL_PAD = 4.0


class StatementStart(Flowable):
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


class PagedCanvas(Canvas):
    """Holds the pages until ``save`` so that each can say "page x of y" of the whole document:
    ``footer`` draws each page's foot with the canvas's state as it was on that page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ld_paged: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._ld_paged.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._ld_paged)
        for number, state in enumerate(self._ld_paged, start=1):
            self.__dict__.update(state)
            self.footer(number, count)
            Canvas.showPage(self)
        Canvas.save(self)

    def footer(self, page: int, pages: int) -> None:
        raise NotImplementedError


def draw_footer_line(canvas: Canvas, font: str, *, y: float, left: float, right: float, text: str, page_text: str) -> None:
    """The foot of every page the desk prints: a rule, what the page belongs to on the left, its page number on the right."""
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, y + 4 * mm, right, y + 4 * mm)
    canvas.setFont(font, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(left, y, text)
    canvas.drawRightString(right, y, page_text)
    canvas.restoreState()


class NumberedCanvas(Canvas):
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


def draw_header(canvas: Canvas, doc: Any) -> None:
    statement = getattr(canvas, "_ld_statement", None)
    if statement is None:
        return
    data = statement[1]
    lang = document_language(data.language)
    labels = LABELS[lang]
    font = doc.ld_font
    zh = lang == "zh_CN"
    branch = data.branch_name_zh if zh else data.branch_name_en
    draw_banner(canvas, font, top=PAGE_HEIGHT - 12 * mm, left=MARGIN_X, right=PAGE_WIDTH - MARGIN_X,
                heading=(data.bank_name_zh if zh else data.bank_name_en, f"{branch} ({data.branch_code})"),
                title=(labels["title"], f"{labels['statement_no']} {data.statement_no}"))


def draw_banner(canvas: Canvas, font: str, *, top: float, left: float, right: float, heading: tuple[str, str], title: tuple[str, str]) -> None:
    """The running head of every page the desk prints: an accent bar, the bank and a line under it on
    the left, the document's title and its number or period on the right, ruled off below."""
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(left, top - 1.2 * mm, 2.2 * mm, 9 * mm, stroke=0, fill=1)
    for x, draw, (big, small) in ((left + 4.5 * mm, canvas.drawString, heading), (right, canvas.drawRightString, title)):
        canvas.setFillColor(INK)
        canvas.setFont(font, 13)
        draw(x, top + 3.5 * mm, big)
        canvas.setFont(font, 8)
        canvas.setFillColor(MUTED)
        draw(x, top - 1 * mm, small)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(left, top - 4 * mm, right, top - 4 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, data: Any, page: int, pages: int) -> None:
    lang = document_language(data.language)
    labels = LABELS[lang]
    draw_footer_line(canvas, cjk_font(), y=10 * mm, left=MARGIN_X, right=PAGE_WIDTH - MARGIN_X,
                     text=f"{labels['statement_no']} {data.statement_no} · {data.member_no} · {labels['issued']} {formats.day(data.issued_on, lang)}",
                     page_text=labels["page"].format(page=page, pages=pages))



def paragraph_styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=8.5, leading=11, textColor=INK, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10, textColor=MUTED),
        "h": ParagraphStyle("h", parent=base, fontSize=10.5, leading=14, spaceBefore=4, spaceAfter=3, textColor=ACCENT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
    }



class EntryTable(Flowable):
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
                    EntryTable(self.header, self.rows[:index], self.widths, self.font),
                    EntryTable(self.header, self.rows[index:], self.widths, self.font),
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


class Overview(Flowable):
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
        lang = document_language(data.language)
        self.lang = lang
        self.labels = LABELS[lang]
        zh = lang == "zh_CN"
        labels = self.labels
        if data.next_tier and data.points_to_next is not None:
            progress = labels["to_next"].format(points=points_text(data.points_to_next), tier=tier_name(data.next_tier, lang))
        else:
            progress = labels["top"]
        if data.keep_points_needed and data.keep_by:
            progress += "；" if zh else "; "
            keep_by = formats.day(data.keep_by, lang)
            progress += labels["keep"].format(points=points_text(data.keep_points_needed), date=keep_by, tier=tier_name(data.tier, lang))
        progress += ("。" if zh else ". ") + labels["qualifying"].format(points=points_text(data.qualifying_points))
        self.qr_size = 30 * mm
        info_width = width - self.qr_size - 6 * mm
        self.columns = (0.0, 0.17 * info_width, 0.53 * info_width, 0.69 * info_width)
        id_type = ID_TYPES[lang].get(data.id_type, data.id_type)
        period = f"{formats.day(data.period_from, lang)} {labels['to']} {formats.day(data.period_to, lang)}"
        self.pairs = [
            (labels["member_no"], data.member_no, labels["period"], period),
            (labels["name"], data.name, labels["issued"], formats.day(data.issued_on, lang)),
            (labels["id"], f"{data.masked_id} ({id_type})", labels["branch"], data.branch_code),
            (labels["tier"], tier_name(data.tier, lang), labels["referral"], data.referral_code or labels["none"]),
        ]
        self.progress_label = labels["progress"]
        self.progress = wrap_text(progress, font, 8.5, info_width - self.columns[1])[:3]
        self.qr = QrCode(data.qr_text or data.statement_no, self.qr_size)
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
            (labels["opening"], points_text(data.opening), INK),
            (labels["earned"], signed_points(data.total_earned, "+"), INK),
            (labels["spent"], signed_points(data.total_spent, "-"), INK),
            (labels["closing"], points_text(data.closing), ACCENT),
        ]
        self._boxes(y, figures, value_size=13, shaded=True)
        y -= self.BOX
        y = self._heading(y, labels["expiring"])
        expiring = [
            (
                labels["expiring_month"].format(year=item.month.year, month=item.month.month, month_name=MONTHS_EN[item.month.month - 1]),
                points_text(item.points),
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

