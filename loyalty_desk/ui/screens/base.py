"""What every screen and screen-like dialog shares: the banner, the busy state, background work over
the task runner, and the guard that lets only the latest of several overlapping reads show its answer.

    class StaffScreen(Screen):
        def refresh(self) -> None:
            self.run_latest("list", self._services.staff_admin.list, session=self._context.session, on_result=self._loaded)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.widgets import LayoutItem, SupervisorSignInDialog, add_all, column, dialog_column, push_button, selected_record, set_banner

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from loyalty_desk.bootstrap import Services
    from loyalty_desk.ui.screens.context import ScreenContext
    from loyalty_desk.ui.tasks import Task


D = TypeVar("D", bound=QDialog)


def banner_label() -> QLabel:
    """A screen's banner line: hidden until there is something to say."""
    label = QLabel()
    label.setObjectName("Banner")
    label.setWordWrap(True)
    label.hide()
    return label


def page_layout(widget: QWidget, *items: LayoutItem) -> QVBoxLayout:
    """The margins and spacing of a full screen, with ``items`` one under the other (see ``add_all``)."""
    return column(widget, (24, 16, 24, 16), 10, *items)


def title_row(title: QWidget, beside: QWidget | None, *buttons: QWidget) -> QHBoxLayout:
    """A screen's title line: the title, ``beside`` it what takes the free width (or nothing), then ``buttons``."""
    row = QHBoxLayout()
    row.addWidget(title)
    if beside is None:
        row.addStretch(1)
    else:
        row.addSpacing(12)
        row.addWidget(beside, 1)
    for button in buttons:
        row.addWidget(button)
    return row


def back_title_row(back: QWidget, title: QWidget, *after: QWidget) -> QHBoxLayout:
    """The title line of a screen reached from another: the way back, the title, then ``after`` at the right."""
    row = QHBoxLayout()
    row.addWidget(back)
    row.addSpacing(8)
    add_all(row, title, 1, *after)
    return row


