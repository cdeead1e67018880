"""What the segment screen and command read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class SegmentView:
    code: str
    name_zh: str
    name_en: str
    criteria: dict[str, Any]  # SegmentCriteria.as_payload()
    described: tuple[str, ...]  # the criteria in English phrases (the command line)
    version: int
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class SegmentCount:
    members: int
    as_of: date
