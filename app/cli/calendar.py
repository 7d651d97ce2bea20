"""`liaison deadline`, `holidays` and `calc`: statutory deadlines, the holiday calendar, the law's calculators."""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, UsageError, date, open_desk, out, period
from app.core import clock, codes, files
from app.core.errors import FieldError, InputError

if TYPE_CHECKING:
    from app.calendar.calculators import Answer
    from app.cli.common import Subparsers


def add_deadline(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    deadline = sub.add_parser("deadline", parents=[common], help="按收到投诉之日适用的规定计算期限")
    deadline.add_argument("--received", type=date)
    deadline.add_argument("--accepted", type=date)
    deadline.add_argument("--pause", action="append", default=[], type=period, metavar="FROM~TO",
                          help="检定、检验、检测、鉴定期间（如 2026-06-10~2026-06-20），可多次给出")
    deadline.add_argument("--ended", type=date, help="终止调解或调解不成之日：给出告知当事人的期限")
    deadline.set_defaults(func=_deadline)


def add_holidays(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    hol = sub.add_parser("holidays", parents=[common], help="查看某年日历及来源 / 录入国务院放假安排")
    hol.add_argument("what", metavar="YEAR|set", help="年份；或 set 录入")
    hol.add_argument("year", nargs="?", type=int, metavar="YEAR")
    hol.add_argument("--file", help="每行“YYYY-MM-DD 休”或“YYYY-MM-DD 班”（可含上一年12月的调休上班日）")
    hol.add_argument("--source", default="", help="依据，如：国办发明电〔2026〕X号")
    hol.set_defaults(func=_holidays)


def add_calc(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    calc = sub.add_parser("calc", parents=[common], help="法定赔偿、时效、七日无理由退货").add_subparsers(
        dest="calc_command", required=True, metavar="CALC")
    pun = calc.add_parser("punitive", parents=[common], help="消法第五十五条 / 食品安全法第一百四十八条")
    pun.add_argument("--price", required=True)
    pun.add_argument("--food", action="store_true")
    pun.add_argument("--loss")
    pun.set_defaults(func=_punitive)
    lim = calc.add_parser("limitation", parents=[common], help="产品质量法第四十五条")
    lim.add_argument("--known", type=date, required=True, help="知道或者应当知道权益受损的日期")
    lim.add_argument("--delivered", type=date, help="缺陷产品交付最初消费者的日期")
    lim.add_argument("--safe-use-until", type=date)
    lim.add_argument("--today", type=date)
    lim.set_defaults(func=_limitation)
    ret = calc.add_parser("return", parents=[common], help="消法第二十五条 七日无理由退货")
    ret.add_argument("--channel", required=True, choices=list(codes.PURCHASE_CHANNEL))
    ret.add_argument("--received", type=date, required=True, help="收到商品的日期")
    ret.add_argument("--exception", default="")
    ret.add_argument("--today", type=date)
    ret.set_defaults(func=_no_reason_return)


def _deadline(args: argparse.Namespace) -> int:
    _check_deadline_dates(args)
    received = args.received or args.accepted
    desk = open_desk(args, sign_in=False)
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
    out(args, result, "\n".join(text))
    return EXIT_OK


def _check_deadline_dates(args: argparse.Namespace) -> None:
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


def _holidays(args: argparse.Namespace) -> int:
    if args.what == "set":
        return _holidays_set(args)
    if not args.what.isdigit() or args.year is not None:
        raise UsageError("用法：liaison holidays YEAR 或 liaison holidays set YEAR --file F")
    year = int(args.what)
    if not 1990 <= year <= 2100:
        raise InputError([FieldError("year", "年份应在1990至2100之间")])
    view = open_desk(args).calendar.year_view(year)
    if view.origin == "statutory":
        sys.stderr.write(f"注意：{year}年的调休上班日尚未公布或尚未录入，以下只有法定节假日及依法补休。\n")
    out(args, view.as_json(), "\n".join([f"{year}年：{view.origin_text}" + (f"（{view.source}）" if view.source else ""),
                                         *view.lines()]))
    return EXIT_OK


ARRANGEMENT_BYTES = 64 * 1024  # a year's arrangement is a few hundred bytes


def _holidays_set(args: argparse.Namespace) -> int:
    if args.year is None or not args.file:
        raise UsageError("用法：liaison holidays set YEAR --file F")
    try:
        text = files.read_limited(args.file, ARRANGEMENT_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([FieldError("file", f"{args.file} 不是 UTF-8 文本")]) from None
    changed = open_desk(args).calendar.import_year(args.year, text, args.source)
    view = open_desk(args).calendar.year_view(args.year)
    out(args, {"year": args.year, "saved": True, "cases_updated": changed, **view.as_json()},
        f"已录入{args.year}年放假安排（{len(view.rest)}天休、{len(view.workdays)}天班），"
        f"{changed} 件在办案件的期限已随之更新")
    return EXIT_OK


def _punitive(args: argparse.Namespace) -> int:
    from app.calendar import calculators
    from app.core import validation

    price = validation.money(args.price, "price", "价款")
    loss = validation.money(args.loss, "loss", "损失") if args.loss else None
    return _answer(args, calculators.punitive(price, args.food, loss))


def _limitation(args: argparse.Namespace) -> int:
    from app.calendar import calculators

    today = args.today or clock.today()
    cal = open_desk(args).calendar.current()
    return _answer(args, calculators.limitation(args.known, args.delivered, today, cal, args.safe_use_until))


def _no_reason_return(args: argparse.Namespace) -> int:
    from app.calendar import calculators

    today = args.today or clock.today()
    return _answer(args, calculators.no_reason_return(args.channel, args.received, today, args.exception))


def _answer(args: argparse.Namespace, answer: Answer) -> int:
    """A calculator's answer: its result, the steps, and the articles to read to the consumer."""
    data = answer.as_json()
    for w in data.get("warnings", []):
        sys.stderr.write(f"注意：{w}\n")
    text = [data["result"], *[f"  {s}" for s in data["steps"]]]
    text += [f"依据：{a['law']}{a['article']}：{a['text']}" for a in data["articles"]]
    out(args, data, "\n".join(text))
    return EXIT_OK
