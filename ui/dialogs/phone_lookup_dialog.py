"""电话查询: a clerk taking a call asks for the case number and the check code from the receipt, and
reads out the state, the next step and its date. No personal data is shown or asked for."""
from __future__ import annotations

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
from app.desk import Desk, spoken
from ui.widgets.fields import ErrorLabel


class PhoneLookupDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("电话查询")
        self.setMinimumWidth(520)
        intro = QLabel("请来电人报回执上的案件编号和 6 位查询码（印在案件编号后面）。不要询问或说出姓名、电话等个人信息。")
        intro.setWordWrap(True)
        self.case_no = QLineEdit()
        self.case_no.setPlaceholderText("如 20261120-0001")
        self.code = QLineEdit()
        self.code.setPlaceholderText("6 位，如 3K7 QXD")
        self.code.setMaxLength(12)
        form = QFormLayout()
        form.addRow("案件编号(&N)", self.case_no)
        form.addRow("查询码(&C)", self.code)
        self.error = ErrorLabel()
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setStyleSheet("font-size: 13pt; padding: 6px; background: #f4f8f4;")
        self.answer.hide()
        buttons = QDialogButtonBox()
        self.ask_button = buttons.addButton("查询(&Q)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ask_button.setDefault(True)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.ask)
        buttons.rejected.connect(self.reject)
        for edit in (self.case_no, self.code):  # an answer or error belongs to what was typed
            edit.textChanged.connect(self._clear)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.answer)
        lay.addWidget(buttons)
        self.case_no.setFocus()

    def _clear(self) -> None:
        self.error.show_error("")
        self.answer.hide()

    def ask(self) -> None:
        try:
            result = self.desk.cases.lookup(self.case_no.text(), self.code.text())
        except FieldError as e:
            self.error.show_error(e.message)
            (self.code if e.field == "code" else self.case_no).setFocus()
            self.code.selectAll()
            return
        self.answer.setText(spoken(result).replace("\n", "<br>"))
        self.answer.show()
        self.adjustSize()  # the answer's lines, all of them
