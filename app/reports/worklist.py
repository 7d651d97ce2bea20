"""The day's work list (今日待办): decisions, mediations, notices, follow-up visits, consultations, merchant replies due."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import and_, false, select, union
from sqlalchemy.orm import Session

from app.calendar.deadlines import WorkCalendar
from app.cases import lifecycle
from app.core import codes
from app.core.privacy import mask_name, mask_phone
from app.merchants import requests
from app.storage.models import Case, Consumer, Merchant, MerchantRequest

# "Due soon" (临期): within this many working days, as the case list colours it.
SOON_WORKING_DAYS = 2
# The end of mediation is told to the parties in writing by the case's notice_due (app/calendar/due_dates.py).
NOTICE_STATES = ("failed", "terminated")


@dataclass(frozen=True)
class WorkItem:
    group: str
    case_no: str
    kind: str
    state: str
    due: dt.date | None
    level: str  # overdue | soon | ok | none
    working_days_left: int | None
    what: str
    consumer: str  # masked
    phone: str  # masked: the clerk calls from the opened case
    merchant: str
    product: str

    def as_json(self) -> dict:
        d = asdict(self)
        d["due"] = self.due.isoformat() if self.due else None
        return d


@dataclass(frozen=True)
class Worklist:
    on: dt.date
    items: list[WorkItem]

    def group(self, name: str) -> list[WorkItem]:
        return [i for i in self.items if i.group == name]

    def counts(self) -> dict[str, int]:
        return {name: len(self.group(name)) for name in codes.WORK_GROUPS}

    def overdue(self) -> int:
        return sum(1 for i in self.items if i.level == "overdue")

    def as_json(self) -> dict:
        return {"on": self.on.isoformat(), "counts": self.counts(), "overdue": self.overdue(),
                "items": [i.as_json() for i in self.items]}


def soon_until(cal: WorkCalendar, today: dt.date) -> dt.date:
    return cal.add_working_days(today, SOON_WORKING_DAYS)


def _decision():
    return and_(Case.kind == "complaint", Case.state == "registered", Case.acceptance_due.is_not(None))


def _mediation():
    return and_(Case.state.in_(("accepted", "mediating")), Case.paused_since.is_(None),
                Case.mediation_due.is_not(None))


def _follow_up():
    return and_(Case.state.in_(tuple(lifecycle.OUTCOME_STATES)), Case.follow_up_due.is_not(None),
                Case.follow_up_on.is_(None), Case.kind != "consultation")


def _notice():
    # The state is tested as `state || ''`, which no index serves, so the partial index of unsent notices
    # (migration 0017) is the one used: empty, it has no statistics, and SQLite chose a state index over it
    # and read the 94k failed and terminated cases of a 1M database (0.3 s) to find none.
    return and_((Case.state + "").in_(NOTICE_STATES), Case.notice_due.is_not(None), Case.notice_sent_on.is_(None))


def _consultation():
    return and_(Case.kind == "consultation", Case.state == "registered")


def _due_branches(test) -> list:
    """The deadline that applies now (as cases.due_info picks it) passes `test`: one condition per deadline."""
    return [and_(_decision(), test(Case.acceptance_due)),
            and_(_mediation(), test(Case.mediation_due)),
            and_(_notice(), test(Case.notice_due)),
            and_(_follow_up(), test(Case.follow_up_due))]


def _branches(name: str, today: dt.date, soon: dt.date) -> list:
    """A work filter's conditions: for 逾期 / 临期 one per deadline (the filter is their OR), else one."""
    if name == "overdue":
        return _due_branches(lambda col: col < today)
    if name == "soon":
        return _due_branches(lambda col: and_(col >= today, col <= soon))
    return [_condition(name, today, soon)]


def list_condition(name: str, today: dt.date, soon: dt.date):
    """The SQL condition of a filter value of codes.WORK_FILTERS (app.cases.CaseFilter.due). 在办 (most cases) stays a plain condition, met at once walking the
    sort's index; the others hold few cases: `id IN` one SELECT per deadline, each through its own index, so
    the database finds them first and sorts them (walking the sort index for them read every case when none
    matched: 2.8 s for 逾期 at 1M cases)."""
    if name == "open":
        return _condition(name, today, soon)
    return Case.id.in_(due_ids(name, today, soon))


