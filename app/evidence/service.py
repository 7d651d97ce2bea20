"""Evidence kept with cases: attach (checked, all or nothing), list, open, export (audited), verify, purge."""
from __future__ import annotations

import builtins
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from app.cases import records
from app.core import codes, files
from app.core.errors import FieldError, InputError
from app.evidence import attachments
from app.staff import audit, identity
from app.storage.db import Service


@dataclass(frozen=True)
class Incoming:
    """A file checked before any database work (off the write lock): name, bytes, type, thumbnail."""

    name: str
    data: bytes
    file_type: str
    thumbnail: bytes | None


def prepare(name: str, data: bytes, thumbnail: bool = True) -> Incoming:
    file_type = attachments.check(name, data)
    return Incoming(name, data, file_type, attachments.thumbnail(data, file_type) if thumbnail else None)


def read_file(path: str | Path) -> tuple[str, bytes]:
    """(name, bytes) of a file on disk; one over 20 MB is refused before it is read into memory."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        size = 0  # read_limited says what is wrong
    if size > attachments.MAX_BYTES:
        raise FieldError("file", attachments.too_big_message(p.name, size))
    return p.name, files.read_limited(p, attachments.MAX_BYTES)


def read_files(paths: Sequence[str | Path]) -> list[tuple[str, bytes]]:
    """(name, bytes) of each file; InputError naming every file that cannot be taken."""
    files: list[tuple[str, bytes]] = []
    errors: list[FieldError] = []
    for p in paths:
        try:
            files.append(read_file(p))
        except FieldError as e:
            errors.append(e)
    if errors:
        raise InputError(errors)
    return files


def check_sizes(paths: Sequence[str | Path]) -> None:
    """The checks that need no reading (missing, empty, over 20 MB), so the window answers at once."""
    errors = []
    for p in paths:
        try:
            size = Path(p).stat().st_size
        except OSError:
            errors.append(FieldError("file", f"找不到文件“{p}”"))
            continue
        if size == 0:
            errors.append(FieldError("file", attachments.empty_message(Path(p).name)))
        elif size > attachments.MAX_BYTES:
            errors.append(FieldError("file", attachments.too_big_message(Path(p).name, size)))
    if errors:
        raise InputError(errors)


def _threads(n: int) -> int:
    # A thumbnail means decoding the photo; Pillow decodes without the GIL, so threads use every core.
    return max(1, min(n, os.cpu_count() or 1, 4))


class AttachmentService(Service):
    IMAGE_TYPES = attachments.IMAGE_TYPES
    # Files as the window and the command hand them in, checked before anything is stored.
    detect = staticmethod(attachments.detect)
    type_of_name = staticmethod(attachments.type_of_name)
    sha256 = staticmethod(attachments.sha256)
    prepare = staticmethod(prepare)
    read_files = staticmethod(read_files)
    check_sizes = staticmethod(check_sizes)

    def add(self, case_no: str, files: list[tuple[str, bytes]], label: str = "other",
            progress: Callable[[int, int], None] | None = None, thumbnails: bool = True,
            via: str = "") -> list[dict]:
        """Attach files (name, bytes) to a case; every file is checked first, then all are stored or none.

        `thumbnails=False` stores at once and leaves the thumbnails to make_thumbnails() (the window does
        that next, so ten photos are in the case before their pictures are drawn). `via` is added to the
        staff member's name (手机上传).
        """
        attachments.check_label(label)
        ready: list[Incoming] = []
        errors: list[FieldError] = []

        def one(item: tuple[str, bytes]) -> Incoming | FieldError:
            try:
                return prepare(*item, thumbnail=thumbnails)
            except FieldError as e:
                return e

        with ThreadPoolExecutor(max_workers=_threads(len(files))) as pool:
            for i, result in enumerate(pool.map(one, files)):
                if isinstance(result, FieldError):
                    errors.append(result)
                else:
                    ready.append(result)
                if progress:
                    progress(i + 1, len(files) + 1)
        if errors:
            raise InputError(errors)
        if not ready:
            raise FieldError("file", "没有选择文件")
        with self.store.write() as s:
            case = records.get_case(s, case_no)
            staff = identity.actor(s) + (f"（{via}）" if via else "")
            stored = [attachments.add(s, case, f.name, f.data, label, staff, f.file_type, f.thumbnail,
                                      make_thumbnail=thumbnails) for f in ready]
            s.flush()
            audit.record(s, "attach", case_no, f"{codes.ATTACHMENT_LABEL[label]}：" + "、".join(
                f"{a.name}（编号 {a.id}，SHA-256 {a.sha256[:12]}…）" for a in stored) + (f"，{via}" if via else ""))
            return [attachments.attachment_json(a) for a in stored]

    def add_paths(self, case_no: str, paths: list[str | Path], label: str = "other",
                  progress: Callable[[int, int], None] | None = None, thumbnails: bool = True) -> list[dict]:
        return self.add(case_no, read_files(paths), label, progress, thumbnails)

    def list(self, case_no: str) -> builtins.list[dict]:
        with self.store.read() as s:
            return [attachments.attachment_json(a) | {"file_type": a.file_type}
                    for a in attachments.for_case(s, records.get_case(s, case_no))]

    def thumbnails(self, case_no: str) -> dict[int, bytes]:
        """The stored thumbnails of a case's images, by attachment id (PDFs and HEIC have none)."""
        with self.store.read() as s:
            found = {}
            for a in attachments.for_case(s, records.get_case(s, case_no)):
                thumb = attachments.read_thumbnail(s, a)
                if thumb:
                    found[a.id] = thumb
            return found

    def thumbnail(self, case_no: str, attachment_id: int) -> bytes | None:
        with self.store.read() as s:
            return attachments.read_thumbnail(s, attachments.get(s, records.get_case(s, case_no), attachment_id))

    def make_thumbnails(self, case_no: str) -> int:
        """Thumbnails for the case's images that have none yet; returns how many were made."""
        with self.store.read() as s:
            todo = [a for a in attachments.for_case(s, records.get_case(s, case_no))
                    if a.thumbnail is None and a.file_type in attachments.THUMBNAIL_TYPES]
            originals = [(a.id, a.file_type, attachments.read(s, a)) for a in todo]
        with ThreadPoolExecutor(max_workers=_threads(len(originals))) as pool:
            made = list(pool.map(lambda item: (item[0], attachments.thumbnail(item[2], item[1])), originals))
        with self.store.write() as s:
            for att_id, thumb in made:
                if thumb:
                    attachments.set_thumbnail(s, att_id, thumb)
        return sum(1 for _i, t in made if t)

    def open(self, case_no: str, attachment_id: int) -> bytes:
        """The original bytes to look at, checked against the stored hash; the view is recorded."""
        with self.store.write() as s:
            att = attachments.get(s, records.get_case(s, case_no), attachment_id)
            data = attachments.read(s, att)
            audit.record(s, "view", case_no, f"查看附件：{att.name}（编号 {att.id}）")
            return data

    def export(self, case_no: str, attachment_id: int, path: str | Path) -> dict:
        """Write one attachment back out, byte for byte; refused when it changed since it was added."""
        from app.core import files

        with self.store.write() as s:
            att = attachments.get(s, records.get_case(s, case_no), attachment_id)
            data = attachments.read(s, att)
            files.write_bytes(Path(path), data)
            audit.record(s, "export", case_no, f"导出附件：{att.name}（编号 {att.id}，SHA-256 {att.sha256}）"
                                               f" → {Path(path).resolve()}")
            return attachments.attachment_json(att) | {"file": str(path)}

    def set_label(self, case_no: str, attachment_id: int, label: str) -> dict:
        with self.store.write() as s:
            att = attachments.get(s, records.get_case(s, case_no), attachment_id)
            old = att.label
            att.label = attachments.check_label(label)
            audit.record(s, "change", case_no, f"附件“{att.name}”（编号 {att.id}）类别"
                                               f"{codes.label(codes.ATTACHMENT_LABEL, old)}改为{codes.ATTACHMENT_LABEL[label]}")
            return attachments.attachment_json(att)

    def remove(self, case_no: str, attachment_id: int) -> dict:
        """Take a wrongly added file out of the case: by the member who added it, or a supervisor.
        The audit trail keeps its name, label and SHA-256."""
        with self.store.write() as s:
            att = attachments.get(s, records.get_case(s, case_no), attachment_id)
            who = identity.current(s)
            if not who.is_supervisor and att.staff.split("（")[0] != who.display:
                raise identity.Refused(f"附件“{att.name}”由{att.staff}添加，只有添加者本人或负责人可以移除")
            gone = attachments.attachment_json(att)
            attachments.remove(s, [att.id])
            audit.record(s, "change", case_no, f"移除附件：{att.name}（编号 {att.id}，"
                                               f"{codes.label(codes.ATTACHMENT_LABEL, att.label)}，SHA-256 {att.sha256}）")
            return gone

    def verify(self, case_no: str) -> builtins.list[dict]:
        """Each attachment with `intact`: whether its stored bytes still have the hash taken when added."""
        with self.store.read() as s:
            return [attachments.attachment_json(a) | {"intact": attachments.intact(s, a)}
                    for a in attachments.for_case(s, records.get_case(s, case_no))]
