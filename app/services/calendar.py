"""The working-day calendar: the library's arrangement overridden by what staff entered."""
from __future__ import annotations

import datetime as dt

from app import audit, holiday_arrangements
from app.deadlines import WorkCalendar, compute
from app.services.base import Service


class CalendarService(Service):
    def current(self) -> WorkCalendar:
        with self.store.read() as s:
            return holiday_arrangements.load_calendar(s)

    def deadlines(self, received: dt.date, accepted: dt.date | None = None):
        return compute(self.current(), received, accepted)

    def save_year(self, year: int, holidays: list[dt.date], workdays: list[dt.date], source: str = ""):
        with self.store.write() as s:
            holiday_arrangements.save_year(s, year, holidays, workdays, source)
            audit.record(s, "change", detail=f"录入{year}年节假日安排")

    def year(self, year: int):
        with self.store.read() as s:
            return holiday_arrangements.year_arrangement(s, year)
