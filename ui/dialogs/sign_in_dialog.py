"""Signing in at window start, and unlocking the locked window (the member's or a supervisor's password)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import FieldError
from ui.widgets.fields import ErrorLabel


class SignInDialog(QDialog):
    """登录: login name and password; Enter signs in. Wrong passwords count (5 lock the account)."""

    def __init__(self, desk, parent: QWidget | None = None, unlock: bool = False):
        super().__init__(parent)
        self.desk = desk
        self.unlock = unlock
        self.setWindowTitle("工作台已锁定" if unlock else "登录 — 维权联络点工作台")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        who = desk.accounts.current
        if unlock and who is not None:
            intro = QLabel(f"<b>{who.display}</b> 的工作台已锁定，未保存的内容都还在。<br>"
                           "请输入本人密码解锁；负责人也可用自己的登录名和密码解锁。")
        else:
            intro = QLabel("请用本人账号登录。所办理的登记、变更和打印都会记在登录人名下。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.login = QLineEdit(who.login if unlock and who else "")
        self.login.setObjectName("login")
        self.login.setPlaceholderText("登录名")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("密码")
        form.addRow("登录名", self.login)
        form.addRow("密码", self.password)
        layout.addLayout(form)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("解锁" if unlock else "登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.setAutoDefault(True)
        if not unlock:
            buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if self.login.text() else self.login).setFocus()

    def submit(self) -> None:
        if not self.login.text().strip():
            self.error.show_error("请填写登录名")
            self.login.setFocus()
            return
        try:
            if self.unlock:
                self.desk.accounts.unlock(self.login.text().strip(), self.password.text())
            else:
                self.desk.accounts.sign_in(self.login.text().strip(), self.password.text())
        except FieldError as e:
            self.error.show_error(e.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    def reject(self) -> None:
        if not self.unlock:  # the lock cannot be closed away, only unlocked
            super().reject()

    def keyPressEvent(self, event) -> None:
        if self.unlock and event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)
