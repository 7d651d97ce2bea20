"""Finding cases by what was typed: full-text (FTS5 trigram + single characters) or pg_trgm, case numbers,
phones and names, each by an index; results come newest-registered first, a page at a time.

SQLite keeps two full-text tables in step with `cases` by triggers (migration 0007), in the same
transaction as every write of a case, its import or its correction:
- `case_text` (FTS5, trigram tokenizer) over facts, product, brand and merchant name: terms of 3+ characters;
- `case_chars` (FTS5, unicode61) over the same text with every character a token (`spaced`): terms of
  1–2 characters are a phrase of single characters (the trigram tokenizer finds nothing for them).
PostgreSQL uses pg_trgm GIN indexes on the same columns (ILIKE), when the extension could be created.
Personal data (phone, name) is matched by `personal_matches`, through the blind index (app.blind_index).
"""
from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

CASE_NO = re.compile(r"^(?:[A-Za-z0-9]+-)?\d{8}(?:-\d{1,4})?$|^\d{8}-\d{1,4}$")
TEXT_BODY = ("coalesce(c.facts, '') || ' ' || coalesce(c.product, '') || ' ' || coalesce(c.brand, '') || ' ' || "
             "coalesce((SELECT m.name FROM merchants m WHERE m.id = c.merchant_id), '')")


def spaced(value: str | None) -> str:
    """Every character its own token for the single-character table (registered as SQL liaison_chars)."""
    return " ".join(ch for ch in (value or "") if not ch.isspace())


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def personal_matches(session: Session, term: str) -> list[tuple[str, dict]]:
    """SQL selecting ids of cases whose consumer has this full phone, its last 4 digits or this full name.

    Names and phones are encrypted at rest: app.blind_index finds them by keyed hash (an index lookup).
    """
    from app.storage import blind_index

    found = blind_index.lookup(session, term)
    if found is None or not found.case_ids:
        return []
    ids = ", ".join(str(int(i)) for i in found.case_ids)
    return [(f"SELECT c.id FROM cases c WHERE c.id IN ({ids})", {})]


def _branches(session: Session, term: str, point_code: str) -> list[tuple[str, dict]]:
    """One SELECT of case ids per way the term can match (each served by an index)."""
    branches: list[tuple[str, dict]] = []
    sqlite = session.get_bind().dialect.name == "sqlite"
    if CASE_NO.match(term):  # a case number or its beginning: a range on the unique index
        for prefix in {term, f"{point_code}-{term}" if point_code else term}:
            branches.append(("SELECT c.id FROM cases c WHERE c.case_no >= :p AND c.case_no < :p_end",
                             {"p": prefix, "p_end": prefix + "\U0010ffff"}))
    branches += personal_matches(session, term)
    if sqlite:
        if len(term) >= 3:
            branches.append(("SELECT rowid AS id FROM case_text WHERE case_text MATCH :fts", {"fts": _fts_phrase(term)}))
        else:
            branches.append(("SELECT rowid AS id FROM case_chars WHERE case_chars MATCH :fts",
                             {"fts": _fts_phrase(spaced(term))}))
    else:
        like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for column in ("c.facts", "c.product", "c.brand"):
            branches.append((f"SELECT c.id FROM cases c WHERE {column} ILIKE :like", {"like": like}))
        branches.append(("SELECT c.id FROM cases c JOIN merchants m ON m.id = c.merchant_id WHERE m.name ILIKE :like",
                         {"like": like}))
    # Each branch's parameters get their own names, so they can be joined in one statement.
    named = []
    for i, (sql, params) in enumerate(branches):
        for key in sorted(params, key=len, reverse=True):
            sql = sql.replace(f":{key}", f":b{i}_{key}")
        named.append((sql, {f"b{i}_{k}": v for k, v in params.items()}))
    return named


# A term matching at most this many cases has them all sorted by time of receipt (one primary-key look-up
# each); one matching more walks the (received_at, id) index newest first against the whole set of matches.
SORT_AT_MOST = 4000

READ_FIRST = 200  # of many matches, the newest by id read first: ids mostly follow the time of receipt

Key = tuple  # (received_at as the database returns it, case id): the keyset of a search's pages


