"""The desk's services for storage: backup, keys."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import update

from app.core import clock, files
from app.point import settings
from app.staff import audit
from app.staff.guard import require_supervisor
from app.storage import backup, crypto
from app.storage.db import Service
from app.storage.models import DataKeyRecord


class BackupService(Service):
    def folder(self) -> Path:
        with self.store.read() as s:
            return backup.folder_from(settings.get(s, "backup.folder"))

    def to_file(self, target) -> dict:
        manifest = backup.backup(self.store, Path(target))
        with self.store.write() as s:
            audit.record(s, "backup", detail=f"备份到 {Path(target).resolve()}（{manifest.cases} 件）")
        return manifest.as_json() | {"file": str(Path(target).resolve())}

    def now(self) -> dict:
        """A backup into the backup folder (the 备份 menu's 立即备份), then rotation."""
        folder = self.folder()
        target, manifest = backup.backup_now(self.store, folder)
        backup.rotate(folder)
        with self.store.write() as s:
            audit.record(s, "backup", detail=f"备份到 {target}（{manifest.cases} 件）")
        return manifest.as_json() | {"file": str(target)}

    def daily(self, now: dt.datetime | None = None) -> str | None:
        """The automatic daily backup (window start, then once a day); returns the new file or None."""
        made = backup.daily(self.store, self.folder(), now)
        if made is not None:
            with self.store.write() as s:
                audit.record_as(s, "系统（每日自动备份）", "backup", f"每日自动备份到 {made}")
        return str(made) if made else None

    def inspect(self, source) -> dict:
        return backup.read_manifest(Path(source)).as_json()

    def restore(self, source) -> dict:
        with self.store.read() as s:
            require_supervisor(s, "恢复备份")
        result = backup.restore(self.store, Path(source))
        with self.store.write() as s:
            audit.record(s, "restore", detail=f"自 {Path(source).resolve()} 恢复（备份时间 {result['created_at']}，"
                                              f"原数据库另存为 {result['kept_aside']}）")
        return result


class KeyService(Service):
    def problem(self) -> str | None:
        """Why personal data cannot be read on this computer (no key / wrong key), or None."""
        return str(self.store.key_problem.message) if self.store.key_problem else None

    def needs_showing(self) -> bool:
        """The recovery key was never shown to staff (first start)."""
        with self.store.engine.connect() as conn:
            rec = crypto.record(conn)
        return rec is not None and rec.shown_at is None and self.store.key_problem is None

    def recovery_text(self) -> str:
        return crypto.attached(self.store.engine).recovery_text()

    def mark_shown(self) -> None:
        with self.store.write() as s:
            s.execute(update(DataKeyRecord).values(shown_at=clock.utcnow().replace(tzinfo=None)))
            audit.record(s, "change", detail="首次启动：已显示恢复密钥")

    def export(self, target, first_start: bool = False) -> Path:
        """The recovery key to a text file (0600), or to a printable PDF with its QR code when `.pdf`.

        A supervisor's action, except while it is shown at the first start (`first_start`, before it
        was ever marked shown): whoever sets the desk up keeps it.
        """
        self.store.require_key()
        target = Path(target)
        if first_start and not self.needs_showing():
            first_start = False
        with self.store.read() as s:
            if not first_start:
                require_supervisor(s, "导出恢复密钥")
            point = settings.get(s, "point.name")
            rec = crypto.record(s)
        assert rec is not None  # require_key() above: the database has its key
        key = crypto.attached(self.store.engine)
        if target.suffix.lower() == ".pdf":
            from app.printing import recovery_key

            files.write_bytes(target, recovery_key.render(key.recovery_text(), rec.key_id, point))
        else:
            files.write_bytes(target, crypto.export_text(key, rec.key_id, point).encode("utf-8"))
        with self.store.write() as s:
            audit.record(s, "export", detail=f"导出恢复密钥到 {target.resolve()}")
        return target

    def import_key(self, source: str | Path | None = None, text: str | None = None) -> str:
        """A recovery key from a file or typed in; checked against this database, then kept on this computer."""
        if text is None:
            if source is None:
                raise TypeError("import_key() needs a source file or the text")
            from app.ledger.exchange import check_file

            path = check_file(Path(source))
            try:
                with open(path, "rb") as fh:
                    text = fh.read(10_000).decode("utf-8")
            except UnicodeDecodeError:
                raise crypto.FieldError("file", "恢复密钥文件不是文本文件") from None
            except OSError as e:
                raise crypto.FieldError("file", f"无法读取“{path}”：{e.strerror or e}") from None
        crypto.import_recovery(self.store.engine, text)
        self.store.key_problem = None
        with self.store.write() as s:
            # what this desk wrote while it lacked the key (a restore, sign-ins) is sealed now, and said so
            events, entries = audit.seal_found(s, waiting_only=True)
            waiting = len(events) + len(entries)
            audit.record(s, "change", detail="导入恢复密钥" + (f"，加封了此前无密钥时写下的 {waiting} 条记录" if waiting else ""))
        return crypto.where_kept()
