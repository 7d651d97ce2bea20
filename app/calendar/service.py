"""The working-day calendar: the library's arrangement overridden by what staff entered."""
from __future__ import annotations

import datetime as dt

from app.calendar import holiday_arrangements
from app.calendar.deadlines import WorkCalendar, compute
from app.staff import audit, identity
from app.storage.db import Service


class CalendarService(Service):
    def current(self) -> WorkCalendar:
        with self.store.read() as s:
            return holiday_arrangements.load_calendar(s)

    def deadlines(self, received: dt.date, accepted: dt.date | None = None,
                  pauses: list[tuple[dt.date, dt.date]] | None = None, ended: dt.date | None = None):
        return compute(self.current(), received, accepted, pauses, ended)

    def save_year(self, year: int, holidays: list[dt.date], workdays: list[dt.date], source: str = "") -> int:
        """Store a year's arrangement; open cases' due dates follow in the same transaction (count returned)."""
        with self.store.write() as s:
            identity.require(s, "supervisor", "录入节假日安排（它决定每件案件的期限）")
            changed = holiday_arrangements.save_year(s, year, holidays, workdays, source)
            audit.record(s, "change", detail=f"录入{year}年节假日安排，{changed} 件在办案件的期限随之更新")
            return changed

    def import_year(self, year: int, text: str, source: str = "") -> int:
        """An arrangement from a file of `YYYY-MM-DD 休|班` lines."""
        rest, work = holiday_arrangements.parse_file(text, year)
        return self.save_year(year, rest, work, source)

    def year(self, year: int):
        with self.store.read() as s:
            return holiday_arrangements.year_arrangement(s, year)

    def year_view(self, year: int) -> holiday_arrangements.YearView:
        """A year as the desk counts it, and where that comes from (entered, official, statutory only)."""
        with self.store.read() as s:
            return holiday_arrangements.year_view(s, year)
