"""The expiry job: one expiry entry per member per run date for the lots past their date.

The entry id is ``expiry:<member_no>:<run date>``, so running the job twice for the same
date, or rerunning it after it was killed midway, posts nothing new. Members are posted
in batches of ``BATCH_MEMBERS`` per transaction.
"""

from __future__ import annotations

from datetime import date

from loyalty_desk.services.audit import Actor, NoProgress, Progress, record
from loyalty_desk.services.context import ServiceContext, refuse_local_job
from loyalty_desk.services.dto import ExpiryReport
from loyalty_desk.services.ledger import Ledger, Posting

JOB = "expiry"
BATCH_MEMBERS = 500


def expiry_entry_uid(member_no: str, as_of: date) -> str:
    return f"expiry:{member_no}:{as_of.isoformat()}"


class ExpiryService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def run(self, *, as_of: date, actor: Actor | None = None, progress: Progress | None = None) -> ExpiryReport:
        """Expires every open lot whose last valid day is before ``as_of``."""
        refuse_local_job(self._context, "expire")
        actor = actor or self._context.system_actor(JOB)
        progress = progress or NoProgress()
        progress.set_status("expiry.finding")
        with self._context.uow() as uow:
            member_ids = uow.ledger.members_with_lots_expired_before(as_of)
        total = len(member_ids)
        expired_members = expired_points = already = 0
        cancelled = False
        settings = self._context.rules_on(as_of)
        progress.set_status("expiry.posting")
        for start in range(0, total, BATCH_MEMBERS):
            if progress.is_cancelled():
                cancelled = True
                break
            with self._context.uow(write=True) as uow:
                ledger = Ledger(uow, settings, self._context.clock())
                for member_id in member_ids[start : start + BATCH_MEMBERS]:
                    member = uow.members.lock(member_id)
                    if member is None:
                        continue
                    uid = expiry_entry_uid(member.member_no, as_of)
                    if ledger.already_posted(uid):
                        already += 1
                        continue
                    posting = Posting(entry_uid=uid, kind="expire", rule="expiry", occurred_on=as_of, details={"as_of": as_of.isoformat()})
                    entry = ledger.expire(member, posting, as_of)
                    if entry is not None:
                        expired_members += 1
                        expired_points += -entry.points
                uow.commit()
            progress.set_progress(min(start + BATCH_MEMBERS, total), total)

        now = self._context.clock()
        result = {
            "as_of": as_of.isoformat(),
            "members_expired": expired_members,
            "points_expired": expired_points,
            "already_run_members": already,
            "cancelled": cancelled,
        }
        with self._context.uow(write=True) as uow:
            run = uow.reference.start_job_run(JOB, as_of.isoformat(), now)
            if not cancelled:
                run.finished_at = now
            run.result = result
            record(uow, actor, "job.expiry", entity="job_run", entity_id=as_of.isoformat(), details=result, now=now)
            uow.commit()
        return ExpiryReport(as_of=as_of, members_expired=expired_members, points_expired=expired_points, already_run_members=already)
