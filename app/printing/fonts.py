"""The one place that registers the CJK font for ReportLab and decides which face each style uses."""
from __future__ import annotations

from functools import cache

from app.resources import resource_path

FONT_FILE = "wqy-microhei.ttc"  # sans (WenQuanYi Micro Hei, Apache-2.0): headings, charts, the screen
SERIF_FILE = "uming.ttc"  # Song/Ming (AR PL UMing, Arphic Public License): body text on paper
LATIN_FILE = "LiberationSerif-Regular.ttf"  # proportional serif (SIL OFL 1.1): Latin and digits in Song text
SANS = "WQYMicroHei"
SERIF = "ARPLUMing"
LATIN = "LiberationSerif"
BODY = SERIF
HEADING = SANS

# ReportLab's CJK wrapping keeps its list of characters that may not start a line
# (kinsoku); it lacks several full-width Chinese marks, so they are added once here.
EXTRA_CANNOT_START = "，。！？；：、）》」』】〕〉…·％”’"


def font_path():
    return resource_path("fonts", FONT_FILE)


@cache
def register() -> None:
    from reportlab.lib import textsplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import paragraph

    pdfmetrics.registerFont(TTFont(SANS, str(font_path()), subfontIndex=0))
    pdfmetrics.registerFont(TTFont(SERIF, str(resource_path("fonts", SERIF_FILE)), subfontIndex=0))
    pdfmetrics.registerFont(TTFont(LATIN, str(resource_path("fonts", LATIN_FILE))))
    # Drawings (charts, the workflow diagram) start every canvas state in this font; the
    # built-in Helvetica would land in the PDF unembedded.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = SANS
    for module in (textsplit, paragraph):  # single-run paragraphs wrap in textsplit, others in paragraph
        missing = "".join(ch for ch in EXTRA_CANNOT_START if ch not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START = module.ALL_CANNOT_START + missing
