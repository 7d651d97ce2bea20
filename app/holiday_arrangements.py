"""Staff-entered official holiday arrangements (published each November); they override the library."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.deadlines import WorkCalendar
from app.errors import FieldError
from app.models import CalendarDay, CalendarYear


def load_calendar(session: Session) -> WorkCalendar:
    years = frozenset(session.scalars(select(CalendarYear.year)))
    days = {d.day: d.is_workday for d in session.scalars(select(CalendarDay))}
    return WorkCalendar(override_years=years, override_days=days)


def save_year(session: Session, year: int, holidays: list[dt.date], workdays: list[dt.date], source: str = "") -> None:
    """Replace a year's arrangement: the rest days and the make-up working days, as published."""
    for d in [*holidays, *workdays]:
        if d.year != year:
            raise FieldError("calendar", f"{d.isoformat()} 不在 {year} 年内")
    both = set(holidays) & set(workdays)
    if both:
        raise FieldError("calendar", f"{min(both).isoformat()} 不能既是假日又是调休上班日")
    session.execute(delete(CalendarDay).where(CalendarDay.day >= dt.date(year, 1, 1),
                                              CalendarDay.day <= dt.date(year, 12, 31)))
    session.merge(CalendarYear(year=year, source=source))
    for d in sorted(set(holidays)):
        session.add(CalendarDay(day=d, is_workday=False, note="放假"))
    for d in sorted(set(workdays)):
        session.add(CalendarDay(day=d, is_workday=True, note="调休上班"))


def year_arrangement(session: Session, year: int) -> tuple[list[dt.date], list[dt.date]] | None:
    if session.get(CalendarYear, year) is None:
        return None
    rows = session.scalars(select(CalendarDay).where(CalendarDay.day >= dt.date(year, 1, 1),
                                                     CalendarDay.day <= dt.date(year, 12, 31))).all()
    return [r.day for r in rows if not r.is_workday], [r.day for r in rows if r.is_workday]


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
