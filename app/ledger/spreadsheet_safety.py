"""Spreadsheet formula injection: exported cells that a spreadsheet would run as formulas stay text.

A cell starting with = + - @ (also after leading spaces, tabs or line breaks) could be taken for a
formula (=HYPERLINK(…), =WEBSERVICE(…)). In .xlsx every text cell is a string cell (app/ledger/xlsx_stream); in .csv it is
prefixed with an apostrophe, which Excel and WPS show as text. The import removes that apostrophe again.
"""
from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@")


def is_risky(value) -> bool:
    return isinstance(value, str) and value.lstrip(" \t\r\n").startswith(TRIGGERS)


def csv_cell(value):
    return "'" + value if is_risky(value) else value


def unquote(text: str) -> str:
    """An apostrophe the CSV export put before formula-like text is not part of the value."""
    return text[1:] if text.startswith("'") and is_risky(text[1:]) else text
