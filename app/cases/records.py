"""Cases: storing a new case with its number and deadlines, reading, listing, moving between states."""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, literal, select, tuple_, update
from sqlalchemy.orm import Session

from app.calendar import due_dates
from app.calendar.deadlines import WorkCalendar, rule_set_by_code, rule_set_for
from app.cases import lifecycle
from app.cases.intake import LOCAL_TZ, CaseInput, fast_track_proposed, parse_datetime
from app.core import clock, codes
from app.core.errors import Choices, FieldError, InputError
from app.core.privacy import mask_address, mask_id_number, mask_name, mask_phone
from app.merchants import registry
from app.point import settings
from app.staff import identity
from app.storage.models import Case, CaseCounter, Consumer, Event, Merchant, MerchantRequest


def next_case_no(session: Session, day: dt.date, prefix: str = "") -> str:
    """The next number of the day; taken inside the caller's write transaction, so gap-free."""
    return format_case_no(day, reserve_numbers(session, day), prefix)


def reserve_numbers(session: Session, day: dt.date, count: int = 1) -> int:
    """Take `count` consecutive numbers of the day at once; returns the first sequence number.

    One upsert takes the day's counter row and returns the new value; SQLite and PostgreSQL both
    serialise concurrent writers on that row (held to the end of the transaction), so several desks
    and an import running at the same time never get the same number.
    """
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        last = session.connection().execute(_counter_upsert(dialect), {"day": day, "count": count}).scalar()
    else:  # other databases: update, or insert the day's first numbers
        result = session.execute(update(CaseCounter).where(CaseCounter.day == day)
                                 .values(last=CaseCounter.last + count))
        if getattr(result, "rowcount", 0) == 0:
            session.add(CaseCounter(day=day, last=count))
            session.flush()
        last = session.scalar(select(CaseCounter.last).where(CaseCounter.day == day))
    return int(last or 0) - count + 1


@functools.cache
def _counter_upsert(dialect: str):
    """The day counter's upsert, built once (an import reserves numbers for each day of each batch)."""
    from sqlalchemy.dialects import postgresql, sqlite

    upsert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    count = bindparam("count", type_=CaseCounter.last.type)
    return (upsert(CaseCounter).values(day=bindparam("day", type_=CaseCounter.day.type), last=count)
            .on_conflict_do_update(index_elements=[CaseCounter.day], set_={"last": CaseCounter.last + count})
            .returning(CaseCounter.last))


def format_case_no(day: dt.date, seq: int, prefix: str = "") -> str:
    """YYYYMMDD-NNNN, after the point's code when one is set (interchange.md)."""
    number = f"{day:%Y%m%d}-{seq:04d}"
    return f"{prefix}-{number}" if prefix else number


def case_values(data: CaseInput, case_no: str, merchant_id: int | None, cal: WorkCalendar, threshold: Decimal,
                actor: str) -> tuple[dict, dict]:
    """(consumer, case) column values of a new case from checked input: rule set, 绿色通道, 小额快速 proposal
    (due dates are app.due_dates' work). Used row by row (build_case) and for bulk inserts (ledger import)."""
    day = data.received_day
    rs = rule_set_for(day)
    fast_track = data.fast_track
    if fast_track is None:  # 小额纠纷快速处理 is proposed from the amount claimed
        fast_track = fast_track_proposed(data.kind, data.amount_claimed, threshold)
    consumer = {"name": data.consumer.name, "phone": data.consumer.phone, "id_number": data.consumer.id_number,
                "address": data.consumer.address, "group": data.consumer.group,
                "consent_to_share": data.consumer.consent_to_share}
    case = {
        "case_no": case_no, "kind": data.kind, "received_at": data.received_at, "received_day": day,
        "channel": data.channel, "merchant_id": merchant_id, "category": data.category, "nature": data.nature,
        "product": data.product, "brand": data.brand, "purchase_date": data.purchase_date,
        "purchase_channel": data.purchase_channel, "amount_paid": data.amount_paid,
        "amount_claimed": data.amount_claimed, "facts": data.facts, "demands": ",".join(data.demands),
        "state": data.state, "rule_set": rs.code, "amount_recovered": data.amount_recovered, "advance_paid": data.advance_paid, "fast_track": fast_track,
        "priority": data.consumer.group in codes.PRIORITY_GROUPS, "owner": actor, "updated_at": clock.utcnow(),
        # a ledger row may arrive in any state: the reports count that state as its outcome (no decision day)
        **lifecycle.report_facts(data.state, None, {"outcome": "", "was_accepted": False, "decided_on": None}),
    }
    return consumer, case


