"""Programme results (head office, auditors): how the programme did over a period of whole months,
for every branch or one, every tier or one, read from the analytics aggregates and a few indexed tables.

Who may: ``Permission.BRANCH_DASHBOARD`` with the dashboard's rule: head office staff and auditors
choose any branch or all; anyone else sees their own branch only.

What each figure is (docs/analytics.md says the same for readers):

- members: members who had joined by the period's end (their home branch and tier as they are now);
  active: those of them who earned or redeemed in the period (``analytics_active_month``);
  participation rate = active / members.
- retention: members active in the previous period of the same length who were active in this one too,
  over those active in the previous period.
- issued (by source): earning by its rule, referral rewards, claw-backs, and earnings reversed, net;
  redeemed: redemptions net of reversals; expired: expiry and forfeiture net of reversals (the aggregates).
  Redeemed by reward category: the redemptions made in the period and not reversed (the redemption
  table); what the ledger redeemed with no redemption row (imports) shows as ``other``.
- redemption rate = redeemed / issued; breakage = expired / issued in the period (the liability report
  holds the 24-month estimate finance books).
- tier distribution: the members above per tier, now; tier movements: the tier change entries dated in
  the period (reviews, upgrades on reaching the points, overrides and their end, a change head office
  refused and undid), by the member's home branch, up (to a higher tier) and down.
- referral funnel: referrals registered in the period (under the referrer's home branch and tier), how
  many of them have qualified, been rewarded and been clawed back since; conversion = (rewarded -
  clawed back) / registered.
- campaigns that ran in the period: the points they awarded and the members they reached to date (for
  a branch or tier, only its members), the cost of those points in CNY at the programme's point value.
  Their incremental spend and return per CNY (``campaign_spend``, arithmetic in domain/campaign_return.py):
  participants are the members the campaign awarded in the period (earnings carrying its code,
  ``analytics_campaign_month``); the comparison group its eligible members who took no part: members of
  its branches (every branch when it names none) and tiers who had joined by the period's end. A segment
  campaign's segment is not evaluated over every member: its branches' and tiers' members stand for those
  eligible, and the result says so (``eligibility_by_branch_only``). Both groups' card spend (the spend
  aggregate, ``analytics_member_spend``) is compared over the months of the period the campaign ran in.

Exporting the view (``produce``) writes a workbook with native charts and a PDF, audited as ``export.results``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from loyalty_desk.domain.campaign_return import CampaignReturn, campaign_return, months_compared
from loyalty_desk.domain.dates import add_months, last_day_of_month
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.domain.rules import TIER_ORDER
from loyalty_desk.services.analytics.dto import (
    CampaignResult,
    CategoryPoints,
    DrillPage,
    DrillRow,
    MonthPoints,
    ProgrammeResults,
    ReferralFunnel,
    ResultsExport,
    SourcePoints,
    TierMembers,
    TierMoves,
)
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import BranchName, StaffSession
from loyalty_desk.services.liability.service import EXPIRED_KINDS, ISSUED_KINDS, REDEEMED_KINDS, parse_month
from loyalty_desk.services.report_scope import branch_choices, may_choose_branch, report_branch
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.repositories.results import CampaignScope, EntryFigure, ResultsQueries
from loyalty_desk.store.repositories.results import DrillRow as StoredDrillRow
from loyalty_desk.store.uow import UnitOfWork

LANGUAGES = ("zh_CN", "en")
CATEGORIES = ("physical_gift", "voucher", "cash_rebate", "service_privilege")
OTHER_CATEGORY = "other"
REVERSED_SOURCE = "reversed"
MAX_MONTHS = 36
READ_STEPS = 5
# What a drill-down may open: the figure's rows (the key names the row: a source, a category, a month...).
DRILLS = ("issued", "redeemed", "expired", "month", "tier", "members", "active", "referral", "campaign")
REFERRAL_STAGES = ("registered", "qualified", "rewarded", "clawed_back")


def column_of_entry(figure: EntryFigure) -> str | None:
    kind = figure.source if figure.kind == "reversal" else figure.kind
    for column, kinds in (("issued", ISSUED_KINDS), ("redeemed", REDEEMED_KINDS), ("expired", EXPIRED_KINDS)):
        if kind in kinds:
            return column
    return None


class ResultsService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def today(self) -> date:
        """The business date: the screens offer the months up to it."""
        return self._context.today()

    # --- the figures ------------------------------------------------------------------------------------

    def _period(self, first_month: str | date, last_month: str | date) -> tuple[date, date]:
        first = parse_month(first_month) if isinstance(first_month, str) else first_month.replace(day=1)
        last_start = parse_month(last_month) if isinstance(last_month, str) else last_month.replace(day=1)
        today = self._context.today()
        if last_start < first:
            raise ValidationError("results.period_order", field="to", value=f"{last_start:%Y-%m}", first=f"{first:%Y-%m}")
        if first > today:
            raise DomainError("liability.future_month", value=f"{first:%Y-%m}")
        if (last_start.year - first.year) * 12 + last_start.month - first.month >= MAX_MONTHS:
            raise ValidationError("results.period_length", field="to", value=f"{last_start:%Y-%m}", months=MAX_MONTHS)
        last = min(last_day_of_month(last_start.year, last_start.month), today)
        return first, last

    def _scope(
        self, uow: UnitOfWork, session: StaffSession, branch_code: str | None, tier: str | None
    ) -> tuple[str | None, int | None, str | None, bool, tuple[BranchName, ...]]:
        """(branch code, branch id, tier, may choose, branches to choose from) for the user, checked."""
        require(session.role, Permission.BRANCH_DASHBOARD)
        wanted, branch_id = report_branch(uow, session, branch_code, permission=Permission.BRANCH_DASHBOARD,
                                          action="see another branch's programme results")
        tier = (tier or "").strip().lower() or None
        if tier is not None and tier not in {t.value for t in TIER_ORDER}:
            raise ValidationError("results.tier", field="tier", value=tier, allowed=", ".join(t.value for t in TIER_ORDER))
        may_choose = may_choose_branch(uow, session)
        return wanted, branch_id, tier, may_choose, branch_choices(uow, session, may_choose)

    def read(
        self, *, session: StaffSession, first_month: str | date, last_month: str | date, branch_code: str | None = None, tier: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ProgrammeResults:
        """The results of the months from ``first_month`` to ``last_month`` (``YYYY-MM``), nothing written;
        ``progress(done, of)`` after each of the reads."""

        def step(done: int) -> None:
            if progress is not None:
                progress(done, READ_STEPS)

        first, last = self._period(first_month, last_month)
        months_in_period = (last.year - first.year) * 12 + last.month - first.month + 1
        previous_first = add_months(first, -months_in_period)
        previous_last = first.fromordinal(first.toordinal() - 1)
        with self._context.uow() as uow:
            wanted, branch_id, tier, may_choose, branches = self._scope(uow, session, branch_code, tier)
            queries = uow.analytics.results(branch_id=branch_id, tier=tier)
            entries = queries.entries(first, last)
            step(1)
            groups = queries.members_by_group(last)  # by home branch and tier: the tiers, and the campaigns' eligible members
            members_by_tier: dict[str, int] = {}
            for _branch, member_tier, count in groups:
                members_by_tier[member_tier] = members_by_tier.get(member_tier, 0) + count
            moves = tier_moves(queries.tier_moves(first, last))
            step(2)
            active, active_previous, retained = queries.activity(first, last, previous_first, previous_last)
            step(3)
            by_category = queries.redeemed_by_category(first, last)
            step(4)
            funnel = ReferralFunnel(*queries.referral_funnel(first, last))
            campaigns = queries.campaigns(first, last)
            value = self._context.rules.earning.point_value_cny_per_100_points
            branch_ids = {b.code: b.id for b in uow.reference.branches()}
            spend = campaign_spend(queries, first, last, branch_ids, {code: _cny(points, value) for code, _zh, _en, points, _reached in campaigns}, groups)
            step(READ_STEPS)
        by_month = {add_months(first, offset): [0, 0, 0] for offset in range(months_in_period)}
        sources: dict[str, list[int]] = {}
        for figure in entries:
            column = column_of_entry(figure)
            if column is None:
                continue
            sign = -1 if column in ("redeemed", "expired") else 1
            by_month.setdefault(figure.month, [0, 0, 0])[("issued", "redeemed", "expired").index(column)] += sign * figure.points
            if column == "issued":
                source = REVERSED_SOURCE if figure.kind == "reversal" else (figure.source or figure.kind) if figure.kind == "earn" else figure.kind
                found = sources.setdefault(source, [0, 0])
                found[0] += figure.points
                found[1] += figure.entries
        months = tuple(MonthPoints(month, *figures) for month, figures in sorted(by_month.items()))
        issued, redeemed, expired = (sum(getattr(m, name) for m in months) for name in ("issued", "redeemed", "expired"))
        categories = [CategoryPoints(c, *by_category[c]) for c in CATEGORIES if c in by_category]
        unattributed = redeemed - sum(c.points for c in categories)
        if unattributed:
            categories.append(CategoryPoints(OTHER_CATEGORY, unattributed, 0))
        return ProgrammeResults(
            first=first,
            last=last,
            months_in_period=months_in_period,
            branch_code=wanted,
            tier=tier,
            branches=branches,
            may_choose=may_choose,
            members=sum(members_by_tier.values()),
            active=active,
            previous_first=previous_first,
            previous_last=previous_last,
            active_previous=active_previous,
            retained=retained,
            issued_by_source=tuple(SourcePoints(s, p, n) for s, (p, n) in sorted(sources.items(), key=lambda item: (-item[1][0], item[0]))),
            redeemed_by_category=tuple(categories),
            issued=issued,
            redeemed=redeemed,
            expired=expired,
            months=months,
            tiers=tuple(TierMembers(t.value, members_by_tier.get(t.value, 0)) for t in TIER_ORDER),
            tier_moves=moves,
            referrals=funnel,
            campaigns=tuple(
                _campaign_result(code, zh, en, points, reached, _cny(points, value), spend.get(code)) for code, zh, en, points, reached in campaigns
            ),
            point_value_cny_per_100_points=value,
            produced_at=self._context.clock(),
            produced_by=session.username,
        )

    # --- what is behind a figure ---------------------------------------------------------------------------

    def drill(
        self, *, session: StaffSession, figure: str, key: str | None, first_month: str | date, last_month: str | date,
        branch_code: str | None = None, tier: str | None = None, offset: int = 0, limit: int = 50,
    ) -> DrillPage:
        """A page of the entries, redemptions, referrals or members behind ``figure`` (one of ``DRILLS``)
        and its row ``key`` (a source, a reward category, a month ``YYYY-MM``, a tier, a referral stage, a campaign code)."""
        if figure not in DRILLS:
            raise ValidationError("results.figure", field="figure", value=figure, allowed=", ".join(DRILLS))
        first, last = self._period(first_month, last_month)
        with self._context.uow() as uow:
            _wanted, branch_id, tier, _may, _branches = self._scope(uow, session, branch_code, tier)
            queries = uow.analytics.results(branch_id=branch_id, tier=tier)
            rows, total = _drill(queries, figure, key, first, last, offset, limit)
        return DrillPage(tuple(DrillRow(r.on, r.member_no, r.member_name, r.what, r.points, r.reference) for r in rows), offset, total)

    # --- the export -----------------------------------------------------------------------------------------

    def produce(
        self, *, session: StaffSession, first_month: str | date, last_month: str | date, branch_code: str | None = None,
        tier: str | None = None, xlsx: Path | str | None = None, pdf: Path | str | None = None, language: str = "zh_CN",
    ) -> ResultsExport:
        """The results written to the files asked for, audited (``export.results``) with the period, the
        scope and the headline figures."""
        if language not in LANGUAGES:
            raise ValidationError("statement.language", field="language", value=language, allowed=", ".join(LANGUAGES))
        results = self.read(session=session, first_month=first_month, last_month=last_month, branch_code=branch_code, tier=tier)
        from loyalty_desk.documents.results import render_results_pdf, write_results_workbook

        written_xlsx = str(write_results_workbook(results, xlsx, language)) if xlsx is not None else None
        written_pdf = str(render_results_pdf(results, pdf, language)) if pdf is not None else None
        details = {
            "period": results.period_text,
            "branch": results.branch_code or "all branches",
            "tier": results.tier or "all tiers",
            "issued": results.issued,
            "redeemed": results.redeemed,
            "active": results.active,
            "members": results.members,
            "files": [Path(name).name for name in (written_xlsx, written_pdf) if name],
        }
        entity_id = ":".join(part for part in (f"{results.first:%Y-%m}", f"{results.last:%Y-%m}", results.branch_code, results.tier) if part)
        self._context.audit.record(self._context.actor_of(session), "export.results", entity="results", entity_id=entity_id, details=details)
        return ResultsExport(results, written_xlsx, written_pdf)


def tier_moves(rows: list[tuple[str | None, str, int]]) -> tuple[TierMoves, ...]:
    """Per home branch, the tier changes up and down from the entries' ``reason:from>to``."""
    rank = {tier.value: index for index, tier in enumerate(TIER_ORDER)}
    by_branch: dict[str | None, list[int]] = {}
    for branch, source, count in rows:
        _reason, _, tiers = source.partition(":")
        before, _, after = tiers.partition(">")
        if before not in rank or after not in rank or before == after:
            continue
        by_branch.setdefault(branch, [0, 0])[0 if rank[after] > rank[before] else 1] += count
    return tuple(TierMoves(branch, up, down) for branch, (up, down) in sorted(by_branch.items(), key=lambda item: item[0] or "~"))


