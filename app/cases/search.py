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


def _id_column(sql: str) -> str:
    return "rowid" if sql.startswith("SELECT rowid") else "c.id"


def page_ids(session: Session, term: str, before_id: int | None, limit: int, point_code: str = "") -> list[int]:
    """Ids of matching cases below `before_id` (keyset), newest-registered first, at most `limit`."""
    term = term.strip()
    if not term:
        return []
    parts, params = [], {"limit": limit}
    for sql, p in _branches(session, term, point_code):
        column = _id_column(sql)
        where = (" AND " if " WHERE " in sql else " WHERE ") + f"{column} < :before" if before_id is not None else ""
        parts.append(f"SELECT id FROM ({sql}{where} ORDER BY {column} DESC LIMIT :limit) AS b")
        params |= p
    if before_id is not None:
        params["before"] = before_id
    union = " UNION ".join(parts)
    return list(session.execute(text(f"SELECT id FROM ({union}) AS u ORDER BY id DESC LIMIT :limit"), params)
                .scalars().all())


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
