"""Sync status: operation kinds and reasons in words, the table models, and the reads behind the screen."""

from __future__ import annotations

from typing import Any

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.models import _RowsModel

RESOLVE_ROLES = frozenset({"supervisor"})
_t = fmt.Words("SyncStatusScreen")

KINDS: dict[str, str] = {
    "redeem": QT_TRANSLATE_NOOP("SyncStatusScreen", "Redemption"),
    "redeem.reverse": QT_TRANSLATE_NOOP("SyncStatusScreen", "Redemption reversal"),
    "adjust.request": QT_TRANSLATE_NOOP("SyncStatusScreen", "Adjustment request"),
    "adjust.approve": QT_TRANSLATE_NOOP("SyncStatusScreen", "Adjustment approval"),
    "adjust.reject": QT_TRANSLATE_NOOP("SyncStatusScreen", "Adjustment rejection"),
    "adjust.cancel": QT_TRANSLATE_NOOP("SyncStatusScreen", "Adjustment cancelled"),
    "referral.register": QT_TRANSLATE_NOOP("SyncStatusScreen", "Referral registration"),
    "member.enrol": QT_TRANSLATE_NOOP("SyncStatusScreen", "New member enrolled"),
    "member.change_address": QT_TRANSLATE_NOOP("SyncStatusScreen", "Address change"),
    "member.change_card": QT_TRANSLATE_NOOP("SyncStatusScreen", "Card change"),
    "member.close": QT_TRANSLATE_NOOP("SyncStatusScreen", "Account closed"),
    "benefit.use": QT_TRANSLATE_NOOP("SyncStatusScreen", "Tier benefit used"),
    "referral.clear": QT_TRANSLATE_NOOP("SyncStatusScreen", "Referral cleared"),
    "referral.reject": QT_TRANSLATE_NOOP("SyncStatusScreen", "Referral rejected"),
    "sync.resolve": QT_TRANSLATE_NOOP("SyncStatusScreen", "Decision on a sync exception"),
}

# The decisions a supervisor may take on a rejected operation (SyncService.RESOLUTIONS).
RESOLUTIONS: dict[str, str] = {
    "points_owed": QT_TRANSLATE_NOOP("SyncStatusScreen", "Accept as points owed by the member"),
    "goods_reversed": QT_TRANSLATE_NOOP("SyncStatusScreen", "Reverse the goods (the reward was taken back)"),
    "written_off": QT_TRANSLATE_NOOP("SyncStatusScreen", "Write off (a second supervisor approves)"),
}


def kind_label(kind: str | None) -> str:
    return _t.of(KINDS, kind) if kind else "–"


def reason_text(code: str, params: dict | None) -> str:
    params = dict(params or {})
    refused = params.pop("refused_resolution", None)
    text = error_message(DomainError(code or "central.rejected", **params))
    if isinstance(refused, dict):
        # head office refused an earlier decision on this exception: it is open again, and says why
        decision = refused.get("resolution")
        text += " " + _t(REFUSED).format(
            decision=_t.of(RESOLUTIONS, decision, decision or "–"),
            reason=error_message(DomainError(str(refused.get("reason_code") or "central.rejected"), **dict(refused.get("params") or {}))),
        )
    return text


REFUSED = QT_TRANSLATE_NOOP("SyncStatusScreen", "Head office refused the decision taken on it ({decision}): {reason}")
POINTS_OWED_REFUSED = QT_TRANSLATE_NOOP(
    "SyncStatusScreen",
    "The member has only {available} points available, so the {requested} points cannot be taken again as points owed. "
    "Choose another decision: reverse the goods, or write off with a second supervisor's approval.",
)


def resolution_error_text(resolution: str | None, error: BaseException) -> str:
    """What the screen says when a decision is refused; "points owed" without the balance for it says so plainly."""
    if resolution == "points_owed" and isinstance(error, DomainError) and error.code == "balance.insufficient":
        available, requested = error.params.get("available"), error.params.get("requested")
        if isinstance(available, int) and isinstance(requested, int):
            return _t(POINTS_OWED_REFUSED).format(available=fmt.number(available), requested=fmt.number(requested))
    return error_message(error)




class WaitingModel(_RowsModel):
    """Rows of ``WaitingOperationView``."""

    numeric_columns = frozenset({3})

    def headers(self) -> list[str]:
        return [self.tr("Made"), self.tr("Operation"), self.tr("Member"), self.tr("Points"), self.tr("State"), self.tr("Last error")]

    def cell(self, row: Any, column: int) -> str:
        if row.sent:
            state = self.tr("sent, waiting for head office")
        elif row.attempts:
            state = self.tr("not sent ({n} attempts)").format(n=row.attempts)
        else:
            state = self.tr("not sent yet")
        if row.offline:
            state = self.tr("made offline") + " · " + state
        values = [
            fmt.datetime_utc(row.made_at),
            kind_label(row.kind),
            row.member_no or "–",
            fmt.number(row.points) if row.points is not None else "–",
            state,
            row.last_error or "",
        ]
        return values[column]


class ExceptionsModel(_RowsModel):
    """Rows of ``SyncExceptionView``."""

    numeric_columns = frozenset({3})

    def headers(self) -> list[str]:
        return [self.tr("Rejected"), self.tr("Operation"), self.tr("Member"), self.tr("Points"), self.tr("Reason"), self.tr("Operation id")]

    def cell(self, row: Any, column: int) -> str:
        values = [
            fmt.datetime_utc(row.created_at),
            kind_label(row.kind),
            row.member_no or "–",
            fmt.number(row.points) if row.points is not None else "–",
            reason_text(row.reason_code, row.params),
            row.operation_id,
        ]
        return values[column]


def load_sync_view(sync: Any) -> tuple[Any, list[Any], list[Any]]:
    """Off the UI thread: the status, the waiting operations and the open exceptions."""
    return sync.status(), sync.waiting(), sync.exceptions()


STAGES: dict[str, str] = {
    "sync.start": QT_TRANSLATE_NOOP("SyncStatusScreen", "Sending and receiving…"),
    "sync.pull": QT_TRANSLATE_NOOP("SyncStatusScreen", "Receiving head office's changes…"),
}


class _Progress:
    """The task's progress, with the sync engine's stage codes as sentences."""

    def __init__(self, state: Any) -> None:
        self._state = state

    def set_status(self, text: str) -> None:
        self._state.set_status(_t.of(STAGES, text))

    def set_progress(self, done: int, total: int) -> None:
        self._state.set_progress(done, total)

    def is_cancelled(self) -> bool:
        return bool(self._state.is_cancelled())


def sync_now(state: Any, sync: Any) -> Any:
    """Off the UI thread, with progress: one round (push, verdicts, pull); then the new status."""
    progress = _Progress(state)
    progress.set_status("sync.start")
    sync.sync_once(progress)
    return load_sync_view(sync)
