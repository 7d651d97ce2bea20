"""`liaison case …`, `search`, `due` and `lookup`: the cases and the day's work."""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.calendar.deadlines import all_ground_codes, all_pause_codes
from app.cli.common import EXIT_OK, UsageError, date, out, out_stream, stdin_json, with_desk
from app.core import codes

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk


def add_case(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    case = sub.add_parser("case", parents=[common], help="案件").add_subparsers(dest="case_command", required=True,
                                                                             metavar="SUBCOMMAND")
    _add_register_and_read(case, common)
    _add_moves(case, common)
    _add_records(case, common)


def _add_register_and_read(case: Subparsers, common: argparse.ArgumentParser) -> None:
    case.add_parser("add", parents=[common], help="从标准输入读一个案件 JSON 并登记").set_defaults(
        func=with_desk(_add))
    case.add_parser("schema", parents=[common], help="打印案件 JSON 的 JSON Schema（字段、代码、格式）").set_defaults(
        func=_schema)
    correct = case.add_parser("correct", parents=[common],
                              help="更正已登记案件的字段：从标准输入读一个 JSON 对象（只写要更正的字段，字段代码同案件 JSON）")
    correct.add_argument("case_no")
    correct.add_argument("--reason", required=True, help="更正原因（必填，记入办理经过）")
    correct.add_argument("--another-merchant", action="store_true",
                         help="名称已登记但信用代码不同时，确认是同名的另一家经营者")
    correct.set_defaults(func=with_desk(_correct))
    show = case.add_parser("show", parents=[common], help="显示一个案件及其历史和期限（含个人信息，记入审计）")
    show.add_argument("case_no")
    show.set_defaults(func=with_desk(_show))
    lst = case.add_parser("list", parents=[common], help="案件列表（新的在前，个人信息遮盖）")
    lst.add_argument("--state", choices=list(codes.STATE))
    lst.add_argument("--kind", choices=list(codes.KIND))
    lst.add_argument("--from", dest="date_from", type=date)
    lst.add_argument("--to", dest="date_to", type=date)
    lst.add_argument("--limit", type=int)
    lst.set_defaults(func=with_desk(_list))


def _add_moves(case: Subparsers, common: argparse.ArgumentParser) -> None:
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
    move.set_defaults(func=with_desk(_move))
    pause = case.add_parser("pause", parents=[common],
                            help="暂停调解计时（仅检定、检验、检测、鉴定；其他理由记为备注，期限不变）")
    pause.add_argument("case_no")
    pause.add_argument("--reason", default="", help="理由；写明检定、检验、检测、鉴定（或送检）之一才暂停计时")
    pause.add_argument("--reason-code", default="", choices=["", *all_pause_codes()],
                       help="verification（检定）、inspection（检验）、testing（检测）、appraisal（鉴定）")
    pause.add_argument("--at")
    pause.set_defaults(func=with_desk(_pause))
    resume = case.add_parser("resume", parents=[common], help="恢复调解计时，调解期限顺延")
    resume.add_argument("case_no")
    resume.add_argument("--at")
    resume.set_defaults(func=with_desk(_resume))
    mediate = case.add_parser("mediate", parents=[common], help="记录一次调解（现场、电话或视频）")
    mediate.add_argument("case_no")
    mediate.add_argument("--mode", required=True, choices=list(codes.MEDIATION_MODE))
    mediate.add_argument("--with", dest="participants", action="append", required=True,
                         choices=list(codes.PARTICIPANT), help="参加人，可多次给出")
    mediate.add_argument("--offer", default="")
    mediate.add_argument("--answer", default="")
    mediate.add_argument("--note", default="")
    mediate.add_argument("--at")
    mediate.set_defaults(func=with_desk(_mediate))


def _add_records(case: Subparsers, common: argparse.ArgumentParser) -> None:
    follow = case.add_parser("follow-up", parents=[common], help="记录回访与满意度")
    follow.add_argument("case_no")
    follow.add_argument("--satisfaction", required=True, choices=list(codes.SATISFACTION))
    follow.add_argument("--note", default="")
    follow.add_argument("--at")
    follow.set_defaults(func=with_desk(_follow_up))
    reopen = case.add_parser("reopen", parents=[common], help="负责人重新打开已办结案件")
    reopen.add_argument("case_no")
    reopen.add_argument("--reason", required=True)
    reopen.set_defaults(func=with_desk(_reopen))
    handover = case.add_parser("handover", parents=[common], help="首问责任移交")
    handover.add_argument("case_no")
    handover.add_argument("--to", required=True)
    handover.add_argument("--note", default="")
    handover.set_defaults(func=with_desk(_handover))
    advance = case.add_parser("advance", parents=[common], help="记录先行赔付")
    advance.add_argument("case_no")
    advance.add_argument("--amount", required=True)
    advance.add_argument("--payer", required=True)
    advance.add_argument("--recovered-on")
    advance.set_defaults(func=with_desk(_advance))
    reply = case.add_parser("merchant-reply", parents=[common], help="记录经营者对告知函的答复及其日期")
    reply.add_argument("case_no")
    reply.add_argument("--text", required=True, help="经营者答复的内容")
    reply.add_argument("--at", help="答复时间（ISO，默认现在）")
    reply.set_defaults(func=with_desk(_merchant_reply))


def add_search(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    search = sub.add_parser("search", parents=[common], help="按事实、商品、品牌、经营者、姓名、电话或编号查找")
    search.add_argument("text")
    search.add_argument("--limit", type=int)
    search.set_defaults(func=with_desk(_search))


def add_due(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    due = sub.add_parser("due", parents=[common], help="今日待办：全部待作的受理决定、进行中的调解、待送达告知书、待回访、待答复咨询、待经营者答复（逾期与临期另计）")
    due.add_argument("--on", type=date, help="按这一天计算（默认今天）")
    due.set_defaults(func=with_desk(_due))


def add_lookup(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    look = sub.add_parser("lookup", parents=[common],
                          help="电话查询：凭回执上的查询码说明案件状态、下一步和期限（不含个人信息）")
    look.add_argument("case_no")
    look.add_argument("--code", required=True, help="回执上的 6 位查询码")
    look.set_defaults(func=with_desk(_lookup))


# case …

def _add(args: argparse.Namespace, desk: Desk) -> int:
    data = stdin_json()
    case = desk.cases.add(data)
    out(args, case, f"已登记 {case['case_no']}" + (f"，受理决定期限 {case['acceptance_due']}"
                                                  if case["acceptance_due"] else ""))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    """The case JSON's schema, as shipped in resources/schemas/case.schema.json; no database is opened."""
    from app.cases.intake import case_schema

    out(args, case_schema())
    return EXIT_OK


def _correct(args: argparse.Namespace, desk: Desk) -> int:
    changes = stdin_json()
    case = desk.cases.correct(args.case_no, changes, args.reason, args.another_merchant)
    out(args, case, f"{case['case_no']} 已更正")
    return EXIT_OK


def _show(args: argparse.Namespace, desk: Desk) -> int:
    shown = desk.cases.show(args.case_no)
    if shown.tampered:  # on stderr: the case JSON keeps its shape
        sys.stderr.write(shown.tampered + "\n")
    case = shown.as_json()
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
    out(args, case, "\n".join(lines))
    return EXIT_OK


def _list(args: argparse.Namespace, desk: Desk) -> int:
    from app.cases.records import CaseFilter

    f = CaseFilter(state=args.state, kind=args.kind, date_from=args.date_from, date_to=args.date_to)
    out_stream(args, desk.cases.iter_json(f, args.limit), "（没有案件）")
    return EXIT_OK


def _move(args: argparse.Namespace, desk: Desk) -> int:
    case = desk.cases.move(args.case_no, args.state, args.reason, args.reason_code, args.at, args.amount_recovered,
                           terms=args.terms, remedies=args.remedy, referred_to=args.referred_to)
    out(args, case, f"{case['case_no']} 已变为“{codes.STATE[case['state']]}”")
    return EXIT_OK


def _pause(args: argparse.Namespace, desk: Desk) -> int:
    if not (args.reason.strip() or args.reason_code):
        raise UsageError("请用 --reason 写明理由或用 --reason-code 选择检定、检验、检测、鉴定")
    case = desk.cases.pause(args.case_no, args.reason, args.at, reason_code=args.reason_code)
    if not case["clock_paused"]:
        sys.stderr.write(f"注意：{case['message']}\n")
    out(args, case, f"{case['case_no']} {case['message']}")
    return EXIT_OK


def _resume(args: argparse.Namespace, desk: Desk) -> int:
    case = desk.cases.resume(args.case_no, args.at)
    out(args, case, f"{case['case_no']} 调解计时已恢复，调解期限 {case['mediation_due']}")
    return EXIT_OK


def _mediate(args: argparse.Namespace, desk: Desk) -> int:
    case = desk.cases.mediate(args.case_no, args.mode, args.participants, args.offer, args.answer,
                              args.note, args.at)
    out(args, case, f"{case['case_no']} 已记录调解")
    return EXIT_OK


def _follow_up(args: argparse.Namespace, desk: Desk) -> int:
    case = desk.cases.follow_up(args.case_no, args.satisfaction, args.note, args.at)
    out(args, case, f"{case['case_no']} 已记录回访：{codes.SATISFACTION[args.satisfaction]}")
    return EXIT_OK


def _reopen(args: argparse.Namespace, desk: Desk) -> int:
    case = desk.cases.reopen(args.case_no, args.reason)
    out(args, case, f"{case['case_no']} 已重新打开，当前为“{codes.STATE[case['state']]}”")
    return EXIT_OK


def _handover(args: argparse.Namespace, desk: Desk) -> int:
    case = desk.cases.hand_over(args.case_no, args.to, args.note)
    out(args, case, f"{case['case_no']} 首问责任人：{case['owner']}")
    return EXIT_OK


def _advance(args: argparse.Namespace, desk: Desk) -> int:
    case = desk.cases.record_advance(args.case_no, args.amount, args.payer, args.recovered_on)
    out(args, case, f"{case['case_no']} 先行赔付 {case['advance_paid']} 元")
    return EXIT_OK


def _merchant_reply(args: argparse.Namespace, desk: Desk) -> int:
    status = desk.merchant_requests.reply(args.case_no, args.text, args.at)
    out(args, {"case_no": args.case_no, "merchant_reply": status},
        f"{args.case_no} 已记录经营者答复（{status['replied_on']}，"
        + ("按期" if status["on_time"] else f"逾期，期限为 {status['due']}") + "）")
    return EXIT_OK


# search, due, lookup

def _search(args: argparse.Namespace, desk: Desk) -> int:
    from app.cases.records import CaseFilter

    desk.cases.audit_personal_search(args.text)  # recorded first: refused past the minute's limit
    out_stream(args, desk.cases.iter_json(CaseFilter(text=args.text), args.limit), "（没有找到）")
    return EXIT_OK


def _due(args: argparse.Namespace, desk: Desk) -> int:
    from app.reports import worklist

    work = desk.worklist.today(args.on)
    lines = [f"今日待办（{work.on.isoformat()}）：共 {work.total()} 件，已逾期 {work.overdue()} 件，临期 {work.soon()} 件"]
    for group, title in codes.WORK_GROUPS.items():
        items, tally = work.group(group), work.tally(group)
        lines.append(f"{title}：{worklist.tally_text(tally)}"
                     + (f"（以下列出最紧急的 {len(items)} 件）" if len(items) < tally.total else ""))
        lines += [f"  {i.case_no}\t{i.consumer}\t{i.phone}\t{i.merchant}\t{worklist.describe(i)}" for i in items]
    out(args, work.as_json(), "\n".join(lines))
    return EXIT_OK


def _lookup(args: argparse.Namespace, desk: Desk) -> int:
    from app.cases.phone_lookup import spoken

    result = desk.cases.lookup(args.case_no, args.code)
    out(args, result, spoken(result))
    return EXIT_OK
