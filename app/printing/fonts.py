"""The one place that registers the fonts for ReportLab and decides which face each style uses
(line breaking is app/printing/typeset.py)."""
from __future__ import annotations

from functools import cache

from app.core.resources import SANS_FONT, resource_path, sans_font

FONT_FILE = SANS_FONT  # sans: headings, charts, the screen
SERIF_FILE = "uming.ttc"  # Song/Ming (AR PL UMing, Arphic Public License): body text on paper
LATIN_FILE = "LiberationSerif-Regular.ttf"  # proportional serif (SIL OFL 1.1): Latin and digits in Song text
SANS = "WQYMicroHei"
SERIF = "ARPLUMing"
LATIN = "LiberationSerif"
BODY = SERIF
HEADING = SANS


def font_path():
    return sans_font()


@cache
def register() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for font in (TTFont(SANS, str(font_path()), subfontIndex=0),
                 TTFont(SERIF, str(resource_path("fonts", SERIF_FILE)), subfontIndex=0),
                 TTFont(LATIN, str(resource_path("fonts", LATIN_FILE)))):
        _slice_glyphs_in_place(font.face)
        pdfmetrics.registerFont(font)
    # Drawings (charts, the workflow diagram) start every canvas state in this font; the
    # built-in Helvetica would land in the PDF unembedded.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = SANS


class _GlyphTable:
    """A font's glyf table that gives each glyph's bytes without first copying the table whole."""

    def __init__(self, data: bytes, pos: int, length: int) -> None:
        self._view = memoryview(data)[pos:pos + length]

    def __getitem__(self, part: slice) -> bytes:
        return self._view[part].tobytes()

    def __len__(self) -> int:
        return len(self._view)


def _slice_glyphs_in_place(face) -> None:
    """ReportLab copies the whole glyf table (18 MB for the Ming face) each time it embeds a subset
    of 256 characters, and only slices glyphs out of the copy: a quarter of a receipt's time. Its
    subsetting asks for that table through get_table, which here hands out a view instead."""
    table = getattr(face, "get_table", None)
    if table is None or not hasattr(face, "get_table_pos") or not isinstance(getattr(face, "_ttf_data", None), bytes):
        return

    def get_table(tag):
        if tag != "glyf":
            return table(tag)
        return _GlyphTable(face._ttf_data, *face.get_table_pos(tag))

    face.get_table = get_table
