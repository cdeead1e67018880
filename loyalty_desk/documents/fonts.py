"""One place that finds and registers the CJK TrueType font every printed document embeds.

Looked for, in order: the file named by ``LOYALTY_DESK_CJK_FONT``; the fonts shipped in
``resources/fonts`` (a Noto Sans SC subset); common system fonts with TrueType outlines
(Windows, macOS, Linux). reportlab embeds a subset of the glyphs used, so the PDF looks the
same everywhere and its text can be extracted. When none is found the document is refused
with ``documents.no_cjk_font`` (a sentence that names where we looked), never printed with
boxes instead of the member's name.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.resources import resource_path

FONT_ENV = "LOYALTY_DESK_CJK_FONT"
FONT_NAME = "LoyaltyDeskCJK"
BUNDLED_FONTS = ("NotoSansSC-Subset.ttf", "NotoSansSC-Regular.ttf")
# TrueType-outline CJK fonts commonly present (reportlab cannot embed CFF/OpenType-PS fonts).
SYSTEM_FONTS = (
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

_lock = threading.Lock()
_registered: str | None = None


def candidate_paths() -> list[Path]:
    paths: list[Path] = []
    configured = os.environ.get(FONT_ENV)
    if configured:
        paths.append(Path(configured).expanduser())
    for name in BUNDLED_FONTS:
        try:
            paths.append(resource_path("fonts", name))
        except FileNotFoundError:  # no resources folder at all
            break
    paths.extend(Path(p) for p in SYSTEM_FONTS)
    return paths


def cjk_font() -> str:
    """The registered reportlab name of the CJK font (registered once per process, thread-safe).

    Raises ``DomainError("documents.no_cjk_font", looked_in=...)`` when no usable font exists."""
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is not None:
            return _registered
        looked: list[str] = []
        for path in candidate_paths():
            looked.append(str(path))
            if not path.is_file():
                continue
            try:
                pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
            except (TTFError, OSError, ValueError):
                continue
            _registered = FONT_NAME
            return _registered
        raise DomainError("documents.no_cjk_font", looked_in=", ".join(looked), env=FONT_ENV)


def reset_for_tests() -> None:
    """Forget the registration (tests that point ``LOYALTY_DESK_CJK_FONT`` elsewhere)."""
    global _registered
    with _lock:
        _registered = None


def local_time(at: datetime) -> datetime:
    """Stored times are naive UTC; printed documents show the desk's local time."""
    return at.replace(tzinfo=UTC).astimezone() if at.tzinfo is None else at.astimezone()


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines that fit ``width``: CJK text breaks between any two characters, Latin at spaces."""
    lines: list[str] = []
    current = ""
    for token in _break_tokens(text):
        candidate = current + token
        if current and pdfmetrics.stringWidth(candidate, font, size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def _break_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) > 0x2E7F:  # CJK and full-width: each character may end a line
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens
