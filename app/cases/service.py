"""The desk's services for cases: cases, retention."""
from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from app.calendar import holiday_arrangements
from app.calendar.deadlines import WorkCalendar
from app.cases import check_codes, corrections, detail, intake, mediation, records, retention
from app.cases.detail import CaseDetail
from app.cases.intake import LOCAL_TZ, parse_case, parse_datetime
from app.core import clock, codes, validation
from app.core.errors import FieldError
from app.core.privacy import mask_name, mask_phone
from app.merchants import requests
from app.point import settings
from app.staff import audit, identity
from app.staff.guard import require_supervisor
from app.storage import crypto
from app.storage.db import Service


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list, masked, with its deadline already worked out."""

    case_no: str
    received: str
    kind: str
    state: str
    consumer: str
    phone: str
    merchant: str
    product: str
    category: str
    due: str
    due_what: str
    days_left: int | None
    level: str
    priority: bool
    fast_track: bool
    due_kind: str = ""  # acceptance | mediation | notice | follow_up


def _moment(at: str | None, label: str) -> dt.datetime | None:
    return parse_datetime(at, "at", label) if at else None


class CaseService(Service):
    @staticmethod
    def required_fields(kind: str) -> set[str]:
        """The fields a case of this kind must have (marked * on the form)."""
        return set(intake.REQUIRED.get(kind, {}))

    COMPLETE_AT = intake.COMPLETE_AT

    @staticmethod
    def check_field(code: str, value: str, received: dt.date) -> None:
        """A field as the clerk typed it, checked by the rule saving applies (FieldError if wrong)."""
        intake.check_field(code, value, received, clock.today())

    def fast_track_threshold(self, kind: str, claimed: str) -> Decimal | None:
        """The 小额快速处理 threshold when a claim of `claimed` would be proposed for it, else None."""
        try:
            amount = validation.money(claimed, "amount_claimed", "诉求金额")
        except FieldError:
            return None
        with self.store.read() as s:
            threshold = settings.fast_track_threshold(s)
        return threshold if intake.fast_track_proposed(kind, amount, threshold) else None

    @staticmethod
    def missing(kind: str, filled: Callable[[str], bool]) -> list[tuple[str, str]]:
        """(field, message) for each required field `filled` says is empty: the rule saving applies."""
        return intake.missing(kind, filled)

    def add(self, data: dict, distinct_merchant: bool = False) -> dict:
        """Validate and store a case; returns it in full (the desk that typed it sees it all).

        A merchant name/USCC that disagrees with the registry raises merchants.MerchantConflict; the
        window asks the clerk and calls again, `distinct_merchant` meaning "another firm of that name"."""
        parsed = parse_case(data)
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            case = records.add_case(s, parsed, cal, distinct_merchant)
            return records.case_json(case, full=True)

    def correct(self, case_no: str, changes: dict, reason: str, distinct_merchant: bool = False) -> dict:
        """Correct a registered case's fields with a reason; old and new values become an event."""
        with self.store.write() as s:
            return records.case_json(corrections.correct(s, case_no, changes, reason, distinct_merchant), full=True)

    def lookup(self, case_no: str, code: str) -> dict:
        """电话查询 by the check code on the receipt (app/cases/phone_lookup.py); a wrong code is recorded."""
        from app.cases import phone_lookup

        try:
            with self.store.write() as s:
                identity.current(s)
                return phone_lookup.lookup(s, case_no, code, holiday_arrangements.load_calendar(s))
        except phone_lookup.WrongCode as e:
            with self.store.write() as s:
                phone_lookup.record_refusal(s, e.case_no)
            raise

    def show(self, case_no: str) -> CaseDetail:
        """Everything about a case, personal data in full (`.as_json()`: what `case show` prints). Reading
        writes nothing: whoever shows it to a person records that with `record_view` (once per opening, not
        on every refresh)."""
        with self.store.read() as s:
            identity.current(s)  # personal data only for a member signed in
            case = records.get_case(s, case_no)
            cal = holiday_arrangements.load_calendar(s)
            soon = int(settings.get(s, "deadline.due_soon_working_days"))
            code = check_codes.code(crypto.attached(s.get_bind()), case.case_no)
            return detail.build(s, case, cal, clock.today(), soon, code)

    def record_view(self, case_no: str, how: str = "查看案件（含个人信息）") -> None:
        """The member signed in has seen this case's personal data (the window opened it, `case show`)."""
        with self.store.write() as s:
            records.get_case(s, case_no)
            audit.record(s, "view", case_no, how)

    def move(self, case_no: str, to_state: str, reason: str = "", reason_code: str = "", at: str | None = None,
             amount_recovered: str | None = None, terms: str = "",
             remedies: list[str] | None = None, referred_to: str = "") -> dict:
        move = records.parse_move(to_state, reason, reason_code, at, amount_recovered, terms, remedies, referred_to)
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            return records.case_json(records.move_case(s, case_no, move, cal))

    def mediate(self, case_no: str, mode: str, participants: list[str], offer: str = "", answer: str = "",
                note: str = "", at: str | None = None) -> dict:
        moment = _moment(at, "调解时间")
        with self.store.write() as s:
            mediation.log_session(s, case_no, mode, participants, offer, answer, note, moment)
            return records.case_json(records.get_case(s, case_no))

    def pause(self, case_no: str, reason: str = "", at: str | None = None,
              reason_code: str = "") -> dict:
        """Stop the clock for 检定、检验、检测、鉴定; any other reason is kept as a note (`clock_paused` false)."""
        moment = _moment(at, "暂停时间")
        with self.store.write() as s:
            case, paused = mediation.pause(s, case_no, reason, moment, reason_code)
            result = records.case_json(case)
            result["clock_paused"] = paused
            result["message"] = (f"调解计时已暂停（{case.paused_since.isoformat()} 起）" if paused else  # type: ignore[union-attr]
                                 f"“{reason.strip()}”不属于检定、检验、检测、鉴定，已记为备注；调解计时不暂停，"
                                 f"调解期限仍为 {case.mediation_due.isoformat() if case.mediation_due else '—'}")
            return result

    def resume(self, case_no: str, at: str | None = None) -> dict:
        moment = _moment(at, "恢复时间")
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            return records.case_json(mediation.resume(s, case_no, cal, moment))

    def follow_up(self, case_no: str, satisfaction: str, note: str = "", at: str | None = None) -> dict:
        moment = _moment(at, "回访时间")
        with self.store.write() as s:
            return records.case_json(records.record_follow_up(s, case_no, satisfaction, note, moment))

    def reopen(self, case_no: str, reason: str) -> dict:
        with self.store.write() as s:
            return records.case_json(records.reopen(s, case_no, reason))

    def hand_over(self, case_no: str, to_staff: str, note: str = "") -> dict:
        with self.store.write() as s:
            return records.case_json(records.hand_over(s, case_no, to_staff, note))

    def record_advance(self, case_no: str, amount: str, payer: str, recovered_on: str | None = None) -> dict:
        value = validation.money(amount, "advance_paid", "先行赔付金额")
        day = validation.date(recovered_on, "advance_recovered_on", "追偿日期") if recovered_on else None
        with self.store.write() as s:
            return records.case_json(records.record_advance(s, case_no, value, payer, day))

    def list(self, f: records.CaseFilter | None = None, limit: int | None = None) -> builtins.list[dict]:
        return list(self.iter_json(f or records.CaseFilter(), limit))

    def search(self, text: str, limit: int | None = None) -> builtins.list[dict]:
        self.audit_personal_search(text)  # recorded first: refused past the minute's limit
        return list(self.iter_json(records.CaseFilter(text=text), limit))

    def iter_json(self, f: records.CaseFilter, limit: int | None = None) -> Iterator[dict]:
        """Every matching case (masked) as it is read, for streaming output; memory stays flat."""
        with self.store.read() as s:
            for c in records.iter_case_records(s, f, limit=limit, batch=500):
                yield records.case_json(c)

    PERSONAL_SEARCHES_PER_MINUTE = 20

    def audit_personal_search(self, text: str) -> None:
        """A search by phone or name is a use of personal data: recorded, with the term masked, before it
        runs. Past 20 a minute a member is paused (a masked phone was recovered from 1,235 searches of
        `139????5678`): refused, and the pause recorded."""
        from app.storage import blind_index

        with self.store.read() as s:
            found = blind_index.lookup(s, text)
        if found is None or (found.kind == "name" and not found.case_ids):
            return  # ordinary text (merchant, product …) that names no consumer
        kinds = {"phone": "电话号码", "tail": "电话尾号", "name": "姓名", "fragment": "电话号码片段"}
        what = f"按{kinds[found.kind]} {found.masked} 查找"
        with self.store.write() as s:
            paused = audit.recent(s, "search", 60) >= self.PERSONAL_SEARCHES_PER_MINUTE
            audit.record(s, "search_paused" if paused else "search",
                         detail=f"{what}（1 分钟内已超过 {self.PERSONAL_SEARCHES_PER_MINUTE} 次，未查找）" if paused
                         else f"{what}，找到 {len(found.case_ids)} 件")
        if paused:
            raise FieldError("text", f"按电话或姓名查找太频繁：每分钟最多 {self.PERSONAL_SEARCHES_PER_MINUTE} 次，"
                                     "请稍后再查（已记入审计记录）")

    def count(self, f: records.CaseFilter) -> int:
        with self.store.read() as s:
            return records.count_cases(s, f)

    def rows(self, f: records.CaseFilter, order: str, descending: bool, after: records.Cursor | None, limit: int,
             cal: WorkCalendar, today: dt.date | None = None) -> tuple[builtins.list[CaseRow], records.Cursor | None]:
        """A page of the case list for the window (masked), and the cursor of the next page."""
        today = today or clock.today()
        with self.store.read() as s:
            soon = int(settings.get(s, "deadline.due_soon_working_days"))
            out = []
            ids, cursor = records.page_ids(s, f, order, descending, after, limit)
            left: dict[dt.date, int] = {}  # working days to each due date, counted once a page
            for c in records.list_rows(s, ids):
                info = records.due_info(c, cal, today, soon, left)
                reply_due = c.reply_due
                if reply_due is not None and (info.due is None or reply_due < info.due):
                    days = cal.working_days_between(today, reply_due)
                    info = records.DueInfo(reply_due, requests.WHAT, days,
                                         "overdue" if reply_due < today else ("soon" if days <= soon else "ok"),
                                         "merchant_reply")
                out.append(CaseRow(
                    case_no=c.case_no,
                    received=c.received_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
                    kind=codes.label(codes.KIND, c.kind), state=codes.label(codes.STATE, c.state),
                    consumer=mask_name(c.consumer_name), phone=mask_phone(c.consumer_phone),
                    merchant=c.merchant_name or "", product=c.product,
                    category=codes.label(codes.CATEGORY, c.category),
                    due=info.due.isoformat() if info.due else "", due_what=info.what,
                    days_left=info.working_days_left, level=info.level, priority=c.priority,
                    fast_track=c.fast_track, due_kind=info.kind,
                ))
            return out, cursor

    # -- returning consumers and repeat complaints --------------------------------------------------
    def find_by_phone(self, phone: str) -> builtins.list[dict]:
        """The earlier cases of the consumer with this full phone, newest first, with the name on record
        (the desk fills it in; looking it up is recorded in the audit log)."""
        with self.store.write() as s:
            found = records.find_by_phone(s, phone)
            if found:
                audit.record(s, "view", "", f"按电话查既往案件（{mask_phone(phone)}，{len(found)} 件）")
            return [{"case_no": c.case_no, "received": c.received_day.isoformat(), "kind": c.kind, "state": c.state,
                     "name": c.consumer.name, "merchant": c.merchant.name if c.merchant else "",
                     "product": c.product} for c in found]

    def similar_open(self, merchant_name: str, product: str, day: dt.date | None = None) -> builtins.list[dict]:
        """Open complaints of the last 30 days against the same merchant about the same product (masked)."""
        with self.store.read() as s:
            found = records.similar_open(s, merchant_name, product, day or clock.today())
            return [{"case_no": c.case_no, "received": c.received_day.isoformat(), "state": c.state,
                     "consumer": mask_name(c.consumer.name), "phone": mask_phone(c.consumer.phone),
                     "facts": c.facts} for c in found]

    def add_note(self, case_no: str, note: str) -> dict:
        with self.store.write() as s:
            return records.case_json(records.add_note(s, case_no, note), full=True)


class RetentionService(Service):
    def default_cutoff(self) -> dt.date:
        with self.store.read() as s:
            years = int(settings.get(s, "privacy.retention_years"))
        return retention.default_cutoff(clock.now().date(), years)

    def count(self, cutoff: dt.date | None = None) -> int:
        with self.store.read() as s:
            return retention.count(s, cutoff or self.default_cutoff())

    def purge(self, cutoff: dt.date | None = None) -> list[str]:
        cutoff = cutoff or self.default_cutoff()
        with self.store.write() as s:
            require_supervisor(s, "清除个人信息")
            numbers = retention.purge(s, cutoff, identity.actor(s), clock.now().date())
            audit.record(s, "purge", detail=f"清除 {cutoff.isoformat()} 前办结的 {len(numbers)} 件案件的消费者个人信息")
            return numbers
