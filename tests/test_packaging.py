"""`pip install .` (not only -e) must carry the fonts, rule sets, texts and migrations."""
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_resources_and_migrations(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT),
                    "-w", str(tmp_path)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "resources").rglob("*") if p.is_file()
               and "__pycache__" not in p.parts}
    shipped |= {str(p.relative_to(ROOT)) for p in (ROOT / "app" / "migrations").rglob("*") if p.is_file()
                and "__pycache__" not in p.parts}
    assert shipped <= names, sorted(shipped - names)

