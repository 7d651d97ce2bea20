"""文书登记簿: every case document printed or saved, with its number, case, who printed it and when."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.desk import REGISTER_COLUMNS as COLUMNS
from app.desk import Desk
from ui import file_dialogs
from ui.errors import error_text
from ui.widgets.fields import fit_to_screen, picked


class RegisterWindow(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("文书登记簿")
        fit_to_screen(self, 1100, 600)
        self.period = QCheckBox("按首次打印日期(&D)")
        day = clock.today()
        today = QDate(day.year, day.month, day.day)  # the point's day (Asia/Shanghai), not the computer's zone
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for box in (self.date_from, self.date_to):
            box.setCalendarPopup(True)
            box.setDisplayFormat("yyyy-MM-dd")
            box.setEnabled(False)
            box.dateChanged.connect(lambda _d: self.load())
        self.period.toggled.connect(self._toggle)
        self.status = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([label for label, _ in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.export_button = QPushButton("导出(&E)…")
        self.export_button.clicked.connect(self.ask_export)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.date_from)
        top.addWidget(QLabel("至"))
        top.addWidget(self.date_to)
        top.addStretch(1)
        top.addWidget(self.status)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table)
        lay.addLayout(bottom)
        self.entries: list[dict] = []
        self.loading = False
        self.load()

    def _toggle(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.load()

    def _period(self):
        if not self.period.isChecked():
            return None, None
        return picked(self.date_from), picked(self.date_to)

    def load(self) -> None:
        from ui.ops import QueryOp

        desk, (start, end) = self.desk, self._period()
        self.loading = True
        self.status.setText("正在读取…")
        QueryOp(self, lambda _p: desk.documents.register(start, end), self._show) \
            .replacing(f"register-{id(self)}").run_in_background()

    def _show(self, entries: list[dict]) -> None:
        self.loading = False
        self.entries = entries
        self.status.setText(f"共 {len(entries)} 份文书")
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            for c, (_label, key) in enumerate(COLUMNS):
                value = e[key]
                text = value.replace("T", " ")[:16] if key.endswith("_at") and value else str(value)
                item = QTableWidgetItem(text)
                item.setToolTip(str(value))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.export_button.setEnabled(bool(entries))

    def ask_export(self) -> None:
        path = file_dialogs.save_file(self, "导出文书登记簿", "文书登记簿.xlsx", "Excel 文件 (*.xlsx);;CSV 文件 (*.csv)")
        if path:
            self.export_file(path)

    def export_file(self, path: str) -> None:
        from ui.ops import QueryOp

        desk, (start, end) = self.desk, self._period()

        def done(entries: list[dict]) -> None:
            self.loading = False
            self.status.setText(f"已导出 {len(entries)} 份到 {path}")

        def failed(e: BaseException) -> None:
            self.loading = False
            self.status.setText(f"<span style='color:#c0392b'>无法导出：{error_text(e)}</span>")

        self.loading = True
        QueryOp(self, lambda _p: desk.documents.register(start, end, path), done).failure(failed) \
            .with_progress("正在导出…").run_in_background()
