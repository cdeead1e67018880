"""The member points statement (积分对账单) as an A4 PDF, in Chinese or English.

Every page carries the bank and branch, the statement number and "page x of y"; the first
page the member, the period, the summary (opening, earned, spent, closing), the points expiring
in each of the next three months and a QR code with the signed figures (see
``services.statements``); then every entry with its running balance, totals and the closing
balance. Several statements can go into one file, each numbered on its own ("page x of y" per
statement). Text uses the embedded CJK TrueType font (``documents.fonts``), so names render
the same everywhere and the text can be extracted.

The renderer takes any object shaped like ``services.statements.StatementData``. Its words are in
``statement_wording``, its page layout in ``statement_layout``; this module puts them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph, Spacer

from loyalty_desk.documents import formats
from loyalty_desk.documents.fonts import cjk_font, wrap_text
from loyalty_desk.documents.formats import document_language
from loyalty_desk.documents.statement_layout import (
    CELL_PAD,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    EntryTable,
    NumberedCanvas,
    Overview,
    StatementStart,
    draw_header,
    paragraph_styles,
)
from loyalty_desk.documents.statement_wording import LABELS, describe_line, points_text


def _story(index: int, data: Any, font: str, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    lang = document_language(data.language)
    labels = LABELS[lang]
    story: list[Flowable] = [StatementStart(index, data)]

    story.append(Overview(data, font, width))
    # entries
    col = [22 * mm, 0, 24 * mm, 24 * mm, 27 * mm]
    col[1] = width - sum(col)
    description_width = col[1] - 2 * CELL_PAD
    header = [labels["date"], labels["description"], labels["col_earned"], labels["col_spent"], labels["col_balance"]]
    rows: list[tuple[list[str], tuple[str, ...], int]] = [(["", "", "", "", points_text(data.opening)], (labels["opening_row"],), 1)]
    for line in data.lines:
        text = describe_line(line, lang)
        lines = (text,) if pdfmetrics.stringWidth(text, font, 8) <= description_width else tuple(wrap_text(text, font, 8, description_width))
        rows.append(
            (
                [
                    formats.day(line.occurred_on, lang),
                    "",
                    points_text(line.earned) if line.earned else "",
                    points_text(line.spent) if line.spent else "",
                    points_text(line.balance_after),
                ],
                lines,
                0,
            )
        )
    if not data.lines:
        rows.append((["", "", "", "", ""], (labels["no_entries"],), 0))
    rows.append((["", "", points_text(data.total_earned), points_text(data.total_spent), ""], (labels["totals"],), 2))
    rows.append((["", "", "", "", points_text(data.closing)], (labels["closing_row"],), 3))
    entries = EntryTable(header, rows, col, font)
    story.append(entries)
    story.append(Spacer(0, 4 * mm))
    story.append(Paragraph(escape(labels["note"]), styles["small"]))
    return story


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
    frame = Frame(
        MARGIN_X, MARGIN_BOTTOM, PAGE_WIDTH - 2 * MARGIN_X, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="statement", frames=[frame], onPageEnd=draw_header)])
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
    styles = paragraph_styles(font)
    first = items[0]
    labels = LABELS[document_language(first.language)]
    title = f"{labels['title']} {first.statement_no}" if len(items) == 1 else f"{labels['title']} ({len(items)})"
    doc = _document(path, title, first.statement_no, font)
    width = PAGE_WIDTH - 2 * MARGIN_X
    story: list[Flowable] = []
    for index, data in enumerate(items):
        if index:
            story.append(PageBreak())
        story += _story(index, data, font, styles, width)
    doc.build(story, canvasmaker=NumberedCanvas)
    return path


def render_statement(data: Any, path: Path | str) -> Path:
    """Writes one statement to ``path`` (PDF) and returns the path."""
    return render_statements([data], path)
