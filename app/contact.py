"""Contact with the consumer: the check code printed on the receipt, and what may be said on the phone."""
from __future__ import annotations

import datetime as dt
import hmac
import secrets

from app import codes, lifecycle
from app.cases import due_info
from app.deadlines import WorkCalendar
from app.models import Case
from app.printing.layout import chinese_date

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6: letters and digits a caller cannot confuse when reading them out.
ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"
LENGTH = 6
WRONG = "案件编号或查询码不正确，请核对回执上的编号和查询码（6位）"


def new_check_code() -> str:
    """Random (secrets), so it cannot be worked out from the case number; 24^6 ≈ 1.9 亿 possibilities."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(code: str) -> str:
    return "".join((code or "").split()).upper()


def matches(case: Case, code: str) -> bool:
    return bool(case.check_code) and hmac.compare_digest(case.check_code, normalize(code))


def qr_text(case_no: str, check_code: str) -> str:
    """What the receipt's QR code holds (ASCII, so every phone reads it the same)."""
    return f"CASE:{case_no} CODE:{check_code}"


def _next_step(case: Case) -> str:
    state = case.state
    if state == "registered":
        if case.kind == "consultation":
            return "咨询已登记，工作人员将尽快答复您。"
        if case.kind == "report":
            return "举报已登记，本联络点将移送市场监督管理部门处理。"
        return "本联络点正在审查是否受理，将在受理期限前作出决定并告知您。"
    if state in ("accepted", "mediating"):
        if case.paused_since:
            return (f"调解中；因检验、检测或鉴定，调解计时自{chinese_date(case.paused_since)}起暂停，"
                    "结果出来后继续调解。")
        if state == "accepted":
            return "已受理，工作人员将联系您和经营者安排调解。"
        return "调解中，工作人员正在与经营者协商。"
    if state == "resolved":
        return "调解成功，请按调解协议履行；工作人员将回访了解履行情况。"
    if state in ("failed", "terminated"):
        return ("调解已结束，书面告知书写明了其他解决途径：向市场监督管理部门投诉（12315）、申请仲裁或向人民法院起诉；"
                "工作人员将回访。")
    if state == "not_accepted":
        return "本联络点不予受理，书面告知书写明了理由和其他解决途径（12315、仲裁、人民法院）。"
    if state == "referred":
        return f"已移送{codes.label(codes.REFERRAL_TARGET, case.referred_to) or '有关部门'}处理，请等候其联系。"
    return "已办结。"


def lookup(case: Case, cal: WorkCalendar, today: dt.date) -> dict:
    """State, next step and the deadline that matters now; nothing about the consumer or the merchant."""
    info = due_info(case, cal, today)
    due_text = ""
    if info.due:
        due_text = f"{info.what}：{chinese_date(info.due)}"
    elif info.level == "paused":
        due_text = info.what
    return {
        "case_no": case.case_no,
        "state": case.state,
        "state_label": codes.label(codes.STATE, case.state),
        "open": case.state in lifecycle.OPEN_STATES,
        "next_step": _next_step(case),
        "due": info.due.isoformat() if info.due else None,
        "due_text": due_text,
    }
