"""Working-day calendar, the deadline rule sets (data in resources/rules) and due dates.

Counting follows 民法典 §201–203: the day of the event is not counted; a period counted in
calendar days whose last day is a rest day ends on the next working day.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache

from app.core.resources import resource_path


@dataclass(frozen=True)
class Period:
    days: int
    unit: str  # "working" | "calendar"
    article: str = ""
    text: str = ""
    unverified: bool = False  # the article number could not be checked: never printed

    @property
    def words(self) -> str:
        """The period as a notice says it: 七个工作日, 六十日, 四十五个工作日."""
        return chinese_number(self.days) + ("个工作日" if self.unit == "working" else "日")

    @property
    def short(self) -> str:
        return f"{self.days}个工作日" if self.unit == "working" else f"{self.days}日"


@dataclass(frozen=True)
class Ground:
    code: str
    item: str  # （一）
    text: str


@dataclass(frozen=True)
class Grounds:
    """The grounds an article lists (not accepting a complaint, ending mediation), in its order."""

    article: str
    items: tuple[Ground, ...]
    unverified: bool = False

    def get(self, code: str) -> Ground | None:
        return next((g for g in self.items if g.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [g.code for g in self.items]

    def labels(self) -> dict[str, str]:
        return {g.code: g.text for g in self.items}


@dataclass(frozen=True)
class PauseRule:
    """What stops the mediation clock: only 检定、检验、检测、鉴定."""

    article: str
    text: str
    reasons: dict[str, str]
    unverified: bool = False


@dataclass(frozen=True)
class RuleSet:
    code: str
    name: str
    short: str
    source: str
    effective_from: dt.date
    acceptance: Period
    mediation: Period
    notice: Period
    follow_up: Period
    pause: PauseRule
    not_accepted: Grounds
    termination: Grounds
    note: str = ""

    @property
    def title(self) -> str:
        return f"{self.name}（{self.source}）"

    def cite(self, article: str, unverified: bool = False) -> str:
        """《办法》第十五条, or only the measures' name when the number could not be checked."""
        if unverified or not article:
            return f"{self.name}的有关规定"
        return f"{self.name}{article}"

    def ground_cite(self, grounds: Grounds, code: str) -> str:
        g = grounds.get(code)
        if g is None or grounds.unverified or not grounds.article:
            return self.cite("", True)
        return f"{self.name}{grounds.article}第{g.item}项"

    def pause_reason(self, text: str) -> str:
        """The pause-reason code named in free text (送检 is 检验), or "" when it names no appraisal."""
        if text in self.pause.reasons:
            return text
        for code, label in self.pause.reasons.items():
            if label in text:
                return code
        return "inspection" if "送检" in text and "inspection" in self.pause.reasons else ""


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals (七, 十五, 四十五, 六十)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _period(d: dict) -> Period:
    return Period(int(d["days"]), d["unit"], d.get("article", ""), d.get("text", ""), bool(d.get("unverified")))


