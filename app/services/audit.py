"""The audit trail as the desk reads, checks and adds to it."""
from __future__ import annotations

import datetime as dt

from app import audit, identity
from app.intake import LOCAL_TZ
from app.services.base import Service


class AuditService(Service):
    def entries(self, since: dt.datetime | None = None) -> list[dict]:
        """The whole trail (audit log and case events, in the order written) since a moment."""
        return self.trail(audit.TrailFilter(since=since))

    def trail(self, f: audit.TrailFilter | None = None, limit: int | None = None) -> list[dict]:
        """Supervisors only: the trail names who looked at whom."""
        with self.store.read() as s:
            identity.require(s, "supervisor", "查看审计记录")
            return audit.trail(s, f, limit)

    def verify(self) -> audit.Verification:
        """Check the chain from its first link to its last (the window and `liaison` do it at start)."""
        with self.store.read() as s:
            return audit.verify(s)

    def staff_names(self) -> list[str]:
        with self.store.read() as s:
            identity.require(s, "supervisor", "查看审计记录")
            return audit.actors(s)


def local_day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ)
