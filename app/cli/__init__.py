"""The `liaison` command: the desk without a screen (interchange.md), a thin layer over app/.

One module per command group (cases, staff, evidence, calendar, printing, reports, ledger, district,
storage, point, phrases); each adds its commands to the parser and sets `func`, the function that runs the command.
What they share — exit codes, common options, output, the signed-in desk — is in app/cli/common.py.
"""
from __future__ import annotations

import argparse
import sys

from app.cli import calendar as calendar_cli
from app.cli import cases, district, evidence, ledger, phrases, point, printing, reports, staff, storage
from app.cli.common import (
    EXIT_INPUT,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    UNREADABLE,
    UsageError,
    add_common,
    check_dates,
)
from app.core.errors import FieldError, InputError

__all__ = ["build_parser", "main"]

# The commands in the order `liaison --help` lists them.
COMMANDS = (
    staff.add_init, staff.add_staff, cases.add_case, cases.add_search, cases.add_due, cases.add_lookup,
    evidence.add_attach, evidence.add_attachment, printing.add_register, calendar_cli.add_deadline,
    calendar_cli.add_holidays, printing.add_print, point.add_settings, phrases.add_phrases, storage.add_demo, calendar_cli.add_calc,
    reports.add_report, ledger.add_import, ledger.add_export, district.add_council, staff.add_audit,
    storage.add_backup, storage.add_restore, storage.add_purge, staff.add_key,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="liaison", description="维权联络点工作台（命令行）")
    add_common(parser, top=True)
    common = argparse.ArgumentParser(add_help=False)
    add_common(common, top=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub, common)
    return parser


def run(args: argparse.Namespace) -> int:
    """The command's own function (set by its group); dates outside the desk's range are refused first."""
    check_dates(args)
    return int(args.func(args))


def main(argv: list[str] | None = None) -> int:
    from app.core.files import private_umask

    private_umask()  # databases, backups, exports and keys this command writes are the user's only
    # Chinese on any console, whatever its locale.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    unreadable = [i for i, a in enumerate(argv, 1) if UNREADABLE.search(a)]
    if unreadable:  # bytes that are not UTF-8 (or NUL): say which argument instead of failing later
        sys.stderr.write(f"错误：【argv】第{unreadable[0]}个参数含有无法识别的字符（不是 UTF-8 文字），"
                         "请使用 UTF-8 的文字和文件名\n")
        return EXIT_INPUT
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    try:
        return run(args)
    except InputError as e:
        for err in e.errors:
            sys.stderr.write(f"错误：{err}\n")
        return EXIT_INPUT
    except FieldError as e:
        sys.stderr.write(f"错误：{e}\n")
        return EXIT_INPUT
    except UsageError as e:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误：{e}\n")
        return EXIT_USAGE
    except Exception as e:  # a defect of ours: logged in full, a Chinese message on screen, never a traceback
        from app.core import logging_setup

        path = logging_setup.log_exception(e, "liaison " + " ".join(str(a) for a in (argv or sys.argv[1:])[:3]))
        sys.stderr.write(f"错误：{logging_setup.user_message(e, path)}\n")
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    raise SystemExit(main())
