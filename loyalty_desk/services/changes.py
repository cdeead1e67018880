"""Whether the store changed: the screens ask this to show the store's truth after every action,
wherever it was made (this desk, the command line, central's change feed, a job)."""

from __future__ import annotations

from collections.abc import Callable


class StoreChanges:
    """``version()`` moves whenever anything is committed to the store; compare two readings."""

    def __init__(self, counter: Callable[[], int] | None) -> None:
        self._counter = counter

    @property
    def available(self) -> bool:
        return self._counter is not None

    def version(self) -> int:
        """A number that differs from the previous reading after any commit; 0 when the store cannot tell."""
        return self._counter() if self._counter is not None else 0