def filter_grid(widgets: Sequence[QWidget], per_line: int = 3) -> tuple[list[QLabel], QGridLayout]:
    """Filters ``per_line`` a line, each after its label (retranslate names them): in one line they
    would push the window past a 1024 px screen."""
    labels = [QLabel() for _ in widgets]
    grid = QGridLayout()
    grid.setHorizontalSpacing(8)
    grid.setVerticalSpacing(6)
    for i, (label, widget) in enumerate(zip(labels, widgets, strict=True)):
        label.setBuddy(widget)
        grid.addWidget(label, i // per_line, (i % per_line) * 2)
        grid.addWidget(widget, i // per_line, (i % per_line) * 2 + 1)
    return labels, grid


class _IfLatest:
    """Passes an answer on only while its request is still the latest of its kind. ``__self__`` names
    the screen, so the runner drops the answer when the screen is gone (as for a bound method)."""

    def __init__(self, owner: ScreenWork, key: str, request: int, callback: Callable[[Any], None]) -> None:
        self.__self__ = owner
        self._key, self._request, self._callback = key, request, callback

    def __call__(self, value: Any) -> None:
        if self.__self__.is_latest(self._key, self._request):
            self._callback(value)


class ScreenWork:
    """The shared half of ``Screen`` and ``ScreenDialog`` (Qt signals live on those two)."""

    _context: ScreenContext
    _services: Services
    banner: QLabel
    busy: bool
    sig_failed: SignalInstance
    buttons: QDialogButtonBox
    _latest: dict[str, int]

    def _init_work(self, context: ScreenContext) -> None:
        self._context = context
        self._services = context.services
        self.banner = banner_label()
        self.busy = False
        self._latest = {}

    # ------------------------------------------------------------------ the banner

    def set_banner(self, text: str, tone: str = "") -> None:
        set_banner(self.banner, text, tone)

    def show_error(self, error: BaseException) -> None:
        """The error in the banner, in words."""
        set_banner(self.banner, error_message(error), "error")

    def report_failure(self, error: BaseException) -> None:
        """The error in the banner, and ``sig_failed`` for whoever watches the screen."""
        self.show_error(error)
        self.sig_failed.emit(error)

    # ------------------------------------------------------------------ busy state

    def busy_widgets(self) -> Iterable[QWidget]:
        """What is disabled while a write of this screen runs."""
        return ()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in self.busy_widgets():
            widget.setEnabled(not busy)

    # ------------------------------------------------------------------ dialogs

    def open_dialog(self, attribute: str, dialog: D, on_finished: Callable[[D, int], object] | None = None) -> None:
        """Opens ``dialog`` (window-modal) and keeps it as ``self.<attribute>`` while it is open, so the
        screen opens one of its kind at a time; once it is closed the attribute is None again, the
        dialog is deleted and ``on_finished`` gets it with its result code."""
        setattr(self, attribute, dialog)

        def finished(code: int) -> None:
            setattr(self, attribute, None)
            dialog.deleteLater()
            if on_finished is not None:
                on_finished(dialog, code)

        dialog.finished.connect(finished)
        dialog.open()

    # ------------------------------------------------------------------ background work

    def run(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Task:
        """A read on the runner (``on_result``, ``on_error``, ``progress``... as ``TaskRunner.run`` takes them)."""
        return self._context.runner.run(fn, *args, **kwargs)

    def write(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Task:
        """A write on the runner's serialised worker."""
        return self._context.runner.write(fn, *args, **kwargs)

    def run_latest(self, key: str, fn: Callable[..., Any], /, *args: Any, on_result: Callable[[Any], None], **kwargs: Any) -> Task:
        """A read whose answer is shown only if no later read of the same ``key`` started meanwhile."""
        request = self.supersede(key)
        return self.run(fn, *args, on_result=_IfLatest(self, key, request, on_result), **kwargs)

    def latest_request(self, key: str) -> int:
        return self._latest.get(key, 0)

    def supersede(self, key: str) -> int:
        """Makes every answer still due for ``key`` stale; returns the number of the request now latest."""
        self._latest[key] = request = self._latest.get(key, 0) + 1
        return request

    def is_latest(self, key: str, request: int) -> bool:
        return self._latest.get(key, 0) == request


class Screen(ScreenWork, QWidget):
    """A screen of the desk (see ``ui/registry.py`` for the protocol the main window uses)."""

    sig_failed = Signal(object)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        QWidget.__init__(self, parent)
        self._init_work(context)

    def title_bar(self) -> tuple[QLabel, QPushButton]:
        """The page title and its Refresh button (F5), kept as ``self.title`` and ``self.refresh_button``."""
        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.refresh_button = push_button(icon("refresh"), self.refresh, shortcut="F5")
        return self.title, self.refresh_button

    def title_line(self, beside: QWidget | None = None, *buttons: QWidget) -> QHBoxLayout:
        """The ``title_bar`` as a ``title_row``: the title, ``beside`` it what takes the free width, ``buttons``, then Refresh."""
        self.title_bar()
        return title_row(self.title, beside, *buttons, self.refresh_button)

    def refresh(self) -> None:
        """Loads what the screen shows; a screen with nothing to load keeps this."""

    def activate(self, **_: Any) -> None:
        self.refresh()


class MemberPanel(Screen):
    """A tab of the member view: ``load`` fetches the member's data off the UI thread (the newest
    member's answer wins) and ``_show`` puts it on show, again after a change of language."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.member_no: str | None = None
        self.data: Any = None

    def fetch(self, member_no: str) -> Task:
        """Runs the service call for ``member_no`` with ``run_latest("load", ...)``, ``on_result=self._show``."""
        raise NotImplementedError

    def _show(self, data: Any) -> None:
        raise NotImplementedError

    def load(self, member_no: str | None) -> None:
        self.member_no = member_no
        if member_no is None:
            self.supersede("load")
            return
        self.fetch(member_no)

    def show_again(self) -> None:
        if self.data is not None:
            self._show(self.data)


class TableScreen(Screen):
    """A screen built around one ``record_table``, ``self.table``: the keyboard starts there and
    ``selected`` is the record of its selected row (None while none is)."""

    table: QTableView
    refill_on_select = True  # select_code shows the record again even when its row was already selected

    def default_focus(self) -> QWidget:
        return self.table

    def selected(self) -> Any:
        return selected_record(self.table)

    def _selection_changed(self, *_: object) -> None:
        """What the screen shows of the selected record; ``record_table`` calls it as the selection moves."""

    def select_code(self, code: str) -> bool:
        """Selects, scrolls to and shows the record whose ``code`` is ``code``; False when no row has it."""
        model: Any = self.table.model()
        for i in range(model.rowCount()):
            if model.row(i).code == code:
                self.table.selectRow(i)
                self.table.scrollTo(model.index(i, 0))
                if self.refill_on_select:
                    self._selection_changed()
                return True
        return False


class ScreenDialog(ScreenWork, QDialog):
    """A dialog that does its own background work, with a banner and a busy state like a screen."""

    sig_failed = Signal(object)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        QDialog.__init__(self, parent)
        self._init_work(context)

    def form_then_done(self, heading: QLabel, form: Sequence[QWidget | QLayout], next_button: QPushButton) -> None:
        """Two pages under ``heading``: the form (``form``, then the banner and ``self.buttons``) and,
        once it is filed, ``self.done_text`` and ``self.done_hint`` over ``next_button`` and Close
        (``self.pages``; ``self.close_button``)."""
        self.done_text = QLabel()
        self.done_text.setObjectName("FieldValue")
        self.done_hint = QLabel()
        self.done_hint.setObjectName("Muted")
        for label in (self.done_text, self.done_hint):
            label.setWordWrap(True)
        next_button.setObjectName("Primary")
        self.close_button = QPushButton(QCoreApplication.translate("ScreenDialog", "Close"))
        self.close_button.clicked.connect(self.accept)
        self.pages = QStackedWidget()
        for items in ((*form, self.banner, self.buttons), (self.done_text, self.done_hint, 1, _button_row(next_button, self.close_button))):
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            add_all(box, *items)
            self.pages.addWidget(page)
        dialog_column(self, heading, self.pages)


class SupervisorDialog(SupervisorSignInDialog, ScreenWork):
    """A supervisor signs in here with their own credentials, and the dialog makes the write itself;
    a refusal is shown under the credentials and the password is asked again."""

    sig_failed = Signal(object)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        SupervisorSignInDialog.__init__(self, parent)
        self._init_work(context)

    def approval_buttons(self, approve_text: str, on_approve: Callable[[], object], *actions: tuple[str, Callable[[], object]],
                         close_text: str) -> list[QPushButton]:
        """The dialog's buttons: approve (the default; ``self.approve_button``), ``actions`` (returned, in
        order) and the one that closes it (``self.cancel_button``)."""
        self.approve_button = self.buttons.addButton(approve_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.approve_button.setDefault(True)
        self.approve_button.clicked.connect(on_approve)
        more = []
        for text, slot in actions:
            button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(slot)
            more.append(button)
        self.cancel_button = self.buttons.addButton(close_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.clicked.connect(self.reject)
        return more

    def refused(self, error: BaseException) -> None:
        self.set_busy(False)
        self.password.clear()
        self.password.setFocus()
        self.show_refusal(error_message(error))
        self.sig_failed.emit(error)


def _button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row
