"""The programme results as an Excel workbook with native Excel charts (through ``documents.workbooks``)
and as an A4 PDF, a table per section with its chart drawn by reportlab's graphics, in Chinese or English.

Both take any object shaped like ``services.analytics.dto.ProgrammeResults``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from loyalty_desk.documents import formats
from loyalty_desk.documents.fonts import cjk_font
from loyalty_desk.documents.formats import document_language
from loyalty_desk.documents.report_pdf import figure_table, write_report_pdf
from loyalty_desk.documents.results_wording import LABELS, category_name, source_name
from loyalty_desk.documents.statement_layout import ACCENT, paragraph_styles
from loyalty_desk.documents.statement_wording import tier_name
from loyalty_desk.documents.workbooks import NUMBER, TEXT, Chart, Column, Sheet, Styled, write_workbook

CNY = '"¥"#,##0.00'
PERCENT = "0.00%"
SECOND = colors.HexColor("#5B7083")  # the second series beside the accent

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 16 * mm


def _rate(value: Decimal | None, lang: str) -> str:
    return f"{value * 100:.2f}%" if value is not None else LABELS[lang]["not_applicable"]


def _month(value: Any) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def scope_text(results: Any, lang: str) -> str:
    labels = LABELS[lang]
    branch = f"{results.branch_name(results.branch_code, lang)} ({results.branch_code})" if results.branch_code else labels["all_branches"]
    tier = tier_name(results.tier, lang) if results.tier else labels["all_tiers"]
    return f"{branch} · {labels['tier_scope']}: {tier}" if lang == "en" else f"{branch} · {labels['tier_scope']}：{tier}"


def summary_rows(results: Any, lang: str) -> list[tuple[str, Any, Any]]:
    """(label, value, CNY or None): the headline figures, rates as fractions (None: no figure)."""
    labels = LABELS[lang]
    return [
        (labels["members"], results.members, None),
        (labels["active"], results.active, None),
        (labels["participation"], results.participation_rate, None),
        (labels["active_previous"], results.active_previous, None),
        (labels["retained"], results.retained, None),
        (labels["retention"], results.retention_rate, None),
        (labels["issued"], results.issued, results.cny(results.issued)),
        (labels["redeemed"], results.redeemed, results.cny(results.redeemed)),
        (labels["expired"], results.expired, results.cny(results.expired)),
        (labels["redemption_rate"], results.redemption_rate, None),
        (labels["breakage"], results.breakage_rate, None),
        (labels["conversion"], results.referrals.conversion, None),
    ]


def tier_move_rows(results: Any, lang: str) -> list[tuple[str, int, int]]:
    """(home branch, moved up, moved down) per branch, then the total."""
    labels = LABELS[lang]
    rows = [(move.branch_code or labels["not_held"], move.up, move.down) for move in results.tier_moves]
    return [*rows, (labels["all_branches_total"], results.moved_up, results.moved_down)]


SpendRow = tuple[str, str, int, Decimal | None, int, Decimal | None, Decimal | None, Decimal | None]


def campaign_spend_rows(results: Any, lang: str, *, with_name: bool = True) -> list[SpendRow]:
    """Per campaign that ran in a month of the period: (campaign, months compared, participants, their average
    spend, eligible members not taking part, their average spend, incremental spend, return per CNY); None: n/a.
    A campaign whose segment was not evaluated is marked ``*``; ``with_name``: its code and name, else its code
    (the PDF's narrow column: the campaigns' table above names them)."""
    rows = []
    for c in results.campaigns:
        if c.months_compared is None:
            continue
        first, last = (_month(month) for month in c.months_compared)
        name = (f"{c.code} {c.name_en if lang == 'en' else c.name_zh}" if with_name else c.code) + (" *" if c.eligibility_by_branch_only else "")
        rows.append((name, first if first == last else f"{first} – {last}", c.participants, c.average_spend_participant, c.comparison_members,
                     c.average_spend_comparison, c.incremental_spend, c.return_per_cny))
    return rows


def funnel_rows(results: Any, lang: str) -> list[tuple[str, int]]:
    labels = LABELS[lang]
    funnel = results.referrals
    return [(labels[stage], getattr(funnel, stage)) for stage in ("registered", "qualified", "rewarded", "clawed_back")]


# ---------------------------------------------------------------------- workbook


def write_results_workbook(results: Any, path: Path | str, language: str = "en") -> Path:
    """A sheet per section, the charts native to Excel beside their tables."""
    lang = document_language(language)
    labels = LABELS[lang]
    path = Path(path)
    lead = (
        Styled(f"{labels['title']}, {results.period_text}, {scope_text(results, lang)}", bold=True, size=13),
        Styled(
            f"{labels['point_value']}: {labels['point_value_value'].format(cny=results.point_value_cny_per_100_points)}. "
            f"{labels['produced']} {results.produced_at:%Y-%m-%d %H:%M} UTC, {results.produced_by}.",
            italic=True,
        ),
    )
    summary = [
        (label, Styled(float(value), number_format=PERCENT) if isinstance(value, Decimal) else (labels["not_applicable"] if value is None else value), cny)
        for label, value, cny in summary_rows(results, lang)
    ]
    sheets = [
        Sheet(labels["summary"], (Column(labels["figure"], 40, TEXT), Column(labels["value"], 16, NUMBER), Column(labels["cny"], 16, CNY)),
              summary, lead=(*lead, Styled(labels["notes"], italic=True)), auto_filter=False),
        Sheet(labels["by_month"], (Column(labels["month"], 10, TEXT), Column(labels["issued"], 14, NUMBER), Column(labels["redeemed"], 14, NUMBER),
                                   Column(labels["expired"], 14, NUMBER)),
              [(_month(m.month), m.issued, m.redeemed, m.expired) for m in results.months],
              charts=(Chart("line", labels["by_month"], (1, 2), anchor="F2"),)),
        Sheet(labels["by_source"], (Column(labels["source"], 24, TEXT), Column(labels["points"], 14, NUMBER), Column(labels["entries"], 12, NUMBER),
                                    Column(labels["cny"], 14, CNY)),
              [(source_name(s.source, lang), s.points, s.entries, results.cny(s.points)) for s in results.issued_by_source],
              charts=(Chart("column", labels["by_source"], (1,), anchor="F2"),)),
        Sheet(labels["by_category"], (Column(labels["category"], 22, TEXT), Column(labels["points"], 14, NUMBER), Column(labels["redemptions"], 12, NUMBER),
                                      Column(labels["cny"], 14, CNY)),
              [(category_name(c.category, lang), c.points, c.redemptions, results.cny(c.points)) for c in results.redeemed_by_category],
              charts=(Chart("column", labels["by_category"], (1,), anchor="F2"),)),
        Sheet(labels["tiers"], (Column(labels["tier"], 14, TEXT), Column(labels["members"], 16, NUMBER)),
              [(tier_name(t.tier, lang), t.members) for t in results.tiers],
              charts=(Chart("column", labels["tiers"], (1,), anchor="D2"),)),
        Sheet(labels["tier_moves"], (Column(labels["branch"], 16, TEXT), Column(labels["moved_up"], 12, NUMBER), Column(labels["moved_down"], 12, NUMBER)),
              tier_move_rows(results, lang)[:-1] or [(labels["all_branches_total"], 0, 0)],
              charts=(Chart("column", labels["tier_moves"], (1, 2), anchor="E2"),)),
        Sheet(labels["referrals"], (Column(labels["stage"], 16, TEXT), Column(labels["count"], 12, NUMBER)),
              funnel_rows(results, lang),
              charts=(Chart("bar", labels["referrals"], (1,), anchor="D2"),)),
        Sheet(labels["campaigns"], (Column(labels["campaign"], 16, TEXT), Column(labels["campaign"], 28, TEXT), Column(labels["points"], 14, NUMBER),
                                    Column(labels["reached"], 14, NUMBER), Column(labels["cost"], 14, CNY)),
              [(c.code, c.name_en if lang == "en" else c.name_zh, c.points, c.members_reached, c.cost_cny) for c in results.campaigns]),
        Sheet(labels["campaign_spend_sheet"], (Column(labels["campaign"], 30, TEXT), Column(labels["months_compared"], 18, TEXT),
                                         Column(labels["participants"], 14, NUMBER), Column(labels["average_participant"], 18, CNY),
                                         Column(labels["comparison"], 16, NUMBER), Column(labels["average_comparison"], 18, CNY),
                                         Column(labels["incremental"], 18, CNY), Column(labels["return_per_cny"], 14, "#,##0.00")),
              [tuple(labels["not_applicable"] if value is None else value for value in row) for row in campaign_spend_rows(results, lang)],
              lead=(Styled(labels["segment_marked"], italic=True),) if any(c.eligibility_by_branch_only for c in results.campaigns) else ()),
    ]
    write_workbook(path, sheets)
    return path


# ---------------------------------------------------------------------- PDF


def _table(rows: list[list[Any]], widths: list[float], font: str, *, numeric_from: int) -> Table:
    return figure_table(rows, widths, font, numeric_from=numeric_from)


def _axis_fonts(chart: Any, font: str) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"


def _legend(drawing: Drawing, font: str, items: Sequence[tuple[Any, str]], x: float, y: float) -> None:
    legend = Legend()
    legend.fontName, legend.fontSize, legend.x, legend.y = font, 7, x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.colorNamePairs = list(items)
    drawing.add(legend)


def _line_chart(results: Any, lang: str, font: str, width: float) -> Drawing:
    labels = LABELS[lang]
    drawing = Drawing(width, 62 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 18 * mm, 12 * mm, width - 24 * mm, 44 * mm
    chart.data = [[m.issued for m in results.months], [m.redeemed for m in results.months]]
    chart.categoryAxis.categoryNames = [_month(m.month)[2:] for m in results.months]
    chart.lines[0].strokeColor, chart.lines[1].strokeColor = ACCENT, SECOND
    chart.lines[0].strokeWidth = chart.lines[1].strokeWidth = 1.5
    chart.valueAxis.valueMin = 0
    _axis_fonts(chart, font)
    drawing.add(chart)
    _legend(drawing, font, [(ACCENT, labels["issued"]), (SECOND, labels["redeemed"])], 18 * mm, 4 * mm)
    return drawing


def _bar_chart(names: list[str], values: list[int] | list[list[int]], font: str, width: float, *, horizontal: bool = False) -> Drawing:
    """One bar per name, or (a list of lists) a group of bars per name, a series each."""
    height = (10 + 7 * len(names)) * mm if horizontal else 52 * mm
    drawing = Drawing(width, height)
    if not names:
        drawing.add(String(0, height / 2, "", fontName=font))
        return drawing
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    left = 40 * mm if horizontal else 18 * mm
    chart.x, chart.y, chart.width, chart.height = left, 8 * mm, width - left - 6 * mm, height - 12 * mm
    chart.data = values if values and isinstance(values[0], list) else [values]
    chart.categoryAxis.categoryNames = names
    chart.bars[0].fillColor = ACCENT
    if len(chart.data) > 1:
        chart.bars[1].fillColor = SECOND
    chart.valueAxis.valueMin = 0
    _axis_fonts(chart, font)
    if horizontal:
        chart.categoryAxis.reverseDirection = 1  # the funnel from the top
    drawing.add(chart)
    return drawing


def _section(title: str, table: Flowable, chart: Flowable | None, styles: dict[str, Any]) -> Flowable:
    parts: list[Flowable] = [Paragraph(escape(title), styles["h"]), table]
    if chart is not None:
        parts += [Spacer(0, 2 * mm), chart]
    parts.append(Spacer(0, 3 * mm))
    return KeepTogether(parts)


def _story(results: Any, lang: str, font: str, width: float) -> list[Flowable]:
    labels = LABELS[lang]
    styles = paragraph_styles(font)
    number = formats.number

    def money(value: Decimal) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, format="#,##0.00", locale=formats.locale_for(lang))

    story: list[Flowable] = []
    point_value = labels["point_value_value"].format(cny=results.point_value_cny_per_100_points)
    facts = f"{labels['period']}: {results.period_text} · {scope_text(results, lang)} · {labels['point_value']}: {point_value}"
    story.append(Paragraph(escape(facts), styles["base"]))
    summary = [[labels["figure"], labels["value"], labels["cny"]]]
    for label, value, cny in summary_rows(results, lang):
        shown = _rate(value, lang) if isinstance(value, Decimal) or value is None else number(value, lang)
        summary.append([label, shown, money(cny) if cny is not None else ""])
    story.append(_section(labels["summary"], _table(summary, [width - 70 * mm, 35 * mm, 35 * mm], font, numeric_from=1), None, styles))

    months = [[labels["month"], labels["issued"], labels["redeemed"], labels["expired"]]]
    months += [[_month(m.month), number(m.issued, lang), number(m.redeemed, lang), number(m.expired, lang)] for m in results.months]
    story.append(_section(labels["by_month"], _table(months, [width - 105 * mm, 35 * mm, 35 * mm, 35 * mm], font, numeric_from=1),
                          _line_chart(results, lang, font, width), styles))

    sources = [[labels["source"], labels["points"], labels["entries"], labels["cny"]]]
    sources += [[source_name(s.source, lang), number(s.points, lang), number(s.entries, lang), money(results.cny(s.points))] for s in results.issued_by_source]
    positive = [s for s in results.issued_by_source if s.points > 0]
    story.append(_section(labels["by_source"], _table(sources, [width - 105 * mm, 35 * mm, 35 * mm, 35 * mm], font, numeric_from=1),
                          _bar_chart([source_name(s.source, lang) for s in positive], [s.points for s in positive], font, width, horizontal=True), styles))

    categories = [[labels["category"], labels["points"], labels["redemptions"], labels["cny"]]]
    categories += [[category_name(c.category, lang), number(c.points, lang), number(c.redemptions, lang), money(results.cny(c.points))]
                   for c in results.redeemed_by_category]
    story.append(_section(labels["by_category"], _table(categories, [width - 105 * mm, 35 * mm, 35 * mm, 35 * mm], font, numeric_from=1), None, styles))

    tiers = [[labels["tier"], labels["members"]]] + [[tier_name(t.tier, lang), number(t.members, lang)] for t in results.tiers]
    story.append(_section(labels["tiers"], _table(tiers, [width - 60 * mm, 60 * mm], font, numeric_from=1), None, styles))

    moves = tier_move_rows(results, lang)
    move_rows = [[labels["branch"], labels["moved_up"], labels["moved_down"]]] + [[name, number(up, lang), number(down, lang)] for name, up, down in moves]
    move_chart = None
    if len(moves) > 1:
        move_chart = Drawing(width, 60 * mm)
        move_chart.add(_bar_chart([name for name, _, _ in moves[:-1]], [[up for _, up, _ in moves[:-1]], [down for _, _, down in moves[:-1]]], font, width))
        _legend(move_chart, font, [(ACCENT, labels["moved_up"]), (SECOND, labels["moved_down"])], 18 * mm, 54 * mm)
    story.append(_section(labels["tier_moves"], _table(move_rows, [width - 70 * mm, 35 * mm, 35 * mm], font, numeric_from=1), move_chart, styles))

    funnel = funnel_rows(results, lang)
    referral_rows = [[labels["stage"], labels["count"]]] + [[name, number(count, lang)] for name, count in funnel]
    story.append(_section(labels["referrals"], _table(referral_rows, [width - 60 * mm, 60 * mm], font, numeric_from=1),
                          _bar_chart([name for name, _ in funnel], [count for _, count in funnel], font, width, horizontal=True), styles))

    if results.campaigns:
        campaigns = [[labels["campaign"], labels["points"], labels["reached"], labels["cost"]]]
        campaigns += [[f"{c.code} {c.name_en if lang == 'en' else c.name_zh}", number(c.points, lang), number(c.members_reached, lang), money(c.cost_cny)]
                      for c in results.campaigns]
        story.append(_section(labels["campaigns"], _table(campaigns, [width - 105 * mm, 35 * mm, 35 * mm, 35 * mm], font, numeric_from=1), None, styles))
        spend_rows = campaign_spend_rows(results, lang, with_name=False)
        if spend_rows:
            def figure(value: Decimal | None) -> str:
                return labels["not_applicable"] if value is None else money(value)

            head = ParagraphStyle("spend_head", fontName=font, fontSize=7, leading=8.4, textColor=colors.white)
            head_right = ParagraphStyle("spend_head_right", parent=head, alignment=TA_RIGHT)
            names = ("campaign", "months_compared", "participants", "average_participant", "comparison", "average_comparison", "incremental",
                     "return_per_cny")
            spend: list[list[Any]] = [[Paragraph(escape(labels[name]), head if index < 2 else head_right) for index, name in enumerate(names)]]
            spend += [[name, months, number(joined, lang), figure(joined_avg), number(others, lang), figure(others_avg), figure(incremental), figure(per_cny)]
                      for name, months, joined, joined_avg, others, others_avg, incremental, per_cny in spend_rows]
            columns = [26 * mm, 28 * mm, *([(width - 54 * mm) / 6] * 6)]
            story.append(_section(labels["campaign_spend"], _table(spend, columns, font, numeric_from=2), None, styles))
            if any(c.eligibility_by_branch_only for c in results.campaigns):
                story.append(Paragraph(escape(labels["segment_marked"]), styles["small"]))
    else:
        story.append(Paragraph(escape(labels["campaigns"]), styles["h"]))
        story.append(Paragraph(escape(labels["no_campaigns"]), styles["base"]))
    story.append(Spacer(0, 3 * mm))
    story.append(Paragraph(escape(labels["notes"]), styles["small"]))
    return story


def render_results_pdf(results: Any, path: Path | str, language: str = "zh_CN") -> Path:
    """Writes the results as an A4 PDF in ``language`` (``zh_CN`` or ``en``)."""
    lang = document_language(language)
    font = cjk_font()
    labels = LABELS[lang]
    produced = labels["produced_value"].format(date=formats.moment(results.produced_at, lang), user=results.produced_by)
    return write_report_pdf(
        path, page_size=(PAGE_WIDTH, PAGE_HEIGHT), margins=(MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM), font=font,
        title=f"{labels['title']} {results.period_text}", subject=f"{results.period_text} {results.branch_code or ''}".strip(),
        heading=(labels["title"], scope_text(results, lang)), title_block=(labels["period"], results.period_text),
        footer_text=f"{labels['title']} · {results.period_text} · {labels['produced']} {produced}",
        page_text=lambda page, pages: labels["page"].format(page=page, pages=pages),
        story=lambda width: _story(results, lang, font, width),
    )
