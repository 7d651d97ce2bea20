"""What the window says instead of codes: field codes and code values to their Chinese labels, in one place."""
from __future__ import annotations


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(field labels, code labels), made the first time a message is shown (not at start-up: they pull
    the database layer in)."""
    from app.desk import vocabulary

    return vocabulary()


def code_labels() -> dict[str, str]:
    """Every code value (and field code) a message may carry, with its Chinese label."""
    return _tables()[1]


def _is_code(text: str) -> bool:
    """An English field code (`consumer.phone`) the tables do not name: not shown to the clerk."""
    return text.isascii() and text[:1].islower() and text.replace(".", "_").isidentifier()


def field_label(field: str) -> str:
    """`consumer.name` -> 消费者姓名; a row-prefixed field (ledger: `第3行 amount_paid`) keeps its row."""
    row, _, code = field.rpartition(" ")
    fields, labels = _tables()
    label = fields.get(code) or labels.get(code) or ("" if _is_code(code) else code)
    return f"{row} {label}".strip()
