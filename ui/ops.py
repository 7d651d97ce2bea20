"""One way to run work off the UI thread, after Anki's aqt/operations: QueryOp for reads, ChangeOp for writes.

    QueryOp(self, lambda progress: desk.reports.monthly(month), self.show_figures) \
        .failure(self.on_error).with_progress("正在统计…").run_in_background()
    ChangeOp(self, lambda progress: desk.retention.purge(day), Changes(all_cases=True), self.purged) \
        .with_progress("正在清除…").run_in_background()

`op` runs on a worker thread and gets an app.core.progress.Progress (update/check for cancel); `success`
and `failure` run back on the UI thread. Errors are shown one way, in Chinese (show_error). A
progress dialog appears only when the work takes over a second; with `cancellable` it has 取消.
A ChangeOp that succeeds tells every open screen what changed (`CHANGES.changed`, one signal) before its
own `success` runs: screens refresh themselves on it, nobody calls another screen's refresh.
"""
from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.core.changes import Changes
from app.core.errors import FieldError, InputError
from app.core.progress import Cancelled, Progress
from ui.errors import error_text

log = logging.getLogger(__name__)
POOL = QThreadPool()
POOL.setMaxThreadCount(2)  # the desk has little to do at once; more threads would only contend for the database
# What the clerk is looking at and waiting for (the case list's pages and counts) has a lane of its own: in
# the shared pool the first page scrolled to at 1M cases waited 5 s behind the start of day's work list and
# audit check.
AT_ONCE = QThreadPool()
AT_ONCE.setMaxThreadCount(1)
# A worker running Python (export, dashboard) kept the UI thread from the GIL for up to 0.4 s at the
# default 5 ms switch interval; at 1 ms the longest wait is a few ms (bench/bench_stall.py).
sys.setswitchinterval(0.001)


_tuning_collector = False  # set by the window's own process only (ui/main.py), never by a test run


def tune_collector() -> None:
    """This process is the desk's window: settle_heap may take the collector over (see there)."""
    global _tuning_collector
    _tuning_collector = True


def settle_heap(collect: bool = True) -> None:
    """When nobody waits (the window just opened, the desk locked): collect, then move what is left
    (modules, Qt wrappers, the schema, the holiday tables) out of the collector's sight, and collect the
    young objects only rarely. A full collection walks every tracked object holding the GIL: with start-up
    in view it stopped the window 0.13 s while ten photos were attached (bench/bench_attach.py), and at the
    default thresholds background work (dashboard, export) set off full collections of 80–150 ms each
    (bench/bench_stall.py). Refcounting frees all but cyclic garbage, which the rare collections still catch.
    `collect=False` (start-up, 60 ms less on the UI thread) leaves start-up's few cycles frozen for good.
    Only in the window's own process (tune_collector): frozen in a test run, every later test's objects
    stayed uncollected until one teardown took minutes."""
    import gc

    if not _tuning_collector:
        return

    if collect:
        gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


T = TypeVar("T")
_running: set[QueryOp[Any]] = set()  # keeps ops alive until their callbacks ran
_latest: dict[str, QueryOp[Any]] = {}  # per key, the op whose result still counts


class _ChangeHub(QObject):
    changed = Signal(object)  # a Changes


CHANGES = _ChangeHub()  # every open screen listens here and refreshes what it shows of the change


def announce(changes: Changes) -> None:
    """Tell every open screen what a write changed (ChangeOp does; so does a quick write made in place)."""
    CHANGES.changed.emit(changes)


