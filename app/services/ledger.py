"""The ledger (台账): import a point's spreadsheet all or nothing, export cases, a blank template."""
from __future__ import annotations

from pathlib import Path

from app import audit, cases, files, holiday_arrangements, ledger
from app.errors import FieldError
from app.services.base import Service


class LedgerService(Service):
    def import_file(self, path, actor: str | None = None) -> list[str]:
        """All or nothing: raises ledger.ImportRejected listing every bad row, else imports every row."""
        parsed, errors = ledger.check(ledger.iter_rows(Path(path)))
        if errors:
            raise ledger.ImportRejected(errors)
        if not parsed:
            raise FieldError("file", "文件中没有案件")
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            return ledger.import_cases(s, [c for _n, c in parsed], cal, actor or audit.current_actor())

    def export(self, path, f: cases.CaseFilter | None = None, full: bool = False, actor: str | None = None) -> int:
        with self.store.write() as s:
            rows = ledger.export_rows(s, f or cases.CaseFilter(), full)
            files.atomic_write(Path(path), lambda temp: ledger.write(temp, rows))
            consenting = sum(1 for r in rows if r["consumer"]["consent_to_share"]) if full else 0
            audit.record(s, "export", detail=f"导出 {len(rows)} 件到 {Path(path).resolve()}（"
                         + (f"{consenting} 件同意提供者含完整个人信息" if full else "个人信息已遮盖") + "）",
                         actor=actor)
            return len(rows)

    def template(self, path) -> None:
        """An empty ledger with the Chinese column headers the import understands."""
        ledger.write(Path(path), [])
