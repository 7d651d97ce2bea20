"""A case's stored due dates, worked out in one place from its facts, the rule set and the calendar.

Every write of acceptance_due, mediation_due, follow_up_due and notice_due goes through `refresh`, so
a new holiday arrangement (or anything else that changes the calendar) brings them up to date in the
same transaction (`refresh_open`). Code that keeps a derived column (a sort key…) hooks in here.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.calendar.deadlines import WorkCalendar, paused_days, rule_set_by_code
from app.point import settings
from app.storage.models import Case, Pause

# States whose notice of the end of mediation is due (Order No. 20 Art. 21 para. 2 and its successor).
NOTICE_STATES = frozenset({"failed", "terminated"})
OUTCOME_STATES = frozenset({"resolved", "failed", "terminated", "not_accepted", "referred"})


def counted_pauses(case: Case, pauses: list[Pause]) -> list[tuple[dt.date, dt.date]]:
    """The ended pauses that stop the clock: only the rule set's 检定、检验、检测、鉴定."""
    reasons = rule_set_by_code(case.rule_set).pause.reasons
    return [(p.started_on, p.ended_on) for p in pauses if p.ended_on and p.reason_code in reasons]


DUE_FIELDS = ("acceptance_due", "mediation_due", "follow_up_due", "notice_due")


def due_dates(case, cal: WorkCalendar, follow_up_days: int, pauses: Sequence = ()) -> dict[str, dt.date | None]:
    """The due dates a case should carry, from its facts (a Case or a row with the same fields)."""
    rs = rule_set_by_code(case.rule_set)
    acceptance = cal.add(case.received_day, rs.acceptance) if case.kind == "complaint" else None
    mediation = None
    if case.accepted_on is not None:
        extra = paused_days(counted_pauses(case, list(pauses)), rs.mediation.unit, cal)
        mediation = cal.add(case.accepted_on, rs.mediation, extra)
    follow_up = None
    if case.outcome_on is not None and case.kind != "consultation" and case.state in OUTCOME_STATES | {"closed"}:
        follow_up = cal.add_calendar_days(case.outcome_on, follow_up_days)
    notice = None
    if case.outcome_on is not None and _ended_without_agreement(case):
        notice = cal.add(case.outcome_on, rs.notice)
    return {"acceptance_due": acceptance, "mediation_due": mediation, "follow_up_due": follow_up,
            "notice_due": notice}


def refresh(case: Case, cal: WorkCalendar, follow_up_days: int, pauses: Sequence[Pause] = ()) -> bool:
    """Set the case's due dates from its facts; True when one of them changed."""
    changed = False
    for name, value in due_dates(case, cal, follow_up_days, pauses).items():
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed = True
    return changed


def _ended_without_agreement(case: Case) -> bool:
    if case.state in NOTICE_STATES:
        return True
    return case.state == "closed" and case.notice_due is not None  # keep the record once closed


def refresh_case(session: Session, case: Case, cal: WorkCalendar) -> bool:
    pauses = list(session.scalars(select(Pause).where(Pause.case_id == case.id))) if case.id else []
    return refresh(case, cal, int(settings.get(session, "deadline.follow_up_days")), pauses)


def refresh_open(session: Session, cal: WorkCalendar) -> int:
    """Bring every case not yet closed up to date with the calendar; returns how many changed.

    Reads only the columns the dates depend on and writes the changed rows in one executemany, so a
    new arrangement over thousands of open cases stays a short transaction.
    """
    days = int(settings.get(session, "deadline.follow_up_days"))
    columns = (Case.id, Case.kind, Case.state, Case.rule_set, Case.received_day, Case.accepted_on,
               Case.outcome_on, *(getattr(Case, f) for f in DUE_FIELDS))
    rows = session.execute(select(*columns).where(Case.state != "closed")).all()
    by_case: dict[int, list] = defaultdict(list)
    paused = select(Pause.case_id, Pause.started_on, Pause.ended_on, Pause.reason_code).join(
        Case, Case.id == Pause.case_id).where(Case.state != "closed", Pause.ended_on.is_not(None))
    for p in session.execute(paused):
        by_case[p.case_id].append(p)
    changes = []
    for row in rows:
        new = due_dates(row, cal, days, by_case.get(row.id, []))
        if any(getattr(row, f) != new[f] for f in DUE_FIELDS):
            changes.append({"b_id": row.id, **new})
    if changes:
        stmt = update(Case.__table__).where(Case.__table__.c.id == bindparam("b_id")).values(
            {f: bindparam(f) for f in DUE_FIELDS})
        session.execute(stmt, changes)
        session.expire_all()  # Case objects this session may hold now read the new dates
    return len(changes)
