"""Bulletin-board poster (宣传栏) and consumer-tip posters (消费提示), laid out for A4 or A3, large type.

Each layout is made for its sheet, not scaled: the A3 bulletin is one sheet in columns (duties and the
commitment | the statute articles, then the workflow diagram beside the contact block); the A4 one flows
over two pages at most, the last one well filled; a tip is one page at either size. The type size is the
largest (within the range for the sheet) at which the texts — data, changed by others — fit.
"""
from __future__ import annotations

import datetime as dt
import io
import math

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Frame, FrameBreak, KeepTogether, LayoutError

from app.core import clock
from app.core.errors import FieldError
from app.point import posters
from app.printing import fonts, layout
from app.printing.commitment import texts as commitment_texts
from app.printing.typeset import HeadedBlock, TextBlock, full_width, plain_lines

PAGES = {"A4": A4, "A3": A3}
ACCENT = colors.HexColor("#b00000")
MARGIN = {"A4": 15 * mm, "A3": 16 * mm}
# body sizes tried, largest first: 14–16 pt is the aim on a wall; the A4 bulletin may go smaller to stay
# within two pages
BODY_SIZES: dict[tuple[str, str], list[float]] = {("bulletin", "A4"): [14, 13.5, 13, 12.5, 12, 11.5, 11, 10.5, 10],
              ("bulletin", "A3"): [18, 17, 16, 15.5, 15, 14.5, 14, 13.5, 13, 12.5, 12, 11.5, 11, 10.5],
              ("tip", "A4"): [16, 15.5, 15, 14.5, 14, 13.5, 13, 12.5, 12, 11],
              ("tip", "A3"): [24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14]}
NEAR_EMPTY = 0.4  # a last page filled less than this is redone smaller


def _page(size: str):
    if size not in PAGES:
        raise FieldError("size", "纸张须为 A4 或 A3")
    m = MARGIN[size]
    return PAGES[size], {"topMargin": m, "bottomMargin": m + 8 * mm, "leftMargin": m, "rightMargin": m}


def _styles(body: float) -> dict[str, ParagraphStyle]:
    fonts.register()
    base = dict(fontName=fonts.BODY)
    heading = dict(fontName=fonts.HEADING)
    k = body / 14  # headings keep their proportion to the body
    return {
        "issuer": ParagraphStyle("p_issuer", fontSize=15 * k, leading=21 * k, alignment=TA_CENTER,
                                 textColor=ACCENT, **heading),
        "title": ParagraphStyle("p_title", fontSize=30 * k, leading=40 * k, alignment=TA_CENTER,
                                spaceAfter=3 * mm * k, **heading),
        "h": ParagraphStyle("p_h", fontSize=18 * k, leading=26 * k, textColor=colors.white, backColor=ACCENT,
                            borderPadding=(2 * k, 6 * k, 2 * k, 6 * k), spaceBefore=3 * mm * k, spaceAfter=2 * mm * k,
                            **heading),
        "sub": ParagraphStyle("p_sub", fontSize=body * 1.05, leading=body * 1.55, textColor=ACCENT,
                              spaceBefore=1.5 * mm * k, **heading),
        "body": ParagraphStyle("p_body", fontSize=body, leading=body * 1.5, firstLineIndent=2 * body,
                               alignment=TA_LEFT, spaceAfter=1.2 * mm * k, **base),
        "lead": ParagraphStyle("p_lead", fontSize=body * 1.08, leading=body * 1.7, firstLineIndent=2.16 * body,
                               alignment=TA_LEFT, spaceAfter=2.5 * mm * k, **base),
        "item": ParagraphStyle("p_item", fontSize=body, leading=body * 1.5, leftIndent=1.3 * body,
                               bulletIndent=0.1 * body, bulletFontName=fonts.BODY, spaceAfter=0.8 * mm * k, **base),
        "contact": ParagraphStyle("p_contact", fontSize=body * 1.12, leading=body * 1.8, alignment=TA_LEFT, **base),
        "source": ParagraphStyle("p_source", fontSize=max(9, body * 0.65), leading=max(13, body * 0.95),
                                 textColor=colors.HexColor("#555555"), spaceBefore=3 * mm * k, **base),
    }


def _p(text: str, style: ParagraphStyle, bullet: str | None = None) -> TextBlock:
    return TextBlock(full_width(text), style, bullet)


