"""Chinese line breaking (禁则) and the text flowable every printout uses instead of ReportLab's Paragraph.

ReportLab's CJK wrapping re-joins the words of a split paragraph with spaces ("华人民共 和国"), lets
closing punctuation start a line and splits numbers; so every printed text is set here, once:
- the text is cut into atoms that never break: one CJK character, a run of Latin letters/digits/ASCII
  signs (a word, a number, a case or phone number, a URL, ¥1,234.00), a run of …… or ——;
- no line starts with closing punctuation and none ends with opening punctuation;
- in the Song body face, Latin letters and digits are set in a proportional serif (Liberation Serif);
- lines are justified by spreading the small remainder between atoms (never enough to read as a space).
"""
from __future__ import annotations

import re
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from app.printing import fonts

CANNOT_START = "，。、；：？！）》」』”’…—%％〕】〉·,.;:?!)]}"
CANNOT_END = "（《「『“‘【〔〈([{"
_ATOM = re.compile(r"[!-~¥]+|…+|—+|[ \t]+|.", re.S)
_LATIN = re.compile(r"[!-~¥]")
# The widest gap a justified line may put between two atoms, as a share of the font size; above
# it the line stays ragged, so text extraction never reads the gap as a space.
MAX_STRETCH = 0.1
_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})


def full_width(text: str) -> str:
    """Seed texts as printed: half-width ,;:?!() beside Chinese characters full-width, and the stray
    blanks of copied text between two Chinese characters dropped ("医疗 费" → "医疗费")."""
    def fix(m: re.Match) -> str:
        return m.group(0).translate(_FULL_WIDTH)

    text = re.sub(r"(?<=[^\x00-\x7f])\s*[,;:?!()]\s*|\s*[,;:?!()]\s*(?=[^\x00-\x7f])", lambda m: fix(m).strip(), text)
    return re.sub(r"(?<=[^\x00-\x7f\u3000])[ \t]+(?=[^\x00-\x7f\u3000])", "", text)


@cache
def _char_width(ch: str, font: str) -> float:
    return stringWidth(ch, font, 1000) / 1000


def face(ch: str, font: str) -> str:
    """The font a character is set in: Latin and digits of the Song face in the proportional serif."""
    if font == fonts.BODY and _LATIN.match(ch):
        return fonts.LATIN
    return font


def width(text: str, font: str, size: float) -> float:
    return sum(_char_width(ch, face(ch, font)) for ch in text) * size


def atoms(text: str) -> list[str]:
    return _ATOM.findall(text)


def _clusters(line_atoms: list[str]) -> list[list[str]]:
    """Atoms grouped where no line may break between them (禁则); spaces stand alone."""
    groups: list[list[str]] = []
    for a in line_atoms:
        glue = (groups and not a.isspace() and not groups[-1][-1].isspace()
                and (a[0] in CANNOT_START or groups[-1][-1][-1] in CANNOT_END))
        if glue:
            groups[-1].append(a)
        else:
            groups.append([a])
    return groups


def _split_wide(cluster: list[str], font: str, size: float, avail: float) -> list[list[str]]:
    """A cluster wider than a whole line (a very long URL): cut where it must, character by character."""
    chars = [ch for a in cluster for ch in a]
    pieces, cur = [], ""
    for ch in chars:
        if cur and width(cur + ch, font, size) > avail:
            pieces.append([cur])
            cur = ""
        cur += ch
    if cur:
        pieces.append([cur])
    return pieces


def break_lines(text: str, font: str, size: float, avail: float, first_indent: float = 0.0) -> list[tuple[list[str], bool]]:
    """Lines of atoms for `avail` points; each with True when it ends its paragraph (not justified)."""
    out: list[tuple[list[str], bool]] = []
    for paragraph in text.split("\n"):
        lines: list[list[str]] = []
        cur: list[str] = []
        cur_w = 0.0
        limit = avail - first_indent
        for cluster in _clusters(atoms(paragraph)):
            w = sum(width(a, font, size) for a in cluster)
            if cluster[0].isspace():
                if cur:
                    cur.append(cluster[0])
                    cur_w += w
                continue
            if cur and cur_w + w > limit + 0.01:
                while cur and cur[-1].isspace():
                    cur.pop()
                lines.append(cur)
                cur, cur_w, limit = [], 0.0, avail
            if w > limit + 0.01:
                pieces = _split_wide(cluster, font, size, limit)
                for piece in pieces[:-1]:
                    lines.append(piece)
                    limit = avail
                cluster = pieces[-1]
                w = width(cluster[0], font, size)
            cur += cluster
            cur_w += w
        while cur and cur[-1].isspace():
            cur.pop()
        lines.append(cur)
        _no_lone_last_character(lines)
        out += [(line, i == len(lines) - 1) for i, line in enumerate(lines)]
    return out


