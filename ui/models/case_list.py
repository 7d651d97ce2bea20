"""The case list's loading: asks the desk for pages in the background and hands them to the model."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal

from app.core import clock
from app.desk import CaseFilter, Desk, WorkCalendar
from ui.models.case_table_model import FIRST_PAGE, PAGE, CaseTableModel
from ui.ops import QueryOp


class CaseList(QObject):
    """Filter and order of the list; each page and the count are read off the UI thread."""

    loaded = Signal()  # the first page is in the model
    counted = Signal(int)  # the number of matching cases

    def __init__(self, desk: Desk, calendar: WorkCalendar, model: CaseTableModel, parent_widget=None):
        super().__init__(parent_widget)
        self.desk, self.calendar, self.model = desk, calendar, model
        self.widget = parent_widget
        self.filter = CaseFilter()
        self.order, self.descending = "received_at", True
        self.today: dt.date = clock.today()
        self.busy = False
        self._generation = 0  # pages asked under an older filter or order are dropped
        model.rows_wanted.connect(self._more)
        model.sort_wanted.connect(self.sort)

    def _rows(self, after, limit: int):
        desk, f, order, desc, cal, today = self.desk, self.filter, self.order, self.descending, self.calendar, self.today
        return lambda _p: desk.cases.rows(f, order, desc, after, limit, cal, today)

    def reload(self) -> None:
        """First page, then the count (both in the background; the newest request wins)."""
        self.busy = True
        self.model.total = None
        self._generation += 1
        f = self.filter
        generation = self._generation
        pending: list[int] = []  # a count that came back before its first page waits for it

        def first(result):
            rows, cursor = result
            self.model.set_rows(rows, cursor)
            self.busy = False
            self.loaded.emit()
            if pending:
                counted(pending[0])

        QueryOp(self.widget, self._rows(None, FIRST_PAGE), first).replacing(f"list-{id(self)}").at_once() \
            .run_in_background()

        def counted(n: int) -> None:
            if generation != self._generation:
                return
            if self.busy:  # the count must never describe rows the list does not show yet
                pending[:] = [n]
                return
            self.model.total = n
            self.counted.emit(n)

        QueryOp(self.widget, lambda _p: self.desk.cases.count(f), counted).replacing(
            f"count-{id(self)}").at_once().run_in_background()

    def set_filter(self, f: CaseFilter) -> None:
        self.filter = f
        self.reload()

    def sort(self, key: str, descending: bool) -> None:
        if (key, descending) != (self.order, self.descending):
            self.order, self.descending = key, descending
            self.reload()

    def _more(self, where: str) -> None:
        generation = self._generation

        def arrived(result) -> None:
            if generation != self._generation:
                return
            if where == "below":
                self.model.append_rows(*result)
            else:
                self.model.prepend_rows(result[0])

        if where == "below":
            cursor, limit = self.model.next_cursor, PAGE
        else:
            cursor, limit = self.model.above_cursor(), self.model.above_size()
        QueryOp(self.widget, self._rows(cursor, limit), arrived).at_once().run_in_background()
