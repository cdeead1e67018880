"""The points liability use case: figures from the ledger's aggregates, the workbook and the PDF,
and the audit event that says it was produced.

Who may: the roles with ``Permission.FINANCE_REPORTS`` (auditors and supervisors); a supervisor
of a branch other than head office only for their own branch.

How the figures are made (``store.repositories.analytics``, from the daily aggregates the database
keeps as the ledger posts): the opening is the sum of open lot balances at the end of the day before
the month (what the lots earned and every movement in and out of them); the movements are the
entries dated in the month by kind; the closing is opening + movements, checked against the lot
balances at the month's end. Entries of a kind the report does not know count in
no column, so they show as a difference rather than vanish into one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from loyalty_desk.domain.dates import add_months, last_day_of_month
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import TIER_ORDER
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import BranchName, ExpiringMonth, StaffSession
from loyalty_desk.services.liability.dto import (
    BreakageLine,
    LiabilityReport,
    LiabilityResult,
    RollForwardLine,
)
from loyalty_desk.services.report_scope import report_branch
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.services.statements.service import DEFAULT_BANK_NAME_EN, DEFAULT_BANK_NAME_ZH, PROFILE_SECTION
from loyalty_desk.store.repositories.liability import KindPoints, LotBalance

EXPIRY_MONTHS = 12
BREAKAGE_MONTHS = 24
LANGUAGES = ("zh_CN", "en")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

# Which column an entry counts in, by its kind (a reversal by the kind of the entry it reverses).
ISSUED_KINDS = frozenset({"earn", "referral", "clawback"})
REDEEMED_KINDS = frozenset({"redeem"})
EXPIRED_KINDS = frozenset({"expire", "forfeit"})  # a closed account's points forfeited leave unredeemed, as expired ones do
ADJUSTED_KINDS = frozenset({"adjust"})


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the first day of that month; ``liability.month`` otherwise."""
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise ValidationError("liability.month", field="month", value=text)
    return date(int(found.group(1)), int(found.group(2)), 1)


def column_of(kind: str, reversed_kind: str | None) -> str | None:
    """``issued``, ``redeemed``, ``expired`` or ``adjusted`` for an entry; None for a kind the report does not know."""
    effective = reversed_kind if kind == "reversal" else kind
    if effective is None:
        return None
    for column, kinds in (("issued", ISSUED_KINDS), ("redeemed", REDEEMED_KINDS), ("expired", EXPIRED_KINDS), ("adjusted", ADJUSTED_KINDS)):
        if effective in kinds:
            return column
    return None


def _tier_rank(tier: str) -> int:
    order = [t.value for t in TIER_ORDER]
    return order.index(tier) if tier in order else len(order)


