"""Referrals on the member view: the member's code, referrer and tree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget

from loyalty_desk.ui import fmt
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.base import MemberPanel
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.referrals.models import event_label, grouped_code, status_label
from loyalty_desk.ui.widgets import add_all, named, push_button, set_texts

if TYPE_CHECKING:
    from loyalty_desk.ui.tasks import Task

# ---------------------------------------------------------------------------- the member's referrals


class ReferralsPanel(MemberPanel):
    """The member view's "Referrals" tab: the member's code, who referred them, and the two-level tree."""

    sig_loaded = Signal(object)  # MemberReferrals
    sig_register = Signal()

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.code_caption = named(QLabel(), "FieldLabel")
        self.code_value = named(QLabel(), "ReferralCode")
        self.code_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.received = named(QLabel(), "Muted")
        self.pending = named(QLabel(), "Muted")
        self.register_button = push_button(icon("member"), self.sig_register, name="RegisterReferral")
        self.register_button.setVisible(False)  # the member view's top bar has "Refer a client…" (F12)
        self.model = QStandardItemModel(self)
        self.tree = named(QTreeView(), "ReferralTree")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        self.tree.header().setStretchLastSection(False)
        self.empty = named(QLabel(), "Muted")
        code_box = add_all(QVBoxLayout(), self.code_caption, self.code_value)
        code_box.setSpacing(0)
        head = QHBoxLayout()
        head.addLayout(code_box)
        head.addSpacing(24)
        head.addLayout(add_all(QVBoxLayout(), self.received, self.pending), 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 10, 10, 10)
        add_all(box, head, self.banner, (self.tree, 1), self.empty)
        self.retranslate()

    def retranslate(self) -> None:
        set_texts(
            (self.code_caption, self.tr("Referral code")),
            (self.register_button, self.tr("Refer a client…"), self.tr("Register a new client referred by this member (F12)")),
        )
        self.model.setHorizontalHeaderLabels([self.tr("Member"), self.tr("Status"), self.tr("Registered"), self.tr("Event"),
                                              self.tr("Points for this member")])
        self.show_again()

    def fetch(self, member_no: str) -> Task:
        return self.run_latest("load", self._services.referrals.for_member, member_no=member_no, on_result=self._show,
                               on_error=self.show_error)

    def _show(self, data: Any) -> None:
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