def _no_lone_last_character(lines: list[list[str]]) -> None:
    """A paragraph does not end on a line holding one character (and its punctuation): the last
    breakable piece of the line before moves down to keep it company."""
    if len(lines) < 2:
        return
    last = "".join(lines[-1])
    if len(last.rstrip(CANNOT_START + " ")) != 1 or not re.match(r"[^\x00-\x7f]", last):
        return
    groups = _clusters(lines[-2])
    while groups and groups[-1][0].isspace():
        groups.pop()
    if len(groups) < 4:
        return
    moved = groups[-1]
    lines[-2] = [a for g in groups[:-1] for a in g]
    while lines[-2] and lines[-2][-1].isspace():
        lines[-2].pop()
    lines[-1] = moved + lines[-1]


class TextBlock(Flowable):
    """A paragraph set with break_lines; splits between lines (two at least on each side)."""

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None,
                 _lines: list | None = None, _first: bool = True, _starts: bool = True):
        super().__init__()
        self.text, self.style, self.bullet = text or "", style, bullet
        # a part made by split() keeps the lines it was cut with; _starts: its first line opens a paragraph
        self._lines, self._first, self._starts = _lines, _first, _starts
        self._width: float | None = None
        self._cut = _lines is not None

    # geometry ------------------------------------------------------------------------------------
    def _pad(self) -> tuple[float, float, float, float]:
        p = self.style.borderPadding if self.style.backColor else 0
        if isinstance(p, (int, float)):
            return p, p, p, p
        t, r, b, left = (list(p) + [p[0]] * 4)[:4] if len(p) != 2 else (p[0], p[1], p[0], p[1])
        return t, r, b, left

    def _text_width(self, avail_width: float) -> float:
        s = self.style
        _t, r, _b, left = self._pad()
        return avail_width - s.leftIndent - s.rightIndent - r - left

    def lines(self, avail_width: float) -> list:
        if self._lines is None or (not self._cut and self._width != avail_width):  # a cut part has its lines
            s = self.style
            self._lines = break_lines(self.text, s.fontName, s.fontSize, self._text_width(avail_width),
                                      s.firstLineIndent)
            self._width = avail_width
        return self._lines

    def wrap(self, avail_width, avail_height):
        t, _r, b, _left = self._pad()
        self.width = avail_width
        self.height = len(self.lines(avail_width)) * self.style.leading + t + b
        return self.width, self.height

    def getSpaceBefore(self):  # noqa: N802 (ReportLab's name)
        return self.style.spaceBefore if self._first else 0

    def getSpaceAfter(self):  # noqa: N802
        return self.style.spaceAfter

    def split(self, avail_width, avail_height):
        lines = self.lines(avail_width)
        t, _r, b, _left = self._pad()
        fit = int((avail_height - t - b + 0.01) // self.style.leading)
        head = min(fit, len(lines) - 2)
        if head < 2:
            return []
        first = TextBlock(self.text, self.style, self.bullet, lines[:head], self._first, self._starts)
        rest = TextBlock(self.text, self.style, None, lines[head:], False, lines[head - 1][1])
        return [first, rest]

    # drawing -----------------------------------------------------------------------------------
    def draw(self):
        s, c = self.style, self.canv
        t, r, b, left = self._pad()
        if s.backColor:
            c.saveState()
            c.setFillColor(s.backColor)
            c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            c.restoreState()
        avail = self._text_width(self.width)
        size, leading = s.fontSize, s.leading
        y = self.height - t - leading / 2 - 0.36 * size
        c.saveState()
        c.setFillColor(s.textColor or colors.black)
        starts_paragraph = self._starts
        assert self._lines is not None  # wrap() set them
        for i, (line, last) in enumerate(self._lines):
            indent = s.firstLineIndent if starts_paragraph else 0
            x0 = left + s.leftIndent + indent
            if i == 0 and self._first and self.bullet:
                c.setFont(s.bulletFontName or s.fontName, s.bulletFontSize or size)
                c.drawString(left + s.bulletIndent, y, self.bullet)
            self._draw_line(line, x0, y, avail - indent, last)
            starts_paragraph = last
            y -= leading
        c.restoreState()

    def _draw_line(self, line: list[str], x: float, y: float, avail: float, last: bool) -> None:
        """One line in one PDF text object: each run of one face placed where it goes (a drawString per
        character cost most of a receipt's time)."""
        s = self.style
        font, size = s.fontName, s.fontSize
        widths = [width(a, font, size) for a in line]
        slack = avail - sum(widths)
        if s.alignment == TA_CENTER:
            x += slack / 2
        elif s.alignment == TA_RIGHT:
            x += slack
        extra = 0.0
        if s.alignment in (TA_LEFT, TA_JUSTIFY) and not last and len(line) > 1 and slack > 0:
            stretch = slack / (len(line) - 1)
            extra = stretch if stretch <= MAX_STRETCH * size else 0.0
        text = self.canv.beginText()
        current = None
        for a, w in zip(line, widths, strict=True):
            if not a.isspace():
                current = self._place_atom(text, a, x, y, current)
            x += w + extra
        self.canv.drawText(text)

    def _place_atom(self, text, a: str, x: float, y: float, current: str | None) -> str | None:
        """Runs of one face of the atom `a` at x, y in the text object; returns the face set last."""
        font, size = self.style.fontName, self.style.fontSize
        run, run_face = "", None
        for ch in a:
            f = face(ch, font)
            if run and f != run_face:
                current = self._put(text, run, run_face, x, y, current)
                x += width(run, font, size)
                run = ""
            run, run_face = run + ch, f
        if run:
            current = self._put(text, run, run_face, x, y, current)
        return current

    def _put(self, text, run: str, run_face, x: float, y: float, current: str | None) -> str:
        if run_face != current:
            text.setFont(run_face, self.style.fontSize)
        text.setTextOrigin(x, y)
        text.textOut(run)
        return run_face


def plain_lines(text: str, font: str, size: float, avail: float) -> list[str]:
    """Balanced lines as strings (for drawings such as the workflow diagram's boxes): as many lines as
    `avail` needs, but as even as they can be, so no character is left alone on the last line."""
    lines = break_lines(text, font, size, avail)
    lo, hi = avail / 2, avail
    for _ in range(12):  # the narrowest width that still needs no more lines
        mid = (lo + hi) / 2
        if len(break_lines(text, font, size, mid)) > len(lines):
            lo = mid
        else:
            hi = mid
    return ["".join(line) for line, _last in break_lines(text, font, size, hi)]


class HeadedBlock(Flowable):
    """Headings kept with the start of the text after them: unlike KeepTogether the text may still
    split (at least its first two lines stay under the headings), so columns fill without gaps."""

    def __init__(self, heads: list[Flowable], body: TextBlock):
        super().__init__()
        self.heads, self.body = heads, body

    def _parts(self):
        return [*self.heads, self.body]

    def getSpaceBefore(self):  # noqa: N802 (ReportLab's name)
        return self.heads[0].getSpaceBefore()

    def getSpaceAfter(self):  # noqa: N802
        return self.body.getSpaceAfter()

    def wrap(self, avail_width, avail_height):
        self.width, total = avail_width, 0.0
        for i, f in enumerate(self._parts()):
            total += f.wrap(avail_width, avail_height)[1] + (f.getSpaceBefore() if i else 0)
            total += f.getSpaceAfter() if f is not self.body else 0
        self.height = total
        return avail_width, total

    def split(self, avail_width, avail_height):
        used = sum(f.wrap(avail_width, avail_height)[1] + f.getSpaceAfter() for f in self.heads)
        used += sum(f.getSpaceBefore() for f in self.heads[1:]) + self.body.getSpaceBefore()
        parts = self.body.split(avail_width, avail_height - used)
        return [*self.heads, *parts] if len(parts) == 2 else []

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802
        top = y + self.height
        for i, f in enumerate(self._parts()):
            _w, h = f.wrap(self.width, self.height)
            top -= f.getSpaceBefore() if i else 0
            f.drawOn(canvas, x, top - h)
            top -= h + (f.getSpaceAfter() if f is not self.body else 0)
