"""The working-day calendar: the library's arrangement overridden by what staff entered."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.calendar import calculators, holiday_arrangements
from app.calendar.deadlines import Deadlines, RuleSet, WorkCalendar, compute, rule_set_by_code
from app.core import clock
from app.staff import audit, identity
from app.storage.db import Service


class CalendarService(Service):
    def current(self) -> WorkCalendar:
        with self.store.read() as s:
            return holiday_arrangements.load_calendar(s)

    def deadlines(self, received: dt.date, accepted: dt.date | None = None,
                  pauses: list[tuple[dt.date, dt.date]] | None = None, ended: dt.date | None = None) -> Deadlines:
        """The due dates of the rule set in force on `received` (`.as_json()`: what `liaison deadline` prints)."""
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

    def warnings_today(self) -> list[str]:
        """What the calendar warns of today (a year whose arrangement is not yet entered, …)."""
        today = clock.today()
        return list(compute(self.current(), today, today).warnings)  # a mediation started today, too

    @staticmethod
    def parse_days(text: str, what: str) -> list[dt.date]:
        """Dates as staff type them (one a line, or a range 2027-02-05~2027-02-11), checked."""
        return holiday_arrangements.parse_days(text, what)

    @staticmethod
    def parse_file(text: str, year: int) -> tuple[list[dt.date], list[dt.date]]:
        """A file of `YYYY-MM-DD 休|班` lines: (rest days, make-up working days)."""
        return holiday_arrangements.parse_file(text, year)

    @staticmethod
    def rule_set(code: str) -> RuleSet:
        return rule_set_by_code(code)

    # -- the desk calculators ---------------------------------------------------------------------
    RETURN_EXCEPTIONS = calculators.RETURN_EXCEPTIONS

    @staticmethod
    def punitive(price: Decimal, food: bool, loss: Decimal | None = None) -> calculators.Answer:
        return calculators.punitive(price, food, loss)

    def limitation(self, known: dt.date, delivered: dt.date | None, today: dt.date | None = None,
                   cal: WorkCalendar | None = None) -> calculators.Answer:
        return calculators.limitation(known, delivered, today or clock.today(), cal or self.current())

    @staticmethod
    def no_reason_return(channel: str, received: dt.date, exception: str = "",
                         today: dt.date | None = None) -> calculators.Answer:
        return calculators.no_reason_return(channel, received, today or clock.today(), exception)

    def year_view(self, year: int) -> holiday_arrangements.YearView:
        """A year as the desk counts it, and where that comes from (entered, official, statutory only)."""
        with self.store.read() as s:
            return holiday_arrangements.year_view(s, year)
