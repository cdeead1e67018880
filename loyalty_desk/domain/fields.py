"""A form's fields checked all at once: every problem is collected, then raised together, so a
screen marks each bad field at its place."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from loyalty_desk.domain.errors import DomainError, ValidationError


class FieldErrors(list[ValidationError]):
    """The problems found so far, one a bad field."""

    def keep(self, value: Any) -> Any:
        """``value`` when it is good; a problem is kept and ``None`` stands in for the value."""
        if isinstance(value, ValidationError):
            self.append(value)
            return None
        return value

    def names(self, fields: Mapping[str, Any], *, required: str, too_long: str, maximum: int) -> dict[str, str]:
        """The Chinese and English names, each required (code ``required``) and at most ``maximum``
        characters (code ``too_long``)."""
        names: dict[str, str] = {}
        for field in ("name_zh", "name_en"):
            value = fields.get(field)
            name = "" if value is None else str(value).strip()
            if not name:
                self.append(ValidationError(required, field=field))
            elif len(name) > maximum:
                self.append(ValidationError(too_long, field=field, maximum=maximum, actual=len(name)))
            names[field] = name
        return names


class InvalidFields(ValidationError):
    """Several fields refused at once; the first one's code and field, every one in ``errors``."""

    def __init__(self, errors: list[ValidationError]) -> None:
        first = errors[0]
        super().__init__(first.code, **dict(first.params))
        self.errors = tuple(errors)


def run_checks(checks: Iterable[tuple[str, Callable[[], Any]]]) -> tuple[dict[str, Any], list[DomainError]]:
    """Each field's check run on its own: (the clean values of those that passed, every refusal)."""
    clean: dict[str, Any] = {}
    problems: list[DomainError] = []
    for key, check in checks:
        try:
            clean[key] = check()
        except DomainError as error:
            problems.append(error)
    return clean, problems
