"""Mediation: the log of sessions with the parties, and pauses of the mediation clock."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, codes
from app.cases import _event, _moment, get_case
from app.deadlines import WorkCalendar, compute
from app.errors import FieldError
from app.intake import LOCAL_TZ
from app.models import Case, MediationSession, Pause

CLOCK_STATES = ("accepted", "mediating")


def log_session(session: Session, case_no: str, mode: str, participants: list[str], offer: str, answer: str,
                note: str = "", at: dt.datetime | None = None, actor: str | None = None) -> MediationSession:
    case = get_case(session, case_no)
    if case.state not in CLOCK_STATES:
        raise FieldError("state", f"案件当前为“{codes.STATE[case.state]}”，只有受理后、调解结束前才能记录调解")
    if mode not in codes.MEDIATION_MODE:
        raise FieldError("mode", "调解方式须为：" + "、".join(f"{k}（{v}）" for k, v in codes.MEDIATION_MODE.items()))
    bad = [p for p in participants if p not in codes.PARTICIPANT]
    if bad or not participants:
        raise FieldError("participants", "参加人须从 consumer（消费者）、merchant（经营者）、staff（工作人员）中选择")
    if not (offer.strip() or answer.strip() or note.strip()):
        raise FieldError("offer", "请记录本次调解的方案、答复或经过")
    at = _moment(at, case)
    actor = actor or audit.current_actor()
    entry = MediationSession(case_id=case.id, at=at, mode=mode, participants=",".join(participants),
                             offer=offer.strip(), answer=answer.strip(), note=note.strip(), actor=actor)
    session.add(entry)
    if case.state == "accepted":  # the first session starts the mediation
        _event(session, case, at, actor, "move", "开始调解", "mediating")
        case.state = "mediating"
    _event(session, case, at, actor, "mediation",
           f"{codes.MEDIATION_MODE[mode]}调解（{'、'.join(codes.PARTICIPANT[p] for p in participants)}）")
    session.flush()
    return entry


def sessions(session: Session, case: Case) -> list[MediationSession]:
    return list(session.scalars(select(MediationSession).where(MediationSession.case_id == case.id)
                                .order_by(MediationSession.at, MediationSession.id)))


def pauses(session: Session, case: Case) -> list[Pause]:
    return list(session.scalars(select(Pause).where(Pause.case_id == case.id).order_by(Pause.id)))


def pause(session: Session, case_no: str, reason: str, at: dt.datetime | None = None,
          actor: str | None = None) -> Case:
    """Stop the mediation clock (inspection, testing, appraisal, documents the consumer must bring)."""
    case = get_case(session, case_no)
    if case.state not in CLOCK_STATES:
        raise FieldError("state", f"案件当前为“{codes.STATE[case.state]}”，只有受理后、调解结束前才能暂停计时")
    if case.paused_since:
        raise FieldError("state", f"调解计时已于 {case.paused_since.isoformat()} 暂停")
    if not reason.strip():
        raise FieldError("reason", "暂停计时须写明理由（如：送检、鉴定、等待消费者补交材料）")
    at = _moment(at, case)
    day = at.astimezone(LOCAL_TZ).date()
    if case.accepted_on and day < case.accepted_on:
        raise FieldError("at", "暂停日期不能早于受理日期")
    session.add(Pause(case_id=case.id, reason=reason.strip(), started_on=day))
    case.paused_since = day
    _event(session, case, at, actor or audit.current_actor(), "pause", f"暂停调解计时：{reason.strip()}")
    return case


def resume(session: Session, case_no: str, cal: WorkCalendar, at: dt.datetime | None = None,
           actor: str | None = None) -> Case:
    """Restart the clock; the mediation due date moves later by the days paused."""
    case = get_case(session, case_no)
    if not case.paused_since:
        raise FieldError("state", "调解计时没有暂停")
    at = _moment(at, case)
    day = at.astimezone(LOCAL_TZ).date()
    if day < case.paused_since:
        raise FieldError("at", "恢复日期不能早于暂停日期")
    open_pause = session.scalar(select(Pause).where(Pause.case_id == case.id, Pause.ended_on.is_(None)))
    if open_pause is not None:
        open_pause.ended_on = day
    case.paused_since = None
    session.flush()
    periods = [(p.started_on, p.ended_on) for p in pauses(session, case) if p.ended_on]
    before = case.mediation_due
    case.mediation_due = compute(cal, case.received_day, case.accepted_on, periods).mediation_due
    _event(session, case, at, actor or audit.current_actor(), "resume",
           f"恢复调解计时，调解期限由 {before} 顺延至 {case.mediation_due}")
    return case
