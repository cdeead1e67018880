"""Domain errors carry a stable code and parameters, never a sentence.

The code names the rule that failed (``identity.check_digit``); the parameters
say where and what (``field``, ``expected``, ``actual``). Each code's sentence is in
the error catalogue, ``loyalty_desk.messages``: the command line formats it in
English, the screens translate it (``loyalty_desk/ui/errors.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A rule of the programme refused something. ``code`` is stable across releases."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, Any] = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {dict(self.params)!r})"

    def __str__(self) -> str:
        details = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.code} ({details})" if details else self.code


class ValidationError(DomainError):
    """Bad input for one field; ``params['field']`` names it."""

    def __init__(self, code: str, *, field: str, **params: Any) -> None:
        super().__init__(code, field=field, **params)
        self.field = field


class NotFound(DomainError):
    """The thing asked for does not exist (``params['what']``, ``params['key']``)."""

    def __init__(self, what: str, key: Any) -> None:
        super().__init__("not_found", what=what, key=key)


def or_not_found(value: T | None, what: str, key: Any) -> T:
    """``value``, the row a lookup by ``key`` found; NotFound when it found none."""
    if value is None:
        raise NotFound(what, key)
    return value


class Conflict(DomainError):
    """The request contradicts what is already recorded (e.g. same operation id, other payload)."""


class Forbidden(DomainError):
    """The signed-in role may not do this."""
