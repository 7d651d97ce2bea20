"""The desk's log files: unexpected errors (with their traceback) and crashes, in the data folder's logs/.

Users never see a traceback: the window and the command show a Chinese message with the log file's
path, and the traceback goes here. `faulthandler` writes the Python stacks of a hard crash
(segmentation fault) to crash.log in the same folder. Both files are private to the user (0600).
"""
from __future__ import annotations

import faulthandler
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOGGER = "liaison"
_crash_file = None  # kept open: faulthandler writes to it when the process dies


def log_dir() -> Path:
    """$LIAISON_LOG_DIR, else logs/ in the user's data folder; created private (0700)."""
    folder = os.environ.get("LIAISON_LOG_DIR")
    if folder:
        path = Path(folder)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("liaison-desk", appauthor=False)) / "logs"
    path.mkdir(parents=True, exist_ok=True)
    _private(path, 0o700)
    return path


def _private(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except OSError:  # a file system without modes (FAT stick): nothing more to do
        pass


def log_file() -> Path:
    return log_dir() / "liaison.log"


def setup(program: str) -> logging.Logger:
    """Log to logs/liaison.log and send crash stacks to logs/crash.log (idempotent)."""
    global _crash_file
    logger = logging.getLogger(LOGGER)
    path = log_file()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
        path.touch(exist_ok=True)
        _private(path, 0o600)
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter(f"%(asctime)s {program} %(process)d %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    crash = log_dir() / "crash.log"
    if _crash_file is None or _crash_file.closed or _crash_file.name != str(crash):
        fd = os.open(crash, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        _private(crash, 0o600)
        _crash_file = os.fdopen(fd, "a", encoding="utf-8")
        faulthandler.enable(_crash_file, all_threads=True)
    return logger


def log_exception(exc: BaseException, context: str = "") -> Path:
    """Write an unexpected error with its traceback to the log; returns the file to tell the user."""
    try:
        logger = setup(os.path.basename(sys.argv[0]) or "liaison")
        logger.error("意外错误%s", f"（{context}）" if context else "", exc_info=(type(exc), exc, exc.__traceback__))
        for handler in logger.handlers:
            handler.flush()
        return log_file()
    except Exception:  # the log itself failed (disk full, no folder): still never a traceback
        return Path("（日志无法写入）")


def user_message(exc: BaseException, path: Path) -> str:
    return (f"发生了意外错误，操作没有完成（{type(exc).__name__}）。\n"
            f"详细信息已记入日志：{path}\n请把这个文件交给技术支持。")
