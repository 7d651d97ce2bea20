"""`liaison attach` and `attachment get`: a case's photos, scans and PDFs."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, out, with_desk
from app.core import codes

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk


def add_attach(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    att = sub.add_parser("attach", parents=[common], help="为案件添加照片、扫描件或 PDF（每个不超过 20 MB，加密保存）")
    att.add_argument("case_no")
    att.add_argument("files", nargs="+", metavar="FILE")
    att.add_argument("--label", default="other", choices=list(codes.ATTACHMENT_LABEL),
                     help="附件类别：" + "、".join(f"{k}（{v}）" for k, v in codes.ATTACHMENT_LABEL.items()))
    att.set_defaults(func=with_desk(_attach))


def add_attachment(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    attachment = sub.add_parser("attachment", parents=[common], help="案件的附件").add_subparsers(
        dest="attachment_command", required=True, metavar="SUBCOMMAND")
    att_get = attachment.add_parser("get", parents=[common], help="把一个附件原样写出到文件（记入审计）")
    att_get.add_argument("case_no")
    att_get.add_argument("id", type=int, help="附件编号（case show 的 attachments 中的 id）")
    att_get.add_argument("-o", "--output", required=True)
    att_get.set_defaults(func=with_desk(_get))


def _attach(args: argparse.Namespace, desk: Desk) -> int:
    added = desk.attachments.add_paths(args.case_no, args.files, args.label)
    out(args, added, "\n".join(f"已添加附件 {a['id']}：{a['name']}\t{codes.ATTACHMENT_LABEL[a['label']]}\t"
                               f"{a['bytes']} 字节\tSHA-256 {a['sha256']}" for a in added))
    return EXIT_OK


def _get(args: argparse.Namespace, desk: Desk) -> int:
    info = desk.attachments.export(args.case_no, args.id, args.output)
    out(args, info, f"已写出 {Path(args.output).resolve()}（{info['bytes']} 字节，SHA-256 {info['sha256']}）")
    return EXIT_OK
