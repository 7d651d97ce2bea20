"""Typing into real widgets: ASCII as key presses, Chinese as an input method commits it.

QTest.keyClicks can only map ASCII to keys (it aborts on 汉字), and at a real desk Chinese
arrives through the input method anyway, as a QInputMethodEvent with a commit string.
"""
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication


def type_text(qtbot, widget, text: str) -> None:
    run = ""

    def flush_ascii():
        nonlocal run
        if run:
            qtbot.keyClicks(widget, run)
            run = ""

    for ch in text:
        if ch.isascii() and ch != "\n":
            run += ch
            continue
        flush_ascii()
        if ch == "\n":
            from PySide6.QtCore import Qt

            qtbot.keyClick(widget, Qt.Key.Key_Return)
            continue
        widget.setFocus()
        event = QInputMethodEvent("", [])
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)
    flush_ascii()


def activate(qtbot, widget) -> None:
    """Make the window active, as a click on it would; shortcuts only fire in the active window."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.windowHandle().requestActivate()
    qtbot.waitUntil(widget.isActiveWindow, timeout=3000)
