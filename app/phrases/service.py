"""The desk's canned answers: anyone lists them; a supervisor adds, edits and removes them (audited)."""
from __future__ import annotations

from app.core import codes
from app.phrases import rules
from app.phrases.rules import Phrase
from app.staff import audit, identity
from app.storage import models
from app.storage.db import Service

WHAT = "修改常用语"


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


class PhraseService(Service):
    FOR = codes.PHRASE_FOR  # where a phrase applies: code → label
    matching = staticmethod(rules.matching)

    def list(self, applies_to: str | None = None) -> list[Phrase]:
        """All phrases, or those offered in a text box of that kind (its own and the general ones)."""
        rules.check_where(applies_to)
        with self.store.read() as s:
            return rules.listed(s, applies_to)

    def add(self, title: str, body: str, applies_to: str = "all") -> Phrase:
        title, body, applies_to = rules.checked(title, body, applies_to)
        with self.store.write() as s:
            identity.require(s, "supervisor", WHAT)
            rules.check_title_free(s, title)
            row = models.Phrase(title=title, body=body, applies_to=applies_to)
            s.add(row)
            s.flush()
            phrase = rules.of(row)
            audit.record(s, "phrases", detail=f"新增常用语“{title}”（{phrase.where}）：{_short(body)}")
            return phrase

    def edit(self, phrase_id: int, title: str, body: str, applies_to: str) -> Phrase:
        title, body, applies_to = rules.checked(title, body, applies_to)
        with self.store.write() as s:
            identity.require(s, "supervisor", WHAT)
            row = rules.get(s, phrase_id)
            rules.check_title_free(s, title, phrase_id)
            before = rules.of(row)
            row.title, row.body, row.applies_to = title, body, applies_to
            after = rules.of(row)
            changes = [f"简称“{before.title}” → “{after.title}”"] if before.title != after.title else []
            if before.applies_to != after.applies_to:
                changes.append(f"适用于 {before.where} → {after.where}")
            if before.body != after.body:
                changes.append(f"内容“{_short(before.body)}” → “{_short(after.body)}”")
            audit.record(s, "phrases", detail=f"修改常用语“{before.title}”：" + ("；".join(changes) or "未改动"))
            return after

    def remove(self, phrase_id: int) -> None:
        with self.store.write() as s:
            identity.require(s, "supervisor", WHAT)
            row = rules.get(s, phrase_id)
            gone = rules.of(row)
            s.delete(row)
            audit.record(s, "phrases", detail=f"删除常用语“{gone.title}”（{gone.where}）：{_short(gone.body)}")
