"""The one place that registers the fonts for ReportLab and decides which face each style uses
(line breaking is app/printing/typeset.py)."""
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


def font_path():
    return resource_path("fonts", FONT_FILE)


@cache
def register() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(SANS, str(font_path()), subfontIndex=0))
    pdfmetrics.registerFont(TTFont(SERIF, str(resource_path("fonts", SERIF_FILE)), subfontIndex=0))
    pdfmetrics.registerFont(TTFont(LATIN, str(resource_path("fonts", LATIN_FILE))))
    # Drawings (charts, the workflow diagram) start every canvas state in this font; the
    # built-in Helvetica would land in the PDF unembedded.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = SANS
