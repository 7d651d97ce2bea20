"""The audit trail: who viewed, printed, exported or changed personal data, and when."""
from __future__ import annotations

import datetime as dt
import getpass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import AuditEntry


def current_actor() -> str:
    """The staff member acting; the OS user until staff accounts exist."""
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def record(session: Session, action: str, case_no: str = "", detail: str = "", actor: str | None = None) -> None:
    session.add(AuditEntry(at=clock.utcnow(), actor=actor or current_actor(), action=action,
                           case_no=case_no, detail=detail))


def entries(session: Session, since: dt.datetime | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return list(session.scalars(query))
