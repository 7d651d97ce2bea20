"""desk.retention: how many closed cases are past the retention period, and removing their personal data."""
from __future__ import annotations

import datetime as dt

from app import audit, clock, retention, settings
from app.services.base import Service
from app.services.guard import require_supervisor


class RetentionService(Service):
    def default_cutoff(self) -> dt.date:
        with self.store.read() as s:
            years = int(settings.get(s, "privacy.retention_years"))
        return retention.default_cutoff(clock.now().date(), years)

    def count(self, cutoff: dt.date | None = None) -> int:
        with self.store.read() as s:
            return retention.count(s, cutoff or self.default_cutoff())

    def purge(self, cutoff: dt.date | None = None, actor: str | None = None) -> list[str]:
        cutoff = cutoff or self.default_cutoff()
        with self.store.write() as s:
            require_supervisor(s, "清除个人信息", actor)
            numbers = retention.purge(s, cutoff, actor or audit.current_actor(), clock.now().date())
            audit.record(s, "purge", detail=f"清除 {cutoff.isoformat()} 前办结的 {len(numbers)} 件案件的消费者个人信息",
                         actor=actor)
            return numbers
