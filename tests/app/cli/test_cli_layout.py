"""app/cli is one module per command group: every command in the `liaison --help` tree runs a function."""
import argparse
import subprocess
import sys

import pytest

from app.cli import build_parser
from app.cli.common import date, period

SAMPLE = {date: "2026-01-05", period: "2026-01-05~2026-01-06", int: "1"}


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every runnable command, e.g. ("case", "move") or ("due",), with its parser."""
    sub = _subparsers(parser)
    if sub is None:
        yield path, parser
        return
    for name, child in sub.choices.items():
        yield from _leaves(child, (*path, name))


def _value(action: argparse.Action) -> str:
    if action.choices:
        return str(next(c for c in action.choices if c))
    return SAMPLE.get(action.type, "X")


def _minimal_args(parser: argparse.ArgumentParser) -> list[str]:
    """The positionals and the required options, each with a value its type accepts."""
    argv: list[str] = []
    for action in parser._actions:
        if not action.option_strings:
            if action.nargs not in ("?", "*"):
                argv.append(_value(action))
        elif action.required:
            argv += [action.option_strings[-1], _value(action)]
    return argv


LEAVES = list(_leaves(build_parser()))


def test_the_tree_is_complete():
    top = [path[0] for path, _ in LEAVES]
    assert list(dict.fromkeys(top)) == [
        "init", "staff", "case", "search", "due", "lookup", "attach", "attachment", "register", "deadline",
        "holidays", "print", "settings", "phrases", "demo", "calc", "report", "import", "export", "council", "audit",
        "backup", "restore", "purge", "key"]
    assert len(LEAVES) == 52


@pytest.mark.parametrize(("path", "parser"), LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_every_command_has_a_function(path, parser):
    args = build_parser().parse_args([*path, *_minimal_args(parser)])
    assert callable(getattr(args, "func", None)), f"liaison {' '.join(path)} has no func"


def test_importing_the_command_loads_no_database_or_pdf_library():
    code = ("import sys, app.cli; app.cli.build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'reportlab', 'openpyxl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
