"""Working-day calendar, the deadline rule sets (data in resources/rules) and due dates.

Counting follows 民法典 §201–203: the day of the event is not counted; a period counted in
calendar days whose last day is a rest day ends on the next working day.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache

from app.resources import resource_path


@dataclass(frozen=True)
class Period:
    days: int
    unit: str  # "working" | "calendar"
    article: str = ""
    text: str = ""


@dataclass(frozen=True)
class RuleSet:
    code: str
    name: str
    source: str
    effective_from: dt.date
    acceptance: Period
    mediation: Period
    follow_up: Period
    pause_note: str = ""

    @property
    def title(self) -> str:
        return f"{self.name}（{self.source}）"


def _period(d: dict) -> Period:
    return Period(int(d["days"]), d["unit"], d.get("article", ""), d.get("text", ""))


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """All rule sets shipped in resources/rules/, oldest first."""
    sets = []
    for path in sorted(resource_path("rules").glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        sets.append(
            RuleSet(
                code=d["code"],
                name=d["name"],
                source=d["source"],
                effective_from=dt.date.fromisoformat(d["effective_from"]),
                acceptance=_period(d["acceptance"]),
                mediation=_period(d["mediation"]),
                follow_up=_period(d.get("follow_up", {"days": 7, "unit": "calendar"})),
                pause_note=d.get("pause_note", ""),
            )
        )
    return tuple(sorted(sets, key=lambda r: r.effective_from))


def rule_set_for(received: dt.date) -> RuleSet:
    """The rule set in force on the day a case was received."""
    applicable = [r for r in rule_sets() if r.effective_from <= received]
    if not applicable:
        return rule_sets()[0]
    return applicable[-1]


def rule_set_by_code(code: str) -> RuleSet:
    for r in rule_sets():
        if r.code == code:
            return r
    raise KeyError(code)


@cache
def _library_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date], bool]:
    """(holidays, make-up working days, covered) for a year from the `holidays` package."""
    import holidays

    cn = holidays.China(years=year)
    rest = frozenset(d for d in cn if d.year == year)
    workdays = frozenset(d for d in getattr(cn, "weekend_workdays", ()) if d.year == year)
    # A year whose official arrangement the library has always has substituted days or
    # make-up working days; without them only the fixed festival dates are known.
    covered = bool(workdays) or any("substitut" in str(cn.get(d)).lower() for d in rest)
    return rest, workdays, covered


@dataclass
class WorkCalendar:
    """China's working days: staff-entered years first, then the library, else Mon–Fri."""

    override_years: frozenset[int] = frozenset()
    override_days: dict[dt.date, bool] = field(default_factory=dict)  # day -> is a working day
    uncovered_seen: set[int] = field(default_factory=set)
    _memo: dict[dt.date, bool] = field(default_factory=dict, repr=False)

    def covered(self, year: int) -> bool:
        return year in self.override_years or _library_year(year)[2]

    def is_workday(self, day: dt.date) -> bool:
        known = self._memo.get(day)
        if known is None:
            known = self._memo[day] = self._is_workday(day)
        if not self.covered(day.year):
            self.uncovered_seen.add(day.year)
        return known

    def _is_workday(self, day: dt.date) -> bool:
        year = day.year
        if year in self.override_years:
            if day in self.override_days:
                return self.override_days[day]
            return day.weekday() < 5
        rest, workdays, covered = _library_year(year)
        if not covered:
            # No official arrangement known: Mon–Fri. This can only make a due date earlier
            # than the real one, never later, so no deadline is missed; callers warn.
            return day.weekday() < 5
        if day in workdays:
            return True
        if day in rest:
            return False
        return day.weekday() < 5

    def next_workday_on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (the start day itself is not counted)."""
        day = start
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def add_calendar_days(self, start: dt.date, n: int) -> dt.date:
        return self.next_workday_on_or_after(start + dt.timedelta(days=n))

    def add(self, start: dt.date, period: Period, extra: int = 0) -> dt.date:
        if period.unit == "working":
            return self.add_working_days(start, period.days + extra)
        return self.add_calendar_days(start, period.days + extra)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = 0
        day = lo
        while day < hi:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return sign * count

    def warnings(self) -> list[str]:
        return [
            f"{y}年的法定节假日安排尚未录入，期限暂按周一至周五为工作日计算，请在设置中录入国务院公布的{y}年放假安排。"
            for y in sorted(self.uncovered_seen)
        ]


def paused_days(pauses: list[tuple[dt.date, dt.date]], unit: str, cal: WorkCalendar) -> int:
    """Days paused (inspection, testing, appraisal…), counted the way the period is counted."""
    total = 0
    for start, end in pauses:
        if unit == "working":
            total += max(0, cal.working_days_between(start, end))
        else:
            total += max(0, (end - start).days)
    return total


@dataclass(frozen=True)
class Deadlines:
    rule_set: RuleSet
    acceptance_due: dt.date
    mediation_due: dt.date | None
    warnings: tuple[str, ...]

    def as_json(self) -> dict:
        return {
            "rule_set": {"code": self.rule_set.code, "name": self.rule_set.name, "source": self.rule_set.source,
                         "effective_from": self.rule_set.effective_from.isoformat()},
            "acceptance_due": self.acceptance_due.isoformat(),
            "acceptance_rule": f"{self.rule_set.acceptance.days}个工作日" if self.rule_set.acceptance.unit == "working"
            else f"{self.rule_set.acceptance.days}日",
            "mediation_due": self.mediation_due.isoformat() if self.mediation_due else None,
            "mediation_rule": (f"{self.rule_set.mediation.days}个工作日" if self.rule_set.mediation.unit == "working"
                               else f"{self.rule_set.mediation.days}日"),
            "warnings": list(self.warnings),
        }


def compute(
    cal: WorkCalendar,
    received: dt.date,
    accepted: dt.date | None = None,
    pauses: list[tuple[dt.date, dt.date]] | None = None,
) -> Deadlines:
    rs = rule_set_for(received)
    before = set(cal.uncovered_seen)
    cal.uncovered_seen.clear()
    acceptance_due = cal.add(received, rs.acceptance)
    mediation_due = None
    if accepted is not None:
        extra = paused_days(pauses or [], rs.mediation.unit, cal)
        mediation_due = cal.add(accepted, rs.mediation, extra)
    warnings = tuple(cal.warnings())
    cal.uncovered_seen |= before
    return Deadlines(rs, acceptance_due, mediation_due, warnings)
