"""`liaison council …`: the monthly package to the council (消保委), keys, and the council's merge."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_INPUT, EXIT_OK, UsageError, out, with_desk
from app.core import files
from app.core.errors import FieldError, InputError

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk


def add_council(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    council = sub.add_parser("council", parents=[common], help="报送消保委：月度报送包、公钥、合并各联络点报送").add_subparsers(
        dest="council_command", required=True, metavar="SUBCOMMAND")
    pkg = council.add_parser("package", parents=[common], help="生成本联络点某月的签名报送包（个人信息已遮盖）")
    pkg.add_argument("month", metavar="YYYY-MM")
    pkg.add_argument("-o", "--output", required=True)
    pkg.set_defaults(func=with_desk(_package))
    keys = council.add_parser("keys", parents=[common], help="显示本联络点的公钥（交消保委登记）")
    keys.add_argument("-o", "--output", help="同时把公钥写入文件")
    keys.add_argument("--qr", metavar="FILE", help="把公钥的二维码写入图片（.png 或 .svg）")
    keys.set_defaults(func=with_desk(_keys))
    trust = council.add_parser("trust", parents=[common], help="消保委：登记一个联络点的公钥")
    trust.add_argument("file", help="联络点用 liaison council keys 得到的公钥文件")
    trust.add_argument("--name", default="", help="联络点名称（默认取自公钥文件）")
    trust.set_defaults(func=with_desk(_trust))
    council.add_parser("trusted", parents=[common], help="消保委：已登记的联络点公钥").set_defaults(
        func=with_desk(_trusted))
    merge = council.add_parser("merge", parents=[common], help="消保委：核验并合并各联络点的报送包，生成区汇总")
    merge.add_argument("files", nargs="+", metavar="FILE")
    merge.add_argument("-o", "--output", help="区汇总 PDF")
    merge.add_argument("--month", help="合并的月份 YYYY-MM（默认取第一个报送包的月份）")
    merge.set_defaults(func=with_desk(_merge))


def _keys(args: argparse.Namespace, desk: Desk) -> int:
    keys = desk.council.keys()
    text = desk.council.key_file_text(keys)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    if args.qr:
        if Path(args.qr).suffix.lower() not in (".png", ".svg"):
            raise InputError([FieldError("qr", "二维码图片须为 .png 或 .svg 文件")])
        import segno

        segno.make(keys["public_key"], error="m").save(args.qr, scale=8, border=4)
    out(args, keys, text + f"# 私钥保存在：{keys['kept_in']}")
    return EXIT_OK


def _package(args: argparse.Namespace, desk: Desk) -> int:
    blob = desk.council.package(args.month)
    Path(args.output).write_bytes(blob)
    out(args, {"file": args.output, "bytes": len(blob), "month": args.month}, f"已生成报送包 {args.output}")
    return EXIT_OK


def _trust(args: argparse.Namespace, desk: Desk) -> int:
    point = desk.council.trust_file(args.file, args.name)
    out(args, point, f"已登记联络点“{point['name']}”的公钥（指纹 {point['fingerprint']}）")
    return EXIT_OK


def _trusted(args: argparse.Namespace, desk: Desk) -> int:
    points = desk.council.trusted()
    out(args, points, "\n".join(f"{p['name']}\t{p['fingerprint']}\t{p['trusted_at'][:10]}" for p in points)
        or "（还没有登记联络点公钥）")
    return EXIT_OK


def _merge(args: argparse.Namespace, desk: Desk) -> int:
    if not args.output and not args.json:
        raise UsageError("请用 -o 指定区汇总 PDF，或用 --json 输出数字")
    district = desk.council.merge(args.files, args.month)
    if args.output:
        files.write_bytes(Path(args.output), desk.council.district_pdf(district))
    t = district["totals"]
    out(args, district, f"已合并 {len(district['points'])} 个联络点 {district['month']} 的报送：受理登记 {t['received']} 件，"
                        f"投诉 {t['complaints']} 件，挽回经济损失 {t['recovered']} 元"
                        + (f"；区汇总 {args.output}" if args.output else ""))
    for refusal in district["refused"]:  # the others are merged; each refused one is named
        sys.stderr.write(f"错误：【file】{refusal}\n")
    return EXIT_INPUT if district["refused"] else EXIT_OK