def build_case(data: CaseInput, case_no: str, merchant_id: int | None, cal: WorkCalendar, threshold: Decimal,
               actor: str) -> Case:
    """A new Case row (with its Consumer) from checked input."""
    consumer, case = case_values(data, case_no, merchant_id, cal, threshold, actor)
    return Case(consumer=Consumer(**consumer), **case)


def add_case(session: Session, data: CaseInput, cal: WorkCalendar, distinct_merchant: bool = False) -> Case:
    """Store a validated case, with its number, rule set, deadlines and the registration event.

    The member signed in is its 首问责任人 (owner) and the actor of the registration."""
    from app.merchants import scam_watch

    actor = identity.actor(session)
    merchant = registry.find_or_create(session, data.merchant, distinct=distinct_merchant)
    number = next_case_no(session, data.received_day, settings.get(session, "point.code"))
    case = build_case(data, number, merchant.id if merchant else None, cal, settings.fast_track_threshold(session),
                      actor)
    due_dates.refresh_case(session, case, cal)
    session.add(case)
    session.flush()
    scam_watch.record(session, case)
    session.add(Event(case_id=case.id, at=data.received_at, actor=actor, action="register", from_state=None,
                      to_state="registered", note="登记" + codes.KIND[data.kind]))
    return case


def get_case(session: Session, case_no: str) -> Case:
    case = session.scalar(select(Case).where(Case.case_no == case_no))
    if case is None:
        raise FieldError("case_no", f"没有编号为“{case_no}”的案件")
    return case


@dataclass
class Move:
    to_state: str
    reason: str = ""
    reason_code: str = ""  # Art. 16 ground (not accepted) or Art. 23 ground (terminated)
    at: dt.datetime | None = None
    amount_recovered: Decimal | None = None
    terms: str = ""  # the agreed terms, when resolved
    remedies: list[str] = field(default_factory=list)
    referred_to: str = ""  # council | samr


def _moment(at: dt.datetime | None, case: Case) -> dt.datetime:
    at = at or clock.utcnow()
    if at < case.received_at:
        raise FieldError("at", "办理时间不能早于登记时间")
    if at > clock.utcnow() + dt.timedelta(minutes=5):
        raise FieldError("at", "办理时间不能晚于现在")
    return at


def _event(session: Session, case: Case, at: dt.datetime, actor: str, action: str, note: str = "",
           to_state: str | None = None, reason_code: str = "") -> None:
    session.add(Event(case_id=case.id, at=at, actor=actor, action=action, from_state=case.state,
                      to_state=to_state or case.state, reason_code=reason_code, note=note))
    case.updated_at = clock.utcnow()


def move_case(session: Session, case_no: str, move: Move, cal: WorkCalendar) -> Case:
    """Apply one state transition as an event; refused with a Chinese message when not allowed."""
    actor = identity.actor(session)
    case = get_case(session, case_no)
    rs = rule_set_by_code(case.rule_set)
    lifecycle.check_move(case.kind, case.state, move.to_state, move.reason, move.reason_code, rs)
    lifecycle.check_outcome(move.to_state, move.terms, move.remedies, move.reason_code, move.referred_to, rs)
    if move.to_state == "closed" and case.kind != "consultation" and case.follow_up_on is None:
        raise FieldError("follow_up", "办结前须先回访并记录满意度")
    if case.paused_since and move.to_state in lifecycle.OUTCOME_STATES:
        raise FieldError("state", "调解计时暂停中，请先恢复计时再办结调解")
    at = _moment(move.at, case)
    day = at.astimezone(LOCAL_TZ).date()
    if move.to_state == "accepted":
        case.accepted_on = day
    if move.amount_recovered is not None:
        case.amount_recovered = move.amount_recovered
    note = move.reason
    if move.to_state == "not_accepted" and move.reason_code:
        note = rs.not_accepted.get(move.reason_code).text + (f"；{move.reason}" if move.reason else "")  # type: ignore[union-attr]  # checked before (law)
    if move.to_state == "terminated" and move.reason_code:
        note = rs.termination.get(move.reason_code).text + (f"；{move.reason}" if move.reason else "")  # type: ignore[union-attr]  # checked before (law)
    if move.to_state == "resolved":
        case.outcome_terms = move.terms
        case.remedy = ",".join(move.remedies)
        note = f"达成调解协议：{move.terms}" + (f"；{move.reason}" if move.reason else "")
    if move.to_state == "closed" and case.kind == "consultation" and move.reason.strip():
        note = ANSWER_PREFIX + move.reason.strip()  # the answer given, printed on the consultation receipt
    if move.to_state == "referred":
        case.referred_to = move.referred_to
        note = f"移送{codes.label(codes.REFERRAL_TARGET, move.referred_to)}：{move.reason}"
    if move.to_state in lifecycle.OUTCOME_STATES:
        case.outcome_on = day
        case.ground_code = move.reason_code
    _event(session, case, at, actor, "move", note, move.to_state, move.reason_code)
    facts = lifecycle.report_facts(move.to_state, day, {"outcome": case.outcome, "was_accepted": case.was_accepted,
                                                        "decided_on": case.decided_on})
    case.outcome, case.was_accepted, case.decided_on = facts["outcome"], facts["was_accepted"], facts["decided_on"]
    case.state = move.to_state
    due_dates.refresh_case(session, case, cal)
    session.flush()
    return case


