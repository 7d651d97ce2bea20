"""Mediation: the log of sessions with the parties, and pauses of the mediation clock."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar import due_dates
from app.calendar.deadlines import WorkCalendar, rule_set_by_code
from app.cases.intake import LOCAL_TZ
from app.cases.records import _event, _moment, get_case
from app.core import codes
from app.core.errors import Choices, FieldError
from app.staff import identity
from app.storage.models import Case, MediationSession, Pause

CLOCK_STATES = ("accepted", "mediating")


def log_session(session: Session, case_no: str, mode: str, participants: list[str], offer: str, answer: str,
                note: str = "", at: dt.datetime | None = None) -> MediationSession:
    case = get_case(session, case_no)
    if case.state not in CLOCK_STATES:
        raise FieldError("state", f"案件当前为“{codes.STATE[case.state]}”，只有受理后、调解结束前才能记录调解")
    if mode not in codes.MEDIATION_MODE:
        raise FieldError("mode", "调解方式须为：{choices}", choices=Choices(codes.MEDIATION_MODE))
    bad = [p for p in participants if p not in codes.PARTICIPANT]
    if bad or not participants:
        raise FieldError("participants", "参加人须从 consumer（消费者）、merchant（经营者）、staff（工作人员）中选择")
    if not (offer.strip() or answer.strip() or note.strip()):
        raise FieldError("offer", "请记录本次调解的方案、答复或经过")
    at = _moment(at, case)
    actor = identity.actor(session)
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


def pause_reasons(case: Case) -> dict[str, str]:
    """The reasons that stop this case's clock (its rule set's data): code -> 检定/检验/检测/鉴定."""
    return dict(rule_set_by_code(case.rule_set).pause.reasons)


def pause(session: Session, case_no: str, reason: str = "", at: dt.datetime | None = None,
          reason_code: str = "") -> tuple[Case, bool]:
    """Stop the mediation clock for 检定、检验、检测、鉴定; anything else is only a note.

    Returns (case, paused). Only the time of an appraisal is not counted (Order No. 20 Art. 20 and its
    successor); waiting for documents the consumer must bring is logged and the due date stays.
    """
    case = get_case(session, case_no)
    rs = rule_set_by_code(case.rule_set)
    reasons = rs.pause.reasons
    if reason_code and reason_code not in reasons:
        raise FieldError("reason_code", "暂停理由代码须为：{choices}", choices=Choices(reasons))
    if case.state not in CLOCK_STATES:
        raise FieldError("state", f"案件当前为“{codes.STATE[case.state]}”，只有受理后、调解结束前才能暂停计时")
    if case.paused_since:
        raise FieldError("state", f"调解计时已于 {case.paused_since.isoformat()} 暂停")
    reason = reason.strip()
    if not (reason or reason_code):
        raise FieldError("reason", "请选择暂停理由：" + "、".join(reasons.values()))
    code = reason_code or rs.pause_reason(reason)
    at = _moment(at, case)
    actor = identity.actor(session)
    if not code:
        _event(session, case, at, actor, "note",
               f"备注：{reason}（不属于检定、检验、检测、鉴定，调解计时不暂停，调解期限不变）")
        return case, False
    day = at.astimezone(LOCAL_TZ).date()
    if case.accepted_on and day < case.accepted_on:
        raise FieldError("at", "暂停日期不能早于受理日期")
    session.add(Pause(case_id=case.id, reason=reason or reasons[code], reason_code=code, started_on=day))
    case.paused_since = day
    _event(session, case, at, actor, "pause",
           f"暂停调解计时（{reasons[code]}" + (f"：{reason}" if reason and reason != reasons[code] else "") + "）")
    return case, True


def resume(session: Session, case_no: str, cal: WorkCalendar, at: dt.datetime | None = None) -> Case:
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
    before = case.mediation_due
    due_dates.refresh_case(session, case, cal)
    _event(session, case, at, identity.actor(session), "resume",
           f"恢复调解计时，调解期限由 {before} 顺延至 {case.mediation_due}")
    return case
