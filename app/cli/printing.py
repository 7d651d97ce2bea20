"""`liaison print` and `register`: documents as PDF, and the register of what was printed."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, UsageError, date, out, with_desk
from app.core import files

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk

POSTERS = ("bulletin", "tip", "disclosure")  # not a case's document: printing them is not registered


def add_register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    reg = sub.add_parser("register", parents=[common], help="文书登记簿：每份打印或保存的文书的编号、案件、打印人和时间")
    reg.add_argument("--from", dest="date_from", type=date, help="首次打印自这一天")
    reg.add_argument("--to", dest="date_to", type=date, help="首次打印至这一天")
    reg.add_argument("-o", "--output", help="导出为 .xlsx 或 .csv")
    reg.set_defaults(func=with_desk(_register))


def add_print(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    prn = sub.add_parser("print", parents=[common], help="打印文书为 PDF")
    prn.add_argument("kind", choices=["receipt", "registration", "not-accepted", "agreement", "terminated", "referral", "bulletin",
                                      "tip", "disclosure", "merchant-request"])
    prn.add_argument("--from", dest="date_from", type=date, help="referral 汇总：移送日期自；disclosure：收到投诉日期自")
    prn.add_argument("--to", dest="date_to", type=date,
                     help="referral 汇总：移送日期至（.pdf 或 .xlsx）；disclosure：收到投诉日期至")
    prn.add_argument("target", nargs="?", metavar="CASE_NO|NAME", help="案件编号；tip 时为模板名")
    prn.add_argument("-o", "--output")
    prn.add_argument("--size", choices=["A4", "A3"], default="A4", help="宣传栏、消费提示、投诉信息公示的纸张")
    prn.add_argument("--list", action="store_true", help="tip：列出消费提示模板")
    prn.add_argument("--to-target", dest="to_target", choices=["council", "samr"],
                     help="referral 汇总：只汇总移送消保委（council）或市场监管（samr）的案件；不给时每个移送对象一个文件")
    prn.add_argument("--with-images", action="store_true", help="referral：把案件的图片附件作为附页打印")
    prn.add_argument("--masked", action="store_true", help="not-accepted、terminated：外送副本，消费者姓名遮盖；registration：外送副本，"
                                                        "姓名、电话、身份证号、住址遮盖")
    prn.add_argument("--at", help="merchant-request：告知时间（ISO，默认现在；补录已送达的告知函时用）")
    prn.set_defaults(func=with_desk(_print))


def _register(args: argparse.Namespace, desk: Desk) -> int:
    entries = desk.documents.register(args.date_from, args.date_to, args.output)
    text = "\n".join(f"{e['number']}\t{e['document']}\t{e['case_no']}\t{e['first_printed_at'][:16].replace('T', ' ')}\t"
                     f"{e['first_staff']}\t打印 {e['prints']} 次" for e in entries) or "（没有打印过的文书）"
    if args.output:
        text = f"已导出 {len(entries)} 条到 {Path(args.output).resolve()}"
    out(args, entries, text)
    return EXIT_OK


def _print(args: argparse.Namespace, desk: Desk) -> int:
    if args.kind == "tip" and args.list:
        tips = desk.documents.tip_templates()
        out(args, tips, "\n".join(f"{t['name']}\t{t['title']}" for t in tips))
        return EXIT_OK
    if not args.output:
        raise UsageError("请用 -o 指定输出的 PDF 文件")
    if args.kind == "referral" and not args.target:
        return _referral_batch(args, desk)
    pdf = _poster(args, desk) if args.kind in POSTERS else _case_document(args, desk)
    files.write_bytes(Path(args.output), pdf)
    if args.kind not in POSTERS:  # written: now it counts as printed
        desk.documents.printed(args.kind, args.target, str(Path(args.output).resolve()), masked=args.masked)
    out(args, {"file": str(args.output), "bytes": len(pdf)}, f"已生成 {args.output}")
    return EXIT_OK


def _poster(args: argparse.Namespace, desk: Desk) -> bytes:
    if args.kind == "bulletin":
        return desk.documents.bulletin_pdf(args.size)
    if args.kind == "disclosure":
        if not (args.date_from and args.date_to):
            raise UsageError("请用 --from 和 --to 指定公示期间")
        return desk.disclosure.pdf(args.date_from, args.date_to, args.size)
    if not args.target:
        raise UsageError("请给出消费提示模板名（liaison print tip --list 可查看）")
    return desk.documents.tip_pdf(args.target, args.size)


def _referral_batch(args: argparse.Namespace, desk: Desk) -> int:
    if not (args.date_from and args.date_to):
        raise UsageError("请给出案件编号，或用 --from 和 --to 指定汇总期间")
    written = [str(p) for p in desk.documents.referral_batch(args.date_from, args.date_to, args.output,
                                                            target=args.to_target)]
    out(args, {"files": written, "file": written[0]}, "\n".join(f"已生成 {f}" for f in written))
    return EXIT_OK


def _case_document(args: argparse.Namespace, desk: Desk) -> bytes:
    if not args.target:
        raise UsageError("请给出案件编号")
    if args.kind == "referral":
        return desk.documents.referral_pdf(args.target, with_images=args.with_images)
    if args.kind == "receipt":
        return desk.documents.receipt_pdf(args.target)
    if args.kind == "registration":
        return desk.documents.registration_pdf(args.target, masked=args.masked)
    if args.kind == "merchant-request":
        return desk.merchant_requests.notice_pdf(args.target, at=args.at)
    return desk.documents.notice_pdf(args.kind, args.target, masked=args.masked)