ANSWER_PREFIX = "答复："


def answer_of(case: Case) -> str:
    """The answer a consultation was closed with (the note of its closing event), or ''."""
    if case.kind != "consultation":
        return ""
    for e in reversed(case.events):
        if e.to_state == "closed" and e.note.startswith(ANSWER_PREFIX):
            return e.note[len(ANSWER_PREFIX):]
    return ""


def record_follow_up(session: Session, case_no: str, satisfaction: str, note: str, at: dt.datetime | None) -> Case:
    """回访: the consumer's satisfaction after the outcome; closing needs it."""
    case = get_case(session, case_no)
    if case.state not in lifecycle.OUTCOME_STATES:
        raise FieldError("state", f"案件当前为“{codes.STATE[case.state]}”，须有处理结果后才能回访")
    if satisfaction not in codes.SATISFACTION:
        raise FieldError("satisfaction", "满意度须为：{choices}", choices=Choices(codes.SATISFACTION))
    at = _moment(at, case)
    case.follow_up_on = at.astimezone(LOCAL_TZ).date()
    case.satisfaction = satisfaction
    case.follow_up_note = note
    _event(session, case, at, identity.actor(session), "follow_up",
           f"回访：{codes.SATISFACTION[satisfaction]}" + (f"；{note}" if note else ""))
    return case


def reopen(session: Session, case_no: str, reason: str) -> Case:
    """A supervisor reopens a closed case; it returns to the state it was closed from."""
    actor = identity.require(session, "supervisor", "重新打开已办结的案件").display
    case = get_case(session, case_no)
    if case.state != "closed":
        raise FieldError("state", "只有已办结的案件才需要重新打开")
    if not reason.strip():
        raise FieldError("reason", "重新打开须写明理由")
    closing = next(e for e in reversed(case.events) if e.to_state == "closed" and e.action == "move")
    back_to = closing.from_state or "registered"
    _event(session, case, clock.utcnow(), actor, "reopen", f"重新打开：{reason}", back_to)
    case.state = back_to
    case.follow_up_on = None
    case.satisfaction = ""
    return case


def hand_over(session: Session, case_no: str, to_staff: str, note: str = "") -> Case:
    """首问责任: the owner hands the case to a colleague; recorded as an event."""
    case = get_case(session, case_no)
    to_staff = to_staff.strip()
    if not to_staff:
        raise FieldError("to", "请填写接手的工作人员")
    _event(session, case, clock.utcnow(), identity.actor(session), "handover",
           f"首问责任由 {case.owner} 移交 {to_staff}" + (f"：{note}" if note else ""))
    case.owner = to_staff
    return case


def record_notice_sent(session: Session, case: Case) -> Case:
    """The notice of the end of mediation went to the parties today; its deadline stops showing."""
    today = clock.today()
    case.notice_sent_on = today
    late = case.notice_due is not None and today > case.notice_due
    _event(session, case, clock.utcnow(), identity.actor(session), "notice",
           f"已打印{'终止调解' if case.state == 'terminated' else '调解不成'}告知书送达当事人"
           + (f"（期限 {case.notice_due.isoformat()}，已逾期）" if late else ""))  # type: ignore[union-attr]  # checked before (law)
    return case


def record_advance(session: Session, case_no: str, amount: Decimal, payer: str,
                   recovered_on: dt.date | None = None) -> Case:
    """先行赔付: who paid the consumer first, how much, and when it was recovered from the merchant."""
    case = get_case(session, case_no)
    if amount <= 0:
        raise FieldError("advance_paid", "先行赔付金额须大于0")
    if not payer.strip():
        raise FieldError("advance_payer", "请填写先行赔付的支付方（如：商场、联络点）")
    case.advance_paid = amount
    case.advance_payer = payer.strip()
    case.advance_recovered_on = recovered_on
    _event(session, case, clock.utcnow(), identity.actor(session), "advance",
           f"先行赔付 ¥{amount:.2f}（{payer}）" + (f"，{recovered_on.isoformat()} 已向经营者追偿" if recovered_on
                                               else "，尚未追偿"))
    return case