def _keyset(before: Key | None) -> tuple[str, dict]:
    if before is None:
        return "", {}
    return " AND (c.received_at, c.id) < (:before_at, :before_id)", {"before_at": before[0], "before_id": before[1]}


def _newest(session: Session, ids_sql: str, params: dict, before: Key | None, limit: int, walk: bool = False
            ) -> list[Key]:
    """The newest `limit` cases among the ids `ids_sql` selects, below the keyset `before`."""
    after, more = _keyset(before)
    index = " INDEXED BY ix_cases_received" if walk else ""
    sql = (f"SELECT c.received_at, c.id FROM cases c{index} WHERE c.id IN ({ids_sql}){after} "
           "ORDER BY c.received_at DESC, c.id DESC LIMIT :limit")
    return [tuple(r) for r in session.execute(text(sql), {**params, **more, "limit": limit})]


def _newest_fts(session: Session, sql: str, params: dict, before: Key | None, limit: int) -> list[Key]:
    """SQLite's full-text branch. The full-text tables give their matches by id, cheaply newest-inserted
    first, but cases are not always inserted in the order they were received (a ledger import, demo data): a
    few matches are sorted by time of receipt; of many, the newest by id are the answer when no case received
    after the last of them has an older id (`_none_older`), else the time index is walked newest first, each
    case tested against the set of matches (sorting 200,000 matches of a common phrase at 1M cases took 0.5 s)."""
    ids = session.execute(text(f"{sql} ORDER BY rowid DESC LIMIT :cap"), {**params, "cap": SORT_AT_MOST + 1}
                          ).scalars().all()
    if len(ids) <= SORT_AT_MOST:
        if not ids:
            return []
        return _newest(session, ", ".join(str(int(i)) for i in ids), {}, before, limit)
    read = ids[:max(4 * limit, READ_FIRST)]
    found = _newest(session, ", ".join(str(int(i)) for i in read), {}, before, limit)
    if len(found) == limit and _none_older(session, found[-1], before, min(read)):
        return found
    return _newest(session, sql, params, before, limit, walk=True)


def _none_older(session: Session, last: Key, before: Key | None, lowest: int, at_most: int = 5000) -> bool:
    """Whether every case received between `last` and `before` has an id of at least `lowest`: then every
    match newer than `last` was among the matches read (all those with ids from `lowest` up), and the newest
    of them are the page. Read from the time index, at most `at_most` entries (more: not known, False)."""
    after, more = _keyset(before)
    row = session.execute(text(
        "SELECT count(*), min(id) FROM (SELECT c.id FROM cases c WHERE (c.received_at, c.id) > (:last_at, :last_id)"
        f"{after} ORDER BY c.received_at DESC, c.id DESC LIMIT :n) AS r"),
        {**more, "last_at": last[0], "last_id": last[1], "n": at_most}).one()
    return row[0] < at_most and (row[1] is None or row[1] >= lowest)


def page_keys(session: Session, term: str, before: Key | None, limit: int, point_code: str = "") -> list[Key]:
    """(received_at, id) of the matching cases below the keyset `before`, newest registered first (the
    same order as the case list's default: time of receipt, then id), at most `limit`."""
    term = term.strip()
    if not term:
        return []
    found: set[Key] = set()
    for sql, p in _branches(session, term, point_code):
        if sql.startswith("SELECT rowid"):
            found.update(_newest_fts(session, sql, p, before, limit))
        else:
            found.update(_newest(session, sql, p, before, limit))
    return sorted(found, reverse=True)[:limit]


def page_ids(session: Session, term: str, before: Key | None, limit: int, point_code: str = "") -> list[int]:
    """Ids of matching cases below the keyset `before`, newest registered first, at most `limit`."""
    return [k[1] for k in page_keys(session, term, before, limit, point_code)]


def count(session: Session, term: str, point_code: str = "") -> int:
    """How many cases match (each branch counted by its index, duplicates removed)."""
    term = term.strip()
    if not term:
        return 0
    parts: list[str] = []
    params: dict[str, object] = {}
    for sql, p in _branches(session, term, point_code):
        parts.append(sql)
        params |= p
    return session.execute(text(f"SELECT count(*) FROM ({' UNION '.join(parts)}) AS u"), params).scalar() or 0
