"""Blind index: keyed hashes (HMAC-SHA256) that find a consumer by full name, full phone or its last 4 digits.

Only these three exact forms are indexed, so a search by any other piece of a number finds nothing and
masked numbers (138****5678) cannot be completed by trying fragments. The key is derived from the data
key (app/storage/crypto), so the hashes mean nothing without it.
"""
from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.storage import crypto
from app.storage.models import Case, Consumer


def _hash(key: crypto.DataKey, kind: str, value: str) -> str:
    return hmac.new(key.index_key, f"{kind}\x00{value}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def normal_name(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def digits(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", value or "") if ch.isdigit())


def values(key: crypto.DataKey, name: str, phone: str) -> dict[str, str]:
    """The index columns for a name and phone (for bulk inserts that bypass the ORM's flush)."""
    name, phone = normal_name(name), digits(phone)
    return {"name_index": _hash(key, "name", name) if name else "",
            "phone_index": _hash(key, "phone", phone) if phone else "",
            "phone_tail_index": _hash(key, "tail", phone[-4:]) if len(phone) >= 4 else ""}


def fill(key: crypto.DataKey, consumer: Consumer) -> None:
    """(Re)compute a consumer's index columns from its plain values."""
    for column, value in values(key, consumer.name, consumer.phone).items():
        setattr(consumer, column, value)


@event.listens_for(Session, "before_flush")
def _index_before_flush(session: Session, _context, _instances) -> None:
    changed = [o for o in (*session.new, *session.dirty) if isinstance(o, Consumer)]
    if changed:
        key = crypto.attached(session.get_bind())
        for consumer in changed:
            fill(key, consumer)


@dataclass(frozen=True)
class Lookup:
    """What a search term was taken for: `kind` is phone | tail | name, `masked` is safe to log."""

    kind: str
    masked: str
    case_ids: list[int]


def _phone_shaped(term: str) -> str:
    compact = term.replace("-", "").replace(" ", "").replace("+86", "")
    return compact if compact.isdigit() else ""


def lookup(session: Session, term: str) -> Lookup | None:
    """Cases whose consumer has this full phone, these last 4 digits, or this full name; None if no such term."""
    from app.core.privacy import mask_name, mask_phone

    term = (term or "").strip()
    if not term or len(term) > 100:
        return None
    key = crypto.attached(session.get_bind())
    number = _phone_shaped(term)
    if number:
        if len(number) == 4:
            kind, column, value, masked = "tail", Consumer.phone_tail_index, _hash(key, "tail", number), "****" + number
        elif len(number) >= 7:
            kind, column, value, masked = "phone", Consumer.phone_index, _hash(key, "phone", number), mask_phone(number)
        else:
            return Lookup("fragment", "*" * len(number), [])  # a fragment: never matched
    else:
        name = normal_name(term)
        kind, column, value, masked = "name", Consumer.name_index, _hash(key, "name", name), mask_name(name)
    ids = list(session.scalars(select(Case.id).join(Consumer, Case.consumer_id == Consumer.id).where(column == value)))
    return Lookup(kind, masked, ids)


def case_ids_for(session: Session, term: str) -> list[int]:
    """The ids of cases the term finds through personal data (the text search ORs these in)."""
    found = lookup(session, term)
    return found.case_ids if found else []
