"""Loads the same CJK font into Qt that the PDFs use, so screen and paper match."""
from PySide6.QtGui import QFont, QFontDatabase

from app.core.resources import sans_font

_family: str | None = None


def register() -> str:
    global _family
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(str(sans_font()))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _family = families[0] if families else QFont().family()
    return _family


def apply_app_font(app) -> None:
    font = QFont(register())
    font.setPointSize(11)
    app.setFont(font)
