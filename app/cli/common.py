"""What every command group of `liaison` shares: exit codes, common options, argument types, output,
the database and the signed-in desk, passwords, stdin JSON.

Nothing heavy is imported here at module level: SQLAlchemy, ReportLab and the services load inside the
functions that need them, so `liaison --help` and a usage error stay quick.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from app.core import codes, files
from app.core.errors import FieldError, InputError

if TYPE_CHECKING:
    from app.desk import Desk
    from app.storage.db import Store

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3

Handler = Callable[[argparse.Namespace], int]
DeskHandler = Callable[[argparse.Namespace, "Desk"], int]


class UsageError(Exception):
    pass


def add_common(parser: argparse.ArgumentParser, top: bool) -> None:
    """--db, --json and --staff: on the top parser with defaults, on each command without (so either place works)."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", default=default, help="数据库 URL 或 SQLite 文件路径（也可用环境变量 LIAISON_DB）")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="只输出一个 JSON 文档")
    parser.add_argument("--staff", default=default, metavar="NAME",
                        help="以该工作人员账号办理（也可用环境变量 LIAISON_STAFF；密码在终端输入或取自 LIAISON_PASSWORD）；"
                             "不给时为与本系统用户关联的账号")


# Argument types and checks ------------------------------------------------------------------------------------

def date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请按 2026-11-20 的格式填写") from None


UNREADABLE = re.compile("[\x00\ud800-\udfff]")
FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


def check_dates(args: argparse.Namespace) -> None:
    """Dates given on the command line lie in the range the desk works with (not 0001 or 9999)."""
    for name, value in vars(args).items():
        if isinstance(value, dt.date) and not FIRST_DAY <= value <= LAST_DAY:
            raise InputError([FieldError(name, f"日期 {value.isoformat()} 超出可用范围（1990-01-01 至 2100-12-31）")])


def period(value: str) -> tuple[dt.date, dt.date]:
    for sep in ("~", "..", "至"):
        if sep in value:
            a, b = value.split(sep, 1)
            try:
                start, end = dt.date.fromisoformat(a.strip()), dt.date.fromisoformat(b.strip())
            except ValueError:
                break
            if end < start:
                raise argparse.ArgumentTypeError(f"“{value}”的结束日期早于开始日期")
            return start, end
    raise argparse.ArgumentTypeError(f"“{value}”应写成 2026-06-10~2026-06-20")


# Output ------------------------------------------------------------------------------------------------------

def out(args: argparse.Namespace, data: Any, text: str | None = None) -> None:
    if args.json or text is None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def out_stream(args: argparse.Namespace, cases: Iterable[dict], empty: str) -> None:
    """Cases written as they are read (memory stays flat): the same JSON list `out` would print."""
    stream, first = sys.stdout, True
    for c in cases:
        if args.json:
            body = "\n".join("  " + line for line in json.dumps(c, ensure_ascii=False, indent=2).splitlines())
            stream.write(("[\n" if first else ",\n") + body)
        else:
            stream.write(case_line(c) + "\n")
        first = False
    if args.json:
        stream.write("[]\n" if first else "\n]\n")
    elif first:
        stream.write(empty + "\n")


def case_line(c: dict) -> str:
    return (f"{c['case_no']}\t{c['received_at'][:16].replace('T', ' ')}\t{codes.label(codes.KIND, c['kind'])}\t"
            f"{codes.label(codes.STATE, c['state'])}\t{c['consumer']['name']}\t{c['consumer']['phone']}\t"
            f"{c['merchant']['name']}\t{c['product']}")


# The database and the desk -------------------------------------------------------------------------------------

def with_desk(handler: DeskHandler, key: bool = True,
              trail_warning: Callable[[argparse.Namespace], bool] = lambda args: True) -> Handler:
    """A command that works on the signed-in desk, in the order every such command keeps:
    the -o target is checked before any work, then the desk signs in (warning of a broken audit trail),
    then — unless `key` is False (staff, key, backup, restore) — this computer must hold the data key."""

    def run(args: argparse.Namespace) -> int:
        if getattr(args, "output", None):
            files.check_target(Path(args.output))  # before any work: a missing folder is said at once
        desk = open_desk(args, trail_warning=trail_warning(args))
        if key:
            desk.store.require_key()  # personal data: this computer must hold the data key
        return handler(args, desk)

    return run