def parse_move(to_state: str, reason: str = "", reason_code: str = "", at: str | None = None,
               amount_recovered: str | None = None, terms: str = "", remedies: list[str] | None = None,
               referred_to: str = "") -> Move:
    from app.core import validation

    errors = []
    moment = None
    amount = None
    try:
        moment = parse_datetime(at, "at", "办理时间") if at else None
    except FieldError as e:
        errors.append(e)
    try:
        amount = validation.money(amount_recovered, "amount_recovered", "挽回经济损失") if amount_recovered else None
    except FieldError as e:
        errors.append(e)
    if errors:
        raise InputError(errors)
    return Move(to_state, reason or "", reason_code or "", moment, amount, terms or "", list(remedies or []),
                referred_to or "")


# --- reading ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueInfo:
    due: dt.date | None
    what: str  # 受理期限 | 调解期限 | 告知期限 | 回访期限
    working_days_left: int | None
    level: str  # overdue | soon | ok | none | paused
    kind: str = ""  # acceptance | mediation | notice | follow_up


NOTICE_WHAT = "终止调解告知期限"


def open_dues(case: Any) -> list[tuple[str, str, dt.date]]:
    """Every deadline still running for a case: (kind, what, due), the notice before the follow-up visit."""
    dues = []
    if case.state == "registered" and case.acceptance_due:
        dues.append(("acceptance", "受理期限", case.acceptance_due))
    elif case.state in ("accepted", "mediating") and case.mediation_due and not case.paused_since:
        dues.append(("mediation", "调解期限", case.mediation_due))
    if case.state in ("failed", "terminated") and case.notice_due and not case.notice_sent_on:
        dues.append(("notice", NOTICE_WHAT if case.state == "terminated" else "调解不成告知期限", case.notice_due))
    if case.state in lifecycle.OUTCOME_STATES and case.follow_up_due and not case.follow_up_on:
        dues.append(("follow_up", "回访期限", case.follow_up_due))
    return dues


# due_info's deadline in SQL, stored in cases.next_due for sorting (kept by triggers of migration 0007;
# app/storage/bulk.py uses it after a bulk load). tests/app/cases/test_search.py checks the two agree through the lifecycle.
NEXT_DUE_SQL = """CASE
    WHEN state = 'registered' THEN acceptance_due
    WHEN state IN ('accepted', 'mediating') THEN CASE WHEN paused_since IS NULL THEN mediation_due END
    WHEN state IN ('failed', 'terminated') AND notice_due IS NOT NULL AND notice_sent_on IS NULL THEN notice_due
    WHEN state IN ('resolved', 'failed', 'terminated', 'not_accepted', 'referred')
         AND follow_up_on IS NULL THEN follow_up_due
END"""


def due_info(case: Any, cal: WorkCalendar, today: dt.date, soon: int = 2,
             counted: dict[dt.date, int] | None = None) -> DueInfo:
    """The deadline that matters now for a case (a statutory one before the follow-up visit), and how close.

    `case` is a Case or a list row with the same due columns; `counted` caches working days per due date.
    """
    if case.state in ("accepted", "mediating") and case.paused_since:
        return DueInfo(None, "调解计时暂停中", None, "paused", "mediation")
    dues = open_dues(case)
    if not dues:
        return DueInfo(None, "", None, "none")
    kind, what, due = dues[0]
    if counted is None:
        left = cal.working_days_between(today, due)
    else:
        if due not in counted:
            counted[due] = cal.working_days_between(today, due)
        left = counted[due]
    level = "overdue" if due < today else ("soon" if left <= soon else "ok")
    if level == "overdue" and kind == "mediation":
        what = "调解期满未达成协议，应终止调解并告知当事人"
    if level == "overdue" and kind == "notice":
        what += "已过，请尽快打印告知书送达当事人"
    return DueInfo(due, what, left, level, kind)


def money_text(value: Decimal | None) -> str:
    return f"{value:.2f}" if value else "0.00"  # most amounts are nothing: the format is the slow part


# A consumer's personal fields, each with the mask shown in place of it unless in full.
PERSONAL_MASKS = {"name": mask_name, "phone": mask_phone, "id_number": mask_id_number, "address": mask_address}


