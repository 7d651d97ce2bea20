"""A merchant's credit level, derived from its complaints, their outcomes and its conduct.

Seed 001 ch. 4.3: the level follows complaints and feedback; ch. 5.4: low levels lead to
warning, rectification within a time limit, delisting. The rule, over the last 365 days:

    score = 100
            - 2  for every complaint accepted against it (not counting 不予受理)
            - 5  more for every one that failed (调解不成)
            - 8  more for every one terminated because it stayed away, refused, or said no
                 agreement is possible (Art. 23 (2)/(3))
            - 10 more for every one referred to 市场监管
            - 5  for every product delisted (不合格商品退市)
            - 3  for every request to answer a complaint (告知经营者) not answered by its
                 deadline (answered late, or no answer once the deadline passed; one still
                 within its deadline counts neither way, see app/merchants/requests.py)
            + 2  for every commitment on file (at most +6)
    capped at 100.   A ≥ 90 诚信, B ≥ 75 良好, C ≥ 60 警示, D < 60 重点关注.
The response rate (答复率 = answered on time / requests that count) is shown beside the level.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.merchants.requests import ReplyRecord, response

WINDOW_DAYS = 365
REFUSAL_GROUNDS = frozenset({"absent_or_refused", "no_agreement_possible"})
LEVELS = [(90, "A", "诚信", ""), (75, "B", "良好", ""), (60, "C", "警示", "约谈经营者，限期整改"),
          (-10**9, "D", "重点关注", "限期整改，问题商品下架，向市场监管部门通报")]


@dataclass(frozen=True)
class CaseFacts:
    received: dt.date
    state: str
    ground_code: str
    referred_to: str
    history: frozenset[str]  # states the case passed through


@dataclass(frozen=True)
class CreditLevel:
    score: int
    level: str
    label: str
    action: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ComplaintCounts:
    """A merchant's complaints of the last 365 days as the rule counts them (counted in SQL for the registry)."""

    recent: int  # accepted against it (not 不予受理)
    failed: int
    refused: int
    referred: int


def counts(cases: list[CaseFacts], today: dt.date) -> ComplaintCounts:
    since = today - dt.timedelta(days=WINDOW_DAYS)
    recent = [c for c in cases if c.received >= since and "not_accepted" not in c.history]
    return ComplaintCounts(
        len(recent), sum(1 for c in recent if "failed" in c.history),
        sum(1 for c in recent if "terminated" in c.history and c.ground_code in REFUSAL_GROUNDS),
        sum(1 for c in recent if "referred" in c.history and c.referred_to == "samr"))


def credit_level(cases: list[CaseFacts] | ComplaintCounts, delistings: list[dt.date], commitments: int,
                 today: dt.date, requests: list[ReplyRecord] = ()) -> CreditLevel:  # type: ignore[assignment]
    since = today - dt.timedelta(days=WINDOW_DAYS)
    score, reasons = 100, []
    c = cases if isinstance(cases, ComplaintCounts) else counts(cases, today)
    if c.recent:
        score -= 2 * c.recent
        reasons.append(f"近一年被投诉 {c.recent} 件（-{2 * c.recent}）")
    failed, refused, referred = c.failed, c.refused, c.referred
    for n, points, text in ((failed, 5, "调解不成"), (refused, 8, "拒绝或不参加调解"), (referred, 10, "移送市场监管")):
        if n:
            score -= points * n
            reasons.append(f"{text} {n} 件（-{points * n}）")
    recent_delist = sum(1 for d in delistings if d >= since)
    if recent_delist:
        score -= 5 * recent_delist
        reasons.append(f"不合格商品退市 {recent_delist} 次（-{5 * recent_delist}）")
    on_time, asked = response([r for r in requests if r.asked_on >= since], today)
    if asked - on_time:
        score -= 3 * (asked - on_time)
        reasons.append(f"未按期答复投诉 {asked - on_time} 件（-{3 * (asked - on_time)}）")
    bonus = min(6, 2 * commitments)
    if bonus:
        score += bonus
        reasons.append(f"已签承诺 {commitments} 项（+{bonus}）")
    score = min(100, score)
    for floor, level, label, action in LEVELS:
        if score >= floor:
            return CreditLevel(score, level, label, action, tuple(reasons))
    raise AssertionError("unreachable")