def campaign_spend(
    queries: ResultsQueries, first: date, last: date, branch_ids: dict[str, int], costs: dict[str, Decimal],
    members: list[tuple[int | None, str, int]] | None = None,
) -> dict[str, tuple[CampaignReturn, tuple[date, date], CampaignScope]]:
    """Per campaign code: its participants' and comparison group's card spend over the months of the
    period it ran in, as ``campaign_return`` works it out; a campaign that ran in no month of it is left out.

    A campaign awards only in its own window, so its participants in the period are those of the months
    compared. Three grouped reads for every campaign together: members per home branch and tier, their card
    spend per month, home branch and tier (the entry aggregate), the participants and their spend over their
    campaign's months per home branch and tier. The comparison group is the eligible groups' members and
    spend less the participants' in them. ``members``: ``members_by_group`` when the caller has read it."""
    scopes = [(scope, months_compared(first, last, scope.starts_on, scope.ends_on)) for scope in queries.campaign_scopes(first, last)]
    scopes = [(scope, months) for scope, months in scopes if months is not None]
    if not scopes:
        return {}
    members = queries.members_by_group(last) if members is None else members
    spend = queries.spend_by_group(first.replace(day=1), last)
    participants: dict[str, list[tuple[int | None, str, int, int]]] = {}
    windows = [(scope.code, *months) for scope, months in scopes if months is not None]
    for code, branch, tier, count, fen in queries.participants_by_group(windows, first.replace(day=1), last, last):
        participants.setdefault(code, []).append((branch, tier, count, fen))
    found = {}
    for scope, months in scopes:
        assert months is not None
        branches = None if scope.branch_codes is None else {branch_ids.get(code) for code in scope.branch_codes}

        def eligible(branch: int | None, tier: str, branches: set[int | None] | None = branches, scope: CampaignScope = scope) -> bool:
            return (branches is None or branch in branches) and tier in scope.tiers

        def in_months(month: date, months: tuple[date, date] = months) -> bool:
            return months[0] <= month <= months[1]

        theirs = participants.get(scope.code, [])
        eligible_members = sum(count for branch, tier, count in members if eligible(branch, tier))
        eligible_spend = sum(fen for month, branch, tier, fen in spend if in_months(month) and eligible(branch, tier))
        eligible_participants = sum(count for branch, tier, count, _fen in theirs if eligible(branch, tier))
        eligible_participant_spend = sum(fen for branch, tier, _count, fen in theirs if eligible(branch, tier))
        figures = campaign_return(
            participants=sum(count for _branch, _tier, count, _fen in theirs),
            participant_spend_fen=sum(fen for *_keys, fen in theirs),
            comparison_members=max(eligible_members - eligible_participants, 0),
            comparison_spend_fen=eligible_spend - eligible_participant_spend,
            cost_cny=costs.get(scope.code, Decimal(0)),
        )
        found[scope.code] = (figures, months, scope)
    return found


