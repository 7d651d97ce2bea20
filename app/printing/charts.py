"""The report's charts, defined once as ReportLab drawings: into the PDF, and as SVG for the window."""
from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from app.printing import fonts

PALETTE = [colors.HexColor(c) for c in ("#b00000", "#d9534f", "#f0ad4e", "#5bc0de", "#5cb85c", "#337ab7",
                                          "#8e44ad", "#7f8c8d", "#c0392b", "#16a085")]


def _title(d: Drawing, text: str) -> None:
    d.add(String(d.width / 2, d.height - 14, text, fontName=fonts.SANS, fontSize=11, textAnchor="middle"))


def category_bars(figures: dict, width: float = 460, height: float = 300) -> Drawing:
    fonts.register()
    rows = [r for r in figures["by_category"] if r["count"]][:12] or figures["by_category"][:1]
    rows = list(reversed(sorted(rows, key=lambda r: r["count"])))[::-1]
    d = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 120, 20, width - 150, height - 50
    chart.data = [[r["count"] for r in rows]]
    chart.categoryAxis.categoryNames = [r["label"] for r in rows]
    chart.categoryAxis.labels.fontName = fonts.SANS
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = fonts.SANS
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = PALETTE[0]
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.SANS
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 8
    d.add(chart)
    _title(d, "投诉类别（本期件数）")
    return d


PERIODS = (("本期", "#b00000"), ("上月", "#f0ad4e"), ("上年同期", "#7f8c8d"))


def period_bars(figures: dict, width: float = 460, height: float = 210) -> Drawing:
    """The main counts of this period beside last month and the same month last year."""
    fonts.register()
    items = [("登记总数", lambda x: x["received"]), ("投诉", lambda x: x["complaints"]),
             ("受理", lambda x: x["accepted"]), ("调解成功", lambda x: x["outcomes"]["resolved"]),
             ("不予受理", lambda x: x["not_accepted"]), ("移送", lambda x: x["outcomes"]["referred"]),
             ("在办", lambda x: x["outcomes"]["open"])]
    periods = [figures, figures["previous_month"], figures["same_month_last_year"]]
    d = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 22, width - 60, height - 66
    chart.data = [[get(p) for _label, get in items] for p in periods]
    chart.categoryAxis.categoryNames = [label for label, _get in items]
    chart.categoryAxis.labels.fontName = fonts.SANS
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = fonts.SANS
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    chart.barLabelFormat = lambda v: f"{v:,.0f}"
    chart.barLabels.fontName = fonts.SANS
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    chart.groupSpacing = 8
    for i, (_name, colour) in enumerate(PERIODS):
        chart.bars[i].fillColor = colors.HexColor(colour)
        chart.bars[i].strokeColor = None
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = 45, height - 34
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = fonts.SANS
    legend.fontSize = 8
    legend.colorNamePairs = [(colors.HexColor(c), f"{n}（{m}）") for (n, c), m in zip(
        PERIODS, (figures["month"], figures["previous_month"]["month"], figures["same_month_last_year"]["month"]),
        strict=True)]
    legend.deltax = 110
    legend.dxTextSpace = 4
    legend.boxAnchor = "sw"
    d.add(legend)
    _title(d, "本期与上月、上年同期比较（件）")
    return d


def nature_pie(figures: dict, width: float = 300, height: float = 240) -> Drawing:
    fonts.register()
    rows = [r for r in figures["by_nature"] if r["count"]] or figures["by_nature"][:1]
    d = Drawing(width, height)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 70, 20, 160, 160
    pie.data = [max(r["count"], 0.0001) for r in rows]
    pie.labels = [f"{r['label']} {r['share'] or 0}%" for r in rows]
    pie.simpleLabels = 0
    pie.sideLabels = 1
    pie.slices.fontName = fonts.SANS
    pie.slices.fontSize = 8
    for i in range(len(rows)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
        pie.slices[i].strokeColor = colors.white
    d.add(pie)
    _title(d, "投诉性质")
    return d


def trend_line(figures: dict, width: float = 460, height: float = 200) -> Drawing:
    fonts.register()
    d = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, width - 60, height - 60
    chart.data = [[t["complaints"] for t in figures["trend"]]]
    chart.categoryAxis.categoryNames = [t["month"][2:] for t in figures["trend"]]
    chart.categoryAxis.labels.fontName = fonts.SANS
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = fonts.SANS
    chart.valueAxis.valueMin = 0
    chart.lines[0].strokeColor = PALETTE[0]
    chart.lines[0].strokeWidth = 2
    d.add(chart)
    _title(d, "近12个月投诉件数")
    return d


def to_svg(drawing: Drawing) -> bytes:
    """The same drawing as SVG, naming the font family Qt knows it by."""
    from reportlab.graphics import renderSVG
    from reportlab.graphics.shapes import Rect

    drawing.background = Rect(0, 0, drawing.width, drawing.height, fillColor=colors.white, strokeColor=None)
    svg = renderSVG.drawToString(drawing)
    if isinstance(svg, bytes):
        svg = svg.decode("utf-8")
    # renderSVG writes "fill: None", which SVG readers take as black; and the family Qt knows.
    return svg.replace("fill: None", "fill: none").replace(fonts.SANS, "WenQuanYi Micro Hei").encode("utf-8")
