"""The print register as the desk uses it: the list of numbered documents, outputs recorded, export."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app import audit, print_register
from app.services.base import Service


class RegisterService(Service):
    def entries(self, date_from: dt.date | None = None, date_to: dt.date | None = None,
                subject: str | None = None) -> list[dict]:
        with self.store.read() as s:
            return print_register.entries(s, date_from, date_to, subject)

    def record_output(self, number: str, how: str, actor: str | None = None) -> bool:
        """A numbered document went to a printer (`print`) or a file (`save`); True when it was a reprint."""
        actor = actor or audit.current_actor()
        with self.store.write() as s:
            return print_register.record_output(s, number, how, actor)

    def export(self, path: str | Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
               actor: str | None = None) -> int:
        rows = self.entries(date_from, date_to)
        print_register.write(Path(path), rows)
        with self.store.write() as s:
            audit.record(s, "export", detail=f"导出打印登记簿 {len(rows)} 条", actor=actor)
        return len(rows)
