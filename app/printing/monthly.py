"""月度汇总: the monthly summary for the council — tables in the consumer associations' layout, and charts."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from app.core import codes, money
from app.printing import charts, layout

# 统计口径 as printed for the council (the counting itself is app/reports/figures.py; keep the two in step)
RULES_ZH = [
    "案件按登记（收到）之日归入统计期间；设置了“每月起始日”的，期间为上月该日至本月该日前一日。",
    "投诉类各项只计投诉件；受理指作出受理决定的投诉（含调解中及已有调解结果的）；"
    "处理结果取案件最近一次的结果（调解成功、调解不成、终止调解、不予受理、移送），其后是否办结不影响；"
    "尚无处理结果的为在办。",
    "受理按期：受理或不予受理的决定不晚于受理期限；调解按期：调解成功、不成或终止不晚于调解期限（暂停期间顺延）。",
    "调解成功率＝调解成功÷（调解成功＋调解不成＋终止调解）；小额当日办结指处理结果日期与登记日期相同。",
    "热点问题：统计期末（当月未结束的，截至打印之日）前30日内，同一经营者、商品、品牌或同类问题的投诉达到设定件数。",
    "环比与上月同期间比较，同比与上年同月比较；基数为零而本期有数的记“新增”，都为零的以“—”表示；比率的变化以百分点计。",
]


def _count(x) -> str:
    return "—" if x is None else f"{int(x):,}"


def _pct(x) -> str:
    return "—" if x is None else f"{x:.1f}%"


def _days(x) -> str:
    return "—" if x is None else f"{x:.1f}"


def change(now, before, points: bool = False, unit: str = "个百分点") -> str:
    """The change in words: 增长 12.3% / 下降 4.0% / 持平; rates change in 个百分点."""
    if now is None or before is None:
        return "—"
    now, before = float(now), float(before)
    if points:
        diff = round(now - before, 1)
        return "持平" if diff == 0 else f"{'上升' if diff > 0 else '下降'} {abs(diff):.1f}{unit}"
    if before == 0:
        return "—" if now == 0 else "新增"
    pct = round(100 * (now - before) / before, 1)
    return "持平" if pct == 0 else f"{'增长' if pct > 0 else '下降'} {abs(pct):.1f}%"


def _table(header: list[str], rows: list[list[str]], widths: list[float], right_from: int = 1) -> Table:
    """Figures right-aligned (from column `right_from`), labels left; header cells never wrap mid-date."""
    data = [[layout.para(h, "table_label") for h in header]]
    for r in rows:
        data.append([layout.para(str(v), "table_right" if i >= right_from else "table") for i, v in enumerate(r)])
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), layout.fonts.BODY),
                           ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                           ("BACKGROUND", (0, 0), (-1, 0), layout.LABEL_BACK),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                           ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    return t


def _month_label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:])}月"


def render(f: dict, settings: dict, printed: dt.date) -> bytes:
    point = settings.get("point.name") or "消费维权联络点"
    width = layout.content_width()
    p, y = f["previous_month"], f["same_month_last_year"]
    start, end = dt.date.fromisoformat(f["from"]), dt.date.fromisoformat(f["to"])
    period = f"统计期间：{layout.chinese_date(start)}至{layout.chinese_date(end)}"
    if printed < end:  # the running month: say up to when it counts
        period += f"（截至{layout.chinese_date(printed)}）"
    story = [layout.para(point, "issuer"), layout.para(f"{_month_label(f['month'])}消费投诉咨询汇总", "title"),
             layout.para(period, "body_left")]
    if settings.get("point.council"):
        story.append(layout.para(f"报送：{settings['point.council']}", "body_left"))
    story.append(Spacer(1, 3 * mm))

    def row(label, get, fmt=_count, points=False):
        now, prev, last = get(f), get(p), get(y)
        return [label, fmt(now), fmt(prev), change(now, prev, points), fmt(last), change(now, last, points)]

    def money_row(label, key):
        now, prev, last = (money.to_decimal(x[key]) for x in (f, p, y))
        return [label, money.yuan(now, sign=False), money.yuan(prev, sign=False), change(now, prev),
                money.yuan(last, sign=False), change(now, last)]

    summary = [
        row("登记总数（件）", lambda x: x["received"]),
        row("其中：投诉", lambda x: x["complaints"]),
        row("受理", lambda x: x["accepted"]),
        row("不予受理", lambda x: x["not_accepted"]),
        row("调解成功", lambda x: x["outcomes"]["resolved"]),
        row("调解不成", lambda x: x["outcomes"]["failed"]),
        row("终止调解", lambda x: x["outcomes"]["terminated"]),
        row("移送", lambda x: x["outcomes"]["referred"]),
        row("在办", lambda x: x["outcomes"]["open"]),
        row("调解成功率", lambda x: x["resolution_rate"], _pct, True),
        money_row("挽回经济损失（元）", "recovered"),
        money_row("先行赔付（元）", "advanced"),
        row("小额快速处理（件）", lambda x: x["fast_track"]),
        row("小额当日办结率", lambda x: x["fast_track_same_day"], _pct, True),
        row("受理按期率", lambda x: x["acceptance_on_time"], _pct, True),
        row("调解按期率", lambda x: x["mediation_on_time"], _pct, True),
        row("平均办理天数", lambda x: x["average_days_to_outcome"], _days),
        ["回访：满意／基本满意／不满意", *["／".join(_count(x["satisfaction"][k]) for k in codes.SATISFACTION)
                                 for x in (f, p)], "", "／".join(_count(y["satisfaction"][k])
                                                                 for k in codes.SATISFACTION), ""],
    ]
    figure_w = 24 * mm  # a district's sums (5,031,281.00) on one line
    change_w = 24 * mm
    widths = [width - 3 * figure_w - 2 * change_w, figure_w, figure_w, change_w, figure_w, change_w]
    story.append(_table(["项目", "本期", f"上月\n{p['month']}", "环比", f"上年同期\n{y['month']}", "同比"],
                        summary, widths))
    story.append(layout.para(
        "登记来源：" + "　".join(f"{codes.CHANNEL[k]} {_count(v)}件" for k, v in f["by_channel"].items()), "note"))
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.period_bars(f, width, 160)]))
    story += [Spacer(1, 4 * mm), layout.para("投诉类别统计", "heading")]
    cols = ["类别", "本期件数", "比重", "上年同期件数", "比重", "比重变化（百分点）"]
    cat_w = [width - 4 * 19 * mm - 30 * mm] + [19 * mm] * 4 + [30 * mm]

    def class_rows(rows):
        return [[r["label"], _count(r["count"]), _pct(r["share"]), _count(r["count_last_year"]),
                 _pct(r["share_last_year"]), change(r["share"] or 0, r["share_last_year"] or 0, True, "")
                 if r["count"] or r["count_last_year"] else "—"] for r in rows]

    story.append(_table(cols, class_rows(f["by_category"]), cat_w))
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.category_bars(f, width, 300)]))
    story += [Spacer(1, 4 * mm), layout.para("投诉性质统计", "heading"),
              _table(["性质", *cols[1:]], class_rows(f["by_nature"]), cat_w)]
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.nature_pie(f, width, 230)]))
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.trend_line(f, width, 200)]))
    story += [Spacer(1, 4 * mm), layout.para("被投诉较多的经营者", "heading"),
              _table(["经营者", "投诉件数"], [[m["merchant"], _count(m["complaints"])] for m in f["top_merchants"]]
                     or [["—", "0"]], [width - 30 * mm, 30 * mm])]
    hot_title = "热点问题（统计期末前30日内）" if printed >= end else f"热点问题（截至{layout.chinese_date(printed)}的30日内）"
    hot_rows = [[h["label"], h["value"], _count(h["count"]), "、".join(h["case_nos"][:6])
                 + ("等" if len(h["case_nos"]) > 6 else "")] for h in f["hot_issues"][:15]] or [["—", "无", "0", ""]]
    story += [Spacer(1, 4 * mm), layout.para(hot_title, "heading"),
              _table(["类型", "内容", "件数", "案件编号"], hot_rows, [31 * mm, 44 * mm, 14 * mm, width - 89 * mm],
                     right_from=2)]
    rules = [layout.para("统计口径", "heading")]
    rules += [layout.para(f"{i}．{text}", "note") for i, text in enumerate(RULES_ZH, 1)]
    story += [Spacer(1, 4 * mm), *rules[:-1],
              KeepTogether([rules[-1], Spacer(1, 6 * mm),
                            layout.IssuerBlock(point, printed, notes=[
                                f"填报人：{settings.get('point.contact_name') or ''}",
                                f"联系电话：{settings.get('point.contact_phone') or ''}"])])]
    out = io.BytesIO()
    layout.build(story, title=f"月度汇总 {f['month']}", point_name=point, case_no="", printed=printed, out=out)
    return out.getvalue()
