"""The day's work list (今日待办): everything waiting on the desk, group by group (acceptance decisions to make,
mediations running, notices to send, follow-up visits to make, consultations to answer, merchant replies
awaited), with what is overdue or due soon counted apart and listed first.

Each group is counted in the database through its own index (total, overdue, due soon); the list holds the
most urgent LISTED items of each group, so a district's backlog of 200,000 visits does not come into the
window (the count says how many there are, and the case list filtered to the group shows them all)."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlalchemy import and_, case, false, func, select, union
from sqlalchemy.orm import Session

from app.calendar.deadlines import WorkCalendar
from app.cases import lifecycle
from app.core import codes
from app.core.privacy import mask_name, mask_phone
from app.storage.models import Case, MerchantRequest

# "Due soon" (临期): within this many working days, as the case list colours it.
SOON_WORKING_DAYS = 2
# The end of mediation is told to the parties in writing by the case's notice_due (app/calendar/due_dates.py).
NOTICE_STATES = ("failed", "terminated")
# Items of each group the list holds, the most urgent first (overdue, then by due date).
LISTED = 200


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
class Tally:
    """How many of a group wait on the desk, and of them how many are past their deadline or due soon."""
    total: int
    overdue: int = 0
    soon: int = 0


@dataclass(frozen=True)
class Worklist:
    on: dt.date
    items: list[WorkItem]  # the most urgent LISTED items of each group
    tallies: dict[str, Tally] = field(default_factory=dict)  # every group of codes.WORK_GROUPS, counted whole
    soon_until: dt.date | None = None  # 临期: due from `on` to this day (SOON_WORKING_DAYS working days on)
    listed: int = LISTED  # items of a group the list holds at most

    def group(self, name: str) -> list[WorkItem]:
        return [i for i in self.items if i.group == name]

    def tally(self, name: str) -> Tally:
        return self.tallies.get(name, Tally(0))

    def counts(self) -> dict[str, int]:
        return {name: self.tally(name).total for name in codes.WORK_GROUPS}

    def total(self) -> int:
        return sum(self.counts().values())

    def overdue(self) -> int:
        return sum(self.tally(name).overdue for name in codes.WORK_GROUPS)

    def soon(self) -> int:
        return sum(self.tally(name).soon for name in codes.WORK_GROUPS)

    def complete(self) -> bool:
        """Whether the list holds every item (no group has more than LISTED)."""
        return all(len(self.group(name)) >= self.tally(name).total for name in codes.WORK_GROUPS)

    def as_json(self) -> dict:
        return {"on": self.on.isoformat(), "counts": self.counts(), "overdue": self.overdue(), "soon": self.soon(),
                "tallies": {name: asdict(self.tally(name)) for name in codes.WORK_GROUPS},
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
    """The condition of 在办 or of one group of the work list: every case waiting in it, due or not."""
    if name == "open":
        return Case.state != "closed"
    if name == "decision":
        return _decision()
    if name == "mediation":  # paused ones too: they wait on an inspection, the deadline stopped
        return and_(Case.state.in_(("accepted", "mediating")), Case.mediation_due.is_not(None))
    if name == "follow_up":
        return _follow_up()
    if name == "notice":
        return _notice()
    if name == "consultation":
        return _consultation()
    if name == "merchant_reply":  # 告知经营者: a request not yet answered (app/merchants/requests.py)
        return Case.id.in_(select(MerchantRequest.case_id).where(*_unanswered()))
    return false()


def _unanswered() -> tuple:
    """Requests not answered yet. The requests are read whole (one row per 告知函 sent, far fewer than the
    cases; no index has replied_on)."""
    return (MerchantRequest.replied_on.is_(None),)


def _group_due(name: str):
    """The column of a group's deadline, and the condition under which it runs (a paused mediation's
    does not)."""
    return {"decision": (Case.acceptance_due, None),
            "mediation": (Case.mediation_due, Case.paused_since.is_(None)),
            "follow_up": (Case.follow_up_due, None),
            "notice": (Case.notice_due, None),
            "consultation": (Case.received_day, None),  # answered the day it is asked
            "merchant_reply": (MerchantRequest.reply_due, None)}[name]


def _group_query(name: str, today: dt.date, soon: dt.date, *columns):
    """SELECT `columns` of the cases waiting in a group (not merchant_reply), and its deadline's column and
    the condition under which that deadline runs."""
    column, running = _group_due(name)
    return select(*columns).select_from(Case).where(_condition(name, today, soon)), column, running


def _levels(column, running, today: dt.date, soon: dt.date) -> tuple:
    late = column < today if running is None else and_(running, column < today)
    near = column.between(today, soon) if running is None else and_(running, column.between(today, soon))
    return func.count(), func.sum(case((late, 1), else_=0)), func.sum(case((near, 1), else_=0))


def tallies(session: Session, today: dt.date, soon: dt.date) -> dict[str, Tally]:
    """Every group counted in the database, each through its own index: all, overdue, due soon."""
    out: dict[str, Tally] = {}
    for name in codes.WORK_GROUPS:
        column, running = _group_due(name)
        if name == "merchant_reply":  # the unanswered requests alone (a case has at most one)
            query = select(*_levels(column, running, today, soon)).where(*_unanswered())
        else:
            query, _c, _r = _group_query(name, today, soon, *_levels(column, running, today, soon))
        total, overdue, due_soon = session.execute(query).one()
        out[name] = Tally(int(total or 0), int(overdue or 0), int(due_soon or 0))
    return out


def _listed(session: Session, name: str, today: dt.date, soon: dt.date) -> list[tuple[Case, dt.date | None]]:
    """The most urgent LISTED cases of a group, each with its deadline, by deadline (the sort of each
    group's own index where it has one)."""
    if name == "merchant_reply":  # the requests first (as a join the planner walked the cases)
        due = dict(session.execute(select(MerchantRequest.case_id, MerchantRequest.reply_due)
                                   .where(*_unanswered()).order_by(MerchantRequest.reply_due, MerchantRequest.case_id).limit(LISTED)).all())
        found = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(list(due)))).unique()}
        return [(found[i], d) for i, d in due.items() if i in found]
    query, column, _running = _group_query(name, today, soon, Case.id)
    order = Case.received_at if name == "consultation" else column  # the kind-state-received index's order
    # The ids from the group's index first, then those cases: sorting whole rows of 43,000 mediations took 0.2 s.
    ids = session.scalars(query.order_by(order, Case.id).limit(LISTED)).all()
    found = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids))).unique()}
    return [(found[i], getattr(found[i], column.key)) for i in ids if i in found]


