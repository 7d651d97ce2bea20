"""The front desk's operations over one database: what the window and the `liaison` command call."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app import audit, cases, codes, holiday_arrangements, merchants, settings
from app.db import Store
from app.deadlines import WorkCalendar, compute
from app.errors import FieldError
from app.intake import LOCAL_TZ, parse_case, parse_datetime
from app.privacy import mask_name, mask_phone


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


class Desk:
    def __init__(self, store: Store):
        from app.services.worklist import WorklistService

        self.store = store
        self.worklist = WorklistService(store)

    # -- calendar ------------------------------------------------------------------------------
    def calendar(self) -> WorkCalendar:
        with self.store.read() as s:
            return holiday_arrangements.load_calendar(s)

    def deadlines(self, received: dt.date, accepted: dt.date | None = None):
        return compute(self.calendar(), received, accepted)

    def save_holiday_year(self, year: int, holidays: list[dt.date], workdays: list[dt.date], source: str = ""):
        with self.store.write() as s:
            holiday_arrangements.save_year(s, year, holidays, workdays, source)
            audit.record(s, "change", detail=f"录入{year}年节假日安排")

    def holiday_year(self, year: int):
        with self.store.read() as s:
            return holiday_arrangements.year_arrangement(s, year)

    # -- settings ------------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        with self.store.read() as s:
            return settings.all_settings(s)

    def is_configured(self) -> bool:
        with self.store.read() as s:
            return settings.is_configured(s)

    def put_settings(self, values: dict[str, str]) -> dict[str, str]:
        """Set several settings at once: all are checked first, nothing is stored if one is wrong."""
        from app.errors import FieldError, InputError

        errors = []
        for key, value in values.items():
            try:
                settings.normalize(key, value)
            except FieldError as e:
                errors.append(e)
        if errors:
            raise InputError(errors)
        with self.store.write() as s:
            for key, value in values.items():
                settings.put(s, key, value)
            audit.record(s, "change", detail="修改设置：" + "、".join(values))
            return settings.all_settings(s)

    # -- cases ---------------------------------------------------------------------------------
    def add_case(self, data: dict, actor: str | None = None) -> dict:
        """Validate and store a case; returns it in full (the desk that typed it sees it all)."""
        parsed = parse_case(data)
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            case = cases.add_case(s, parsed, cal, actor)
            return cases.case_json(case, full=True)

    def show_case(self, case_no: str, actor: str | None = None) -> dict:
        """Everything about a case, personal data in full; the view is recorded in the audit log."""
        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            cal = holiday_arrangements.load_calendar(s)
            result = cases.case_json(case, full=True)
            result["events"] = [cases.event_json(e) for e in case.events]
            result["answer"] = cases.answer_of(case)
            accepted = case.accepted_on
            result["deadlines"] = compute(cal, case.received_day, accepted).as_json()
            # The stored due date already carries the pauses (app/mediation.py), so it is the one to show.
            result["deadlines"]["mediation_due"] = result["mediation_due"]
            info = cases.due_info(case, cal, dt.datetime.now(LOCAL_TZ).date())
            result["deadlines"]["current"] = {"what": info.what, "due": info.due.isoformat() if info.due else None,
                                             "working_days_left": info.working_days_left, "level": info.level}
            result["allowed_moves"] = cases.lifecycle.allowed_moves(case.kind, case.state)
            from app import scam_watch

            result["scam_warnings"] = scam_watch.warnings(
                s, scam_watch.numbers_in(case.facts, case.merchant.phone if case.merchant else ""), case.brand,
                exclude_case=case.id)
            from app import mediation

            result["mediation_log"] = [
                {"at": m.at.astimezone(LOCAL_TZ).isoformat(), "mode": m.mode,
                 "participants": [p for p in m.participants.split(",") if p], "offer": m.offer, "answer": m.answer,
                 "note": m.note, "staff": m.actor} for m in mediation.sessions(s, case)]
            result["pauses"] = [{"reason": p.reason, "from": p.started_on.isoformat(),
                                 "to": p.ended_on.isoformat() if p.ended_on else None}
                                for p in mediation.pauses(s, case)]
            audit.record(s, "view", case_no, "查看案件（含个人信息）", actor)
            return result

    def move(self, case_no: str, to_state: str, reason: str = "", reason_code: str = "", at: str | None = None,
             amount_recovered: str | None = None, actor: str | None = None, terms: str = "",
             remedies: list[str] | None = None, referred_to: str = "") -> dict:
        move = cases.parse_move(to_state, reason, reason_code, at, amount_recovered, terms, remedies, referred_to)
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            case = cases.move_case(s, case_no, move, cal, actor)
            return cases.case_json(case)

    def log_mediation(self, case_no: str, mode: str, participants: list[str], offer: str = "", answer: str = "",
                      note: str = "", at: str | None = None, actor: str | None = None) -> dict:
        from app import mediation

        moment = parse_datetime(at, "at", "调解时间") if at else None
        with self.store.write() as s:
            mediation.log_session(s, case_no, mode, participants, offer, answer, note, moment, actor)
            return cases.case_json(cases.get_case(s, case_no))

    def pause(self, case_no: str, reason: str, at: str | None = None, actor: str | None = None) -> dict:
        from app import mediation

        moment = parse_datetime(at, "at", "暂停时间") if at else None
        with self.store.write() as s:
            return cases.case_json(mediation.pause(s, case_no, reason, moment, actor))

    def resume(self, case_no: str, at: str | None = None, actor: str | None = None) -> dict:
        from app import mediation

        moment = parse_datetime(at, "at", "恢复时间") if at else None
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            return cases.case_json(mediation.resume(s, case_no, cal, moment, actor))

    def follow_up(self, case_no: str, satisfaction: str, note: str = "", at: str | None = None,
                  actor: str | None = None) -> dict:
        moment = parse_datetime(at, "at", "回访时间") if at else None
        with self.store.write() as s:
            return cases.case_json(cases.record_follow_up(s, case_no, satisfaction, note, moment, actor))

    def reopen(self, case_no: str, reason: str, actor: str | None = None) -> dict:
        with self.store.write() as s:
            return cases.case_json(cases.reopen(s, case_no, reason, actor))

    def hand_over(self, case_no: str, to_staff: str, note: str = "", actor: str | None = None) -> dict:
        with self.store.write() as s:
            return cases.case_json(cases.hand_over(s, case_no, to_staff, note, actor))

    def record_advance(self, case_no: str, amount: str, payer: str, recovered_on: str | None = None,
                       actor: str | None = None) -> dict:
        from app import validation

        value = validation.money(amount, "advance_paid", "先行赔付金额")
        day = validation.date(recovered_on, "advance_recovered_on", "追偿日期") if recovered_on else None
        with self.store.write() as s:
            return cases.case_json(cases.record_advance(s, case_no, value, payer, day, actor))

    def list_cases(self, f: cases.CaseFilter | None = None, limit: int | None = None) -> list[dict]:
        with self.store.read() as s:
            return [cases.case_json(c) for c in cases.list_cases(s, f or cases.CaseFilter(), limit=limit)]

    def search(self, text: str, limit: int | None = None) -> list[dict]:
        with self.store.read() as s:
            return [cases.case_json(c) for c in cases.search(s, text, limit)]

    def count(self, f: cases.CaseFilter) -> int:
        with self.store.read() as s:
            return cases.count_cases(s, f)

    def rows(self, f: cases.CaseFilter, order: str, descending: bool, offset: int, limit: int,
             cal: WorkCalendar, today: dt.date | None = None) -> list[CaseRow]:
        """A page of the case list for the window (masked)."""
        today = today or dt.datetime.now(LOCAL_TZ).date()
        with self.store.read() as s:
            soon = int(settings.get(s, "deadline.due_soon_working_days"))
            page = cases.list_cases(s, f, order, descending, offset, limit)
            out = []
            for c in page:
                info = cases.due_info(c, cal, today, soon)
                out.append(CaseRow(
                    case_no=c.case_no,
                    received=c.received_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
                    kind=codes.label(codes.KIND, c.kind), state=codes.label(codes.STATE, c.state),
                    consumer=mask_name(c.consumer.name), phone=mask_phone(c.consumer.phone),
                    merchant=c.merchant.name if c.merchant else "", product=c.product,
                    category=codes.label(codes.CATEGORY, c.category),
                    due=info.due.isoformat() if info.due else "", due_what=info.what,
                    days_left=info.working_days_left, level=info.level, priority=c.priority,
                    fast_track=c.fast_track,
                ))
            return out

    # -- merchant registry -----------------------------------------------------------------------
    def merchants(self, text: str = "") -> list[dict]:
        with self.store.read() as s:
            return merchants.registry(s, text)

    def merchant_detail(self, merchant_id: int) -> dict:
        with self.store.read() as s:
            return merchants.detail(s, merchant_id)

    def save_merchant(self, data: dict, merchant_id: int | None = None) -> dict:
        with self.store.write() as s:
            m = merchants.save_merchant(s, data, merchant_id)
            audit.record(s, "change", detail=f"经营者登记：{m.name}")
            return {"id": m.id, **merchants.merchant_json(m)}

    def add_commitment(self, merchant_id: int, kind: str, signed_on: str, note: str = "") -> None:
        from app import validation
        from app.errors import FieldError

        day = validation.date(signed_on, "signed_on", "签署日期")
        if day is None:
            raise FieldError("signed_on", "请填写签署日期")
        with self.store.write() as s:
            merchants.add_commitment(s, merchant_id, kind, day, note)

    def add_delisting(self, merchant_id: int, product: str, delisted_on: str, reason: str, quantity: str = "",
                      action: str = "", reported_on: str | None = None) -> None:
        from app import validation
        from app.errors import FieldError

        day = validation.date(delisted_on, "delisted_on", "退市日期")
        if day is None:
            raise FieldError("delisted_on", "请填写退市日期")
        reported = validation.date(reported_on, "reported_on", "报告日期") if reported_on else None
        with self.store.write() as s:
            merchants.add_delisting(s, merchant_id, product, day, reason, quantity, action, reported)

    def commitment_pdf(self, merchant_id: int) -> bytes:
        from app.printing import commitment

        with self.store.read() as s:
            d = merchants.detail(s, merchant_id)
            signed = [c for c in d["commitments"] if c["kind"] == "quality_safety"]
            day = dt.date.fromisoformat(signed[-1]["signed_on"]) if signed else None
            return commitment.render(d, day, settings.all_settings(s), dt.datetime.now(LOCAL_TZ).date())

    # -- scam watch ------------------------------------------------------------------------------
    def scam_check(self, facts: str, merchant_phone: str = "", brand: str = "") -> list[str]:
        """Warnings for the numbers in what is being typed at intake."""
        from app import scam_watch

        phone = ""
        if merchant_phone.strip():
            try:
                from app import validation

                phone = validation.phone(merchant_phone, "merchant.phone", "经营者电话")
            except FieldError:
                phone = ""
        with self.store.read() as s:
            return scam_watch.warnings(s, scam_watch.numbers_in(facts, phone), brand.strip())

    def watch_number(self, number: str, note: str = "") -> str:
        from app import scam_watch

        with self.store.write() as s:
            digits = scam_watch.watch(s, number, note)
            audit.record(s, "change", detail=f"监控号码 {digits}")
            return digits

    def unwatch_number(self, number: str) -> None:
        from app import scam_watch

        with self.store.write() as s:
            scam_watch.unwatch(s, number)

    def watch_list(self) -> list[dict]:
        from app import scam_watch

        with self.store.read() as s:
            return scam_watch.watch_list(s)

    def export_watch_list(self, path) -> int:
        from pathlib import Path

        from app import scam_watch

        with self.store.read() as s:
            return scam_watch.export(s, Path(path))

    def fast_track_threshold(self):
        with self.store.read() as s:
            return settings.fast_track_threshold(s)

    def suggest_merchants(self, text: str) -> list[dict]:
        with self.store.read() as s:
            return merchants.suggest(s, text)

    # -- documents -----------------------------------------------------------------------------
    def receipt_pdf(self, case_no: str, actor: str | None = None) -> bytes:
        """The complaint receipt (投诉登记回执) as PDF bytes; the print is recorded."""
        from app.printing import receipt

        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            cal = holiday_arrangements.load_calendar(s)
            data = receipt.ReceiptData.from_case(case, settings.all_settings(s), cal)
            audit.record(s, "print", case_no, "打印投诉登记回执（个人信息已遮盖）", actor)
        return receipt.render(data)

    def notice_pdf(self, kind: str, case_no: str, actor: str | None = None) -> bytes:
        """不予受理告知书, 调解协议书 or 终止调解/调解不成告知书; the agreement carries full names."""
        from app.printing import notices

        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            pdf = notices.render(case, kind, settings.all_settings(s))
            masked = "" if kind == "agreement" else "（个人信息已遮盖）"
            audit.record(s, "print", case_no, f"打印{notices.KINDS[kind]}{masked}", actor)
        return pdf

    # -- ledger ------------------------------------------------------------------------------------
    def import_ledger(self, path, actor: str | None = None) -> list[str]:
        """All or nothing: raises ledger.ImportRejected listing every bad row, else imports every row."""
        from pathlib import Path

        from app import ledger

        rows = ledger.read_rows(Path(path))
        parsed, errors = ledger.check(rows)
        if errors:
            raise ledger.ImportRejected(errors)
        if not parsed:
            raise FieldError("file", "文件中没有案件")
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            return ledger.import_cases(s, [c for _n, c in parsed], cal, actor or audit.current_actor())

    def export_ledger(self, path, f: cases.CaseFilter | None = None, full: bool = False,
                      actor: str | None = None) -> int:
        from pathlib import Path

        from app import ledger

        with self.store.write() as s:
            rows = ledger.export_rows(s, f or cases.CaseFilter(), full)
            ledger.write(Path(path), rows)
            consenting = sum(1 for r in rows if r["consumer"]["consent_to_share"]) if full else 0
            audit.record(s, "export", detail=f"导出 {len(rows)} 件到 {Path(path).name}（"
                         + (f"{consenting} 件同意提供者含完整个人信息" if full else "个人信息已遮盖") + "）",
                         actor=actor)
            return len(rows)

    def referral_pdf(self, case_no: str, actor: str | None = None) -> bytes:
        """转办单 for one case; personal data in full only where the consumer consented."""
        from app import mediation
        from app.printing import referral

        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            pdf = referral.render_one(case, mediation.sessions(s, case), settings.all_settings(s),
                                      dt.datetime.now(LOCAL_TZ).date())
            audit.record(s, "print", case_no, "打印转办单" + ("（含同意提供的个人信息）" if case.consumer.consent_to_share
                                                         else "（个人信息已遮盖）"), actor)
        return pdf

    def referred_cases(self, date_from: dt.date, date_to: dt.date) -> list:
        """Cases referred within the period (by the day of the referral event)."""
        from sqlalchemy import select

        from app.models import Case, Event

        start = dt.datetime.combine(date_from, dt.time(), LOCAL_TZ)
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
        with self.store.read() as s:
            ids = s.scalars(select(Event.case_id).where(Event.to_state == "referred", Event.action == "move",
                                                       Event.at >= start, Event.at < end).distinct()).all()
            return [c.case_no for c in s.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.received_at))]

    def referral_batch(self, date_from: dt.date, date_to: dt.date, path=None, actor: str | None = None):
        """All referrals of a period: a PDF (cover list, then each summary), or an .xlsx when path ends so."""
        from pathlib import Path

        from app import ledger, mediation
        from app.printing import referral

        numbers = self.referred_cases(date_from, date_to)
        if not numbers:
            raise FieldError("period", f"{date_from} 至 {date_to} 没有移送的案件")
        with self.store.write() as s:
            items = [cases.get_case(s, n) for n in numbers]
            audit.record(s, "export", detail=f"转办汇总 {date_from}—{date_to}，{len(items)} 件", actor=actor)
            if path is not None and Path(path).suffix.lower() == ".xlsx":
                rows = [cases.case_json(c, full=c.consumer.consent_to_share) | {"referral_reason":
                                                                                referral.referral_reason(c)}
                        for c in items]
                ledger.write(Path(path), rows, extra=[("移送理由", "referral_reason")])
                return None
            pdf = referral.render_batch([(c, mediation.sessions(s, c)) for c in items], settings.all_settings(s),
                                        dt.datetime.now(LOCAL_TZ).date(), (date_from, date_to))
        if path is not None:
            Path(path).write_bytes(pdf)
        return pdf

    def monthly_figures(self, month: str) -> dict:
        from app import reports

        with self.store.read() as s:
            return reports.monthly(s, month)

    def hot_issues(self, today: dt.date | None = None) -> list[dict]:
        from app import reports

        with self.store.read() as s:
            return reports.hot_now(s, today or dt.datetime.now(LOCAL_TZ).date())

    def hot_issue_draft(self, hot: dict) -> bytes:
        """One click from a hot issue: a draft report to 市场监管 with every case behind it."""
        from app import mediation
        from app.printing import referral

        with self.store.write() as s:
            items = [cases.get_case(s, n) for n in hot["case_nos"]]
            audit.record(s, "print", detail=f"热点问题反映草稿：{hot['value']}（{len(items)} 件）")
            return referral.render_batch([(c, mediation.sessions(s, c)) for c in items], settings.all_settings(s),
                                         dt.datetime.now(LOCAL_TZ).date(), None, hot=hot)

    def monthly_pdf(self, month: str) -> bytes:
        from app.printing import monthly

        figures = self.monthly_figures(month)
        return monthly.render(figures, self.settings(), dt.datetime.now(LOCAL_TZ).date())

    def save_ledger_template(self, path) -> None:
        """An empty ledger with the Chinese column headers the import understands."""
        from pathlib import Path

        from app import ledger

        ledger.write(Path(path), [])

    # -- posters -----------------------------------------------------------------------------------
    def tip_templates(self) -> list[dict]:
        from app import posters

        return [{"name": t.name, "title": t.title} for t in posters.tip_templates()]

    def bulletin_pdf(self, size: str = "A4") -> bytes:
        from app.printing import poster

        return poster.bulletin(self.settings(), size, dt.datetime.now(LOCAL_TZ).date())

    def tip_pdf(self, name_or_tip, size: str = "A4") -> bytes:
        """A consumer-tip poster from a template name, or from a Tip staff edited."""
        from app import posters
        from app.printing import poster

        tip = posters.tip(name_or_tip) if isinstance(name_or_tip, str) else name_or_tip
        return poster.tip_poster(tip, self.settings(), size, dt.datetime.now(LOCAL_TZ).date())

    def audit_entries(self, since: dt.datetime | None = None) -> list[dict]:
        with self.store.read() as s:
            return [{"at": e.at.astimezone(LOCAL_TZ).isoformat(), "staff": e.actor, "action": e.action,
                     "case_no": e.case_no, "detail": e.detail} for e in audit.entries(s, since)]
