"""Errors as the window says them, in one place: what the clerk typed wrong, field by field; a file or the
database out of reach; and unexpected errors, logged with their traceback (app/core/logging_setup.py)."""
from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtWidgets import QApplication, QMessageBox

from app.core import logging_setup
from app.core.errors import FieldError, InputError


def error_text(error: BaseException) -> str:
    """An error as the window shows it: `字段名：说明` (the field named once), one line per field, codes as their Chinese labels
    (the command line prints the same errors as `【field】说明`); never a traceback."""
    from ui.labels import field_label

    if isinstance(error, InputError):
        return "\n".join(error_text(e) for e in error.errors)
    if isinstance(error, FieldError):
        label = field_label(error.field)
        text = error.text(window=True)
        return f"{label}：{text}" if label and label not in text else text  # named once, not twice
    if isinstance(error, OSError):
        return f"无法读写文件或数据库：{error.strerror or error}"
    return "操作未能完成，请重试；问题仍在时请联系管理员（详情已记入日志）。"


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
    if isinstance(exc, (FieldError, InputError)):
        # A refusal (a staff member at a supervisor's task, a restore in progress, a wrong value) that a
        # screen did not catch is still said as what it is, never as an unexpected error; logged all the same.
        logging.getLogger(__name__).warning("拒绝（窗口未处理）：%s", error_text(exc), exc_info=exc)
        return _refused(exc)
    path = logging_setup.log_exception(exc, "窗口")
    if QApplication.instance() is None:
        sys.stderr.write(logging_setup.user_message(exc, path) + "\n")
        return None
    box = QMessageBox(QMessageBox.Icon.Critical, "意外错误", logging_setup.user_message(exc, path),
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setObjectName("unexpected_error")
    box.open()  # not exec(): the error may come from inside another dialog's loop
    return box


def _refused(exc: BaseException) -> QMessageBox | None:
    if QApplication.instance() is None:
        sys.stderr.write(error_text(exc) + "\n")
        return None
    box = QMessageBox(QMessageBox.Icon.Warning, "操作未完成", error_text(exc), QMessageBox.StandardButton.Ok,
                      QApplication.activeWindow())
    box.setObjectName("refused")
    box.open()
    return box
