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
