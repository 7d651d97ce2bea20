"""Private files and folders (readable by this user only) and writes that are never left half done."""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.core.errors import FieldError

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_umask() -> None:
    """Everything this process creates from now on is private (the command and the window call it)."""
    os.umask(0o077)


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    with contextlib.suppress(OSError):  # a folder we do not own (a shared USB stick) keeps its mode
        os.chmod(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_FILE)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def check_target(path: Path, field: str = "output") -> Path:
    """An output path we can write: its folder exists and it is not a folder itself."""
    path = Path(path)
    try:
        is_dir, parent_ok = path.is_dir(), path.parent.is_dir()
    except OSError as e:  # a name too long, a loop of links …
        raise FieldError(field, f"无法使用“{path}”：{e.strerror or e}") from None
    if is_dir:
        raise FieldError(field, f"“{path}”是一个文件夹，请给出文件名")
    if path.exists() and not path.is_file():  # a device or a pipe is never replaced by our file
        raise FieldError(field, f"“{path}”不是普通文件（设备或管道），请换一个文件名")
    if not parent_ok:
        raise FieldError(field, f"文件夹“{path.parent}”不存在，请先创建或换一个位置")
    return path


def read_limited(path: str | Path, limit: int, field: str = "file") -> bytes:
    """A file's bytes, read only if it is a regular file of at most `limit` bytes: a device (/dev/zero),
    a pipe that may never end, a name too long or a file too large is refused with a FieldError naming
    it, before anything is read into memory."""
    p = Path(path)
    try:
        info = os.stat(p)
    except FileNotFoundError:
        raise FieldError(field, f"找不到文件“{p}”") from None
    except OSError as e:  # a name too long, no permission, a loop of links …
        raise FieldError(field, f"无法读取“{p}”：{e.strerror or e}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FieldError(field, f"“{p}”是文件夹，不是文件")
    if not stat.S_ISREG(info.st_mode):
        raise FieldError(field, f"“{p}”不是普通文件（设备或管道），不能读取")
    if info.st_size > limit:
        raise FieldError(field, f"“{p.name}”太大（{info.st_size:,} 字节），最多 {limit:,} 字节")
    try:
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)  # a file that grows while read (or a /proc file sized 0) stops here
    except OSError as e:
        raise FieldError(field, f"无法读取“{p}”：{e.strerror or e}") from None
    if len(data) > limit:
        raise FieldError(field, f"“{p.name}”太大，最多 {limit:,} 字节")
    return data


def atomic_write(path: Path, fill: Callable[[Path], object], field: str = "output") -> None:
    """Write through `fill(temp)` next to `path`, fsync, then rename: a reader never sees half a file.

    A full disk or an unwritable folder becomes a FieldError naming the file; the temp is removed.
    """
    path = check_target(path, field)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part" + path.suffix, dir=path.parent)
    except OSError as e:  # a folder that takes no new files (/proc/self, a read-only medium)
        raise FieldError(field, f"无法写入“{path}”：{e.strerror or e}") from None
    os.close(fd)
    temp = Path(name)
    try:
        fill(temp)
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(temp, PRIVATE_FILE)
        os.replace(temp, path)
        _fsync_dir(path.parent)
    except OSError as e:
        temp.unlink(missing_ok=True)
        raise FieldError(field, f"无法写入“{path}”：{e.strerror or e}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes, field: str = "output") -> None:
    atomic_write(Path(path), lambda temp: temp.write_bytes(data), field)
