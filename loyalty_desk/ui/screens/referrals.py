"""Referrals on the desk: the registration form (from the member view, checked as the
officer types), the member's referral panel (code, made and received, a two-level tree), the
branch referral list with filters and an Excel export, and the supervisor's flagged list (evidence,
clear or reject with a note).

The screens only collect input and show outcomes: the referral service applies every rule.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import ROW_ROLE, _RowsModel
from loyalty_desk.ui.screens.base import Screen, ScreenDialog, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import Resize, field_error, record_table, show_field_error

CONTEXT = "Referrals"
CHECK_DELAY_MS = 150
NO_DATE = QDate(2000, 1, 1)
FORM_FIELDS = ("code", "name", "id_number", "mobile", "address")

STATUSES = {
    "registered": QT_TRANSLATE_NOOP("Referrals", "Registered"),
    "qualified": QT_TRANSLATE_NOOP("Referrals", "Qualified, pending"),
    "rewarded": QT_TRANSLATE_NOOP("Referrals", "Rewarded"),
    "rejected": QT_TRANSLATE_NOOP("Referrals", "Rejected"),
    "flagged": QT_TRANSLATE_NOOP("Referrals", "Flagged for review"),
    "expired": QT_TRANSLATE_NOOP("Referrals", "Expired"),
    "clawed_back": QT_TRANSLATE_NOOP("Referrals", "Clawed back"),
}
EVENTS = {
    "financing": QT_TRANSLATE_NOOP("Referrals", "Financing"),
    "card": QT_TRANSLATE_NOOP("Referrals", "Card and spend"),
}
FLAGS = {
    "daily_volume": QT_TRANSLATE_NOOP("Referrals", "{count} referrals by this referrer on {day} (more than {threshold})"),
    "referrer_address": QT_TRANSLATE_NOOP("Referrals", "The referee lives in the referrer's building"),
    "phone_pattern": QT_TRANSLATE_NOOP("Referrals", "Mobile from the number block {prefix}xxxx shared with the referrer or another referee"),
    "shared_address": QT_TRANSLATE_NOOP("Referrals", "{count} referees registered at the same address"),
}
FLAG_SHORT = {
    "daily_volume": QT_TRANSLATE_NOOP("Referrals", "Many in a day"),
    "referrer_address": QT_TRANSLATE_NOOP("Referrals", "Referrer's building"),
    "phone_pattern": QT_TRANSLATE_NOOP("Referrals", "Number block"),
    "shared_address": QT_TRANSLATE_NOOP("Referrals", "Same address"),
}
ID_TYPES = ("resident_id", "passport", "uscc")
CAPPED = QT_TRANSLATE_NOOP("Referrals", "capped")
CLAWED_BACK = QT_TRANSLATE_NOOP("Referrals", "clawed back")


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def status_label(code: str) -> str:
    return _t(STATUSES[code]) if code in STATUSES else code


def event_label(code: str | None) -> str:
    return _t(EVENTS[code]) if code in EVENTS else "–"


def flag_text(flag: dict[str, Any]) -> str:
    code = str(flag.get("code"))
    params = {k: (fmt.number(v) if isinstance(v, int) else v) for k, v in dict(flag.get("params") or {}).items()}
    if code == "daily_volume" and isinstance(params.get("day"), str):
        try:
            params["day"] = fmt.day(date.fromisoformat(params["day"]))
        except ValueError:
            pass
    template = FLAGS.get(code)
    if template is None:
        return code
    try:
        return _t(template).format(**params)
    except (KeyError, IndexError):
        return _t(template)


def grouped_code(code: str | None) -> str:
    """``ABCD1234`` -> ``ABCD 1234`` (easier to read out at the counter)."""
    return f"{code[:4]} {code[4:]}" if code else "–"


def _points(view: Any, role: str) -> str:
    reward = view.reward_for(role)
    if reward is None:
        return "–"
    if reward.status == "capped":
        return _t(CAPPED)
    if reward.status == "clawed_back":
        return _t(CLAWED_BACK)
    return fmt.number(reward.points)





class ReferralsModel(_RowsModel):
    """Rows of ``ReferralView``."""

    numeric_columns = frozenset({5, 6, 7})

    def headers(self) -> list[str]:
        return [self.tr("Registered"), self.tr("Referrer"), self.tr("Referee"), self.tr("Status"), self.tr("Event"),
                self.tr("Referee pts"), self.tr("Referrer pts"), self.tr("2nd level pts"), self.tr("Officer"), self.tr("Flags")]

    def cell(self, row: Any, column: int) -> str:
        values = [
            fmt.day(row.registered_on),
            f"{row.referrer_no} {row.referrer_name}",
            f"{row.referee_no} {row.referee_name}",
            status_label(row.status),
            event_label(row.qualifying_event),
            _points(row, "referee"),
            _points(row, "referrer"),
            _points(row, "second_level") if row.second_level_no else "–",
            row.officer,
            ", ".join(_t(FLAG_SHORT[c]) if c in FLAG_SHORT else c for c in row.flag_codes),
        ]
        return values[column]


# ---------------------------------------------------------------------------- the registration form


class ReferralDialog(ScreenDialog):
    """Registers a referee under a referrer's code; every rule is checked as the officer types
    (field rules under the fields, the referrer's refusals in the banner)."""

    sig_checked = Signal(object)  # list of problems (DomainError)
    sig_registered = Signal(object)  # RegistrationOutcome
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, code: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("ReferralDialog")
        self.operation_id = self._services.referrals.new_operation_id()  # made where the operation starts
        self.outcome: Any = None
        self.problems: list[Any] = []
        self._touched: set[str] = {"code"} if code else set()
        self.setWindowTitle(self.tr("Register a referral"))
        self.setMinimumWidth(560)

        heading = QLabel(self.tr("Register a referral"), objectName="DialogTitle")
        intro = QLabel(self.tr("The new client becomes a member with their own number and referral code. "
                               "Rewards follow once they qualify (financing or card use within 90 days)."), objectName="Muted")
        intro.setWordWrap(True)
        self.code = QLineEdit(objectName="Code")
        self.code.setMaxLength(12)
        self.code.setPlaceholderText("ABCD 1234")
        self.referrer_line = QLabel(objectName="Muted")
        self.name = QLineEdit(objectName="Name")
        self.id_type = QComboBox(objectName="IdType")
        for key in ID_TYPES:
            self.id_type.addItem(fmt.label(fmt.ID_TYPES, key), key)
        self.id_number = QLineEdit(objectName="IdNumber")
        self.id_number.setMaxLength(20)
        self.mobile = QLineEdit(objectName="Mobile")
        self.mobile.setMaxLength(16)
        self.address = QLineEdit(objectName="Address")
        self.address.setMaxLength(200)
        self.fields: dict[str, QWidget] = {"code": self.code, "name": self.name, "id_number": self.id_number, "mobile": self.mobile,
                                           "address": self.address}
        self.errors = {name: field_error(widget) for name, widget in self.fields.items()}

        form = QFormLayout()
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        def row(text: str, widgets: list[QWidget], name: str) -> None:
            label = QLabel(text)
            label.setBuddy(widgets[0])
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 4)
            box.setSpacing(2)
            line = QHBoxLayout()
            line.setSpacing(6)
            for widget in widgets:
                line.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
            box.addLayout(line)
            box.addWidget(self.errors[name])
            form.addRow(label, holder)

        row(self.tr("Referrer's &code"), [self.code], "code")
        form.addRow("", self.referrer_line)
        row(self.tr("&Name"), [self.name], "name")
        row(self.tr("&ID"), [self.id_type, self.id_number], "id_number")
        row(self.tr("&Mobile"), [self.mobile], "mobile")
        row(self.tr("&Address"), [self.address], "address")

        self.buttons = QDialogButtonBox()
        self.submit_button = self.buttons.addButton(self.tr("Register"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("Primary")
        self.submit_button.setDefault(True)
        self._registering = False
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        form_page = QWidget()
        form_box = QVBoxLayout(form_page)
        form_box.setContentsMargins(0, 0, 0, 0)
        form_box.addWidget(intro)
        form_box.addLayout(form)
        form_box.addWidget(self.banner)
        form_box.addWidget(self.buttons)

        self.done_text = QLabel(objectName="FieldValue")
        self.done_text.setWordWrap(True)
        self.done_hint = QLabel(objectName="Muted")
        self.done_hint.setWordWrap(True)
        self.open_button = QPushButton(icon("member"), self.tr("Open the new member"))
        self.open_button.setObjectName("Primary")
        self.open_button.clicked.connect(self._open_new_member)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        done_buttons = QHBoxLayout()
        done_buttons.addStretch(1)
        done_buttons.addWidget(self.open_button)
        done_buttons.addWidget(self.close_button)
        done_page = QWidget()
        done_box = QVBoxLayout(done_page)
        done_box.setContentsMargins(0, 0, 0, 0)
        done_box.addWidget(self.done_text)
        done_box.addWidget(self.done_hint)
        done_box.addStretch(1)
        done_box.addLayout(done_buttons)

        self.pages = QStackedWidget()
        self.pages.addWidget(form_page)
        self.pages.addWidget(done_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.pages)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_DELAY_MS)
        self.timer.timeout.connect(self.check)
        for name, widget in (("code", self.code), ("name", self.name), ("id_number", self.id_number), ("mobile", self.mobile),
                             ("address", self.address)):
            widget.textEdited.connect(lambda _text, n=name: self._changed(n))
        self.id_type.currentIndexChanged.connect(lambda _i: self._changed("id_number"))
        if code:
            self.code.setText(grouped_code(code))
            self.name.setFocus()
            self.check()
        else:
            self.code.setFocus()

    # ------------------------------------------------------------------ checking as the officer types

    def values(self) -> dict[str, Any]:
        return {
            "code": self.code.text(),
            "name": self.name.text(),
            "id_type": self.id_type.currentData(),
            "id_number": self.id_number.text(),
            "mobile": self.mobile.text(),
            "address": self.address.text() or None,
        }

    def _changed(self, name: str) -> None:
        self._touched.add(name)
        self.banner.hide()
        self.timer.start()

    def check(self) -> None:
        """Runs the service's checks off the UI thread; the newest answer wins."""
        self.timer.stop()
        request = self.supersede("check")
        self.run(
            self._services.referrals.check, partial=True, **self.values(),
            on_result=lambda problems: self._checked(request, problems),
            on_error=self.show_error,
        )
        if "code" in self._touched:
            self.run(
                self._services.referrals.referrer, code=self.code.text(),
                on_result=lambda preview: self._referrer(request, preview),
                on_error=lambda _error: self._referrer(request, None),
            )

    def _referrer(self, request: int, preview: Any) -> None:
        if not self.is_latest("check", request):
            return
        if preview is None:
            self.referrer_line.setText("")
            return
        self.referrer_line.setText(self.tr("Referred by {name} · {member_no} · branch {branch}").format(
            name=preview.masked_name, member_no=preview.member_no, branch=preview.branch_code))

    def _field_of(self, problem: Any) -> str | None:
        field = getattr(problem, "field", None) or problem.params.get("field")
        if field == "id_type":
            field = "id_number"
        return field if field in FORM_FIELDS else None

    def _checked(self, request: int, problems: list[Any]) -> None:
        if not self.is_latest("check", request):
            return
        self.problems = list(problems)
        by_field: dict[str, str] = {}
        general: list[str] = []
        for problem in self.problems:
            field = self._field_of(problem)
            if field is None:
                general.append(error_message(problem))
            else:
                by_field.setdefault(field, error_message(problem))
        for name, label in self.errors.items():
            show_field_error(label, by_field.get(name, "") if name in self._touched else "")
        self.set_banner("\n".join(general), "error" if general else "")
        self.sig_checked.emit(self.problems)

    # ------------------------------------------------------------------ registering

    def submit(self) -> None:
        """Checks the whole form (required fields too) and registers only when nothing is refused;
        otherwise every problem is shown at its field at once and what was typed stays."""
        if self._registering:
            return
        self._registering = True
        self.submit_button.setEnabled(False)
        self.timer.stop()
        self._touched.update(FORM_FIELDS)
        request = self.supersede("check")
        self.run(
            self._services.referrals.check, partial=False, **self.values(),
            on_result=lambda problems: self._checked_before_registering(request, problems),
            on_error=self._failed,
        )

    def _checked_before_registering(self, request: int, problems: list[Any]) -> None:
        self._checked(request, problems)
        if not self.is_latest("check", request) or self.problems:
            self._registering = False
            self.submit_button.setEnabled(True)
            first = next((name for name in FORM_FIELDS if self.errors[name].isVisibleTo(self)), None)
            if first is not None:
                self.fields[first].setFocus()
            return
        self.write(
            self._services.referrals.register, operation_id=self.operation_id, session=self._context.session, **self.values(),
            on_result=self._registered, on_error=self._failed,
        )

    def _registered(self, outcome: Any) -> None:
        self.outcome = outcome
        self.done_text.setText(self.tr("{name} is now member {member_no}, with referral code {code}.").format(
            name=self.name.text().strip(), member_no=outcome.referee_no, code=grouped_code(outcome.referee_code)))
        if outcome.status == "flagged":
            reasons = "; ".join(_t(FLAG_SHORT[c]) if c in FLAG_SHORT else c for c in outcome.flags)
            self.done_hint.setText(self.tr("The referral is flagged for a supervisor's review ({reasons}); "
                                           "it cannot qualify until it is cleared.").format(reasons=reasons))
        else:
            self.done_hint.setText(self.tr("The referral is registered. It qualifies when {name} draws a financing of "
                                           "100,000 CNY or more, or activates a card and spends 500 CNY, within 90 days.").format(
                name=self.name.text().strip()))
        self.pages.setCurrentIndex(1)
        self.open_button.setFocus()
        self.sig_registered.emit(outcome)

    def _failed(self, error: BaseException) -> None:
        self.show_error(error)
        field = self._field_of(error) if hasattr(error, "params") else None
        if field is not None:
            show_field_error(self.errors[field], error_message(error))
        self._registering = False
        self.submit_button.setEnabled(True)
        self.sig_failed.emit(error)

    def _open_new_member(self) -> None:
        if self.outcome is not None:
            self.sig_open_member.emit(self.outcome.referee_no)
        self.accept()


# ---------------------------------------------------------------------------- the member's referrals


class ReferralsPanel(Screen):
    """The member view's "Referrals" tab: the member's code, who referred them, and the two-level tree."""

    sig_loaded = Signal(object)  # MemberReferrals
    sig_register = Signal()

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.member_no: str | None = None
        self.data: Any = None
        self.code_caption = QLabel(objectName="FieldLabel")
        self.code_value = QLabel(objectName="ReferralCode")
        self.code_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.received = QLabel(objectName="Muted")
        self.pending = QLabel(objectName="Muted")
        self.register_button = QPushButton(icon("member"), "")
        self.register_button.setObjectName("RegisterReferral")
        self.register_button.clicked.connect(self.sig_register)
        self.register_button.setVisible(False)  # the member view's top bar has "Refer a client…" (F12)
        self.model = QStandardItemModel(self)
        self.tree = QTreeView(objectName="ReferralTree")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        self.tree.header().setStretchLastSection(False)
        self.empty = QLabel(objectName="Muted")
        head = QHBoxLayout()
        code_box = QVBoxLayout()
        code_box.setSpacing(0)
        code_box.addWidget(self.code_caption)
        code_box.addWidget(self.code_value)
        head.addLayout(code_box)
        head.addSpacing(24)
        lines = QVBoxLayout()
        lines.addWidget(self.received)
        lines.addWidget(self.pending)
        head.addLayout(lines, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 10, 10, 10)
        box.addLayout(head)
        box.addWidget(self.banner)
        box.addWidget(self.tree, 1)
        box.addWidget(self.empty)
        self.retranslate()

    def retranslate(self) -> None:
        self.code_caption.setText(self.tr("Referral code"))
        self.register_button.setText(self.tr("Refer a client…"))
        self.register_button.setToolTip(self.tr("Register a new client referred by this member (F12)"))
        self.model.setHorizontalHeaderLabels([self.tr("Member"), self.tr("Status"), self.tr("Registered"), self.tr("Event"),
                                              self.tr("Points for this member")])
        if self.data is not None:
            self._show(self.latest_request("load"), self.data)

    def load(self, member_no: str | None) -> None:
        self.member_no = member_no
        request = self.supersede("load")
        if member_no is None:
            return
        self.run(self._services.referrals.for_member, member_no=member_no,
                 on_result=lambda data: self._show(request, data),
                 on_error=self.show_error)

    def _show(self, request: int, data: Any) -> None:
        if not self.is_latest("load", request):
            return
        self.data = data
        self.code_value.setText(grouped_code(data.referral_code))
        if data.received is not None:
            r = data.received
            self.received.setText(self.tr("Referred by {member} {name} on {date} · {status}").format(
                member=r.referrer_no, name=r.referrer_name, date=fmt.day(r.registered_on), status=status_label(r.status)))
        else:
            self.received.setText(self.tr("Joined without a referral."))
        if data.pending_points:
            self.pending.setText(self.tr("{points} referral points pending, the first available on {date}.").format(
                points=fmt.number(data.pending_points), date=fmt.day(data.next_available_on)))
        else:
            self.pending.setText(self.tr("No referral rewards pending."))
        self.model.removeRows(0, self.model.rowCount())
        for node in data.tree:
            parent = self._row(node)
            for child in node.children:
                parent[0].appendRow(self._row(child))
            self.model.appendRow(parent)
        self.tree.expandAll()
        for column in range(self.model.columnCount()):
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, self.tree.columnWidth(column) + 24)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the member column takes the rest
        made = len(data.made)
        self.empty.setText(self.tr("%Ln referral(s) made; their own referrals are shown beneath them.", "", made)
                           if made else self.tr("No referrals made yet."))
        self.sig_loaded.emit(data)

    def _row(self, node: Any) -> list[QStandardItem]:
        items = [
            QStandardItem(f"{node.member_no}  {node.masked_name}"),
            QStandardItem(status_label(node.status)),
            QStandardItem(fmt.day(node.registered_on)),
            QStandardItem(event_label(node.event) if node.event else "–"),
            QStandardItem(fmt.number(node.points) if node.points else "–"),
        ]
        items[4].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        items[0].setData(node.member_no, int(Qt.ItemDataRole.UserRole))
        return items


