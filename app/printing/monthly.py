"""月度汇总: the monthly summary for the council — tables in the consumer associations' layout, and charts."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from app import codes
from app.printing import charts, layout


def _num(x) -> str:
    return "—" if x is None else (f"{x}" if not isinstance(x, float) else f"{x:.1f}")


def _table(header: list[str], rows: list[list], widths: list[float]) -> Table:
    data = [[layout.para(h, "label") for h in header]] + [[layout.para(str(v)) for v in r] for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), layout.fonts.BODY),
                           ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return t


def render(f: dict, settings: dict, printed: dt.date) -> bytes:
    point = settings.get("point.name") or "消费维权联络点"
    width = layout.content_width()
    o = f["outcomes"]
    story = [layout.para(point, "issuer"), layout.para(f"{f['month'][:4]}年{int(f['month'][5:])}月消费投诉咨询汇总", "title"),
             layout.para(f"统计期间：{f['from']} 至 {f['to']}　　报送：{settings.get('point.council', '')}", "note"),
             Spacer(1, 3 * mm)]
    p, y = f["previous_month"], f["same_month_last_year"]

    def row(label, key, fmt=lambda x: x):
        return [label, fmt(f[key]), fmt(p[key]), fmt(y[key])]

    pct = lambda x: "—" if x is None else f"{x:.1f}%"  # noqa: E731
    summary = [
        row("受理登记（件）", "received"), row("其中投诉", "complaints"), row("受理", "accepted"),
        row("不予受理", "not_accepted"),
        ["调解成功", o["resolved"], p["outcomes"]["resolved"], y["outcomes"]["resolved"]],
        ["调解不成 / 终止", f"{o['failed']} / {o['terminated']}", f"{p['outcomes']['failed']} / {p['outcomes']['terminated']}",
         f"{y['outcomes']['failed']} / {y['outcomes']['terminated']}"],
        ["移送 / 在办", f"{o['referred']} / {o['open']}", f"{p['outcomes']['referred']} / {p['outcomes']['open']}",
         f"{y['outcomes']['referred']} / {y['outcomes']['open']}"],
        row("调解成功率", "resolution_rate", pct), row("挽回经济损失（元）", "recovered"),
        row("先行赔付（元）", "advanced"), row("小额快速处理（件）", "fast_track"),
        row("小额当日办结率", "fast_track_same_day", pct), row("受理按期率", "acceptance_on_time", pct),
        row("调解按期率", "mediation_on_time", pct), row("平均办理天数", "average_days_to_outcome", _num),
        ["回访满意 / 基本满意 / 不满意", *["/".join(str(x["satisfaction"][k]) for k in codes.SATISFACTION)
                                     for x in (f, p, y)]],
    ]
    story.append(_table(["项目", "本期", f"上月（{p['month']}）", f"上年同期（{y['month']}）"], summary,
                        [width - 3 * 34 * mm, 34 * mm, 34 * mm, 34 * mm]))
    story.append(layout.para(
        "来源：" + "　".join(f"{codes.CHANNEL[k]} {v}" for k, v in f["by_channel"].items())
        + f"　　投诉环比 {_num(f['change_vs_previous_month'])}%，同比 {_num(f['change_vs_last_year'])}%", "note"))
    story += [Spacer(1, 4 * mm), layout.para("投诉类别统计", "label")]
    cols = ["类别", "本期件数", "比重%", "上年同期件数", "比重%", "比重变化"]
    cat_w = [width - 5 * 22 * mm] + [22 * mm] * 5
    story.append(_table(cols, [[r["label"], r["count"], _num(r["share"]), r["count_last_year"],
                                _num(r["share_last_year"]), _num(r["share_change"])] for r in f["by_category"]], cat_w))
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.category_bars(f, width, 300)]))
    story += [Spacer(1, 4 * mm), layout.para("投诉性质统计", "label"),
              _table(["性质", "本期件数", "比重%", "上年同期件数", "比重%", "比重变化"],
                     [[r["label"], r["count"], _num(r["share"]), r["count_last_year"], _num(r["share_last_year"]),
                       _num(r["share_change"])] for r in f["by_nature"]], cat_w)]
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.nature_pie(f, width, 230)]))
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.trend_line(f, width, 200)]))
    story += [Spacer(1, 4 * mm), layout.para("被投诉较多的经营者", "label"),
              _table(["经营者", "投诉件数"], [[m["merchant"], m["complaints"]] for m in f["top_merchants"]] or [["—", 0]],
                     [width - 30 * mm, 30 * mm])]
    story += [Spacer(1, 4 * mm), layout.para("热点问题（截至期末的30日内）", "label"),
              _table(["类型", "内容", "件数", "案件"], [[h["label"], h["value"], h["count"], "、".join(h["case_nos"][:6])
                                                  + ("…" if len(h["case_nos"]) > 6 else "")]
                                                 for h in f["hot_issues"][:15]] or [["—", "无", 0, ""]],
                     [26 * mm, 50 * mm, 16 * mm, width - 92 * mm])]
    story += [Spacer(1, 4 * mm), layout.para("统计口径：" + " ".join(f["rules"].split()), "note")]
    out = io.BytesIO()
    layout.build(story, title=f"月度汇总 {f['month']}", point_name=point, case_no="", printed=printed, out=out)
    return out.getvalue()
