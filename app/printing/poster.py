"""Bulletin-board poster (宣传栏) and consumer-tip posters (消费提示), A4 or A3, large type for a wall."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether

from app import clock, posters
from app.errors import FieldError
from app.printing import fonts, layout
from app.printing.commitment import texts as commitment_texts

PAGES = {"A4": A4, "A3": A3}
ACCENT = colors.HexColor("#b00000")
CANNOT_START = fonts.EXTRA_CANNOT_START + "）》」』】"


def _page(size: str):
    if size not in PAGES:
        raise FieldError("size", "纸张须为 A4 或 A3")
    scale = 1.0 if size == "A4" else 1.35
    margins = {k: v for k, v in zip(("topMargin", "bottomMargin", "leftMargin", "rightMargin"),
                                    [m * mm * scale for m in (22, 26, 20, 20)], strict=True)}
    return PAGES[size], scale, margins


def _styles(scale: float) -> dict[str, ParagraphStyle]:
    fonts.register()
    base = dict(fontName=fonts.BODY, wordWrap="CJK")
    heading = dict(fontName=fonts.HEADING, wordWrap="CJK")
    return {
        "issuer": ParagraphStyle("p_issuer", fontSize=14 * scale, leading=20 * scale, alignment=TA_CENTER,
                                 textColor=ACCENT, **heading),
        "title": ParagraphStyle("p_title", fontSize=30 * scale, leading=40 * scale, alignment=TA_CENTER,
                                spaceAfter=4 * mm * scale, **heading),
        "h": ParagraphStyle("p_h", fontSize=19 * scale, leading=27 * scale, textColor=colors.white,
                            backColor=ACCENT, borderPadding=(3 * scale, 6 * scale, 3 * scale, 6 * scale),
                            spaceBefore=5 * mm * scale, spaceAfter=3 * mm * scale, **heading),
        "sub": ParagraphStyle("p_sub", fontSize=15 * scale, leading=22 * scale, textColor=ACCENT,
                              spaceBefore=2 * mm * scale, **heading),
        "body": ParagraphStyle("p_body", fontSize=13.5 * scale, leading=22 * scale, firstLineIndent=27 * scale,
                               alignment=TA_LEFT, spaceAfter=1.5 * mm * scale, **base),
        "lead": ParagraphStyle("p_lead", fontSize=15 * scale, leading=25 * scale, firstLineIndent=30 * scale,
                               alignment=TA_LEFT, spaceAfter=3 * mm * scale, **base),
        "item": ParagraphStyle("p_item", fontSize=13.5 * scale, leading=22 * scale, leftIndent=16 * scale,
                               bulletIndent=2 * scale, bulletFontName=fonts.BODY, **base),
        "contact": ParagraphStyle("p_contact", fontSize=16 * scale, leading=26 * scale, alignment=TA_LEFT, **base),
        "source": ParagraphStyle("p_source", fontSize=9 * scale, leading=13 * scale, textColor=colors.HexColor("#555555"),
                                 spaceBefore=4 * mm * scale, **base),
    }


def _p(text: str, style: ParagraphStyle, bullet: str | None = None):
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style, bulletText=bullet)


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break text for the flow diagram's boxes; no line starts with closing punctuation."""
    lines, current = [], ""
    for ch in text:
        if current and stringWidth(current + ch, fonts.BODY, size) > width and ch not in CANNOT_START:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines


def flow_diagram(steps: list[tuple[str, str]], width: float, scale: float) -> Drawing:
    """receive → accept (or not) → mediate → resolved / failed-terminated / referred → follow-up and close."""
    s = dict(steps)
    gap = 10 * mm * scale
    box_w = (width - 2 * gap) / 3
    box_h = 22 * mm * scale
    row_gap = 11 * mm * scale
    height = 4 * box_h + 3 * row_gap + 2
    d = Drawing(width, height)
    title_size, detail_size = 14 * scale, 10 * scale

    def box(col: int, row: int, name: str, fill="#fdf1f1"):
        x = col * (box_w + gap)
        y = height - (row + 1) * box_h - row * row_gap - 1
        d.add(Rect(x, y, box_w, box_h, rx=4, ry=4, fillColor=colors.HexColor(fill), strokeColor=ACCENT,
                   strokeWidth=1.2))
        d.add(String(x + box_w / 2, y + box_h - title_size - 4 * scale, name, fontName=fonts.HEADING,
                     fontSize=title_size, textAnchor="middle", fillColor=ACCENT))
        for i, line in enumerate(_wrap(s[name], detail_size, box_w - 8 * scale)[:3]):
            d.add(String(x + box_w / 2, y + box_h - title_size - 8 * scale - (i + 1) * detail_size * 1.25, line,
                         fontName=fonts.BODY, fontSize=detail_size, textAnchor="middle"))
        return x, y

    def arrow(x1, y1, x2, y2):
        d.add(Line(x1, y1, x2, y2, strokeColor=colors.HexColor("#444444"), strokeWidth=1.4))
        import math

        angle = math.atan2(y2 - y1, x2 - x1)
        size = 3.2 * mm * scale
        left = (x2 - size * math.cos(angle - 0.4), y2 - size * math.sin(angle - 0.4))
        right = (x2 - size * math.cos(angle + 0.4), y2 - size * math.sin(angle + 0.4))
        d.add(Polygon([x2, y2, *left, *right], fillColor=colors.HexColor("#444444"), strokeWidth=0))

    r0 = [box(c, 0, n) for c, n in enumerate(("投诉登记", "受理决定", "不予受理"))]
    r1 = box(1, 1, "组织调解")
    r2 = [box(c, 2, n) for c, n in enumerate(("调解成功", "调解不成 / 终止", "移送"))]
    r3 = box(1, 3, "回访办结", fill="#eef6ee")
    mid = box_h / 2
    arrow(r0[0][0] + box_w, r0[0][1] + mid, r0[1][0], r0[1][1] + mid)
    arrow(r0[1][0] + box_w, r0[1][1] + mid, r0[2][0], r0[2][1] + mid)
    arrow(r0[1][0] + box_w / 2, r0[1][1], r1[0] + box_w / 2, r1[1] + box_h)
    for bx, by in r2:
        arrow(r1[0] + box_w / 2, r1[1], bx + box_w / 2, by + box_h)
        arrow(bx + box_w / 2, by, r3[0] + box_w / 2, r3[1] + box_h)
    return d


