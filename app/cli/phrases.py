"""`liaison phrases`: the canned answers (常用语) staff insert; list them, and (a supervisor) add, edit, remove."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, out, with_desk
from app.core import codes

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk

FOR_HELP = "适用于：" + "、".join(f"{k}（{v}）" for k, v in codes.PHRASE_FOR.items())


def add_phrases(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    ph = sub.add_parser("phrases", parents=[common], help="常用语：答复、调解记录、不予受理说明、回访记录中插入的文字").add_subparsers(
        dest="phrases_command", required=True, metavar="ACTION")
    ls = ph.add_parser("list", parents=[common], help="列出常用语（--for 只列某处可用的：它自己的和通用的）")
    ls.add_argument("--for", dest="applies_to", choices=list(codes.PHRASE_FOR), help=FOR_HELP)
    ls.set_defaults(func=with_desk(_list, key=False))
    add = ph.add_parser("add", parents=[common], help="新增常用语（负责人）")
    add.add_argument("--title", required=True, help="简称，如 七日（最多 12 个字，输入时按它查找）")
    add.add_argument("--text", required=True, help="内容")
    add.add_argument("--for", dest="applies_to", choices=list(codes.PHRASE_FOR), default="all", help=FOR_HELP)
    add.set_defaults(func=with_desk(_add, key=False))
    ed = ph.add_parser("edit", parents=[common], help="修改常用语（负责人）；未给的项不变")
    ed.add_argument("id", type=int, help="编号（见 phrases list）")
    ed.add_argument("--title")
    ed.add_argument("--text")
    ed.add_argument("--for", dest="applies_to", choices=list(codes.PHRASE_FOR), help=FOR_HELP)
    ed.set_defaults(func=with_desk(_edit, key=False))
    rm = ph.add_parser("remove", parents=[common], help="删除常用语（负责人）")
    rm.add_argument("id", type=int, help="编号（见 phrases list）")
    rm.set_defaults(func=with_desk(_remove, key=False))


def _line(p) -> str:
    return f"{p.id}\t{p.title}\t{p.where}\t{p.body}"


def _list(args: argparse.Namespace, desk: Desk) -> int:
    phrases = desk.phrases.list(args.applies_to)
    out(args, [p.as_json() for p in phrases], "\n".join(_line(p) for p in phrases) or "（没有常用语）")
    return EXIT_OK


def _add(args: argparse.Namespace, desk: Desk) -> int:
    p = desk.phrases.add(args.title, args.text, args.applies_to)
    out(args, p.as_json(), f"已新增常用语 {p.id}：{p.title}（{p.where}）")
    return EXIT_OK


def _edit(args: argparse.Namespace, desk: Desk) -> int:
    from app.core.errors import FieldError

    old = next((p for p in desk.phrases.list() if p.id == args.id), None)
    if old is None:
        raise FieldError("phrase.id", f"没有编号为 {args.id} 的常用语")
    p = desk.phrases.edit(args.id, args.title if args.title is not None else old.title,
                          args.text if args.text is not None else old.body, args.applies_to or old.applies_to)
    out(args, p.as_json(), f"已修改常用语 {p.id}：{p.title}（{p.where}）")
    return EXIT_OK


def _remove(args: argparse.Namespace, desk: Desk) -> int:
    desk.phrases.remove(args.id)
    out(args, {"removed": args.id}, f"已删除常用语 {args.id}")
    return EXIT_OK
