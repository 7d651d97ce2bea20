"""Unexpected errors in the window: logged with their traceback (app/core/logging_setup.py), shown in Chinese."""
from __future__ import annotations

import sys
import threading

from PySide6.QtWidgets import QApplication, QMessageBox

from app.core import logging_setup


def install() -> None:
    """From now on no traceback reaches the person at the desk: log file plus a message box."""
    logging_setup.setup("liaison-desk")
    sys.excepthook = handle
    threading.excepthook = lambda a: handle(a.exc_type, a.exc_value, a.exc_traceback)


def handle(exc_type, exc, tb) -> QMessageBox | None:
    if exc is None:
        exc = exc_type()
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    if issubclass(exc_type, KeyboardInterrupt):
        return None
    path = logging_setup.log_exception(exc, "窗口")
    if QApplication.instance() is None:
        sys.stderr.write(logging_setup.user_message(exc, path) + "\n")
        return None
    box = QMessageBox(QMessageBox.Icon.Critical, "意外错误", logging_setup.user_message(exc, path),
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setObjectName("unexpected_error")
    box.open()  # not exec(): the error may come from inside another dialog's loop
    return box
