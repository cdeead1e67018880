"""What a desk joined to central reads when it starts: ``desk.json`` and the desk's login (which may
live in the system keychain) once, not once for each service that needs the desk's name or central."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loyalty_desk.bootstrap import build_services
from loyalty_desk.sync import desk_login
from loyalty_desk.sync.desk_settings import DeskSettings


def test_a_joined_desk_reads_its_settings_and_login_once_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "store"
    build_services(data_dir).close()  # a store of its own first, as `sync --join` finds it
    DeskSettings(central_url="postgresql://desk_bj1:secret@127.0.0.1:1/central", desk="bj1").save(data_dir)
    logins: list[str] = []
    load = desk_login.load

    def counted(*args: Any) -> str | None:
        logins.append(args[1])
        return load(*args)

    monkeypatch.setattr(desk_login, "load", counted)
    services = build_services(data_dir)
    try:
        assert logins == ["bj1"]
        assert services.desk_name == "bj1"
        assert services.sync.desk is not None  # type: ignore[attr-defined]
        assert services.sync.settings.central_url == "postgresql://desk_bj1:secret@127.0.0.1:1/central"  # type: ignore[attr-defined]
    finally:
        services.close()
