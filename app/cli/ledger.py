"""`liaison import` and `export`: the ledger (台账) in and out."""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.common import EXIT_INPUT, EXIT_OK, date, out, with_desk
from app.core.errors import FieldError, InputError

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk


def add_import(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    imp = sub.add_parser("import", parents=[common], help="从台账（.xlsx/.csv/.jsonl）导入案件，全部成功或全部不导入")
    imp.add_argument("file")
    imp.set_defaults(func=with_desk(_import))


def add_export(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    exp = sub.add_parser("export", parents=[common], help="导出案件到 .xlsx/.csv/.jsonl（个人信息遮盖）")
    exp.add_argument("-o", "--output", required=True)
    exp.add_argument("--from", dest="date_from", type=date)
    exp.add_argument("--to", dest="date_to", type=date)
    exp.add_argument("--full", action="store_true", help="同意提供个人信息的消费者导出完整信息")
    exp.set_defaults(func=with_desk(_export))


def _import(args: argparse.Namespace, desk: Desk) -> int:
    from app.ledger.exchange import ImportRejected

    try:
        numbers = desk.ledger.import_file(args.file)
    except ImportRejected as e:
        for r in e.rows:
            sys.stderr.write(f"错误：{r}\n")
        sys.stderr.write(f"共 {len(e.rows)} 处错误，没有导入任何案件。\n")
        return EXIT_INPUT
    except FileNotFoundError:
        raise InputError([FieldError("file", f"找不到文件 {args.file}")]) from None
    out(args, {"imported": len(numbers), "case_nos": numbers}, f"已导入 {len(numbers)} 件")
    return EXIT_OK


def _export(args: argparse.Namespace, desk: Desk) -> int:
    from app.cases.records import CaseFilter

    n = desk.ledger.export(args.output, CaseFilter(date_from=args.date_from, date_to=args.date_to), args.full)
    out(args, {"exported": n, "file": args.output}, f"已导出 {n} 件到 {args.output}")
    return EXIT_OK
