"""`liaison init`, `staff`, `audit` and `key`: the database, the members, the audit trail, the recovery key."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from app.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    date,
    new_password,
    open_store,
    out,
    sign_in_member,
    warn_if_trail_broken,
    with_desk,
)
from app.core.errors import FieldError, InputError

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk


def add_init(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    init = sub.add_parser("init", parents=[common], help="创建或升级数据库（可重复执行）；新数据库以本系统用户为首位负责人")
    init.add_argument("--display", help="新数据库首位负责人的姓名（印在回执上；默认取系统用户名）")
    init.set_defaults(func=_init)


def add_staff(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    staff = sub.add_parser("staff", parents=[common], help="工作人员账号（负责人）").add_subparsers(
        dest="staff_command", required=True, metavar="SUBCOMMAND")
    st_add = staff.add_parser("add", parents=[common], help="新建账号（密码在终端输入两次，或取自 LIAISON_NEW_PASSWORD）")
    st_add.add_argument("login", metavar="NAME", help="登录名")
    st_add.add_argument("--display", required=True, help="姓名，如 李明（印在回执上的经办人、首问责任人）")
    st_add.add_argument("--role", required=True, choices=["staff", "supervisor"], help="staff 工作人员 / supervisor 负责人")
    st_add.add_argument("--os-user", help="关联的系统用户（命令行不加 --staff 时以此账号办理）")
    st_add.set_defaults(func=with_desk(_staff_add, key=False))
    staff.add_parser("list", parents=[common], help="列出账号").set_defaults(func=with_desk(_staff_list, key=False))
    st_pw = staff.add_parser("passwd", parents=[common], help="设置密码（本人或负责人；终端输入两次，或取自 LIAISON_NEW_PASSWORD）")
    st_pw.add_argument("login", metavar="NAME")
    st_pw.set_defaults(func=with_desk(_staff_passwd, key=False))
    st_dis = staff.add_parser("disable", parents=[common], help="停用账号")
    st_dis.add_argument("login", metavar="NAME")
    st_dis.set_defaults(func=with_desk(_staff_disable, key=False), disable=True)
    st_en = staff.add_parser("enable", parents=[common], help="重新启用账号")
    st_en.add_argument("login", metavar="NAME")
    st_en.set_defaults(func=with_desk(_staff_disable, key=False), disable=False)


def add_audit(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    audit = sub.add_parser("audit", parents=[common], help="审计记录：谁在何时查看、打印、导出、修改了什么（负责人）")
    audit.add_argument("--from", dest="date_from", type=date)
    audit.add_argument("--to", dest="date_to", type=date)
    audit.add_argument("--action", help="只看这一类操作，如 view、print、export、move、correct、sign_in_failed")
    audit.add_argument("--case", dest="case_no", help="只看这个案件")
    audit.add_argument("--by", default="", metavar="姓名", help="只看这位工作人员")
    audit.add_argument("--verify", action="store_true",
                       help="校验记录链：没有记录被修改、删除或插入；有则以状态 1 退出并指出第一条"
                            "（只校验上次校验以来新增的记录，加 --full 从第一条校验到最后一条）")
    audit.add_argument("--full", action="store_true", help="与 --verify 同用：校验整条记录链（百万件案件约需半分钟至一分钟）")
    once = audit.add_mutually_exclusive_group()
    once.add_argument("--reseal", action="store_true",
                      help="在没有数据密钥的电脑上升级过的数据库：用本机的密钥加封记录链、案件、账号和附件（一次，记入审计）")
    once.add_argument("--acknowledge", action="store_true",
                      help="核实 --verify 报告的问题后确认：直接写入的记录就地加封，被直接改动的案件或账号按现状加封，"
                           "本电脑记下的链末端改为现在的末端；逐项记入审计。被修改或删除的记录仍会报告")
    # --verify, --reseal and --acknowledge report on the chain themselves: no warning about it before.
    audit.set_defaults(func=with_desk(_audit, trail_warning=lambda args: not (args.verify or args.reseal
                                                                               or args.acknowledge)))


def add_key(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    key = sub.add_parser("key", parents=[common], help="恢复密钥（负责人）").add_subparsers(
        dest="key_command", required=True, metavar="SUBCOMMAND")
    kx = key.add_parser("export", parents=[common], help="导出恢复密钥（文本；.pdf 时带二维码可打印）")
    kx.add_argument("-o", "--output", required=True)
    kx.set_defaults(func=with_desk(_key_export, key=False))
    ki = key.add_parser("import", parents=[common], help="导入恢复密钥（新电脑、第二台工作台、恢复备份后）")
    ki.add_argument("file")
    ki.set_defaults(func=with_desk(_key_import, key=False))


def _init(args: argparse.Namespace) -> int:
    import os

    from app.desk import Desk
    from app.staff.accounts import check_password

    desk = Desk(open_store(args))
    desk.store.require_key()
    where = desk.store.url.render_as_string(hide_password=True)
    first = desk.accounts.count() == 0
    # The first supervisor gets the password in LIAISON_NEW_PASSWORD, checked before anything is made. No
    # prompt: init runs in scripts and installers (a console prompt under Windows waits for a key forever);
    # without it the OS link alone works, and `liaison staff passwd` asks for one at a terminal.
    password = check_password(os.environ["LIAISON_NEW_PASSWORD"]) if first and "LIAISON_NEW_PASSWORD" in os.environ \
        else None
    created = desk.accounts.bootstrap_os_user(args.display) if first else None
    if created is not None and password:
        desk.accounts.set_password(created.login, password)
    if created is None:
        sign_in_member(args, desk)
        warn_if_trail_broken(desk)
    member = desk.accounts.current
    data: dict[str, object] = {"database": where, "status": "ok", "staff": member.display if member else ""}
    text = f"数据库已就绪：{where}"
    if created is not None:
        data["first_supervisor"] = {"login": created.login, "display": created.display, "has_password": bool(password)}
        text += (f"\n已将系统用户 {created.login} 设为首位负责人（姓名：{created.display}）"
                 + ("，密码已设置。" if password else "；尚未设置密码，在窗口登录前请用 liaison staff passwd 设置。")
                 + "请用 liaison staff add 为每位工作人员建立账号。")
    out(args, data, text)
    return EXIT_OK


def _staff_list(args: argparse.Namespace, desk: Desk) -> int:
    rows = desk.accounts.list()
    out(args, rows, "\n".join(
        f"{r['login']}\t{r['display']}\t{r['role_label']}" + ("\t已停用" if r["disabled"] else "")
        + (f"\t系统用户 {r['os_user']}" if r["os_user"] else "") + ("" if r["has_password"] else "\t未设密码")
        + (f"\t锁定至 {r['locked_until'][11:16]}" if r["locked_until"] else "") for r in rows))
    return EXIT_OK


def _staff_add(args: argparse.Namespace, desk: Desk) -> int:
    from app.staff.identity import require

    require(desk.accounts.current, "supervisor", "管理工作人员账号")
    password = new_password(args.login)
    row = desk.accounts.add(args.login, args.display, args.role, password, args.os_user)
    out(args, row, f"已新建账号 {row['login']}（{row['display']}，{row['role_label']}）"
        + ("" if row["has_password"] else "；尚未设置密码，可用 liaison staff passwd 设置"))
    return EXIT_OK


def _staff_passwd(args: argparse.Namespace, desk: Desk) -> int:
    password = new_password(args.login)
    if password is None:
        raise InputError([FieldError("password", "请在终端输入新密码，或用环境变量 LIAISON_NEW_PASSWORD 提供")])
    desk.accounts.set_password(args.login, password)
    out(args, {"login": args.login, "status": "ok"}, f"已设置 {args.login} 的密码")
    return EXIT_OK


def _staff_disable(args: argparse.Namespace, desk: Desk) -> int:
    desk.accounts.set_disabled(args.login, args.disable)
    out(args, {"login": args.login, "disabled": args.disable},
        f"已{'停用' if args.disable else '启用'}账号 {args.login}")
    return EXIT_OK


def _audit(args: argparse.Namespace, desk: Desk) -> int:
    from app.core.clock import LOCAL_TZ
    from app.staff import audit
    from app.staff.identity import require

    require(desk.accounts.current, "supervisor", "查看审计记录")
    if args.reseal:
        done = desk.audit.reseal()
        out(args, done, "已重新加封：" + "，".join(f"{label} {done[k]}" for k, label in (
            ("chain", "记录链"), ("waiting", "待加封记录"), ("facts", "案件和账号"), ("attachments", "附件"))))
        return EXIT_OK
    if args.acknowledge:
        done = desk.audit.acknowledge()
        out(args, done, f"已确认并记入审计：加封记录 {done['sealed_rows']} 条，按现状加封的案件和账号 "
                        f"{done['resealed_facts']} 项" + ("，链末端已改记" if done["rewound"] else ""))
        return EXIT_OK
    if args.verify:
        return _audit_verify(args, desk)
    day = dt.timedelta(days=1)
    f = audit.TrailFilter(
        since=dt.datetime.combine(args.date_from, dt.time(), LOCAL_TZ) if args.date_from else None,
        until=dt.datetime.combine(args.date_to + day, dt.time(), LOCAL_TZ) if args.date_to else None,
        staff=args.by, action=args.action or "", case_no=args.case_no or "")
    entries = desk.audit.trail(f)
    out(args, entries, "\n".join(f"{e['at'][:19].replace('T', ' ')}\t{e['staff']}\t{e['action_label']}\t"
                                 f"{e['case_no']}\t{e['detail']}" for e in entries) or "（没有记录）")
    return EXIT_OK


def _audit_verify(args: argparse.Namespace, desk: Desk) -> int:
    result = desk.audit.verify(full=args.full)
    broken = result.broken
    if broken is not None:
        sys.stderr.write(f"错误：审计记录链校验未通过——{broken.message()}\n")
        out(args, {"ok": False, "links": result.links, "first_broken": {
            "seq": broken.seq, "table": broken.source, "id": broken.row_id,
            "problem": broken.problem, "message": broken.message()}}, "")
        return EXIT_INPUT
    out(args, {"ok": True, "links": result.links}, f"审计记录链完好：共 {result.links} 条，没有被修改、删除或插入"
        + ("" if result.full else f"（本次校验了上次校验以来的 {result.checked} 条；完整校验请加 --full）"))
    return EXIT_OK


def _key_export(args: argparse.Namespace, desk: Desk) -> int:
    path = desk.keys.export(args.output)
    out(args, {"file": str(path)}, f"恢复密钥已导出到 {path}（请打印或存放在安全处，勿与备份放在一起）")
    return EXIT_OK


def _key_import(args: argparse.Namespace, desk: Desk) -> int:
    where = desk.keys.import_key(args.file)
    out(args, {"imported": True, "kept_in": where}, f"恢复密钥正确，已保存到{where}")
    return EXIT_OK
