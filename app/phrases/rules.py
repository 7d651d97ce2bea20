"""What a phrase is and how it is checked and found: a short title, its text, and where it applies.

Where it applies is a code of app/core/codes.py PHRASE_FOR; "all" phrases are offered in every text box.
Finding: every word typed (split on spaces) must occur in the title or the text, case ignored; titles
that start with what was typed come first, then other title matches, then matches in the text only.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import codes
from app.core.errors import FieldError, InputError
from app.storage import models

TITLE_MAX = 12  # what a clerk types to find it: short
BODY_MAX = 2000


@dataclass(frozen=True)
class Phrase:
    id: int
    title: str
    body: str
    applies_to: str  # a code of codes.PHRASE_FOR

    @property
    def where(self) -> str:
        return codes.PHRASE_FOR.get(self.applies_to, self.applies_to)

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "text": self.body, "for": self.applies_to}


def of(row: models.Phrase) -> Phrase:
    return Phrase(row.id, row.title, row.body, row.applies_to)


def checked(title: str, body: str, applies_to: str) -> tuple[str, str, str]:
    """The three values as stored, or every wrong one at once (InputError)."""
    title, body, applies_to = (title or "").strip(), (body or "").strip(), (applies_to or "all").strip()
    errors = []
    if not title:
        errors.append(FieldError("phrase.title", "请填写简称（如“七日”），输入时按它查找"))
    elif len(title) > TITLE_MAX:
        errors.append(FieldError("phrase.title", f"简称最多 {TITLE_MAX} 个字，现为 {len(title)} 个字"))
    elif any(ch.isspace() for ch in title):
        errors.append(FieldError("phrase.title", "简称中不能有空格"))
    if not body:
        errors.append(FieldError("phrase.body", "请填写常用语的内容"))
    elif len(body) > BODY_MAX:
        errors.append(FieldError("phrase.body", f"内容最多 {BODY_MAX} 个字，现为 {len(body)} 个字"))
    if applies_to not in codes.PHRASE_FOR:
        errors.append(FieldError("phrase.for", f"适用于须为：{'、'.join(f'{k}（{v}）' for k, v in codes.PHRASE_FOR.items())}"))
    if errors:
        raise InputError(errors)
    return title, body, applies_to


def check_where(applies_to: str | None) -> None:
    if applies_to is not None and applies_to not in codes.PHRASE_FOR:
        raise FieldError("phrase.for", f"适用于须为：{'、'.join(f'{k}（{v}）' for k, v in codes.PHRASE_FOR.items())}")


def listed(session: Session, applies_to: str | None = None) -> list[Phrase]:
    """Every phrase (None), or those offered in a text box of that kind: its own and the general ones."""
    q = select(models.Phrase).order_by(models.Phrase.id)
    if applies_to is not None and applies_to != "all":
        q = q.where(models.Phrase.applies_to.in_((applies_to, "all")))
    elif applies_to == "all":
        q = q.where(models.Phrase.applies_to == "all")
    return [of(r) for r in session.scalars(q)]


def get(session: Session, phrase_id: int) -> models.Phrase:
    row = session.get(models.Phrase, phrase_id)
    if row is None:
        raise FieldError("phrase.id", f"没有编号为 {phrase_id} 的常用语")
    return row


def check_title_free(session: Session, title: str, phrase_id: int | None = None) -> None:
    q = select(models.Phrase.id).where(func.lower(models.Phrase.title) == title.lower())
    if phrase_id is not None:
        q = q.where(models.Phrase.id != phrase_id)
    if session.scalar(q) is not None:
        raise FieldError("phrase.title", f"已有简称为“{title}”的常用语，请换一个简称")


def matching(phrases: Iterable[Phrase], typed: str) -> list[Phrase]:
    """The phrases that match what was typed, best first (see the module's docstring)."""
    words = [w.casefold() for w in typed.split()]
    if not words:
        return list(phrases)
    ranked = []
    for i, p in enumerate(phrases):
        title, body = p.title.casefold(), p.body.casefold()
        if not all(w in title or w in body for w in words):
            continue
        rank = 0 if title.startswith(words[0]) else 1 if any(w in title for w in words) else 2
        ranked.append((rank, i, p))
    return [p for _r, _i, p in sorted(ranked, key=lambda t: (t[0], t[1]))]
