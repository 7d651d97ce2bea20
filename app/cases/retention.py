"""Retention: remove the personal data of cases closed long ago; the cases and their figures stay."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.core import clock
from app.core.clock import LOCAL_TZ
from app.evidence import attachments
from app.storage.models import Case, Consumer, Correction, Event


def default_cutoff(today: dt.date, years: int) -> dt.date:
    """The same day `years` years ago (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _closed_before(cutoff: dt.date):
    """Cases closed (by their last closing event) before the local day `cutoff`, not purged yet."""
    start = dt.datetime.combine(cutoff, dt.time(), LOCAL_TZ)
    # the closing itself, not a later note or correction recorded on the closed case
    closed_at = (select(Event.case_id, func.max(Event.at).label("at"))
                 .where(Event.to_state == "closed", or_(Event.from_state.is_(None), Event.from_state != "closed"))
                 .group_by(Event.case_id).subquery())
    return (select(Case).join(closed_at, closed_at.c.case_id == Case.id).join(Consumer, Case.consumer_id == Consumer.id)
            .where(Case.state == "closed", closed_at.c.at < start, Consumer.purged_on.is_(None)))


def count(session: Session, cutoff: dt.date) -> int:
    return session.scalar(select(func.count()).select_from(_closed_before(cutoff).subquery())) or 0


def purge(session: Session, cutoff: dt.date, actor: str, today: dt.date) -> list[str]:
    """Blank name, phone, ID number and address (and their index) of those cases; returns their numbers."""
    numbers = []
    for case in session.scalars(_closed_before(cutoff)).unique():
        c = case.consumer
        c.name = c.phone = c.id_number = c.address = ""
        c.purged_on = today
        # the masked values of corrected personal fields go too (event notes are chained, they stay masked)
        session.execute(update(Correction).where(Correction.case_id == case.id, Correction.field.like("consumer.%"))
                        .values(old_value="", new_value=""))
        removed = attachments.purge(session, case)  # the evidence goes with the personal data
        session.add(Event(case_id=case.id, at=clock.utcnow(), actor=actor, action="purge",
                          from_state=case.state, to_state=case.state,
                          note=f"保存期限届满（{cutoff.isoformat()} 前办结），已删除消费者个人信息"
                               + (f"及附件 {removed} 个" if removed else "")))
        numbers.append(case.case_no)
    return numbers