class _DaysLeft:
    """The calendar's working days from today to each due day, each day counted once: a visit two years late
    counts 500 days one by one, and the list's 1,200 items took 0.3 s."""

    def __init__(self, cal: WorkCalendar):
        self.cal = cal
        self.seen: dict[tuple[dt.date, dt.date], int] = {}

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        if (start, end) not in self.seen:
            self.seen[(start, end)] = self.cal.working_days_between(start, end)
        return self.seen[(start, end)]


def _item(group: str, case: Case, due: dt.date | None, what: str, cal: WorkCalendar | _DaysLeft, today: dt.date,
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
    """Everything waiting on `today`, counted whole; listed overdue first, then due soon, then the rest, each
    group by group by due date (at most LISTED of each group)."""
    soon = soon_until(cal, today)
    items: list[WorkItem] = []
    counted = _DaysLeft(cal)
    for name in codes.WORK_GROUPS:
        for c, due in _listed(session, name, today, soon):
            if name == "merchant_reply":
                items.append(_item(name, c, due, "催经营者答复投诉（告知函已送达）", counted, today, soon))
            else:
                items.append(_group_item(name, c, counted, today, soon))
    order = {"overdue": 0, "soon": 1, "ok": 2, "none": 3}
    # the late first, then the near, whatever their group; within each, group by group, by deadline
    items.sort(key=lambda i: (order[i.level], list(codes.WORK_GROUPS).index(i.group), i.due or today, i.case_no))
    return Worklist(on=today, items=items, tallies=tallies(session, today, soon), soon_until=soon, listed=LISTED)


def _group_item(name: str, c: Case, cal: _DaysLeft, today: dt.date, soon: dt.date) -> WorkItem:
    if name == "consultation":
        return _item(name, c, c.received_day, "当场答复并办结", cal, today, soon)
    if name == "decision":
        return _item(name, c, c.acceptance_due, "作出受理或不予受理决定", cal, today, soon)
    if name == "mediation":
        if c.paused_since is not None:
            return _item(name, c, None, f"调解暂停计时（{c.paused_since.isoformat()} 起送检定、检验、检测或鉴定）",
                         cal, today, soon)
        what = "组织调解" if c.state == "accepted" else "调解期满前达成协议或终止调解"
        return _item(name, c, c.mediation_due, what, cal, today, soon)
    if name == "notice":
        title = "终止调解告知书" if c.state == "terminated" else "调解不成告知书"
        return _item(name, c, c.notice_due, f"打印并送达{title}", cal, today, soon)
    return _item(name, c, c.follow_up_due, f"回访（{codes.label(codes.STATE, c.state)}）", cal, today, soon)


def tally_text(tally: Tally) -> str:
    """待作受理决定 12 件（已逾期 1，临期 2）: the whole group, with what is late or near said apart."""
    parts = [f"已逾期 {tally.overdue}" if tally.overdue else "", f"临期 {tally.soon}" if tally.soon else ""]
    said = "，".join(p for p in parts if p)
    return f"{tally.total} 件" + (f"（{said}）" if said else "")


def describe(item: WorkItem) -> str:
    """One line for the list and the CLI: what, by when."""
    if item.due is None:
        return item.what
    if item.level == "overdue":
        return f"{item.what}（已逾期，应于 {item.due.isoformat()} 前）"
    if item.working_days_left == 0:
        return f"{item.what}（今日到期）"
    return f"{item.what}（{item.due.isoformat()} 前，还剩 {item.working_days_left} 个工作日）"
