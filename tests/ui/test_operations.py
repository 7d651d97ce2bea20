"""ui/ops.QueryOp: work runs off the UI thread, results and errors come back on it, cancel works."""
import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget

from app.core.errors import FieldError
from ui.errors import error_text
from ui.ops import QueryOp, wait_for_all


def test_work_runs_off_the_ui_thread_and_success_runs_on_it(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def op(_progress):
        seen["worker"] = threading.get_ident()
        return 42

    def success(value):
        seen["value"] = value
        seen["success"] = threading.get_ident()

    QueryOp(parent, op, success).run_in_background()
    qtbot.waitUntil(lambda: "value" in seen, timeout=10000)
    assert seen["value"] == 42
    assert seen["worker"] != threading.main_thread().ident
    assert seen["success"] == threading.main_thread().ident


def test_an_error_is_shown_once_in_chinese_without_blocking(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)

    def op(_progress):
        raise FieldError("month", "“2026-13”不是月份，请写成 2026-11")

    QueryOp(parent, op, lambda _v: None).run_in_background()
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=10000)
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert box.text() == "“2026-13”不是月份，请写成 2026-11"
    box.close()
    assert "Traceback" not in error_text(KeyError("x")) and "请重试" in error_text(KeyError("x"))


def test_long_work_shows_progress_and_cancel_stops_it(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    outcome = {"steps": 0}

    def op(progress):
        for i in range(400):
            progress.update(i, 400, "正在导入…")
            outcome["steps"] = i
            time.sleep(0.01)
        return "done"

    op_ = QueryOp(parent, op, lambda v: outcome.setdefault("result", v)).with_progress("正在导入…", cancellable=True)
    op_.failure(lambda e: outcome.setdefault("error", e)).run_in_background()
    qtbot.waitUntil(lambda: op_.dialog is not None and op_.dialog.isVisible(), timeout=10000)
    assert isinstance(op_.dialog, QProgressDialog) and op_.dialog.maximum() == 400
    cancel = op_.dialog.findChild(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: op_.finished, timeout=10000)
    assert "result" not in outcome and "error" not in outcome  # a cancel is neither a result nor an error
    assert outcome["steps"] < 399


def test_a_newer_op_of_the_same_key_replaces_the_older(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    got = []

    def slow(_p):
        time.sleep(0.3)
        return "old"

    QueryOp(parent, slow, got.append).replacing("search").run_in_background()
    QueryOp(parent, lambda _p: "new", got.append).replacing("search").run_in_background()
    assert wait_for_all(5000)
    qtbot.wait(50)
    assert got == ["new"]


def test_signals_carrying_python_objects_do_not_corrupt_reference_counts():
    # PySide6 6.12.0 aborted here ("Fatal Python error: bool_dealloc") within 200 emits; every background
    # op reports through such a signal, so the desk crashed after a long session (pinned <6.12).
    import subprocess
    import sys

    script = ("from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
              "app = QCoreApplication([])\n"
              "class S(QObject):\n    done = Signal(object)\n"
              "got = []\ns = S()\ns.done.connect(got.append)\n"
              "for i in range(5000):\n    s.done.emit(None if i % 2 else True)\n"
              "assert len(got) == 5000\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_page_the_clerk_waits_for_is_not_queued_behind_long_work(qtbot):
    """Long work fills the shared pool (the start of day: work list, audit check); an at_once op still
    comes back at once, and the long work finishes afterwards."""
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    done = []

    def long_work(_progress):
        release.wait(20)
        return "long"

    for _ in range(3):  # more than the shared pool's threads
        QueryOp(parent, long_work, done.append).run_in_background()
    QueryOp(parent, lambda _p: "page", done.append).at_once().run_in_background()
    try:
        qtbot.waitUntil(lambda: "page" in done, timeout=5000)
        assert done == ["page"]
    finally:
        release.set()
    qtbot.waitUntil(lambda: done.count("long") == 3, timeout=10000)
    assert wait_for_all()


def test_the_window_names_the_field_once_and_shows_no_codes():
    from app.core import codes, validation
    from app.core.errors import FieldError, InputError

    try:
        validation.choice("x", codes.MEDIATION_MODE, "mode", "调解方式")
    except FieldError as e:
        text = error_text(InputError([e]))
    assert text.startswith("调解方式“x”") and "on_site" not in text and "现场" in text
    assert error_text(FieldError("month", "请写成 2026-11")) == "月份：请写成 2026-11"
