"""Telephone look-up: a caller proves the case with its check code and hears state, next step, due date."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app import audit, clock, contact, holiday_arrangements
from app.errors import FieldError
from app.models import Case
from app.services.base import Service


class ContactService(Service):
    def lookup(self, case_no: str, code: str, actor: str | None = None, today: dt.date | None = None) -> dict:
        """No personal data in the answer; a wrong code or number is refused with one message (and logged)."""
        case_no = (case_no or "").strip()
        with self.store.write() as s:
            case = s.scalar(select(Case).where(Case.case_no == case_no))
            ok = case is not None and contact.matches(case, code)
            if ok:
                answer = contact.lookup(case, holiday_arrangements.load_calendar(s),
                                        today or clock.today())
            audit.record(s, "lookup", case_no, "电话查询：查询码正确" if ok else "电话查询：编号或查询码不正确", actor)
        if not ok:
            raise FieldError("code", contact.WRONG)
        return answer
