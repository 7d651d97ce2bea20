"""Role checks for the actions only a supervisor may take (purge, restore, recovery key)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from app import audit, settings
from app.errors import FieldError


def require_supervisor(session: Session, what: str, actor: str | None = None) -> None:
    """Refuse unless the acting staff member is a supervisor (staff accounts replace the setting)."""
    actor = actor or audit.current_actor()
    supervisors = [x.strip() for x in settings.get(session, "staff.supervisors").replace("，", ",").split(",")
                   if x.strip()]
    if actor not in supervisors:
        raise FieldError("actor", f"只有负责人可以{what}（当前：{actor}）")