def open_desk(args: argparse.Namespace, sign_in: bool = True, trail_warning: bool = True) -> Desk:
    """The desk on --db, acting as the member given by --staff (or linked to the OS user)."""
    from app.desk import Desk

    desk = Desk(open_store(args))
    if sign_in:
        sign_in_member(args, desk)
        if trail_warning:
            warn_if_trail_broken(desk)
    return desk


def open_store(args: argparse.Namespace, url: str | None = None) -> Store:
    """Open the database, or say in Chinese why not (exit 1) instead of a traceback."""
    from app.storage.db import Store

    try:
        return Store(url or args.db)
    except ModuleNotFoundError as e:
        raise InputError([FieldError("db", f"缺少数据库驱动 {e.name}：PostgreSQL 请安装 liaison-desk[postgres]")]) from None
    except Exception as e:  # unreachable server, unreadable file, …
        raise InputError([FieldError("db", f"无法打开数据库：{e}")]) from None


def sign_in_member(args: argparse.Namespace, desk: Desk) -> None:
    import os

    from app.staff import accounts
    from app.staff.identity import Refused

    name = getattr(args, "staff", None) or os.environ.get("LIAISON_STAFF")
    if name:
        _sign_in_named(desk, name)
        return
    if desk.accounts.sign_in_os_user() is not None:
        return
    if desk.accounts.count() == 0:
        desk.accounts.bootstrap_os_user()  # made here, or by a desk that started at the same moment
    if desk.accounts.current is not None:
        return
    raise Refused(f"系统用户“{accounts.os_user()}”没有关联的工作人员账号：请用 --staff 登录名（或环境变量 LIAISON_STAFF）")


def _sign_in_named(desk: Desk, name: str) -> None:
    import os

    from app.staff.identity import Refused

    linked = desk.accounts.sign_in_os_user()
    if linked is not None and linked.login == name:
        return  # the OS already vouched for this member
    desk.accounts.sign_out()
    password = os.environ.get("LIAISON_PASSWORD")
    if password is None:
        password = ask_password(f"{name} 的密码：")
    if password is None:
        raise Refused(f"以 {name} 办理须输入密码：请在终端运行，或用环境变量 LIAISON_PASSWORD 提供")
    desk.accounts.sign_in(name, password)


def warn_if_trail_broken(desk: Desk) -> None:
    if desk.keys.problem():  # the links are keyed: a desk without the key cannot check them
        return
    broken = desk.audit.verify(full=False).broken  # the links since the checkpoint: milliseconds at any size
    if broken is not None:
        sys.stderr.write(f"警告：审计记录校验未通过——{broken.message()}。请告知负责人"
                         "（liaison audit --verify）。\n")


# Passwords and stdin -------------------------------------------------------------------------------------------

def ask_password(prompt: str) -> str | None:
    """A password typed on the terminal (never echoed); None when there is no terminal."""
    import getpass

    if not (sys.stdin.isatty() or sys.stderr.isatty()):
        return None
    try:
        return getpass.getpass(prompt)
    except (EOFError, OSError):
        return None


def new_password(login: str) -> str | None:
    import os

    from app.staff.accounts import check_password

    password = os.environ.get("LIAISON_NEW_PASSWORD")
    if password is not None:
        return check_password(password)
    first = ask_password(f"{login} 的新密码：")
    if first is None:
        return None
    return check_password(first, ask_password("再输入一次：") or "")


def stdin_json() -> dict:
    """One case on stdin: UTF-8, a JSON object, no duplicate keys, no absurd nesting or numbers."""
    from app.ledger import exchange

    try:
        raw = sys.stdin.buffer.read(exchange.MAX_LINE * 8) if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as e:
        raise InputError([FieldError("stdin", f"输入不是 UTF-8 文本（第{e.start + 1}个字节）")]) from None
    try:
        return exchange.parse_json_case(text)
    except FieldError as e:
        raise InputError([FieldError("stdin" if e.field == "row" else e.field, e.message)]) from None
