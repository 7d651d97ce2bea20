"""The ledger (台账): import a point's spreadsheet all or nothing, export cases, a blank template."""
from __future__ import annotations

from pathlib import Path

from app import audit, cases, files, holiday_arrangements, identity, ledger
from app.progress import Progress
from app.services.base import Service


class LedgerService(Service):
    def import_file(self, path, progress: Progress | None = None) -> list[str]:
        """All or nothing: raises ledger.ImportRejected listing every bad row, else imports every row.

        Read, checked and written a batch at a time in one transaction; planner statistics after.
        """
        path = ledger.check_file(path)  # a FIFO or device is refused before anything opens it
        rows = ledger.iter_rows(path)
        expected = ledger.estimate_rows(path)
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            numbers = ledger.import_rows(s, rows, cal, str(path.resolve()), expected, progress)
        if len(numbers) >= 10_000:
            self.store.optimize()
        return numbers

    def export(self, path, f: cases.CaseFilter | None = None, full: bool = False,
               progress: Progress | None = None) -> int:
        """Cases to a file (written whole or not at all), read and written a page at a time; then the
        export is recorded (path, cases carrying full data). Returns how many."""
        from app.services.documents import export_detail

        path = Path(path)
        f = f or cases.CaseFilter()
        carried: list[str] = []
        written = 0
        with self.store.read() as s:
            identity.current(s)
            total = cases.count_cases(s, f)

            def records():
                for record in ledger.export_records(s, f, table=path.suffix.lower() != ".jsonl"):
                    if ledger.shows_personal_data(record, full):
                        carried.append(record.case_no)
                    yield record

            def fill(temp: Path) -> None:
                nonlocal written
                written = ledger.write(temp, records(), full, progress=progress, total=total)

            files.atomic_write(path, fill)
        with self.store.write() as s:
            audit.record(s, "export", detail=export_detail(path, f"导出台账 {written} 件", carried))
        return written

    def template(self, path) -> None:
        """The ledger to fill in: Chinese column headers, an example row, drop-down lists and instructions."""
        from app.ledger_template import write_template

        write_template(Path(path))
