"""Head office's card service report: days from a card's application to its approval against the
service target (rules.md, "card journey"; ``earning.card_approval_service_days``), by branch, for
the cards approved in a period, with the approvals over the target listed member by member.

The application date comes with the import's ``card_approved`` row (``member.card_applied_on``);
an approval imported without one is counted, and measured nowhere. Who may: the roles with
``Permission.SERVICE_REPORTS``; a supervisor of a branch other than head office only for their
own branch, as the liability report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from loyalty_desk.domain.card_journey import approval_times
from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.members.dto import ApprovalTimesLine, CardServiceReport, CardServiceResult, LateApproval
from loyalty_desk.services.report_scope import report_branch
from loyalty_desk.services.roles import Permission, require


def _parse_day(value: str | date, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError("report.date", field=field, value=value) from None


def _line(code: str, name_zh: str, name_en: str, approvals: int, days: list[int], target: int) -> ApprovalTimesLine:
    figures = approval_times(days, target)
    return ApprovalTimesLine(
        code, name_zh, name_en, approvals, figures.approvals, figures.within_target, figures.over_target,
        figures.within_share, figures.median_days, figures.p90_days, figures.longest_days,
    )


class CardServiceReportService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def build(self, *, session: StaffSession, first: str | date, last: str | date, branch_code: str | None = None) -> CardServiceReport:
        """The figures alone (nothing written, nothing audited)."""
        require(session.role, Permission.SERVICE_REPORTS)
        start, end = _parse_day(first, "from"), _parse_day(last, "to")
        if end < start:
            raise ValidationError("export.period_order", field="to", date_from=start.isoformat(), date_to=end.isoformat())
        target = self._context.rules.earning.card_approval_service_days
        with self._context.uow() as uow:
            branch_code, branch_id = report_branch(uow, session, branch_code, permission=Permission.SERVICE_REPORTS,
                                                   action="see another branch's service report")
            branches = {branch.id: (branch.code, branch.name_zh, branch.name_en) for branch in uow.reference.branches()}
            approvals = uow.members.card_approvals(first=start, last=end, branch_id=branch_id)

        counted: dict[int, int] = defaultdict(int)
        measured: dict[int, list[int]] = defaultdict(list)
        late: list[LateApproval] = []
        for member_no, name, home, applied_on, approved_on in approvals:
            counted[home] += 1
            if applied_on is None:
                continue
            days = (approved_on - applied_on).days
            measured[home].append(days)
            if days > target:
                late.append(LateApproval(member_no, name, branches.get(home, (str(home), "", ""))[0], applied_on, approved_on, days))
        names = {home: branches.get(home, (str(home), "", "")) for home in counted}
        lines = [_line(*names[home], counted[home], measured[home], target) for home in sorted(counted, key=lambda b: names[b][0])]
        every_day = [days for values in measured.values() for days in values]
        total = _line("", "", "", sum(counted.values()), every_day, target)
        late.sort(key=lambda item: (-item.days, item.approved_on, item.member_no))
        return CardServiceReport(start, end, branch_code, target, tuple(lines), total, tuple(late), self._context.clock(), session.username)

    def produce(self, *, session: StaffSession, first: str | date, last: str | date, branch_code: str | None = None,
                xlsx: Path | str | None = None) -> CardServiceResult:
        """The report, written to the workbook asked for; audited (``export.card_service``) with the
        period, the branch and the share within the target."""
        report = self.build(session=session, first=first, last=last, branch_code=branch_code)
        from loyalty_desk.documents.card_service import write_card_service_workbook

        written = str(write_card_service_workbook(report, xlsx)) if xlsx is not None else None
        details = {
            "from": report.first.isoformat(),
            "to": report.last.isoformat(),
            "branch": report.branch_code or "all branches",
            "approvals": report.total.approvals,
            "within_target": report.total.within_target,
            "over_target": report.total.over_target,
            "target_days": report.target_days,
            "files": [Path(written).name] if written else [],
        }
        entity_id = f"{report.first.isoformat()}..{report.last.isoformat()}" + (f":{report.branch_code}" if report.branch_code else "")
        self._context.audit.record(self._context.actor_of(session), "export.card_service", entity="card_service", entity_id=entity_id, details=details)
        return CardServiceResult(report, written)