def due_ids(name: str, today: dt.date, soon: dt.date):
    """SELECT of the ids of the cases under a work filter (a UNION of indexed SELECTs; as one OR the planner
    read the whole table)."""
    selects = [select(Case.id).where(branch) for branch in _branches(name, today, soon)]
    return selects[0] if len(selects) == 1 else union(*selects)


def _condition(name: str, today: dt.date, soon: dt.date):
    """The condition of 在办 or of one group of the work list."""
    if name == "open":
        return Case.state != "closed"
    if name == "decision":
        return and_(_decision(), Case.acceptance_due <= soon)
    if name == "mediation":
        return and_(_mediation(), Case.mediation_due <= soon)
    if name == "follow_up":
        return and_(_follow_up(), Case.follow_up_due <= soon)
    if name == "notice":
        return _notice()
    if name == "consultation":
        return _consultation()
    if name == "merchant_reply":  # 告知经营者: an unanswered request due by then (app/merchants/requests.py)
        return Case.id.in_(select(MerchantRequest.case_id).where(MerchantRequest.replied_on.is_(None),
                                                                MerchantRequest.reply_due <= soon))
    return false()


def _item(group: str, case: Case, due: dt.date | None, what: str, cal: WorkCalendar, today: dt.date,
          soon: dt.date) -> WorkItem:
    if due is None:
        level, left = "none", None
    else:
        left = cal.working_days_between(today, due)
        level = "overdue" if due < today else ("soon" if due <= soon else "ok")
    return WorkItem(group=group, case_no=case.case_no, kind=case.kind, state=case.state, due=due, level=level,
                    working_days_left=left, what=what, consumer=mask_name(case.consumer.name),
                    phone=mask_phone(case.consumer.phone), merchant=case.merchant.name if case.merchant else "",
                    product=case.product)


def build(session: Session, cal: WorkCalendar, today: dt.date) -> Worklist:
    """Everything due on `today`: overdue first, then by due date, group by group."""
    soon = soon_until(cal, today)
    # One SELECT per group, each through its own index, joined by UNION (as one OR the planner read the whole
    # table: 3 s at 1M cases).
    due = union(*(due_ids(g, today, soon) for g in codes.WORK_GROUPS if g != "merchant_reply"))
    query = (select(Case).join(Consumer, Case.consumer_id == Consumer.id)
             .outerjoin(Merchant, Case.merchant_id == Merchant.id)
             .where(Case.id.in_(due))
             .order_by(Case.received_at))
    items: list[WorkItem] = []
    for case in session.scalars(query).unique():
        if case.kind == "consultation" and case.state == "registered":
            items.append(_item("consultation", case, case.received_day, "当场答复并办结", cal, today, soon))
        elif case.state == "registered" and case.acceptance_due:
            items.append(_item("decision", case, case.acceptance_due, "作出受理或不予受理决定", cal, today, soon))
        elif case.state in ("accepted", "mediating"):
            what = "组织调解" if case.state == "accepted" else "调解期满前达成协议或终止调解"
            items.append(_item("mediation", case, case.mediation_due, what, cal, today, soon))
        else:
            if case.state in NOTICE_STATES and case.notice_due and not case.notice_sent_on:
                title = "终止调解告知书" if case.state == "terminated" else "调解不成告知书"
                items.append(_item("notice", case, case.notice_due, f"打印并送达{title}", cal, today, soon))
            if (case.follow_up_due and not case.follow_up_on and case.kind != "consultation"
                    and case.follow_up_due <= soon):
                items.append(_item("follow_up", case, case.follow_up_due,
                                   f"回访（{codes.label(codes.STATE, case.state)}）", cal, today, soon))
    for case, request in requests.due_between(session, soon):
        items.append(_item("merchant_reply", case, request.reply_due, "催经营者答复投诉（告知函已送达）", cal, today,
                           soon))
    order = {"overdue": 0, "soon": 1, "ok": 2, "none": 3}
    items.sort(key=lambda i: (list(codes.WORK_GROUPS).index(i.group), order[i.level], i.due or today, i.case_no))
    return Worklist(on=today, items=items)


def describe(item: WorkItem) -> str:
    """One line for the list and the CLI: what, by when."""
    if item.due is None:
        return item.what
    if item.level == "overdue":
        return f"{item.what}（已逾期，应于 {item.due.isoformat()} 前）"
    if item.working_days_left == 0:
        return f"{item.what}（今日到期）"
    return f"{item.what}（{item.due.isoformat()} 前，还剩 {item.working_days_left} 个工作日）"
