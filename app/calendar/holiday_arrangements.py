"""Staff-entered official holiday arrangements (published each November); they override the library.

Saving an arrangement brings every open case's stored due dates up to date in the same transaction.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.calendar.deadlines import WorkCalendar, library_year
from app.core.errors import FieldError
from app.storage.models import CalendarDay, CalendarYear

REST, WORK = "休", "班"


def load_calendar(session: Session) -> WorkCalendar:
    years = frozenset(session.scalars(select(CalendarYear.year)))
    days = {d.day: d.is_workday for d in session.scalars(select(CalendarDay))}
    return WorkCalendar(override_years=years, override_days=days)


def check_year(year: int, holidays: list[dt.date], workdays: list[dt.date]) -> None:
    """A year's days lie in that year; a make-up working day may also be a December day of the year before."""
    for d in holidays:
        if d.year != year:
            raise FieldError("calendar", f"放假日期 {d.isoformat()} 不在 {year} 年内")
    for d in workdays:
        if d.year != year and not (d.year == year - 1 and d.month == 12):
            raise FieldError("calendar", f"调休上班日 {d.isoformat()} 不在 {year} 年内（可以是 {year - 1} 年12月的一天）")
    both = set(holidays) & set(workdays)
    if both:
        raise FieldError("calendar", f"{min(both).isoformat()} 不能既是假日又是调休上班日")


def save_year(session: Session, year: int, holidays: list[dt.date], workdays: list[dt.date], source: str = "") -> int:
    """Replace a year's arrangement and bring open cases' due dates up to date; returns how many changed."""
    from app.calendar import due_dates

    check_year(year, holidays, workdays)
    session.execute(delete(CalendarDay).where(CalendarDay.arrangement_year == year))
    # A day another year's arrangement holds (a December make-up day) is replaced by this one.
    session.execute(delete(CalendarDay).where(CalendarDay.day.in_(set(holidays) | set(workdays))))
    session.flush()
    session.merge(CalendarYear(year=year, source=source))
    for d in sorted(set(holidays)):
        session.add(CalendarDay(day=d, is_workday=False, note="放假", arrangement_year=year))
    for d in sorted(set(workdays)):
        session.add(CalendarDay(day=d, is_workday=True, note="调休上班", arrangement_year=year))
    session.flush()
    return due_dates.refresh_open(session, load_calendar(session))


def year_arrangement(session: Session, year: int) -> tuple[list[dt.date], list[dt.date]] | None:
    if session.get(CalendarYear, year) is None:
        return None
    rows = session.scalars(select(CalendarDay).where(CalendarDay.arrangement_year == year)
                           .order_by(CalendarDay.day)).all()
    return [r.day for r in rows if not r.is_workday], [r.day for r in rows if r.is_workday]


@dataclass
class YearView:
    """A year's calendar as the desk counts it, and where it comes from."""

    year: int
    origin: str  # entered | official | statutory
    origin_text: str
    source: str
    rest: list[dt.date]
    workdays: list[dt.date]

    def as_json(self) -> dict:
        return {"year": self.year, "origin": self.origin, "origin_text": self.origin_text, "source": self.source,
                "days": [{"day": d.isoformat(), "kind": REST} for d in self.rest]
                + [{"day": d.isoformat(), "kind": WORK} for d in self.workdays]}

    def lines(self) -> list[str]:
        marked = sorted([(d, REST) for d in self.rest] + [(d, WORK) for d in self.workdays])
        return [f"{d.isoformat()} {k}" for d, k in marked]


def year_view(session: Session, year: int) -> YearView:
    row = session.get(CalendarYear, year)
    if row is not None:
        rest, work = year_arrangement(session, year) or ([], [])
        return YearView(year, "entered", "工作人员录入的国务院放假安排", row.source, rest, work)
    official_rest, official_work, covered = library_year(year)
    if covered:
        return YearView(year, "official", "内置日历（国务院放假安排）", "holidays 程序包", sorted(official_rest),
                        sorted(official_work))
    return YearView(year, "statutory", "内置日历：仅法定节假日及依法补休，调休上班日尚未公布", "全国年节及纪念日放假办法",
                    sorted(official_rest), [])


def parse_file(text: str, year: int) -> tuple[list[dt.date], list[dt.date]]:
    """`YYYY-MM-DD 休|班` per line (blank lines and # comments skipped); every bad line is reported."""
    from app.core.errors import InputError

    rest: list[dt.date] = []
    work: list[dt.date] = []
    errors: list[FieldError] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.replace("\t", " ").split()
        if len(parts) != 2 or parts[1] not in (REST, WORK):
            errors.append(FieldError("file", f"第{n}行“{raw.strip()}”应为“YYYY-MM-DD 休”或“YYYY-MM-DD 班”"))
            continue
        try:
            day = dt.date.fromisoformat(parts[0])
        except ValueError:
            errors.append(FieldError("file", f"第{n}行“{parts[0]}”不是日期，请写成 {year}-10-01"))
            continue
        (rest if parts[1] == REST else work).append(day)
    if errors:
        raise InputError(errors)
    if not rest:
        raise FieldError("file", "文件中没有放假日期（“休”）")
    check_year(year, rest, work)
    return rest, work


def parse_days(text: str, field: str) -> list[dt.date]:
    """One date or a range (2027-10-01~2027-10-07) per line or separated by commas."""
    days: list[dt.date] = []
    for part in text.replace("，", ",").replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        for sep in ("~", "～", "至", ".."):
            if sep in part:
                a, b = (x.strip() for x in part.split(sep, 1))
                break
        else:
            a = b = part
        try:
            start, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        except ValueError:
            raise FieldError(field, f"“{part}”不是日期，请写成 2027-10-01 或 2027-10-01~2027-10-07") from None
        if end < start:
            raise FieldError(field, f"“{part}”的结束日期早于开始日期")
        while start <= end:
            days.append(start)
            start += dt.timedelta(days=1)
    return days
