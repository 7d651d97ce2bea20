"""Shared look of every printout: GB/T 9704-style A4 page, styles, footer, issuer block and seal."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.printing import fonts

# The print register's number of the document being built, and whether it is a reprint (补打).
_NUMBER: ContextVar[tuple[str, bool] | None] = ContextVar("document_number", default=None)


@contextmanager
def numbered(number: str, reprint: bool):
    """Documents built inside carry the register number in the footer, and 补打 when reprinted."""
    token = _NUMBER.set((number, reprint))
    try:
        yield
    finally:
        _NUMBER.reset(token)


MARGINS = {"topMargin": 37 * mm, "bottomMargin": 35 * mm, "leftMargin": 28 * mm, "rightMargin": 26 * mm}


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@cache
def styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    base = dict(fontName=fonts.BODY, wordWrap="CJK", textColor=colors.black)
    return {
        "issuer": ParagraphStyle("issuer", fontSize=14, leading=20, alignment=TA_CENTER, fontName=fonts.HEADING,
                                 wordWrap="CJK", textColor=colors.HexColor("#b00000")),
        "title": ParagraphStyle("title", fontSize=22, leading=30, alignment=TA_CENTER, fontName=fonts.HEADING,
                                wordWrap="CJK", spaceAfter=4 * mm),
        "caseno": ParagraphStyle("caseno", fontSize=11, leading=16, alignment=TA_RIGHT, **base),
        "label": ParagraphStyle("label", fontSize=11, leading=16, alignment=TA_CENTER, fontName=fonts.HEADING,
                                wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontSize=11, leading=16, alignment=TA_LEFT, **base),
        "body": ParagraphStyle("body", fontSize=11, leading=17, firstLineIndent=22, alignment=TA_LEFT, **base),
        "poster": ParagraphStyle("poster", fontSize=13, leading=21, firstLineIndent=26, alignment=TA_LEFT,
                                 spaceAfter=2, **base),
        "poster_left": ParagraphStyle("poster_left", fontSize=13, leading=21, alignment=TA_LEFT, **base),
        "body_left": ParagraphStyle("body_left", fontSize=11, leading=17, alignment=TA_LEFT, **base),
        "note": ParagraphStyle("note", fontSize=10, leading=15, alignment=TA_LEFT, **base),
    }


def para(text: str, style: str = "cell") -> Paragraph:
    from xml.sax.saxutils import escape

    return Paragraph(escape(text or "").replace("\n", "<br/>"), styles()[style])


class IssuerBlock(Flowable):
    """Issuer and date at the bottom right, with a dashed circle over them where the seal goes."""

    def __init__(self, issuer: str, day: dt.date, size: float = 30 * mm):
        super().__init__()
        self.issuer, self.day, self.size = issuer, day, size

    def wrap(self, avail_width, avail_height):
        self.avail_width = avail_width
        return avail_width, self.size + 2 * mm

    def draw(self):
        c = self.canv
        right = self.avail_width - 4 * mm
        c.saveState()
        c.setFont(fonts.BODY, 13)
        c.drawRightString(right, self.size / 2 + 4 * mm, self.issuer)
        c.drawRightString(right, self.size / 2 - 4 * mm, chinese_date(self.day))
        name_width = max(c.stringWidth(self.issuer, fonts.BODY, 13), 30 * mm)
        cx = right - name_width / 2
        c.setStrokeColor(colors.HexColor("#b00000"))
        c.setFillColor(colors.HexColor("#b00000"))
        c.setDash(3, 2)
        c.circle(cx, self.size / 2, self.size / 2)
        c.setFont(fonts.SANS, 8)
        c.drawCentredString(cx, 3 * mm, "（盖章）")
        c.restoreState()


def form_table(rows: list[tuple[str, str]], width: float, label_width: float = 32 * mm) -> Table:
    """Ruled two-column form: bold labels, wrapped values; long values split across pages."""
    data = [[para(label, "label"), para(value)] for label, value in rows]
    table = Table(data, colWidths=[label_width, width - label_width], splitByRow=True, splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),  # else every cell selects Helvetica, unembedded
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def build(story: list, *, title: str, point_name: str, case_no: str, printed: dt.date, out,
          pagesize=A4, margins: dict | None = None) -> None:
    """Write a document with the footer every printout carries: point, case number, print date, page."""

    page_margins = margins or MARGINS
    register = _NUMBER.get()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.SANS, 9)
        canvas.setFillColor(colors.HexColor("#444444"))
        width, _ = pagesize
        canvas.drawCentredString(width / 2, 20 * mm, f"— {doc.page} —")
        left = point_name + (f"　案件编号 {case_no}" if case_no else "")
        canvas.drawString(page_margins["leftMargin"], 14 * mm, left)
        canvas.drawRightString(width - page_margins["rightMargin"], 14 * mm, f"打印日期 {chinese_date(printed)}")
        if register:
            _register_mark(canvas, register, width, pagesize[1], page_margins)
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=pagesize, title=title, author=point_name, creator="维权联络点工作台",
                            initialFontName=fonts.BODY, **page_margins)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def _register_mark(canvas, register: tuple[str, bool], width: float, height: float, page_margins: dict) -> None:
    """文书编号 at the top right of every page; a reprint adds a boxed 补打 beside it."""
    number, reprint = register
    right = width - page_margins["rightMargin"]
    top = height - 18 * mm
    canvas.setFont(fonts.SANS, 9)
    canvas.setFillColor(colors.HexColor("#444444"))
    canvas.drawRightString(right, top, f"文书编号 {number}")
    if reprint:
        text_width = canvas.stringWidth(f"文书编号 {number}", fonts.SANS, 9)
        canvas.setFont(fonts.HEADING, 12)
        canvas.setFillColor(colors.HexColor("#b00000"))
        canvas.setStrokeColor(colors.HexColor("#b00000"))
        x = right - text_width - 16 * mm
        canvas.rect(x - 1.5 * mm, top - 1.8 * mm, 13 * mm, 6.5 * mm)
        canvas.drawString(x, top, "补打")


def content_width(pagesize=A4) -> float:
    return pagesize[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
