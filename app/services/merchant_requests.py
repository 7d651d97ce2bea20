"""告知经营者: print the notice that asks a merchant to answer, record its answer."""
from __future__ import annotations

from app import cases, clock, holiday_arrangements, identity, merchant_requests, print_register, settings
from app.intake import parse_datetime
from app.services.base import Service


class MerchantRequestService(Service):
    def notice_pdf(self, case_no: str, at: str | None = None) -> bytes:
        """The 消费投诉告知函; the first one made starts the reply deadline (a reprint keeps it). The print
        itself is recorded by the caller once it is written (`desk.documents.printed("merchant-request", …)`).

        `at` backdates the first notice, for one already handed to the merchant before it was recorded."""
        from app.printing import merchant_request

        moment = parse_datetime(at, "at", "告知时间") if at else clock.now()
        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            cal = holiday_arrangements.load_calendar(s)
            values = settings.all_settings(s)
            days = int(values["merchant.reply_working_days"])
            req = merchant_requests.ask(s, case, cal, days, moment, identity.actor(s))
            number = print_register.number_for(s, "merchant-request", case).footer()
            pdf = merchant_request.render(case, req, days, values, register_no=number)
        return pdf

    def reply(self, case_no: str, text: str, at: str | None = None) -> dict:
        """Record the merchant's answer and its date (default: now)."""
        moment = parse_datetime(at, "at", "答复时间") if at else clock.now()
        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            merchant_requests.record_reply(s, case, text, moment, identity.actor(s))
            return self._status(s, case)

    def status(self, case_no: str) -> dict | None:
        """The request of a case as `case show` gives it (None when the merchant was not asked)."""
        with self.store.read() as s:
            return self._status(s, cases.get_case(s, case_no))

    @staticmethod
    def _status(s, case) -> dict | None:
        cal = holiday_arrangements.load_calendar(s)
        soon = int(settings.get(s, "deadline.due_soon_working_days"))
        return merchant_requests.request_json(merchant_requests.request_of(s, case), cal,
                                              clock.today(), soon)
