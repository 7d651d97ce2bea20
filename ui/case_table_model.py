"""The case list as a lazily fetched table model: pages are read as the view scrolls."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app import clock
from app.cases import CaseFilter
from app.deadlines import WorkCalendar
from app.desk import CaseRow, Desk

PAGE = 200

# (header, CaseRow attribute, sort key in app.cases.SORTABLE)
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
    def __init__(self, desk: Desk, calendar: WorkCalendar, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.calendar = calendar
        self.filter = CaseFilter()
        self.order, self.descending = "received_at", True
        self.today = clock.today()
        self._rows: list[CaseRow] = []
        self._total = 0
        self.reload()

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self._total = self.desk.cases.count(self.filter)
        self._rows = self._page(0)
        self.endResetModel()

    def set_filter(self, f: CaseFilter) -> None:
        self.filter = f
        self.reload()

    def _page(self, offset: int) -> list[CaseRow]:
        return self.desk.cases.rows(self.filter, self.order, self.descending, offset, PAGE, self.calendar, self.today)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        more = self._page(len(self._rows))
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    @property
    def total(self) -> int:
        return self._total

    def case_no(self, row: int) -> str:
        return self._rows[row].case_no

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
        key = COLUMNS[column][2]
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key, descending) == (self.order, self.descending):
            return
        self.order = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
