"""`liaison report monthly`: the month's figures, as PDF or JSON."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, UsageError, out, with_desk
from app.core import files

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk


def add_report(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    rep = sub.add_parser("report", parents=[common], help="统计报表").add_subparsers(dest="report_command",
                                                                                 required=True, metavar="REPORT")
    mon = rep.add_parser("monthly", parents=[common], help="月度汇总（PDF；--json 输出数字）")
    mon.add_argument("month", metavar="YYYY-MM")
    mon.add_argument("-o", "--output")
    mon.set_defaults(func=with_desk(_monthly))


def _monthly(args: argparse.Namespace, desk: Desk) -> int:
    if args.json:
        out(args, desk.reports.monthly(args.month))
        return EXIT_OK
    if not args.output:
        raise UsageError("请用 -o 指定输出的 PDF 文件，或用 --json 输出数字")
    files.write_bytes(Path(args.output), desk.documents.monthly_pdf(args.month))
    out(args, {"file": args.output}, f"已生成 {args.output}")
    return EXIT_OK