class LiabilityService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def produce(
        self,
        *,
        month: str | date,
        session: StaffSession,
        branch_code: str | None = None,
        xlsx: Path | str | None = None,
        pdf: Path | str | None = None,
        language: str = "zh_CN",
    ) -> LiabilityResult:
        """The report for ``month`` (``YYYY-MM`` or any day in it), written to the files asked for;
        audited (``export.liability``) with the month, the branch and the closing figure."""
        if language not in LANGUAGES:
            raise ValidationError("statement.language", field="language", value=language, allowed=", ".join(LANGUAGES))
        report = self.build(month=month, session=session, branch_code=branch_code)
        from loyalty_desk.documents.liability import render_liability_pdf, write_liability_workbook

        written_xlsx = str(write_liability_workbook(report, xlsx)) if xlsx is not None else None
        written_pdf = str(render_liability_pdf(report, pdf, language)) if pdf is not None else None
        details = {
            "month": report.month_text,
            "branch": report.branch_code or "all branches",
            "closing_points": report.total.closing,
            "closing_cny": str(report.cny(report.total.closing)),
            "lots_at_close": report.total.lots_at_close,
            "reconciled": report.reconciled,
            "difference": report.total.difference,
            "files": [Path(name).name for name in (written_xlsx, written_pdf) if name],
        }
        entity_id = report.month_text + (f":{report.branch_code}" if report.branch_code else "")
        self._context.audit.record(self._context.actor_of(session), "export.liability", entity="liability", entity_id=entity_id, details=details)
        return LiabilityResult(report, written_xlsx, written_pdf)

    def build(self, *, month: str | date, session: StaffSession, branch_code: str | None = None) -> LiabilityReport:
        """The figures alone (nothing written, nothing audited): for ``produce`` and for checks."""
        require(session.role, Permission.FINANCE_REPORTS)
        start = parse_month(month) if isinstance(month, str) else month.replace(day=1)
        today = self._context.today()
        if start > today:
            raise DomainError("liability.future_month", value=f"{start.year:04d}-{start.month:02d}")
        end = last_day_of_month(start.year, start.month)
        window_start = add_months(start, 1 - BREAKAGE_MONTHS)
        with self._context.uow() as uow:
            branch_code, branch_id = report_branch(uow, session, branch_code, permission=Permission.FINANCE_REPORTS,
                                                   action="see another branch's liability")
            branches = {branch.id: branch for branch in uow.reference.branches()}
            balances = uow.analytics.lot_balances(start=start, end=end, branch_id=branch_id)
            entries = uow.analytics.entries_by_kind(window_start=window_start, month_start=start, end=end, branch_id=branch_id)
            profile = uow.documents.setting_section(PROFILE_SECTION) or {}
            names = {b.id: BranchName(b.code, b.name_zh, b.name_en) for b in branches.values()}

        lines = _lines(balances, entries, names)
        total = RollForwardLine(
            "", "", *(sum(getattr(line, name) for line in lines) for name in ("opening", "issued", "redeemed", "expired", "adjusted", "lots_at_close"))
        )
        months = [add_months(start, offset) for offset in range(1, EXPIRY_MONTHS + 1)]
        expiring = dict.fromkeys(months, 0)
        past_expiry = 0
        for item in balances:
            if item.expires_on <= end:
                past_expiry += item.after
            elif item.expires_on.replace(day=1) in expiring:
                expiring[item.expires_on.replace(day=1)] += item.after
        breakage = _breakage(entries, names)
        used_codes = {line.branch_code for line in lines} | {line.branch_code for line in breakage}
        return LiabilityReport(
            month=start,
            month_end=end,
            branch_code=branch_code,
            branches=tuple(name for name in sorted(names.values(), key=lambda b: b.code) if name.code in used_codes or name.code == branch_code),
            lines=tuple(lines),
            total=total,
            expiring=tuple(ExpiringMonth(m, points) for m, points in expiring.items()),
            past_expiry=past_expiry,
            breakage_from=window_start,
            breakage_to=end,
            breakage=breakage,
            point_value_cny_per_100_points=self._context.rules.earning.point_value_cny_per_100_points,
            bank_name_zh=str(profile.get("bank_name_zh") or DEFAULT_BANK_NAME_ZH),
            bank_name_en=str(profile.get("bank_name_en") or DEFAULT_BANK_NAME_EN),
            produced_at=self._context.clock(),
            produced_by=session.username,
        )


def _lines(balances: Iterable[LotBalance], entries: Iterable[KindPoints], names: dict[int, BranchName]) -> list[RollForwardLine]:
    figures: dict[tuple[str, str], dict[str, int]] = {}

    def line(branch_id: int, tier: str) -> dict[str, int]:
        code = names[branch_id].code if branch_id in names else str(branch_id)
        return figures.setdefault(
            (code, tier), {"opening": 0, "issued": 0, "redeemed": 0, "expired": 0, "adjusted": 0, "lots_at_close": 0}
        )

    for pair in balances:
        found = line(pair.branch_id, pair.tier)
        found["opening"] += pair.before
        found["lots_at_close"] += pair.after
    for item in entries:
        if not item.in_month:
            continue
        found = line(item.branch_id, item.tier)
        column = column_of(item.kind, item.reversed_kind)
        if column in ("redeemed", "expired"):
            found[column] -= item.points  # out of the liability: shown as a positive figure
        elif column is not None:
            found[column] += item.points
    return [
        RollForwardLine(code, tier, **values)
        for (code, tier), values in sorted(figures.items(), key=lambda item: (item[0][0], _tier_rank(item[0][1]), item[0][1]))
    ]


def _breakage(entries: Iterable[KindPoints], names: dict[int, BranchName]) -> tuple[BreakageLine, ...]:
    per_branch: dict[str, list[int]] = {}
    for item in entries:
        column = column_of(item.kind, item.reversed_kind)
        if column not in ("issued", "expired"):
            continue
        code = names[item.branch_id].code if item.branch_id in names else str(item.branch_id)
        found = per_branch.setdefault(code, [0, 0])
        if column == "issued":
            found[0] += item.points
        else:
            found[1] -= item.points
    lines = [BreakageLine(code, issued, expired) for code, (issued, expired) in sorted(per_branch.items())]
    lines.append(BreakageLine("", sum(line.issued for line in lines), sum(line.expired for line in lines)))
    return tuple(lines)
