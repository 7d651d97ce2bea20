"""Evidence kept with cases: attach (checked, all or nothing), list, open, export (audited), verify, purge."""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from app import attachments, audit, cases, codes
from app.errors import FieldError, InputError
from app.services.base import Service


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
    p = Path(path)
    try:
        if p.stat().st_size > attachments.MAX_BYTES:  # refused before reading 20 MB+ into memory
            raise FieldError("file", f"“{p.name}”有 {p.stat().st_size / 1024 / 1024:.1f} MB，超过每个附件 20 MB 的上限，"
                                     "没有保存")
        return p.name, p.read_bytes()
    except FileNotFoundError:
        raise FieldError("file", f"找不到文件“{p}”") from None
    except IsADirectoryError:
        raise FieldError("file", f"“{p}”是文件夹，不是文件") from None
    except PermissionError:
        raise FieldError("file", f"没有权限读取“{p}”") from None


class AttachmentService(Service):
    def add(self, case_no: str, files: list[tuple[str, bytes]], label: str = "other", actor: str | None = None,
            progress: Callable[[int, int], None] | None = None, thumbnails: bool = True) -> list[dict]:
        """Attach files (name, bytes) to a case; every file is checked first, then all are stored or none.

        `thumbnails=False` stores at once and leaves the thumbnails to make_thumbnails() (the window does
        that next, so ten photos are in the case before their pictures are drawn).
        """
        attachments.check_label(label)
        ready, errors = [], []

        def one(item: tuple[str, bytes]) -> Incoming | FieldError:
            try:
                return prepare(*item, thumbnail=thumbnails)
            except FieldError as e:
                return e

        # A thumbnail means decoding the photo; Pillow decodes without the GIL, so threads use every core.
        workers = min(len(files), os.cpu_count() or 1, 4)
        with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
            for i, result in enumerate(pool.map(one, files)):
                (errors if isinstance(result, FieldError) else ready).append(result)
                if progress:
                    progress(i + 1, len(files) + 1)
        if errors:
            raise InputError(errors)
        actor = actor or audit.current_actor()
        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            stored = [attachments.add(s, case, f.name, f.data, label, actor, f.file_type, f.thumbnail,
                                      make_thumbnail=thumbnails) for f in ready]
            s.flush()
            audit.record(s, "change", case_no, "添加附件：" + "、".join(a.name for a in stored), actor)
            return [attachments.attachment_json(a) for a in stored]

    def add_paths(self, case_no: str, paths: list[str | Path], label: str = "other", actor: str | None = None,
                  progress: Callable[[int, int], None] | None = None, thumbnails: bool = True) -> list[dict]:
        files, errors = [], []
        for p in paths:
            try:
                files.append(read_file(p))
            except FieldError as e:
                errors.append(e)
        if errors:
            raise InputError(errors)
        return self.add(case_no, files, label, actor, progress, thumbnails)

    def list(self, case_no: str) -> list[dict]:
        with self.store.read() as s:
            return [attachments.attachment_json(a) for a in attachments.for_case(s, cases.get_case(s, case_no))]

    def thumbnail(self, case_no: str, attachment_id: int) -> bytes | None:
        """The stored thumbnail (None for PDFs, HEIC, and images whose thumbnail is not made yet)."""
        with self.store.read() as s:
            return attachments.read_thumbnail(s, attachments.get(s, cases.get_case(s, case_no), attachment_id))

    def make_thumbnails(self, case_no: str) -> int:
        """Thumbnails for the case's images that have none yet; returns how many were made."""
        with self.store.read() as s:
            todo = [a for a in attachments.for_case(s, cases.get_case(s, case_no))
                    if a.thumbnail is None and a.file_type in attachments.THUMBNAIL_TYPES]
            originals = [(a.id, a.file_type, attachments.read(s, a)) for a in todo]
        workers = max(1, min(len(originals), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            made = list(pool.map(lambda item: (item[0], attachments.thumbnail(item[2], item[1])), originals))
        with self.store.write() as s:
            for att_id, thumb in made:
                if thumb:
                    attachments.set_thumbnail(s, att_id, thumb)
        return sum(1 for _i, t in made if t)

    def file_type(self, case_no: str, attachment_id: int) -> str:
        with self.store.read() as s:
            return attachments.get(s, cases.get_case(s, case_no), attachment_id).file_type

    def open(self, case_no: str, attachment_id: int, actor: str | None = None) -> bytes:
        """The original bytes to look at, checked against the stored hash; the view is recorded."""
        with self.store.write() as s:
            att = attachments.get(s, cases.get_case(s, case_no), attachment_id)
            data = attachments.read(s, att)
            audit.record(s, "view", case_no, f"查看附件：{att.name}（编号 {att.id}）", actor)
            return data

    def export(self, case_no: str, attachment_id: int, path: str | Path, actor: str | None = None) -> dict:
        """Write one attachment back out, byte for byte; refused when it changed since it was added."""
        with self.store.write() as s:
            att = attachments.get(s, cases.get_case(s, case_no), attachment_id)
            data = attachments.read(s, att)
            try:
                Path(path).write_bytes(data)
            except OSError as e:
                raise FieldError("output", f"无法写入“{path}”：{e.strerror or e}") from None
            audit.record(s, "export", case_no, f"导出附件：{att.name}（编号 {att.id}，SHA-256 {att.sha256}）", actor)
            return attachments.attachment_json(att) | {"file": str(path)}

    def set_label(self, case_no: str, attachment_id: int, label: str, actor: str | None = None) -> dict:
        with self.store.write() as s:
            att = attachments.get(s, cases.get_case(s, case_no), attachment_id)
            att.label = attachments.check_label(label)
            audit.record(s, "change", case_no, f"附件“{att.name}”类别改为{codes.ATTACHMENT_LABEL[label]}", actor)
            return attachments.attachment_json(att)

    def verify(self, case_no: str) -> list[dict]:
        """Each attachment with `intact`: whether its stored bytes still have the hash taken when added."""
        with self.store.read() as s:
            return [attachments.attachment_json(a) | {"intact": attachments.intact(s, a)}
                    for a in attachments.for_case(s, cases.get_case(s, case_no))]

    def purge(self, case_no: str, actor: str | None = None) -> int:
        """Remove a case's attachments (with its personal data, at the end of retention)."""
        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            n = attachments.purge(s, case)
            if n:
                audit.record(s, "change", case_no, f"删除附件 {n} 个（个人信息保存期限届满）", actor)
            return n
