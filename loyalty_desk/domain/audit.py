"""One row of the audit trail as readers see it: the audit viewer pages through these and the audit
workbook writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AuditRow:
    id: int
    occurred_at: datetime
    actor: str
    desk: str
    branch_code: str | None
    action: str
    entity: str | None
    entity_id: str | None
    member_no: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    details: dict[str, Any] | None
    hash: str
    # The people and things the row names, as a reader knows them (resolved when the page is read;
    # the stored row itself keeps its codes and ids).
    actor_name: str | None = None  # the staff member's display name
    member_name: str | None = None  # masked, as every other screen shows it
    subject_kind: str | None = None  # "reward", "redemption", "adjustment_request", "staff", "member", "statement"...
    subject: str | None = None  # reward name (Chinese), redemption number, request number, staff display name...
    subject_en: str | None = None  # the English form where it differs (reward names)