def _campaign_result(
    code: str, zh: str, en: str, points: int, reached: int, cost: Decimal, spend: tuple[CampaignReturn, tuple[date, date], CampaignScope] | None
) -> CampaignResult:
    if spend is None:
        return CampaignResult(code, zh, en, points, reached, cost)
    figures, months, scope = spend
    return CampaignResult(
        code, zh, en, points, reached, cost,
        participants=figures.participants,
        comparison_members=figures.comparison_members,
        average_spend_participant=figures.average_participant,
        average_spend_comparison=figures.average_comparison,
        incremental_spend=figures.incremental_spend,
        return_per_cny=figures.return_per_cny,
        months_compared=months,
        eligibility_by_branch_only=scope.segment_code is not None,
    )


def _cny(points: int, value_per_100: int) -> Decimal:
    return (Decimal(points) * value_per_100 / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _drill(queries: ResultsQueries, figure: str, key: str | None, first: date, last: date, offset: int, limit: int) -> tuple[list[StoredDrillRow], int]:
    if figure == "issued":
        if key == REVERSED_SOURCE:
            return queries.entry_rows(first, last, tuple(ISSUED_KINDS), offset, limit, reversals_only=True)
        if key in ISSUED_KINDS - {"earn"}:
            return queries.entry_rows(first, last, (str(key),), offset, limit)
        return queries.entry_rows(first, last, ("earn",), offset, limit, source=key)
    if figure == "redeemed":
        if key == OTHER_CATEGORY:
            return queries.entry_rows(first, last, tuple(REDEEMED_KINDS), offset, limit, unrecorded=True)
        return queries.redemption_rows(first, last, key, offset, limit)
    if figure == "expired":
        return queries.entry_rows(first, last, tuple(EXPIRED_KINDS), offset, limit)
    if figure == "month":
        month = parse_month(key or "")
        end = min(last_day_of_month(month.year, month.month), last)
        return queries.entry_rows(max(month, first), end, tuple(ISSUED_KINDS | REDEEMED_KINDS | EXPIRED_KINDS), offset, limit)
    if figure == "tier":
        return queries.member_rows(joined_by=last, tier=key, active_from=None, active_to=None, offset=offset, limit=limit)
    if figure == "members":
        return queries.member_rows(joined_by=last, tier=None, active_from=None, active_to=None, offset=offset, limit=limit)
    if figure == "active":
        return queries.member_rows(joined_by=last, tier=None, active_from=first, active_to=last, offset=offset, limit=limit)
    if figure == "referral":
        if key not in REFERRAL_STAGES:
            raise ValidationError("results.figure", field="key", value=str(key), allowed=", ".join(REFERRAL_STAGES))
        return queries.referral_rows(first, last, str(key), offset, limit)
    return queries.entry_rows(first, last, ("earn",), offset, limit, campaign=key)
