"""The case state machine of product.md: which move is allowed from where, and what it needs."""
from __future__ import annotations

from app.core import codes
from app.core.errors import Choices, FieldError

TRANSITIONS: dict[str, frozenset[str]] = {
    "registered": frozenset({"accepted", "not_accepted", "referred", "closed"}),
    "accepted": frozenset({"mediating", "terminated", "referred"}),
    "mediating": frozenset({"resolved", "failed", "terminated", "referred"}),
    "resolved": frozenset({"closed"}),
    "failed": frozenset({"closed"}),
    "terminated": frozenset({"closed"}),
    "not_accepted": frozenset({"closed"}),
    "referred": frozenset({"closed"}),
    "closed": frozenset(),  # reopening is a supervisor's separate action
}
OPEN_STATES = frozenset({"registered", "accepted", "mediating"})
OUTCOME_STATES = frozenset({"resolved", "failed", "terminated", "not_accepted", "referred"})
REASON_REQUIRED = frozenset({"not_accepted", "terminated", "referred"})
# States a case reaches only through 受理 (the reports count it as accepted, whatever came after).
ACCEPTED_STATES = frozenset({"accepted", "mediating", "resolved", "failed", "terminated"})
DECISIONS = frozenset({"accepted", "not_accepted"})


def report_facts(to_state: str, day, facts: dict) -> dict:
    """What the reports count, kept on the case as it moves (so they need no event history): the latest
    outcome, whether it was ever accepted, and the day of its first 受理 / 不予受理 decision.
    `facts` holds the case's values so far (outcome, was_accepted, decided_on); returns them updated."""
    out = dict(facts)
    if to_state in OUTCOME_STATES:
        out["outcome"] = to_state
    if to_state in ACCEPTED_STATES:
        out["was_accepted"] = True
    if to_state in DECISIONS and out.get("decided_on") is None and day is not None:
        out["decided_on"] = day
    return out

# What each kind of case may do straight from registration.
KIND_FROM_REGISTERED = {
    "complaint": frozenset({"accepted", "not_accepted", "referred"}),
    "consultation": frozenset({"closed", "referred"}),  # answered and closed the same day
    "report": frozenset({"referred"}),  # a report is referred
}


def allowed_moves(kind: str, state: str) -> list[str]:
    moves = TRANSITIONS.get(state, frozenset())
    if state == "registered":
        moves = moves & KIND_FROM_REGISTERED.get(kind, moves)
    return [s for s in codes.STATE if s in moves]


def _grounds(grounds) -> Choices:
    """A rule set's grounds as a message lists them: `code（第（一）项 …）` for the command, the text in the window."""
    return Choices({g.code: f"{g.item}{g.text}" for g in grounds.items})


def check_move(kind: str, state: str, to_state: str, reason: str, reason_code: str, rule_set) -> None:
    """Raise a FieldError in Chinese when the move is not allowed or lacks its reason."""
    if to_state not in codes.STATE:
        raise FieldError("state", "没有“{state}”这一状态，可用：{choices}", state=to_state, choices=Choices(codes.STATE))
    allowed = allowed_moves(kind, state)
    if to_state not in allowed:
        options = "、".join(codes.STATE[s] for s in allowed) or "无（已办结，须由负责人重新打开）"
        raise FieldError("state", f"{codes.label(codes.KIND, kind)}案件当前为“{codes.STATE[state]}”，"
                                  f"不能变为“{codes.STATE[to_state]}”；可变为：{options}")
    if to_state in REASON_REQUIRED and not (reason.strip() or reason_code):
        raise FieldError("reason", f"变为“{codes.STATE[to_state]}”须写明理由")
    # The grounds are those of the case's own rule set (resources/rules), not of whichever is newest.
    if to_state == "not_accepted" and reason_code and rule_set.not_accepted.get(reason_code) is None:
        raise FieldError("reason_code", "不予受理理由代码“{code}”不是{rules}所列情形，可用：{grounds}", code=reason_code,
                         rules=rule_set.name, grounds=_grounds(rule_set.not_accepted))
    if to_state == "terminated" and reason_code and rule_set.termination.get(reason_code) is None:
        raise FieldError("reason_code", "终止调解理由代码“{code}”不是{rules}所列情形，可用：{grounds}", code=reason_code,
                         rules=rule_set.name, grounds=_grounds(rule_set.termination))


def check_outcome(to_state: str, terms: str, remedies: list[str], reason_code: str, referred_to: str,
                  rule_set) -> None:
    """What each outcome must carry: the agreement's terms, the Art. 23 ground, the referral's target."""
    if to_state == "resolved":
        if not terms.strip():
            raise FieldError("terms", "调解成功须写明协议内容（如：经营者退款299元，消费者退回商品）")
        for r in remedies:
            if r not in codes.REMEDY:
                raise FieldError("remedy", "处理方式“{remedy}”无效，可用：{choices}", remedy=r,
                                 choices=Choices(codes.REMEDY))
    if to_state == "terminated" and not reason_code:
        raise FieldError("reason_code", "终止调解须选择{article}所列情形之一：{grounds}",
                         article=rule_set.cite(rule_set.termination.article), grounds=_grounds(rule_set.termination))
    if to_state == "referred" and referred_to not in codes.REFERRAL_TARGET:
        raise FieldError("referred_to", "请选择移送对象：council（区消保委）或 samr（市场监督管理部门）")