def flow_diagram(steps: list[tuple[str, str]], width: float, body: float) -> Drawing:
    """receive → accept (or not) → mediate → resolved / failed-terminated / referred → follow-up and close."""
    s = dict(steps)
    k = body / 14
    title_size, detail_size = 13 * k, 10.5 * k
    gap = min(10 * mm * k, width * 0.06)
    box_w = (width - 2 * gap) / 3
    lines = {name: plain_lines(s[name], fonts.BODY, detail_size, box_w - 8) for name in s}
    most = max(len(v) for v in lines.values())
    box_h = title_size + 10 * k + most * detail_size * 1.3 + 4
    row_gap = 8 * mm * k
    height = 4 * box_h + 3 * row_gap + 2
    d = Drawing(width, height)

    def box(col: int, row: int, name: str, fill="#fdf1f1"):
        x = col * (box_w + gap)
        y = height - (row + 1) * box_h - row * row_gap - 1
        d.add(Rect(x, y, box_w, box_h, rx=4, ry=4, fillColor=colors.HexColor(fill), strokeColor=ACCENT,
                   strokeWidth=1.2))
        d.add(String(x + box_w / 2, y + box_h - title_size - 3 * k, name, fontName=fonts.HEADING,
                     fontSize=title_size, textAnchor="middle", fillColor=ACCENT))
        for i, line in enumerate(lines[name]):
            d.add(String(x + box_w / 2, y + box_h - title_size - 6 * k - (i + 1) * detail_size * 1.3, line,
                         fontName=fonts.BODY, fontSize=detail_size, textAnchor="middle"))
        return x, y

    def arrow(x1, y1, x2, y2):
        d.add(Line(x1, y1, x2, y2, strokeColor=colors.HexColor("#444444"), strokeWidth=1.4))
        angle = math.atan2(y2 - y1, x2 - x1)
        size = 3 * mm * k
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


def _contact(settings: dict, st) -> list:
    rows = []
    if settings.get("point.contact_name"):
        rows.append(f"消费维权联系人：{settings['point.contact_name']}")
    if settings.get("point.contact_phone"):
        rows.append(f"联络点电话：{settings['point.contact_phone']}")
    if settings.get("point.address"):
        rows.append(f"地址：{settings['point.address']}")
    rows.append("全国12315投诉举报热线：12315")
    if settings.get("point.council"):
        rows.append(f"协助单位：{settings['point.council']}")
    return [_p(r, st["contact"]) for r in rows]


def _fit(kind: str, size: str, make_story, title: str, point: str, today: dt.date, max_pages: int) -> bytes:
    """The largest body size whose layout fits `max_pages` pages, its last page not near empty (a
    bisection over the sizes: smaller type never needs more pages).
    `make_story(body)` gives the story, or (story, frames) for a layout with its own frames."""
    pagesize, margins = _page(size)
    sizes = BODY_SIZES[(kind, size)]

    def attempt(body: float) -> bytes | None:
        out = io.BytesIO()
        made = make_story(body)
        story, frames = made if isinstance(made, tuple) else (made, None)
        try:
            pages, fill = layout.build(story, title=title, point_name=point, case_no="", printed=today,
                                       out=out, pagesize=pagesize, margins=margins, frames=frames)
        except LayoutError:  # a block taller than the sheet: smaller type
            return None
        return out.getvalue() if pages <= max_pages and (pages == 1 or fill >= NEAR_EMPTY) else None

    lo, hi, best = 0, len(sizes) - 1, None  # sizes run from largest to smallest
    while lo <= hi:
        mid = (lo + hi) // 2
        pdf = attempt(sizes[mid])
        if pdf is not None:
            best, hi = (pdf, sizes[mid]), mid - 1
        else:
            lo = mid + 1
    if best is None:  # even the smallest does not fit: print it anyway, over more pages
        out = io.BytesIO()
        layout.build(make_story(sizes[-1], single=True), title=title, point_name=point, case_no="", printed=today,
                     out=out, pagesize=pagesize, margins=margins)
        return out.getvalue()
    import logging

    logging.getLogger(__name__).debug("%s %s: body %.1f pt", kind, size, best[1])
    return best[0]


