"""``desk.json``: which central this desk syncs with, under which login (the password kept apart), and
the read replica it pulls the change feed from, if any."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from loyalty_desk.sync import desk_login

SETTINGS_FILE = "desk.json"


@dataclass(frozen=True)
class DeskSettings:
    """The central URL with this desk's login, and the desk's name. On disk, ``desk.json`` holds the
    URL without the password, which is kept apart (``sync/desk_login.py``: the platform keychain,
    else a file readable by the user alone).

    ``read_url``: a streaming replica of central (or a pooler in front of one) the desk pulls the
    change feed from, under the same login (a physical replica has central's roles); pushes,
    verdicts, member fetches and member numbers stay on ``central_url`` (docs/sync.md, "Pooled and
    replica operation"). None: everything goes to ``central_url``."""

    central_url: str
    desk: str
    read_url: str | None = None

    @property
    def display_url(self) -> str:
        return _without_password(self.central_url)

    @property
    def display_read_url(self) -> str | None:
        return _without_password(self.read_url) if self.read_url else None

    def with_read_url(self, read_url: str | None) -> DeskSettings:
        """These settings reading from ``read_url`` (host, port, database, options; the login is always
        the desk's own); None or "" reads from central again."""
        if not read_url:
            return DeskSettings(self.central_url, self.desk)
        given, login = make_url(read_url), make_url(self.central_url)
        if given.get_backend_name() != "postgresql":
            raise ValueError(f"the read replica must be a PostgreSQL URL, not {_without_password(read_url)}")
        if given.username not in (None, login.username):
            raise ValueError(f"the read replica is read with this desk's own login ({login.username}), not {given.username}")
        given = given.set(username=login.username, password=login.password)
        return DeskSettings(self.central_url, self.desk, given.render_as_string(hide_password=False))

    @classmethod
    def load(cls, data_dir: Path) -> DeskSettings | None:
        path = data_dir / SETTINGS_FILE
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        desk, url = str(data["desk"]), make_url(str(data["central_url"]))
        read_url = str(data["read_url"]) if data.get("read_url") else None
        if url.password is not None:  # written by an earlier release: the password moves out of the file now
            settings = cls(central_url=url.render_as_string(hide_password=False), desk=desk).with_read_url(read_url)
            settings.save(data_dir)
            return settings
        password = desk_login.load(data_dir, desk, data.get("password_in"))
        if password is not None:
            url = url.set(password=password)
        return cls(central_url=url.render_as_string(hide_password=False), desk=desk).with_read_url(read_url)

    def save(self, data_dir: Path) -> Path:
        data_dir.mkdir(parents=True, exist_ok=True)
        url = make_url(self.central_url)
        where = desk_login.store(data_dir, self.desk, url.password) if url.password is not None else None
        path = data_dir / SETTINGS_FILE
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            saved = {"central_url": self.display_url, "desk": self.desk, "password_in": where}
            if self.read_url:
                saved["read_url"] = self.display_read_url
            json.dump(saved, handle)
        os.replace(tmp, path)
        return path

    @staticmethod
    def forget(data_dir: Path) -> None:
        """Removes ``desk.json`` and the password kept for it."""
        settings_path = data_dir / SETTINGS_FILE
        if settings_path.is_file():
            desk_login.forget(data_dir, str(json.loads(settings_path.read_text(encoding="utf-8")).get("desk", "")))
        settings_path.unlink(missing_ok=True)


def _without_password(value: str) -> str:
    url = make_url(value)
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query).render_as_string(hide_password=False)
