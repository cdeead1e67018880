"""What the outreach command and screen read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class OutreachBatchView:
    code: str
    reason: str
    period: str
    segment: str
    campaign: str | None
    created_by: str
    created_at: datetime
    messages: int
    opted_out: int
    no_mobile: int
    already_messaged: int
    nothing_to_say: int
    file_name: str | None
    file_sha256: str | None
    statuses: dict[str, int] = field(default_factory=dict)  # written | accepted | delivered | failed | rejected -> messages

    @property
    def left_out(self) -> int:
        return self.opted_out + self.no_mobile + self.already_messaged + self.nothing_to_say


@dataclass(frozen=True)
class DeliveryImport:
    batch: str
    rows: int
    updated: int  # messages whose status changed
    unchanged: int  # the same status again (a report imported twice)
    unknown_messages: tuple[str, ...]  # message ids of no message of this batch
    unknown_statuses: tuple[tuple[int, str], ...]  # (row, status) the platform's word we do not know
    unreadable_rows: tuple[int, ...]


@dataclass(frozen=True)
class SendResult:
    batch: str
    pending: int  # messages neither accepted nor refused before this send
    accepted: int
    refused: int  # recorded as rejected
    not_sent: int  # timeout, connection failure, the platform busy, or cancelled: still to send
    refusals: tuple[tuple[str, str], ...]  # (message id, the platform's reason), the first few
    not_sent_reasons: tuple[tuple[str, int], ...]  # (reason, messages)
    cancelled: bool
