"""Small shared widgets: a combo box over a code table, a field error label."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QWidget


class CodeCombo(QComboBox):
    """Shows Chinese labels, stores the English code (app.codes tables)."""

    def __init__(self, table: dict[str, str], parent: QWidget | None = None, blank: str | None = None):
        super().__init__(parent)
        if blank is not None:
            self.addItem(blank, "")
        for code, label in table.items():
            self.addItem(label, code)

    def code(self) -> str:
        return self.currentData() or ""

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)


class ErrorLabel(QLabel):
    """Red message under a field; hidden when the field is right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet("color: #c0392b; font-size: 9pt;")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.setStyleSheet("border: 1px solid #c0392b;" if invalid else "")
