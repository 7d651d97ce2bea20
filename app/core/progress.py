"""Progress and cancellation of long work (import, export, demo, reports), shared by the window and the CLI."""
from __future__ import annotations

import sys
import time


class Cancelled(Exception):
    """The person at the desk cancelled the work; whatever it wrote is rolled back."""


class Progress:
    """What long work reports to; this base one reports nowhere and is never cancelled."""

    cancelled = False

    def update(self, done: int, total: int | None = None, label: str = "") -> None:
        """`done` of `total` steps (total None: unknown); raises Cancelled once cancel was asked."""
        self.check()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()

    def cancel(self) -> None:
        self.cancelled = True


class TerminalProgress(Progress):
    """A progress line on stderr, redrawn at most 5 times a second, only when stderr is a terminal."""

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._last = 0.0
        self._shown = False

    def update(self, done: int, total: int | None = None, label: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.2 and not (total and done >= total):
            return
        self._last = now
        text = label or self.label
        line = f"{text}：{done}/{total}（{100 * done // total}%）" if total else f"{text}：{done}"
        self.stream.write("\r" + line + "\033[K")
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
