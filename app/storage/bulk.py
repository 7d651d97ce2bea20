"""Loading many cases at once (demo data, large ledgers) on SQLite: triggers and secondary indexes are
set aside for the load and rebuilt set-wise after it, inside the same transaction (all or nothing).

Row by row, each case costs its full-text rows, its next-deadline update and fourteen index
insertions; rebuilt after the load, the same work is a few sorted passes (minutes become seconds).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.cases.records import NEXT_DUE_SQL
from app.cases.search import TEXT_BODY

TABLES = ("cases", "consumers", "events", "merchants")
BIG = 20_000  # from this many new cases the indexes are rebuilt rather than kept up row by row


def consumer_indexer(session: Session) -> Callable[[dict], None]:
    """Fills a consumer row's blind-index columns (app.blind_index) for Core inserts, which skip the
    ORM's before_flush listener that fills them for rows added one by one."""
    from app.storage import blind_index, crypto

    key = crypto.attached(session.get_bind())

    def fill(consumer: dict) -> None:
        consumer.update(blind_index.values(key, consumer.get("name", ""), consumer.get("phone", "")))

    return fill


@contextmanager
def loading(session: Session, expected: int) -> Iterator[None]:
    """Inside: insert cases freely. After: full-text rows and next_due of the new cases, indexes back."""
    if session.get_bind().dialect.name != "sqlite":
        yield  # PostgreSQL keeps everything in step by its triggers
        return
    names = ", ".join(f"'{t}'" for t in TABLES)
    saved = session.execute(text(
        f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({names}) AND sql IS NOT NULL "
        f"AND (type = 'trigger' OR (type = 'index' AND :drop_indexes))"), {"drop_indexes": expected >= BIG}).all()
    first = (session.scalar(text("SELECT max(id) FROM cases")) or 0) + 1
    for kind, name, _sql in saved:
        session.execute(text(f'DROP {kind.upper()} "{name}"'))
    yield
    session.execute(text(f"UPDATE cases SET next_due = {NEXT_DUE_SQL} WHERE id >= :first"), {"first": first})
    body = TEXT_BODY
    session.execute(text(f"INSERT INTO case_text (rowid, body) SELECT c.id, {body} FROM cases c WHERE c.id >= :first"),
                    {"first": first})
    session.execute(text(f"INSERT INTO case_chars (rowid, body) SELECT c.id, liaison_chars({body}) FROM cases c "
                         f"WHERE c.id >= :first"), {"first": first})
    for _kind, _name, sql in sorted(saved, key=lambda r: r[0] != "index"):  # indexes first, then triggers
        session.execute(text(sql))
