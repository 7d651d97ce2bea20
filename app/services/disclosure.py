"""投诉信息公示: the per-merchant figures of a period and the poster for the bulletin board."""
from __future__ import annotations

import datetime as dt

from app import audit, clock, disclosure, settings
from app.errors import FieldError
from app.services.base import Service


def _check(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise FieldError("to", "公示期间的结束日期不能早于开始日期")


class DisclosureService(Service):
    def lines(self, date_from: dt.date, date_to: dt.date) -> list[dict]:
        _check(date_from, date_to)
        with self.store.read() as s:
            return [x.as_json() for x in disclosure.lines(s, date_from, date_to, clock.today())]

    def pdf(self, date_from: dt.date, date_to: dt.date, size: str = "A4", actor: str | None = None) -> bytes:
        from app.printing import disclosure as poster

        _check(date_from, date_to)
        today = clock.today()
        with self.store.write() as s:
            lines = disclosure.lines(s, date_from, date_to, today)
            values = settings.all_settings(s)
            audit.record(s, "print", detail=f"打印投诉信息公示 {date_from}—{date_to}（{len(lines)} 户经营者，无个人信息）",
                         actor=actor)
        return poster.render(lines, date_from, date_to, values, size, today)
