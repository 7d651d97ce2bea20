"""告知经营者: asking a merchant to answer a complaint by a date, its answer, and its response rate.

Rules (also printed on the disclosure poster and used by the credit level):
- The reply deadline is N working days after the day the notice was first printed (setting
  merchant.reply_working_days, default 10, the practice of the 12315 platform's ODR). Printing
  the notice again keeps the first date and deadline.
- A request counts once it was answered or its deadline has passed; one still within its deadline
  and unanswered is pending and counts neither way.
- 答复率 (response rate) = requests answered on or before the deadline / requests that count.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar.deadlines import WorkCalendar
from app.core import clock
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError
from app.storage.models import Case, Event, MerchantRequest

RULES = __doc__.split("Rules (also printed on the disclosure poster and used by the credit level):\n", 1)[1].strip()
ASKABLE_STATES = ("registered", "accepted", "mediating")
REPLY_MAX_CHARS = 4000
WHAT = "经营者答复期限"  # how the deadline is named in lists, like 受理期限 or 回访期限


@dataclass(frozen=True)
class ReplyRecord:
    """What the credit level and the poster need of one request."""

    asked_on: dt.date
    due: dt.date
    replied_on: dt.date | None

    def counts(self, today: dt.date) -> bool:
        return self.replied_on is not None or today > self.due

    def on_time(self) -> bool:
        return self.replied_on is not None and self.replied_on <= self.due


def response(records: list[ReplyRecord], today: dt.date) -> tuple[int, int]:
    """(answered on time, requests that count) as the rule above says."""
    counted = [r for r in records if r.counts(today)]
    return sum(1 for r in counted if r.on_time()), len(counted)


def rate(on_time: int, asked: int) -> float | None:
    return round(100 * on_time / asked, 1) if asked else None


def _event(session: Session, case: Case, at: dt.datetime, actor: str, action: str, note: str) -> None:
    session.add(Event(case_id=case.id, at=at, actor=actor, action=action, from_state=case.state,
                      to_state=case.state, note=note))


def request_of(session: Session, case: Case) -> MerchantRequest | None:
    return session.get(MerchantRequest, case.id)


def ask(session: Session, case: Case, cal: WorkCalendar, working_days: int, now: dt.datetime,
        actor: str) -> MerchantRequest:
    """Record that the merchant was asked (the first print); a reprint keeps the first deadline."""
    existing = request_of(session, case)
    if existing is not None:
        return existing
    if case.kind != "complaint":
        raise FieldError("kind", "只有投诉案件才能告知经营者答复")
    if case.merchant is None:
        raise FieldError("merchant.name", "该案件没有登记被投诉经营者，无法告知经营者")
    if case.state not in ASKABLE_STATES:
        raise FieldError("state", "案件已有处理结果，不再告知经营者答复")
    day = now.astimezone(LOCAL_TZ).date()
    if day < case.received_day:
        raise FieldError("at", "告知经营者的日期不能早于收到投诉的日期")
    if day > clock.today():
        raise FieldError("at", "告知经营者的日期不能晚于今天")
    req = MerchantRequest(case_id=case.id, asked_at=now, asked_on=day,
                          reply_due=cal.add_working_days(day, working_days), actor=actor)
    session.add(req)
    _event(session, case, now, actor, "merchant_request", f"告知经营者，请于{req.reply_due.isoformat()}前答复")
    session.flush()
    return req


def record_reply(session: Session, case: Case, text: str, at: dt.datetime, actor: str) -> MerchantRequest:
    text = (text or "").strip()
    if not text:
        raise FieldError("merchant_reply", "请填写经营者的答复内容")
    if len(text) > REPLY_MAX_CHARS:
        raise FieldError("merchant_reply", f"答复内容最多 {REPLY_MAX_CHARS} 字")
    req = request_of(session, case)
    if req is None:
        raise FieldError("merchant_reply", "尚未告知经营者（请先打印“告知经营者”），无法记录答复")
    day = at.astimezone(LOCAL_TZ).date()
    if day < req.asked_on:
        raise FieldError("at", "答复日期不能早于告知经营者的日期")
    if day > clock.today():
        raise FieldError("at", "答复日期不能晚于今天")
    req.replied_on, req.reply = day, text
    late = "" if day <= req.reply_due else "（逾期答复）"
    _event(session, case, at, actor, "merchant_reply", f"经营者答复{late}：{text}")
    session.flush()
    return req


@dataclass(frozen=True)
class ReplyStatus:
    """A case's request to the merchant: asked, due, and the answer or how close its deadline is."""

    asked_on: dt.date
    due: dt.date
    replied_on: dt.date | None
    reply: str
    on_time: bool | None  # None while unanswered
    level: str  # done | overdue | soon | ok
    working_days_left: int | None  # None once answered

    def as_json(self) -> dict:
        return {"asked_on": self.asked_on.isoformat(), "due": self.due.isoformat(),
                "replied_on": self.replied_on.isoformat() if self.replied_on else None, "reply": self.reply,
                "on_time": self.on_time, "level": self.level, "working_days_left": self.working_days_left}


def reply_status(req: MerchantRequest | None, cal: WorkCalendar, today: dt.date, soon: int = 2) -> ReplyStatus | None:
    """The request as `case show` lists it under deadlines.merchant_reply (None: the merchant was not asked)."""
    if req is None:
        return None
    if req.replied_on:
        on_time = ReplyRecord(req.asked_on, req.reply_due, req.replied_on).on_time()
        return ReplyStatus(req.asked_on, req.reply_due, req.replied_on, req.reply, on_time, "done", None)
    left = cal.working_days_between(today, req.reply_due)
    level = "overdue" if req.reply_due < today else ("soon" if left <= soon else "ok")
    return ReplyStatus(req.asked_on, req.reply_due, None, req.reply, None, level, left)


def request_json(req: MerchantRequest | None, cal: WorkCalendar, today: dt.date, soon: int = 2) -> dict | None:
    """The request as `case show` lists it under deadlines.merchant_reply."""
    status = reply_status(req, cal, today, soon)
    return status.as_json() if status else None


def due_between(session: Session, until: dt.date) -> list[tuple[Case, MerchantRequest]]:
    """Unanswered requests due on or before `until` (overdue ones included), for the day's work list."""
    rows = session.execute(select(Case, MerchantRequest).join(MerchantRequest, MerchantRequest.case_id == Case.id)
                           .where(MerchantRequest.replied_on.is_(None), MerchantRequest.reply_due <= until)
                           .order_by(MerchantRequest.reply_due, Case.id))
    return [(c, r) for c, r in rows.unique()]


def records_by_merchant(session: Session, merchant_ids: list[int] | None = None,
                        received_from: dt.date | None = None,
                        received_to: dt.date | None = None) -> dict[int, list[ReplyRecord]]:
    """Every request, grouped by the case's merchant, optionally for cases received in a period."""
    q = select(Case.merchant_id, MerchantRequest.asked_on, MerchantRequest.reply_due, MerchantRequest.replied_on
               ).join(MerchantRequest, MerchantRequest.case_id == Case.id).where(Case.merchant_id.is_not(None))
    if merchant_ids is not None:
        q = q.where(Case.merchant_id.in_(merchant_ids))
    if received_from is not None:
        q = q.where(Case.received_day >= received_from)
    if received_to is not None:
        q = q.where(Case.received_day <= received_to)
    out: dict[int, list[ReplyRecord]] = {}
    for mid, asked, due, replied in session.execute(q):
        assert mid is not None  # the query keeps only cases with a merchant
        out.setdefault(mid, []).append(ReplyRecord(asked, due, replied))
    return out