# ---------------------------------------------------------------------------- the branch list


class ReferralsScreen(Screen):
    """The branch's referrals (head office: all) with filters; Excel export of what is shown."""

    sig_loaded = Signal(object)
    sig_exported = Signal(object)  # Path
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: tuple[Any, ...] = ()
        self.title_bar()
        self.count = QLabel(objectName="Muted")
        self.export_button = QPushButton(icon("print"), "")
        self.export_button.setObjectName("ExportButton")
        self.export_button.clicked.connect(self.ask_export)
        self.export_button.setVisible(context.session.role in ("officer", "supervisor"))
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.count, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.refresh_button)

        self.status_filter = QComboBox(objectName="StatusFilter")
        self.member_filter = QLineEdit(objectName="MemberFilter")
        self.member_filter.setMaxLength(11)
        self.member_filter.setClearButtonEnabled(True)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setMinimumDate(NO_DATE)
            edit.setDate(NO_DATE)
            edit.setMinimumWidth(130)
        self.filter_labels = [QLabel() for _ in range(4)]
        filters = QHBoxLayout()
        filters.setSpacing(8)
        for label, widget in zip(self.filter_labels, (self.status_filter, self.member_filter, self.date_from, self.date_to), strict=True):
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)

        self.model = ReferralsModel(self)
        self.table = record_table(resize=Resize.ResizeToContents, stretch_last=True)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(self._open_member)
        layout = page_layout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        self.retranslate()
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.date_from.dateChanged.connect(self.refresh)
        self.date_to.dateChanged.connect(self.refresh)
        self.member_filter.textChanged.connect(lambda text: self.refresh() if len(text) in (0, 11) else None)
        self.refresh()

    def default_focus(self) -> QWidget:
        return self.table

    def retranslate(self) -> None:
        self.title.setText(self.tr("Referrals"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Reload the list (F5)"))
        self.export_button.setText(self.tr("Export to Excel…"))
        self.export_button.setToolTip(self.tr("Save the referrals shown as an Excel workbook (recorded in the audit trail)"))
        for label, text in zip(self.filter_labels, (self.tr("&Status"), self.tr("&Member"), self.tr("&From"), self.tr("T&o")), strict=True):
            label.setText(text)
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("All statuses"), "")
        for key in STATUSES:
            self.status_filter.addItem(status_label(key), key)
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(current), 0) if current else 0)
        self.status_filter.blockSignals(False)
        self.member_filter.setPlaceholderText(self.tr("member no."))
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("any date"))
        self.model.retranslate()

    def filters(self) -> Any:
        from loyalty_desk.services.referrals import ListFilter

        def as_date(edit: QDateEdit) -> date | None:
            value = edit.date()
            return None if value == NO_DATE else date(value.year(), value.month(), value.day())

        member = self.member_filter.text().strip().upper()
        status = self.status_filter.currentData()
        return ListFilter(statuses=(status,) if status else (), member_no=member if len(member) == 11 else None,
                          since=as_date(self.date_from), until=as_date(self.date_to))

    def refresh(self) -> None:
        request = self.supersede("load")
        self.run(self._services.referrals.list, session=self._context.session, filters=self.filters(),
                 on_result=lambda rows: self._show(request, rows), on_error=self.report_failure)

    def _show(self, request: int, rows: Any) -> None:
        if not self.is_latest("load", request):
            return
        self.rows = tuple(rows)
        self.model.set_rows(self.rows)
        self.count.setText(self.tr("%Ln referral(s)", "", len(self.rows)))
        self.banner.hide()
        self.sig_loaded.emit(self.rows)


    def _open_member(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if row is not None:
            self._context.navigate("member", member_no=row.referee_no if index.column() == 2 else row.referrer_no)

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export referrals"), str(Path.home() / "referrals.xlsx"),
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        language = self._context.settings.language
        self.run(
            self._services.referrals.export, session=self._context.session, path=path, filters=self.filters(),
            language="zh_CN" if language == "zh_CN" else "en",
            on_result=self._exported, on_error=self.report_failure,
        )

    def _exported(self, path: Any) -> None:
        self.set_banner(self.tr("Saved {file}.").format(file=str(path)))
        self.sig_exported.emit(path)


# ---------------------------------------------------------------------------- the supervisor's flagged list


class FlaggedReferralsScreen(Screen):
    """Flagged referrals of the branch with why they were flagged and the other referrals showing the
    same pattern; the supervisor clears or rejects the selected one with a note (audited)."""

    sig_loaded = Signal(object)  # tuple[FlaggedReferral, ...]
    sig_decided = Signal(object)  # DecisionOutcome
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.items: tuple[Any, ...] = ()
        self.title_bar()
        self.count = QLabel(objectName="Muted")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.count, 1)
        top.addWidget(self.refresh_button)

        self.model = ReferralsModel(self)
        self.table = record_table(resize=Resize.ResizeToContents, stretch_last=True)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(self._open_member)

        self.detail = QFrame(objectName="Card")
        self.reasons_caption = QLabel(objectName="FieldLabel")
        self.reasons = QLabel(objectName="FieldValue")
        self.reasons.setWordWrap(True)
        self.evidence_caption = QLabel(objectName="FieldLabel")
        self.evidence_model = ReferralsModel(self)
        self.evidence = record_table(resize=Resize.ResizeToContents, stretch_last=True)
        self.evidence.setModel(self.evidence_model)
        self.evidence.setMinimumHeight(120)
        self.no_evidence = QLabel(objectName="Muted")
        self.note_label = QLabel()
        self.note = QLineEdit(objectName="DecisionNote")
        self.note.setMaxLength(500)
        self.note_label.setBuddy(self.note)
        self.clear_button = QPushButton(icon("approvals"), "")
        self.clear_button.setObjectName("Primary")
        self.clear_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.reject_button = QPushButton("")
        self.clear_button.clicked.connect(self.clear_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        self.note.textChanged.connect(lambda _t: self._selection_changed())
        decide = QHBoxLayout()
        decide.addWidget(self.note_label)
        decide.addWidget(self.note, 1)
        decide.addWidget(self.reject_button)
        decide.addWidget(self.clear_button)
        self.note_error = field_error(self.note)
        detail_box = QVBoxLayout(self.detail)
        detail_box.setContentsMargins(16, 12, 16, 12)
        detail_box.setSpacing(6)
        detail_box.addWidget(self.reasons_caption)
        detail_box.addWidget(self.reasons)
        detail_box.addWidget(self.evidence_caption)
        detail_box.addWidget(self.evidence)
        detail_box.addWidget(self.no_evidence)
        detail_box.addLayout(decide)
        detail_box.addWidget(self.note_error)

        layout = page_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail, 1)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.retranslate()
        self._selection_changed()
        self.refresh()

    def default_focus(self) -> QWidget:
        return self.table

    def retranslate(self) -> None:
        self.title.setText(self.tr("Flagged referrals"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Reload the list (F5)"))
        self.reasons_caption.setText(self.tr("Why it was flagged"))
        self.evidence_caption.setText(self.tr("Other referrals with the same address, number block or day"))
        self.note_label.setText(self.tr("&Note"))
        self.note.setPlaceholderText(self.tr("what you checked (required)"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Clear the flag: the referral can qualify (Ctrl+Enter)"))
        self.reject_button.setText(self.tr("Reject"))
        self.reject_button.setToolTip(self.tr("Reject the referral: it will never be rewarded"))
        self.model.retranslate()
        self.evidence_model.retranslate()
        self._selection_changed()

    def refresh(self) -> None:
        request = self.supersede("load")
        self.run(self._services.referrals.flagged, session=self._context.session,
                 on_result=lambda items: self._show(request, items), on_error=self._failed)

    def _show(self, request: int, items: Any) -> None:
        if not self.is_latest("load", request):
            return
        self.items = tuple(items)
        self.model.set_rows([item.referral for item in self.items])
        self.count.setText(self.tr("{n} waiting for a decision").format(n=fmt.number(len(self.items))))
        if self.items:
            self.table.selectRow(0)
        self._selection_changed()
        self.sig_loaded.emit(self.items)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _selection_changed(self, *_: object) -> None:
        item = self.selected()
        if self.note.text().strip():
            show_field_error(self.note_error, "")
        self.clear_button.setEnabled(item is not None)
        self.reject_button.setEnabled(item is not None)
        if item is None:
            self.reasons.setText(self.tr("Select a referral to see why it was flagged."))
            self.evidence_model.set_rows(())
            return
        self.reasons.setText("\n".join(f"• {flag_text(flag)}" for flag in item.referral.flags))
        self.evidence_model.set_rows(item.evidence)
        self.no_evidence.setText("" if item.evidence else self.tr("No other referral shows the pattern: it concerns the referrer."))
        self.no_evidence.setVisible(not item.evidence)
        self.evidence.setVisible(bool(item.evidence))

    def clear_selected(self) -> None:
        self._decide(self._services.referrals.clear)

    def reject_selected(self) -> None:
        self._decide(self._services.referrals.reject)

    def _decide(self, action: Any) -> None:
        item = self.selected()
        if item is None:
            return
        if not self.note.text().strip():
            show_field_error(self.note_error, self.tr("Write what you checked in the note: a decision needs it."))
            self.note.setFocus()
            return
        self.clear_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.write(
            action, operation_id=self._services.referrals.new_operation_id(), session=self._context.session,
            referral=item.referral.operation_id, note=self.note.text(),
            on_result=lambda outcome: self._decided(item, outcome), on_error=self._failed,
        )

    def _decided(self, item: Any, outcome: Any) -> None:
        self.set_banner(self.tr("Referral of {member} is now: {status}.").format(
            member=f"{item.referral.referee_no} {item.referral.referee_name}", status=status_label(outcome.status)))
        self.note.clear()
        self.sig_decided.emit(outcome)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.show_error(error)
        self._selection_changed()
        self.sig_failed.emit(error)

    def _open_member(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if row is not None:
            self._context.navigate("member", member_no=row.referee_no if index.column() == 2 else row.referrer_no)
