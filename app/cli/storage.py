"""`liaison backup`, `restore`, `purge` and `demo`: the database as a whole."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, date, open_store, out, with_desk
from app.core.errors import FieldError, InputError

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk


def add_demo(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help="生成虚构的演示数据")
    demo.add_argument("--cases", type=int, default=200)
    demo.add_argument("--force", action="store_true", help="也加入已有真实案件的数据库（不建议）")
    demo.set_defaults(func=_demo)


def add_backup(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    bk = sub.add_parser("backup", parents=[common], help="联机备份数据库（其他工作台可继续工作）")
    bk.add_argument("-o", "--output", required=True, help="备份文件（.ldbk）")
    bk.set_defaults(func=with_desk(_backup, key=False))


def add_restore(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    rs = sub.add_parser("restore", parents=[common], help="校验并恢复备份（负责人；当前数据库另存）")
    rs.add_argument("file")
    rs.set_defaults(func=with_desk(_restore, key=False))


def add_purge(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    pg = sub.add_parser("purge", parents=[common], help="清除保存期限届满的已办结案件的个人信息（负责人）")
    pg.add_argument("--closed-before", type=date, help="办结日期早于此日（默认：privacy.retention_years 年前）")
    pg.add_argument("--dry-run", action="store_true", help="只显示将清除的件数")
    pg.set_defaults(func=with_desk(_purge))


def _demo(args: argparse.Namespace) -> int:
    """Demo cases go to their own database (the demo database of 演示模式, or --db), never among real ones."""
    from app.cases import demo
    from app.core.progress import TerminalProgress
    from app.storage import db

    if args.cases < 0:
        raise InputError([FieldError("cases", "案件数不能为负数")])
    store = open_store(args, args.db or db.demo_url())
    store.require_key()  # the demo consumers' (fictitious) personal data is encrypted like real data
    where = store.url.render_as_string(hide_password=True)
    if not args.force and demo.has_real_cases(store):
        raise FieldError("db", f"数据库 {where} 中已有真实案件，演示数据不会加入其中：请用 --db 指定另一个数据库"
                               "（或确需加入时加 --force）")
    progress = TerminalProgress("正在生成演示案件")
    added = demo.generate(store, args.cases, progress=progress)
    progress.finish()
    out(args, {"added": added}, f"已生成 {added} 件演示案件（虚构数据），数据库：{where}")
    return EXIT_OK


def _backup(args: argparse.Namespace, desk: Desk) -> int:
    manifest = desk.backup.to_file(args.output)
    out(args, manifest, f"已备份 {manifest['cases']} 件案件到 {manifest['file']}")
    return EXIT_OK


def _restore(args: argparse.Namespace, desk: Desk) -> int:
    result = desk.backup.restore(args.file)
    text = f"已恢复 {result['restored']}（备份时间 {result['created_at']}，{result['cases']} 件）；原数据库另存为 {result['kept_aside']}"
    if result["key_missing"]:
        text += "\n注意：本机没有这份备份的数据密钥，请用 liaison key import FILE 导入其恢复密钥"
    out(args, result, text)
    return EXIT_OK


def _purge(args: argparse.Namespace, desk: Desk) -> int:
    cutoff = args.closed_before or desk.retention.default_cutoff()
    if args.dry_run:
        n = desk.retention.count(cutoff)
        out(args, {"closed_before": cutoff.isoformat(), "cases": n, "dry_run": True},
            f"{cutoff.isoformat()} 前办结、尚有个人信息的案件：{n} 件（未清除）")
        return EXIT_OK
    numbers = desk.retention.purge(cutoff)
    out(args, {"closed_before": cutoff.isoformat(), "cases": len(numbers), "case_nos": numbers},
        f"已清除 {len(numbers)} 件案件的消费者个人信息（{cutoff.isoformat()} 前办结）；案件与统计保留")
    return EXIT_OK