def _contact(settings: dict, st, compact: bool = False) -> list:
    rows = []
    if settings.get("point.contact_name"):
        rows.append(f"消费维权联系人：{settings['point.contact_name']}")
    if settings.get("point.contact_phone"):
        rows.append(f"维权联络点电话：{settings['point.contact_phone']}")
    if compact and len(rows) == 2:
        rows = [f"{rows[0]}　　{rows[1]}"]
    if settings.get("point.address"):
        rows.append(f"地址：{settings['point.address']}")
    rows.append("全国12315投诉举报热线：12315")
    if settings.get("point.council"):
        if compact:
            rows[-1] += f"　　{settings['point.council']} 协助"
        else:
            rows.append(f"{settings['point.council']}　协助")
    return [_p(r, st["contact"]) for r in rows]


def bulletin(settings: dict, size: str = "A4", today: dt.date | None = None) -> bytes:
    """The 宣传栏: duties, five 产品质量法 items word for word, the commitment, the workflow, contacts."""
    today = today or clock.today()
    pagesize, scale, margins = _page(size)
    st = _styles(scale)
    t = posters.bulletin_texts()
    c = commitment_texts(settings)
    width = pagesize[0] - margins["leftMargin"] - margins["rightMargin"]
    point = settings.get("point.name") or "消费维权联络点"
    story = [_p(point, st["issuer"]), _p(t["title"], st["title"]),
             _p(t["duties_title"], st["h"])]
    story += [_p(d, st["body"]) for d in t["duties"]]
    story += [CondPageBreak(60 * mm * scale), _p(t["law_title"], st["h"])]
    for item in t["law_items"]:
        story.append(KeepTogether([_p(item["heading"], st["sub"]), _p(item["text"], st["body"])]))
    story += [CondPageBreak(60 * mm * scale), _p(c["title"], st["h"]), _p(c["preamble"], st["body"])]
    story += [_p(item, st["body"]) for item in c["items"]]
    story.append(KeepTogether([_p(t["workflow_title"], st["h"]),
                               flow_diagram(posters.workflow_steps(today), width, scale)]))
    story.append(KeepTogether([_p(t["contact_title"], st["h"]), *_contact(settings, st)]))
    story.append(_p("资料来源：" + t["source"], st["source"]))
    return _build(story, f"{t['title']} {point}", point, today, pagesize, margins)


def tip_poster(tip: posters.Tip, settings: dict, size: str = "A4", today: dt.date | None = None) -> bytes:
    today = today or clock.today()
    pagesize, scale, margins = _page(size)
    st = _styles(scale * 0.94)  # a touch smaller than the bulletin, so a usual tip fits one sheet
    point = settings.get("point.name") or "消费维权联络点"
    story = [_p(f"{point}　消费提示", st["issuer"]), _p(tip.title, st["title"])]
    for para in (tip.lead.splitlines() if tip.lead else []):
        story.append(_p(para, st["lead"]))
    for section in tip.sections:
        story.append(KeepTogether([_p(section["heading"], st["h"]),
                                   *[_p(x, st["item"], bullet="●") for x in section["paragraphs"][:1]]]))
        story += [_p(x, st["item"], bullet="●") for x in section["paragraphs"][1:]]
    story.append(KeepTogether([_p("遇到消费纠纷，请找我们", st["h"]), *_contact(settings, st, compact=True)]))
    if tip.source:
        story.append(_p("依据：" + tip.source, st["source"]))
    return _build(story, f"消费提示 {tip.title}", point, today, pagesize, margins)


def _build(story, title, point, today, pagesize, margins) -> bytes:
    out = io.BytesIO()
    layout.build(story, title=title, point_name=point, case_no="", printed=today, out=out, pagesize=pagesize,
                 margins=margins)
    return out.getvalue()
