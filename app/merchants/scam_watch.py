"""Scam watch: phone numbers that recur across brands, or that the point watches (seed 000's fake hotline)."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core import clock, validation
from app.core.errors import FieldError
from app.storage.models import Case, CasePhone, WatchNumber

NUMBER = re.compile(r"(?<!\d)(?:400|800)(?:[-\s]?\d){7}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


@lru_cache(maxsize=65536)
def _digits(raw: str) -> str | None:
    """A mentioned number as digits, or None when it is no valid number (parsing is slow: cached)."""
    try:
        return validation.phone(raw, "facts", "号码")
    except FieldError:
        return None


def numbers_in(text: str, merchant_phone: str = "") -> set[str]:
    """Valid phone numbers mentioned in a text, as digits, plus the merchant's phone."""
    found = set()
    for raw in NUMBER.findall(text or ""):
        digits = _digits(raw)
        if digits:
            found.add(digits)
    if merchant_phone:
        found.add(merchant_phone)
    return found


def record(session: Session, case: Case) -> None:
    for number in numbers_in(case.facts, case.merchant.phone if case.merchant else ""):
        session.merge(CasePhone(case_id=case.id, number=number))


def warnings(session: Session, numbers: set[str], brand: str = "", exclude_case: int | None = None) -> list[str]:
    """Why any of these numbers is suspicious: on the watch list, or seen with other brands."""
    out = []
    for number in sorted(numbers):
        watched = session.get(WatchNumber, number)
        if watched:
            out.append(f"号码 {number} 在本点监控名单上：{watched.note or '疑似冒充售后等'}")
        q = (select(Case.brand, func.count(Case.id)).join(CasePhone, CasePhone.case_id == Case.id)
             .where(CasePhone.number == number).group_by(Case.brand))
        if exclude_case is not None:
            q = q.where(Case.id != exclude_case)
        brands = {b: n for b, n in session.execute(q) if b}
        others = set(brands) - ({brand} if brand else set())
        if others and (brand or len(brands) >= 2):
            out.append(f"号码 {number} 也出现在涉及其他品牌（{'、'.join(sorted(others))}）的投诉中，"
                       "可能是冒充品牌的售后电话")
    return out


def watch(session: Session, number: str, note: str) -> str:
    digits = validation.phone(number, "number", "号码")
    row = session.get(WatchNumber, digits)
    if row is None:
        session.add(WatchNumber(number=digits, note=note.strip(), added_on=clock.today()))
    else:
        row.note = note.strip() or row.note
    return digits


def unwatch(session: Session, number: str) -> None:
    session.execute(delete(WatchNumber).where(WatchNumber.number == number))


def watch_list(session: Session) -> list[dict]:
    return [{"number": w.number, "note": w.note, "added_on": w.added_on.isoformat(),
             "cases": session.scalar(select(func.count()).select_from(CasePhone).where(CasePhone.number == w.number))}
            for w in session.scalars(select(WatchNumber).order_by(WatchNumber.added_on, WatchNumber.number))]


def export(session: Session, path: Path) -> int:
    rows = watch_list(session)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["号码", "说明", "加入日期", "涉及案件数"])
        for r in rows:
            w.writerow([r["number"], r["note"], r["added_on"], r["cases"]])
    return len(rows)
