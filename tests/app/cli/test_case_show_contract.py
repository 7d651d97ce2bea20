"""`liaison case show` stays byte-compatible: its JSON and its text, for cases with every section filled.

The expectation is built by the code path `case show` used before its result was typed (CaseService.show
built the dict itself): a copy of that code is kept here as the reference, reading the same database at the
same moment, so timestamps, check codes and working days left agree without being patched.
"""
import json

import pytest

from app.calendar import holiday_arrangements
from app.calendar.deadlines import compute
from app.cases import check_codes, mediation, records
from app.cases.intake import LOCAL_TZ
from app.core import clock, codes
from app.evidence import attachments
from app.merchants import requests, scam_watch
from app.point import settings
from app.storage import crypto
from tests.conftest import complaint
from tests.evidence_files import jpeg, pdf


def reference_show(store, case_no: str) -> dict:
    """CaseService.show as it was before CaseDetail (commit a8ed027)."""
    with store.read() as s:
        case = records.get_case(s, case_no)
        cal = holiday_arrangements.load_calendar(s)
        result = records.case_json(case, full=True)
        result["events"] = [records.event_json(e) for e in case.events]
        result["answer"] = records.answer_of(case)
        result["check_code"] = check_codes.code(crypto.attached(s.get_bind()), case.case_no)
        result["attachments"] = [attachments.attachment_json(a) for a in attachments.for_case(s, case)]
        result["deadlines"] = compute(cal, case.received_day, case.accepted_on).as_json()
        result["deadlines"]["mediation_due"] = result["mediation_due"]
        info = records.due_info(case, cal, clock.today())
        result["deadlines"]["current"] = {"what": info.what, "due": info.due.isoformat() if info.due else None,
                                         "working_days_left": info.working_days_left, "level": info.level,
                                         "kind": info.kind}
        result["deadlines"]["open"] = [{"kind": k, "what": w, "due": d.isoformat()}
                                       for k, w, d in records.open_dues(case)]
        if case.notice_due:
            result["deadlines"]["notice_due"] = case.notice_due.isoformat()
        soon = int(settings.get(s, "deadline.due_soon_working_days"))
        reply = requests.request_of(s, case)
        result["deadlines"]["merchant_reply"] = requests.request_json(reply, cal, clock.today(), soon)
        if reply is not None and reply.replied_on is None:
            result["deadlines"]["open"].append({"kind": "merchant_reply", "what": requests.WHAT,
                                                "due": reply.reply_due.isoformat()})
        result["allowed_moves"] = records.lifecycle.allowed_moves(case.kind, case.state)
        result["scam_warnings"] = scam_watch.warnings(
            s, scam_watch.numbers_in(case.facts, case.merchant.phone if case.merchant else ""), case.brand,
            exclude_case=case.id)
        result["mediation_log"] = [
            {"at": m.at.astimezone(LOCAL_TZ).isoformat(), "mode": m.mode,
             "participants": [p for p in m.participants.split(",") if p], "offer": m.offer, "answer": m.answer,
             "note": m.note, "staff": m.actor} for m in mediation.sessions(s, case)]
        result["pauses"] = [{"reason": p.reason, "reason_code": p.reason_code, "counted": bool(p.reason_code),
                             "from": p.started_on.isoformat(), "to": p.ended_on.isoformat() if p.ended_on else None}
                            for p in mediation.pauses(s, case)]
        result["pause_reasons"] = mediation.pause_reasons(case)
        return result


def reference_text(case: dict) -> str:
    """The text `case show` printed before CaseDetail (app/cli/cases.py at commit a8ed027)."""
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
    return "\n".join(lines).rstrip("\n") + "\n"


