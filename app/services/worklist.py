"""desk.worklist: the day's work list (今日待办) and the case-list filters that click through to it."""
from __future__ import annotations

import dataclasses
import datetime as dt

from app import clock, holiday_arrangements, worklist
from app.cases import CaseFilter
from app.db import Store


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
