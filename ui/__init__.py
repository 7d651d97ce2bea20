"""The window (PySide6). Importing this package first keeps PySide6 from caching every module's source.

PySide6 replaces `__import__`, and after each later import it asks whether the module mentions
"PySide6" (for its opt-in `from __feature__ import …`, which the desk does not use) with
inspect.getsource. That puts the source text of every module imported afterwards into linecache for
good: about 20 MB of the window's memory and a tenth of its start. The same question is answered here
by reading the file once, keeping nothing.
"""
from __future__ import annotations


def _mentions_pyside(module) -> bool:
    try:
        with open(module.__file__, "rb") as source:
            return b"PySide6" in source.read()
    except (AttributeError, TypeError, OSError):  # built-in, frozen or bundled: no source, as before
        return False


def _answer_without_caching_sources() -> None:
    from PySide6 import QtCore  # noqa: F401 - loads the support package that holds the hook

    try:
        from PySide6.support import feature  # type: ignore[attr-defined]  # PySide6 ships no stub for it
    except ImportError:
        return
    if callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _mentions_pyside


_answer_without_caching_sources()