def case_json(case: Case, full: bool = False) -> dict:
    """A case in the interchange format; personal data masked unless `full`."""
    c = case.consumer
    consumer: dict[str, Any] = {key: getattr(c, key) if full else mask(getattr(c, key))
                                for key, mask in PERSONAL_MASKS.items()}
    consumer |= {"group": c.group, "consent_to_share": c.consent_to_share}
    return {
        "case_no": case.case_no,
        "kind": case.kind,
        "received_at": case.received_at.astimezone(LOCAL_TZ).isoformat(),
        "channel": case.channel,
        "consumer": consumer,
        "merchant": registry.merchant_json(case.merchant),
        "category": case.category,
        "nature": case.nature,
        "product": case.product,
        "brand": case.brand,
        "purchase_date": case.purchase_date.isoformat() if case.purchase_date else None,
        "purchase_channel": case.purchase_channel,
        "amount_paid": money_text(case.amount_paid),
        "amount_claimed": money_text(case.amount_claimed),
        "facts": case.facts,
        "demands": [d for d in case.demands.split(",") if d],
        "state": case.state,
        "acceptance_due": case.acceptance_due.isoformat() if case.acceptance_due else None,
        "mediation_due": case.mediation_due.isoformat() if case.mediation_due else None,
        "amount_recovered": money_text(case.amount_recovered),
        "advance_paid": money_text(case.advance_paid),
        "fast_track": case.fast_track,
        "priority": case.priority,
        "owner": case.owner,
        "rule_set": case.rule_set,
        "outcome": {
            "on": case.outcome_on.isoformat() if case.outcome_on else None,
            "terms": case.outcome_terms,
            "remedy": [r for r in case.remedy.split(",") if r],
            "ground_code": case.ground_code,
            "referred_to": case.referred_to,
        },
        "paused_since": case.paused_since.isoformat() if case.paused_since else None,
        "advance": {"payer": case.advance_payer,
                    "recovered_on": case.advance_recovered_on.isoformat() if case.advance_recovered_on else None},
        "notice": {"due": case.notice_due.isoformat() if case.notice_due else None,
                   "sent_on": case.notice_sent_on.isoformat() if case.notice_sent_on else None},
        "follow_up": {"due": case.follow_up_due.isoformat() if case.follow_up_due else None,
                      "on": case.follow_up_on.isoformat() if case.follow_up_on else None,
                      "satisfaction": case.satisfaction, "note": case.follow_up_note},
    }


def event_json(e: Event) -> dict:
    return {"at": e.at.astimezone(LOCAL_TZ).isoformat(), "staff": e.actor, "action": e.action,
            "from_state": e.from_state, "state": e.to_state, "reason_code": e.reason_code, "note": e.note}


@dataclass
class CaseFilter:
    state: str | None = None
    kind: str | None = None
    text: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # A work-list filter of codes.WORK_FILTERS (逾期, 临期, 在办, 待回访…), judged on `due_on` with
    # "soon" meaning due by `due_soon` (worklist.soon_until); app.services.worklist fills all three.
    due: str = ""
    due_on: dt.date | None = None
    due_soon: dt.date | None = None


