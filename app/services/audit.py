"""The audit trail as the desk reads it."""
from __future__ import annotations

import datetime as dt

from app import audit
from app.intake import LOCAL_TZ
from app.services.base import Service


class AuditService(Service):
    def entries(self, since: dt.datetime | None = None) -> list[dict]:
        with self.store.read() as s:
            return [{"at": e.at.astimezone(LOCAL_TZ).isoformat(), "staff": e.actor, "action": e.action,
                     "case_no": e.case_no, "detail": e.detail} for e in audit.entries(s, since)]
