"""The member view's Message preferences… dialog: the language the member's marketing messages are
written in and whether they accept them, changed on the member's word with a note (the operation
member.outreach_preferences, audited). The current preferences are read on a worker when it opens."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from loyalty_desk.services.members.dto import MemberView
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.member.care_dialog import CareDialog
from loyalty_desk.ui.widgets import named

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


class PreferencesDialog(CareDialog):
    """The message language and the opt-out, then a note; an officer or a supervisor."""

    kind = "preferences"

    def __init__(self, context: ScreenContext, view: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.operation_id = self._services.outreach_preferences.new_operation_id()
        self.present("PreferencesDialog", QCoreApplication.translate("MemberCare", "Message preferences"),
                     QCoreApplication.translate("MemberCare", "How the member asked, e.g. at the counter, by the signed form"),
                     QCoreApplication.translate("MemberCare", "Save preferences"))
        self.language = named(QComboBox(), "MessageLanguage")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.add_row(QCoreApplication.translate("MemberCare", "Messages in"), self.language, "language")
        self.opt_out = named(QCheckBox(QCoreApplication.translate("MemberCare", "The member refuses marketing messages (opt-out)")), "OptOut")
        self.add_row("", self.opt_out, "opt_out")
        self.save_button.setEnabled(False)  # until the preferences in force are read
        self.finish_layout()
        self.run(self._services.outreach_preferences.get, session=context.session, member_no=view.member_no, on_result=self._shown,
                 on_error=self._failed)

    def _shown(self, preferences: Any) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(preferences.language)))
        self.opt_out.setChecked(preferences.opted_out)
        self.save_button.setEnabled(True)

    def values(self) -> dict[str, Any]:
        return {"language": self.language.currentData(), "opt_out": self.opt_out.isChecked(), **super().values()}

    def save_call(self) -> Any:
        return self._services.outreach_preferences.change