def _frame(name: str, x: float, y: float, w: float, h: float) -> Frame:
    return Frame(x, y, w, h, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _two_columns(head: list, pagesize, margins: dict, gap: float) -> list[Frame]:
    """A frame across the top for `head`, then two columns under it down to the foot."""
    width = pagesize[0] - margins["leftMargin"] - margins["rightMargin"]
    head_h = sum(f.wrap(width, pagesize[1])[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in head) + 2
    left, bottom = margins["leftMargin"], margins["bottomMargin"]
    top = pagesize[1] - margins["topMargin"]
    col = (width - gap) / 2
    return [_frame("head", left, top - head_h, width, head_h),
            _frame("left", left, bottom, col, top - head_h - bottom),
            _frame("right", left + col + gap, bottom, col, top - head_h - bottom)]


def bulletin(settings: dict, size: str = "A4", today: dt.date | None = None) -> bytes:
    """The 宣传栏: duties, the 产品质量法 items word for word, the commitment, the workflow, contacts."""
    today = today or clock.today()
    pagesize, margins = _page(size)
    t = posters.bulletin_texts()
    c = commitment_texts(settings)
    width = pagesize[0] - margins["leftMargin"] - margins["rightMargin"]
    point = settings.get("point.name") or "消费维权联络点"
    steps = posters.workflow_steps(today)

    def parts(st, body, column_width):  # headings stay with the first lines of the text under them
        # a heading stays with the paragraph after it
        duties = [HeadedBlock([_p(t["duties_title"], st["h"])], _p(t["duties"][0], st["body"])),
                  *[_p(d, st["body"]) for d in t["duties"][1:]]]
        law = []
        for i, item in enumerate(t["law_items"]):
            head = [_p(t["law_title"], st["h"])] if i == 0 else []
            law.append(HeadedBlock([*head, _p(item["heading"], st["sub"])], _p(item["text"], st["body"])))
        commitment = [HeadedBlock([_p(c["title"], st["h"])], _p(c["preamble"], st["body"])),
                      *[_p(i, st["body"]) for i in c["items"]]]
        workflow = [_p(t["workflow_title"], st["h"]), flow_diagram(steps, column_width, body)]
        contact = [_p(t["contact_title"], st["h"]), *_contact(settings, st)]
        return duties, law, commitment, workflow, contact

    def a3(body, single: bool = False):
        # one sheet: the title across, then duties, articles, commitment, the workflow diagram and the
        # contact block flowing down two columns
        if single:
            return a4(body)
        st = _styles(body)
        gap = 9 * mm
        duties, law, commitment, workflow, contact = parts(st, body, (width - gap) / 2)
        head = [_p(point, st["issuer"]), _p(t["title"], st["title"])]
        story = [*head, FrameBreak(), *duties, *law, *commitment, KeepTogether(workflow),
                 KeepTogether([*contact, _p("资料来源：" + t["source"], st["source"])])]
        return story, _two_columns(head, pagesize, margins, gap)

    def a4(body, single: bool = False):
        st = _styles(body)
        duties, law, commitment, workflow, contact = parts(st, body, width)
        return [_p(point, st["issuer"]), _p(t["title"], st["title"]), *duties, *law, *commitment,
                KeepTogether(workflow), KeepTogether(contact), _p("资料来源：" + t["source"], st["source"])]

    return _fit("bulletin", size, a3 if size == "A3" else a4, f"{t['title']} {point}", point, today,
                1 if size == "A3" else 2)


def tip_poster(tip: posters.Tip, settings: dict, size: str = "A4", today: dt.date | None = None) -> bytes:
    """One consumer tip on one sheet; at A3 the sections run in two columns under the lead."""
    today = today or clock.today()
    pagesize, margins = _page(size)
    point = settings.get("point.name") or "消费维权联络点"

    def story(body, single: bool = False):
        st = _styles(body)
        head = [_p(f"{point}·消费提示", st["issuer"]), _p(tip.title, st["title"])]
        head += [_p(line, st["lead"]) for line in (tip.lead.splitlines() if tip.lead else [])]
        flow = []
        for section in tip.sections:
            items = [_p(x, st["item"], bullet="●") for x in section["paragraphs"]]
            heading = [_p(section["heading"], st["h"])]
            flow.append(KeepTogether([*heading, *items]))  # a short section stays in one column
        flow.append(KeepTogether([_p("遇到消费纠纷，请找我们", st["h"]), *_contact(settings, st)]))
        if tip.source:
            flow.append(_p("依据：" + tip.source, st["source"]))
        if size == "A3" and len(tip.sections) > 1 and not single:  # the sections in two columns
            return [*head, FrameBreak(), *flow], _two_columns(head, pagesize, margins, 10 * mm)
        return [*head, *flow]

    return _fit("tip", size, story, f"消费提示 {tip.title}", point, today, 1)
