"""电话查询: what a consumer who calls may hear about their case once they read out the check code from
the receipt — the state, the next step and its date; never personal data. Every look-up is audited; five
wrong codes for a case in 15 minutes stop look-ups of it for 15 minutes (the code cannot be guessed)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.calendar.deadlines import WorkCalendar
from app.cases import check_codes, records
from app.core import clock, codes
from app.core.errors import FieldError
from app.staff import audit
from app.storage import crypto
from app.storage.models import AuditEntry, Case

TRIES = 5
PAUSE = dt.timedelta(minutes=15)

NEXT_STEP = {
    "registered": "联络点正在审查，将在期限内作出是否受理的决定并告知",
    "accepted": "已受理，联络点正在联系经营者，安排调解",
    "mediating": "调解进行中，联络点将在调解期限内组织双方协商",
    "resolved": "调解成功，按调解协议履行；联络点将回访",
    "failed": "调解不成，联络点已（将）书面告知；可依法向有关部门申诉、申请仲裁或向人民法院起诉",
    "terminated": "调解已终止，联络点已（将）书面告知终止理由；可依法通过其他途径解决",
    "not_accepted": "不予受理，告知书中载明了理由和其他解决途径",
    "referred": "已移送有关部门处理，请留意其联系",
    "closed": "已办结",
}


class WrongCode(FieldError):
    """The code read out is not the case's: recorded (in its own transaction) by the caller."""

    def __init__(self, case_no: str):
        super().__init__("code", "查询码不正确：请来电人核对回执上案件编号后面的 6 位查询码")
        self.case_no = case_no


def record_refusal(session: Session, case_no: str) -> None:
    audit.record(session, "lookup_refused", case_no, "查询码不符")


def lookup(session: Session, case_no: str, typed_code: str, cal: WorkCalendar) -> dict:
    case_no = (case_no or "").strip()
    if not case_no:
        raise FieldError("case_no", "请填写回执上的案件编号")
    if not check_codes.normal(typed_code or ""):
        raise FieldError("code", "请填写回执上的 6 位查询码")
    case = session.scalar(select(Case).where(Case.case_no == case_no))
    if case is None:
        raise FieldError("case_no", f"没有编号为“{case_no}”的案件，请核对回执上的案件编号")
    since = clock.utcnow() - PAUSE
    wrong = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "lookup_refused", AuditEntry.case_no == case_no, AuditEntry.at >= since)) or 0
    if wrong >= TRIES:
        raise FieldError("code", f"该案件的查询码 15 分钟内已输错 {TRIES} 次，请 15 分钟后再查，或请来电人持回执到联络点")
    if not check_codes.matches(crypto.attached(session.get_bind()), case.case_no, typed_code):
        raise WrongCode(case.case_no)
    info = records.due_info(case, cal, clock.today())
    step = NEXT_STEP.get(case.state, "")
    if case.kind == "consultation":
        step = "咨询已答复" if case.state == "closed" else "咨询已登记，联络点将答复"
    if case.state == "referred" and case.referred_to:
        step = f"已移送{codes.label(codes.REFERRAL_TARGET, case.referred_to)}处理，请留意其联系"
    if case.state == "mediating" and case.paused_since:
        step = f"调解计时自 {case.paused_since.isoformat()} 起暂停（如等待鉴定），恢复后期限顺延"
    audit.record(session, "lookup", case.case_no, "电话查询（查询码相符）")
    return {
        "case_no": case.case_no,
        "kind": case.kind,
        "kind_label": codes.label(codes.KIND, case.kind),
        "received_on": case.received_day.isoformat(),
        "state": case.state,
        "state_label": codes.label(codes.STATE, case.state),
        "next_step": step,
        "due": info.due.isoformat() if info.due else None,
        "due_what": info.what if info.due else "",
    }


def spoken(result: dict) -> str:
    """The answer as the clerk reads it out."""
    lines = [f"案件 {result['case_no']}（{result['kind_label']}，{result['received_on']} 登记）",
             f"目前状态：{result['state_label']}", f"下一步：{result['next_step']}"]
    if result["due"]:
        lines.append(f"{result['due_what']}：{result['due']} 前")
    return "\n".join(lines)
