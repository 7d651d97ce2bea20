"""Crash traces (segmentation faults and the like) written to faults.log in the data folder."""
from __future__ import annotations

import faulthandler
from pathlib import Path

_open_files: list = []  # faulthandler writes to the file at crash time: it must stay open


def enable(folder: Path | None = None) -> Path:
    """Send Python's traceback of every thread to `folder`/faults.log on a fatal signal."""
    if folder is None:
        from app.storage.db import data_folder

        folder = data_folder()
    path = folder / "faults.log"
    handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open until the process ends
    _open_files.append(handle)
    faulthandler.enable(file=handle, all_threads=True)
    return path
