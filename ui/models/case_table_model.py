"""The case list as a table model that does no I/O: it is given pages of rows and keeps a bounded window."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.desk import CaseRow

FIRST_PAGE = 50  # rows asked first: two screens' worth, so a search or sort shows at once
PAGE = 200  # rows asked at a time after that, as the clerk scrolls
WINDOW = 1000  # rows kept at most

# (header, CaseRow attribute, sort key in app.cases.SORT_KEYS)
COLUMNS = [
    ("案件编号", "case_no", "case_no"),
    ("标记", "flags", None),
    ("登记时间", "received", "received_at"),
    ("类型", "kind", "kind"),
    ("状态", "state", "state"),
    ("消费者", "consumer", None),  # names are encrypted at rest: the list cannot be sorted by them
    ("电话", "phone", None),
    ("被投诉经营者", "merchant", "merchant"),
    ("商品或服务", "product", "product"),
    ("类别", "category", "category"),
    ("期限", "due", "due"),
    ("剩余工作日", "days_left", "due"),
]
# Which deadline the 期限 column shows (the notice of the end of mediation is one too).
DUE_LABEL = {"acceptance": "受理", "mediation": "调解", "notice": "告知", "follow_up": "回访"}
OVERDUE = QColor("#fde2e1")
SOON = QColor("#fff3cd")


class CaseTableModel(QAbstractTableModel):
    """Rows given to it (set_rows, append_rows, prepend_rows); it reads nothing itself.

    It holds at most WINDOW rows, a page at a time: scrolling down past the window drops the top
    page (its cursor kept, so it can be asked again), so memory stays flat however far one scrolls.
    When the view wants more rows it emits `rows_wanted("below" | "above")`; whoever owns the
    database answers with append_rows / prepend_rows.
    """

    rows_wanted = Signal(str)
    sort_wanted = Signal(str, bool)  # sort key, descending

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[CaseRow] = []
        self._pages: list[tuple[object, int]] = []  # (cursor that fetched the page, its row count)
        self._above: list[tuple[object, int]] = []  # dropped pages above the window (cursor, rows), nearest last
        self._next: object | None = None  # cursor of the page below the window
        self._more_below = False
        self._waiting = False
        self.total: int | None = None  # how many match, once counted

    # -- rows given to the model --------------------------------------------------------------
    def set_rows(self, rows: list[CaseRow], next_cursor: object | None, more: bool | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._pages = [(None, len(rows))]
        self._above = []
        self._next = next_cursor
        self._more_below = next_cursor is not None if more is None else more
        self._waiting = False
        self.endResetModel()

    def append_rows(self, rows: list[CaseRow], next_cursor: object | None) -> None:
        """The page that starts at `next_cursor` (the one asked for), and the cursor after it."""
        start = self._next
        self._waiting = False
        self._next = next_cursor
        self._more_below = next_cursor is not None
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self._pages.append((start, len(rows)))
            self.endInsertRows()
        while len(self._rows) > WINDOW and len(self._pages) > 1:
            cursor, n = self._pages.pop(0)
            self.beginRemoveRows(QModelIndex(), 0, n - 1)
            del self._rows[:n]
            self._above.append((cursor, n))
            self.endRemoveRows()

    def prepend_rows(self, rows: list[CaseRow]) -> None:
        """The page just above the window (asked with `above_cursor`)."""
        self._waiting = False
        if not self._above:
            return
        cursor, _n = self._above.pop()
        if rows:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._rows[:0] = rows
            self._pages.insert(0, (cursor, len(rows)))
            self.endInsertRows()
        while len(self._rows) > WINDOW and len(self._pages) > 1:
            start, n = self._pages.pop()
            self.beginRemoveRows(QModelIndex(), len(self._rows) - n, len(self._rows) - 1)
            del self._rows[-n:]
            self.endRemoveRows()
            self._next, self._more_below = start, True

    @property
    def next_cursor(self) -> object | None:
        return self._next

    @property
    def has_more_above(self) -> bool:
        return bool(self._above)

    def above_cursor(self) -> object | None:
        return self._above[-1][0] if self._above else None

    def above_size(self) -> int:
        """How many rows the page just above the window had: asked again, it must join the window's top."""
        return self._above[-1][1] if self._above else PAGE

    def want_above(self) -> None:
        """The view reached the top of the window while pages above it were dropped."""
        if self._above and not self._waiting:
            self._waiting = True
            self.rows_wanted.emit("above")

    def case_no(self, row: int) -> str:
        return self._rows[row].case_no

    # -- lazy loading, without I/O -----------------------------------------------------------
    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and self._more_below and not self._waiting

    def fetchMore(self, parent=QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._waiting = True
            self.rows_wanted.emit("below")

    # -- Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        attr = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            if attr == "flags":
                return " ".join(f for f, on in (("绿色通道", row.priority), ("快速", row.fast_track)) if on)
            value = getattr(row, attr)
            if attr == "days_left":
                if value is None:
                    return ""
                if row.level == "overdue":  # a weekend after the due day counts no working day
                    return f"逾期{-value}个工作日" if value < 0 else "已逾期"
                return "今日到期" if value == 0 else f"{value}"
            if attr == "due" and value:
                return f"{value} {DUE_LABEL.get(row.due_kind, '')}".rstrip()
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.level == "overdue":
                return QBrush(OVERDUE)
            if row.level == "soon":
                return QBrush(SOON)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.level == "overdue" and attr in ("due", "days_left"):
                return QBrush(QColor("#b00000"))
            if attr == "flags":
                return QBrush(QColor("#1e7e34"))
        if role == Qt.ItemDataRole.FontRole and row.level == "overdue" and attr in ("due", "days_left"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if attr in ("merchant", "product", "category", "consumer") and getattr(row, attr):
                tips.append(str(getattr(row, attr)))  # the whole name, where the column cuts it
            if row.due:
                tips.append(f"{row.due_what}：{row.due}")
            if row.priority:
                tips.append("绿色通道（老年人、残疾人、未成年人或孕期妇女）")
            if row.fast_track:
                tips.append("小额纠纷快速处理")
            return "\n".join(tips) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and attr == "days_left":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """The view asks for another order: the owner reloads with it (the model reads nothing)."""
        key = COLUMNS[column][2]
        if key is not None:
            self.sort_wanted.emit(key, order == Qt.SortOrder.DescendingOrder)
