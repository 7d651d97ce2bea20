"""Keyed seals over the facts a forger would change in place: a case's state, outcome and amounts, an
account's role, password and links.

The audit chain (app/staff/audit.py) proves what happened; these rows hold what *is*. Without a seal,
`update cases set state='closed', amount_recovered=9999` or `update staff set role='supervisor'` with
sqlite3 would pass every check. Each such row carries `seal` = HMAC-SHA256 (key derived from the data
key, `DataKey.facts_key`) over its sealed columns, bound to the row's unique name (case number, login)
rather than its id, so bulk loads can seal rows before they have ids, and a seal moved to another row
does not hold there.

Sealed by the write that changes them (`after_flush`, hooked on every write session in
app/storage/db.py), and only if the row still held its seal when this write loaded it: a write that
changes another column of a forged row never launders it. Bulk inserts put `seal` in their rows
(`case_seal`). Checked on read (CaseDetail, sign-in, the OS-user link) and for every row by the full
`liaison audit --verify --full`.
"""
from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.storage import crypto
from app.storage.models import Case, StaffAccount

CASE_FIELDS = ("case_no", "consumer_id", "merchant_id", "state", "outcome", "was_accepted", "amount_paid",
               "amount_claimed", "amount_recovered", "advance_paid", "owner", "referred_to", "outcome_on",
               "decided_on")
STAFF_FIELDS = ("login", "display", "role", "disabled", "password_hash", "os_user")


def _text(value: Any) -> str:
    """One canonical text per value, whichever way it was read (Decimal or str amounts, 0/1 or bool)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)):.2f}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


_AMOUNTS = {"amount_paid", "amount_claimed", "amount_recovered", "advance_paid"}


def _mac(key: crypto.DataKey, kind: str, fields: tuple[str, ...], values: Mapping[str, Any] | Any) -> str:
    texts = [f"{Decimal(str(values.get(f) or 0)):.2f}" if f in _AMOUNTS else _text(values.get(f)) for f in fields]
    message = "\x1f".join([f"facts v1 {kind}"] + texts)
    return hmac.digest(key.facts_key, message.encode("utf-8", "surrogatepass"), "sha256").hex()


def case_seal(key: crypto.DataKey, values: Mapping[str, Any]) -> str:
    """The seal of a case row given as a mapping (a bulk insert's row dict)."""
    # amounts default to 0 on insert: a row dict that leaves one out means 0
    filled = {"amount_paid": 0, "amount_claimed": 0, "amount_recovered": 0, "advance_paid": 0,
              "was_accepted": False, "outcome": "", "referred_to": "", **values}
    return _mac(key, "case", CASE_FIELDS, filled)


def seal_rows(session_or_conn, rows: list[dict]) -> list[dict]:
    """A bulk insert's case rows, each given its seal (their consumer ids set): the insert skips the ORM."""
    bind = session_or_conn.get_bind() if isinstance(session_or_conn, Session) else session_or_conn
    key = crypto.attached(bind)
    for row in rows:
        row["seal"] = case_seal(key, row)
    return rows


_KINDS = {Case: ("case", CASE_FIELDS), StaffAccount: ("staff", STAFF_FIELDS)}


def _values(obj, fields: tuple[str, ...]) -> dict:
    return {f: getattr(obj, f) for f in fields}


def _loaded_values(obj, fields: tuple[str, ...]) -> dict:
    """The sealed columns as this session loaded them (before its changes)."""
    state = inspect(obj)
    out = {}
    for f in fields:
        history = state.attrs[f].history
        out[f] = history.deleted[0] if history.deleted else getattr(obj, f)
    return out


def _key(session: Session) -> crypto.DataKey | None:
    return getattr(session.get_bind().dialect, "liaison_key", None)


def seal_changed(session: Session) -> None:
    """After a flush (ids, foreign keys and column defaults are in; the changes' history still is):
    seal new rows, and re-seal changed ones that held their seal when loaded."""
    from sqlalchemy import update
    from sqlalchemy.orm.attributes import set_committed_value

    key = _key(session)
    if key is None:  # a desk without the key changes no sealed column (it cannot read personal data)
        return
    for obj in list(session.new) + list(session.dirty):
        kind = _KINDS.get(type(obj))
        if kind is None:
            continue
        name, fields = kind
        state = inspect(obj)
        if not (state.pending or state.persistent):
            continue
        if obj in session.new:
            new = _mac(key, name, fields, _values(obj, fields))
        else:
            if not any(state.attrs[f].history.has_changes() for f in fields):
                continue
            original = state.attrs["seal"].history
            stored = original.deleted[0] if original.deleted else obj.seal
            if not stored or not hmac.compare_digest(_mac(key, name, fields, _loaded_values(obj, fields)), stored):
                continue  # forged before this write: it stays reported
            new = _mac(key, name, fields, _values(obj, fields))
        table = type(obj).__table__
        session.connection().execute(update(table).where(table.c.id == obj.id).values(seal=new))
        set_committed_value(obj, "seal", new)


def holds(key: crypto.DataKey | None, obj) -> bool:
    """The row's sealed columns are as its last legitimate write left them (True without the key: nothing
    can be told then, and nothing personal is shown either)."""
    if key is None:
        return True
    name, fields = _KINDS[type(obj)]
    return bool(obj.seal) and hmac.compare_digest(_mac(key, name, fields, _values(obj, fields)), obj.seal)


def session_holds(session: Session, obj) -> bool:
    return holds(_key(session), obj)


def broken_rows(session: Session, key: crypto.DataKey, cases: bool = True) -> Iterable[tuple[str, str, bool]]:
    """Every account (and case) whose seal does not hold, as (kind, name, unsealed): read in batches."""
    kinds = ((StaffAccount, _KINDS[StaffAccount], "login"), (Case, _KINDS[Case], "case_no"))
    for model, (name, fields), label in kinds[:2 if cases else 1]:
        cols = [getattr(model, f) for f in fields] + [model.seal]
        for r in session.execute(select(*cols).execution_options(yield_per=5000)):
            values = r._mapping
            stored = values["seal"] or ""
            if not stored or not hmac.compare_digest(_mac(key, name, fields, values), stored):
                yield name, values[label], not stored


def reseal_all(conn_or_session, key: crypto.DataKey, only_missing: bool = True) -> int:
    """Seal the rows that have none (an upgrade on a computer without the key); how many. Migration 0019
    and the supervisor's recorded `liaison audit --reseal` call it, never an ordinary open."""
    from sqlalchemy import bindparam, update

    done = 0
    for model in (StaffAccount, Case):
        name, fields = _KINDS[model]
        table = model.__table__
        cols = [table.c.id] + [table.c[f] for f in fields]
        query = select(*cols)
        if only_missing:
            query = query.where(table.c.seal.is_(None))
        rows = [{"row_id": r.id, "s": _mac(key, name, fields, r._mapping)}
                for r in conn_or_session.execute(query)]
        for start in range(0, len(rows), 5000):
            conn_or_session.execute(update(table).where(table.c.id == bindparam("row_id"))
                                    .values(seal=bindparam("s")), rows[start:start + 5000])
        done += len(rows)
    return done
