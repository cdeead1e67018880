"""Machine-wide desk defaults: the desk.ini the Windows installer or IT writes for every user."""

from __future__ import annotations

from pathlib import Path

from loyalty_desk.bootstrap import MachineDefaults, default_desk_name, machine_config_path, machine_defaults


def test_the_installer_written_file_is_read(tmp_path: Path) -> None:
    ini = tmp_path / "desk.ini"
    # As Inno Setup's [INI] section writes it (keys in any order, values unquoted, '%' left alone).
    ini.write_text("[desk]\nbranch=BJ01\ncentral_url=postgresql://central.bank:5432/loyalty?sslmode=require&x=%41\ndesk_name=bj01_desk03\n", encoding="utf-8")
    assert machine_defaults(ini) == MachineDefaults(
        central_url="postgresql://central.bank:5432/loyalty?sslmode=require&x=%41", desk_name="bj01_desk03", branch="BJ01"
    )


def test_absent_or_unreadable_files_mean_no_defaults(tmp_path: Path) -> None:
    assert machine_defaults(tmp_path / "missing.ini") == MachineDefaults()
    (tmp_path / "other.ini").write_text("[other]\nx=1\n", encoding="utf-8")
    assert machine_defaults(tmp_path / "other.ini") == MachineDefaults()
    (tmp_path / "broken.ini").write_text("no section header\n", encoding="utf-8")
    assert machine_defaults(tmp_path / "broken.ini") == MachineDefaults()
    (tmp_path / "commented.ini").write_text("[desk]\n; central_url = postgresql://x/y\n", encoding="utf-8")  # the .deb's template
    assert machine_defaults(tmp_path / "commented.ini") == MachineDefaults()


def test_the_desk_name_comes_from_the_machine_file_else_the_host_name(tmp_path: Path, monkeypatch) -> None:
    ini = tmp_path / "desk.ini"
    monkeypatch.setenv("LOYALTY_DESK_MACHINE_CONFIG", str(ini))
    assert machine_config_path() == ini
    host_name = default_desk_name()
    assert host_name
    ini.write_text("[desk]\ndesk_name = sh01_desk07\n", encoding="utf-8")
    assert default_desk_name() == "sh01_desk07"


def test_the_machine_file_lives_where_the_installers_put_it(monkeypatch) -> None:
    monkeypatch.delenv("LOYALTY_DESK_MACHINE_CONFIG", raising=False)
    import os

    expected = "desk.ini"
    assert machine_config_path().name == expected
    if os.name != "nt":
        assert machine_config_path() == Path("/etc/loyalty-desk/desk.ini")
