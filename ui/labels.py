"""What the window says instead of codes: field codes to Chinese labels, in one place, and errors without codes.

The `liaison` command keeps its `【field】说明` messages (a contract); the window turns the same
errors into `字段名：说明`, and any code value inside a message (on_site, store, basically_satisfied…)
into its Chinese label.
"""
from __future__ import annotations

import re

_TOKEN = re.compile(r"(?<![A-Za-z0-9_.])([a-z][a-z0-9_]*(?:\.[a-z_]+)?)(?![A-Za-z0-9_])")


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(field labels, code labels), made the first time a message is shown (not at start-up: they pull
    the database layer in)."""
    from app.desk import vocabulary

    return vocabulary()


def code_labels() -> dict[str, str]:
    """Every code value (and field code) a message may carry, with its Chinese label."""
    return _tables()[1]


def field_label(field: str) -> str:
    """`consumer.name` -> 消费者姓名; a row-prefixed field (ledger: `第3行 amount_paid`) keeps its row."""
    row, _, code = field.rpartition(" ")
    fields, labels = _tables()
    label = fields.get(code) or labels.get(code) or ("" if _TOKEN.fullmatch(code) else code)
    return f"{row} {label}".strip()


def plain(text: str) -> str:
    """A message with every code value or field code in it replaced by its Chinese label."""
    labels = code_labels()
    text = re.sub(r"【([^】]*)】", lambda m: (field_label(m.group(1)) + "：") if field_label(m.group(1)) else "", text)
    text = re.sub(r"([a-z_]+)（([^）]*)）", lambda m: m.group(2) if m.group(1) in labels else m.group(0), text)
    return _TOKEN.sub(lambda m: labels.get(m.group(1), m.group(1)), text)


def message(error: Exception) -> str:
    """An error from app/ as the window shows it: 字段名：说明, one line per field, no codes."""
    from app.core.errors import FieldError, InputError

    if isinstance(error, InputError):
        return "\n".join(message(e) for e in error.errors)
    if isinstance(error, FieldError):
        label = field_label(error.field)
        return plain(f"{label}：{error.message}" if label else error.message)
    return plain(str(error))
