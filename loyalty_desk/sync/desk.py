"""The desk's side of sync, put together: ``DeskSync`` = push, outcomes, pull, rows that give way, member requests.

Identity of rows. The desk's SQLite store is a replica of central: rows pulled from the change
feed keep central's ids. Rows a desk operation writes locally before central has seen it
("provisional" rows) get ids from ``PROVISIONAL_BASE`` up (central never gets there), so the two
never collide. When the feed brings central's ``operation`` row for one of our operations (it is
always the first row that operation's transaction wrote), the provisional rows of that operation
are replaced by central's copies, which follow in the same page (same ``entry_uid``). A rejected
operation never reaches the feed: its provisional postings are reversed locally with
compensating entries — a debit given back to the very lots (``Ledger.restore``), a credit taken
back out of the very lots it credited (``Ledger.reverse_credit``; see ``compensation.reverse_credit`` for when
that must wait), its stock movements undone by opposite ones — and it goes to ``sync_exception``.

Projections. Central's ``member.posted_balance`` and ``lot.remaining`` are taken as pulled, except
for members with provisional rows, whose projections are recomputed from the rows
(balance = sum of entries, lot remaining = original + sum of movements, held in range while a
double spend waits for central's verdict). A branch's ``reward_stock.on_hand`` pulled from central
is lowered (raised) by the stock this desk's own operations took (gave back) that central's feed
has not brought back yet (``replica.recompute_stock``), so the desk never shows goods it has handed out.

Never stuck. A feed page a local provisional row stands in the way of is written once that row has
given way to central's (``sync/give_way.py``: its waiting operation rejected here, the row and what
depends on it removed, the clash queued as a sync exception); rows central will never receive
(members and entries an older release wrote outside the operations) give way before each push; a
row central's database refuses at push rejects that operation only. Member numbers: blocks of
central's sequence (``reserve_member_numbers``, topped up each round; ``services/member_numbers.py``).

Kill points for the crash tests: ``LOYALTY_DESK_SYNC_KILL_AT`` = ``before_send`` |
``after_commit`` | ``after_ack`` makes the process SIGKILL itself at that point of a push.
"""

from __future__ import annotations

from typing import Any

from loyalty_desk.services.audit import Progress
from loyalty_desk.sync.desk_state import CentralUnreachable, Outcome, PushReport
from loyalty_desk.sync.member_requests import DeskMemberRequests
from loyalty_desk.sync.push import DeskPush


class DeskSync(DeskPush, DeskMemberRequests):
    """The desk's sync engine: push (``push.py``), verdicts (``outcomes.py``), pull (``pull.py``), rows that
    give way (``make_way.py``), members and member numbers asked of central (``member_requests.py``)."""

    def sync_once(self, progress: Progress | None = None, *, wait: float = 2.0) -> dict[str, Any]:
        """Push, collect verdicts (waiting up to ``wait`` s), pull. Raises ``CentralUnreachable``."""
        self._retire_orphans()  # nothing central will never know is sent (``_retire_local_members``)
        pushed = self.push()
        outcomes = self.collect_outcomes(wait=wait)
        pulled = self.pull(progress)
        if pushed.refused or outcomes or pulled.rows or pulled.stopped_at:
            self._retire_orphans()  # a registration rejected in this round leaves a member central will never know
        self._top_up_member_numbers()
        self._report_position()
        # central answered: what still waits on a backoff from the offline time goes now
        late = self.push(due_only=False)
        if late.sent or late.already_there:
            pushed = PushReport(pushed.sent + late.sent, pushed.already_there + late.already_there, pushed.refused + late.refused)
        return {"pushed": pushed, "outcomes": outcomes, "pulled": pulled}

    def confirm(self, operation_id: str, *, wait: float = 2.0) -> Outcome | None:
        """An online operation at the counter: push it now and wait briefly for central's verdict."""
        try:
            self.push([operation_id])
            found = self.collect_outcomes([operation_id], wait=wait)
        except CentralUnreachable:
            return None
        return found[0] if found else None
