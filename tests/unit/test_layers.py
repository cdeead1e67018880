"""The import rules between layers (architecture.md), enforced by import-linter's contracts in pyproject.toml."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_layer_contracts_hold(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(no_cache=True)
    output = capsys.readouterr().out
    assert exit_code == 0, output
