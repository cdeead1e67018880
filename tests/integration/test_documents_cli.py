"""The command line of documents: statement (and verify, genuine and edited), statements in a
batch, export (signed in), import members, templates."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_member, add_staff, open_store, post_earning
from openpyxl import load_workbook
from pypdf import PdfReader

from loyalty_desk.cli.main import main
from loyalty_desk.domain.identity import make_resident_id


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    store = open_store(folder, now=datetime(2026, 6, 30, 12))
    add_branch(store.context)
    add_staff(store.context, username="super.bj", role="supervisor")
    for name in ("张伟", "王芳"):
        member = add_member(store.context, name=name)
        post_earning(store.context, member, 1_200, on=date(2026, 3, 1))
    store.close()
    return folder


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def test_statement_then_verify_genuine_and_edited(data_dir: Path, tmp_path: Path, capsys) -> None:
    assert run(data_dir, "statement", "M1000000008", "--from", "2026-01-01", "--to", "2026-06-30", "--out", str(tmp_path / "s.pdf")) == 0
    out = capsys.readouterr().out
    assert "closing 1,200" in out and "张伟" in PdfReader(str(tmp_path / "s.pdf")).pages[0].extract_text()
    qr = out.split("QR text (for 'statement verify'): ")[1].strip()
    assert run(data_dir, "statement", "verify", qr) == 0
    assert "GENUINE" in capsys.readouterr().out
    edited = qr.replace(":1200:", ":12000:")
    assert edited != qr
    assert run(data_dir, "statement", "verify", edited) == 1
    assert "altered" in capsys.readouterr().err
    assert run(data_dir, "statement", "verify", "not a statement") == 1
    # bad input: a clear line, no traceback
    assert run(data_dir, "statement", "M1000000008", "--from", "2026-06-30", "--to", "2026-01-01", "--out", str(tmp_path / "x.pdf")) == 1
    assert "before it starts" in capsys.readouterr().err


def test_statements_batch_from_a_csv(data_dir: Path, tmp_path: Path, capsys) -> None:
    members = tmp_path / "list.csv"
    members.write_text("member_no\nM1000000008\nM1000000016\n", encoding="utf-8")
    assert run(data_dir, "statements", "--members", str(members), "--out", str(tmp_path / "out"), "--from", "2026-01-01", "--to", "2026-06-30") == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["M1000000008.pdf", "M1000000016.pdf"]
    assert run(data_dir, "statements", "--members", str(members), "--out", str(tmp_path / "all.pdf"), "--combined", "--period", "this_month") == 0
    assert len(PdfReader(str(tmp_path / "all.pdf")).pages) == 2


def test_export_signs_in_and_writes_the_workbook(data_dir: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    assert run(data_dir, "export", "members", "--out", str(tmp_path / "m.xlsx"), "--user", "super.bj") == 0
    assert "2 rows exported" in capsys.readouterr().out
    assert load_workbook(tmp_path / "m.xlsx").sheetnames == ["Members", "Filter"]
    # the referral report: same command, same sign-in
    assert run(data_dir, "export", "referrals", "--branch", "BJ01", "--from", "2026-01-01", "--to", "2026-12-31",
               "--out", str(tmp_path / "r.xlsx"), "--user", "super.bj") == 0
    assert "rows exported" in capsys.readouterr().out
    assert load_workbook(tmp_path / "r.xlsx").sheetnames == ["Referral report", "Filter"]
    # the same rows as CSV, by the file's ending
    assert run(data_dir, "export", "members", "--out", str(tmp_path / "m.csv"), "--user", "super.bj") == 0
    assert "2 rows exported" in capsys.readouterr().out
    lines = (tmp_path / "m.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Member no.,Name,") and len(lines) == 3
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", "wrong")
    assert run(data_dir, "export", "members", "--out", str(tmp_path / "n.xlsx"), "--user", "super.bj") == 1
    assert not (tmp_path / "n.xlsx").exists()


def test_import_members_and_templates(data_dir: Path, tmp_path: Path, capsys) -> None:
    assert run(data_dir, "template", "members", "--out", str(tmp_path / "t.xlsx")) == 0
    path = tmp_path / "new.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "id_type", "id_number", "mobile", "branch_code"])
        writer.writerow(["李明", "resident_id", make_resident_id("110105", date(1990, 1, 2), 7), "13700000001", "BJ01"])
        writer.writerow(["坏行", "resident_id", "110105199001020000", "13700000002", "BJ01"])
    assert run(data_dir, "import", "members", str(path)) == 1
    captured = capsys.readouterr()
    assert "row 3, column id_number" in captured.err and "Nothing registered" in captured.err
    assert (tmp_path / "new.errors.xlsx").exists()
    assert run(data_dir, "import", "members", str(path), "--skip-invalid") == 0
    assert "1 members registered" in capsys.readouterr().out
    assert run(data_dir, "import", "members", str(path), "--skip-invalid") == 0
    assert "0 members registered, 1 already registered" in capsys.readouterr().out
