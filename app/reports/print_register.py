"""The print register (文书登记): every case document printed or saved carries a number, 回执 2026-000123.

The number is given when the document is first made (it is printed on it), once per kind and case; each
print or save counts, and a document made again after it was printed says 补打 and keeps its number.
After a restore, numbering continues above every number given before it (app/storage/floors.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core import clock
from app.core.clock import LOCAL_TZ
from app.storage import floors
from app.storage.models import Case, RegisteredDocument

PREFIX = {"receipt": "回执", "registration": "登记", "not-accepted": "告知", "terminated": "告知", "agreement": "协议",
          "referral": "转办", "merchant-request": "函"}
LABEL = {"receipt": "登记回执", "registration": "登记表", "not-accepted": "不予受理告知书", "terminated": "终止调解告知书",
         "agreement": "调解协议书", "referral": "转办单", "merchant-request": "消费投诉告知函"}


@dataclass(frozen=True)
class Number:
    """What a document prints in its footer: its number, and 补打 when it was printed before."""

    number: str
    reprint: bool

    def footer(self) -> str:
        return f"{self.number}" + ("（补打）" if self.reprint else "")


def _number(row: RegisteredDocument) -> str:
    return f"{row.prefix} {row.year}-{row.seq:06d}"


def _find(session: Session, kind: str, case: Case) -> RegisteredDocument | None:
    return session.scalar(select(RegisteredDocument).where(RegisteredDocument.kind == kind,
                                                           RegisteredDocument.case_id == case.id))


def _row(session: Session, kind: str, case: Case) -> RegisteredDocument:
    """The document's register row, numbered now if it has none (numbers run per prefix and year)."""
    row = _find(session, kind, case)
    if row is not None:
        return row
    prefix, year = PREFIX[kind], clock.today().year
    for _attempt in range(5):  # on PostgreSQL another desk may take the same number at the same moment
        seq = max(session.scalar(select(func.max(RegisteredDocument.seq)).where(
            RegisteredDocument.prefix == prefix, RegisteredDocument.year == year)) or 0,
            floors.floor(session, floors.document_key(prefix, year))) + 1  # never one issued before a restore
        row = RegisteredDocument(kind=kind, case_id=case.id, prefix=prefix, year=year, seq=seq,
                                 made_at=clock.utcnow())
        if session.get_bind().dialect.name == "sqlite":  # the write lock is ours: no one else numbers now
            session.add(row)
            session.flush()
            return row
        try:
            with session.begin_nested():
                session.add(row)
            return row
        except IntegrityError:
            found = _find(session, kind, case)  # the other desk numbered this very document
            if found is not None:
                return found
    raise RuntimeError("could not number the document")


def number_for(session: Session, kind: str, case: Case) -> Number:
    """What the document prints: its number, given now if it has none; 补打 once it was printed."""
    row = _row(session, kind, case)
    return Number(_number(row), row.prints > 0)


def record_print(session: Session, kind: str, case: Case, actor: str, to: str) -> Number | None:
    """One print or save of the document; None for a document the register does not number."""
    if kind not in PREFIX:
        return None
    row = _row(session, kind, case)
    number = Number(_number(row), row.prints > 0)
    now = clock.utcnow()
    if row.prints == 0:
        row.first_printed_at, row.first_staff = now, actor
    row.prints += 1
    row.last_printed_at, row.last_staff, row.last_to = now, actor, to
    return number


def entries(session: Session, date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[dict]:
    """The register, newest first: documents printed at least once (in the period, by first print)."""
    q = (select(RegisteredDocument, Case.case_no).join(Case, Case.id == RegisteredDocument.case_id)
         .where(RegisteredDocument.prints > 0))
    if date_from is not None:
        q = q.where(RegisteredDocument.first_printed_at >= dt.datetime.combine(date_from, dt.time(), LOCAL_TZ))
    if date_to is not None:
        q = q.where(RegisteredDocument.first_printed_at
                    < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), LOCAL_TZ))
    out = []
    for row, case_no in session.execute(q.order_by(RegisteredDocument.first_printed_at.desc(),
                                                   RegisteredDocument.id.desc())):
        out.append({"number": _number(row), "kind": row.kind, "document": LABEL[row.kind], "case_no": case_no,
                    "first_printed_at": _local(row.first_printed_at), "first_staff": row.first_staff,
                    "prints": row.prints, "last_printed_at": _local(row.last_printed_at),
                    "last_staff": row.last_staff, "last_to": row.last_to})
    return out


def _local(at: dt.datetime | None) -> str:
    return at.astimezone(LOCAL_TZ).isoformat(timespec="seconds") if at else ""


COLUMNS = [("文书编号", "number"), ("文书", "document"), ("案件编号", "case_no"), ("首次打印", "first_printed_at"),
           ("首次打印人", "first_staff"), ("打印次数", "prints"), ("最近打印", "last_printed_at"),
           ("最近打印人", "last_staff"), ("打印到", "last_to")]
