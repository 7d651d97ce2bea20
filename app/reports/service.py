"""The desk's services for reports: reports, worklist."""
from __future__ import annotations

import dataclasses
import datetime as dt

from app.calendar import holiday_arrangements
from app.cases.records import CaseFilter
from app.core import clock
from app.reports import figures, worklist
from app.storage.db import Service, Store


class ReportService(Service):
    def monthly(self, month: str) -> dict:
        with self.store.read() as s:
            return figures.monthly(s, month)

    @staticmethod
    def chart_svgs(counts: dict) -> dict[str, bytes]:
        """The report's charts as SVG for the window: the same drawings the PDF prints (a month's
        figures, or the council's district)."""
        from app.printing import charts

        return {name: charts.to_svg(make(counts)) for name, make in (
            ("category", charts.category_bars), ("nature", charts.nature_pie), ("trend", charts.trend_line))}

    def hot_issues(self, today: dt.date | None = None) -> list[dict]:
        with self.store.read() as s:
            return figures.hot_now(s, today or clock.today())


def today() -> dt.date:
    """The desk's day, in Asia/Shanghai whatever the computer's zone."""
    return clock.today()


class WorklistService:
    def __init__(self, store: Store):
        self.store = store

    def today(self, on: dt.date | None = None) -> worklist.Worklist:
        with self.store.read() as s:
            cal = holiday_arrangements.load_calendar(s)
            return worklist.build(s, cal, on or today())

    def filter(self, name: str, on: dt.date | None = None, base: CaseFilter | None = None) -> CaseFilter:
        """`base` narrowed to a work-list filter (codes.WORK_FILTERS), e.g. 逾期 or 待回访."""
        on = on or today()
        with self.store.read() as s:
            soon = worklist.soon_until(holiday_arrangements.load_calendar(s), on)
        return dataclasses.replace(base or CaseFilter(), due=name, due_on=on, due_soon=soon)
