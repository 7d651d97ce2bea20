"""电话查询: a clerk taking a call checks the caller's check code and reads out state, next step and due date."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import FieldError


class PhoneLookupDialog(QDialog):
    def __init__(self, desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("电话查询")
        self.setMinimumWidth(520)
        intro = QLabel("请来电人报出回执上的案件编号和6位查询码。核对无误后，可告知下面的办理情况；"
                       "本页不显示个人信息，请勿向来电人核对姓名、电话或身份证号。")
        intro.setWordWrap(True)
        self.case_no = QLineEdit()
        self.case_no.setPlaceholderText("如 20261123-0001")
        self.code = QLineEdit()
        self.code.setPlaceholderText("6位，字母和数字")
        self.code.setMaxLength(8)
        form = QFormLayout()
        form.addRow("案件编号", self.case_no)
        form.addRow("查询码", self.code)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setMinimumHeight(110)
        self.answer.setStyleSheet("QLabel { background:#f6f6f6; padding:8px; font-size:11pt; }")
        self.find = QPushButton("查询")
        self.find.setDefault(True)
        self.find.clicked.connect(self.look_up)
        self.code.returnPressed.connect(self.look_up)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.find)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.answer)
        layout.addLayout(buttons)

    def look_up(self) -> None:
        try:
            a = self.desk.contact.lookup(self.case_no.text(), self.code.text())
        except FieldError as e:
            self.answer.setText(f"<span style='color:#b00000'>{e.message}</span>")
            self.result = None
            return
        self.result = a
        self.answer.setText(f"<b>案件 {a['case_no']}：{a['state_label']}</b><br>下一步：{a['next_step']}"
                            + (f"<br>{a['due_text']}" if a["due_text"] else ""))
