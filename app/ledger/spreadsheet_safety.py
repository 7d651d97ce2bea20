"""Spreadsheet formula injection: exported cells that a spreadsheet would run as formulas stay text.

A cell starting with = + - @ (also after leading spaces, tabs, line breaks or invisible characters such
as U+FEFF and zero-width spaces, which a spreadsheet skips) could be taken for a formula (=HYPERLINK(…), =WEBSERVICE(…)). In .xlsx every text cell is a string cell (app/ledger/xlsx_stream); in .csv it is
prefixed with an apostrophe, which Excel and WPS show as text. The import removes that apostrophe again.
"""
from __future__ import annotations

import unicodedata

TRIGGERS = ("=", "+", "-", "@")


def _leading_blank(ch: str) -> bool:
    """White space, control and format characters (U+FEFF, U+200B…U+200F, U+2060…): nothing a reader sees."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def is_risky(value) -> bool:
    if not isinstance(value, str):
        return False
    i = 0
    while i < len(value) and _leading_blank(value[i]):
        i += 1
    return value.startswith(TRIGGERS, i)


def csv_cell(value):
    return "'" + value if is_risky(value) else value


def unquote(text: str) -> str:
    """An apostrophe the CSV export put before formula-like text is not part of the value."""
    return text[1:] if text.startswith("'") and is_risky(text[1:]) else text
