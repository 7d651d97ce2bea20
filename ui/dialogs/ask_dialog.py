"""A small form dialog built from a list of fields; it submits through a callback and stays open on errors."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import FieldError, InputError
from ui.errors import error_text
from ui.widgets.fields import CodeCombo, ErrorLabel, ask_discard

# A field: (kind, key, label, extra). kind: text | password | memo | choice | checks; extra: the code table for
# choice/checks, a default text for text/memo.


class _Checks(QWidget):
    """A `checks` field: its check boxes by code."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: dict[str, QCheckBox] = {}


class AskDialog(QDialog):
    def __init__(self, title: str, fields: list[tuple], submit: Callable[[dict], object],
                 parent: QWidget | None = None, ok_text: str = "确定", intro: str = "", scroll: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(600)
        self.submit = submit
        self.widgets: dict[str, QWidget] = {}
        self.kinds: dict[str, str] = {}
        outer = QVBoxLayout(self)
        if intro:  # what the step will do, said before it is done
            self.intro = QLabel(intro)
            self.intro.setWordWrap(True)
            self.intro.setStyleSheet("color:#0b5394;")
            self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            outer.addWidget(self.intro)
        form = QFormLayout()
        self.scroll_area: QScrollArea | None = None
        if scroll:  # many fields: they scroll, the buttons stay on a 1366×768 screen
            self.scroll_area = area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QScrollArea.Shape.NoFrame)
            inner = QWidget()
            inner.setLayout(form)
            area.setWidget(inner)
            outer.addWidget(area, 1)
        else:
            outer.addLayout(form, 1)
        for kind, key, label, extra in fields:
            w: QWidget
            if kind == "text":
                w = QLineEdit(extra or "")
            elif kind == "password":
                w = QLineEdit()
                w.setEchoMode(QLineEdit.EchoMode.Password)
            elif kind == "memo":
                w = QPlainTextEdit(extra or "")
                w.setTabChangesFocus(True)
                w.setMinimumHeight(80)
            elif kind == "choice":
                w = CodeCombo(extra, blank="（请选择）")
                # long grounds must not stretch the dialog past the screen; the list shows them in full
                w.setSizeAdjustPolicy(CodeCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                w.setMinimumContentsLength(24)
                w.view().setMinimumWidth(w.view().sizeHintForColumn(0) + 24)
            else:  # checks
                w = _Checks()
                grid = QGridLayout(w)
                grid.setContentsMargins(0, 0, 0, 0)
                for i, (code, text) in enumerate(extra.items()):
                    box = QCheckBox(text)
                    grid.addWidget(box, i // 3, i % 3)
                    w.boxes[code] = box
            form.addRow(label, w)
            self.widgets[key] = w
            self.kinds[key] = kind
            self._watch(w)
        self.error = ErrorLabel()
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_submit)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.try_submit)
        self.ok_button.setToolTip(f"{ok_text}（Ctrl+Enter）")
        self.initial = self.values()

    def showEvent(self, event) -> None:
        """Tall enough for wrapped text at the width it opens with: nothing drawn over anything."""
        super().showEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        layout = self.layout()
        if self.scroll_area is not None or layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.minimumSize().height()
        if self.height() < needed:
            self.resize(self.width(), needed)

    def _watch(self, w: QWidget) -> None:
        """A message about the last try goes as soon as the clerk changes anything."""
        clear = lambda *_a: self.error.show_error("")  # noqa: E731
        if isinstance(w, QLineEdit):  # text, password
            w.textChanged.connect(clear)
        elif isinstance(w, QPlainTextEdit):  # memo
            w.textChanged.connect(clear)
        elif isinstance(w, CodeCombo):  # choice
            w.currentIndexChanged.connect(clear)
        elif isinstance(w, _Checks):
            for box in w.boxes.values():
                box.toggled.connect(clear)

    def values(self) -> dict:
        out: dict[str, str | list[str]] = {}
        for key, w in self.widgets.items():
            if isinstance(w, QLineEdit):  # text, password
                # a password as typed: spaces are part of it
                out[key] = w.text() if self.kinds[key] == "password" else w.text().strip()
            elif isinstance(w, QPlainTextEdit):  # memo
                out[key] = w.toPlainText().strip()
            elif isinstance(w, CodeCombo):  # choice
                out[key] = w.code()
            elif isinstance(w, _Checks):
                out[key] = [code for code, box in w.boxes.items() if box.isChecked()]
        return out

    def try_submit(self) -> None:
        try:
            self.submit(self.values())
        except (InputError, FieldError) as e:
            self.error.show_error(error_text(e))
            self._fit_height()  # the message wraps below the fields, never over them
            return
        self.accept()

    def reject(self) -> None:
        """Esc or 取消: typed text is not thrown away without asking."""
        if self.values() != self.initial and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        return ask_discard(self)
