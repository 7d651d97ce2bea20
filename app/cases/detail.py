"""A case opened in full (`case show`, the case window) as typed values, and its one JSON form.

CaseService.show() builds a CaseDetail; the window reads its attributes (dates as dates, money as Decimal,
codes as str, None where there is nothing). `liaison case show` prints `detail.as_json()`, the shape of
interchange.md, byte for byte what it printed before (tests/app/cli/test_case_show_contract.py).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.calendar.deadlines import Deadlines, RuleSet, WorkCalendar, compute
from app.cases import lifecycle, mediation
from app.cases.intake import LOCAL_TZ
from app.cases.records import DueInfo, answer_of, due_info, money_text, open_dues
from app.evidence import attachments
from app.merchants import requests, scam_watch
from app.merchants.requests import ReplyStatus
from app.staff import facts
from app.storage.models import Attachment, Case, Event, MediationSession, Pause


@dataclass(frozen=True)
class CaseConsumer:
    """The consumer, in full (only a member signed in sees a CaseDetail)."""

    name: str
    phone: str
    id_number: str
    address: str
    group: str  # codes.CONSUMER_GROUP
    consent_to_share: bool


@dataclass(frozen=True)
class CaseMerchant:
    name: str = ""
    uscc: str = ""
    shop_no: str = ""
    phone: str = ""
    address: str = ""


NO_MERCHANT = CaseMerchant()


@dataclass(frozen=True)
class Outcome:
    on: dt.date | None
    terms: str
    remedy: tuple[str, ...]  # codes.REMEDY
    ground_code: str  # the rule set's ground (not accepted, terminated)
    referred_to: str  # codes.REFERRAL_TARGET or ''


@dataclass(frozen=True)
class Advance:
    """先行赔付 (the amount is CaseDetail.advance_paid)."""

    payer: str
    recovered_on: dt.date | None


@dataclass(frozen=True)
class Notice:
    """The notice to the parties that mediation ended (终止调解 / 调解不成)."""

    due: dt.date | None
    sent_on: dt.date | None


@dataclass(frozen=True)
class FollowUp:
    due: dt.date | None
    on: dt.date | None
    satisfaction: str  # codes.SATISFACTION or ''
    note: str


@dataclass(frozen=True)
class CaseEvent:
    at: dt.datetime  # aware, Asia/Shanghai
    staff: str
    action: str
    from_state: str | None
    state: str
    reason_code: str
    note: str


@dataclass(frozen=True)
class CaseAttachment:
    id: int
    name: str
    label: str  # codes.ATTACHMENT_LABEL
    sha256: str
    bytes: int
    added_at: dt.datetime  # aware, Asia/Shanghai
    staff: str


@dataclass(frozen=True)
class OpenDue:
    kind: str  # acceptance | mediation | notice | follow_up | merchant_reply
    what: str
    due: dt.date


@dataclass(frozen=True)
class CaseDeadlines:
    periods: Deadlines  # the rule set's periods; mediation and notice dues as stored (pauses counted)
    current: DueInfo  # the deadline that matters now
    open: tuple[OpenDue, ...]  # every deadline still running, the merchant's reply last
    merchant_reply: ReplyStatus | None

    @property
    def rule_set(self) -> RuleSet:
        return self.periods.rule_set

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.periods.warnings


@dataclass(frozen=True)
class MediationEntry:
    at: dt.datetime  # aware, Asia/Shanghai
    mode: str  # codes.MEDIATION_MODE
    participants: tuple[str, ...]  # codes.PARTICIPANT
    offer: str
    answer: str
    note: str
    staff: str


@dataclass(frozen=True)
class ClockPause:
    reason: str
    reason_code: str  # the rule set's pause reason
    counted: bool  # stops the mediation clock
    started_on: dt.date
    ended_on: dt.date | None  # None: still paused


@dataclass(frozen=True)
class CaseDetail:
    """Everything about a case, personal data in full."""

    case_no: str
    kind: str  # codes.KIND
    received_at: dt.datetime  # aware, Asia/Shanghai
    channel: str
    consumer: CaseConsumer
    merchant: CaseMerchant | None
    category: str
    nature: str
    product: str
    brand: str
    purchase_date: dt.date | None
    purchase_channel: str
    amount_paid: Decimal
    amount_claimed: Decimal
    facts: str
    demands: tuple[str, ...]
    state: str  # codes.STATE
    acceptance_due: dt.date | None
    mediation_due: dt.date | None
    amount_recovered: Decimal
    advance_paid: Decimal
    fast_track: bool
    priority: bool
    owner: str
    rule_set: str  # the rule set's code (deadlines.rule_set is the rule set)
    outcome: Outcome
    paused_since: dt.date | None
    advance: Advance
    notice: Notice
    follow_up: FollowUp
    events: tuple[CaseEvent, ...]
    answer: str  # a consultation's answer, or ''
    check_code: str  # 查询码, read out by the consumer on the phone
    attachments: tuple[CaseAttachment, ...]
    deadlines: CaseDeadlines
    allowed_moves: tuple[str, ...]
    scam_warnings: tuple[str, ...]
    mediation_log: tuple[MediationEntry, ...]
    pauses: tuple[ClockPause, ...]
    pause_reasons: Mapping[str, str]  # code -> 检定/检验/检测/鉴定
    tampered: str = ""  # why the case's sealed facts cannot be trusted (app/staff/facts.py), or ''

    def as_json(self) -> dict:
        return detail_json(self)


# --- building -------------------------------------------------------------------------------------

def build(session: Session, case: Case, cal: WorkCalendar, today: dt.date, soon: int, check_code: str) -> CaseDetail:
    """The CaseDetail of a case read in `session`, its deadlines judged on `today`."""
    c, m = case.consumer, case.merchant
    return CaseDetail(
        case_no=case.case_no, kind=case.kind, received_at=_local(case.received_at), channel=case.channel,
        consumer=CaseConsumer(c.name, c.phone, c.id_number, c.address, c.group, c.consent_to_share),
        merchant=CaseMerchant(m.name, m.uscc or "", m.shop_no, m.phone, m.address) if m is not None else None,
        category=case.category, nature=case.nature, product=case.product, brand=case.brand,
        purchase_date=case.purchase_date, purchase_channel=case.purchase_channel,
        amount_paid=_money(case.amount_paid), amount_claimed=_money(case.amount_claimed), facts=case.facts,
        demands=_codes(case.demands), state=case.state, acceptance_due=case.acceptance_due,
        mediation_due=case.mediation_due, amount_recovered=_money(case.amount_recovered),
        advance_paid=_money(case.advance_paid), fast_track=case.fast_track, priority=case.priority,
        owner=case.owner, rule_set=case.rule_set,
        outcome=Outcome(case.outcome_on, case.outcome_terms, _codes(case.remedy), case.ground_code,
                        case.referred_to),
        paused_since=case.paused_since, advance=Advance(case.advance_payer, case.advance_recovered_on),
        notice=Notice(case.notice_due, case.notice_sent_on),
        follow_up=FollowUp(case.follow_up_due, case.follow_up_on, case.satisfaction, case.follow_up_note),
        events=tuple(_event(e) for e in case.events), answer=answer_of(case), check_code=check_code,
        attachments=tuple(_attachment(a) for a in attachments.for_case(session, case)),
        deadlines=_deadlines(session, case, cal, today, soon),
        allowed_moves=tuple(lifecycle.allowed_moves(case.kind, case.state)),
        scam_warnings=tuple(scam_watch.warnings(
            session, scam_watch.numbers_in(case.facts, m.phone if m else ""), case.brand, exclude_case=case.id)),
        mediation_log=tuple(_session(x) for x in mediation.sessions(session, case)),
        pauses=tuple(_pause(p) for p in mediation.pauses(session, case)),
        pause_reasons=mediation.pause_reasons(case),
        tampered="" if facts.session_holds(session, case) else TAMPERED,
    )


TAMPERED = ("警告：本案的状态、结果或金额与最后一次正当修改时不符，已被绕过本程序直接改动数据库。"
            "请勿据此答复消费者，请负责人核查审计记录（liaison audit --verify --full）")


def _local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(LOCAL_TZ)


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")


def _codes(joined: str) -> tuple[str, ...]:
    return tuple(x for x in joined.split(",") if x)


def _event(e: Event) -> CaseEvent:
    return CaseEvent(_local(e.at), e.actor, e.action, e.from_state, e.to_state, e.reason_code, e.note)


def _attachment(a: Attachment) -> CaseAttachment:
    return CaseAttachment(a.id, a.name, a.label, a.sha256, a.size, _local(a.added_at), a.staff)


def _session(m: MediationSession) -> MediationEntry:
    return MediationEntry(_local(m.at), m.mode, _codes(m.participants), m.offer, m.answer, m.note, m.actor)


def _pause(p: Pause) -> ClockPause:
    return ClockPause(p.reason, p.reason_code, bool(p.reason_code), p.started_on, p.ended_on)


def _deadlines(session: Session, case: Case, cal: WorkCalendar, today: dt.date, soon: int) -> CaseDeadlines:
    # The stored mediation due date already carries the pauses (app/cases/mediation.py): it is the one to show.
    computed = compute(cal, case.received_day, case.accepted_on)
    periods = dataclasses.replace(computed, mediation_due=case.mediation_due,
                                  notice_due=case.notice_due or computed.notice_due)
    dues = [OpenDue(k, w, d) for k, w, d in open_dues(case)]
    request = requests.request_of(session, case)
    if request is not None and request.replied_on is None:
        dues.append(OpenDue("merchant_reply", requests.WHAT, request.reply_due))
    return CaseDeadlines(periods, due_info(case, cal, today), tuple(dues),
                         requests.reply_status(request, cal, today, soon))


# --- the JSON of interchange.md ---------------------------------------------------------------------

def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def detail_json(d: CaseDetail) -> dict:
    """The one JSON form of a CaseDetail: what `liaison case show --json` prints."""
    return {**_case_json(d), **_reading_json(d)}


def _case_json(d: CaseDetail) -> dict:
    """The case's own fields, as records.case_json(case, full=True) writes them."""
    m = d.merchant or NO_MERCHANT
    return {
        "case_no": d.case_no, "kind": d.kind, "received_at": d.received_at.isoformat(), "channel": d.channel,
        "consumer": dataclasses.asdict(d.consumer),
        "merchant": {"name": m.name, "uscc": m.uscc, "shop_no": m.shop_no, "phone": m.phone, "address": m.address},
        "category": d.category, "nature": d.nature, "product": d.product, "brand": d.brand,
        "purchase_date": _iso(d.purchase_date), "purchase_channel": d.purchase_channel,
        "amount_paid": money_text(d.amount_paid), "amount_claimed": money_text(d.amount_claimed),
        "facts": d.facts, "demands": list(d.demands), "state": d.state,
        "acceptance_due": _iso(d.acceptance_due), "mediation_due": _iso(d.mediation_due),
        "amount_recovered": money_text(d.amount_recovered), "advance_paid": money_text(d.advance_paid),
        "fast_track": d.fast_track, "priority": d.priority, "owner": d.owner, "rule_set": d.rule_set,
        "outcome": {"on": _iso(d.outcome.on), "terms": d.outcome.terms, "remedy": list(d.outcome.remedy),
                    "ground_code": d.outcome.ground_code, "referred_to": d.outcome.referred_to},
        "paused_since": _iso(d.paused_since),
        "advance": {"payer": d.advance.payer, "recovered_on": _iso(d.advance.recovered_on)},
        "notice": {"due": _iso(d.notice.due), "sent_on": _iso(d.notice.sent_on)},
        "follow_up": {"due": _iso(d.follow_up.due), "on": _iso(d.follow_up.on),
                      "satisfaction": d.follow_up.satisfaction, "note": d.follow_up.note},
    }


