"""Shared look of every printout: GB/T 9704-style A4 page, styles, form rows, footer, issuer block and seal."""
from __future__ import annotations

import datetime as dt
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.printing import fonts
from app.printing.typeset import TextBlock, break_lines

MARGINS = {"topMargin": 25 * mm, "bottomMargin": 26 * mm, "leftMargin": 28 * mm, "rightMargin": 26 * mm}
RULE = 0.6  # form rules, points
LABEL_BACK = colors.HexColor("#f2f2f2")
SEAL = colors.HexColor("#e3a5a5")  # the seal's place: a light outline, printed under nothing
GREY = colors.HexColor("#555555")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Forms 11.5 pt; letters to the consumer (notices) 14.5 pt for elderly readers."""
    fonts.register()
    base = dict(fontName=fonts.BODY, textColor=colors.black)
    return {
        "issuer": ParagraphStyle("issuer", fontSize=14, leading=20, alignment=TA_CENTER, fontName=fonts.HEADING,
                                 textColor=colors.HexColor("#b00000")),
        "title": ParagraphStyle("title", fontSize=22, leading=30, alignment=TA_CENTER, fontName=fonts.HEADING,
                                spaceAfter=3 * mm),
        "caseno": ParagraphStyle("caseno", fontSize=11.5, leading=17, alignment=TA_RIGHT, **base),
        "label": ParagraphStyle("label", fontSize=11.5, leading=16, alignment=TA_CENTER, fontName=fonts.HEADING),
        "heading": ParagraphStyle("heading", fontSize=12, leading=18, alignment=TA_LEFT, fontName=fonts.HEADING,
                                  spaceBefore=2 * mm, spaceAfter=1 * mm),
        "cell": ParagraphStyle("cell", fontSize=11.5, leading=17, alignment=TA_LEFT, **base),
        "cell_right": ParagraphStyle("cell_right", fontSize=11.5, leading=17, alignment=TA_RIGHT, **base),
        "cell_center": ParagraphStyle("cell_center", fontSize=11.5, leading=17, alignment=TA_CENTER, **base),
        "table": ParagraphStyle("table", fontSize=10.5, leading=14.5, alignment=TA_LEFT, **base),
        "table_right": ParagraphStyle("table_right", fontSize=10.5, leading=14.5, alignment=TA_RIGHT, **base),
        "table_label": ParagraphStyle("table_label", fontSize=10.5, leading=14.5, alignment=TA_CENTER,
                                      fontName=fonts.HEADING),
        "body": ParagraphStyle("body", fontSize=12, leading=19, firstLineIndent=24, alignment=TA_LEFT, **base),
        "body_left": ParagraphStyle("body_left", fontSize=12, leading=19, alignment=TA_LEFT, **base),
        "letter": ParagraphStyle("letter", fontSize=14.5, leading=25, firstLineIndent=29, alignment=TA_LEFT,
                                 spaceAfter=1, **base),
        "letter_left": ParagraphStyle("letter_left", fontSize=14.5, leading=25, alignment=TA_LEFT, **base),
        "poster": ParagraphStyle("poster", fontSize=14, leading=23, firstLineIndent=28, alignment=TA_LEFT,
                                 spaceAfter=2, **base),
        "poster_left": ParagraphStyle("poster_left", fontSize=14, leading=23, alignment=TA_LEFT, **base),
        "note": ParagraphStyle("note", fontSize=10, leading=14.5, alignment=TA_LEFT, **base),
        "small": ParagraphStyle("small", fontSize=9, leading=13, alignment=TA_LEFT, textColor=GREY,
                                fontName=fonts.BODY),
    }


def para(text: str, style: str = "cell") -> TextBlock:
    return TextBlock(text or "", styles()[style])


class FormRow(Flowable):
    """One ruled row of a form: grey label cell, value cell. A long value splits between lines, the
    label repeated as “…（续）” on the next page; each part keeps two lines at least."""

    PAD_X, PAD_TOP, PAD_BOTTOM = 5, 3.5, 4.5

    def __init__(self, label: str, value: str | TextBlock, label_width: float, continued: bool = False):
        super().__init__()
        self.label_text, self.label_width, self.continued = label, label_width, continued
        self.label = para(label + ("（续）" if continued else ""), "label")
        self.value = value if isinstance(value, TextBlock) else para(value or "—")

    def _inner(self, avail_width):
        return self.label_width - 2 * self.PAD_X, avail_width - self.label_width - 2 * self.PAD_X

    def wrap(self, avail_width, avail_height):
        lw, vw = self._inner(avail_width)
        _w, lh = self.label.wrap(lw, avail_height)
        _w, vh = self.value.wrap(vw, avail_height)
        self.width = avail_width
        self.height = max(lh, vh) + self.PAD_TOP + self.PAD_BOTTOM
        return self.width, self.height

    def split(self, avail_width, avail_height):
        lw, vw = self._inner(avail_width)
        self.value.wrap(vw, avail_height)
        parts = self.value.split(vw, avail_height - self.PAD_TOP - self.PAD_BOTTOM)
        if len(parts) != 2 or self.label.wrap(lw, avail_height)[1] + self.PAD_TOP + self.PAD_BOTTOM > avail_height:
            return []
        return [FormRow(self.label_text, parts[0], self.label_width, self.continued),
                FormRow(self.label_text, parts[1], self.label_width, True)]

    def draw(self):
        c = self.canv
        lw, vw = self._inner(self.width)
        c.saveState()
        c.setFillColor(LABEL_BACK)
        c.rect(0, 0, self.label_width, self.height, stroke=0, fill=1)
        c.setStrokeColor(colors.black)
        c.setLineWidth(RULE)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.line(self.label_width, 0, self.label_width, self.height)
        c.restoreState()
        _w, lh = self.label.wrap(lw, self.height)
        _w, vh = self.value.wrap(vw, self.height)
        body = self.height - self.PAD_TOP - self.PAD_BOTTOM
        self.label.drawOn(c, self.PAD_X, self.PAD_BOTTOM + (body - lh) / 2)
        self.value.drawOn(c, self.label_width + self.PAD_X, self.PAD_BOTTOM + (body - vh) / 2)


class FormBand(Flowable):
    """A section's name across a form, in a ruled row of its own (一、消费者), so the form reads as one
    table. Put it after a CondPageBreak (form_band) so it never ends a page alone."""

    HEIGHT = 6.5 * mm

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.HEIGHT
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(colors.HexColor("#dcdcdc"))
        c.setStrokeColor(colors.black)
        c.setLineWidth(RULE)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        c.setFillColor(colors.black)
        c.setFont(fonts.HEADING, 11.5)
        c.drawString(FormRow.PAD_X, self.height / 2 - 0.36 * 11.5, self.text)
        c.restoreState()


def form_band(text: str) -> list[Flowable]:
    """A section band with room below it for two lines of its first row, else on the next page (a long
    row after it then starts on this page and splits, rather than leaving the page half empty)."""
    from reportlab.platypus import CondPageBreak

    return [CondPageBreak(FormBand.HEIGHT + 2 * 17 + FormRow.PAD_TOP + FormRow.PAD_BOTTOM + 1), FormBand(text)]


class PairRow(Flowable):
    """Two short fields side by side in one ruled row: label, value, label, value (kept whole; a long
    value wraps inside its cell). With FormRow rows of the same width the rules line up: the first label
    is as wide as theirs."""

    PAD_X, PAD_TOP, PAD_BOTTOM = FormRow.PAD_X, FormRow.PAD_TOP, FormRow.PAD_BOTTOM

    def __init__(self, first: tuple[str, str], second: tuple[str, str], label_width: float,
                 second_label_width: float | None = None):
        super().__init__()
        self.label_width = label_width
        self.second_label_width = second_label_width or label_width
        self.cells = [(para(first[0], "label"), para(first[1] or "—")), (para(second[0], "label"), para(second[1] or "—"))]

    def _columns(self, avail_width: float) -> list[tuple[float, float]]:
        """(x, width) of the four cells: the two values share what the labels leave."""
        value = (avail_width - self.label_width - self.second_label_width) / 2
        xs = [0, self.label_width, self.label_width + value, self.label_width + value + self.second_label_width]
        widths = [self.label_width, value, self.second_label_width, value]
        return list(zip(xs, widths, strict=True))

    def _blocks(self) -> list[TextBlock]:
        return [self.cells[0][0], self.cells[0][1], self.cells[1][0], self.cells[1][1]]

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        heights = [b.wrap(w - 2 * self.PAD_X, avail_height)[1]
                   for b, (_x, w) in zip(self._blocks(), self._columns(avail_width), strict=True)]
        self.height = max(heights) + self.PAD_TOP + self.PAD_BOTTOM
        return self.width, self.height

    def draw(self):
        c = self.canv
        columns = self._columns(self.width)
        c.saveState()
        c.setFillColor(LABEL_BACK)
        for i in (0, 2):
            c.rect(columns[i][0], 0, columns[i][1], self.height, stroke=0, fill=1)
        c.setStrokeColor(colors.black)
        c.setLineWidth(RULE)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        for x, _w in columns[1:]:
            c.line(x, 0, x, self.height)
        c.restoreState()
        body = self.height - self.PAD_TOP - self.PAD_BOTTOM
        for block, (x, w) in zip(self._blocks(), columns, strict=True):
            _w, h = block.wrap(w - 2 * self.PAD_X, self.height)
            block.drawOn(c, x + self.PAD_X, self.PAD_BOTTOM + (body - h) / 2)


def form_rows(rows: list[tuple[str, str]], label_width: float = 32 * mm) -> list[FormRow]:
    """A ruled two-column form, one flowable a row (rows split across pages, never the label away)."""
    return [FormRow(label, value, label_width) for label, value in rows]


class IssuerBlock(Flowable):
    """Issuer and decision date at the bottom right, the seal's place a light circle beside them (never
    over the text); optional notes (contact lines) set in the room on the left."""

    def __init__(self, issuer: str, day: dt.date, size: float = 24 * mm, font_size: float = 13.5,
                 notes: list[str] | None = None):
        super().__init__()
        self.issuer, self.day, self.size, self.font_size = issuer, day, size, font_size
        self.notes = [para(n, "note") for n in notes or []]

    def _lines(self, avail_width: float) -> list[str]:
        room = min(avail_width - self.size - 10 * mm, 80 * mm)
        return ["".join(a) for a, _last in break_lines(self.issuer, fonts.BODY, self.font_size, room)]

    def _right_width(self, lines: list[str]) -> float:
        from app.printing.typeset import width as text_width

        return max(text_width(x, fonts.BODY, self.font_size) for x in lines) + self.size + 10 * mm

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        lines = self._lines(avail_width) + [chinese_date(self.day)]
        notes_w = avail_width - self._right_width(lines) - 6 * mm
        notes_h = sum(n.wrap(notes_w, avail_height)[1] for n in self.notes)
        self.height = max(self.size, len(lines) * self.font_size * 1.6, notes_h) + 3 * mm
        return self.width, self.height

    def draw(self):
        from app.printing.typeset import width as text_width

        c, fs = self.canv, self.font_size
        lines = self._lines(self.width) + [chinese_date(self.day)]
        y = self.height
        notes_w = self.width - self._right_width(lines) - 6 * mm
        for n in self.notes:
            _w, h = n.wrap(notes_w, self.height)
            y -= h
            n.drawOn(c, 0, y)
        right = self.width - 2 * mm
        text_w = max(text_width(x, fonts.BODY, fs) for x in lines)
        top = (self.height + len(lines) * fs * 1.6) / 2
        style = ParagraphStyle("issuer_line", fontName=fonts.BODY, fontSize=fs, leading=fs * 1.6,
                               alignment=TA_CENTER)
        for i, line in enumerate(lines):
            tb = TextBlock(line, style)
            tb.wrap(text_w, fs * 2)
            tb.drawOn(c, right - text_w, top - (i + 1) * fs * 1.6)
        cx, cy, r = right - text_w - 6 * mm - self.size / 2, self.height / 2, self.size / 2
        c.saveState()
        c.setStrokeColor(SEAL)
        c.setFillColor(SEAL)
        c.setLineWidth(0.8)
        c.setDash(2, 2)
        c.circle(cx, cy, r)
        c.setFont(fonts.SANS, 8)
        c.drawCentredString(cx, cy - 3, "盖章处")
        c.restoreState()


class SignatureBlock(Flowable):
    """One line a party: “label ________” then “日期：____年__月__日”, the blanks ruled so they keep
    their width for handwriting."""

    ROW = 13 * mm

    def __init__(self, labels: list[str], font_size: float = 12, dated: bool = True):
        super().__init__()
        self.labels, self.font_size, self.dated = labels, font_size, dated

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = len(self.labels) * self.ROW
        return self.width, self.height

    def draw(self):
        from app.printing.typeset import width as text_width

        c, fs = self.canv, self.font_size
        date_w = text_width("日期：", fonts.BODY, fs) + 36 * mm + 3 * fs
        c.saveState()
        c.setLineWidth(0.5)
        for i, label in enumerate(self.labels):
            y = self.height - (i + 1) * self.ROW + 3 * mm
            c.setFont(fonts.BODY, fs)
            c.drawString(0, y, label)
            sign_end = self.width - date_w - 8 * mm if self.dated else min(self.width, text_width(label, fonts.BODY, fs) + 70 * mm)
            c.line(text_width(label, fonts.BODY, fs) + 1, y - 2, sign_end, y - 2)
            if self.dated:
                x = self.width - date_w
                c.drawString(x, y, "日期：")
                x += text_width("日期：", fonts.BODY, fs)
                for blank, unit in ((16 * mm, "年"), (10 * mm, "月"), (10 * mm, "日")):
                    c.line(x + 1, y - 2, x + blank - 1, y - 2)
                    x += blank
                    c.drawString(x, y, unit)
                    x += fs
        c.restoreState()


class CaseMark(Flowable):
    """Zero-size marker: from here on the footer names this case (per-case pages of a batch)."""

    def __init__(self, case_no: str):
        super().__init__()
        self.case_no = case_no

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        self.canv._liaison_case_no = self.case_no


class EndMark(Flowable):
    """Zero-size marker at the end of a story: remembers how far down the last page the text went."""

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 (ReportLab's name)
        canvas._liaison_end_y = y


def build(story: list, *, title: str, point_name: str, case_no: str, printed: dt.date, out,
          pagesize=A4, margins: dict | None = None, landscape_first: bool = False,
          frames: list | None = None, register_no: str = "", corner=None) -> tuple[int, float]:
    """Write a document with the footer every printout carries: point, case number, page, “打印于”,
    and the document's number in the print register (app/reports/print_register.py) when it has one; `corner`, a
    Drawing set in the top left corner of the first page beside the centred heading (the receipt's QR code).
    `landscape_first`: the first pages (a wide table) landscape, then "portrait" (NextPageTemplate);
    `frames`: the page's own frames (a poster's header, columns and band) instead of one text frame.
    Returns the page count and how full the last page is (0–1), for layouts that fit themselves."""
    from reportlab.lib.pagesizes import landscape

    page_margins = margins or MARGINS

    def footer(canvas, doc):
        canvas.saveState()
        width = canvas._pagesize[0]  # this page's size (a landscape cover, then portrait pages)
        canvas.setFont(fonts.SANS, 9)
        canvas.setFillColor(GREY)
        canvas.drawCentredString(width / 2, 16 * mm, f"— {doc.page} —")
        if corner is not None and doc.page == 1:
            corner.drawOn(canvas, page_margins["leftMargin"] - 2 * mm,
                          canvas._pagesize[1] - page_margins["topMargin"] - corner.height + 2 * mm)
        number = getattr(canvas, "_liaison_case_no", "") or case_no
        left = point_name + (f"　案件编号 {number}" if number else "")
        canvas.setFont(fonts.SANS, 8)
        canvas.drawString(page_margins["leftMargin"], 10 * mm, left)
        canvas.drawRightString(width - page_margins["rightMargin"], 10 * mm, f"打印于 {chinese_date(printed)}")
        if register_no:  # its own line: a long point name on the left must not run into it
            canvas.drawRightString(width - page_margins["rightMargin"], 13.5 * mm, f"文书编号：{register_no}")
        canvas.restoreState()

    def template(name, size):
        frame = Frame(page_margins["leftMargin"], page_margins["bottomMargin"],
                      size[0] - page_margins["leftMargin"] - page_margins["rightMargin"],
                      size[1] - page_margins["topMargin"] - page_margins["bottomMargin"], id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        return PageTemplate(name, [frame], onPageEnd=footer, pagesize=size)

    doc = BaseDocTemplate(out, pagesize=pagesize, title=title, author=point_name, creator="维权联络点工作台",
                          initialFontName=fonts.BODY, **page_margins)
    templates = [template("portrait", pagesize)]
    if frames:
        templates = [PageTemplate("poster", frames, onPageEnd=footer, pagesize=pagesize)]
    if landscape_first:
        templates.insert(0, template("landscape", landscape(pagesize)))
    doc.addPageTemplates(templates)
    end = EndMark()
    doc.build([*story, end])
    frame_h = pagesize[1] - page_margins["topMargin"] - page_margins["bottomMargin"]
    end_y = getattr(doc.canv, "_liaison_end_y", page_margins["bottomMargin"])
    return doc.page, (pagesize[1] - page_margins["topMargin"] - end_y) / frame_h


def content_width(pagesize=A4) -> float:
    return pagesize[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]


def decision_day(case, state: str) -> dt.date | None:
    """The day of the decision behind a document: the last move of the case into `state` (so a reprint,
    or a case reopened and printed later, still carries the day the decision was taken)."""
    from app.core.clock import LOCAL_TZ

    for e in reversed(case.events):
        if e.action == "move" and e.to_state == state:
            return e.at.astimezone(LOCAL_TZ).date()
    if state == "accepted":
        return case.accepted_on
    return case.outcome_on


def qr_drawing(text: str, size_mm: float = 55):
    """A QR code (segno, error correction M) drawn as vector squares; scans from paper and screen.
    One filled path of the dark runs of each row: 560 separate squares took 0.12 s of a 0.2 s receipt.
    The mask is fixed: scoring all eight (the encoder's default) took 7 of a receipt's 50 ms, and any
    mask reads the same to a scanner (the tests decode the printed code)."""
    import segno
    from reportlab.graphics.shapes import Drawing, Path

    matrix = segno.make(text, error="m", mask=0).matrix
    border = 4
    n = len(matrix) + 2 * border
    cell = size_mm * mm / n
    path = Path(fillColor=colors.black, strokeColor=None, strokeWidth=0)
    for y, row in enumerate(matrix):
        bottom = (n - 1 - y - border) * cell
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            left, right = (start + border) * cell, (x + border) * cell
            path.moveTo(left, bottom)
            path.lineTo(right, bottom)
            path.lineTo(right, bottom + cell)
            path.lineTo(left, bottom + cell)
            path.closePath()
    d = Drawing(n * cell, n * cell)
    d.add(path)
    return d