# (The consumer's name is encrypted at rest: the list cannot be sorted by it.)
SORT_KEYS = ("case_no", "received_at", "kind", "state", "category", "merchant", "due", "product")


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts (keyset): the sort values of the last row read, and the phase
    (1: rows with a sort value; 2: rows without one, e.g. no deadline, which always come last)."""

    phase: int
    values: tuple


def _sort_columns(order: str) -> tuple[list, bool, str | None]:
    """(columns ending in a unique one, whether rows can lack a value, table to join) for a sort key."""
    if order == "merchant":
        return [Merchant.name, Merchant.id, Case.id], True, "merchant"
    if order == "due":
        return [Case.next_due, Case.id], True, None
    if order in ("kind", "state"):  # within a kind or state, by time of receipt (the filter indexes serve it)
        return [getattr(Case, order), Case.received_at, Case.id], False, None
    column = {"case_no": Case.case_no, "category": Case.category, "product": Case.product}.get(order, Case.received_at)
    return [column, Case.id], False, None


def _conditions(f: CaseFilter) -> list:
    conditions = []
    if f.state:
        conditions.append(Case.state == f.state)
    if f.kind:
        conditions.append(Case.kind == f.kind)
    # The local days as a range of received_at (received_day is its local date, and neither is ever corrected):
    # the list's and the export's index (received_at, id) then serves the range and the order together. On
    # received_day the planner took that day index and sorted the whole range again for every page (an
    # export of a year of 100k cases: 21 s, growing with the square of its length).
    if f.date_from:
        conditions.append(Case.received_at >= dt.datetime.combine(f.date_from, dt.time(), LOCAL_TZ))
    if f.date_to:
        conditions.append(Case.received_at < dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time(), LOCAL_TZ))
    if f.due and f.due_on is not None:
        from app.reports import worklist

        conditions.append(worklist.list_condition(f.due, f.due_on, f.due_soon or f.due_on))
    return conditions


def _checked_text(f: CaseFilter) -> str:
    text = f.text.strip()
    if len(text) > MAX_SEARCH:
        raise FieldError("text", f"查找内容过长（最多 {MAX_SEARCH} 字）")
    return text


def _after(columns: list, values: tuple, descending: bool):
    """Rows strictly after the cursor, in the sort direction (a row-value comparison an index serves)."""
    left, right = tuple_(*columns), tuple_(*[literal(v, c.type) for c, v in zip(columns, values, strict=True)])
    return left < right if descending else left > right


def page(session: Session, f: CaseFilter, order: str = "received_at", descending: bool = True,
         after: Cursor | None = None, limit: int = 200) -> tuple[list[Case], Cursor | None]:
    """One page of cases (ORM objects, in order) and the cursor of the next page (None: the last)."""
    ids, cursor = page_ids(session, f, order, descending, after, limit)
    return _load(session, ids), cursor


def page_ids(session: Session, f: CaseFilter, order: str = "received_at", descending: bool = True,
             after: Cursor | None = None, limit: int = 200) -> tuple[list[int], Cursor | None]:
    """One page of cases in index order, and the cursor of the next page (None: this was the last).

    No OFFSET: however deep the page, it is found through the sort index from the cursor. A text
    filter is answered by app.search (newest registered first, whatever the sort asked for).
    """

    if _checked_text(f):
        return _search_page(session, f, after, limit)
    columns, nullable, join = _sort_columns(order)
    phase = after.phase if after else 1
    out: list[int] = []
    cursor: Cursor | None = None
    while len(out) < limit and phase <= 2:
        sparse = _sparse_merchant_rows(session, f) if phase == 1 and join == "merchant" else None
        if sparse is not None:
            rows = sorted(sparse, reverse=descending)
            if after is not None and after.phase == 1:
                rows = [r for r in rows if (r < after.values if descending else r > after.values)]
            rows = rows[:limit - len(out)]
            query = None
        elif phase == 1:
            query = select(*columns).select_from(Case)
            if join == "merchant":
                query = query.join(Merchant, Case.merchant_id == Merchant.id)
            elif join == "consumer":
                query = query.join(Consumer, Case.consumer_id == Consumer.id)
            where = _conditions(f) + ([columns[0].is_not(None)] if nullable and join is None else [])
            if after is not None and after.phase == 1:
                where.append(_after(columns, after.values, descending))
            query = query.where(*where).order_by(*[c.desc() if descending else c.asc() for c in columns])
        else:
            empty = Case.merchant_id.is_(None) if join == "merchant" else columns[0].is_(None)
            where = _conditions(f) + [empty]
            if after is not None and after.phase == 2:
                where.append(_after([Case.id], after.values, descending))
            query = select(Case.id).where(*where).order_by(Case.id.desc() if descending else Case.id.asc())
        if query is not None:
            rows = [tuple(r) for r in session.execute(query.limit(limit - len(out)))]
        out += [r[-1] for r in rows]
        if rows:
            cursor = Cursor(phase, tuple(rows[-1]))
        if len(out) < limit:
            if phase == 1 and not nullable:
                return out, None
            phase, after = phase + 1, None
            if phase > 2:
                return out, None
    return out, cursor


SPARSE = 5000


def _sparse_merchant_rows(session: Session, f: CaseFilter) -> list[tuple] | None:
    """Under a filter that few cases with a merchant pass (咨询, 调解中), the (merchant name, merchant id,
    case id) of all of them, read from the filter's index; None when there are many, where walking the
    merchant-name index finds a page at once. SQLite only: Python's order of str is its BINARY order."""
    conditions = _conditions(f)
    if not conditions or session.get_bind().dialect.name != "sqlite":
        return None
    rows = session.execute(select(Merchant.name, Merchant.id, Case.id).select_from(Case)
                           .join(Merchant, Case.merchant_id == Merchant.id).where(*conditions)
                           .limit(SPARSE + 1)).all()
    return [tuple(r) for r in rows] if len(rows) <= SPARSE else None


def _search_page(session: Session, f: CaseFilter, after: Cursor | None, limit: int
                 ) -> tuple[list[int], Cursor | None]:
    from app.cases import search

    point = settings.get(session, "point.code")
    before = after.values if after else None  # (received_at, id) of the last case given
    conditions = _conditions(f)
    out: list[int] = []
    while len(out) < limit:
        batch = max(limit, 200) if conditions else limit  # other filters drop some of a batch
        keys = search.page_keys(session, f.text, before, batch, point)
        if not keys:
            return out, None
        ids = [k[1] for k in keys]
        if conditions:  # the other filters, checked on this batch by primary key
            keep = set(session.scalars(select(Case.id).where(Case.id.in_(ids), *conditions)))
            matched = [k for k in keys if k[1] in keep]
        else:
            matched = keys
        take = matched[:limit - len(out)]
        out += [k[1] for k in take]
        before = keys[-1] if len(take) == len(matched) else take[-1]
        if len(keys) < batch and len(take) == len(matched):
            return out, None
    return out, Cursor(1, tuple(before or ()))