def _grounds(d: dict) -> Grounds:
    return Grounds(d.get("article", ""), tuple(Ground(g["code"], g["item"], g["text"]) for g in d["grounds"]),
                   bool(d.get("unverified")))


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """All rule sets shipped in resources/rules/, oldest first."""
    sets = []
    for path in sorted(resource_path("rules").glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        p = d["pause"]
        sets.append(
            RuleSet(
                code=d["code"],
                name=d["name"],
                short=d.get("short", d["name"]),
                source=d["source"],
                effective_from=dt.date.fromisoformat(d["effective_from"]),
                acceptance=_period(d["acceptance"]),
                mediation=_period(d["mediation"]),
                notice=_period(d["notice"]),
                follow_up=_period(d.get("follow_up", {"days": 7, "unit": "calendar"})),
                pause=PauseRule(p.get("article", ""), p.get("text", ""), dict(p["reasons"]), bool(p.get("unverified"))),
                not_accepted=_grounds(d["not_accepted"]),
                termination=_grounds(d["termination"]),
                note=d.get("note", ""),
            )
        )
    return tuple(sorted(sets, key=lambda r: r.effective_from))


def rule_set_for(received: dt.date) -> RuleSet:
    """The rule set in force on the day a case was received."""
    applicable = [r for r in rule_sets() if r.effective_from <= received]
    if not applicable:
        return rule_sets()[0]
    return applicable[-1]


# Codes earlier versions or other tools wrote for the same measures.
ALIASES = {"order20": "samr20", "order121": "samr121"}


def rule_set_by_code(code: str) -> RuleSet:
    code = ALIASES.get(code, code)
    for r in rule_sets():
        if r.code == code:
            return r
    from app.core.errors import FieldError

    raise FieldError("rule_set", f"案件适用的规定代码“{code}”未知，可用：{'、'.join(r.code for r in rule_sets())}")


def all_pause_codes() -> list[str]:
    seen: dict[str, None] = {}
    for r in rule_sets():
        for c in r.pause.reasons:
            seen.setdefault(c)
    return list(seen)


def all_ground_codes(which: str) -> list[str]:
    """Every ground code of any rule set ("not_accepted" or "termination"), in first-seen order."""
    seen: dict[str, None] = {}
    for r in rule_sets():
        for c in getattr(r, which).codes:
            seen.setdefault(c)
    return list(seen)


@cache
def library_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date], bool]:
    """(rest days, make-up working days, covered) for a year from the `holidays` package.

    For a year whose State Council arrangement the package does not have yet, the rest days are still
    the statutory ones of 全国年节及纪念日放假办法 (2025 revision: New Year, Spring Festival eve and days
    1–3, Qingming, May 1–2, Dragon Boat, Mid-Autumn, October 1–3) with the substitute days the law
    requires when one falls on a weekend; only the make-up working days (调休) are unknown.
    """
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
    """China's working days: what staff entered first, then the library (official or statutory days)."""

    override_years: frozenset[int] = frozenset()
    override_days: dict[dt.date, bool] = field(default_factory=dict)  # day -> is a working day
    uncovered_seen: set[int] = field(default_factory=set)
    _memo: dict[dt.date, bool] = field(default_factory=dict, repr=False)
    _added: dict[tuple, dt.date] = field(default_factory=dict, repr=False)

    def covered(self, year: int) -> bool:
        return year in self.override_years or library_year(year)[2]

    def is_workday(self, day: dt.date) -> bool:
        known = self._memo.get(day)
        if known is None:
            known = self._memo[day] = self._is_workday(day)
        if not self.covered(day.year):
            self.uncovered_seen.add(day.year)
        return known

    def _is_workday(self, day: dt.date) -> bool:
        # An entered day wins, also a December make-up day entered with the next year's arrangement.
        if day in self.override_days:
            return self.override_days[day]
        if day.year in self.override_years:
            return day.weekday() < 5
        # Without the official arrangement the statutory rest days still hold; the make-up working
        # days are unknown (callers warn), so a due date may come out a day too late or too early.
        rest, workdays, _covered = library_year(day.year)
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
        key = (start, period.unit, period.days + extra)
        due = self._added.get(key)
        if due is None:  # many cases share a day of receipt or acceptance
            if period.unit == "working":
                due = self.add_working_days(start, period.days + extra)
            else:
                due = self.add_calendar_days(start, period.days + extra)
            self._added[key] = due
        else:
            self._note_years(start, due)
        return due

    def _note_years(self, start: dt.date, end: dt.date) -> None:
        """A remembered result still tells which uncovered years it crossed (for the warnings)."""
        for year in range(start.year, end.year + 1):
            if not self.covered(year):
                self.uncovered_seen.add(year)

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
            f"{y}年的放假安排（调休上班日）尚未公布或尚未录入：期限暂按法定节假日及依法补休计算，调休上班日未计入，"
            f"可能与实际相差；国务院公布后请负责人在“节假日安排”中录入{y}年放假安排。"
            for y in sorted(self.uncovered_seen)
        ]


def paused_days(pauses: list[tuple[dt.date, dt.date]], unit: str, cal: WorkCalendar) -> int:
    """Days paused for 检定、检验、检测、鉴定, counted the way the period is counted."""
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
    notice_due: dt.date | None = None
    paused_days: int = 0

    def as_json(self) -> dict:
        return {
            "rule_set": {"code": self.rule_set.code, "name": self.rule_set.name, "source": self.rule_set.source,
                         "effective_from": self.rule_set.effective_from.isoformat()},
            "acceptance_due": self.acceptance_due.isoformat(),
            "acceptance_rule": self.rule_set.acceptance.short,
            "acceptance_article": _article_json(self.rule_set, self.rule_set.acceptance),
            "mediation_due": self.mediation_due.isoformat() if self.mediation_due else None,
            "mediation_rule": self.rule_set.mediation.short,
            "mediation_article": _article_json(self.rule_set, self.rule_set.mediation),
            "paused_days": self.paused_days,
            "notice_due": self.notice_due.isoformat() if self.notice_due else None,
            "notice_rule": self.rule_set.notice.short,
            "notice_article": _article_json(self.rule_set, self.rule_set.notice),
            "warnings": list(self.warnings),
        }


def _article_json(rs: RuleSet, p: Period) -> str | None:
    """The article a period rests on, or None when its number could not be checked."""
    return None if p.unverified or not p.article else f"{rs.name}{p.article}"


def compute(
    cal: WorkCalendar,
    received: dt.date,
    accepted: dt.date | None = None,
    pauses: list[tuple[dt.date, dt.date]] | None = None,
    ended: dt.date | None = None,
) -> Deadlines:
    """The due dates of the rule set in force on `received`; pauses are 检定、检验、检测、鉴定 periods,
    `ended` the day mediation ended without agreement (the notice to the parties is then due)."""
    rs = rule_set_for(received)
    before = set(cal.uncovered_seen)
    cal.uncovered_seen.clear()
    acceptance_due = cal.add(received, rs.acceptance)
    mediation_due = None
    extra = 0
    if accepted is not None:
        extra = paused_days(pauses or [], rs.mediation.unit, cal)
        mediation_due = cal.add(accepted, rs.mediation, extra)
    notice_due = cal.add(ended, rs.notice) if ended is not None else None
    warnings = tuple(cal.warnings())
    cal.uncovered_seen |= before
    return Deadlines(rs, acceptance_due, mediation_due, warnings, notice_due, extra)
