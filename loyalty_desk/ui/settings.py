"""The desk's own settings, per user, through QSettings: language, idle-lock minutes, data folder, receipt printer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QSettings

from loyalty_desk.domain.rules import DEFAULT_RULES

IDLE_LOCK_MAX_MINUTES = 120  # the longest a desk may stay unlocked while nobody uses it

LANGUAGES = ("zh_CN", "en")
ORGANISATION = "LoyaltyDesk"
APPLICATION = "Loyalty Desk"


class DeskSettings:
    def __init__(
        self,
        qsettings: QSettings | None = None,
        *,
        default_idle_minutes: int = DEFAULT_RULES.security.idle_lock_minutes,
        data_folder_pointer: Path | None = None,
    ) -> None:
        self._s = qsettings if qsettings is not None else QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
        )
        # The user's own settings also write the data folder where the command line reads it
        # (bootstrap.default_data_dir; no Qt there). Settings on another QSettings write it only when told where.
        if data_folder_pointer is None and qsettings is None:
            from loyalty_desk.bootstrap import data_folder_pointer_path

            data_folder_pointer = data_folder_pointer_path()
        self._pointer = data_folder_pointer
        self.default_idle_minutes = default_idle_minutes  # the programme's setting; this user's own value wins

    @property
    def language(self) -> str:
        value = str(self._s.value("ui/language", "") or "")
        if value in LANGUAGES:
            return value
        return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(value)
        self._s.setValue("ui/language", value)

    @property
    def idle_lock_minutes(self) -> int:
        try:
            value = int(str(self._s.value("security/idle_lock_minutes", self.default_idle_minutes)))
        except (TypeError, ValueError):
            value = self.default_idle_minutes
        return max(1, min(value, IDLE_LOCK_MAX_MINUTES))

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, value: int) -> None:
        self._s.setValue("security/idle_lock_minutes", max(1, min(int(value), IDLE_LOCK_MAX_MINUTES)))

    @property
    def data_folder(self) -> Path | None:
        value = self._s.value("store/data_folder", "")
        return Path(str(value)) if value else None

    @data_folder.setter
    def data_folder(self, value: Path | str | None) -> None:
        self._s.setValue("store/data_folder", str(value) if value else "")
        if self._pointer is not None:
            from loyalty_desk.bootstrap import write_data_folder_pointer

            write_data_folder_pointer(value, self._pointer)

    @property
    def receipt_printer(self) -> str:
        """The system printer receipts print on after each redemption ("" = none chosen yet)."""
        return str(self._s.value("printing/receipt_printer", "") or "")

    @receipt_printer.setter
    def receipt_printer(self, value: str) -> None:
        self._s.setValue("printing/receipt_printer", value or "")

    @property
    def last_username(self) -> str:
        return str(self._s.value("auth/last_username", "") or "")

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._s.setValue("auth/last_username", value)

    def seen_outcomes(self, username: str) -> set[int]:
        """Request numbers whose outcome this staff member has seen at this desk."""
        text = str(self._s.value(f"notices/seen_outcomes/{username}", "") or "")
        return {int(part) for part in text.split(",") if part.strip().isdigit()}

    def set_seen_outcomes(self, username: str, request_ids: set[int]) -> None:
        self._s.setValue(f"notices/seen_outcomes/{username}", ",".join(str(i) for i in sorted(request_ids)))
        self._s.sync()

    def sync(self) -> None:
        self._s.sync()
