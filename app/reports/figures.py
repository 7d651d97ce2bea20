"""The monthly summary (月度汇总), hot issues and the dashboard's figures, counted in the database.

Every figure is one GROUP BY (or a handful) over indexed columns: no month is loaded into Python.
The counting rules below are printed as the report's footnote (统计口径), so they are in Chinese.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.core import clock, codes
from app.core.errors import FieldError
from app.point import settings

RULES = """\
1. 统计期间：案件按登记（收到）之日归入期间。“YYYY-MM”为该自然月；设置 report.month_start_day 为 D（D>1）时，为上月 D 日至本月 D-1 日。
2. 投诉类各项只计“投诉”类案件；咨询、举报只计入登记总数和按类型、来源的件数。
3. 受理：案件曾被受理，即经历过“受理”或只能在受理之后出现的状态（调解中、调解成功、调解不成、终止调解），无论此后是否移送、办结或经台账导入。
4. 处理结果：每件案件以其最近一次处理结果（调解成功、调解不成、终止调解、不予受理、移送）计，办结后仍计该结果；台账导入时已办结而未载明结果的，不计入任何结果。
5. 在办：当前状态为已登记、受理或调解中的投诉（已办结、已有处理结果的不计）。
6. 受理按期：作出受理或不予受理决定之日不晚于受理期限；调解按期：调解成功、不成或终止之日不晚于调解期限（含暂停顺延）。期限已过（截至统计之日）仍待受理决定、仍在调解中（暂停计时的除外）的，计为未按期。
7. 调解成功率 = 调解成功 ÷（调解成功 + 调解不成 + 终止调解）。小额当日办结：处理结果之日即登记之日。
8. 热点问题：截至期末（本月为截至今日）30日内，同一经营者、同一商品或服务、同一品牌、或同一类别中的同一性质的投诉达到 N 件（设置 hot.threshold，默认3件）。"""

OUTCOMES = ("resolved", "failed", "terminated", "not_accepted", "referred")
OPEN_STATES = ("registered", "accepted", "mediating")


def period(month: str, start_day: int = 1) -> tuple[dt.date, dt.date]:
    try:
        year, mon = (int(x) for x in month.split("-"))
        first = dt.date(year, mon, 1)
    except ValueError:
        raise FieldError("month", f"“{month}”不是月份，请写成 2026-11") from None
    if not 1990 <= year <= 2100:
        raise FieldError("month", f"“{month}”超出可用范围（1990 至 2100 年）")
    if start_day <= 1:
        nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    prev = dt.date(year - (mon == 1), (mon - 2) % 12 + 1, 1)
    return prev.replace(day=min(start_day, 28)), first.replace(day=min(start_day, 28)) - dt.timedelta(days=1)


def shift(month: str, months: int) -> str:
    year, mon = (int(x) for x in month.split("-"))
    index = year * 12 + mon - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)  # our own constant codes, never user input


def _per_case() -> str:
    """One row per case of the period with what the figures need: outcome, was_accepted and decided_on
    are kept on the case as it moves (app/cases/lifecycle.report_facts), so no event is read."""
    return """SELECT c.id, c.kind, c.channel, c.state, c.received_day, c.acceptance_due, c.mediation_due,
        c.paused_since, c.outcome_on, c.amount_recovered, c.advance_paid, c.fast_track, c.satisfaction,
        nullif(c.outcome, '') AS outcome, CASE WHEN c.was_accepted THEN 1 ELSE 0 END AS was_accepted,
        c.decided_on FROM cases c WHERE c.received_day >= :start AND c.received_day <= :end"""


def _days(a: str, b: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"(julianday({a}) - julianday({b}))"
    return f"({a} - {b})"


@dataclass
class PeriodFigures:
    """The figures of one period (typed: counts, Decimal money, percentages as float or None)."""

    received: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    complaints: int = 0
    accepted: int = 0
    not_accepted: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    resolution_rate: float | None = None
    recovered: Decimal = Decimal("0.00")
    advanced: Decimal = Decimal("0.00")
    fast_track: int = 0
    fast_track_same_day: float | None = None
    acceptance_on_time: float | None = None
    mediation_on_time: float | None = None
    average_days_to_outcome: float | None = None
    satisfaction: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        out = asdict(self)
        out["recovered"] = f"{self.recovered:.2f}"
        out["advanced"] = f"{self.advanced:.2f}"
        return out


def period_figures(session: Session, start: dt.date, end: dt.date) -> PeriodFigures:
    dialect = session.get_bind().dialect.name
    base = _per_case()
    params = {"start": start, "end": end, "as_of": clock.today()}
    f = PeriodFigures()
    kinds: dict[str, int] = {}
    channels: dict[str, int] = {}
    for kind, channel, n in session.execute(text(
            f"SELECT kind, channel, count(*) FROM cases WHERE kind IN ({_in(codes.KIND)}) "  # the index's prefix
            "AND received_day >= :start AND received_day <= :end GROUP BY kind, channel"), params).all():
        kinds[kind] = kinds.get(kind, 0) + n
        channels[channel] = channels.get(channel, 0) + n
    f.received = sum(kinds.values())
    f.by_kind = {k: int(kinds.get(k, 0)) for k in codes.KIND}
    f.by_channel = {k: int(channels.get(k, 0)) for k in codes.CHANNEL}
    complaints = f"SELECT * FROM ({base}) AS p WHERE kind = 'complaint'"
    same_day = _days("outcome_on", "received_day", dialect)
    counted = {  # name -> condition; one pass over the period's complaints sums them all
        "accepted": "was_accepted = 1",
        "open": f"state IN ({_in(OPEN_STATES)})",
        "fast_track": "fast_track",
        "fast_same_day": "fast_track AND outcome_on = received_day",
        # late without a decision is late too: the rate never shows 100 % while cases lie overdue
        "decided": "acceptance_due IS NOT NULL AND (decided_on IS NOT NULL "
                   "OR (state = 'registered' AND acceptance_due < :as_of))",
        "decided_in_time": "decided_on IS NOT NULL AND acceptance_due IS NOT NULL AND decided_on <= acceptance_due",
        "mediated": "mediation_due IS NOT NULL AND ((outcome IN ('resolved', 'failed', 'terminated') "
                    "AND outcome_on IS NOT NULL) OR (outcome IS NULL AND state IN ('accepted', 'mediating') "
                    "AND paused_since IS NULL AND mediation_due < :as_of))",
        "mediated_in_time": "outcome IN ('resolved', 'failed', 'terminated') AND mediation_due IS NOT NULL "
                            "AND outcome_on IS NOT NULL AND outcome_on <= mediation_due",
        "with_outcome": "outcome_on IS NOT NULL",
        **{f"outcome_{o}": f"outcome = '{o}'" for o in OUTCOMES},
        **{f"satisfaction_{k}": f"satisfaction = '{k}'" for k in codes.SATISFACTION},
    }
    sums = ", ".join(f"coalesce(sum(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS {name}"
                     for name, cond in counted.items())
    row = session.execute(text(f"""SELECT count(*) AS complaints, {sums},
        coalesce(sum(amount_recovered), 0) AS recovered, coalesce(sum(advance_paid), 0) AS advanced,
        sum(CASE WHEN outcome_on IS NOT NULL THEN {same_day} END) AS outcome_days
        FROM ({complaints}) AS q"""), params).one()._mapping
    n = {k: int(row[k]) for k in counted}
    f.complaints = int(row["complaints"])
    f.accepted, f.fast_track = n["accepted"], n["fast_track"]
    f.not_accepted = n["outcome_not_accepted"]
    f.outcomes = {k: n[f"outcome_{k}"] for k in ("resolved", "failed", "terminated", "referred")}
    f.outcomes["open"] = n["open"]
    ended = f.outcomes["resolved"] + f.outcomes["failed"] + f.outcomes["terminated"]
    f.resolution_rate = _pct(f.outcomes["resolved"], ended)
    f.recovered = Decimal(str(row["recovered"])).quantize(Decimal("0.01"))
    f.advanced = Decimal(str(row["advanced"])).quantize(Decimal("0.01"))
    f.fast_track_same_day = _pct(n["fast_same_day"], f.fast_track)
    f.acceptance_on_time = _pct(n["decided_in_time"], n["decided"])
    f.mediation_on_time = _pct(n["mediated_in_time"], n["mediated"])
    f.average_days_to_outcome = (round(float(row["outcome_days"]) / n["with_outcome"], 1) if n["with_outcome"]
                                 else None)
    f.satisfaction = {k: n[f"satisfaction_{k}"] for k in codes.SATISFACTION}
    return f


def _class_counts(session: Session, column: str, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = session.execute(text(f"SELECT {column}, count(*) FROM cases WHERE kind = 'complaint' "
                                f"AND received_day >= :start AND received_day <= :end GROUP BY {column}"),
                           {"start": start, "end": end}).all()
    return {k: int(n) for k, n in rows}


def _class_table(now: dict[str, int], before: dict[str, int], table: dict[str, str]) -> list[dict]:
    """The layout consumer associations publish: 本期件数, 比重%, 上年同期件数, 比重%, 比重变化."""
    total_now, total_before = sum(now.values()), sum(before.values())
    out = []
    for code, label in table.items():
        share_now, share_before = _pct(now.get(code, 0), total_now), _pct(before.get(code, 0), total_before)
        out.append({"code": code, "label": label, "count": now.get(code, 0), "share": share_now,
                    "count_last_year": before.get(code, 0), "share_last_year": share_before,
                    "share_change": round((share_now or 0) - (share_before or 0), 1)})
    return out


HOT_KEYS = {  # kind -> (label, SQL of the grouped value)
    "merchant": ("同一经营者", "m.name"),
    "product": ("同一商品或服务", "c.product"),
    "brand": ("同一品牌", "c.brand"),
    "nature": ("同类问题", None),  # category and nature together
}


def hot_issues(session: Session, end: dt.date, threshold: int) -> list[dict]:
    """Groups of at least `threshold` complaints in the 30 days ending on `end`: one statement per kind,
    GROUP BY … HAVING over the covering index, each group's case numbers joined into one string by the
    database. (Reading the numbers as rows took 0.9 s at 1M cases, whose demo groups are huge; COUNT … OVER
    PARTITION BY took twice as long as that.) Case numbers hold no commas."""
    since = end - dt.timedelta(days=29)
    params = {"since": since, "end": end, "n": threshold}
    joined = "group_concat(c.case_no, ',')" if session.get_bind().dialect.name == "sqlite" \
        else "string_agg(c.case_no, ',')"
    window = ("FROM cases c LEFT JOIN merchants m ON m.id = c.merchant_id WHERE c.kind = 'complaint' "
              "AND c.received_day >= :since AND c.received_day <= :end")
    out = []
    for kind, (label, expr) in HOT_KEYS.items():
        if expr is None:
            key, present, picked = "c.category, c.nature", "c.category <> '' AND c.nature <> ''", "c.category, c.nature"
        else:
            key, present, picked = expr, f"coalesce({expr}, '') <> ''", f"{expr}, {expr}"
        rows = session.execute(text(f"SELECT {picked}, {joined} {window} AND {present} GROUP BY {key} "
                                    "HAVING count(*) >= :n"), params).all()
        for key_a, key_b, numbers in rows:
            value = (f"{codes.label(codes.CATEGORY, key_a)}·{codes.label(codes.NATURE, key_b)}" if expr is None
                     else key_a)
            case_nos = sorted(numbers.split(","))
            out.append({"kind": kind, "label": label, "value": value, "count": len(case_nos), "case_nos": case_nos})
    return sorted(out, key=lambda h: (-h["count"], h["kind"], h["value"]))


def monthly(session: Session, month: str) -> dict:
    """The month's figures beside last month and the same month last year (the JSON of `report monthly`)."""
    start_day = int(settings.get(session, "report.month_start_day"))
    threshold = int(settings.get(session, "hot.threshold"))
    start, end = period(month, start_day)
    last_year = period(shift(month, -12), start_day)
    now = period_figures(session, start, end)
    prev = period_figures(session, *period(shift(month, -1), start_day))
    year = period_figures(session, *last_year)
    trend: list[dict] = []
    first, _ = period(shift(month, -11), start_day)
    for k in range(11, -1, -1):
        m = shift(month, -k)
        s, e = period(m, start_day)
        trend.append({"month": m, "complaints": 0, "from": s, "to": e})
    counts = session.execute(text("SELECT received_day, count(*) FROM cases WHERE kind = 'complaint' "
                                  "AND received_day >= :a AND received_day <= :b GROUP BY received_day"),
                             {"a": first, "b": end}).all()
    per_month = [0] * len(trend)
    for day, n in counts:
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        for i, t in enumerate(trend):
            if t["from"] <= day <= t["to"]:
                per_month[i] += int(n)
    trend = [{"month": t["month"], "complaints": per_month[i]} for i, t in enumerate(trend)]
    top = session.execute(text(
        "SELECT m.name, count(*) AS n FROM cases c JOIN merchants m ON m.id = c.merchant_id "
        "WHERE c.kind = 'complaint' AND c.received_day >= :start AND c.received_day <= :end "
        "GROUP BY m.name ORDER BY n DESC, m.name LIMIT 10"), {"start": start, "end": end}).all()
    hot_end = min(end, clock.today())  # for the running month: the 30 days up to today
    return {
        "month": month, "from": start.isoformat(), "to": end.isoformat(),
        **now.as_json(),
        "previous_month": {"month": shift(month, -1), **prev.as_json()},
        "same_month_last_year": {"month": shift(month, -12), **year.as_json()},
        "change_vs_previous_month": _pct(now.complaints - prev.complaints, prev.complaints),
        "change_vs_last_year": _pct(now.complaints - year.complaints, year.complaints),
        "by_category": _class_table(_class_counts(session, "category", start, end),
                                    _class_counts(session, "category", *last_year), codes.CATEGORY),
        "by_nature": _class_table(_class_counts(session, "nature", start, end),
                                  _class_counts(session, "nature", *last_year), codes.NATURE),
        "top_merchants": [{"merchant": m, "complaints": int(n)} for m, n in top],
        "hot_issues": hot_issues(session, hot_end, threshold),
        "trend": trend,
        "rules": RULES,
    }


def hot_now(session: Session, today: dt.date) -> list[dict]:
    return hot_issues(session, today, int(settings.get(session, "hot.threshold")))
