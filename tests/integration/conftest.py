from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from earning_support import Desk, open_desk


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    opened = open_desk(tmp_path / "store")
    yield opened
    opened.close()
