"""The monthly summary (月度汇总) and hot issues: figures for the council and the supervisor.

Rules (also printed as the report's footnote):
- A case belongs to the period that contains its day of receipt. The period for "YYYY-MM" is the
  calendar month, or, when the setting report.month_start_day is D > 1, from day D of the previous
  month to day D-1 of this month.
- Complaint figures count cases of kind complaint; outcomes are each case's latest outcome
  (调解成功, 调解不成, 终止调解, 不予受理, 移送), whether or not it has been closed since; a case with none is open.
- Acceptance on time: the decision (受理 or 不予受理) was made on or before the acceptance due date.
  Mediation on time: the outcome (成功, 不成, 终止) came on or before the mediation due date.
- 调解成功率 = 调解成功 / (调解成功 + 调解不成 + 终止调解).
- A small claim was handled the same day when its outcome date equals its day of receipt.
- Hot issue: at least N complaints (setting hot.threshold, default 3) within the 30 days ending on the
  period's last day (today, for the running month) about the same merchant, product, brand, or the same nature within a category.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock, codes, settings
from app.errors import FieldError
from app.models import Case, Event, Merchant

OUTCOMES = ("resolved", "failed", "terminated", "not_accepted", "referred")
RULES = __doc__.split("Rules (also printed as the report's footnote):\n", 1)[1].strip()


def period(month: str, start_day: int = 1) -> tuple[dt.date, dt.date]:
    try:
        year, mon = (int(x) for x in month.split("-"))
        first = dt.date(year, mon, 1)
    except ValueError:
        raise FieldError("month", f"“{month}”不是月份，请写成 2026-11") from None
    if start_day <= 1:
        nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    prev = dt.date(year - (mon == 1), (mon - 2) % 12 + 1, 1)
    return prev.replace(day=min(start_day, 28)), first.replace(day=min(start_day, 28)) - dt.timedelta(days=1)


def shift(month: str, months: int) -> str:
    year, mon = (int(x) for x in month.split("-"))
    index = year * 12 + mon - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class CaseRow:
    id: int
    kind: str
    channel: str
    category: str
    nature: str
    merchant: str
    product: str
    brand: str
    received: dt.date
    acceptance_due: dt.date | None
    mediation_due: dt.date | None
    outcome_on: dt.date | None
    recovered: Decimal
    advanced: Decimal
    fast_track: bool
    satisfaction: str
    case_no: str
    outcome: str = "open"
    decided_on: dt.date | None = None
    states: set | None = None  # every state the case passed through


def _rows(session: Session, start: dt.date, end: dt.date) -> list[CaseRow]:
    q = (select(Case.id, Case.kind, Case.channel, Case.category, Case.nature, Merchant.name, Case.product, Case.brand,
                Case.received_day, Case.acceptance_due, Case.mediation_due, Case.outcome_on, Case.amount_recovered,
                Case.advance_paid, Case.fast_track, Case.satisfaction, Case.case_no)
         .outerjoin(Merchant, Case.merchant_id == Merchant.id)
         .where(Case.received_day >= start, Case.received_day <= end))
    rows = {r[0]: CaseRow(*[x if x is not None else "" for x in r[:6]], r[6], r[7], r[8], r[9], r[10], r[11],
                          r[12] or Decimal(0), r[13] or Decimal(0), bool(r[14]), r[15], r[16])
            for r in session.execute(q)}
    ids = list(rows)
    for chunk in range(0, len(ids), 900):
        events = session.execute(select(Event.case_id, Event.to_state, Event.at).where(
            Event.case_id.in_(ids[chunk:chunk + 900]), Event.action.in_(("move", "import"))).order_by(Event.id))
        for case_id, state, at in events:
            row = rows[case_id]
            row.states = (row.states or set()) | {state}
            if state in OUTCOMES:
                row.outcome = state
            if state in ("accepted", "not_accepted") and row.decided_on is None:
                from app.intake import LOCAL_TZ

                row.decided_on = at.astimezone(LOCAL_TZ).date()
    return list(rows.values())


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _class_table(now: Counter, before: Counter, table: dict[str, str]) -> list[dict]:
    """The layout consumer associations publish: 本期件数, 比重%, 上年同期件数, 比重%, 比重变化."""
    total_now, total_before = sum(now.values()), sum(before.values())
    out = []
    for code, label in table.items():
        share_now, share_before = _pct(now[code], total_now), _pct(before[code], total_before)
        out.append({"code": code, "label": label, "count": now[code], "share": share_now,
                    "count_last_year": before[code], "share_last_year": share_before,
                    "share_change": round((share_now or 0) - (share_before or 0), 1)})
    return out


def hot_issues(rows: list[CaseRow], end: dt.date, threshold: int) -> list[dict]:
    since = end - dt.timedelta(days=29)
    recent = [r for r in rows if r.kind == "complaint" and since <= r.received <= end]
    keys = {
        "merchant": lambda r: r.merchant,
        "product": lambda r: r.product,
        "brand": lambda r: r.brand,
        "nature": lambda r: f"{codes.label(codes.CATEGORY, r.category)}·{codes.label(codes.NATURE, r.nature)}"
        if r.category and r.nature else "",
    }
    labels = {"merchant": "同一经营者", "product": "同一商品或服务", "brand": "同一品牌", "nature": "同类问题"}
    out = []
    for kind, key in keys.items():
        groups: dict[str, list[CaseRow]] = {}
        for r in recent:
            if key(r):
                groups.setdefault(key(r), []).append(r)
        for value, members in groups.items():
            if len(members) >= threshold:
                out.append({"kind": kind, "label": labels[kind], "value": value, "count": len(members),
                            "case_nos": sorted(m.case_no for m in members)})
    return sorted(out, key=lambda h: (-h["count"], h["kind"], h["value"]))


def _figures(rows: list[CaseRow]) -> dict:
    complaints = [r for r in rows if r.kind == "complaint"]
    outcome = Counter(r.outcome for r in complaints)
    decided = [r for r in complaints if r.decided_on and r.acceptance_due]
    mediated = [r for r in complaints if r.outcome in ("resolved", "failed", "terminated") and r.mediation_due
                and r.outcome_on]
    with_outcome = [r for r in complaints if r.outcome_on]
    fast = [r for r in complaints if r.fast_track]
    ended = outcome["resolved"] + outcome["failed"] + outcome["terminated"]
    return {
        "received": len(rows),
        "by_kind": {k: sum(1 for r in rows if r.kind == k) for k in codes.KIND},
        "by_channel": {k: sum(1 for r in rows if r.channel == k) for k in codes.CHANNEL},
        "complaints": len(complaints),
        "accepted": sum(1 for r in complaints
                        if "accepted" in (r.states or ()) or r.outcome in ("resolved", "failed", "terminated")),
        "not_accepted": outcome["not_accepted"],
        "outcomes": {k: outcome[k] for k in ("resolved", "failed", "terminated", "referred")} | {"open": outcome["open"]},
        "resolution_rate": _pct(outcome["resolved"], ended),
        "recovered": f"{sum((r.recovered for r in complaints), Decimal(0)):.2f}",
        "advanced": f"{sum((r.advanced for r in complaints), Decimal(0)):.2f}",
        "fast_track": len(fast),
        "fast_track_same_day": _pct(sum(1 for r in fast if r.outcome_on == r.received), len(fast)),
        "acceptance_on_time": _pct(sum(1 for r in decided if r.decided_on <= r.acceptance_due), len(decided)),
        "mediation_on_time": _pct(sum(1 for r in mediated if r.outcome_on <= r.mediation_due), len(mediated)),
        "average_days_to_outcome": round(sum((r.outcome_on - r.received).days for r in with_outcome)
                                         / len(with_outcome), 1) if with_outcome else None,
        "satisfaction": {k: sum(1 for r in complaints if r.satisfaction == k) for k in codes.SATISFACTION},
    }


def monthly(session: Session, month: str) -> dict:
    start_day = int(settings.get(session, "report.month_start_day"))
    threshold = int(settings.get(session, "hot.threshold"))
    start, end = period(month, start_day)
    rows = _rows(session, start, end)
    prev_rows = _rows(session, *period(shift(month, -1), start_day))
    year_rows = _rows(session, *period(shift(month, -12), start_day))
    now, prev, last_year = _figures(rows), _figures(prev_rows), _figures(year_rows)
    complaints = [r for r in rows if r.kind == "complaint"]
    year_complaints = [r for r in year_rows if r.kind == "complaint"]
    trend = []
    for k in range(11, -1, -1):
        m = shift(month, -k)
        s, e = period(m, start_day)
        trend.append({"month": m, "complaints": session.scalar(select(func.count(Case.id)).where(
            Case.kind == "complaint", Case.received_day >= s, Case.received_day <= e)) or 0})
    merchants_top = Counter(r.merchant for r in complaints if r.merchant).most_common(10)

    hot_end = min(end, clock.today())  # for the running month: the 30 days up to today
    hot_rows = _rows(session, hot_end - dt.timedelta(days=29), hot_end)
    return {
        "month": month, "from": start.isoformat(), "to": end.isoformat(),
        **now,
        "previous_month": {"month": shift(month, -1), **prev},
        "same_month_last_year": {"month": shift(month, -12), **last_year},
        "change_vs_previous_month": _pct(now["complaints"] - prev["complaints"], prev["complaints"]),
        "change_vs_last_year": _pct(now["complaints"] - last_year["complaints"], last_year["complaints"]),
        "by_category": _class_table(Counter(r.category for r in complaints),
                                    Counter(r.category for r in year_complaints), codes.CATEGORY),
        "by_nature": _class_table(Counter(r.nature for r in complaints), Counter(r.nature for r in year_complaints),
                                  codes.NATURE),
        "top_merchants": [{"merchant": m, "complaints": n} for m, n in merchants_top],
        "hot_issues": hot_issues(hot_rows, hot_end, threshold),
        "trend": trend,
        "rules": RULES,
    }


def hot_now(session: Session, today: dt.date) -> list[dict]:
    threshold = int(settings.get(session, "hot.threshold"))
    return hot_issues(_rows(session, today - dt.timedelta(days=29), today), today, threshold)
