"""A small form dialog built from a list of fields; it submits through a callback and stays open on errors."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.errors import FieldError, InputError
from ui.widgets import CodeCombo, ErrorLabel

# A field: (kind, key, label, extra). kind: text | password | memo | choice | checks; extra: the code table for
# choice/checks, a default text for text/memo.


class AskDialog(QDialog):
    def __init__(self, title: str, fields: list[tuple], submit: Callable[[dict], object],
                 parent: QWidget | None = None, ok_text: str = "确定"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.submit = submit
        self.widgets: dict[str, QWidget] = {}
        self.kinds: dict[str, str] = {}
        form = QFormLayout(self)
        for kind, key, label, extra in fields:
            if kind == "text":
                w = QLineEdit(extra or "")
            elif kind == "password":
                w = QLineEdit()
                w.setEchoMode(QLineEdit.EchoMode.Password)
            elif kind == "memo":
                w = QPlainTextEdit(extra or "")
                w.setTabChangesFocus(True)
                w.setFixedHeight(80)
            elif kind == "choice":
                w = CodeCombo(extra, blank="（请选择）")
            else:  # checks
                w = QWidget()
                grid = QGridLayout(w)
                grid.setContentsMargins(0, 0, 0, 0)
                w.boxes = {}
                for i, (code, text) in enumerate(extra.items()):
                    box = QCheckBox(text)
                    grid.addWidget(box, i // 3, i % 3)
                    w.boxes[code] = box
            form.addRow(label, w)
            self.widgets[key] = w
            self.kinds[key] = kind
        self.error = ErrorLabel()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        out = {}
        for key, w in self.widgets.items():
            kind = self.kinds[key]
            if kind == "text":
                out[key] = w.text().strip()
            elif kind == "password":
                out[key] = w.text()  # as typed: spaces are part of a password
            elif kind == "memo":
                out[key] = w.toPlainText().strip()
            elif kind == "choice":
                out[key] = w.code()
            else:
                out[key] = [code for code, box in w.boxes.items() if box.isChecked()]
        return out

    def try_submit(self) -> None:
        try:
            self.submit(self.values())
        except (InputError, FieldError) as e:
            self.error.show_error(str(e))
            return
        self.accept()
