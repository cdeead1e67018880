"""Tells the screens when the store changed, so every screen shows the store's truth after every
action: a redemption or an approval made here, a change pulled from central's feed by the sync
thread, a job, or the command line writing to the same store.

``StoreWatch`` reads the store's change counter (``services.changes.version()``, SQLite's
``data_version``) off the UI thread at once after each write of this desk finishes and every
``POLL_MS`` otherwise, and emits ``sig_changed`` when the number moved. The main window passes it on
to the screen on show (``on_store_changed``); the others read the store again when they are shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from loyalty_desk.ui.tasks import LatestRead, TaskRunner

POLL_MS = 1000  # changes made elsewhere (feed, command line) show within a second


class StoreWatch(QObject):
    sig_changed = Signal()

    def __init__(self, services: Any, runner: TaskRunner, parent: QObject | None = None, *, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._changes = getattr(services, "changes", None)
        self._runner = runner
        self._version: int | None = None
        self._reading = LatestRead(runner, self._changes.version, self._read, self) if self._changes is not None else None
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.check)
        runner.sig_write_finished.connect(self.check)
        self._stopped = False

    @property
    def watching(self) -> bool:
        return self._changes is not None and bool(getattr(self._changes, "available", True))

    def start(self) -> None:
        if self.watching:
            self.timer.start()
            self.check()

    def stop(self) -> None:
        """For good: the window goes (sign-out, quit) while the runner lives on."""
        self.timer.stop()
        if not self._stopped:
            self._stopped = True
            self._runner.sig_write_finished.disconnect(self.check)

    def check(self) -> None:
        """Reads the counter on a worker; one reading at a time."""
        if not self.watching or self._reading is None:
            self.sig_changed.emit()  # nothing to compare with: every write counts as a change
            return
        self._reading.request()  # a write finishing while a reading is on its way: read once more

    def _read(self, version: int) -> None:
        changed = self._version is not None and version != self._version
        self._version = version
        if changed:
            self.sig_changed.emit()