def _resolved(desk) -> str:
    """A complaint with everything: mediation sessions, a counted pause (and a reason that is only a note), an outcome with terms,
    remedies and money recovered, an advance payment, a follow-up, attachments, a hand-over, an answered
    request to the merchant and a scam warning."""
    desk.scams.watch("13812345678", "冒充客服退款")
    no = desk.cases.add(complaint(received_at="2026-11-02T09:30:00+08:00",
                                  merchant={"phone": "021-55550000", "address": "测试路1号"},
                                  consumer={"id_number": "110101199003074573", "address": "测试小区2号楼"},
                                  facts="自称客服的 13812345678 来电要求退款到安全账户。"))["case_no"]
    desk.attachments.add(no, [("invoice.pdf", pdf()), ("kettle.jpg", jpeg())], label="invoice", thumbnails=False)
    desk.merchant_requests.notice_pdf(no, at="2026-11-02T10:00:00+08:00")
    desk.merchant_requests.reply(no, "同意退货退款", at="2026-11-05T15:00:00+08:00")
    desk.cases.move(no, "accepted", at="2026-11-03T09:00:00+08:00")
    desk.cases.move(no, "mediating", at="2026-11-03T10:00:00+08:00")
    desk.cases.mediate(no, "on_site", ["consumer", "merchant"], "退货退款", "同意", "双方到场",
                       at="2026-11-04T10:00:00+08:00")
    desk.cases.pause(no, reason="送检测所检测", reason_code="testing", at="2026-11-05T09:00:00+08:00")
    desk.cases.resume(no, at="2026-11-10T09:00:00+08:00")
    desk.cases.pause(no, reason="等待补交材料", at="2026-11-11T09:00:00+08:00")
    desk.cases.mediate(no, "phone", ["merchant"], note="电话确认", at="2026-11-12T10:00:00+08:00")
    desk.cases.record_advance(no, "150.50", "商场", "2026-11-20")
    desk.cases.move(no, "resolved", at="2026-11-13T10:00:00+08:00", terms="退货退款 299 元", remedies=["refund"],
                    amount_recovered="299")
    desk.cases.follow_up(no, "satisfied", "已收到退款", at="2026-11-16T10:00:00+08:00")
    desk.cases.hand_over(no, "李晓", "轮岗")
    desk.cases.add_note(no, "消费者来电致谢")
    return no


def _terminated(desk) -> str:
    """A complaint whose mediation ended: the notice to the parties due, the merchant not yet answering."""
    no = desk.cases.add(complaint(received_at="2026-11-09T14:00:00+08:00", amount_claimed="1200.00",
                                  consumer={"group": "elderly"}))["case_no"]
    desk.merchant_requests.notice_pdf(no, at="2026-11-09T15:00:00+08:00")
    desk.cases.move(no, "accepted", at="2026-11-10T09:00:00+08:00")
    desk.cases.move(no, "terminated", reason_code="absent_or_refused", reason="经营者拒绝调解",
                    at="2026-11-20T09:00:00+08:00")
    return no


def _consultation(desk) -> str:
    no = desk.cases.add({"kind": "consultation", "channel": "phone", "received_at": "2026-11-20T11:00:00+08:00",
                         "consumer": {"name": "赵某", "phone": "13700001111"},
                         "facts": "七日无理由退货包括拆封的耳机吗？"})["case_no"]
    desk.cases.move(no, "closed", reason="耳机拆封后如不影响二次销售可以退货。", at="2026-11-20T11:10:00+08:00")
    return no


def _registered(desk) -> str:
    """Just registered: no purchase date, no amounts."""
    return desk.cases.add(complaint(purchase_date=None, amount_paid="0", amount_claimed="0"))["case_no"]


@pytest.mark.parametrize("make", [_resolved, _terminated, _consultation, _registered])
def test_case_show_json_and_text_are_byte_compatible(desk, store, cli, make):
    no = make(desk)
    expected = reference_show(store, no)
    code, out, err = cli("case", "show", no, "--json")
    assert code == 0, err
    assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    code, out, err = cli("case", "show", no)
    assert code == 0, err
    assert out == reference_text(expected)


def test_the_rich_case_fills_every_section(desk, store):
    shown = reference_show(store, _resolved(desk))
    assert shown["mediation_log"] and len(shown["pauses"]) == 1 and shown["outcome"]["terms"]
    assert shown["follow_up"]["on"] and len(shown["attachments"]) == 2 and shown["scam_warnings"]
    assert shown["deadlines"]["merchant_reply"]["replied_on"] and shown["advance"]["recovered_on"]
    assert shown["consumer"]["id_number"] and shown["merchant"]["phone"]
