"""The maintenance flag: while a restore replaces the database, every desk's writes are refused.

A restore keeps the live database aside, then copies the backup in. A write another desk made between
the two would be in neither file: lost after it was acknowledged. So the restore sets a flag first, in
a committed write of its own (a row of `settings`, never one of the point's settings), and Store.write
checks it at the start of every write transaction, holding the write lock: a write either committed
before the flag (and is in the copy kept aside) or is refused with a message and changes nothing.
The restored copy carries the flag too, so it stays up until the restore has finished and clears it.

A restore that was killed must not leave the desks refusing for ever: the flag names the computer and
the process that set it; a desk on that computer clears it once that process is gone, and any desk
ignores it (and clears it) ten minutes after it was set.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import sys

from sqlalchemy import text

from app.core import clock
from app.core.errors import FieldError

KEY = "maintenance.restore"
LIMIT = dt.timedelta(minutes=10)  # a restore of a large database takes a minute or two
REFUSED = "负责人正在恢复备份，请稍候再保存（已保存的内容不会丢失）"

_READ = text("SELECT value FROM settings WHERE key = :key")
_CLEAR = text("DELETE FROM settings WHERE key = :key")
_SET = text("INSERT INTO settings (key, value) VALUES (:key, :value) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


def flag_value() -> str:
    """The flag as this process sets it: where, who, since when."""
    return json.dumps({"host": socket.gethostname(), "pid": os.getpid(),
                       "since": clock.utcnow().isoformat(timespec="seconds")})


def in_force(value: str | None, now: dt.datetime | None = None) -> bool:
    """Whether a stored flag still holds: set less than ten minutes ago by a process that may be running."""
    if not value:
        return False
    try:
        flag = json.loads(value)
        since = dt.datetime.fromisoformat(flag["since"])
        host, pid = str(flag["host"]), int(flag["pid"])
    except (ValueError, KeyError, TypeError):
        return False  # not ours to honour: cleared like a stale one
    if not since.tzinfo or not (now or clock.utcnow()) - LIMIT < since:
        return False
    return not (host == socket.gethostname() and not _running(pid))


def _running(pid: int) -> bool:
    """The process is (still) running; unsure counts as running (the time limit then clears the flag)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x00100000 | 0x1000, False, pid)  # SYNCHRONIZE | QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            return kernel32.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT: not finished
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def check(session) -> None:
    """At the start of a write transaction (Store.write, SQLite): refuse it while a restore runs.

    The read takes the write lock (BEGIN IMMEDIATE), so no restore can start between this check and
    the commit. A stale flag is cleared in passing.
    """
    value = session.execute(_READ, {"key": KEY}).scalar()
    if value is None:
        return
    if in_force(value):
        raise FieldError("restore", REFUSED)
    session.execute(_CLEAR, {"key": KEY})


def raise_flag(store) -> None:
    """Set the flag in a committed write of its own; refused while another restore runs."""
    with store.engine.execution_options(immediate=True).begin() as conn:
        current = conn.execute(_READ, {"key": KEY}).scalar()
        if in_force(current):
            raise FieldError("restore", "另一工作台正在恢复备份，请等它完成后再试")
        conn.execute(_SET, {"key": KEY, "value": flag_value()})


def lower_flag(store) -> None:
    """The restore is over (done or failed): the desks write again."""
    with store.engine.execution_options(immediate=True).begin() as conn:
        conn.execute(_CLEAR, {"key": KEY})


def carry_into(copy: sqlite3.Connection) -> None:
    """The restored copy holds the flag as well, so it is still up the moment the copy is in place."""
    copy.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (KEY, flag_value()))
