"""The branch dashboard's figures: today's and this month's work at a branch, what waits for its
supervisors, rewards low on stock and the 12-month trend, read from the analytics aggregates (never
from the ledger) and a few indexed counts.

Who may: ``Permission.BRANCH_DASHBOARD``. Officers and supervisors see their own branch; head office
staff and auditors any branch, or every branch together (``branch_code`` None).
"""

from __future__ import annotations

from datetime import date

from loyalty_desk.domain.dates import add_months
from loyalty_desk.domain.errors import Forbidden, or_not_found
from loyalty_desk.services.analytics.dto import Dashboard, LowStock, Period, TrendMonth
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.report_scope import branch_choices, may_choose_branch
from loyalty_desk.services.roles import Permission, require
from loyalty_desk.store.repositories.analytics import PeriodFigures

TREND_MONTHS = 12
LOW_STOCK_AT = 5  # a stock-tracked reward with this many or fewer on hand at the branch is low


class DashboardService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def read(self, *, session: StaffSession, branch_code: str | None = "") -> Dashboard:
        """The dashboard of ``branch_code`` (empty: the user's own branch; None: every branch, head office only)."""
        require(session.role, Permission.BRANCH_DASHBOARD)
        today = self._context.today()
        month_start = today.replace(day=1)
        with self._context.uow() as uow:
            may_choose = may_choose_branch(uow, session)
            wanted = session.branch_code if branch_code == "" else (branch_code.strip().upper() if branch_code else None)
            if not may_choose and wanted != session.branch_code:
                raise Forbidden("auth.forbidden", role=session.role, action="see another branch's dashboard", permission=Permission.BRANCH_DASHBOARD.value)
            branch_id = None
            if wanted is not None:
                found = or_not_found(uow.reference.branch_by_code(wanted), "branch", wanted)
                branch_id = found.id
            branches = branch_choices(uow, session, may_choose)
            figures_today = uow.analytics.period(first=today, last=today, branch_id=branch_id)
            figures_month = uow.analytics.period(first=month_start, last=today, branch_id=branch_id)
            first_month = add_months(month_start, 1 - TREND_MONTHS)
            by_month = {m.month: m for m in uow.analytics.months(first=first_month, last=today, branch_id=branch_id)}
            waiting = uow.adjustments.count_pending(branch_id=branch_id)
            exceptions = uow.analytics.open_sync_exceptions()
            low = uow.analytics.low_stock(branch_id=branch_id, at_most=LOW_STOCK_AT, today=today)
        trend = []
        for offset in range(TREND_MONTHS):
            month = add_months(first_month, offset)
            found_month = by_month.get(month)
            trend.append(TrendMonth(month, found_month.issued, found_month.redeemed, found_month.redemptions) if found_month else TrendMonth(month, 0, 0, 0))
        return Dashboard(
            branch_code=wanted,
            branches=branches,
            may_choose=may_choose,
            today=_period(today, today, figures_today),
            month=_period(month_start, today, figures_month),
            waiting_for_approval=waiting,
            sync_exceptions_open=exceptions,
            low_stock=tuple(LowStock(code, zh, en, on_hand) for code, zh, en, on_hand in low),
            low_stock_at=LOW_STOCK_AT,
            trend=tuple(trend),
            read_at=self._context.clock(),
        )


def _period(first: date, last: date, figures: PeriodFigures) -> Period:
    return Period(first, last, figures.members_served, figures.redemptions, figures.points_redeemed, figures.referrals, figures.adjustments_requested)
