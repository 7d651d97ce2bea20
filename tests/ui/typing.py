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


_ERRORS: list[BaseException] = []  # failures inside modal answers, raised again by check_modal_errors()


def check_modal_errors() -> None:
    if _ERRORS:
        error = _ERRORS[0]
        _ERRORS.clear()
        raise error


def when_modal(action, after=None, timeout_ms: int = 8000) -> dict:
    """Run `action(dialog)` on the next modal dialog (other than `after`) as soon as it is shown: the way
    a test answers a question asked with exec(), which does not return until it is answered."""
    import time

    from PySide6.QtCore import QTimer

    state = {"done": False}
    start = time.monotonic()

    def poll():
        w = QApplication.activeModalWidget()
        if w is not None and w is not after and w.isVisible():
            state["done"] = True
            try:
                action(w)
            except BaseException as e:  # a failed step must not leave the dialog waiting forever
                state["error"] = e
                _ERRORS.append(e)
                while QApplication.activeModalWidget() is not None:
                    QApplication.activeModalWidget().reject()
                    QApplication.processEvents()
            return
        if time.monotonic() - start < timeout_ms / 1000:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return state


def press(qtbot, widget, key, modifier=None) -> None:
    """A key in the widget's window, made active first so shortcuts and Alt letters work."""
    from PySide6.QtCore import Qt

    window = widget.window()
    window.activateWindow()
    if window.windowHandle() is not None:
        window.windowHandle().requestActivate()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(widget, key, modifier or Qt.KeyboardModifier.NoModifier)


def in_background(qtbot, timeout_ms: int = 30000) -> None:
    """The action just triggered runs off the window's thread (its op is still in flight when the action
    returns: results come back only through the event loop), then waits for it to finish."""
    from ui import ops

    assert ops.in_flight(), "the action did its work on the window's thread"
    qtbot.waitUntil(lambda: not ops.in_flight(), timeout=timeout_ms)


def fill_dispute(qtbot, form, merchant: str = "测试电器店（虚构）") -> None:
    """The intake form's dispute by keyboard, after the consumer: the merchant, the first category and
    nature, a kettle that leaks current, and the demand for a refund."""
    from PySide6.QtCore import Qt

    type_text(qtbot, form.m_name, merchant)
    qtbot.keyClick(form.category, Qt.Key.Key_Down)
    qtbot.keyClick(form.nature, Qt.Key.Key_Down)
    type_text(qtbot, form.product, "电热水壶")
    type_text(qtbot, form.facts, "使用三天后底座漏电，经营者拒绝退货。")
    form.demand_boxes["refund"].setFocus()
    qtbot.keyClick(form.demand_boxes["refund"], Qt.Key.Key_Space)
