"""``QT_TRANSLATE_NOOP`` typed: PySide6's stub says it returns ``object``; like Qt's, it returns the
text unchanged, and lupdate finds the calls by this name."""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text
