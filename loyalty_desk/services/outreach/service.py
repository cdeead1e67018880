"""Outreach batches for head-office marketing: the members of a segment messaged for a reason in their
own language, written as the SMS platform's file with its checksum; delivery results imported back;
a batch exported to Excel for review. Every batch, export and import is audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from loyalty_desk.documents.outreach import checksum_path, read_delivery_file, write_batch_workbook, write_sms_file
from loyalty_desk.domain.campaigns import StoredStatus
from loyalty_desk.domain.errors import DomainError, NotFound, ValidationError, or_not_found
from loyalty_desk.domain.identity import mask_mobile
from loyalty_desk.domain.outreach import REPORTED_STATUSES, DeliveryStatus, Reason, check_reason, message_text, period_for, valid_mobile
from loyalty_desk.domain.segments import dates_for
from loyalty_desk.services.adjustments.records import actor_of
from loyalty_desk.services.audit import NoProgress, Progress, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.outreach.dto import DeliveryImport, OutreachBatchView, SendResult
from loyalty_desk.services.outreach.sms_platform import PlatformConnection, SmsPlatformSettings, Verdict, load_settings
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.services.segments.service import segment_criteria
from loyalty_desk.store.models import Campaign, OutreachBatch, Staff
from loyalty_desk.store.repositories.outreach import Recipient
from loyalty_desk.store.uow import UnitOfWork

FIRST_TRANSACTION_RULE = "card_first_transaction"


def _view(row: OutreachBatch, statuses: dict[str, int]) -> OutreachBatchView:
    return OutreachBatchView(
        code=row.code, reason=row.reason, period=row.period, segment=row.segment_code, campaign=row.campaign_code, created_by=row.created_by,
        created_at=row.created_at, messages=row.messages, opted_out=row.opted_out, no_mobile=row.no_mobile,
        already_messaged=row.already_messaged, nothing_to_say=row.nothing_to_say, file_name=row.file_name, file_sha256=row.file_sha256,
        statuses=dict(statuses),
    )


SEND_PAGE = 1000  # unsent messages read at a time
SEND_CHUNK = 50  # messages whose platform answers are recorded in one transaction
REFUSALS_KEPT = 20


class OutreachService:
    def __init__(self, context: ServiceContext, sms_settings: Path | None = None) -> None:
        self._context = context
        self._sms_settings = sms_settings

    def today(self) -> date:
        """The day a batch built now belongs to (its period)."""
        return self._context.today()

    def sms_platform(self) -> SmsPlatformSettings | None:
        """The SMS platform's HTTP settings, or None when this desk has none (sending is then not offered);
        a settings file that says something wrong is refused naming the setting."""
        return load_settings(self._sms_settings) if self._sms_settings is not None else None

    def _marketer(self, uow: UnitOfWork, session: StaffSession) -> Staff:
        require(session.role, Permission.CAMPAIGN_MANAGE)
        staff = or_not_found(uow.staff.get(session.staff_id), "staff", session.staff_id)
        if not uow.staff.branch_of(staff).is_head_office:
            raise DomainError("outreach.head_office_only", username=staff.username)
        return staff

    # ------------------------------------------------------------------ building a batch

    def build(self, *, session: StaffSession, segment: str, reason: str, folder: str, campaign: str | None = None,
              progress: Progress | None = None) -> OutreachBatchView:
        """Messages for the segment's members, each at most once per reason and period, written to
        ``folder`` as ``sms_<batch>.csv`` with ``sms_<batch>.csv.sha256``; the batch and its messages are
        recorded (and audited) in the same transaction, which the file's failure undoes. ``progress``
        hears the members walked; cancelled, nothing is recorded and no file written."""
        progress = progress or NoProgress()
        chosen = check_reason(reason)
        target = Path(folder)
        if not target.is_dir():
            raise ValidationError("outreach.folder", field="folder", value=str(folder))
        today = self._context.today()
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            staff = self._marketer(uow, session)
            segment_code = str(segment or "").strip().upper()
            criteria = segment_criteria(uow, segment_code)
            invited = self._campaign(uow, chosen, campaign, today)
            period = period_for(chosen, today, invited.code if invited else None)
            code = f"OB{today:%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"
            batch = uow.outreach.add_batch(OutreachBatch(
                code=code, reason=chosen.value, period=period, segment_code=segment_code, campaign_code=invited.code if invited else None,
                created_by=staff.username, created_at=now, messages=0, opted_out=0, no_mobile=0, already_messaged=0, nothing_to_say=0,
            ))
            lines: list[tuple[str, str, str, str]] = []
            counts = {"opted_out": 0, "no_mobile": 0, "already_messaged": 0, "nothing_to_say": 0}
            dates = dates_for(criteria, today)
            total, walked = uow.segments.count(criteria, dates, today), 0
            progress.set_status("outreach.building")
            progress.set_progress(0, total)
            for page in uow.segments.member_ids(criteria, dates, today):
                if progress.is_cancelled():
                    raise DomainError("outreach.build_cancelled")
                figures = self._figures(uow, chosen, page, today, invited)
                already = uow.outreach.already_messaged(page, chosen.value, period)
                messages: list[dict[str, Any]] = []
                for member in uow.outreach.recipients(page):
                    said = figures(member)
                    mobile = valid_mobile(member.mobile)
                    if said is None:
                        counts["nothing_to_say"] += 1
                    elif member.opted_out:
                        counts["opted_out"] += 1
                    elif mobile is None:
                        counts["no_mobile"] += 1
                    elif member.member_id in already:
                        counts["already_messaged"] += 1
                    else:
                        message_id = f"{code}-{len(lines) + 1:07d}"
                        body = message_text(chosen, member.language, said)
                        messages.append({
                            "batch_id": batch.id, "member_id": member.member_id, "reason": chosen.value, "period": period,
                            "message_id": message_id, "mobile": mobile, "language": member.language, "body": body,
                            "status": DeliveryStatus.WRITTEN.value,
                        })
                        lines.append((message_id, mobile, member.language, body))
                uow.outreach.add_messages(messages)
                walked += len(page)
                progress.set_progress(min(walked, total), total)
            if progress.is_cancelled():
                raise DomainError("outreach.build_cancelled")
            file_name = f"sms_{code}.csv"
            written, digest = write_sms_file(target / file_name, lines)
            try:
                batch.messages, batch.file_name, batch.file_sha256 = written, file_name, digest
                batch.opted_out, batch.no_mobile = counts["opted_out"], counts["no_mobile"]
                batch.already_messaged, batch.nothing_to_say = counts["already_messaged"], counts["nothing_to_say"]
                record(uow, actor_of(uow, staff, self._context.desk_name), "outreach.batch_built", entity="outreach_batch", entity_id=code,
                       after={"reason": chosen.value, "period": period, "segment": segment_code, "campaign": batch.campaign_code,
                              "messages": written, **counts},
                       details={"file": file_name, "sha256": digest}, now=now)
                uow.commit()
            except BaseException:  # no batch recorded: no file for the platform either
                for leftover in (target / file_name, checksum_path(target / file_name)):
                    leftover.unlink(missing_ok=True)
                raise
            return _view(batch, {DeliveryStatus.WRITTEN.value: written} if written else {})

    @staticmethod
    def _campaign(uow: UnitOfWork, reason: Reason, code: str | None, today: date) -> Campaign | None:
        if reason is not Reason.CAMPAIGN_INVITATION:
            return None
        if not code:
            raise ValidationError("outreach.campaign_required", field="campaign")
        row = or_not_found(uow.reference.campaign_by_code(str(code).strip().upper()), "campaign", code)
        if row.status != StoredStatus.APPROVED.value or row.ends_on < today or int(row.spent_points or 0) >= int(row.budget_points):
            raise DomainError("outreach.campaign_not_open", campaign=row.code)
        return row

    def _figures(self, uow: UnitOfWork, reason: Reason, page: Sequence[int], today: date, campaign: Campaign | None) -> Any:
        """A function giving a member's figures for the message, or None when the reason does not concern them."""
        days = reason.expiring_days
        if days is not None:
            expiring = uow.outreach.expiring(page, today, today + timedelta(days=days))

            def expiring_figures(member: Recipient) -> dict[str, Any] | None:
                found = expiring.get(member.member_id)
                if not found:
                    return None
                return {"name": member.name, "points": f"{found[0]:,}", "expires_on": found[1].isoformat(), "days": (found[1] - today).days}

            return expiring_figures
        if reason is Reason.CAMPAIGN_INVITATION:
            assert campaign is not None
            tiers, branches = set(campaign.tiers or ()), set(campaign.branches or ())

            def invitation_figures(member: Recipient) -> dict[str, Any] | None:
                if (tiers and member.tier not in tiers) or (branches and member.branch_code not in branches):
                    return None
                name = campaign.name_en if member.language == "en" else campaign.name_zh
                return {"name": member.name, "campaign": name, "starts_on": campaign.starts_on.isoformat(),
                        "ends_on": campaign.ends_on.isoformat()}

            return invitation_figures
        rules = self._context.rules.earning
        started = uow.outreach.with_rule(page, FIRST_TRANSACTION_RULE)

        def nudge_figures(member: Recipient) -> dict[str, Any] | None:
            approved = member.card_approved_on
            if approved is None or member.member_id in started:
                return None
            left = rules.card_spend_target_days - (today - approved).days
            if left <= 0:
                return None
            return {"name": member.name, "bonus": f"{rules.card_first_transaction_points:,}", "days": left}

        return nudge_figures

    # ------------------------------------------------------------------ reading

    def list(self, *, session: StaffSession) -> list[OutreachBatchView]:
        require(session.role, Permission.CAMPAIGN_VIEW)
        with self._context.uow() as uow:
            rows = uow.outreach.batches()
            counts = uow.outreach.status_counts([row.id for row in rows])
            return [_view(row, counts.get(row.id, {})) for row in rows]

    def get(self, *, session: StaffSession, code: str) -> OutreachBatchView:
        require(session.role, Permission.CAMPAIGN_VIEW)
        with self._context.uow() as uow:
            row = self._batch(uow, code)
            return _view(row, uow.outreach.status_counts([row.id]).get(row.id, {}))

    @staticmethod
    def _batch(uow: UnitOfWork, code: str) -> OutreachBatch:
        return or_not_found(uow.outreach.batch(str(code or "").strip().upper()), "outreach batch", code)

    # ------------------------------------------------------------------ export and delivery

    def export(self, *, session: StaffSession, code: str, path: str) -> int:
        """The batch for review as an Excel workbook (mobiles masked); audited. Returns the messages written."""
        with self._context.uow(write=True) as uow:
            staff = self._marketer(uow, session)
            row = self._batch(uow, code)
            view = _view(row, uow.outreach.status_counts([row.id]).get(row.id, {}))
            summary = [
                ("Batch", view.code), ("Reason", view.reason), ("Period", view.period), ("Segment", view.segment),
                ("Campaign", view.campaign or ""), ("Built by", view.created_by), ("Built at (UTC)", f"{view.created_at:%Y-%m-%d %H:%M:%S}"),
                ("Messages", str(view.messages)), ("Left out: opted out", str(view.opted_out)),
                ("Left out: no valid mobile", str(view.no_mobile)), ("Left out: already messaged this period", str(view.already_messaged)),
                ("Left out: not concerned by the reason", str(view.nothing_to_say)), ("SMS file", view.file_name or ""),
                ("SHA-256", view.file_sha256 or ""),
                *((f"Status: {status}", str(count)) for status, count in sorted(view.statuses.items())),
            ]

            def lines() -> Iterator[tuple[Any, ...]]:
                for message, member_no in uow.outreach.messages(row.id):
                    yield (message.message_id, member_no, mask_mobile(message.mobile), message.language, message.body, message.status,
                           message.status_at, len(message.body))

            written = write_batch_workbook(path, summary, lines())
            record(uow, actor_of(uow, staff, self._context.desk_name), "outreach.batch_exported", entity="outreach_batch", entity_id=row.code,
                   details={"file": Path(path).name, "messages": written}, now=self._context.clock())
            uow.commit()
            return written

    def import_delivery(self, *, session: StaffSession, code: str, path: str) -> DeliveryImport:
        """The SMS platform's delivery report (message_id, status) for the batch: each known message's
        status set; unknown message ids and statuses are reported and change nothing. Audited."""
        if not Path(path).is_file():
            raise NotFound("file", str(path))
        report = read_delivery_file(path)
        if report.missing_columns:
            raise ValidationError("outreach.delivery_columns", field="file", missing=", ".join(report.missing_columns))
        now = self._context.clock()
        with self._context.uow(write=True) as uow:
            staff = self._marketer(uow, session)
            row = self._batch(uow, code)
            known = uow.outreach.messages_by_id([line.message_id for line in report.rows])
            updated = unchanged = 0
            unknown_messages: list[str] = []
            unknown_statuses: list[tuple[int, str]] = []
            for line in report.rows:
                message = known.get(line.message_id)
                if message is None or message.batch_id != row.id:
                    unknown_messages.append(line.message_id)
                    continue
                status = REPORTED_STATUSES.get(line.status)
                if status is None:
                    unknown_statuses.append((line.row, line.status))
                    continue
                if message.status == status.value:
                    unchanged += 1
                    continue
                message.status, message.status_at = status.value, now
                updated += 1
            result = DeliveryImport(row.code, len(report.rows), updated, unchanged, tuple(unknown_messages), tuple(unknown_statuses),
                                    report.unreadable_rows)
            record(uow, actor_of(uow, staff, self._context.desk_name), "outreach.delivery_imported", entity="outreach_batch",
                   entity_id=row.code, after={"rows": result.rows, "updated": updated, "unchanged": unchanged,
                                              "unknown_messages": len(unknown_messages), "unknown_statuses": len(unknown_statuses)},
                   details={"file": Path(path).name}, now=now)
            uow.commit()
            return result

    # ------------------------------------------------------------------ sending over HTTP

    def send(self, *, session: StaffSession, code: str, progress: Progress | None = None) -> SendResult:
        """The batch's messages not yet accepted or refused, one by one to the SMS platform (each with its
        message id as the idempotency key, so a send repeated after a timeout never sends twice); each
        acceptance or refusal is recorded as the message's status, a chunk at a time. Audited."""
        progress = progress or NoProgress()
        platform = self.sms_platform()
        if platform is None:
            raise DomainError("outreach.sms_not_configured")
        with self._context.uow() as uow:
            self._marketer(uow, session)
            row = self._batch(uow, code)
            batch_code, batch_id = row.code, row.id
            pending = uow.outreach.unsent_count(batch_id)
        progress.set_status("outreach.sending")
        progress.set_progress(0, pending)
        accepted = refused = not_sent = attempted = 0
        refusals: list[tuple[str, str]] = []
        not_sent_reasons: dict[str, int] = {}
        cancelled, after = False, 0
        with PlatformConnection(platform) as connection:
            while not cancelled:
                with self._context.uow() as uow:  # a page at a time: no batch held in memory, no transaction open while a request waits
                    page = uow.outreach.unsent(batch_id, after=after, limit=SEND_PAGE)
                if not page:
                    break
                after = page[-1][0]
                for start in range(0, len(page), SEND_CHUNK):
                    verdicts: dict[str, list[int]] = {DeliveryStatus.ACCEPTED.value: [], DeliveryStatus.REJECTED.value: []}
                    for row_id, message_id, mobile, language, text in page[start:start + SEND_CHUNK]:
                        if progress.is_cancelled():
                            cancelled = True
                            break
                        attempted += 1
                        answer = connection.send(message_id=message_id, mobile=mobile, language=language, text=text)
                        if answer.verdict is Verdict.ACCEPTED:
                            verdicts[DeliveryStatus.ACCEPTED.value].append(row_id)
                        elif answer.verdict is Verdict.REFUSED:
                            verdicts[DeliveryStatus.REJECTED.value].append(row_id)
                            if len(refusals) < REFUSALS_KEPT:
                                refusals.append((message_id, answer.reason))
                        else:
                            not_sent += 1
                            not_sent_reasons[answer.reason] = not_sent_reasons.get(answer.reason, 0) + 1
                    with self._context.uow(write=True) as uow:
                        now = self._context.clock()
                        accepted += uow.outreach.mark_unsent(verdicts[DeliveryStatus.ACCEPTED.value], DeliveryStatus.ACCEPTED.value, now)
                        refused += uow.outreach.mark_unsent(verdicts[DeliveryStatus.REJECTED.value], DeliveryStatus.REJECTED.value, now)
                        uow.commit()
                    progress.set_progress(min(attempted, pending), pending)
                    if cancelled:
                        break
        if cancelled:
            not_sent += max(0, pending - attempted)  # never tried: still to send
        result = SendResult(batch_code, pending, accepted, refused, not_sent, tuple(refusals),
                            tuple(sorted(not_sent_reasons.items())), cancelled)
        with self._context.uow(write=True) as uow:
            record(uow, actor_of(uow, self._marketer(uow, session), self._context.desk_name), "outreach.batch_sent",
                   entity="outreach_batch", entity_id=batch_code,
                   after={"pending": result.pending, "accepted": accepted, "refused": refused, "not_sent": result.not_sent,
                          "cancelled": cancelled},
                   details={"url": platform.url, "refusals": [list(pair) for pair in refusals]}, now=self._context.clock())
            uow.commit()
        return result
