"""Background work for the screens: plain functions in a thread pool, results back through queued signals.

    task = runner.run(services.lookup.search, text="1234", on_result=self._show)
    task = runner.write(services.members.reveal, session=s, member_no=n, reason=r, on_result=...)
    task = runner.run(job, progress=True, progress_parent=self, progress_title=self.tr("Exporting"))
    task = runner.run(services.sync.status, quiet=True, on_result=...)   # a poll: the desk does not look busy

Reads run on a small pool; writes run on one serialised worker (a single-thread pool), so two
writes from this desk never race each other. A function that takes ``progress=True`` gets a
``TaskState`` as its first argument (``set_progress``, ``set_status``, ``is_cancelled``) and is
testable without Qt. The UI thread never waits on a task.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from loyalty_desk.translatable import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 400


class TaskState:
    """What a long function sees: report progress, ask whether the user cancelled. Thread-safe."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._cancelled = threading.Event()

    def set_progress(self, done: int, total: int) -> None:
        self._task._worker_progress.emit(int(done), int(total))

    def set_status(self, text: str) -> None:
        self._task._worker_status.emit(str(text))

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()


class _Box:
    """Carries a value across threads. PySide6 6.12 decrements the reference count of ``True`` and
    ``False`` each time one is emitted through a Python-defined signal (a crash at exit follows), so
    no bare bool ever goes through a signal here: worker results travel boxed."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class UnexpectedError(Exception):
    """Wraps an exception that is not a domain error; ``incident`` is the id logged with its traceback."""

    def __init__(self, incident: str, original: BaseException) -> None:
        super().__init__(f"{incident}: {original!r}")
        self.incident = incident
        self.original = original


class Task(QObject):
    """A handle on one background call. Its public ``sig_*`` signals are emitted on the UI thread.

    The worker thread emits only the private ``_worker_*`` signals; they reach this object (which
    lives on the UI thread) through queued connections, and it re-emits them as ``sig_*``, so any
    callable connected to ``sig_*`` runs on the UI thread whatever kind of callable it is.
    """

    _worker_finished = Signal(object)
    _worker_failed = Signal(object)
    _worker_progress = Signal(int, int)
    _worker_status = Signal(str)

    sig_finished = Signal(object)  # the function's result
    sig_failed = Signal(object)  # the exception (DomainError, or UnexpectedError with an incident id)
    sig_progress = Signal(int, int)
    sig_status = Signal(str)
    sig_done = Signal()  # after finished or failed

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.state = TaskState(self)
        self.is_done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self._on_result: list[Callable[[Any], None]] = []
        self._on_error: list[Callable[[BaseException], None]] = []
        queued = Qt.ConnectionType.QueuedConnection
        self._worker_finished.connect(self._on_finished, queued)
        self._worker_failed.connect(self._on_failed, queued)
        self._worker_progress.connect(self.sig_progress, queued)
        self._worker_status.connect(self.sig_status, queued)

    def cancel(self) -> None:
        self.state.cancel()

    def _on_finished(self, box: _Box) -> None:
        self.result, self.is_done = box.value, True
        try:
            for callback in self._on_result:
                _call(callback, box.value)
            self.sig_finished.emit(int(box.value) if isinstance(box.value, bool) else box.value)  # see _Box
        finally:
            self.sig_done.emit()  # the runner forgets the task even if a callback failed

    def _on_failed(self, error: BaseException) -> None:
        self.error, self.is_done = error, True
        try:
            for callback in self._on_error:
                _call(callback, error)
            self.sig_failed.emit(error)
        finally:
            self.sig_done.emit()


def _call(callback: Callable[[Any], None], value: Any) -> None:
    """A screen closed while its task ran: its widgets are gone, and the answer is no longer wanted."""
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        log.debug("task answer dropped: %r was deleted", type(owner).__name__)
        return
    try:
        callback(value)
    except RuntimeError as error:
        if "already deleted" not in str(error) and "has been deleted" not in str(error):
            raise
        log.debug("task answer dropped: %s", error)


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], pass_state: bool) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task, self._fn, self._args, self._kwargs, self._pass_state = task, fn, args, kwargs, pass_state

    def run(self) -> None:
        task = self._task
        try:
            args = (task.state, *self._args) if self._pass_state else self._args
            result = self._fn(*args, **self._kwargs)
        except Exception as error:
            from loyalty_desk.domain.errors import DomainError

            if not isinstance(error, DomainError):
                incident = uuid.uuid4().hex[:8].upper()
                log.exception("task %s failed (incident %s)", task.name, incident)
                error = UnexpectedError(incident, error)
            task._worker_failed.emit(error)
        else:
            task._worker_finished.emit(_Box(result))


class TaskRunner(QObject):
    """Runs reads on a pool and writes on one serialised worker."""

    sig_busy_changed = Signal(int)  # 1 busy, 0 idle (never a bool through a signal: see _Box)
    sig_write_finished = Signal()  # a write task ended without an error: the store may have changed

    def __init__(self, parent: QObject | None = None, *, read_threads: int = 3) -> None:
        super().__init__(parent)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(read_threads)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._active: set[Task] = set()
        self._quiet: set[Task] = set()  # tasks started with quiet=True (kept alive here, not counted as busy)
        self._closed = False

    # ------------------------------------------------------------------ public

    def run(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Task:
        """A read (or any work that does not change the store)."""
        return self._start(self._reads, fn, args, kwargs)

    def write(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Task:
        """Work that changes the store: queued behind every earlier write of this desk."""
        task = self._start(self._writes, fn, args, kwargs)
        task.sig_finished.connect(self._write_finished)
        return task

    def _write_finished(self, _result: Any) -> None:
        self.sig_write_finished.emit()

    def active_count(self) -> int:
        return len(self._active)

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        """For shutdown and tests only: blocks until both pools are idle."""
        return self._reads.waitForDone(msecs) and self._writes.waitForDone(msecs)

    def close(self, msecs: int = 30_000) -> bool:
        """At shutdown, before the store closes: starts nothing more (a view laid out once more as its
        window goes, a timer's last tick) and waits for what runs. A query still running on a store
        being closed under it can crash the process."""
        self._closed = True
        return self.wait_for_done(msecs)

    # ------------------------------------------------------------------ internals

    def _start(self, pool: QThreadPool, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Task:
        on_result: Callable[[Any], None] | None = kwargs.pop("on_result", None)
        on_error: Callable[[BaseException], None] | None = kwargs.pop("on_error", None)
        with_progress: bool = kwargs.pop("progress", False)
        progress_parent: QWidget | None = kwargs.pop("progress_parent", None)
        progress_title: str = kwargs.pop("progress_title", "")
        quiet: bool = kwargs.pop("quiet", False)  # a periodic poll (the sync status): never shows the desk as busy
        name = getattr(fn, "__qualname__", repr(fn))
        task = Task(name, self)
        if self._closed:
            log.debug("task %s not started: the desk is shutting down", name)
            return task
        if on_result is not None:
            task._on_result.append(on_result)
        if on_error is not None:
            task._on_error.append(on_error)
        else:
            task._on_error.append(lambda error: log.warning("task %s failed: %r", name, error))
        if quiet:
            self._quiet.add(task)
            task.sig_done.connect(lambda: self._quiet_finished(task))
            pool.start(_Runnable(task, fn, args, kwargs, with_progress))
            return task
        self._active.add(task)
        was_idle = len(self._active) == 1
        task.sig_done.connect(lambda: self._finished(task))
        if with_progress and progress_parent is not None:
            _ProgressDialogOwner(task, progress_parent, progress_title)
        pool.start(_Runnable(task, fn, args, kwargs, with_progress))
        if was_idle:
            self.sig_busy_changed.emit(1)
        return task

    def _finished(self, task: Task) -> None:
        self._active.discard(task)
        task.deleteLater()
        if not self._active:
            self.sig_busy_changed.emit(0)

    def _quiet_finished(self, task: Task) -> None:
        self._quiet.discard(task)
        task.deleteLater()


class LatestRead(QObject):
    """A read that runs one at a time: asked for again while one is on its way, it runs once more when
    that one answers, so the last answer is never older than the last request and two never overlap.
    Quiet (a poll: the desk never looks busy); after a failure the next request starts afresh."""

    def __init__(self, runner: TaskRunner, fn: Callable[..., Any], on_result: Callable[[Any], None], parent: QObject, **kwargs: Any) -> None:
        super().__init__(parent)
        self._runner, self._fn, self._on_result, self._kwargs = runner, fn, on_result, kwargs
        self.running = False
        self._again = False

    def request(self) -> None:
        if self.running:
            self._again = True
            return
        self.running = True
        self._runner.run(self._fn, quiet=True, on_result=self._answered, on_error=self._failed, **self._kwargs)

    def _answered(self, value: Any) -> None:
        self.running = False
        self._on_result(value)
        if self._again:
            self._again = False
            self.request()

    def _failed(self, _error: BaseException) -> None:
        self.running = False
        self._again = False


# What long work reports it is doing (``Progress.set_status`` codes), in words for the progress dialog.
STATUSES: dict[str, str] = {
    "audit.export": QT_TRANSLATE_NOOP("Progress", "Writing the audit trail to the workbook…"),
    "audit.verify": QT_TRANSLATE_NOOP("Progress", "Checking the audit trail's hash chain…"),
    "export.approvals": QT_TRANSLATE_NOOP("Progress", "Writing pending approvals to the workbook…"),
    "export.expiring": QT_TRANSLATE_NOOP("Progress", "Writing the points expiring to the workbook…"),
    "export.journal": QT_TRANSLATE_NOOP("Progress", "Writing the branch daily journal to the workbook…"),
    "export.ledger": QT_TRANSLATE_NOOP("Progress", "Writing the ledger to the workbook…"),
    "export.members": QT_TRANSLATE_NOOP("Progress", "Writing the members to the workbook…"),
    "export.redemptions": QT_TRANSLATE_NOOP("Progress", "Writing redemptions and stock to the workbook…"),
    "export.referrals": QT_TRANSLATE_NOOP("Progress", "Writing the referral report to the workbook…"),
    "expiry.finding": QT_TRANSLATE_NOOP("Progress", "Finding the points that expire…"),
    "expiry.posting": QT_TRANSLATE_NOOP("Progress", "Posting the expired points…"),
    "import.checking": QT_TRANSLATE_NOOP("Progress", "Checking the rows…"),
    "import.posting": QT_TRANSLATE_NOOP("Progress", "Posting the rows…"),
    "import.reading": QT_TRANSLATE_NOOP("Progress", "Reading the file…"),
    "outreach.building": QT_TRANSLATE_NOOP("Progress", "Writing the messages for the segment's members…"),
    "outreach.sending": QT_TRANSLATE_NOOP("Progress", "Sending the messages to the SMS platform…"),
    "statements.building": QT_TRANSLATE_NOOP("Progress", "Building the statements…"),
    "statements.reading": QT_TRANSLATE_NOOP("Progress", "Reading the members' entries…"),
    "statements.writing": QT_TRANSLATE_NOOP("Progress", "Writing the statements…"),
    "sync.pull": QT_TRANSLATE_NOOP("Progress", "Receiving changes from head office…"),
    "sync.start": QT_TRANSLATE_NOOP("Progress", "Sending and receiving…"),
}


def status_text(status: str) -> str:
    """A status code in words; text that is not a code is shown as it is."""
    text = STATUSES.get(status)
    return QCoreApplication.translate("Progress", text) if text else status


class _ProgressDialogOwner(QObject):
    """Shows a progress dialog with Cancel if the task is still running after a short delay."""

    def __init__(self, task: Task, parent: QWidget, title: str) -> None:
        super().__init__(task)
        self._task = task
        self._parent = parent
        self._title = title
        self.dialog: QProgressDialog | None = None
        self._done = 0
        self._total = 0
        self._status = ""
        task.sig_progress.connect(self._on_progress)
        task.sig_status.connect(self._on_status)
        task.sig_done.connect(self._close)
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show)

    def _show(self) -> None:
        if self._task.is_done or self.dialog is not None:
            return
        dialog = QProgressDialog(self._parent)
        dialog.setWindowTitle(self._title)
        dialog.setLabelText(self._status or self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setRange(0, self._total)
        dialog.setValue(self._done)
        dialog.canceled.connect(self._task.cancel)
        dialog.destroyed.connect(self._forget)
        self.dialog = dialog
        dialog.show()

    def _forget(self, *_: object) -> None:
        self.dialog = None

    def _on_progress(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        if self.dialog is not None:
            self.dialog.setRange(0, total)
            self.dialog.setValue(done)

    def _on_status(self, text: str) -> None:
        text = status_text(text)
        self._status = text
        if self.dialog is not None:
            self.dialog.setLabelText(text)

    def _close(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            try:
                dialog.close()
                dialog.deleteLater()
            except RuntimeError:  # its parent window went first
                pass
