"""Member lookup: one box that understands member no., card, mobile, last 4, ID number or name.

Typing never waits: a keystroke starts the query at once on the task runner when none is
running; keystrokes typed while one runs are folded into one query for the latest text, sent as
soon as the running one answers (no fixed debounce: the first keystroke after a pause is answered
in the time of one query). A result is shown only if it answers the latest request (sequence number). Arrow keys
move in the results from the box; Enter opens a member only when it is the single match or the row
the user moved to: with many matches Enter opens nothing and says to choose or type more. A scanner
types a full card or member number and Enter: that member opens as soon as the single match is known.
The results are read again whenever the screen is shown and when the store changes while it is on
show, so a balance in the list is never one from before the last action.

With the box empty the list shows the members served at this desk today (read from the store, so a
redemption just made adds its member), the latest first: ↓ and Enter, or Alt+1…9, reopens one.

Enrol new member… (Ctrl+Shift+N; officers and supervisors) opens the enrolment form, filled with the
searched text when nothing matched it (``ui/screens/member/enrol.py``); the new member opens afterwards.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QWidget

from loyalty_desk.services.dto import HandleKind, LookupResult, MemberSummary
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import LookupResultsModel
from loyalty_desk.ui.screens.base import Screen, title_row
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.member.enrol import ENROL_ROLES, ENROL_SHORTCUT, EnrolDialog
from loyalty_desk.ui.widgets import Resize, column, make_shortcut, named, push_button, record_table, set_tone

SERVED_KEYS = 9  # Alt+1 … Alt+9 reopen the first nine members served today
NAVIGATION_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


class LookupScreen(Screen):
    sig_open_member = Signal(str)
    sig_result_shown = Signal(object)  # LookupResult, after the table shows it (tests, benchmarks)
    sig_enter_refused = Signal()  # Enter with many matches and none chosen: nothing opened
    sig_served_shown = Signal(object)  # tuple[MemberSummary, ...]: the members served today, shown

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._seq = 0  # latest request
        self._shown_for: str | None = None  # the text the table currently answers
        self._open_when_ready = False
        self._chosen: str | None = None  # the member no. of the row the user moved to (arrows, click)
        self._notice_shown = False  # the banner says what was done for the last walk-in
        self.result: LookupResult | None = None
        self.served: tuple[MemberSummary, ...] | None = None  # on show while the box is empty
        self._served_seq = 0

        self.title = named(QLabel(), "PageTitle")
        self.search = named(QLineEdit(), "SearchBox")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMaxLength(64)
        self.hint = named(QLabel(), "Hint")

        self.model = LookupResultsModel(self)
        self.table = record_table(self.model, resize=Resize.Stretch, row_height=30)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the search box
        header = self.table.horizontalHeader()
        for section in (0, 2, 3, 5):  # member no., ID, mobile, balance: never cut at 1024 px; the rest share what is left
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)

        self.count = named(QLabel(), "Muted")
        self.enrol_dialog: EnrolDialog | None = None
        self.enrol_button = push_button(icon("user"), self.ask_enrol, shortcut=ENROL_SHORTCUT, name="EnrolButton")
        self.enrol_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the search box
        self.enrol_button.setVisible(context.session.role in ENROL_ROLES)
        top = title_row(self.title, None, self.count, self.enrol_button)

        column(self, (24, 20, 24, 20), 12, top, self.search, self.hint, self.banner, (self.table, 1))

        self._in_flight = 0  # queries sent and not yet answered
        self._pending = False  # the text changed while a query ran: search again when it answers
        self.search.textEdited.connect(self._text_edited)
        self.search.textChanged.connect(self._text_changed)
        self.search.installEventFilter(self)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.clicked.connect(lambda index: self._choose(index.row()))
        self.served_shortcuts: list[QShortcut] = []
        for number in range(1, SERVED_KEYS + 1):
            shortcut = make_shortcut(QKeySequence(f"Alt+{number}"), self, partial(self._open_served, number - 1))
            shortcut.setEnabled(False)
            self.served_shortcuts.append(shortcut)
        self.retranslate()

    # ------------------------------------------------------------------ screen protocol

    def default_focus(self) -> QWidget:
        return self.search

    def activate(self, notice: str | None = None, tone: str = "", **_: object) -> None:
        """Shown again: the text selected (the next swipe replaces it) and the list read again. With a
        ``notice`` (a walk-in served): an empty box for the next card, and the notice of what was done."""
        self.search.setFocus()
        if notice is not None:
            if self.search.text():
                self.search.clear()  # the box emptied reads today's served members (_text_changed)
            else:
                self._load_served()
            self.set_banner(notice, tone)
            self._notice_shown = True
            return
        self.search.selectAll()
        self.on_store_changed()  # the list may show balances from before what was done meanwhile

    def update_notice(self, notice: str, tone: str = "") -> None:
        """Head office's answer on the walk-in just served, while its notice is still up."""
        if self._notice_shown:
            self.set_banner(notice, tone)

    def on_store_changed(self) -> None:
        """Searches the shown text again (or reads today's served members); the row the user chose stays chosen."""
        if not self.search.text().strip():
            self._load_served()
            return
        if self._shown_for is None or self.search.text().strip() != self._shown_for:
            return  # nothing shown, or a search for newer text is on its way
        self._search_when_free()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Member lookup"))
        self.enrol_button.setText(self.tr("Enrol new member…"))
        self.enrol_button.setToolTip(self.tr("Enrol a walk-in client as a new member ({key})").format(key=ENROL_SHORTCUT))
        self.search.setPlaceholderText(self.tr("Member no., card, mobile or its last 4 digits, ID number, or name"))
        self.search.setToolTip(self.tr("Type to search; ↑/↓ choose a member, Enter opens it (F2)"))
        for number, shortcut in enumerate(self.served_shortcuts, start=1):
            shortcut.setWhatsThis(self.tr("Reopen member no. {n} of those served today").format(n=number))
        self.model.retranslate()
        if self.served is not None:
            self._show_served(self.served)
        self._update_hint()

    # ------------------------------------------------------------------ typing and searching

    def _text_changed(self, text: str) -> None:
        if not text.strip():
            self._pending = False
            self._seq += 1
            self._open_when_ready = False
            self._show(None)
            self._load_served()

    def _text_edited(self, _text: str) -> None:
        self._open_when_ready = False
        self._search_when_free()

    def _search_when_free(self) -> None:
        """Searches the text now, or as soon as the query on its way answers (keys typed meanwhile fold into one query)."""
        if self._in_flight:
            self._pending = True
        else:
            self._start_search()

    def _load_served(self) -> None:
        served_today = getattr(self._services.lookup, "served_today", None)
        if served_today is None:
            return
        self._served_seq += 1
        seq = self._served_seq
        self.run(served_today, quiet=True, on_result=lambda rows: self._served_arrived(seq, rows))

    def _served_arrived(self, seq: int, rows: tuple[MemberSummary, ...]) -> None:
        if seq == self._served_seq and not self.search.text().strip():
            self._show_served(rows)

    def _show_served(self, rows: tuple[MemberSummary, ...]) -> None:
        chosen = self._chosen if self.served is not None else None
        self.served = tuple(rows)
        self.model.set_rows(self.served)
        numbers = [row.member_no for row in self.served]
        self._chosen = chosen if chosen in numbers else None
        if self._chosen is not None:
            self._select(numbers.index(self._chosen))
        for row, shortcut in enumerate(self.served_shortcuts):
            shortcut.setEnabled(row < len(numbers))
        self.count.setText(self.tr("Served at this desk today: %n", "", len(numbers)) if numbers else "")
        self._update_hint()
        self.sig_served_shown.emit(self.served)

    def _open_served(self, row: int) -> None:
        if self.served is not None and not self.search.text().strip() and 0 <= row < len(self.served):
            self.sig_open_member.emit(self.served[row].member_no)

    def _start_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        self._seq += 1
        seq = self._seq
        self._pending = False
        self._in_flight += 1
        self.run(
            self._services.lookup.search,
            text=text,
            on_result=lambda result: self._result_arrived(seq, text, result),
            on_error=lambda error: self._search_failed(seq, error),
        )

    def _answered(self) -> None:
        self._in_flight -= 1
        if self._pending and not self._in_flight:
            self._start_search()

    def _result_arrived(self, seq: int, text: str, result: LookupResult) -> None:
        try:
            if seq != self._seq:
                return  # a newer request is on its way: this answer is stale
            self._show(result, text)  # shown even when more was typed meanwhile: the next answer follows
            if self._open_when_ready:
                self._open_when_ready = False
                self._open_default()
        finally:
            self._answered()

    def _search_failed(self, seq: int, error: BaseException) -> None:
        try:
            if seq != self._seq:
                return
            self._open_when_ready = False
            self._show(None)
            self.set_banner(error_message(error), "error")
        finally:
            self._answered()

    def _show(self, result: LookupResult | None, text: str | None = None) -> None:
        self._notice_shown = False
        self.served = None
        for shortcut in self.served_shortcuts:
            shortcut.setEnabled(False)
        chosen = self._chosen if text is not None and text == self._shown_for else None  # the same search, read again
        self.result = result
        self._shown_for = text
        self.model.set_rows(result.rows if result else ())
        rows = [row.member_no for row in result.rows] if result else []
        self._chosen = chosen if chosen in rows else None
        if self._chosen is not None:
            self._select(rows.index(self._chosen))
        elif len(rows) == 1:
            self._select(0)  # the single match: Enter opens it
        if result is None:
            self.set_banner("", "")
            self.count.setText("")
        elif result.total == 0 and result.remote == "offline":
            self.set_banner(
                self.tr("“{text}” is not held at this desk (it holds its region's members), and head office cannot be reached to fetch it. "
                        "Try again once connected.").format(text=result.query), "warn")
            self.count.setText("")
        elif result.total == 0 and result.remote == "limit":
            self.set_banner(
                self.tr("“{text}” is not held at this desk, and this desk has fetched as many members of other regions as it may today. "
                        "Ask head office.").format(text=result.query), "warn")
            self.count.setText("")
        elif result.total == 0:
            text = self.tr("No member matches “{text}”. Check the number, or try another handle.").format(text=result.query)
            if self._context.session.role in ENROL_ROLES:
                text += " " + self.tr("A new client? Enrol new member… ({key}).").format(key=ENROL_SHORTCUT)
            self.set_banner(text, "warn")
            self.count.setText("")
        elif result.truncated:
            self.set_banner(
                self.tr("More than {limit} members match: refine your search (more of the name, or a full number).").format(
                    limit=fmt.number(len(result.rows))
                ),
                "",
            )
            self.count.setText(self.tr("{shown} of {total} shown").format(shown=fmt.number(len(result.rows)), total=fmt.number(result.total)))
        else:
            self.set_banner(self.tr("Fetched from head office: this member is now kept at this desk.") if result.remote == "fetched" else "", "")
            self.count.setText(self.tr("%Ln member(s)", "", result.total))
        self._update_hint()
        self.sig_result_shown.emit(result)


    def _update_hint(self) -> None:
        if self.hint.property("tone"):
            set_tone(self.hint, "")
        if self.result is not None and self.result.handle is not HandleKind.EMPTY:
            text = self.tr("Searching by: {handle}").format(handle=fmt.label(fmt.HANDLES, str(self.result.handle)))
            if len(self.result.rows) > 1 and self._chosen is None:
                text += " · " + self.tr("↓/↑ choose a member, Enter opens it")
            self.hint.setText(text)
        elif self.served:
            self.hint.setText(self.tr("Members served at this desk today, the latest first: ↓ and Enter, or Alt+1…9, reopens one."))
        else:
            self.hint.setText(self.tr("PII is masked. Open a member to see their card."))

    # ------------------------------------------------------------------ enrolling a walk-in client

    def ask_enrol(self) -> None:
        """Opens the enrolment form; after a search that found nobody, with the searched text in its field."""
        if self.enrol_dialog is not None or self._context.session.role not in ENROL_ROLES:
            return
        result = self.result
        nobody = result is not None and result.total == 0 and self.search.text().strip() == result.query.strip()
        dialog = EnrolDialog(self._context, self, handle=result.handle if nobody and result else None, text=result.query if nobody and result else "")
        dialog.sig_open_member.connect(self.sig_open_member)
        self.open_dialog("enrol_dialog", dialog)

    # ------------------------------------------------------------------ keyboard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            key = key_event.key()
            if key in NAVIGATION_KEYS and self.model.rowCount() > 0:
                self._move(Qt.Key(key))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._enter()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: Qt.Key) -> None:
        current = self.table.currentIndex().row() if self.table.selectionModel().hasSelection() else -1
        last = self.model.rowCount() - 1
        page = max(1, self.table.viewport().height() // max(1, self.table.verticalHeader().defaultSectionSize()) - 1)
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -page, Qt.Key.Key_PageDown: page}[key]
        self._choose(min(max((current if current >= 0 else -1) + step, 0), last))

    def _choose(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self._chosen = self.model.row(row).member_no
            self._select(row)
            self._update_hint()

    def _select(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    def _enter(self) -> None:
        text = self.search.text().strip()
        if not text:
            if self.served and self._chosen is not None:
                self._open_served([row.member_no for row in self.served].index(self._chosen))
            return
        if self._shown_for == text and not self._pending:
            self._open_default()
            return
        # Typed (or scanned) faster than the answers came: search now, open when the answer comes.
        self._open_when_ready = True
        self._start_search()

    def _open_default(self) -> None:
        """Enter: the single match, or the row the user moved to; with many matches and none chosen,
        nothing opens and the screen says to choose one or type more."""
        result = self.result
        if result is None or not result.rows:
            return
        if result.total == 1 and len(result.rows) == 1:
            self._open_row(0)
            return
        rows = [row.member_no for row in result.rows]
        if self._chosen in rows:
            self._open_row(rows.index(self._chosen))
            return
        self.hint.setText(self.tr("{count} members match: choose one with ↑/↓ and press Enter, or type more to narrow the search.").format(
            count=fmt.number(result.total)))
        set_tone(self.hint, "warn")
        self.sig_enter_refused.emit()

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.sig_open_member.emit(self.model.row(row).member_no)
