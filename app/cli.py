"""The `liaison` command: the desk without a screen (interchange.md), a thin layer over app/."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from app import codes
from app.errors import FieldError, InputError

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", default=default, help="数据库 URL 或 SQLite 文件路径（也可用环境变量 LIAISON_DB）")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="只输出一个 JSON 文档")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请按 2026-11-20 的格式填写") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="liaison", description="维权联络点工作台（命令行）")
    _common(parser, top=True)
    common = argparse.ArgumentParser(add_help=False)
    _common(common, top=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", parents=[common], help="创建或升级数据库（可重复执行）")

    case = sub.add_parser("case", parents=[common], help="案件").add_subparsers(dest="case_command", required=True,
                                                                             metavar="SUBCOMMAND")
    case.add_parser("add", parents=[common], help="从标准输入读一个案件 JSON 并登记")
    show = case.add_parser("show", parents=[common], help="显示一个案件及其历史和期限（含个人信息，记入审计）")
    show.add_argument("case_no")
    lst = case.add_parser("list", parents=[common], help="案件列表（新的在前，个人信息遮盖）")
    lst.add_argument("--state", choices=list(codes.STATE))
    lst.add_argument("--kind", choices=list(codes.KIND))
    lst.add_argument("--from", dest="date_from", type=_date)
    lst.add_argument("--to", dest="date_to", type=_date)
    lst.add_argument("--limit", type=int)
    move = case.add_parser("move", parents=[common], help="状态变更")
    move.add_argument("case_no")
    move.add_argument("state", choices=list(codes.STATE))
    move.add_argument("--reason", default="")
    move.add_argument("--reason-code", default="", help="不予受理理由代码：" + "、".join(codes.NOT_ACCEPTED_GROUNDS))
    move.add_argument("--at", help="办理时间（ISO，默认现在）")
    move.add_argument("--amount-recovered")

    search = sub.add_parser("search", parents=[common], help="按事实、商品、品牌、经营者、姓名、电话或编号查找")
    search.add_argument("text")
    search.add_argument("--limit", type=int)

    deadline = sub.add_parser("deadline", parents=[common], help="按收到投诉之日适用的规定计算期限")
    deadline.add_argument("--received", type=_date)
    deadline.add_argument("--accepted", type=_date)

    prn = sub.add_parser("print", parents=[common], help="打印文书为 PDF")
    prn.add_argument("kind", choices=["receipt"])
    prn.add_argument("case_no")
    prn.add_argument("-o", "--output", required=True)

    st = sub.add_parser("settings", parents=[common], help="查看或修改联络点设置")
    st.add_argument("key", nargs="?")
    st.add_argument("value", nargs="?")

    demo = sub.add_parser("demo", parents=[common], help="生成虚构的演示数据")
    demo.add_argument("--cases", type=int, default=200)

    audit = sub.add_parser("audit", parents=[common], help="查看、打印、导出、修改记录")
    audit.add_argument("--from", dest="date_from", type=_date)
    return parser


def _out(args, data, text: str | None = None) -> None:
    if args.json or text is None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def _case_line(c: dict) -> str:
    return (f"{c['case_no']}\t{c['received_at'][:16].replace('T', ' ')}\t{codes.label(codes.KIND, c['kind'])}\t"
            f"{codes.label(codes.STATE, c['state'])}\t{c['consumer']['name']}\t{c['consumer']['phone']}\t"
            f"{c['merchant']['name']}\t{c['product']}")


def _desk(args):
    from app.db import Store
    from app.desk import Desk

    return Desk(Store(args.db))


def run(args) -> int:
    cmd = args.command
    if cmd == "init":
        from app.db import Store

        store = Store(args.db)
        _out(args, {"database": store.url.render_as_string(hide_password=True), "status": "ok"},
             f"数据库已就绪：{store.url.render_as_string(hide_password=True)}")
        return EXIT_OK
    if cmd == "deadline":
        return _deadline(args)
    desk = _desk(args)
    if cmd == "case":
        sc = args.case_command
        if sc == "add":
            raw = sys.stdin.read()
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as e:
                raise InputError([FieldError("stdin", f"输入不是有效的 JSON（第{e.lineno}行第{e.colno}列）：{e.msg}")]) from None
            case = desk.add_case(data)
            _out(args, case, f"已登记 {case['case_no']}" + (f"，受理决定期限 {case['acceptance_due']}"
                                                           if case["acceptance_due"] else ""))
        elif sc == "show":
            case = desk.show_case(args.case_no)
            lines = [f"{k}: {v}" for k, v in case.items() if k not in ("events", "deadlines")]
            lines += ["历史:"] + [f"  {e['at']} {e['staff']} {codes.label(codes.STATE, e['state'])} {e['note']}"
                                 for e in case["events"]]
            lines += [f"期限: {case['deadlines']}"]
            _out(args, case, "\n".join(lines))
        elif sc == "list":
            from app.cases import CaseFilter

            f = CaseFilter(state=args.state, kind=args.kind, date_from=args.date_from, date_to=args.date_to)
            cases = desk.list_cases(f, args.limit)
            _out(args, cases, "\n".join(_case_line(c) for c in cases) or "（没有案件）")
        elif sc == "move":
            case = desk.move(args.case_no, args.state, args.reason, args.reason_code, args.at, args.amount_recovered)
            _out(args, case, f"{case['case_no']} 已变为“{codes.STATE[case['state']]}”")
        return EXIT_OK
    if cmd == "search":
        cases = desk.search(args.text, args.limit)
        _out(args, cases, "\n".join(_case_line(c) for c in cases) or "（没有找到）")
        return EXIT_OK
    if cmd == "print":
        pdf = desk.receipt_pdf(args.case_no)
        Path(args.output).write_bytes(pdf)
        _out(args, {"file": str(args.output), "bytes": len(pdf)}, f"已生成 {args.output}")
        return EXIT_OK
    if cmd == "settings":
        return _settings(args, desk)
    if cmd == "demo":
        from app import demo

        if args.cases < 0:
            raise InputError([FieldError("cases", "案件数不能为负数")])
        added = demo.generate(desk.store, args.cases)
        _out(args, {"added": added}, f"已生成 {added} 件演示案件（虚构数据）")
        return EXIT_OK
    if cmd == "audit":
        since = None
        if args.date_from:
            from app.intake import LOCAL_TZ

            since = dt.datetime.combine(args.date_from, dt.time(), LOCAL_TZ)
        entries = desk.audit_entries(since)
        _out(args, entries, "\n".join(f"{e['at']}\t{e['staff']}\t{e['action']}\t{e['case_no']}\t{e['detail']}"
                                      for e in entries) or "（没有记录）")
        return EXIT_OK
    raise UsageError(f"未知命令 {cmd}")


def _deadline(args) -> int:
    if args.received is None and args.accepted is None:
        raise UsageError("请给出 --received 或 --accepted")
    received = args.received or args.accepted
    if args.accepted and args.accepted < received:
        raise InputError([FieldError("accepted", "受理日期不能早于收到投诉的日期")])
    desk = _desk(args)
    result = desk.deadlines(received, args.accepted).as_json()
    result["received"] = received.isoformat()
    result["accepted"] = args.accepted.isoformat() if args.accepted else None
    text = [f"适用：{result['rule_set']['name']}（{result['rule_set']['source']}）",
            f"受理决定期限：{result['acceptance_due']}（{result['acceptance_rule']}）"]
    if result["mediation_due"]:
        text.append(f"调解期限：{result['mediation_due']}（{result['mediation_rule']}）")
    for w in result["warnings"]:
        sys.stderr.write(f"注意：{w}\n")
    _out(args, result, "\n".join(text))
    return EXIT_OK


def _settings(args, desk) -> int:
    from app import settings as st

    if args.key is None:
        values = desk.settings()
        _out(args, values, "\n".join(f"{k}\t{v}\t# {st.KEYS[k].label}" for k, v in values.items()))
    elif args.value is None:
        values = desk.settings()
        if args.key not in values:
            raise InputError([FieldError(args.key, f"没有名为“{args.key}”的设置项，可用：{'、'.join(values)}")])
        _out(args, {args.key: values[args.key]}, values[args.key])
    else:
        values = desk.put_settings({args.key: args.value})
        _out(args, {args.key: values[args.key]}, f"{args.key} = {values[args.key]}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    # Chinese on any console, whatever its locale.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser()
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


if __name__ == "__main__":
    raise SystemExit(main())