def in_flight() -> list[QueryOp[Any]]:
    """The ops started whose results have not yet come back to the UI thread."""
    return list(_running)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "操作未完成") -> QMessageBox:
    """Shows an error without blocking the event loop (the box is window-modal, opened not exec'd)."""
    if not isinstance(exc, (FieldError, InputError)):
        log.error("background work failed", exc_info=exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, error_text(exc), QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _ThreadProgress(Progress):
    """Progress reported from the worker; cancel is asked from the UI thread (a plain flag is enough)."""

    def __init__(self, signals: _Signals):
        self.signals = signals
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:  # type: ignore[override]
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def update(self, done: int, total: int | None = None, label: str = "") -> None:
        self.check()
        self.signals.progressed.emit(done, total or 0, label)


class _Runner(QRunnable):
    def __init__(self, op: Callable[[Progress], object], progress: _ThreadProgress, signals: _Signals):
        super().__init__()
        self.setAutoDelete(True)
        self.op, self.progress, self.signals = op, progress, signals

    def run(self) -> None:
        try:
            result = self.op(self.progress)
        except BaseException as e:  # noqa: BLE001 - every error goes back to the UI thread to be shown
            self.signals.failed.emit(e)
        else:
            self.signals.done.emit(result)


class QueryOp(Generic[T]):
    """Work that reads: `op` on a worker thread, `success` with its result back on the UI thread."""

    def __init__(self, parent: QWidget | None, op: Callable[[Progress], T], success: Callable[[T], object]):
        self.parent = parent
        self.op = op
        self.success = success
        self._failure: Callable[[BaseException], object] | None = None
        self._label: str | None = None
        self._cancellable = False
        self._key: str | None = None
        self._pool = POOL
        self.dialog: QProgressDialog | None = None
        self.finished = False
        self.signals = _Signals()
        self.progress = _ThreadProgress(self.signals)

    def failure(self, fn: Callable[[BaseException], object]) -> QueryOp[T]:
        """Called instead of the standard error box (not for a cancel)."""
        self._failure = fn
        return self

    def with_progress(self, label: str, cancellable: bool = False) -> QueryOp[T]:
        """A progress dialog after one second; with 取消 when `cancellable`."""
        self._label, self._cancellable = label, cancellable
        return self

    def replacing(self, key: str) -> QueryOp[T]:
        """Only the newest op of this key delivers its result (search as you type, list reloads)."""
        self._key = key
        return self

    def at_once(self) -> QueryOp[T]:
        """On the lane kept for short reads the clerk waits for (a page, a count): never behind long work."""
        self._pool = AT_ONCE
        return self

    def cancel(self) -> None:
        self.progress.cancel()

    def run_in_background(self) -> QueryOp[T]:
        if self._key is not None:
            older = _latest.get(self._key)
            if older is not None:
                older.cancel()
            _latest[self._key] = self
        if self._label is not None:
            self.dialog = QProgressDialog(self._label, "取消", 0, 0, self.parent)
            if not self._cancellable:
                self.dialog.setCancelButton(None)  # no button: the work cannot be stopped halfway
            self.dialog.setWindowTitle("请稍候")
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(1000)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            if self._cancellable:
                self.dialog.canceled.connect(self.cancel)
            self.signals.progressed.connect(self._on_progress)
        self.signals.done.connect(self._on_done)
        self.signals.failed.connect(self._on_failed)
        _running.add(self)
        self._pool.start(_Runner(self.op, self.progress, self.signals))
        return self

    # -- back on the UI thread ----------------------------------------------------------------
    def _on_progress(self, done: int, total: int, label: str) -> None:
        if self.dialog is None:
            return
        if total and self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        if label:
            self.dialog.setLabelText(label)
        self.dialog.setValue(min(done, total) if total else 0)

    def _close(self) -> bool:
        """Ends the op; False when its result no longer counts (replaced, or its window is gone)."""
        self.finished = True
        _running.discard(self)
        if self.dialog is not None:
            if self._cancellable:
                self.dialog.canceled.disconnect(self.cancel)  # closing a progress dialog emits canceled
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        current = True
        if self._key is not None:
            current = _latest.get(self._key) is self
            if current:
                del _latest[self._key]
        return current and _alive(self.parent)

    def _on_done(self, result: T) -> None:
        if self._close():
            self.success(result)

    def _on_failed(self, exc: BaseException) -> None:
        if not self._close() or isinstance(exc, Cancelled):
            return
        if self._failure is not None:
            self._failure(exc)
        else:
            show_error(self.parent, exc)


class ChangeOp(QueryOp[T]):
    """Work that writes: when it succeeds, every open screen hears what changed (CHANGES), then `success`
    runs. `changes` is what the write changes, or worked out from its result."""

    def __init__(self, parent: QWidget | None, op: Callable[[Progress], T],
                 changes: Changes | Callable[[T], Changes], success: Callable[[T], object] = lambda _result: None):
        super().__init__(parent, op, success)
        self.changes = changes

    def _on_done(self, result: T) -> None:
        current = self._close()  # the change happened even when the window that asked is gone
        announce(self.changes(result) if callable(self.changes) else self.changes)
        if current:
            self.success(result)


def _alive(widget: QWidget | None) -> bool:
    if widget is None:
        return True
    from shiboken6 import isValid

    return isValid(widget)


def wait_for_all(msecs: int = 30000) -> bool:
    """Lets running work finish (window closing, tests)."""
    shared = POOL.waitForDone(msecs)
    return AT_ONCE.waitForDone(msecs) and shared
