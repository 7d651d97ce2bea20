"""The `liaison` command: the desk without a screen (interchange.md), a thin layer over app/."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from app.calendar.deadlines import all_ground_codes, all_pause_codes
from app.core import clock, codes, files
from app.core.errors import FieldError, InputError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3


class UsageError(Exception):
    pass


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", default=default, help="数据库 URL 或 SQLite 文件路径（也可用环境变量 LIAISON_DB）")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="只输出一个 JSON 文档")
    parser.add_argument("--staff", default=default, metavar="NAME",
                        help="以该工作人员账号办理（也可用环境变量 LIAISON_STAFF；密码在终端输入或取自 LIAISON_PASSWORD）；"
                             "不给时为与本系统用户关联的账号")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请按 2026-11-20 的格式填写") from None


UNREADABLE = re.compile("[\x00\ud800-\udfff]")
FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


def _check_dates(args) -> None:
    """Dates given on the command line lie in the range the desk works with (not 0001 or 9999)."""
    for name, value in vars(args).items():
        if isinstance(value, dt.date) and not FIRST_DAY <= value <= LAST_DAY:
            raise InputError([FieldError(name, f"日期 {value.isoformat()} 超出可用范围（1990-01-01 至 2100-12-31）")])


def _period(value: str) -> tuple[dt.date, dt.date]:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="liaison", description="维权联络点工作台（命令行）")
    _common(parser, top=True)
    common = argparse.ArgumentParser(add_help=False)
    _common(common, top=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser("init", parents=[common], help="创建或升级数据库（可重复执行）；新数据库以本系统用户为首位负责人")
    init.add_argument("--display", help="新数据库首位负责人的姓名（印在回执上；默认取系统用户名）")

    staff = sub.add_parser("staff", parents=[common], help="工作人员账号（负责人）").add_subparsers(
        dest="staff_command", required=True, metavar="SUBCOMMAND")
    st_add = staff.add_parser("add", parents=[common], help="新建账号（密码在终端输入两次，或取自 LIAISON_NEW_PASSWORD）")
    st_add.add_argument("login", metavar="NAME", help="登录名")
    st_add.add_argument("--display", required=True, help="姓名，如 李明（印在回执上的经办人、首问责任人）")
    st_add.add_argument("--role", required=True, choices=["staff", "supervisor"], help="staff 工作人员 / supervisor 负责人")
    st_add.add_argument("--os-user", help="关联的系统用户（命令行不加 --staff 时以此账号办理）")
    staff.add_parser("list", parents=[common], help="列出账号")
    st_pw = staff.add_parser("passwd", parents=[common], help="设置密码（本人或负责人；终端输入两次，或取自 LIAISON_NEW_PASSWORD）")
    st_pw.add_argument("login", metavar="NAME")
    st_dis = staff.add_parser("disable", parents=[common], help="停用账号")
    st_dis.add_argument("login", metavar="NAME")
    st_en = staff.add_parser("enable", parents=[common], help="重新启用账号")
    st_en.add_argument("login", metavar="NAME")

    case = sub.add_parser("case", parents=[common], help="案件").add_subparsers(dest="case_command", required=True,
                                                                             metavar="SUBCOMMAND")
    case.add_parser("add", parents=[common], help="从标准输入读一个案件 JSON 并登记")
    correct = case.add_parser("correct", parents=[common],
                              help="更正已登记案件的字段：从标准输入读一个 JSON 对象（只写要更正的字段，字段代码同案件 JSON）")
    correct.add_argument("case_no")
    correct.add_argument("--reason", required=True, help="更正原因（必填，记入办理经过）")
    correct.add_argument("--another-merchant", action="store_true",
                         help="名称已登记但信用代码不同时，确认是同名的另一家经营者")
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
    move.add_argument("--reason-code", default="",
                      help="不予受理理由代码：" + "、".join(all_ground_codes("not_accepted"))
                      + "；终止调解情形代码：" + "、".join(all_ground_codes("termination"))
                      + "（以案件适用的规定所列为准）")
    move.add_argument("--at", help="办理时间（ISO，默认现在）")
    move.add_argument("--amount-recovered")
    move.add_argument("--terms", default="", help="调解成功时的协议内容")
    move.add_argument("--remedy", action="append", default=[], choices=list(codes.REMEDY), help="处理方式，可多次给出")
    move.add_argument("--referred-to", default="", choices=["", *codes.REFERRAL_TARGET], help="移送对象")
    pause = case.add_parser("pause", parents=[common],
                            help="暂停调解计时（仅检定、检验、检测、鉴定；其他理由记为备注，期限不变）")
    pause.add_argument("case_no")
    pause.add_argument("--reason", default="", help="理由；写明检定、检验、检测、鉴定（或送检）之一才暂停计时")
    pause.add_argument("--reason-code", default="", choices=["", *all_pause_codes()],
                       help="verification（检定）、inspection（检验）、testing（检测）、appraisal（鉴定）")
    pause.add_argument("--at")
    resume = case.add_parser("resume", parents=[common], help="恢复调解计时，调解期限顺延")
    resume.add_argument("case_no")
    resume.add_argument("--at")
    mediate = case.add_parser("mediate", parents=[common], help="记录一次调解（现场、电话或视频）")
    mediate.add_argument("case_no")
    mediate.add_argument("--mode", required=True, choices=list(codes.MEDIATION_MODE))
    mediate.add_argument("--with", dest="participants", action="append", required=True,
                         choices=list(codes.PARTICIPANT), help="参加人，可多次给出")
    mediate.add_argument("--offer", default="")
    mediate.add_argument("--answer", default="")
    mediate.add_argument("--note", default="")
    mediate.add_argument("--at")
    follow = case.add_parser("follow-up", parents=[common], help="记录回访与满意度")
    follow.add_argument("case_no")
    follow.add_argument("--satisfaction", required=True, choices=list(codes.SATISFACTION))
    follow.add_argument("--note", default="")
    follow.add_argument("--at")
    reopen = case.add_parser("reopen", parents=[common], help="负责人重新打开已办结案件")
    reopen.add_argument("case_no")
    reopen.add_argument("--reason", required=True)
    handover = case.add_parser("handover", parents=[common], help="首问责任移交")
    handover.add_argument("case_no")
    handover.add_argument("--to", required=True)
    handover.add_argument("--note", default="")
    advance = case.add_parser("advance", parents=[common], help="记录先行赔付")
    advance.add_argument("case_no")
    advance.add_argument("--amount", required=True)
    advance.add_argument("--payer", required=True)
    advance.add_argument("--recovered-on")
    reply = case.add_parser("merchant-reply", parents=[common], help="记录经营者对告知函的答复及其日期")
    reply.add_argument("case_no")
    reply.add_argument("--text", required=True, help="经营者答复的内容")
    reply.add_argument("--at", help="答复时间（ISO，默认现在）")

    search = sub.add_parser("search", parents=[common], help="按事实、商品、品牌、经营者、姓名、电话或编号查找")
    search.add_argument("text")
    search.add_argument("--limit", type=int)

    due = sub.add_parser("due", parents=[common], help="今日待办：逾期与临期的受理决定、调解、待送达告知书、待回访、待答复咨询")
    due.add_argument("--on", type=_date, help="按这一天计算（默认今天）")

    look = sub.add_parser("lookup", parents=[common],
                          help="电话查询：凭回执上的查询码说明案件状态、下一步和期限（不含个人信息）")
    look.add_argument("case_no")
    look.add_argument("--code", required=True, help="回执上的 6 位查询码")

    att = sub.add_parser("attach", parents=[common], help="为案件添加照片、扫描件或 PDF（每个不超过 20 MB，加密保存）")
    att.add_argument("case_no")
    att.add_argument("files", nargs="+", metavar="FILE")
    att.add_argument("--label", default="other", choices=list(codes.ATTACHMENT_LABEL),
                     help="附件类别：" + "、".join(f"{k}（{v}）" for k, v in codes.ATTACHMENT_LABEL.items()))
    attachment = sub.add_parser("attachment", parents=[common], help="案件的附件").add_subparsers(
        dest="attachment_command", required=True, metavar="SUBCOMMAND")
    att_get = attachment.add_parser("get", parents=[common], help="把一个附件原样写出到文件（记入审计）")
    att_get.add_argument("case_no")
    att_get.add_argument("id", type=int, help="附件编号（case show 的 attachments 中的 id）")
    att_get.add_argument("-o", "--output", required=True)

    reg = sub.add_parser("register", parents=[common], help="文书登记簿：每份打印或保存的文书的编号、案件、打印人和时间")
    reg.add_argument("--from", dest="date_from", type=_date, help="首次打印自这一天")
    reg.add_argument("--to", dest="date_to", type=_date, help="首次打印至这一天")
    reg.add_argument("-o", "--output", help="导出为 .xlsx 或 .csv")

    deadline = sub.add_parser("deadline", parents=[common], help="按收到投诉之日适用的规定计算期限")
    deadline.add_argument("--received", type=_date)
    deadline.add_argument("--accepted", type=_date)
    deadline.add_argument("--pause", action="append", default=[], type=_period, metavar="FROM~TO",
                          help="检定、检验、检测、鉴定期间（如 2026-06-10~2026-06-20），可多次给出")
    deadline.add_argument("--ended", type=_date, help="终止调解或调解不成之日：给出告知当事人的期限")

    hol = sub.add_parser("holidays", parents=[common], help="查看某年日历及来源 / 录入国务院放假安排")
    hol.add_argument("what", metavar="YEAR|set", help="年份；或 set 录入")
    hol.add_argument("year", nargs="?", type=int, metavar="YEAR")
    hol.add_argument("--file", help="每行“YYYY-MM-DD 休”或“YYYY-MM-DD 班”（可含上一年12月的调休上班日）")
    hol.add_argument("--source", default="", help="依据，如：国办发明电〔2026〕X号")

    prn = sub.add_parser("print", parents=[common], help="打印文书为 PDF")
    prn.add_argument("kind", choices=["receipt", "not-accepted", "agreement", "terminated", "referral", "bulletin",
                                      "tip", "disclosure", "merchant-request"])
    prn.add_argument("--from", dest="date_from", type=_date, help="referral 汇总：移送日期自；disclosure：收到投诉日期自")
    prn.add_argument("--to", dest="date_to", type=_date,
                     help="referral 汇总：移送日期至（.pdf 或 .xlsx）；disclosure：收到投诉日期至")
    prn.add_argument("target", nargs="?", metavar="CASE_NO|NAME", help="案件编号；tip 时为模板名")
    prn.add_argument("-o", "--output")
    prn.add_argument("--size", choices=["A4", "A3"], default="A4", help="宣传栏、消费提示、投诉信息公示的纸张")
    prn.add_argument("--list", action="store_true", help="tip：列出消费提示模板")
    prn.add_argument("--to-target", dest="to_target", choices=["council", "samr"],
                     help="referral 汇总：只汇总移送消保委（council）或市场监管（samr）的案件；不给时每个移送对象一个文件")
    prn.add_argument("--with-images", action="store_true", help="referral：把案件的图片附件作为附页打印")
    prn.add_argument("--masked", action="store_true", help="not-accepted、terminated：外送副本，消费者姓名遮盖")
    prn.add_argument("--at", help="merchant-request：告知时间（ISO，默认现在；补录已送达的告知函时用）")

    st = sub.add_parser("settings", parents=[common], help="查看或修改联络点设置")
    st.add_argument("key", nargs="?")
    st.add_argument("value", nargs="?")

    demo = sub.add_parser("demo", parents=[common], help="生成虚构的演示数据")
    demo.add_argument("--cases", type=int, default=200)
    demo.add_argument("--force", action="store_true", help="也加入已有真实案件的数据库（不建议）")

    calc = sub.add_parser("calc", parents=[common], help="法定赔偿、时效、七日无理由退货").add_subparsers(
        dest="calc_command", required=True, metavar="CALC")
    pun = calc.add_parser("punitive", parents=[common], help="消法第五十五条 / 食品安全法第一百四十八条")
    pun.add_argument("--price", required=True)
    pun.add_argument("--food", action="store_true")
    pun.add_argument("--loss")
    lim = calc.add_parser("limitation", parents=[common], help="产品质量法第四十五条")
    lim.add_argument("--known", type=_date, required=True, help="知道或者应当知道权益受损的日期")
    lim.add_argument("--delivered", type=_date, help="缺陷产品交付最初消费者的日期")
    lim.add_argument("--safe-use-until", type=_date)
    lim.add_argument("--today", type=_date)
    ret = calc.add_parser("return", parents=[common], help="消法第二十五条 七日无理由退货")
    ret.add_argument("--channel", required=True, choices=list(codes.PURCHASE_CHANNEL))
    ret.add_argument("--received", type=_date, required=True, help="收到商品的日期")
    ret.add_argument("--exception", default="")
    ret.add_argument("--today", type=_date)

    rep = sub.add_parser("report", parents=[common], help="统计报表").add_subparsers(dest="report_command",
                                                                                 required=True, metavar="REPORT")
    mon = rep.add_parser("monthly", parents=[common], help="月度汇总（PDF；--json 输出数字）")
    mon.add_argument("month", metavar="YYYY-MM")
    mon.add_argument("-o", "--output")

    imp = sub.add_parser("import", parents=[common], help="从台账（.xlsx/.csv/.jsonl）导入案件，全部成功或全部不导入")
    imp.add_argument("file")
    exp = sub.add_parser("export", parents=[common], help="导出案件到 .xlsx/.csv/.jsonl（个人信息遮盖）")
    exp.add_argument("-o", "--output", required=True)
    exp.add_argument("--from", dest="date_from", type=_date)
    exp.add_argument("--to", dest="date_to", type=_date)
    exp.add_argument("--full", action="store_true", help="同意提供个人信息的消费者导出完整信息")

    council = sub.add_parser("council", parents=[common], help="报送消保委：月度报送包、公钥、合并各联络点报送").add_subparsers(
        dest="council_command", required=True, metavar="SUBCOMMAND")
    pkg = council.add_parser("package", parents=[common], help="生成本联络点某月的签名报送包（个人信息已遮盖）")
    pkg.add_argument("month", metavar="YYYY-MM")
    pkg.add_argument("-o", "--output", required=True)
    keys = council.add_parser("keys", parents=[common], help="显示本联络点的公钥（交消保委登记）")
    keys.add_argument("-o", "--output", help="同时把公钥写入文件")
    keys.add_argument("--qr", metavar="FILE", help="把公钥的二维码写入图片（.png 或 .svg）")
    trust = council.add_parser("trust", parents=[common], help="消保委：登记一个联络点的公钥")
    trust.add_argument("file", help="联络点用 liaison council keys 得到的公钥文件")
    trust.add_argument("--name", default="", help="联络点名称（默认取自公钥文件）")
    council.add_parser("trusted", parents=[common], help="消保委：已登记的联络点公钥")
    merge = council.add_parser("merge", parents=[common], help="消保委：核验并合并各联络点的报送包，生成区汇总")
    merge.add_argument("files", nargs="+", metavar="FILE")
    merge.add_argument("-o", "--output", help="区汇总 PDF")
    merge.add_argument("--month", help="合并的月份 YYYY-MM（默认取第一个报送包的月份）")

    audit = sub.add_parser("audit", parents=[common], help="审计记录：谁在何时查看、打印、导出、修改了什么（负责人）")
    audit.add_argument("--from", dest="date_from", type=_date)
    audit.add_argument("--to", dest="date_to", type=_date)
    audit.add_argument("--action", help="只看这一类操作，如 view、print、export、move、correct、sign_in_failed")
    audit.add_argument("--case", dest="case_no", help="只看这个案件")
    audit.add_argument("--by", default="", metavar="姓名", help="只看这位工作人员")
    audit.add_argument("--verify", action="store_true",
                       help="校验记录链：没有记录被修改、删除或插入；有则以状态 1 退出并指出第一条"
                            "（只校验上次校验以来新增的记录，加 --full 从第一条校验到最后一条）")
    audit.add_argument("--full", action="store_true", help="与 --verify 同用：校验整条记录链（百万件案件约需半分钟至一分钟）")

    bk = sub.add_parser("backup", parents=[common], help="联机备份数据库（其他工作台可继续工作）")
    bk.add_argument("-o", "--output", required=True, help="备份文件（.ldbk）")
    rs = sub.add_parser("restore", parents=[common], help="校验并恢复备份（负责人；当前数据库另存）")
    rs.add_argument("file")
    pg = sub.add_parser("purge", parents=[common], help="清除保存期限届满的已办结案件的个人信息（负责人）")
    pg.add_argument("--closed-before", type=_date, help="办结日期早于此日（默认：privacy.retention_years 年前）")
    pg.add_argument("--dry-run", action="store_true", help="只显示将清除的件数")
    key = sub.add_parser("key", parents=[common], help="恢复密钥（负责人）").add_subparsers(
        dest="key_command", required=True, metavar="SUBCOMMAND")
    kx = key.add_parser("export", parents=[common], help="导出恢复密钥（文本；.pdf 时带二维码可打印）")
    kx.add_argument("-o", "--output", required=True)
    ki = key.add_parser("import", parents=[common], help="导入恢复密钥（新电脑、第二台工作台、恢复备份后）")
    ki.add_argument("file")
    return parser


def _out(args, data, text: str | None = None) -> None:
    if args.json or text is None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def _out_stream(args, cases, empty: str) -> None:
    """Cases written as they are read (memory stays flat): the same JSON list `_out` would print."""
    out, first = sys.stdout, True
    for c in cases:
        if args.json:
            body = "\n".join("  " + line for line in json.dumps(c, ensure_ascii=False, indent=2).splitlines())
            out.write(("[\n" if first else ",\n") + body)
        else:
            out.write(_case_line(c) + "\n")
        first = False
    if args.json:
        out.write("[]\n" if first else "\n]\n")
    elif first:
        out.write(empty + "\n")


def _case_line(c: dict) -> str:
    return (f"{c['case_no']}\t{c['received_at'][:16].replace('T', ' ')}\t{codes.label(codes.KIND, c['kind'])}\t"
            f"{codes.label(codes.STATE, c['state'])}\t{c['consumer']['name']}\t{c['consumer']['phone']}\t"
            f"{c['merchant']['name']}\t{c['product']}")


def _desk(args, sign_in: bool = True):
    """The desk on --db, acting as the member given by --staff (or linked to the OS user)."""
    from app.desk import Desk

    desk = Desk(_store(args))
    if sign_in:
        _sign_in(args, desk)
        if not (args.command == "audit" and args.verify):
            _warn_if_trail_broken(desk)
    return desk


def _sign_in(args, desk) -> None:
    import os

    from app.staff import accounts
    from app.staff.identity import Refused

    name = getattr(args, "staff", None) or os.environ.get("LIAISON_STAFF")
    if name:
        linked = desk.accounts.sign_in_os_user()
        if linked is not None and linked.login == name:
            return  # the OS already vouched for this member
        desk.accounts.sign_out()
        password = os.environ.get("LIAISON_PASSWORD")
        if password is None:
            password = _ask_password(f"{name} 的密码：")
        if password is None:
            raise Refused(f"以 {name} 办理须输入密码：请在终端运行，或用环境变量 LIAISON_PASSWORD 提供")
        desk.accounts.sign_in(name, password)
        return
    if desk.accounts.sign_in_os_user() is not None:
        return
    if desk.accounts.count() == 0:
        desk.accounts.bootstrap_os_user()  # made here, or by a desk that started at the same moment
    if desk.accounts.current is not None:
        return
    raise Refused(f"系统用户“{accounts.os_user()}”没有关联的工作人员账号：请用 --staff 登录名（或环境变量 LIAISON_STAFF）")


def _ask_password(prompt: str) -> str | None:
    """A password typed on the terminal (never echoed); None when there is no terminal."""
    import getpass

    if not (sys.stdin.isatty() or sys.stderr.isatty()):
        return None
    try:
        return getpass.getpass(prompt)
    except (EOFError, OSError):
        return None


def _new_password(login: str) -> str | None:
    import os

    from app.staff.accounts import check_password

    password = os.environ.get("LIAISON_NEW_PASSWORD")
    if password is not None:
        return check_password(password)
    first = _ask_password(f"{login} 的新密码：")
    if first is None:
        return None
    return check_password(first, _ask_password("再输入一次：") or "")


def _warn_if_trail_broken(desk) -> None:
    if desk.keys.problem():  # the links are keyed: a desk without the key cannot check them
        return
    result = desk.audit.verify(full=False)  # the links since the checkpoint: milliseconds at any size
    if not result.ok:
        sys.stderr.write(f"警告：审计记录校验未通过——{result.broken.message()}。请告知负责人"
                         "（liaison audit --verify）。\n")


def _store(args, url: str | None = None):
    """Open the database, or say in Chinese why not (exit 1) instead of a traceback."""
    from app.storage.db import Store

    try:
        return Store(url or args.db)
    except ModuleNotFoundError as e:
        raise InputError([FieldError("db", f"缺少数据库驱动 {e.name}：PostgreSQL 请安装 liaison-desk[postgres]")]) from None
    except Exception as e:  # unreachable server, unreadable file, …
        raise InputError([FieldError("db", f"无法打开数据库：{e}")]) from None


def run(args) -> int:
    cmd = args.command
    if cmd == "init":
        return _init(args)
    if cmd == "staff":
        return _staff(args, _desk(args))
    if cmd == "deadline":
        return _deadline(args)
    if cmd == "calc":
        return _calc(args)
    if cmd == "demo":
        return _demo(args)
    if cmd == "holidays":
        return _holidays(args)
    if getattr(args, "output", None):
        files.check_target(Path(args.output))  # before any work: a missing folder is said at once
    desk = _desk(args)
    if cmd == "key":
        return _key(args, desk)
    if cmd == "backup":
        manifest = desk.backup.to_file(args.output)
        _out(args, manifest, f"已备份 {manifest['cases']} 件案件到 {manifest['file']}")
        return EXIT_OK
    if cmd == "restore":
        result = desk.backup.restore(args.file)
        text = f"已恢复 {result['restored']}（备份时间 {result['created_at']}，{result['cases']} 件）；原数据库另存为 {result['kept_aside']}"
        if result["key_missing"]:
            text += "\n注意：本机没有这份备份的数据密钥，请用 liaison key import FILE 导入其恢复密钥"
        _out(args, result, text)
        return EXIT_OK
    desk.store.require_key()  # personal data: this computer must hold the data key
    if cmd == "purge":
        return _purge(args, desk)
    if cmd == "due":
        return _due(args, desk)
    if cmd == "lookup":
        from app.cases.phone_lookup import spoken

        result = desk.cases.lookup(args.case_no, args.code)
        _out(args, result, spoken(result))
        return EXIT_OK
    if cmd == "attach":
        added = desk.attachments.add_paths(args.case_no, args.files, args.label)
        _out(args, added, "\n".join(f"已添加附件 {a['id']}：{a['name']}\t{codes.ATTACHMENT_LABEL[a['label']]}\t"
                                      f"{a['bytes']} 字节\tSHA-256 {a['sha256']}" for a in added))
        return EXIT_OK
    if cmd == "attachment":
        info = desk.attachments.export(args.case_no, args.id, args.output)
        _out(args, info, f"已写出 {Path(args.output).resolve()}（{info['bytes']} 字节，SHA-256 {info['sha256']}）")
        return EXIT_OK
    if cmd == "register":
        entries = desk.documents.register(args.date_from, args.date_to, args.output)
        text = "\n".join(f"{e['number']}\t{e['document']}\t{e['case_no']}\t{e['first_printed_at'][:16].replace('T', ' ')}\t"
                         f"{e['first_staff']}\t打印 {e['prints']} 次" for e in entries) or "（没有打印过的文书）"
        if args.output:
            text = f"已导出 {len(entries)} 条到 {Path(args.output).resolve()}"
        _out(args, entries, text)
        return EXIT_OK
    if cmd == "case":
        sc = args.case_command
        if sc == "add":
            data = _stdin_json()
            case = desk.cases.add(data)
            _out(args, case, f"已登记 {case['case_no']}" + (f"，受理决定期限 {case['acceptance_due']}"
                                                           if case["acceptance_due"] else ""))
        elif sc == "correct":
            changes = _stdin_json()
            case = desk.cases.correct(args.case_no, changes, args.reason, args.another_merchant)
            _out(args, case, f"{case['case_no']} 已更正")
        elif sc == "show":
            case = desk.cases.show(args.case_no)
            desk.cases.record_view(args.case_no, "查看案件（含个人信息，命令行）")
            lines = [f"{k}: {v}" for k, v in case.items() if k not in ("events", "deadlines", "attachments")]
            lines += ["附件:"] + [f"  {a['id']} {a['name']} {codes.label(codes.ATTACHMENT_LABEL, a['label'])} "
                                 f"{a['bytes']} 字节 SHA-256 {a['sha256']}" for a in case["attachments"]] \
                if case["attachments"] else ["附件: 无"]
            lines += ["历史:"] + [f"  {e['at']} {e['staff']} {codes.label(codes.STATE, e['state'])} {e['note']}"
                                 for e in case["events"]]
            d = case["deadlines"]
            lines += [f"适用: {d['rule_set']['name']}（{d['rule_set']['source']}）"]
            lines += ["期限:"] + [f"  {x['what']} {x['due']}" for x in d["open"]] if d["open"] else ["期限: 无"]
            lines += [f"注意: {w}" for w in d["warnings"]]
            _out(args, case, "\n".join(lines))
        elif sc == "list":
            from app.cases.records import CaseFilter

            f = CaseFilter(state=args.state, kind=args.kind, date_from=args.date_from, date_to=args.date_to)
            _out_stream(args, desk.cases.iter_json(f, args.limit), "（没有案件）")
        elif sc == "move":
            case = desk.cases.move(args.case_no, args.state, args.reason, args.reason_code, args.at, args.amount_recovered,
                             terms=args.terms, remedies=args.remedy, referred_to=args.referred_to)
            _out(args, case, f"{case['case_no']} 已变为“{codes.STATE[case['state']]}”")
        elif sc == "pause":
            if not (args.reason.strip() or args.reason_code):
                raise UsageError("请用 --reason 写明理由或用 --reason-code 选择检定、检验、检测、鉴定")
            case = desk.cases.pause(args.case_no, args.reason, args.at, reason_code=args.reason_code)
            if not case["clock_paused"]:
                sys.stderr.write(f"注意：{case['message']}\n")
            _out(args, case, f"{case['case_no']} {case['message']}")
        elif sc == "resume":
            case = desk.cases.resume(args.case_no, args.at)
            _out(args, case, f"{case['case_no']} 调解计时已恢复，调解期限 {case['mediation_due']}")
        elif sc == "mediate":
            case = desk.cases.mediate(args.case_no, args.mode, args.participants, args.offer, args.answer,
                                      args.note, args.at)
            _out(args, case, f"{case['case_no']} 已记录调解")
        elif sc == "follow-up":
            case = desk.cases.follow_up(args.case_no, args.satisfaction, args.note, args.at)
            _out(args, case, f"{case['case_no']} 已记录回访：{codes.SATISFACTION[args.satisfaction]}")
        elif sc == "reopen":
            case = desk.cases.reopen(args.case_no, args.reason)
            _out(args, case, f"{case['case_no']} 已重新打开，当前为“{codes.STATE[case['state']]}”")
        elif sc == "handover":
            case = desk.cases.hand_over(args.case_no, args.to, args.note)
            _out(args, case, f"{case['case_no']} 首问责任人：{case['owner']}")
        elif sc == "advance":
            case = desk.cases.record_advance(args.case_no, args.amount, args.payer, args.recovered_on)
            _out(args, case, f"{case['case_no']} 先行赔付 {case['advance_paid']} 元")
        elif sc == "merchant-reply":
            status = desk.merchant_requests.reply(args.case_no, args.text, args.at)
            _out(args, {"case_no": args.case_no, "merchant_reply": status},
                 f"{args.case_no} 已记录经营者答复（{status['replied_on']}，"
                 + ("按期" if status["on_time"] else f"逾期，期限为 {status['due']}") + "）")
        return EXIT_OK
    if cmd == "report":
        if args.json:
            _out(args, desk.reports.monthly(args.month))
            return EXIT_OK
        if not args.output:
            raise UsageError("请用 -o 指定输出的 PDF 文件，或用 --json 输出数字")
        files.write_bytes(Path(args.output), desk.documents.monthly_pdf(args.month))
        _out(args, {"file": args.output}, f"已生成 {args.output}")
        return EXIT_OK
    if cmd == "import":
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
        _out(args, {"imported": len(numbers), "case_nos": numbers}, f"已导入 {len(numbers)} 件")
        return EXIT_OK
    if cmd == "export":
        from app.cases.records import CaseFilter

        n = desk.ledger.export(args.output, CaseFilter(date_from=args.date_from, date_to=args.date_to), args.full)
        _out(args, {"exported": n, "file": args.output}, f"已导出 {n} 件到 {args.output}")
        return EXIT_OK
    if cmd == "search":
        from app.cases.records import CaseFilter

        _out_stream(args, desk.cases.iter_json(CaseFilter(text=args.text), args.limit), "（没有找到）")
        desk.cases.audit_personal_search(args.text)
        return EXIT_OK
    if cmd == "print":
        if args.kind == "tip" and args.list:
            tips = desk.documents.tip_templates()
            _out(args, tips, "\n".join(f"{t['name']}\t{t['title']}" for t in tips))
            return EXIT_OK
        if not args.output:
            raise UsageError("请用 -o 指定输出的 PDF 文件")
        if args.kind == "bulletin":
            pdf = desk.documents.bulletin_pdf(args.size)
        elif args.kind == "disclosure":
            if not (args.date_from and args.date_to):
                raise UsageError("请用 --from 和 --to 指定公示期间")
            pdf = desk.disclosure.pdf(args.date_from, args.date_to, args.size)
        elif args.kind == "tip":
            if not args.target:
                raise UsageError("请给出消费提示模板名（liaison print tip --list 可查看）")
            pdf = desk.documents.tip_pdf(args.target, args.size)
        elif args.kind == "referral" and not args.target:
            if not (args.date_from and args.date_to):
                raise UsageError("请给出案件编号，或用 --from 和 --to 指定汇总期间")
            written = [str(p) for p in desk.documents.referral_batch(args.date_from, args.date_to, args.output,
                                                                    target=args.to_target)]
            _out(args, {"files": written, "file": written[0]}, "\n".join(f"已生成 {f}" for f in written))
            return EXIT_OK
        elif not args.target:
            raise UsageError("请给出案件编号")
        elif args.kind == "referral":
            pdf = desk.documents.referral_pdf(args.target, with_images=args.with_images)
        elif args.kind == "receipt":
            pdf = desk.documents.receipt_pdf(args.target)
        elif args.kind == "merchant-request":
            pdf = desk.merchant_requests.notice_pdf(args.target, at=args.at)
        else:
            pdf = desk.documents.notice_pdf(args.kind, args.target, masked=args.masked)
        files.write_bytes(Path(args.output), pdf)
        if args.kind not in ("bulletin", "tip", "disclosure"):  # written: now it counts as printed
            desk.documents.printed(args.kind, args.target, str(Path(args.output).resolve()),
                                   masked=getattr(args, "masked", False))
        _out(args, {"file": str(args.output), "bytes": len(pdf)}, f"已生成 {args.output}")
        return EXIT_OK
    if cmd == "settings":
        return _settings(args, desk)
    if cmd == "council":
        return _council(args, desk)
    if cmd == "audit":
        return _audit(args, desk)
    raise UsageError(f"未知命令 {cmd}")


def _init(args) -> int:
    from app.desk import Desk

    desk = Desk(_store(args))
    desk.store.require_key()
    where = desk.store.url.render_as_string(hide_password=True)
    created = desk.accounts.bootstrap_os_user(args.display) if desk.accounts.count() == 0 else None
    if created is None:
        _sign_in(args, desk)
        _warn_if_trail_broken(desk)
    member = desk.accounts.current
    data: dict[str, object] = {"database": where, "status": "ok", "staff": member.display if member else ""}
    text = f"数据库已就绪：{where}"
    if created is not None:
        data["first_supervisor"] = {"login": created.login, "display": created.display}
        text += (f"\n已将系统用户 {created.login} 设为首位负责人（姓名：{created.display}）。"
                 "请用 liaison staff add 为每位工作人员建立账号。")
    _out(args, data, text)
    return EXIT_OK


def _staff(args, desk) -> int:
    sc = args.staff_command
    if sc == "list":
        rows = desk.accounts.list()
        _out(args, rows, "\n".join(
            f"{r['login']}\t{r['display']}\t{r['role_label']}" + ("\t已停用" if r["disabled"] else "")
            + (f"\t系统用户 {r['os_user']}" if r["os_user"] else "") + ("" if r["has_password"] else "\t未设密码")
            + (f"\t锁定至 {r['locked_until'][11:16]}" if r["locked_until"] else "") for r in rows))
        return EXIT_OK
    if sc == "add":
        from app.staff.identity import require

        require(desk.accounts.current, "supervisor", "管理工作人员账号")
        password = _new_password(args.login)
        row = desk.accounts.add(args.login, args.display, args.role, password, args.os_user)
        _out(args, row, f"已新建账号 {row['login']}（{row['display']}，{row['role_label']}）"
             + ("" if row["has_password"] else "；尚未设置密码，可用 liaison staff passwd 设置"))
    elif sc == "passwd":
        password = _new_password(args.login)
        if password is None:
            raise InputError([FieldError("password", "请在终端输入新密码，或用环境变量 LIAISON_NEW_PASSWORD 提供")])
        desk.accounts.set_password(args.login, password)
        _out(args, {"login": args.login, "status": "ok"}, f"已设置 {args.login} 的密码")
    else:
        desk.accounts.set_disabled(args.login, sc == "disable")
        _out(args, {"login": args.login, "disabled": sc == "disable"},
             f"已{'停用' if sc == 'disable' else '启用'}账号 {args.login}")
    return EXIT_OK


def _audit(args, desk) -> int:
    from app.cases.intake import LOCAL_TZ
    from app.staff import audit
    from app.staff.identity import require

    require(desk.accounts.current, "supervisor", "查看审计记录")
    if args.verify:
        result = desk.audit.verify(full=args.full)
        if not result.ok:
            sys.stderr.write(f"错误：审计记录链校验未通过——{result.broken.message()}\n")
            _out(args, {"ok": False, "links": result.links, "first_broken": {
                "seq": result.broken.seq, "table": result.broken.source, "id": result.broken.row_id,
                "problem": result.broken.problem, "message": result.broken.message()}}, "")
            return EXIT_INPUT
        _out(args, {"ok": True, "links": result.links}, f"审计记录链完好：共 {result.links} 条，没有被修改、删除或插入"
             + ("" if result.full else f"（本次校验了上次校验以来的 {result.checked} 条；完整校验请加 --full）"))
        return EXIT_OK
    day = dt.timedelta(days=1)
    f = audit.TrailFilter(
        since=dt.datetime.combine(args.date_from, dt.time(), LOCAL_TZ) if args.date_from else None,
        until=dt.datetime.combine(args.date_to + day, dt.time(), LOCAL_TZ) if args.date_to else None,
        staff=args.by, action=args.action or "", case_no=args.case_no or "")
    entries = desk.audit.trail(f)
    _out(args, entries, "\n".join(f"{e['at'][:19].replace('T', ' ')}\t{e['staff']}\t{e['action_label']}\t"
                                  f"{e['case_no']}\t{e['detail']}" for e in entries) or "（没有记录）")
    return EXIT_OK


def _stdin_json() -> dict:
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


def _due(args, desk) -> int:
    from app.reports import worklist

    work = desk.worklist.today(args.on)
    lines = [f"今日待办（{work.on.isoformat()}）：逾期 {work.overdue()} 件"]
    for group, title in codes.WORK_GROUPS.items():
        items = work.group(group)
        lines.append(f"{title}：{len(items)} 件")
        lines += [f"  {i.case_no}\t{i.consumer}\t{i.phone}\t{i.merchant}\t{worklist.describe(i)}" for i in items]
    _out(args, work.as_json(), "\n".join(lines))
    return EXIT_OK


def _demo(args) -> int:
    """Demo cases go to their own database (the demo database of 演示模式, or --db), never among real ones."""
    from app.cases import demo
    from app.core.progress import TerminalProgress
    from app.storage import db

    if args.cases < 0:
        raise InputError([FieldError("cases", "案件数不能为负数")])
    store = _store(args, args.db or db.demo_url())
    store.require_key()  # the demo consumers' (fictitious) personal data is encrypted like real data
    where = store.url.render_as_string(hide_password=True)
    if not args.force and demo.has_real_cases(store):
        raise FieldError("db", f"数据库 {where} 中已有真实案件，演示数据不会加入其中：请用 --db 指定另一个数据库"
                               "（或确需加入时加 --force）")
    progress = TerminalProgress("正在生成演示案件")
    added = demo.generate(store, args.cases, progress=progress)
    progress.finish()
    _out(args, {"added": added}, f"已生成 {added} 件演示案件（虚构数据），数据库：{where}")
    return EXIT_OK


def _key(args, desk) -> int:
    if args.key_command == "export":
        path = desk.keys.export(args.output)
        _out(args, {"file": str(path)}, f"恢复密钥已导出到 {path}（请打印或存放在安全处，勿与备份放在一起）")
    else:
        where = desk.keys.import_key(args.file)
        _out(args, {"imported": True, "kept_in": where}, f"恢复密钥正确，已保存到{where}")
    return EXIT_OK


def _purge(args, desk) -> int:
    cutoff = args.closed_before or desk.retention.default_cutoff()
    if args.dry_run:
        n = desk.retention.count(cutoff)
        _out(args, {"closed_before": cutoff.isoformat(), "cases": n, "dry_run": True},
             f"{cutoff.isoformat()} 前办结、尚有个人信息的案件：{n} 件（未清除）")
        return EXIT_OK
    numbers = desk.retention.purge(cutoff)
    _out(args, {"closed_before": cutoff.isoformat(), "cases": len(numbers), "case_nos": numbers},
         f"已清除 {len(numbers)} 件案件的消费者个人信息（{cutoff.isoformat()} 前办结）；案件与统计保留")
    return EXIT_OK


def _council(args, desk) -> int:
    sc = args.council_command
    if sc == "keys":
        keys = desk.council.keys()
        text = desk.council.key_file_text(keys)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        if args.qr:
            if Path(args.qr).suffix.lower() not in (".png", ".svg"):
                raise InputError([FieldError("qr", "二维码图片须为 .png 或 .svg 文件")])
            import segno

            segno.make(keys["public_key"], error="m").save(args.qr, scale=8, border=4)
        _out(args, keys, text + f"# 私钥保存在：{keys['kept_in']}")
    elif sc == "package":
        blob = desk.council.package(args.month)
        Path(args.output).write_bytes(blob)
        _out(args, {"file": args.output, "bytes": len(blob), "month": args.month}, f"已生成报送包 {args.output}")
    elif sc == "trust":
        try:
            text = Path(args.file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            raise InputError([FieldError("file", f"找不到或无法读取文件 {args.file}")]) from None
        point = desk.council.trust(text, args.name)
        _out(args, point, f"已登记联络点“{point['name']}”的公钥（指纹 {point['fingerprint']}）")
    elif sc == "trusted":
        points = desk.council.trusted()
        _out(args, points, "\n".join(f"{p['name']}\t{p['fingerprint']}\t{p['trusted_at'][:10]}" for p in points)
             or "（还没有登记联络点公钥）")
    elif sc == "merge":
        if not args.output and not args.json:
            raise UsageError("请用 -o 指定区汇总 PDF，或用 --json 输出数字")
        district = desk.council.merge(args.files, args.month)
        if args.output:
            Path(args.output).write_bytes(desk.council.district_pdf(district))
        t = district["totals"]
        _out(args, district, f"已合并 {len(district['points'])} 个联络点 {district['month']} 的报送：受理登记 {t['received']} 件，"
                             f"投诉 {t['complaints']} 件，挽回经济损失 {t['recovered']} 元"
                             + (f"；区汇总 {args.output}" if args.output else ""))
    return EXIT_OK


def _deadline(args) -> int:
    if args.received is None and args.accepted is None:
        raise UsageError("请给出 --received 或 --accepted")
    received = args.received or args.accepted
    if args.accepted and args.accepted < received:
        raise InputError([FieldError("accepted", "受理日期不能早于收到投诉的日期")])
    if args.pause and not args.accepted:
        raise InputError([FieldError("pause", "暂停期间须在受理之后，请同时给出 --accepted")])
    for start, _end in args.pause:
        if start < args.accepted:
            raise InputError([FieldError("pause", f"暂停开始日 {start} 不能早于受理日期")])
    if args.ended and args.ended < (args.accepted or received):
        raise InputError([FieldError("ended", "终止调解之日不能早于受理日期")])
    desk = _desk(args, sign_in=False)
    result = desk.calendar.deadlines(received, args.accepted, args.pause, args.ended).as_json()
    result["received"] = received.isoformat()
    result["accepted"] = args.accepted.isoformat() if args.accepted else None
    text = [f"适用：{result['rule_set']['name']}（{result['rule_set']['source']}）",
            f"受理决定期限：{result['acceptance_due']}（{result['acceptance_rule']}）"]
    if result["mediation_due"]:
        text.append(f"调解期限：{result['mediation_due']}（{result['mediation_rule']}"
                    + (f"，暂停{result['paused_days']}{'个工作日' if result['mediation_rule'].endswith('工作日') else '日'}不计入"
                       if result["paused_days"] else "") + "）")
    if result["notice_due"]:
        text.append(f"终止调解告知期限：{result['notice_due']}（{result['notice_rule']}）")
    for w in result["warnings"]:
        sys.stderr.write(f"注意：{w}\n")
    _out(args, result, "\n".join(text))
    return EXIT_OK


def _holidays(args) -> int:
    if args.what == "set":
        if args.year is None or not args.file:
            raise UsageError("用法：liaison holidays set YEAR --file F")
        try:
            text = Path(args.file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError([FieldError("file", f"找不到文件 {args.file}")]) from None
        except UnicodeDecodeError:
            raise InputError([FieldError("file", f"{args.file} 不是 UTF-8 文本")]) from None
        changed = _desk(args).calendar.import_year(args.year, text, args.source)
        view = _desk(args).calendar.year_view(args.year)
        _out(args, {"year": args.year, "saved": True, "cases_updated": changed, **view.as_json()},
             f"已录入{args.year}年放假安排（{len(view.rest)}天休、{len(view.workdays)}天班），"
             f"{changed} 件在办案件的期限已随之更新")
        return EXIT_OK
    if not args.what.isdigit() or args.year is not None:
        raise UsageError("用法：liaison holidays YEAR 或 liaison holidays set YEAR --file F")
    year = int(args.what)
    if not 1990 <= year <= 2100:
        raise InputError([FieldError("year", "年份应在1990至2100之间")])
    view = _desk(args).calendar.year_view(year)
    if view.origin == "statutory":
        sys.stderr.write(f"注意：{year}年的调休上班日尚未公布或尚未录入，以下只有法定节假日及依法补休。\n")
    _out(args, view.as_json(), "\n".join([f"{year}年：{view.origin_text}" + (f"（{view.source}）" if view.source else ""),
                                          *view.lines()]))
    return EXIT_OK


def _calc(args) -> int:
    from app.calendar import calculators
    from app.core import validation

    today = getattr(args, "today", None) or clock.today()
    if args.calc_command == "punitive":
        price = validation.money(args.price, "price", "价款")
        loss = validation.money(args.loss, "loss", "损失") if args.loss else None
        answer = calculators.punitive(price, args.food, loss)
    elif args.calc_command == "limitation":
        cal = _desk(args).calendar.current()
        answer = calculators.limitation(args.known, args.delivered, today, cal, args.safe_use_until)
    else:
        answer = calculators.no_reason_return(args.channel, args.received, today, args.exception)
    data = answer.as_json()
    for w in data.get("warnings", []):
        sys.stderr.write(f"注意：{w}\n")
    text = [data["result"], *[f"  {s}" for s in data["steps"]]]
    text += [f"依据：{a['law']}{a['article']}：{a['text']}" for a in data["articles"]]
    _out(args, data, "\n".join(text))
    return EXIT_OK


def _settings(args, desk) -> int:
    from app.point import settings as st

    if args.key is None:
        values = desk.settings.all()
        _out(args, values, "\n".join(f"{k}\t{v}\t# {st.KEYS[k].label}" for k, v in values.items()))
    elif args.value is None:
        values = desk.settings.all()
        if args.key not in values:
            raise InputError([FieldError(args.key, f"没有名为“{args.key}”的设置项，可用：{'、'.join(values)}")])
        _out(args, {args.key: values[args.key]}, values[args.key])
    else:
        values = desk.settings.put({args.key: args.value})
        _out(args, {args.key: values[args.key]}, f"{args.key} = {values[args.key]}")
    return EXIT_OK


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
        _check_dates(args)
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
