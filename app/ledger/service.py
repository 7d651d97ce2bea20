"""The ledger (台账): import a point's spreadsheet all or nothing, export cases, a blank template."""
from __future__ import annotations

from pathlib import Path

from app.calendar import holiday_arrangements
from app.cases import records
from app.core import files
from app.core.progress import Progress
from app.ledger import exchange
from app.staff import audit, identity
from app.storage.db import Service


class LedgerService(Service):
    def import_file(self, path, progress: Progress | None = None) -> list[str]:
        """All or nothing: raises exchange.ImportRejected listing every bad row, else imports every row.

        Read, checked and written a batch at a time in one transaction; planner statistics after.
        """
        path = exchange.check_file(path)  # a FIFO or device is refused before anything opens it
        rows = exchange.iter_rows(path)
        expected = exchange.estimate_rows(path)
        with self.store.write() as s:
            cal = holiday_arrangements.load_calendar(s)
            numbers = exchange.import_rows(s, rows, cal, str(path.resolve()), expected, progress)
        if len(numbers) >= 10_000:
            self.store.optimize()
        return numbers

    def export(self, path, f: records.CaseFilter | None = None, full: bool = False,
               progress: Progress | None = None) -> int:
        """Cases to a file (written whole or not at all), read and written a page at a time; then the
        export is recorded (path, cases carrying full data). Returns how many."""
        from app.printing.service import export_detail

        path = Path(path)
        f = f or records.CaseFilter()
        carried: list[str] = []
        written = 0
        with self.store.read() as s:
            identity.current(s)
            total = records.count_cases(s, f)

            def rows():
                for record in exchange.export_records(s, f, table=path.suffix.lower() != ".jsonl"):
                    if exchange.shows_personal_data(record, full):
                        carried.append(record.case_no)
                    yield record

            def fill(temp: Path) -> None:
                nonlocal written
                written = exchange.write(temp, rows(), full, progress=progress, total=total)

            files.atomic_write(path, fill)
        with self.store.write() as s:
            audit.record(s, "export", detail=export_detail(path, f"导出台账 {written} 件", carried))
        return written

    def template(self, path) -> None:
        """The ledger to fill in: Chinese column headers, an example row, drop-down lists and instructions."""
        from app.ledger.template import write_template

        write_template(Path(path))
