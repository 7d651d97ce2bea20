"""The ledger (台账): import a point's spreadsheet all or nothing, export cases, a blank template."""
from __future__ import annotations

from pathlib import Path

from app import audit, cases, files, holiday_arrangements, identity, ledger
from app.errors import FieldError
from app.services.base import Service


class LedgerService(Service):
    def import_file(self, path) -> list[str]:
        """All or nothing: raises ledger.ImportRejected listing every bad row, else imports every row."""
        parsed, errors = ledger.check(ledger.iter_rows(Path(path)))
        if errors:
            raise ledger.ImportRejected(errors)
        if not parsed:
            raise FieldError("file", "文件中没有案件")
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            return ledger.import_cases(s, [c for _n, c in parsed], cal, source=str(Path(path).resolve()))

    def export(self, path, f: cases.CaseFilter | None = None, full: bool = False) -> int:
        """Write the cases to the file, then record the export (path, cases carrying full data)."""
        from app.services.documents import export_detail

        with self.store.read() as s:
            identity.current(s)
            rows = ledger.export_rows(s, f or cases.CaseFilter(), full)
        files.atomic_write(Path(path), lambda temp: ledger.write(temp, rows))
        carried = [r["case_no"] for r in rows if r["consumer"]["consent_to_share"]] if full else []
        with self.store.write() as s:
            audit.record(s, "export", detail=export_detail(path, f"导出台账 {len(rows)} 件", carried))
        return len(rows)

    def template(self, path) -> None:
        """The ledger to fill in: Chinese column headers, an example row, drop-down lists and instructions."""
        from app.ledger_template import write_template

        write_template(Path(path))
