"""Small shared widgets: a combo box over a code table, a field error label, dates in and out of date boxes."""
import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QWidget


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


def ask_discard(parent: QWidget) -> bool:
    """Esc or 取消 on typed text: 放弃 throws it away, 继续填写 (the default) keeps the dialog open."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "放弃填写？", "已填写的内容尚未保存，确定放弃吗？",
                      QMessageBox.StandardButton.NoButton, parent)
    discard = box.addButton("放弃(&Y)", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("继续填写(&N)", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is discard


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.setStyleSheet("border: 1px solid #c0392b;" if invalid else "")


def run_modal(dialog) -> int:
    """Show a dialog and free it afterwards: dialogs parented to the main window would otherwise pile
    up for the whole session (pages of rendered PDFs among them) and all be torn down at exit."""
    from PySide6.QtWidgets import QDialog

    try:
        return dialog.exec()
    finally:
        if isinstance(dialog, QDialog):
            dialog.deleteLater()


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Size a window to (width, height) but never beyond the screen it is shown on."""
    screen = widget.screen() if widget.screen() is not None else None
    if screen is None:
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - 16)
        height = min(height, area.height() - 48)  # the window manager's title bar
    widget.resize(width, height)


class NoticeLabel(QLabel):
    """A standing notice for a narrow place (the status bar): cut to one line with "…", the whole text
    in the tooltip, and shown in full when clicked or when read() is called (a menu entry, a key)."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.full_text = ""
        self.setStyleSheet("color:#8a4b00;")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumWidth(40)
        from PySide6.QtWidgets import QSizePolicy

        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window

    def set_notice(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(f"{text}\n（单击查看全文）" if text else "")
        self.setVisible(bool(text))
        self._elide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, max(self.width() - 4, 20))
        if shown != self.text():
            self.setText(shown)

    def mousePressEvent(self, event) -> None:
        self.read()

    def read(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if not self.full_text:
            return
        box = QMessageBox(QMessageBox.Icon.Information, self.title, self.full_text,
                          QMessageBox.StandardButton.NoButton, self.window())
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        run_modal(box)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def picked(edit: QDateTimeEdit) -> dt.date:
    """The day a date box holds (Qt's toPython() is typed `object`)."""
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def picked_time(edit: QDateTimeEdit) -> dt.datetime:
    """The moment a date-time box holds, naive, as the clerk sees it."""
    day, t = picked(edit), edit.time()
    return dt.datetime(day.year, day.month, day.day, t.hour(), t.minute(), t.second())


def qdatetime(moment: dt.datetime) -> QDateTime:
    """A wall-clock moment (naive) for a date-time box."""
    return QDateTime(qdate(moment.date()), QTime(moment.hour, moment.minute, moment.second))
