"""Errors that say what went wrong: the field, a Chinese message, and the values the message names.

A message may name values with {placeholders}. A value that is a code of a table (Code) or the codes a
table allows (Choices) is written as the code on the command line, where people type codes, and as its
Chinese label in the window. Each front end turns errors into text in one place: `liaison` prints
`【field】message` (a contract, interchange.md; app/cli), the window `字段名：说明` (ui/errors.message).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One code value named in a message (a state, a remedy, a category …)."""

    table: Mapping[str, str]
    value: object

    def shown(self, window: bool) -> str:
        if window and isinstance(self.value, str) and self.value in self.table:
            return self.table[self.value]
        return str(self.value)


@dataclass(frozen=True)
class Choices:
    """The codes a table allows, listed in a message: `refund（退货退款）、…`, or in the window the labels."""

    table: Mapping[str, str]

    def shown(self, window: bool) -> str:
        return "、".join(self.table.values()) if window else "、".join(f"{k}（{v}）" for k, v in self.table.items())


class FieldError(ValueError):
    def __init__(self, field: str, message: str, **params: object):
        self.field = field
        self.template = message
        self.params = params
        self.message = self.text(window=False)
        # str() of the error is plain UTF-8 even when the message quotes a lone surrogate of hostile input
        # (pydantic, app/cases/intake, takes the str() of an error raised in a validator)
        super().__init__(f"【{field}】{self.message}".encode("utf-8", "backslashreplace").decode("utf-8"))

    def text(self, window: bool) -> str:
        """The message, its values written for the window (labels) or for the command line (codes)."""
        if not self.params:
            return self.template
        return self.template.format_map({k: v.shown(window) if isinstance(v, (Code, Choices)) else v
                                         for k, v in self.params.items()})


class InputError(ValueError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
