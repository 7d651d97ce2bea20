"""Locking the desk: after an idle period (setting staff.idle_lock_minutes) and on Ctrl+L.

Nothing is closed: every open window (the case list, an intake form half typed, a case) is covered
and the unlock dialog sits over them; unlocking removes the covers and gives the focus back to the
field that had it, so work goes on exactly where it stopped.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QCursor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ui.dialogs.sign_in_dialog import SignInDialog


class Cover(QWidget):
    """An opaque sheet over one window while the desk is locked (personal data out of sight)."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#3c4650"))
        self.setPalette(palette)
        label = QLabel("工作台已锁定")
        label.setStyleSheet("color: white; font-size: 18pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(label, alignment=Qt.AlignmentFlag.AlignCenter)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(obj.rect())
        return False


def activity_mark() -> tuple:
    """What changes when someone works at the desk: where the mouse is and which buttons and keys are
    held, which field has the focus, where its text cursor stands and how much text it holds, which
    row of a list is current and how far it is scrolled."""
    focus = QApplication.focusWidget()
    mark: list = [QCursor.pos().toTuple(), int(QApplication.mouseButtons().value),
                  int(QApplication.keyboardModifiers().value), id(focus)]
    if focus is not None:
        for query in (Qt.InputMethodQuery.ImCursorPosition, Qt.InputMethodQuery.ImAnchorPosition):
            mark.append(focus.inputMethodQuery(query))
        text = focus.inputMethodQuery(Qt.InputMethodQuery.ImSurroundingText)
        mark.append(len(text) if isinstance(text, str) else None)
        if isinstance(focus, QAbstractItemView):
            index = focus.currentIndex()
            mark.append((index.row(), index.column()))
        if isinstance(focus, QAbstractScrollArea):
            mark.append((focus.verticalScrollBar().value(), focus.horizontalScrollBar().value()))
        if isinstance(focus, (QComboBox, QAbstractButton)):
            mark.append(focus.currentIndex() if isinstance(focus, QComboBox) else focus.isChecked())
    return tuple(mark)


class DeskLock(QObject):
    """Locks after `minutes` without anyone working, or on Ctrl+L from any window of the desk.

    Work is noticed by looking every second at what work changes (activity_mark), not by an event
    filter on the whole application: that ran Python for every event Qt handles, hundreds while a
    window lays itself out, and each one waited for the GIL whenever background work was running
    (opening a case stalled the window 0.2 s while the audit chain was checked)."""

    locked_changed = Signal(bool)

    def __init__(self, desk, minutes: float, parent: QWidget):
        super().__init__(parent)
        self.desk = desk
        self.locked = False
        self.dialog: SignInDialog | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.mark = activity_mark()
        self.watch = QTimer(self, interval=1000)
        self.watch.timeout.connect(self._look)
        self.watch.start()
        self.shortcut = QShortcut(QKeySequence("Ctrl+L"), parent, context=Qt.ShortcutContext.ApplicationShortcut)
        self.shortcut.activated.connect(lambda: QTimer.singleShot(0, self.lock))  # after the key press is done with
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self.timer.setInterval(max(int(minutes * 60_000), 100))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.watch.stop()
        self.shortcut.setEnabled(False)

    def _look(self) -> None:
        mark = activity_mark()
        if mark != self.mark and not self.locked:
            self.timer.start()
        self.mark = mark

    def lock(self) -> None:
        """Cover every window and wait for the member's (or a supervisor's) password."""
        from ui.dialogs.sign_in_dialog import SignInDialog

        if self.locked or self.desk.accounts.current is None:
            return
        self.locked = True
        self.timer.stop()
        focus = QApplication.focusWidget()
        windows = [w for w in QApplication.topLevelWidgets()
                   if w.isVisible() and w.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)]
        covers = [Cover(w) for w in windows]
        self.desk.accounts.lock()
        self.locked_changed.emit(True)
        from ui.ops import settle_heap

        settle_heap()  # nobody works at a locked desk: the full collection costs no one a wait
        active = QApplication.activeWindow() or (windows[-1] if windows else None)
        self.dialog = dialog = SignInDialog(self.desk, active, unlock=True)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        try:
            dialog.exec()
        finally:
            self.dialog = None
            for window, cover in zip(windows, covers, strict=True):  # each cover's parent is its window
                window.removeEventFilter(cover)
                cover.hide()
                cover.deleteLater()
            self.locked = False
            if focus is not None:
                focus.window().activateWindow()
                focus.setFocus(Qt.FocusReason.OtherFocusReason)
            self.timer.start()
            self.locked_changed.emit(False)
