"""区汇总: the council's district report merged from the points' signed monthly packages."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.printing import charts, layout


def _small(text, bold: bool = False, align: int = 1) -> Paragraph:
    from xml.sax.saxutils import escape

    style = ParagraphStyle("district_small", fontName=layout.fonts.HEADING if bold else layout.fonts.BODY, fontSize=9,
                           leading=12, alignment=align, wordWrap="CJK")
    return Paragraph(escape(str(text)), style)


def _table(header: list[str], rows: list[list], widths: list[float], total_row: bool = False) -> Table:
    data = [[_small(h, True) for h in header]] + [[_small(v, align=0 if i == 0 else 1) for i, v in enumerate(r)]
                                                   for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    style = [("FONTNAME", (0, 0), (-1, -1), layout.fonts.BODY), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#fbeaea")))
    t.setStyle(TableStyle(style))
    return t


def _pct(x) -> str:
    return "—" if x is None else f"{x:.1f}%"


def _point_rows(d: dict) -> list[list]:
    rows = []
    for p in [*d["points"], {"name": "合计", **d["totals"]}]:
        o = p["outcomes"]
        rows.append([p["name"], p["received"], p["complaints"], p["accepted"], o["resolved"],
                     f"{o['failed']}/{o['terminated']}", _pct(p["resolution_rate"]), p["recovered"],
                     _pct(p["acceptance_on_time"]), _pct(p["mediation_on_time"])])
    return rows


def render(d: dict, settings: dict, printed: dt.date) -> bytes:
    issuer = settings.get("point.council") or settings.get("point.name") or "消费者权益保护委员会"
    width = layout.content_width()
    year, month = d["month"][:4], int(d["month"][5:])
    story = [layout.para(issuer, "issuer"), layout.para(f"{year}年{month}月各联络点消费投诉汇总", "title"),
             layout.para(f"统计期间：{d['from']} 至 {d['to']}　　汇总联络点 {len(d['points'])} 个（报送包均已核验签名）",
                         "note"), Spacer(1, 3 * mm), layout.para("一、各联络点主要数字", "label")]
    first = 30 * mm
    rest = (width - first) / 9
    story.append(_table(["联络点", "受理登记", "投诉", "受理", "调解成功", "不成/终止", "调解成功率", "挽回损失（元）",
                         "受理按期率", "调解按期率"], _point_rows(d), [first] + [rest] * 9, total_row=True))
    t = d["totals"]
    o = t["outcomes"]
    story += [Spacer(1, 2 * mm), layout.para(
        f"合计：不予受理 {t['not_accepted']} 件，移送 {o['referred']} 件，在办 {o['open']} 件；先行赔付 {t['advanced']} 元；"
        f"小额快速处理 {t['fast_track']} 件；回访满意 {t['satisfaction']['satisfied']} 件、基本满意 "
        f"{t['satisfaction']['basically_satisfied']} 件、不满意 {t['satisfaction']['dissatisfied']} 件；"
        f"转办消保委或市场监管 {t['referrals']} 件。", "note")]
    names = [p["name"] for p in d["points"]]
    per_point = len(names) <= 4
    story += [Spacer(1, 4 * mm), layout.para("二、投诉类别（中国消费者协会分类）", "label")]
    head = ["类别", "合计", "比重%", "上年同期", "比重变化"] + (names if per_point else [])
    first = 40 * mm
    cols = [first] + [(width - first) / (len(head) - 1)] * (len(head) - 1)

    def class_rows(rows):
        return [[r["label"], r["count"], "—" if r["share"] is None else r["share"], r["count_last_year"],
                 r["share_change"]] + (r["by_point"] if per_point else []) for r in rows if r["count"] or
                r["count_last_year"]] or [["—"] + [0] * (len(head) - 1)]

    story.append(_table(head, class_rows(d["by_category"]), cols))
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.category_bars(d, width, 300)]))
    story += [Spacer(1, 4 * mm), layout.para("三、投诉性质", "label"),
              _table(["性质", *head[1:]], class_rows(d["by_nature"]), cols)]
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.nature_pie(d, width, 230)]))
    story.append(KeepTogether([Spacer(1, 3 * mm), charts.trend_line(d, width, 200)]))
    story += [Spacer(1, 4 * mm), layout.para("四、被投诉较多的经营者（同一统一社会信用代码合并计算）", "label")]
    merchants = d["merchants"][:20]
    story.append(_table(["经营者", "统一社会信用代码", "投诉件数", "涉及联络点"],
                        [[m["name"] + (f"（又名：{'、'.join(m['other_names'])}）" if m["other_names"] else ""),
                          m["uscc"] or "—", m["complaints"], m["points"]] for m in merchants] or [["—", "", 0, 0]],
                        [width - 36 * mm - 48 * mm, 48 * mm, 18 * mm, 18 * mm]))
    story += [Spacer(1, 4 * mm), layout.para("五、热点问题", "label"),
              _table(["类型", "内容", "件数", "涉及联络点"],
                     [[h["label"], h["value"], h["count"], "、".join(h["points"])] for h in d["hot_issues"][:20]]
                     or [["—", "无", 0, ""]], [34 * mm, 54 * mm, 14 * mm, width - 102 * mm])]
    story += [Spacer(1, 4 * mm), layout.para("六、已核验的报送包", "label"),
              _table(["联络点", "文件", "公钥指纹", "生成时间"],
                     [[p["name"], p["file"], p["fingerprint"], p["created_at"][:16].replace("T", " ")]
                      for p in d["points"]], [34 * mm, 40 * mm, width - 108 * mm, 34 * mm])]
    story += [Spacer(1, 4 * mm), layout.para(
        "统计口径：各项件数、金额为各联络点月报数字之和；调解成功率按合计的调解成功、调解不成、终止调解件数计算；"
        "受理按期率、调解按期率按各联络点报送的逐案按期标志合计计算；同一统一社会信用代码的经营者在不同联络点的投诉合并计算。",
        "note")]
    out = io.BytesIO()
    layout.build(story, title=f"区汇总 {d['month']}", point_name=issuer, case_no="", printed=printed, out=out)
    return out.getvalue()