def _reading_json(d: CaseDetail) -> dict:
    """What reading the case adds: history, attachments, deadlines, next steps, mediation."""
    return {
        "events": [{"at": e.at.isoformat(), "staff": e.staff, "action": e.action, "from_state": e.from_state,
                    "state": e.state, "reason_code": e.reason_code, "note": e.note} for e in d.events],
        "answer": d.answer, "check_code": d.check_code,
        "attachments": [{"id": a.id, "name": a.name, "label": a.label, "sha256": a.sha256, "bytes": a.bytes,
                         "added_at": a.added_at.isoformat(), "staff": a.staff} for a in d.attachments],
        "deadlines": _deadlines_json(d.deadlines),
        "allowed_moves": list(d.allowed_moves), "scam_warnings": list(d.scam_warnings),
        "mediation_log": [{"at": m.at.isoformat(), "mode": m.mode, "participants": list(m.participants),
                           "offer": m.offer, "answer": m.answer, "note": m.note, "staff": m.staff}
                          for m in d.mediation_log],
        "pauses": [{"reason": p.reason, "reason_code": p.reason_code, "counted": p.counted,
                    "from": p.started_on.isoformat(), "to": _iso(p.ended_on)} for p in d.pauses],
        "pause_reasons": dict(d.pause_reasons),
    }


def _deadlines_json(d: CaseDeadlines) -> dict[str, Any]:
    cur = d.current
    return {**d.periods.as_json(),
            "current": {"what": cur.what, "due": _iso(cur.due), "working_days_left": cur.working_days_left,
                        "level": cur.level, "kind": cur.kind},
            "open": [{"kind": o.kind, "what": o.what, "due": o.due.isoformat()} for o in d.open],
            "merchant_reply": d.merchant_reply.as_json() if d.merchant_reply else None}