LIST_COLUMNS = (Case.id, Case.case_no, Case.received_at, Case.kind, Case.state, Case.product, Case.category,
                Case.priority, Case.fast_track, Case.acceptance_due, Case.mediation_due, Case.paused_since,
                Case.notice_due, Case.notice_sent_on, Case.follow_up_due, Case.follow_up_on,
                Consumer.name.label("consumer_name"), Consumer.phone.label("consumer_phone"),
                Merchant.name.label("merchant_name"), MerchantRequest.reply_due.label("reply_due"))

MAX_SEARCH = 200  # longer text is no search term (and SQLite refuses very long LIKE patterns)


def list_rows(session: Session, ids: list[int]) -> list:
    """Just what a line of the case list shows, for these ids in this order (rows, not ORM objects:
    a page is read in a few milliseconds). Each row has the attributes due_info reads, and `reply_due`,
    the deadline of the merchant's reply to a request still unanswered (a case has at most one)."""
    if not ids:
        return []
    found = {r.id: r for r in session.connection().execute(_list_query(), {"ids": ids}).all()}
    return [found[i] for i in ids if i in found]


@functools.cache
def _list_query():
    """Built once (building the statement took as long as reading a page); run through the connection
    with fetchall, not the ORM's per-row loading."""
    return (select(*LIST_COLUMNS).join(Consumer, Case.consumer_id == Consumer.id)
            .outerjoin(Merchant, Case.merchant_id == Merchant.id)
            .outerjoin(MerchantRequest, (MerchantRequest.case_id == Case.id) & MerchantRequest.replied_on.is_(None))
            .where(Case.id.in_(bindparam("ids", expanding=True))))


def _load(session: Session, ids: list[int]) -> list[Case]:
    """The cases of these ids, in this order (consumer and merchant read with them)."""
    if not ids:
        return []
    found = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids))).unique()}
    return [found[i] for i in ids if i in found]


def count_cases(session: Session, f: CaseFilter) -> int:
    from app.cases import search

    if _checked_text(f):
        conditions = _conditions(f)
        if not conditions:
            return search.count(session, f.text, settings.get(session, "point.code"))
        return sum(1 for _ in iter_cases_ids(session, f))
    return session.scalar(select(func.count()).select_from(Case).where(*_conditions(f))) or 0


def iter_cases_ids(session: Session, f: CaseFilter) -> Iterator[int]:
    cursor = None
    while True:
        ids, cursor = page_ids(session, f, after=cursor, limit=1000)
        yield from ids
        if cursor is None:
            return


def iter_cases(session: Session, f: CaseFilter, order: str = "received_at", descending: bool = True,
               batch: int = 500, limit: int | None = None) -> Iterator[Case]:
    """Every matching case, a page at a time (memory stays flat); `limit` stops early."""
    cursor, given = None, 0
    while True:
        size = batch if limit is None else min(batch, limit - given)
        if size <= 0:
            return
        cases, cursor = page(session, f, order, descending, cursor, size)
        for case in cases:
            yield case
            session.expunge(case)  # what was yielded is not kept by the session: memory stays flat
            session.expunge(case.consumer)
        given += len(cases)
        if cursor is None:
            return


def iter_case_records(session: Session, f: CaseFilter, order: str = "received_at", descending: bool = True,
                      batch: int = 1000, limit: int | None = None, fields: tuple[str, ...] = ()) -> Iterator[Any]:
    """Every matching case as a read-only record, a page at a time: the case `fields` (default: what
    case_json reads) with id, merchant_id, .consumer and .merchant. For exports and streamed lists,
    which spent most of their time building ORM objects."""
    shape = _record_shape(fields or JSON_FIELDS)
    columns, nullable, join = _sort_columns(order)
    direct = join is None and not nullable and not _checked_text(f)
    cursor, given = None, 0
    while True:
        size = batch if limit is None else min(batch, limit - given)
        if size <= 0:
            return
        if direct:  # one query a page: the sort index walked from the cursor, the rows read as it goes
            query = shape.query.where(*_conditions(f))
            if cursor is not None:
                query = query.where(_after(columns, cursor.values, descending))
            query = query.add_columns(*columns).order_by(*[c.desc() if descending else c.asc() for c in columns])
            rows = session.connection().execute(query.limit(size)).all()
            records = [shape.record(row[:-len(columns)]) for row in rows]
            cursor = Cursor(1, tuple(rows[-1][-len(columns):])) if len(rows) == size else None
        else:
            ids, cursor = page_ids(session, f, order, descending, cursor, size)
            records = _records(session, shape, ids)
        yield from records
        given += len(records)
        if cursor is None:
            return


