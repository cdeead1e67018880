"""Where the local store is: --data-dir, then LOYALTY_DESK_DATA_DIR, then the folder the user chose in
the desk's settings (a pointer file the command line reads without Qt), then the platform default."""

from __future__ import annotations

from pathlib import Path

from loyalty_desk import bootstrap


def test_precedence_env_then_the_users_choice_then_the_platform_default(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(bootstrap.DATA_DIR_ENV, raising=False)
    platform_default = bootstrap.default_data_dir()
    assert platform_default.is_relative_to(tmp_path / "data")

    bootstrap.write_data_folder_pointer(tmp_path / "chosen")
    assert bootstrap.data_folder_pointer_path().is_relative_to(tmp_path / "config")
    assert bootstrap.default_data_dir() == tmp_path / "chosen"

    monkeypatch.setenv(bootstrap.DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert bootstrap.default_data_dir() == tmp_path / "from-env"

    monkeypatch.delenv(bootstrap.DATA_DIR_ENV)
    bootstrap.write_data_folder_pointer(None)  # back to the default
    assert not bootstrap.data_folder_pointer_path().exists()
    assert bootstrap.default_data_dir() == platform_default


def test_a_damaged_pointer_falls_back_to_the_default(tmp_path):
    pointer = tmp_path / "data-folder.json"
    pointer.write_text("{not json", encoding="utf-8")
    assert bootstrap.read_data_folder_pointer(pointer) is None
    pointer.write_text('{"data_folder": ""}', encoding="utf-8")
    assert bootstrap.read_data_folder_pointer(pointer) is None
    pointer.write_text('{"data_folder": "/srv/desk"}', encoding="utf-8")
    assert bootstrap.read_data_folder_pointer(pointer) == Path("/srv/desk")


def test_the_command_line_option_wins(tmp_path, monkeypatch):
    from loyalty_desk.cli import main as cli

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv(bootstrap.DATA_DIR_ENV, str(tmp_path / "from-env"))
    bootstrap.write_data_folder_pointer(tmp_path / "chosen")
    seen = []
    monkeypatch.setattr(cli, "_dispatch", lambda args, data_dir: seen.append(data_dir) or 0)
    assert cli.main(["--data-dir", str(tmp_path / "given"), "lookup", "x"]) == 0
    assert cli.main(["lookup", "x"]) == 0
    assert seen == [tmp_path / "given", tmp_path / "from-env"]
