"""人员管理 (supervisor): staff accounts, their roles and passwords; nothing is ever deleted, only disabled."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import codes
from app.core.errors import FieldError
from ui.dialogs.ask_dialog import AskDialog
from ui.widgets.tables import row_list

COLUMNS = ("登录名", "姓名", "角色", "状态", "关联系统用户")


class StaffDialog(QDialog):
    def __init__(self, desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("人员管理")
        self.resize(720, 420)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        row_list(self.table)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = {}
        row = QHBoxLayout()
        for key, text, slot in (("add", "新建账号…", self.add), ("password", "设置密码…", self.set_password),
                                ("disable", "停用", self.toggle_disabled), ("role", "改为负责人", self.toggle_role)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[key] = b
        row.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        try:
            self.accounts = self.desk.accounts.list()
        except FieldError as e:
            self.accounts = []
            QMessageBox.warning(self, "人员管理", e.message)
        self.table.setRowCount(len(self.accounts))
        for r, a in enumerate(self.accounts):
            state = "已停用" if a["disabled"] else ("锁定中" if a["locked_until"] else
                                                 ("未设密码" if not a["has_password"] else "正常"))
            for c, value in enumerate((a["login"], a["display"], a["role_label"], state, a["os_user"])):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self._update_buttons()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        a = self.selected()
        for key in ("password", "disable", "role"):
            self.buttons[key].setEnabled(a is not None)
        if a is not None:
            self.buttons["disable"].setText("启用" if a["disabled"] else "停用")
            self.buttons["role"].setText("改为工作人员" if a["role"] == "supervisor" else "改为负责人")

    def _run(self, dialog: QDialog) -> int:
        return dialog.exec()

    def add(self) -> None:
        def submit(v):
            if v["password"] != v["password_repeat"]:
                raise FieldError("password_repeat", "两次输入的密码不一致")
            self.desk.accounts.add(v["login"], v["display"], v["role"] or "staff", v["password"])

        fields = [("text", "login", "登录名 *", ""), ("text", "display", "姓名 *（印在回执上）", ""),
                  ("choice", "role", "角色 *", codes.ROLE), ("password", "password", "密码 *（至少6位）", ""),
                  ("password", "password_repeat", "再输入一次 *", "")]
        if self._run(AskDialog("新建账号", fields, submit, self, "新建")):
            self.reload()

    def set_password(self) -> None:
        a = self.selected()
        if a is None:
            return

        def submit(v):
            self.desk.accounts.set_password(a["login"], v["password"], v["password_repeat"])

        fields = [("password", "password", "新密码 *（至少6位）", ""), ("password", "password_repeat", "再输入一次 *", "")]
        if self._run(AskDialog(f"设置 {a['display']} 的密码", fields, submit, self, "设置")):
            self.reload()

    def toggle_disabled(self) -> None:
        a = self.selected()
        if a is None:
            return
        try:
            self.desk.accounts.set_disabled(a["login"], not a["disabled"])
        except FieldError as e:
            QMessageBox.warning(self, "人员管理", e.message)
        self.reload()

    def toggle_role(self) -> None:
        a = self.selected()
        if a is None:
            return
        try:
            self.desk.accounts.set_role(a["login"], "staff" if a["role"] == "supervisor" else "supervisor")
        except FieldError as e:
            QMessageBox.warning(self, "人员管理", e.message)
        self.reload()
