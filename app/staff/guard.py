"""Role checks for the actions only a supervisor may take (purge, restore, recovery key)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from app.staff import identity


def require_supervisor(session: Session, what: str) -> None:
    """Refuse unless the member signed in is a supervisor (app/staff/identity.py decides who is acting)."""
    identity.require(session, "supervisor", what)
