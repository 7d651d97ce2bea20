"""What a write changed, so every open screen can tell whether to refresh (after Anki's OpChanges)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    """Told to every open screen after a write: each refreshes what it shows of these."""

    cases: frozenset[str] = frozenset()  # these case numbers
    all_cases: bool = False  # many or unknown cases: an import, a purge, new due dates for every open case
    settings: bool = False
    calendar: bool = False  # a holiday arrangement: every open case's dates
    merchants: bool = False
    staff: bool = False
    database: bool = False  # another database altogether: a restore, the demo desk

    @classmethod
    def case(cls, case_no: str) -> Changes:
        return cls(cases=frozenset({case_no}))

    @property
    def touches_cases(self) -> bool:
        return bool(self.cases) or self.all_cases or self.calendar or self.database

