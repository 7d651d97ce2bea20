"""A case's stored due dates, worked out in one place from its facts, the rule set and the calendar.

Every write of acceptance_due, mediation_due, follow_up_due and notice_due goes through `refresh`, so
a new holiday arrangement (or anything else that changes the calendar) brings them up to date in the
same transaction (`refresh_open`). Code that keeps a derived column (a sort key…) hooks in here.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.deadlines import WorkCalendar, paused_days, rule_set_by_code
from app.models import Case, Pause

# States whose notice of the end of mediation is due (Order No. 20 Art. 21 para. 2 and its successor).
NOTICE_STATES = frozenset({"failed", "terminated"})
OUTCOME_STATES = frozenset({"resolved", "failed", "terminated", "not_accepted", "referred"})


def counted_pauses(case: Case, pauses: list[Pause]) -> list[tuple[dt.date, dt.date]]:
    """The ended pauses that stop the clock: only the rule set's 检定、检验、检测、鉴定."""
    reasons = rule_set_by_code(case.rule_set).pause.reasons
    return [(p.started_on, p.ended_on) for p in pauses if p.ended_on and p.reason_code in reasons]


def refresh(case: Case, cal: WorkCalendar, follow_up_days: int, pauses: list[Pause] = ()) -> bool:
    """Set the case's due dates from its facts; True when one of them changed."""
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
    new = {"acceptance_due": acceptance, "mediation_due": mediation, "follow_up_due": follow_up,
           "notice_due": notice}
    changed = False
    for name, value in new.items():
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
    """Bring every case not yet closed up to date with the calendar; returns how many changed."""
    days = int(settings.get(session, "deadline.follow_up_days"))
    cases = list(session.scalars(select(Case).where(Case.state != "closed")))
    by_case: dict[int, list[Pause]] = defaultdict(list)
    ids = [c.id for c in cases]
    for i in range(0, len(ids), 500):
        for p in session.scalars(select(Pause).where(Pause.case_id.in_(ids[i:i + 500]))):
            by_case[p.case_id].append(p)
    changed = sum(refresh(c, cal, days, by_case.get(c.id, [])) for c in cases)
    session.flush()
    return changed
