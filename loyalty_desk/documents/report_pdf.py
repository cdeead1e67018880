"""Head office's reports as PDF (the points liability, the programme results): the bank's banner on
every page, a foot with "page x of y", and the figure tables they share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from loyalty_desk.documents.statement_layout import ACCENT, INK, RULE, SHADE, PagedCanvas, draw_banner, draw_footer_line


def figure_table(rows: list[list[str]], widths: list[float], font: str, *, numeric_from: int, total_rows: int = 0) -> Table:
    """A table of figures: the header row on the accent, figures from column ``numeric_from`` right-aligned,
    the last ``total_rows`` shaded under a rule as totals."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), font, 8),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 1), (-1, -1 - total_rows), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
    ]
    if total_rows:
        style += [
            ("BACKGROUND", (0, -total_rows), (-1, -1), SHADE),
            ("LINEABOVE", (0, -total_rows), (-1, -total_rows), 0.8, INK),
        ]
    table.setStyle(TableStyle(style))
    return table


def write_report_pdf(
    path: Path | str, *, page_size: tuple[float, float], margins: tuple[float, float, float], font: str, title: str, subject: str,
    heading: tuple[str, str], title_block: tuple[str, str], footer_text: str, page_text: Callable[[int, int], str],
    story: Callable[[float], list[Flowable]],
) -> Path:
    """Writes ``story(width)`` to ``path``: ``heading`` and ``title_block`` in the banner of every page,
    ``footer_text`` and ``page_text(page, pages)`` at its foot. ``margins``: (sides, top, bottom)."""
    rl_config.useA85 = 0
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page_width, page_height = page_size
    side, top, bottom = margins
    doc = BaseDocTemplate(
        str(path), pagesize=page_size, leftMargin=side, rightMargin=side, topMargin=top, bottomMargin=bottom,
        title=title, author="Loyalty Desk", subject=subject, pageCompression=1, invariant=0,
    )
    width = page_width - 2 * side
    frame = Frame(side, bottom, width, page_height - top - bottom, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def banner(canvas: Canvas, _doc: object) -> None:
        draw_banner(canvas, font, top=page_height - 12 * mm, left=side, right=page_width - side, heading=heading, title=title_block)

    class NumberedCanvas(PagedCanvas):
        def footer(self, page: int, pages: int) -> None:
            draw_footer_line(self, font, y=9 * mm, left=side, right=page_width - side, text=footer_text, page_text=page_text(page, pages))

    doc.addPageTemplates([PageTemplate(id="report", frames=[frame], onPage=banner)])
    doc.build(story(width), canvasmaker=NumberedCanvas)
    return path
