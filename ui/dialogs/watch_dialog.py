"""The scam watch list: numbers the point warns about, with why; exportable."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import FieldError
from app.desk import Desk
from ui import file_dialogs
from ui.widgets.fields import ErrorLabel, fit_to_screen


class WatchDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("防骗号码监控名单")
        fit_to_screen(self, 860, 520)
        self.number = QLineEdit()
        self.number.setPlaceholderText("号码：手机、固话或400/800")
        self.number.setToolTip("手机号、带区号的固定电话或 400/800 号码；回车加入")
        self.note = QLineEdit()
        self.note.setPlaceholderText("说明，如：冒充某品牌指纹锁售后")
        self.add_button = QPushButton("加入(&A)")
        self.add_button.clicked.connect(self.add)
        self.add_button.setAutoDefault(False)  # Enter in the boxes adds once (returnPressed), not twice
        self.note.returnPressed.connect(self.add)
        self.number.returnPressed.connect(self.add)
        self.error = ErrorLabel()
        for edit in (self.number, self.note):  # the message about the last try goes with the next edit
            edit.textChanged.connect(lambda _t: self.error.show_error(""))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["号码", "说明", "加入日期", "涉及案件"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.remove_button = QPushButton("移出名单(&R)")
        self.remove_button.clicked.connect(self.remove)
        self.export_button = QPushButton("导出(&E)…")
        self.export_button.clicked.connect(self.ask_export)
        row = QHBoxLayout()
        row.addWidget(self.number, 2)
        row.addWidget(self.note, 3)
        row.addWidget(self.add_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.remove_button)
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.error)
        lay.addWidget(self.table)
        lay.addLayout(bottom)
        self.reload()

    def reload(self) -> None:
        self.rows = self.desk.scams.list()
        self.table.setRowCount(len(self.rows))
        for r, w in enumerate(self.rows):
            for c, v in enumerate((w["number"], w["note"], w["added_on"], str(w["cases"]))):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def add(self) -> None:
        try:
            self.desk.scams.watch(self.number.text(), self.note.text())
        except FieldError as e:
            self.error.show_error(e.message)
            return
        self.error.show_error("")
        self.number.clear()
        self.note.clear()
        self.reload()

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.desk.scams.unwatch(self.rows[row]["number"])
            self.reload()

    def ask_export(self) -> None:
        path = file_dialogs.save_file(self, "导出监控名单", "防骗号码监控名单.csv", "CSV 文件 (*.csv)")
        if path:
            self.desk.scams.export(path)
