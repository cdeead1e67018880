"""The CSV encoding check reads the file in chunks: the byte offset and line of the first byte
that is neither UTF-8 nor GB18030 are exact wherever the chunks happen to split the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_desk.documents import transactions
from loyalty_desk.domain.errors import DomainError


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 1 << 20])
def test_offsets_and_lines_are_exact_across_chunk_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(transactions, "CHUNK_BYTES", chunk)
    good = "txn_id,product\n1,网点活动\n2,€uro\n".encode()
    path = tmp_path / "feed.csv"
    path.write_bytes(good + b"3,\xff\n")
    with pytest.raises(DomainError) as caught:
        transactions.detect_encoding(path)
    assert (caught.value.params["offset"], caught.value.params["line"]) == (len(good) + 2, 4)

    path.write_bytes(good)
    assert transactions.detect_encoding(path) == "utf-8"
    path.write_bytes(b"\xef\xbb\xbf" + good)
    assert transactions.detect_encoding(path) == "utf-8-sig"
    path.write_bytes("txn_id,product\n1,网点活动\n".encode("gb18030"))
    assert transactions.detect_encoding(path) == "gb18030"


@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 20])
def test_a_sequence_cut_off_at_the_end_of_the_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(transactions, "CHUNK_BYTES", chunk)
    path = tmp_path / "feed.csv"
    body = b"\xef\xbb\xbfa,b\n1,"
    path.write_bytes(body + "网".encode()[:2])  # a BOM says UTF-8; the last character is cut in half
    with pytest.raises(DomainError) as caught:
        transactions.detect_encoding(path)
    assert (caught.value.params["offset"], caught.value.params["line"], caught.value.params["encoding"]) == (len(body), 2, "UTF-8")
