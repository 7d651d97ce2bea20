"""Statute texts as data (resources/texts/articles.json): law, article, wording, version and source.

Everything printed or shown that quotes a law takes the words from here, so one place holds the
current wording and says which version it is and where it was checked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from app.core.resources import resource_path


@dataclass(frozen=True)
class Statute:
    key: str
    law: str  # 《中华人民共和国产品质量法》
    short: str  # 《产品质量法》
    article: str  # 第四十七条
    text: str
    version: str  # ISO date of the version quoted
    version_text: str
    source: str  # where the wording was checked
    note: str = ""

    def quote(self, full_name: bool = False) -> str:
        """《产品质量法》第四十七条规定：“……”"""
        return f"{self.law if full_name else self.short}{self.article}规定：“{self.text}”"

    def as_json(self) -> dict:
        out = {"law": self.law, "article": self.article, "text": self.text, "version": self.version,
               "source": self.source}
        if self.note:
            out["note"] = self.note
        return out


@cache
def statutes() -> dict[str, Statute]:
    data = json.loads(resource_path("texts", "articles.json").read_text(encoding="utf-8"))
    return {k: Statute(k, d["law"], d.get("short", d["law"]), d["article"], d["text"], d["version"],
                       d.get("version_text", ""), d["source"], d.get("note", "")) for k, d in data.items()}


def statute(key: str) -> Statute:
    return statutes()[key]


def expand(text: str) -> str:
    """Replace each {{key}} in a template text by the quotation of that article."""
    out = text
    for key, s in statutes().items():
        out = out.replace("{{" + key + "}}", s.quote())
    return out
