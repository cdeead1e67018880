"""Head office's imports into central (``import ... --central URL``) meet the same file rules as on
a desk: NUL and other control characters, over-long fields, rows with the wrong number of fields
and amounts in any but the one format are refused with a per-row report; PostgreSQL never sees
them, so the command ends with a refusal (exit 1), never with an unexpected error (exit 70)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sync_support import central_scalar

from loyalty_desk.cli.main import main
from loyalty_desk.domain.identity import make_resident_id

pytestmark = pytest.mark.postgres

HEADER = "txn_id,member_no,date,source,amount,product,due_date,original_txn_id"


@pytest.fixture
def filled_central(central_url: str) -> str:
    assert main(["demo", "--central", central_url, "--members", "5"]) == 0
    return central_url


def test_bad_transaction_files_are_refused_by_central_with_the_row_named(filled_central: str, tmp_path: Path, capsys) -> None:
    url = filled_central
    member_no = str(central_scalar(url, "SELECT member_no FROM member WHERE status = 'active' ORDER BY id LIMIT 1"))
    day = (date.today() - timedelta(days=1)).isoformat()
    entries = central_scalar(url, "SELECT count(*) FROM ledger_entry")
    capsys.readouterr()
    cases = {
        "nul.csv": (f"{HEADER}\nHO-1,{member_no},{day},branch_event,,CA\x00RD,,\n", "row 2, column product", "U+0000"),
        "long.csv": (f"{HEADER}\n{'H' * 65},{member_no},{day},branch_event,,,,\n", "row 2, column txn_id", "at most 64"),
        "thousands.csv": (f"{HEADER}\nHO-2,{member_no},{day},card_spend,1,000.00,CARD,,\n", "row 2, column ,", "9 fields"),
        "c1.csv": (f"{HEADER}\nHO-3,{member_no},{day},branch_event,,\u0085x,,\n", "row 2, column product", "U+0085"),
    }
    for name, (content, where, why) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8", newline="")
        assert main(["import", "transactions", str(path), "--central", url]) == 1, name
        err = capsys.readouterr().err
        assert where in err and why in err and "unexpected error" not in err, err
        assert (tmp_path / name.replace(".csv", ".errors.xlsx")).exists()
    assert central_scalar(url, "SELECT count(*) FROM ledger_entry") == entries


def test_a_member_file_with_a_nul_byte_is_refused_by_central(filled_central: str, tmp_path: Path, capsys) -> None:
    url = filled_central
    members = central_scalar(url, "SELECT count(*) FROM member")
    path = tmp_path / "people.csv"
    rid = make_resident_id("110105", date(1991, 2, 3), 11)
    path.write_text(f"name,id_type,id_number,mobile,branch_code\n总行\x00新客,resident_id,{rid},13711112222,BJ01\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "members", str(path), "--central", url]) == 1
    err = capsys.readouterr().err
    assert "U+0000" in err and "unexpected error" not in err
    assert central_scalar(url, "SELECT count(*) FROM member") == members


def test_an_adjustment_file_with_bad_points_or_a_nul_byte_is_refused_by_central(filled_central: str, tmp_path: Path, capsys, monkeypatch) -> None:
    url = filled_central
    member_no = str(central_scalar(url, "SELECT member_no FROM member WHERE status = 'active' ORDER BY id LIMIT 1"))
    requests = central_scalar(url, "SELECT count(*) FROM adjustment_request")
    path = tmp_path / "adjust.csv"
    memo = "Card purchase not credited"
    path.write_text(
        "member_no,points,reason_code,memo,evidence_ref\n"
        f"{member_no},500,MISSING_POINTS,{memo}\x00,E1\n"
        f'{member_no},"1,000",MISSING_POINTS,{memo},E2\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", "demo1234")
    capsys.readouterr()
    assert main(["import", "adjustments", str(path), "--central", url, "--user", "officer.hq1"]) == 1
    err = capsys.readouterr().err
    assert "row 2, column memo" in err and "U+0000" in err and "row 3, column points" in err and "unexpected error" not in err, err
    assert central_scalar(url, "SELECT count(*) FROM adjustment_request") == requests
