"""A Qt-free marker for text that Qt translates later.

``pyside6-lupdate`` collects every ``QT_TRANSLATE_NOOP(context, text)`` call by its name, so the
catalogues that the command line also uses (no Qt there) can still feed the translation files.
PySide6's own marker is typed as returning ``object``; this one returns the text as ``str``.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, source_text: str) -> str:
    """``source_text`` unchanged; ``context`` is read only by ``pyside6-lupdate``."""
    return source_text
