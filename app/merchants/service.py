"""The desk's services for merchants: merchants, merchant_requests, disclosure, scams."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.calendar import holiday_arrangements
from app.cases import records
from app.cases.intake import parse_datetime
from app.core import clock, validation
from app.core.errors import FieldError
from app.merchants import disclosure, registry, requests, scam_watch
from app.merchants.registry import MerchantDetail, MerchantRow
from app.point import settings
from app.reports import print_register
from app.staff import audit, identity
from app.storage.db import Service


def _required_date(value: str, field: str, label: str):
    day = validation.date(value, field, label)
    if day is None:
        raise FieldError(field, f"请填写{label}")
    return day


class MerchantService(Service):
    def registry(self, text: str = "") -> list[MerchantRow]:
        with self.store.read() as s:
            return registry.registry(s, text)

    def detail(self, merchant_id: int) -> MerchantDetail:
        with self.store.read() as s:
            return registry.detail(s, merchant_id)

    def save(self, data: dict, merchant_id: int | None = None) -> dict:
        with self.store.write() as s:
            m = registry.save_merchant(s, data, merchant_id)
            audit.record(s, "change", detail=f"经营者登记：{m.name}")
            return {"id": m.id, **registry.merchant_json(m)}

    def add_commitment(self, merchant_id: int, kind: str, signed_on: str, note: str = "") -> None:
        day = _required_date(signed_on, "signed_on", "签署日期")
        with self.store.write() as s:
            registry.add_commitment(s, merchant_id, kind, day, note)

    def add_delisting(self, merchant_id: int, product: str, delisted_on: str, reason: str, quantity: str = "",
                      action: str = "", reported_on: str | None = None) -> None:
        day = _required_date(delisted_on, "delisted_on", "退市日期")
        reported = validation.date(reported_on, "reported_on", "报告日期") if reported_on else None
        with self.store.write() as s:
            registry.add_delisting(s, merchant_id, product, day, reason, quantity, action, reported)

    def suggest(self, text: str) -> list[dict]:
        with self.store.read() as s:
            return registry.suggest(s, text)


class MerchantRequestService(Service):
    def notice_pdf(self, case_no: str, at: str | None = None) -> bytes:
        """The 消费投诉告知函; the first one made starts the reply deadline (a reprint keeps it). The print
        itself is recorded by the caller once it is written (`desk.documents.printed("merchant-request", …)`).

        `at` backdates the first notice, for one already handed to the merchant before it was recorded."""
        from app.printing import merchant_request

        moment = parse_datetime(at, "at", "告知时间") if at else clock.now()
        with self.store.write() as s:
            case = records.get_case(s, case_no)
            cal = holiday_arrangements.load_calendar(s)
            values = settings.all_settings(s)
            days = int(values["merchant.reply_working_days"])
            req = requests.ask(s, case, cal, days, moment, identity.actor(s))
            number = print_register.number_for(s, "merchant-request", case).footer()
            pdf = merchant_request.render(case, req, days, values, register_no=number)
        return pdf

    def reply(self, case_no: str, text: str, at: str | None = None) -> dict:
        """Record the merchant's answer and its date (default: now)."""
        moment = parse_datetime(at, "at", "答复时间") if at else clock.now()
        with self.store.write() as s:
            case = records.get_case(s, case_no)
            requests.record_reply(s, case, text, moment, identity.actor(s))
            status = self._status(s, case)
            assert status is not None  # the case's request was just answered
            return status

    def status(self, case_no: str) -> dict | None:
        """The request of a case as `case show` gives it (None when the merchant was not asked)."""
        with self.store.read() as s:
            return self._status(s, records.get_case(s, case_no))

    @staticmethod
    def _status(s, case) -> dict | None:
        cal = holiday_arrangements.load_calendar(s)
        soon = int(settings.get(s, "deadline.due_soon_working_days"))
        return requests.request_json(requests.request_of(s, case), cal,
                                              clock.today(), soon)


def _check(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise FieldError("to", "公示期间的结束日期不能早于开始日期")


class DisclosureService(Service):
    def lines(self, date_from: dt.date, date_to: dt.date) -> list[dict]:
        _check(date_from, date_to)
        with self.store.read() as s:
            return [x.as_json() for x in disclosure.lines(s, date_from, date_to, clock.today())]

    def pdf(self, date_from: dt.date, date_to: dt.date, size: str = "A4") -> bytes:
        from app.printing import disclosure as poster

        _check(date_from, date_to)
        today = clock.today()
        with self.store.write() as s:
            lines = disclosure.lines(s, date_from, date_to, today)
            values = settings.all_settings(s)
            audit.record(s, "print", detail=f"打印投诉信息公示 {date_from}—{date_to}（{len(lines)} 户经营者，无个人信息）")
        return poster.render(lines, date_from, date_to, values, size, today)


class ScamService(Service):
    def check(self, facts: str, merchant_phone: str = "", brand: str = "") -> list[str]:
        """Warnings for the numbers in what is being typed at intake."""
        phone = ""
        if merchant_phone.strip():
            try:
                phone = validation.phone(merchant_phone, "merchant.phone", "经营者电话")
            except FieldError:
                phone = ""
        with self.store.read() as s:
            return scam_watch.warnings(s, scam_watch.numbers_in(facts, phone), brand.strip())

    def watch(self, number: str, note: str = "") -> str:
        with self.store.write() as s:
            digits = scam_watch.watch(s, number, note)
            audit.record(s, "change", detail=f"监控号码 {digits}")
            return digits

    def unwatch(self, number: str) -> None:
        with self.store.write() as s:
            scam_watch.unwatch(s, number)

    def list(self) -> list[dict]:
        with self.store.read() as s:
            return scam_watch.watch_list(s)

    def export(self, path) -> int:
        with self.store.read() as s:
            return scam_watch.export(s, Path(path))
