"""A scanner or camera folder watched by the desk: files appearing there are announced once they stop growing."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal


class FolderWatch(QObject):
    appeared = Signal(str)  # path of a new, complete file

    def __init__(self, folder: str, wanted: Callable[[str], object], parent: QObject | None = None,
                 settle_ms: int = 600):
        super().__init__(parent)
        self.wanted = wanted  # by its name, a file the desk would take (the evidence types)
        self.folder = Path(folder).expanduser()
        self.known = set(self._names())  # what was there before is not offered
        self.growing: dict[str, int] = {}  # name -> size last seen; a scanner may still be writing
        self.watcher = QFileSystemWatcher([str(self.folder)], self)
        self.watcher.directoryChanged.connect(lambda _p: self._scan())
        self.settle = QTimer(self, singleShot=True, interval=settle_ms)
        self.settle.timeout.connect(self._check_settled)

    def _names(self) -> list[str]:
        try:
            return [e.name for e in os.scandir(self.folder) if e.is_file() and not e.name.startswith(".")]
        except OSError:
            return []

    def _size(self, name: str) -> int:
        try:
            return (self.folder / name).stat().st_size
        except OSError:
            return -1

    def _scan(self) -> None:
        for name in self._names():
            if name not in self.known and name not in self.growing and self.wanted(name):
                self.growing[name] = self._size(name)
        if self.growing:
            self.settle.start()

    def _check_settled(self) -> None:
        for name, size in list(self.growing.items()):
            now = self._size(name)
            if now < 0:
                del self.growing[name]
            elif now == size and now > 0:
                del self.growing[name]
                self.known.add(name)
                self.appeared.emit(str(self.folder / name))
            else:
                self.growing[name] = now
        if self.growing:
            self.settle.start()
