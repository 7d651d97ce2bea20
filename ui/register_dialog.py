"""打印登记簿: every numbered document, who printed or saved it and when; exportable to Excel or CSV."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import FieldError

HEADERS = ["文书编号", "文书", "案件编号或期间", "编号时间", "经办人", "打印或保存", "最近一次"]


class RegisterDialog(QDialog):
    def __init__(self, desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("打印登记簿")
        self.resize(1000, 560)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.count = QLabel()
        export = QPushButton("导出…")
        export.clicked.connect(self.ask_export)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count)
        buttons.addStretch(1)
        buttons.addWidget(export)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        note = QLabel("每份打印或保存的文书都有编号；同一文书再次打印时沿用原编号，并注明“补打”。")
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        rows = self.desk.register.entries()
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            outs = e["outputs"]
            reprints = sum(h["reprint"] for h in e["history"])
            values = [e["number"], e["kind_label"], e["subject"], e["issued_at"][:16].replace("T", " "), e["staff"],
                      (f"{outs} 次" + (f"（补打 {reprints} 次）" if reprints else "")) if outs else "未打印（仅预览）",
                      (e["last_at"][:16].replace("T", " ") + " " + e["last_staff"]) if outs else ""]
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.count.setText(f"共 {len(rows)} 份文书")

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出打印登记簿", "打印登记簿.xlsx",
                                              "Excel 文件 (*.xlsx);;CSV 文件 (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        try:
            n = self.desk.register.export(path)
        except (FieldError, OSError) as e:
            QMessageBox.warning(self, "无法导出", getattr(e, "message", None) or str(e))
            return
        QMessageBox.information(self, "已导出", f"已导出 {n} 条到 {path}")
