"""Number floors: after a restore, no number the desk gave out is given out again.

A restore rolls the database back to the backup, but the numbers handed out since are on receipts, in
the consumers' notes and on the phone: case numbers, the print register's document numbers (回执
2026-000123), attachment numbers. Before the restored copy goes live, `carry` raises what it numbers
from to the live database's: the day counters of case numbers (each day of either file), and for the
numbers taken as the highest so far + 1 a floor row in `settings` (`floor.…`: the last number ever
issued), above which numbering then continues (app/reports/print_register.py; attachments below).
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import bindparam, event, func, select
from sqlalchemy.orm import Session

from app.storage.models import Attachment, Setting

PREFIX = "floor."
ATTACHMENT = "floor.attachment"


def document_key(prefix: str, year: int) -> str:
    """The floor of the print register's numbers of one prefix and year (回执 2026-…)."""
    return f"{PREFIX}document.{prefix}.{year}"


_FLOOR = select(Setting.value).where(Setting.key == bindparam("key"))


def floor(session: Session, key: str) -> int:
    """The last number of `key` issued before the latest restore (0: none)."""
    return _number(session.execute(_FLOOR, {"key": key}).scalar())


def _number(value: str | None) -> int:
    return int(value) if value and value.isascii() and value.isdigit() else 0


# --- raising the copy to the live database ---------------------------------------------------------

def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def issued(conn: sqlite3.Connection) -> dict[str, int]:
    """The last number of each kind a database handed out: its floors, or its highest numbers if above."""
    tables = _tables(conn)
    last = {key: _number(value) for key, value in
            conn.execute("SELECT key, value FROM settings WHERE key LIKE ?", (PREFIX + "%",))}
    found: list[tuple[str, int]] = []
    if "print_register" in tables:
        found += [(document_key(prefix, year), seq) for prefix, year, seq in
                  conn.execute("SELECT prefix, year, max(seq) FROM print_register GROUP BY prefix, year")]
    if "attachments" in tables:
        found.append((ATTACHMENT, conn.execute("SELECT coalesce(max(id), 0) FROM attachments").fetchone()[0]))
    for key, seq in found:
        last[key] = max(last.get(key, 0), int(seq or 0))
    return last


def carry(live: sqlite3.Connection, copy: sqlite3.Connection) -> dict[str, int]:
    """Raise `copy` (the restored data, not yet live) so it numbers after everything `live` issued.

    Case counters: the higher of both, day by day. Other numbers: a floor row where `live` went further
    than the copy. Runs in the caller's transaction on `copy`; returns the floors written.
    """
    copy.executemany("INSERT INTO case_counters (day, last) VALUES (?, ?) "
                     "ON CONFLICT (day) DO UPDATE SET last = max(last, excluded.last)",
                     live.execute("SELECT day, last FROM case_counters").fetchall())
    own = issued(copy)
    raised = {key: last for key, last in issued(live).items() if last > own.get(key, 0)}
    copy.executemany("INSERT INTO settings (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     [(key, str(last)) for key, last in raised.items()])
    return raised


# --- numbering above the floor ---------------------------------------------------------------------

@event.listens_for(Attachment, "before_insert")
def _attachment_number(_mapper, connection, target: Attachment) -> None:
    """An attachment's number (附件编号) is SQLite's highest so far + 1; after a restore, above its floor.
    (PostgreSQL takes it from a sequence, and is never restored from our backups.)"""
    if target.id is not None or connection.dialect.name != "sqlite":
        return
    last = _number(connection.execute(_FLOOR, {"key": ATTACHMENT}).scalar())
    if last:
        target.id = max(last, connection.execute(select(func.max(Attachment.id))).scalar() or 0) + 1
