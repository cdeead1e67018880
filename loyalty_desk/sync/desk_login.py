"""Where a desk keeps the password of its own central login (the one ``central add-desk`` issued).

Not in ``desk.json``: that file holds the central URL without the password. The password goes to
the platform's keychain through the ``keyring`` package when a usable backend exists (Windows
Credential Manager, macOS Keychain, Secret Service on a Linux desktop); otherwise to
``desk.secret`` in the data folder, created readable and writable by the user alone (0600).
``desk.json`` says which (``"password_in": "keyring" | "file"``). A ``desk.json`` written by an
earlier release, with the password in its URL, is moved over the first time it is read.

The keychain entry is named by the desk and its data folder, so two desks on one machine (or a
test) never read each other's password.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

SERVICE = "Loyalty Desk central login"
SECRET_FILE = "desk.secret"
KEYRING, FILE = "keyring", "file"


def _account(data_dir: Path, desk: str) -> str:
    return f"{desk}@{Path(data_dir).resolve()}"


def _backend():
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - a dependency; kept working without it
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    if type(backend).__module__.startswith("keyring.backends.null"):
        return None
    return backend


def store(data_dir: Path, desk: str, password: str) -> str:
    """Keeps the password; returns where (``keyring`` or ``file``)."""
    backend = _backend()
    if backend is not None:
        try:
            backend.set_password(SERVICE, _account(data_dir, desk), password)
        except Exception as error:
            log.warning("keychain refused the desk login (%s): kept in %s instead", error, SECRET_FILE)
        else:
            (Path(data_dir) / SECRET_FILE).unlink(missing_ok=True)
            return KEYRING
    _write_private(Path(data_dir) / SECRET_FILE, password)
    return FILE


def load(data_dir: Path, desk: str, where: str | None) -> str | None:
    """The password kept by ``store``; None when it is gone (the desk then cannot log in: it shows offline)."""
    if where == KEYRING:
        backend = _backend()
        if backend is not None:
            try:
                found = backend.get_password(SERVICE, _account(data_dir, desk))
            except Exception as error:
                log.warning("keychain could not be read (%s)", error)
                found = None
            if found is not None:
                return str(found)
    path = Path(data_dir) / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return None


def forget(data_dir: Path, desk: str) -> None:
    backend = _backend()
    if backend is not None:
        with contextlib.suppress(Exception):  # no password stored there is as good as one removed
            backend.delete_password(SERVICE, _account(data_dir, desk))
    (Path(data_dir) / SECRET_FILE).unlink(missing_ok=True)


def _write_private(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    os.replace(tmp, path)
