"""Locate files under resources/ from a checkout, an installed wheel or a PyInstaller bundle."""
import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        base = Path(bundle) / "resources"
    else:
        import resources

        base = Path(resources.__file__).parent
    return base.joinpath(*parts)


SANS_FONT = "wqy-microhei.ttc"  # WenQuanYi Micro Hei (Apache-2.0): the screen, and headings and charts on paper


def sans_font() -> Path:
    """The one CJK sans face: loaded into Qt and registered with ReportLab, so screen and paper match."""
    return resource_path("fonts", SANS_FONT)
