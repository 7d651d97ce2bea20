"""清除过期个人信息 (supervisor): how many closed cases are past retention, then remove their personal data."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox

from ui.widgets.fields import picked


class PurgeDialog(QDialog):
    def __init__(self, desk, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("清除过期个人信息")
        self.cutoff = QDateEdit(QDate(desk.retention.default_cutoff()))
        self.cutoff.setCalendarPopup(True)
        self.cutoff.setDisplayFormat("yyyy-MM-dd")
        self.count = QLabel()
        note = QLabel("清除这些案件中消费者的姓名、电话、身份证号和地址；案件、办理经过和统计数字保留。")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("清除")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.purge)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("办结日期早于", self.cutoff)
        form.addRow("涉及案件", self.count)
        form.addRow(note)
        form.addRow(self.buttons)
        self.cutoff.dateChanged.connect(self.update_count)
        self.update_count()

    def update_count(self) -> int:
        n = self.desk.retention.count(picked(self.cutoff))
        self.count.setText(f"{n} 件")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(n > 0)
        return n

    def purge(self) -> None:
        from app.core.changes import Changes
        from ui.ops import ChangeOp

        n = self.update_count()
        answer = QMessageBox.question(self, "清除过期个人信息",
                                      f"确定清除 {n} 件案件的消费者个人信息？清除后无法恢复（备份中仍有）。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        desk, cutoff = self.desk, picked(self.cutoff)

        def purged(numbers: list[str]) -> None:
            QMessageBox.information(self, "清除过期个人信息", f"已清除 {len(numbers)} 件案件的个人信息。")
            self.accept()

        ChangeOp(self, lambda _p: desk.retention.purge(cutoff), Changes(all_cases=True), purged) \
            .with_progress("正在清除个人信息…").run_in_background()
