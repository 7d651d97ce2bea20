"""投诉信息公示 poster: per merchant, complaints and how they ended, as an official notice (A4 or A3)."""
from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.core.errors import FieldError
from app.merchants.disclosure import RULES, MerchantLine
from app.printing import fonts, layout

PAGES = {"A4": A4, "A3": A3}
ACCENT = colors.HexColor("#b00000")
TITLE = "投诉信息公示"


def _styles(scale: float) -> dict[str, ParagraphStyle]:
    fonts.register()
    body = dict(fontName=fonts.BODY, wordWrap="CJK")
    head = dict(fontName=fonts.HEADING, wordWrap="CJK")
    return {
        "issuer": ParagraphStyle("d_issuer", fontSize=15 * scale, leading=22 * scale, alignment=TA_CENTER,
                                 textColor=ACCENT, **head),
        "title": ParagraphStyle("d_title", fontSize=28 * scale, leading=38 * scale, alignment=TA_CENTER, **head),
        "period": ParagraphStyle("d_period", fontSize=13 * scale, leading=20 * scale, alignment=TA_CENTER, **body),
        "lead": ParagraphStyle("d_lead", fontSize=13 * scale, leading=21 * scale, firstLineIndent=26 * scale,
                               alignment=TA_LEFT, **body),
        "th": ParagraphStyle("d_th", fontSize=10 * scale, leading=14 * scale, alignment=TA_CENTER, **head),
        "td": ParagraphStyle("d_td", fontSize=10.5 * scale, leading=14 * scale, alignment=TA_CENTER, **body),
        "td_left": ParagraphStyle("d_tdl", fontSize=10.5 * scale, leading=14 * scale, alignment=TA_LEFT, **body),
        "note_h": ParagraphStyle("d_nh", fontSize=11 * scale, leading=16 * scale, **head),
        "note": ParagraphStyle("d_note", fontSize=9.5 * scale, leading=14 * scale, alignment=TA_LEFT, **body),
        "contact": ParagraphStyle("d_contact", fontSize=11 * scale, leading=16 * scale, alignment=TA_RIGHT, **body),
    }


def _p(text, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}%"


# Plain-language counting rules for the wall (the rules in app/merchants/disclosure.py, in Chinese).
NOTES = [
    "投诉件数：统计期间内本联络点收到的对该经营者的投诉（按收到投诉之日计算），不予受理的投诉不计入；没有投诉的经营者不列出。",
    "调解件数：已有调解结果（调解成功、调解不成、终止调解）的投诉；调解成功率＝调解成功件数÷调解件数。",
    "先行赔付：由联络点或市场先行向消费者赔付的投诉件数。",
    "答复率：联络点书面告知经营者后，经营者在答复期限内答复的件数÷应答复件数（已答复或已过期限的告知）；"
    "尚在答复期限内的不计入；没有应答复的告知时显示“—”。",
    "本公示不含消费者个人信息。经营者对公示内容有异议的，可向本联络点提出核实。",
]


def render(lines: list[MerchantLine], date_from: dt.date, date_to: dt.date, settings: dict, size: str,
           printed: dt.date) -> bytes:
    if size not in PAGES:
        raise FieldError("size", "纸张须为 A4 或 A3")
    scale = 1.0 if size == "A4" else 1.38
    page = PAGES[size]
    margins = {"topMargin": 30 * mm * scale, "bottomMargin": 30 * mm * scale, "leftMargin": 22 * mm * scale,
               "rightMargin": 22 * mm * scale}
    width = page[0] - margins["leftMargin"] - margins["rightMargin"]
    st = _styles(scale)
    point = settings.get("point.name") or "消费维权联络点"
    total = sum(x.complaints for x in lines)
    story = [_p(point, st["issuer"]), Spacer(1, 2 * mm * scale), _p(TITLE, st["title"]),
             _p(f"（{layout.chinese_date(date_from)}至{layout.chinese_date(date_to)}）", st["period"]),
             Spacer(1, 5 * mm * scale),
             _p(f"为保障消费者知情权，督促经营者诚信经营、及时处理消费纠纷，现将上述期间本联络点收到的消费投诉按被投诉经营者公示如下"
                f"（共 {len(lines)} 户经营者、{total} 件投诉，按投诉件数排列）：", st["lead"]),
             Spacer(1, 4 * mm * scale)]
    head = ["序号", "经营者", "铺位", "投诉件数", "调解件数", "调解成功率", "先行赔付", "答复率"]
    fixed = [10, 0, 17, 20, 20, 23, 20, 17]
    name_width = width - sum(fixed) * mm * scale
    widths = [f * mm * scale if f else name_width for f in fixed]
    data = [[_p(h, st["th"]) for h in head]]
    for i, x in enumerate(lines, 1):
        data.append([_p(i, st["td"]), _p(x.name, st["td_left"]), _p(x.shop_no or "—", st["td"]),
                     _p(x.complaints, st["td"]), _p(x.mediated, st["td"]), _p(_pct(x.success_rate), st["td"]),
                     _p(x.advance_paid, st["td"]),
                     _p(_pct(x.response_rate), st["td"])])
    if not lines:
        data.append([_p("—", st["td"]), _p("本期没有收到投诉", st["td_left"])] + [_p("", st["td"])] * 6)
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f6e3e3")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#fafafa")]),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3 * scale), ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * scale),
    ]))
    story.append(table)
    notes = [Spacer(1, 5 * mm * scale), _p("统计说明", st["note_h"])]
    notes += [_p(f"{i}. {n}", st["note"]) for i, n in enumerate(NOTES, 1)]
    story.append(KeepTogether(notes))
    contact = "　".join(x for x in (settings.get("point.contact_name", "") and f"联系人：{settings['point.contact_name']}",
                                     settings.get("point.contact_phone", "") and f"电话：{settings['point.contact_phone']}")
                        if x)
    tail = [Spacer(1, 6 * mm * scale)]
    if contact:
        tail.append(_p(contact, st["contact"]))
    tail += [Spacer(1, 3 * mm * scale), layout.IssuerBlock(point, printed, size=30 * mm * scale)]
    story.append(KeepTogether(tail))
    out = io.BytesIO()
    layout.build(story, title=f"{TITLE} {date_from}—{date_to}", point_name=point, case_no="", printed=printed,
                 out=out, pagesize=page, margins=margins)
    return out.getvalue()


__all__ = ["RULES", "render"]
