"""今日待办, the start page: everything waiting on the desk, group by group, each count (with how many are
overdue or due soon) opening the filtered list; the most urgent items listed below."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core import codes
from ui.widgets.tables import row_list

if TYPE_CHECKING:
    from app.desk import WorkItem, Worklist

WEEKDAYS = "一二三四五六日"
COLUMNS = ["事项", "期限", "案件编号", "消费者", "电话（打开案件看全号）", "被投诉经营者", "商品或服务"]
OVERDUE = QColor("#fde2e1")
SOON = QColor("#fff3cd")


def due_text(item: WorkItem) -> str:
    if item.due is None:
        return ""
    left = item.working_days_left
    if item.level == "overdue":
        return f"{item.due.isoformat()}（已逾期）"
    if left == 0:
        return f"{item.due.isoformat()}（今日）"
    return f"{item.due.isoformat()}（剩 {left} 个工作日）"


class WorkListModel(QAbstractTableModel):
    """The day's items as rows; the text of a cell is made when the view shows it. A district's work
    list has tens of thousands of overdue items, and a table item for every cell stopped the window
    0.2 s each time the list came in."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[WorkItem] = []
        self.brushes = {"overdue": QBrush(OVERDUE), "soon": QBrush(SOON)}

    def set_rows(self, items: list[WorkItem]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's naming
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.brushes.get(item.level)
        return None

    def text(self, row: int, column: int) -> str:
        item = self.items[row]
        return (f"{codes.WORK_GROUPS[item.group]}：{item.what}", due_text(item), item.case_no, item.consumer,
                item.phone, item.merchant, item.product)[column]


class TodayPage(QWidget):
    open_case = Signal(str)
    show_filter = Signal(str)  # a value of codes.WORK_FILTERS
    follow_up = Signal(str)  # 已回访: record the visit of this case

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.work: Worklist | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.notice = QLabel()  # deadline warnings in full (the status bar has room for one line only)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color:#8a4b00; background:#fff3cd; padding:4px;")
        self.notice.hide()

        self.cards: dict[str, QPushButton] = {}
        cards = QGridLayout()
        cards.setSpacing(8)
        for i, (name, label) in enumerate({"overdue": "全部逾期", **codes.WORK_GROUPS}.items()):
            card = QPushButton()
            card.setMinimumHeight(76)
            card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            card.setToolTip(f"在案件列表中查看全部“{label}”的案件（临期：两个工作日内到期）")
            card.clicked.connect(lambda _c=False, n=name: self.show_filter.emit(n))
            cards.addWidget(card, 0, i)
            self.cards[name] = card

        self.rows = WorkListModel()
        self.table = QTableView()
        self.table.setModel(self.rows)
        row_list(self.table)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.open_button = QPushButton("打开案件 (Enter)")
        self.open_button.clicked.connect(lambda: self._open_row(self.table.currentIndex().row()))
        self.visit_button = QPushButton("已回访… (F6)")
        self.visit_button.setToolTip("记录对所选案件的回访与满意度（F6）")
        self.visit_button.clicked.connect(self.record_visit)
        self.visit_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("双击或回车打开案件；待回访的案件回访后按 F6 记录。"))
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.visit_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.notice)
        layout.addLayout(cards)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_work(self, work: Worklist) -> None:
        self.work = work
        day = work.on
        self.title.setText(f"今日待办　{day.year}年{day.month}月{day.day}日　星期{WEEKDAYS[day.weekday()]}")
        total = work.total()
        if not total:
            self.summary.setText("没有待办的事项：没有待作的受理决定、进行中的调解、待送达的告知书、待回访或待答复的案件。")
        else:
            late, near = work.overdue(), work.soon()
            until = f"{work.soon_until.month}月{work.soon_until.day}日" if work.soon_until else "近日"
            urgent = "，".join(p for p in (f"<b style='color:#b00000'>已逾期 {late} 件</b>" if late else "",
                                           f"<b style='color:#8a4b00'>临期 {near} 件</b>（{until}前到期）"
                                           if near else "") if p)
            listed = ("下表列出全部待办，已逾期的在前，其次临期的。" if work.complete() else
                      f"下表列出每类最紧急的 {work.listed} 件，已逾期的在前，其次临期的；点击数字在案件列表中查看全部。")
            self.summary.setText(f"共 {total} 件待办" + (f"，其中{urgent}" if urgent else "，都未到期")
                                 + f"。{listed}")
        for name, card in self.cards.items():
            if name == "overdue":
                label, count, late, near = "全部逾期", work.overdue(), work.overdue(), 0
                detail = f"临期另有 {work.soon()} 件" if work.soon() else ""
            else:
                tally = work.tally(name)
                label, count, late, near = codes.WORK_GROUPS[name], tally.total, tally.overdue, tally.soon
                detail = " · ".join(p for p in (f"已逾期 {late}" if late else "", f"临期 {near}" if near else "") if p)
            card.setText(f"{label}\n{count} 件" + (f"\n{detail}" if detail else ""))
            color = "#b00000" if late else ("#8a4b00" if near else "")
            card.setStyleSheet("QPushButton { font-size: 11pt; }" if not color
                               else f"QPushButton {{ font-size: 11pt; color: {color}; font-weight: bold; }}")
        self.rows.set_rows(work.items)
        for col, width in enumerate((335, 215, 140, 70, 165, 220)):
            self.table.setColumnWidth(col, width)
        if work.items and self.table.currentIndex().row() < 0:
            self.table.selectRow(0)
        self._selection_changed()

    def current_item(self) -> WorkItem | None:
        row = self.table.currentIndex().row()
        if self.work is None or not 0 <= row < len(self.work.items):
            return None
        return self.work.items[row]

    def _selection_changed(self) -> None:
        item = self.current_item()
        self.visit_button.setEnabled(item is not None and item.group == "follow_up")
        self.open_button.setEnabled(item is not None)

    def _open_row(self, row: int) -> None:
        if self.work is not None and 0 <= row < len(self.work.items):
            self.open_case.emit(self.work.items[row].case_no)

    def record_visit(self) -> None:
        item = self.current_item()
        if item is not None and item.group == "follow_up":
            self.follow_up.emit(item.case_no)
