"""desk.backup: backup now, verified restore (supervisor), the daily automatic backup and its folder."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app import audit, backup, settings
from app.services.base import Service
from app.services.guard import require_supervisor


class BackupService(Service):
    def folder(self) -> Path:
        with self.store.read() as s:
            return backup.folder_from(settings.get(s, "backup.folder"))

    def to_file(self, target, actor: str | None = None) -> dict:
        manifest = backup.backup(self.store, Path(target))
        with self.store.write() as s:
            audit.record(s, "backup", detail=f"备份到 {Path(target).resolve()}（{manifest.cases} 件）", actor=actor)
        return manifest.as_json() | {"file": str(Path(target).resolve())}

    def now(self, actor: str | None = None) -> dict:
        """A backup into the backup folder (the 备份 menu's 立即备份), then rotation."""
        folder = self.folder()
        target, manifest = backup.backup_now(self.store, folder)
        backup.rotate(folder)
        with self.store.write() as s:
            audit.record(s, "backup", detail=f"备份到 {target}（{manifest.cases} 件）", actor=actor)
        return manifest.as_json() | {"file": str(target)}

    def daily(self, now: dt.datetime | None = None) -> str | None:
        """The automatic daily backup (window start, then once a day); returns the new file or None."""
        made = backup.daily(self.store, self.folder(), now)
        if made is not None:
            with self.store.write() as s:
                audit.record(s, "backup", detail=f"每日自动备份到 {made}", actor="系统")
        return str(made) if made else None

    def inspect(self, source) -> dict:
        return backup.read_manifest(Path(source)).as_json()

    def restore(self, source, actor: str | None = None) -> dict:
        with self.store.read() as s:
            require_supervisor(s, "恢复备份", actor)
        result = backup.restore(self.store, Path(source))
        with self.store.write() as s:
            audit.record(s, "restore", detail=f"自 {Path(source).resolve()} 恢复（备份时间 {result['created_at']}，"
                                              f"原数据库另存为 {result['kept_aside']}）", actor=actor)
        return result
