"""The desk's own central login stays out of plain files: the keychain when there is one, else a 0600 file."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from loyalty_desk.sync import desk_login
from loyalty_desk.sync.desk_settings import DeskSettings

URL = "postgresql://ld_desk_bj1:s3cret-Pa55@central.example:5432/loyalty"
PASSWORD = "s3cret-Pa55"


class MemoryKeyring(KeyringBackend):
    """A keychain of our own for the test (what Windows Credential Manager or Secret Service would be)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, *, broken: bool = False) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.broken = broken

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.broken:
            raise keyring.errors.PasswordSetError("the keychain is locked")
        self.entries[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def _files_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.iterdir() if p.is_file())


def test_with_a_keychain_the_password_is_kept_there_and_no_file_holds_it(tmp_path: Path, restore_keyring: None) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    DeskSettings(URL, "bj1").save(tmp_path)
    assert PASSWORD not in _files_text(tmp_path)
    assert not (tmp_path / desk_login.SECRET_FILE).exists()
    assert list(backend.entries.values()) == [PASSWORD]
    data = json.loads((tmp_path / "desk.json").read_text(encoding="utf-8"))
    assert data == {"central_url": "postgresql://ld_desk_bj1@central.example:5432/loyalty", "desk": "bj1", "password_in": "keyring"}
    assert DeskSettings.load(tmp_path) == DeskSettings(URL, "bj1")
    DeskSettings.forget(tmp_path)
    assert backend.entries == {} and not (tmp_path / "desk.json").exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("backend", [fail.Keyring(), MemoryKeyring(broken=True)], ids=["no keychain", "keychain refuses"])
def test_without_a_usable_keychain_the_password_is_in_a_file_only_the_user_can_read(tmp_path: Path, restore_keyring: None, backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)
    DeskSettings(URL, "bj1").save(tmp_path)
    secret = tmp_path / desk_login.SECRET_FILE
    assert secret.read_text(encoding="utf-8") == PASSWORD
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert PASSWORD not in (tmp_path / "desk.json").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "desk.json").read_text(encoding="utf-8"))["password_in"] == "file"
    assert DeskSettings.load(tmp_path) == DeskSettings(URL, "bj1")


@pytest.mark.parametrize("usable", [True, False], ids=["to the keychain", "to a private file"])
def test_a_password_in_an_older_desk_json_moves_out_on_start(tmp_path: Path, restore_keyring: None, usable: bool) -> None:
    backend = MemoryKeyring() if usable else fail.Keyring()
    keyring.set_keyring(backend)
    (tmp_path / "desk.json").write_text(json.dumps({"central_url": URL, "desk": "bj1"}), encoding="utf-8")
    assert DeskSettings.load(tmp_path) == DeskSettings(URL, "bj1")
    assert PASSWORD not in (tmp_path / "desk.json").read_text(encoding="utf-8")
    assert (list(backend.entries.values()) == [PASSWORD]) if usable else (tmp_path / desk_login.SECRET_FILE).read_text(encoding="utf-8") == PASSWORD
    assert DeskSettings.load(tmp_path) == DeskSettings(URL, "bj1")  # and reads back on the next start


def test_two_desks_on_one_machine_keep_their_own_passwords(tmp_path: Path, restore_keyring: None) -> None:
    keyring.set_keyring(MemoryKeyring())
    DeskSettings(URL, "bj1").save(tmp_path / "a")
    other = URL.replace(PASSWORD, "another-one")
    DeskSettings(other, "bj1").save(tmp_path / "b")
    assert DeskSettings.load(tmp_path / "a").central_url == URL
    assert DeskSettings.load(tmp_path / "b").central_url == other


def test_a_lost_password_leaves_a_url_without_one(tmp_path: Path, restore_keyring: None) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    DeskSettings(URL, "bj1").save(tmp_path)
    backend.entries.clear()  # the keychain was wiped: the desk cannot log in and says so (offline), it does not crash
    assert DeskSettings.load(tmp_path).central_url == "postgresql://ld_desk_bj1@central.example:5432/loyalty"
