"""File dialogs that start where the clerk keeps files: the folder last used (remembered between starts), else
Documents, else home; never the program's working folder (a bundle's, or wherever the desk was started from)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

KEY = "dialogs/last_folder"


def _settings() -> QSettings:
    return QSettings("liaison-desk", "desk")  # as ui/main.py keeps the window's geometry


def start_folder() -> str:
    """The folder last used, while it exists; else the user's Documents; else home."""
    last = _settings().value(KEY)
    if isinstance(last, str) and last and os.path.isdir(last):
        return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and os.path.isdir(documents) else str(Path.home())


def remember(path: str) -> None:
    """Keep the folder of a chosen file (or the chosen folder) for the next dialog."""
    if path:
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        if folder:
            _settings().setValue(KEY, folder)


def _in_start(name: str) -> str:
    return name if os.path.isabs(name) else os.path.join(start_folder(), name)


def open_file(parent: QWidget | None, title: str, filters: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, start_folder(), filters)
    remember(path)
    return path


def open_files(parent: QWidget | None, title: str, filters: str = "") -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, start_folder(), filters)
    if paths:
        remember(paths[0])
    return paths


def save_file(parent: QWidget | None, title: str, name: str, filters: str = "") -> str:
    """Where to save `name` (offered in the start folder); "" when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, _in_start(name), filters)
    remember(path)
    return path


def choose_folder(parent: QWidget | None, title: str, current: str = "") -> str:
    folder = QFileDialog.getExistingDirectory(parent, title, current if current and os.path.isdir(current)
                                              else start_folder())
    remember(folder)
    return folder
