"""The print register: every document printed or saved has a number (回执 2026-000123); a reprint keeps it."""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import clock, codes
from app.errors import FieldError
from app.intake import LOCAL_TZ
from app.models import DocumentCounter, DocumentNumber, DocumentOutput

HOW = {"print": "打印", "save": "保存"}
COLUMNS = [("文书编号", "number"), ("文书", "kind_label"), ("案件编号或期间", "subject"), ("编号时间", "issued_at"),
           ("经办人", "staff"), ("打印或保存次数", "outputs"), ("最近一次", "last_at"), ("最近经办人", "last_staff")]


@dataclass(frozen=True)
class Issued:
    number: str
    reprint: bool  # it went to a printer or a file before: the copy says 补打


def _next_seq(session: Session, prefix: str, year: int) -> int:
    """Same gap-free counter as case numbers: one upsert on the (prefix, year) row."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as upsert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        upsert = None
    if upsert is not None:
        stmt = (upsert(DocumentCounter).values(prefix=prefix, year=year, last=1)
                .on_conflict_do_update(index_elements=[DocumentCounter.prefix, DocumentCounter.year],
                                       set_={"last": DocumentCounter.last + 1})
                .returning(DocumentCounter.last))
        return session.scalar(stmt)
    where = (DocumentCounter.prefix == prefix, DocumentCounter.year == year)
    if session.execute(update(DocumentCounter).where(*where).values(last=DocumentCounter.last + 1)).rowcount == 0:
        session.add(DocumentCounter(prefix=prefix, year=year, last=1))
        session.flush()
    return session.scalar(select(DocumentCounter.last).where(*where))


def issue(session: Session, kind: str, subject: str, actor: str) -> Issued:
    """The document's number: the one it already has, or the next of its kind and year."""
    doc = session.scalar(select(DocumentNumber).where(DocumentNumber.kind == kind, DocumentNumber.subject == subject))
    if doc is not None:
        went_out = session.scalar(select(func.count()).where(DocumentOutput.document_id == doc.id))
        return Issued(doc.number, bool(went_out))
    prefix = codes.DOCUMENT_PREFIX[kind]
    now = clock.now()
    number = f"{prefix} {now.year}-{_next_seq(session, prefix, now.year):06d}"
    session.add(DocumentNumber(number=number, kind=kind, subject=subject, issued_at=now, staff=actor))
    session.flush()
    return Issued(number, False)


def record_output(session: Session, number: str, how: str, actor: str) -> bool:
    """One print or save of a numbered document; returns whether it was a reprint (补打)."""
    if how not in HOW:
        raise FieldError("how", "只能记录“打印”或“保存”")
    doc = session.scalar(select(DocumentNumber).where(DocumentNumber.number == number))
    if doc is None:
        raise FieldError("number", f"登记簿中没有文书编号“{number}”")
    earlier = session.scalar(select(func.count()).where(DocumentOutput.document_id == doc.id))
    session.add(DocumentOutput(document_id=doc.id, at=clock.utcnow(), staff=actor, how=how,
                               reprint=bool(earlier)))
    return bool(earlier)


def entries(session: Session, date_from: dt.date | None = None, date_to: dt.date | None = None,
            subject: str | None = None) -> list[dict]:
    """The register, newest first: each number with how often and when it last went out."""
    query = select(DocumentNumber).order_by(DocumentNumber.id.desc())
    if date_from:
        query = query.where(DocumentNumber.issued_at >= dt.datetime.combine(date_from, dt.time(), LOCAL_TZ))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
        query = query.where(DocumentNumber.issued_at < end)
    if subject:
        query = query.where(DocumentNumber.subject == subject)
    docs = list(session.scalars(query))
    outputs: dict[int, list[DocumentOutput]] = {}
    if docs:
        for o in session.scalars(select(DocumentOutput).where(DocumentOutput.document_id.in_([d.id for d in docs]))
                                 .order_by(DocumentOutput.id)):
            outputs.setdefault(o.document_id, []).append(o)
    rows = []
    for d in docs:
        outs = outputs.get(d.id, [])
        last = outs[-1] if outs else None
        rows.append({
            "number": d.number, "kind": d.kind, "kind_label": codes.DOCUMENT_PREFIX.get(d.kind, d.kind),
            "subject": d.subject, "issued_at": d.issued_at.astimezone(LOCAL_TZ).isoformat(timespec="seconds"),
            "staff": d.staff, "outputs": len(outs),
            "last_at": last.at.astimezone(LOCAL_TZ).isoformat(timespec="seconds") if last else "",
            "last_staff": last.staff if last else "",
            "history": [{"at": o.at.astimezone(LOCAL_TZ).isoformat(timespec="seconds"), "staff": o.staff,
                         "how": o.how, "reprint": o.reprint} for o in outs],
        })
    return rows


def _cell(value) -> str | int:
    # Spreadsheet-safe: a value starting like a formula is written as text.
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def write(path: Path, rows: list[dict]) -> None:
    """The register to .xlsx or .csv (UTF-8 with BOM, so Excel reads it)."""
    header = [label for label, _ in COLUMNS]
    body = [[_cell(r[key]) for _, key in COLUMNS] for r in rows]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(body)
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = "打印登记簿"
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in body:
            ws.append(row)
        ws.freeze_panes = "A2"
        for i, width in enumerate((22, 10, 26, 26, 12, 14, 26, 12), 1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = width
        wb.save(path)
    else:
        raise FieldError("output", "打印登记簿只能导出为 .xlsx 或 .csv 文件")
