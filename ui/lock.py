"""Locking the desk: after an idle period (setting staff.idle_lock_minutes) and on Ctrl+L.

Nothing is closed: every open window (the case list, an intake form half typed, a case) is covered
and the unlock dialog sits over them; unlocking removes the covers and gives the focus back to the
field that had it, so work goes on exactly where it stopped.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)


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


class DeskLock(QObject):
    """Watches the whole application for activity; locks after `minutes` without any, or on Ctrl+L."""

    locked_changed = Signal(bool)

    def __init__(self, desk, minutes: float, parent: QObject | None = None):
        super().__init__(parent)
        self.desk = desk
        self.locked = False
        self.dialog = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.timer.setInterval(max(int(minutes * 60_000), 100))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind in ACTIVITY and not self.locked:
            if (kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_L
                    and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
                QTimer.singleShot(0, self.lock)  # after this key press is done with
                return True
            self.timer.start()
        return False

    def lock(self) -> None:
        """Cover every window and wait for the member's (or a supervisor's) password."""
        from ui.sign_in_dialog import SignInDialog

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
        from ui.operations import settle_heap

        settle_heap()  # nobody works at a locked desk: the full collection costs no one a wait
        active = QApplication.activeWindow() or (windows[-1] if windows else None)
        self.dialog = SignInDialog(self.desk, active, unlock=True)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        try:
            self.dialog.exec()
        finally:
            self.dialog = None
            for cover in covers:
                cover.parentWidget().removeEventFilter(cover)
                cover.hide()
                cover.deleteLater()
            self.locked = False
            if focus is not None:
                focus.window().activateWindow()
                focus.setFocus(Qt.FocusReason.OtherFocusReason)
            self.timer.start()
            self.locked_changed.emit(False)
