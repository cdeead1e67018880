"""Screenshot of the enrolment form opened from a lookup that found nobody: filled in as a walk-in
client would give it, with a mistyped card refused at its field. Nothing is enrolled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

NAMES = {"en": "Liu Yang", "zh_CN": "刘洋"}
ADDRESSES = {"en": "88 Jianguo Road, Chaoyang District, Beijing", "zh_CN": "北京市朝阳区建国路88号"}


def render_enrolment_screenshot(app: Any, window: Any, lookup: Any, language: str, save: Callable[..., None], wait: Callable[..., Any]) -> None:
    from loyalty_desk.domain.identity import make_resident_id

    lookup.ask_enrol()
    dialog = lookup.enrol_dialog
    if dialog is None:  # a role that does not enrol
        return
    dialog.name.setText(NAMES.get(language, NAMES["en"]))
    dialog.id_number.setText(make_resident_id("110105", date(1990, 3, 7), 123))
    dialog.mobile.setText("13766667777")
    dialog.card_no.setText("6222 0212 3456 7890")  # one digit mistyped: the Luhn check refuses it
    dialog.address.setText(ADDRESSES.get(language, ADDRESSES["en"]))
    dialog._touched.update(("name", "id_number", "mobile", "card_no", "address"))
    dialog.check()
    wait(app, dialog.sig_checked)
    save(window, "03b-enrol-dialog", overlay=dialog)
    dialog.reject()
