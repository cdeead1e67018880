"""Dates and numbers on printed documents in the language's format: the same CLDR short formats the
screens show through QLocale (``ui/fmt.py``), so a receipt reads 01/07/2026 where the desk shows 01/07/2026."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

LOCALES = {"en": "en_GB", "zh_CN": "zh_CN"}


def document_language(language: str) -> str:
    """The language a document is written in: English for any ``en`` locale, Chinese otherwise."""
    return "en" if language.startswith("en") else "zh_CN"


def locale_for(language: str) -> str:
    return LOCALES[document_language(language)]


def number(value: int, language: str) -> str:
    return format_decimal(int(value), locale=locale_for(language))


def day(value: date | None, language: str) -> str:
    return format_date(value, "short", locale=locale_for(language)) if value else ""


def moment(value: datetime, language: str) -> str:
    """A local time to the second (receipts): the short date and a 24-hour time."""
    return f"{day(value.date(), language)} {format_time(value, 'HH:mm:ss', locale=locale_for(language))}"
