"""The house rules a newcomer relies on: one package per concept, and the window talks to the facade only."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What ui/ may take from app/: the facade (Desk and the typed values and helpers it hands out) and the
# shared vocabulary of app/core (codes, clock, errors, changes, progress, files, logs). ui/main.py also
# hands the process to the `liaison` command when the bundle is started under that name.
ALLOWED = ("app.desk", "app.core")
ALSO = {"ui/main.py": ("app.cli",)}


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] if node.module != "app" else [f"app.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return [n for n in names if n == "app" or n.startswith("app.")]


def test_ui_imports_only_the_facade_and_the_core_vocabulary():
    wrong = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        allowed = ALLOWED + ALSO.get(rel, ())
        wrong += [f"{rel}: {name}" for name in _imports(path)
                  if not any(name == a or name.startswith(a + ".") for a in allowed)]
    assert not wrong, "ui/ must go through app.desk:\n" + "\n".join(wrong)


def test_app_never_imports_qt_or_ui():
    wrong = [f"{p.relative_to(ROOT)}: {n}" for p in sorted((ROOT / "app").rglob("*.py"))
             for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(node, (ast.Import, ast.ImportFrom))
             for n in ([node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names])
             if n.split(".")[0] in ("PySide6", "ui")]
    assert not wrong


def test_one_concept_one_place():
    """No concept is split between a flat module and a service file elsewhere, and app/ holds only packages
    besides the facade and the entry points."""
    flat = sorted(p.name for p in (ROOT / "app").glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "desk.py"], flat
    assert not (ROOT / "app" / "services").exists()