# What case_json reads (the blind-index hashes, purge marks and report facts stay in the database).
JSON_FIELDS = tuple(c.name for c in Case.__table__.c if c.name not in (
    "received_day", "consumer_id", "updated_at", "accepted_on", "outcome", "was_accepted", "decided_on", "next_due",
    "seal"))
_CONSUMER_KEYS = ("name", "phone", "id_number", "address", "group", "consent_to_share")
_MERCHANT_KEYS = ("name", "uscc", "shop_no", "phone", "address")


@dataclass(frozen=True)
class _RecordShape:
    """The query of records holding these case fields (with id and merchant_id), and how to cut its rows."""

    query: Any
    case_keys: tuple[str, ...]

    def record(self, row) -> Any:
        from types import SimpleNamespace

        n, m = len(self.case_keys), len(self.case_keys) + len(_CONSUMER_KEYS)
        case = SimpleNamespace(**dict(zip(self.case_keys, row[:n], strict=True)))
        case.consumer = SimpleNamespace(**dict(zip(_CONSUMER_KEYS, row[n:m], strict=True)))
        case.merchant = (SimpleNamespace(**dict(zip(_MERCHANT_KEYS, row[m:], strict=True)))
                         if case.merchant_id is not None else None)
        return case


@functools.cache
def _record_shape(fields: tuple[str, ...]) -> _RecordShape:
    keys = tuple(dict.fromkeys(("id", "merchant_id", *fields)))
    table, consumers, merchants_ = Case.__table__, Consumer.__table__, Merchant.__table__
    query = (select(*[table.c[k] for k in keys], *[consumers.c[k] for k in _CONSUMER_KEYS],
                    *[merchants_.c[k] for k in _MERCHANT_KEYS])
             .join(consumers, Case.consumer_id == Consumer.id)
             .outerjoin(merchants_, Case.merchant_id == Merchant.id))
    return _RecordShape(query, keys)


def _records(session: Session, shape: _RecordShape, ids: list[int]) -> list[Any]:
    """The records of these ids, in this order (through the connection: a Core result, without the
    ORM's loading machinery)."""
    if not ids:
        return []
    rows = session.connection().execute(shape.query.where(Case.id.in_(ids)))
    found = {r.id: r for r in map(shape.record, rows)}
    return [found[i] for i in ids if i in found]


def list_cases(session: Session, f: CaseFilter, order: str = "received_at", descending: bool = True,
               limit: int | None = None) -> list[Case]:
    """Cases newest first unless another order is asked for (all of them, or the first `limit`)."""
    return list(iter_cases(session, f, order, descending, limit=limit))


def search(session: Session, text: str, limit: int | None = None) -> list[Case]:
    return list_cases(session, CaseFilter(text=text), limit=limit)




# --- returning consumers and repeat complaints ---------------------------------------------------

def find_by_phone(session: Session, phone: str, limit: int = 20) -> list[Case]:
    """Earlier cases of the consumer with this full phone number, newest first (through the blind index,
    so no one's personal data is decrypted to look)."""
    from app.storage import blind_index

    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return []
    ids = blind_index.case_ids_for(session, digits)
    if not ids:
        return []
    query = select(Case).where(Case.id.in_(ids)).order_by(Case.received_at.desc(), Case.id.desc()).limit(limit)
    return list(session.scalars(query).unique())


REPEAT_DAYS = 30


def similar_open(session: Session, merchant_name: str, product: str, day: dt.date,
                 days: int = REPEAT_DAYS) -> list[Case]:
    """Complaints still being handled against the same merchant about the same product, received in the
    `days` before `day`: shown before a new one is saved, to be linked or registered anyway."""
    merchant_name, product = merchant_name.strip(), product.strip()
    if not merchant_name or not product:
        return []
    query = (select(Case).join(Merchant, Case.merchant_id == Merchant.id)
             .where(Case.kind == "complaint", Merchant.name == merchant_name, Case.product == product,
                    Case.state.in_(tuple(lifecycle.OPEN_STATES)),
                    Case.received_day >= day - dt.timedelta(days=days), Case.received_day <= day)
             .order_by(Case.received_at.desc()))
    return list(session.scalars(query).unique())


def add_note(session: Session, case_no: str, note: str) -> Case:
    """A note in the case's history without a change of state (e.g. the consumer called again)."""
    if not note.strip():
        raise FieldError("note", "请写明要记入办理经过的内容")
    case = get_case(session, case_no)
    _event(session, case, clock.utcnow(), identity.actor(session), "note", note.strip(), case.state)
    session.flush()
    return case
