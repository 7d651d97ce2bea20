"""The ledger (台账): import a point's spreadsheet all or nothing, export cases, a blank template."""
from __future__ import annotations

from pathlib import Path

from app import audit, cases, files, holiday_arrangements, ledger
from app.progress import Progress
from app.services.base import Service


class LedgerService(Service):
    def import_file(self, path, actor: str | None = None, progress: Progress | None = None) -> list[str]:
        """All or nothing: raises ledger.ImportRejected listing every bad row, else imports every row.

        Read, checked and written a batch at a time in one transaction; planner statistics after.
        """
        path = Path(path)
        rows = ledger.iter_rows(path)
        expected = ledger.estimate_rows(path)
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            numbers = ledger.import_rows(s, rows, cal, actor or audit.current_actor(), expected, progress)
        if len(numbers) >= 10_000:
            self.store.optimize()
        return numbers

    def export(self, path, f: cases.CaseFilter | None = None, full: bool = False, actor: str | None = None,
               progress: Progress | None = None) -> int:
        """Cases to a file (written whole or not at all), read and written a page at a time; returns how many."""
        path = Path(path)
        consenting = written = 0
        with self.store.write() as s:
            total = cases.count_cases(s, f or cases.CaseFilter())

            def rows():
                nonlocal consenting
                for row in ledger.export_rows(s, f or cases.CaseFilter(), full):
                    consenting += bool(full and row["consumer"]["consent_to_share"])
                    yield row

            def fill(temp: Path) -> None:
                nonlocal written
                written = ledger.write(temp, rows(), progress=progress, total=total)

            files.atomic_write(path, fill)
            audit.record(s, "export", detail=f"导出 {written} 件到 {path.resolve()}（"
                         + (f"{consenting} 件同意提供者含完整个人信息" if full else "个人信息已遮盖") + "）",
                         actor=actor)
            return written

    def template(self, path) -> None:
        """An empty ledger with the Chinese column headers the import understands."""
        ledger.write(Path(path), [])
