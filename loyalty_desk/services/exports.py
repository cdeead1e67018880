"""Excel exports for reconciliation and outreach (screen 8), every one audited (``export.<kind>``).

Kinds: ``members`` (member list), ``ledger`` (entries with a business date in a period),
``expiring`` (the outreach list: members with points expiring within 30/60/90 days),
``journal`` (a branch's daily journal by officer: earned, redeemed, adjusted, reversed... as
counts and points), ``redemptions`` (redemptions in a period, with a stock sheet... see
``stock`` rows after them), ``approvals`` (pending adjustment requests, when the
adjustments module is wired in) and ``referrals`` (the referral report: referrals registered in
a period, rows from ``ReferralService.list`` in the columns of ``documents.referrals``, when the
referrals module is wired in).

Who may export what: officers and supervisors their own branch (head-office staff any
branch), auditors any branch, administrators only the redemption and stock report. PII is
masked except the mobile number on the outreach list, shown in full to supervisors and
auditors only (``UNMASKED_MOBILE_ROLES``). The rows are produced by ``rows(...)``, so what the
workbook holds can be compared with the service layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from loyalty_desk.domain.errors import DomainError, Forbidden, NotFound, ValidationError
from loyalty_desk.domain.identity import mask_card, mask_id, mask_mobile, mask_name
from loyalty_desk.services.audit import NoProgress, Progress
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import StaffSession

EXPORT_KINDS = ("members", "ledger", "expiring", "journal", "redemptions", "approvals", "referrals")
TEMPLATE_KINDS = ("transactions", "adjustments", "members")  # the import templates (documents.sheets.TEMPLATES)
UNMASKED_MOBILE_ROLES = frozenset({"supervisor", "auditor"})
BRANCH_ROLES = frozenset({"officer", "supervisor"})
ALL_BRANCH_ROLES = frozenset({"auditor"})
ADMIN_KINDS = frozenset({"redemptions"})
WITHIN_DAYS = (30, 60, 90)
MAX_REFERRAL_ROWS = 1_048_575  # a sheet's rows
JOURNAL_KINDS = ("earn", "redeem", "adjust", "reversal", "expire", "referral", "clawback")


class ExportCancelled(Exception):
    pass


@dataclass(frozen=True)
class ExportRequest:
    kind: str
    branch_code: str | None
    date_from: date | None
    date_to: date | None
    within_days: int
    unmasked: bool
    as_of: date


@dataclass(frozen=True)
class ExportResult:
    kind: str
    path: str
    rows: int
    unmasked: bool
    filters: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ColumnSpec:
    header: str
    width: float
    fmt: str | None = None  # number | money | date | datetime | text


COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "members": (
        ColumnSpec("Member no.", 14, "text"), ColumnSpec("Name", 18, "text"), ColumnSpec("Kind", 9), ColumnSpec("ID type", 12),
        ColumnSpec("ID number (masked)", 22, "text"), ColumnSpec("Mobile (masked)", 14, "text"), ColumnSpec("Card (masked)", 22, "text"),
        ColumnSpec("Branch", 8), ColumnSpec("Status", 8), ColumnSpec("Tier", 10), ColumnSpec("Joined", 11, "date"),
        ColumnSpec("Balance", 12, "number"), ColumnSpec("Held", 10, "number"), ColumnSpec("Available", 12, "number"),
        ColumnSpec("Referral code", 12, "text"),
    ),
    "ledger": (
        ColumnSpec("Entry ID", 10, "number"), ColumnSpec("Date", 11, "date"), ColumnSpec("Posted at (UTC)", 19, "datetime"),
        ColumnSpec("Member no.", 14, "text"), ColumnSpec("Kind", 9), ColumnSpec("Rule", 22), ColumnSpec("Points", 11, "number"),
        ColumnSpec("Balance after", 13, "number"), ColumnSpec("Reference", 20, "text"), ColumnSpec("Campaign", 14, "text"),
        ColumnSpec("Branch", 8), ColumnSpec("Officer", 14), ColumnSpec("Operation ID", 38, "text"),
    ),
    "expiring": (
        ColumnSpec("Member no.", 14, "text"), ColumnSpec("Name", 18, "text"), ColumnSpec("Mobile", 14, "text"), ColumnSpec("Tier", 10),
        ColumnSpec("Branch", 8), ColumnSpec("Balance", 12, "number"), ColumnSpec("Points expiring", 15, "number"),
        ColumnSpec("First expiry", 12, "date"), ColumnSpec("Days left", 10, "number"),
    ),
    "journal": (
        ColumnSpec("Date", 11, "date"), ColumnSpec("Branch", 8), ColumnSpec("Officer", 14), ColumnSpec("Officer name", 14),
        *(
            spec
            for kind in ("earned", "redeemed", "adjusted", "reversed", "expired", "referral", "clawback")
            for spec in (ColumnSpec(f"{kind.capitalize()} (count)", 10, "number"), ColumnSpec(f"{kind.capitalize()} (points)", 12, "number"))
        ),
        ColumnSpec("Net points", 12, "number"),
    ),
    "redemptions": (
        ColumnSpec("Number", 22, "text"), ColumnSpec("Redeemed at (UTC)", 19, "datetime"), ColumnSpec("Member no.", 14, "text"),
        ColumnSpec("Reward", 16, "text"), ColumnSpec("Reward name", 20, "text"), ColumnSpec("Category", 16), ColumnSpec("Qty", 6, "number"),
        ColumnSpec("Points", 11, "number"), ColumnSpec("Cash value (CNY)", 14, "money"), ColumnSpec("Branch", 8), ColumnSpec("Officer", 14),
        ColumnSpec("Reversed at (UTC)", 19, "datetime"), ColumnSpec("Reversal reason", 24, "text"), ColumnSpec("On hand at branch now", 12, "number"),
    ),
    "approvals": (
        ColumnSpec("Request", 9, "number"), ColumnSpec("Member no.", 14, "text"), ColumnSpec("Name", 12, "text"), ColumnSpec("Branch", 8),
        ColumnSpec("Maker", 14), ColumnSpec("Direction", 9), ColumnSpec("Points", 11, "number"), ColumnSpec("Reason", 18),
        ColumnSpec("Memo", 30, "text"), ColumnSpec("Evidence", 18, "text"), ColumnSpec("Created at (UTC)", 19, "datetime"),
        ColumnSpec("Expires at (UTC)", 19, "datetime"), ColumnSpec("Age (hours)", 10, "number"), ColumnSpec("Approvals", 9, "number"),
        ColumnSpec("Approvals needed", 9, "number"),
    ),
}

TITLES = {
    "members": "Members",
    "ledger": "Ledger",
    "expiring": "Points expiring",
    "journal": "Branch daily journal",
    "redemptions": "Redemptions and stock",
    "approvals": "Pending approvals",
    "referrals": "Referral report",
}
PERIOD_KINDS = ("ledger", "journal", "redemptions", "referrals")


class ExportService:
    def __init__(self, context: ServiceContext, adjustments: Any = None, referrals: Any = None) -> None:
        self._context = context
        self._adjustments = adjustments
        self._referrals = referrals

    def attach_adjustments(self, adjustments: Any) -> None:
        """The adjustments service, for the pending approvals export."""
        self._adjustments = adjustments

    def attach_referrals(self, referrals: Any) -> None:
        """The referral service, for the referral report."""
        self._referrals = referrals

    # ------------------------------------------------------------------ request

    def request(
        self,
        *,
        kind: str,
        session: StaffSession,
        branch_code: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        within_days: int = 30,
    ) -> ExportRequest:
        """Checks the role and the filter; what the export will contain."""
        if kind not in EXPORT_KINDS:
            raise ValidationError("export.kind", field="kind", value=kind, allowed=", ".join(EXPORT_KINDS))
        if kind == "approvals" and self._adjustments is None:
            raise DomainError("export.unavailable", kind=kind)
        if kind == "referrals" and self._referrals is None:
            raise DomainError("export.unavailable", kind=kind)
        role = session.role
        if role == "admin" and kind not in ADMIN_KINDS:
            raise Forbidden("auth.forbidden", role=role, action=f"export {kind}", permission=f"export.{kind}")
        if role not in BRANCH_ROLES | ALL_BRANCH_ROLES | {"admin"}:
            raise Forbidden("auth.forbidden", role=role, action=f"export {kind}", permission=f"export.{kind}")
        branch_code = (branch_code or "").strip().upper() or None
        with self._context.uow() as uow:
            own = uow.reference.branch_by_code(session.branch_code)
            head_office = bool(own and own.is_head_office)
            if branch_code is not None and uow.reference.branch_by_code(branch_code) is None:
                raise NotFound("branch", branch_code)
        if role in BRANCH_ROLES and not head_office:
            if branch_code not in (None, session.branch_code):
                raise Forbidden("auth.forbidden", role=role, action=f"export another branch's {kind}", permission="export.branch_lists")
            branch_code = session.branch_code
        today = self._context.today()
        if within_days not in WITHIN_DAYS:
            raise ValidationError("export.within", field="within", value=within_days, allowed="30, 60, 90")
        if kind in PERIOD_KINDS:
            if kind == "journal":
                date_from = date_from or today
                date_to = date_to or date_from
            if date_from and date_to and date_from > date_to:
                raise ValidationError("export.period_order", field="to", date_from=date_from, date_to=date_to)
        return ExportRequest(kind, branch_code, date_from, date_to, within_days, kind == "expiring" and role in UNMASKED_MOBILE_ROLES, today)

    # ------------------------------------------------------------------ rows

    def rows(self, request: ExportRequest, *, session: StaffSession | None = None) -> Iterator[tuple[Any, ...]]:
        """The data rows of the export, in the workbook's column order (streamed)."""
        kind = request.kind
        if kind == "approvals":
            yield from self._approval_rows(request, session)
            return
        if kind == "referrals":
            yield from self._referral_rows(request, session)
            return
        with self._context.uow() as uow:
            branch_id = None
            if request.branch_code:
                branch = uow.reference.branch_by_code(request.branch_code)
                assert branch is not None
                branch_id = branch.id
            docs = uow.documents
            if kind == "members":
                for (member_no, member_kind, name, _pinyin, id_type, id_number, mobile, card_no, branch_code, status, tier,
                     joined_on, balance, held, referral_code) in docs.iter_members(branch_id=branch_id):
                    yield (
                        member_no, name, member_kind, id_type, mask_id(id_type, id_number), mask_mobile(mobile),
                        mask_card(card_no) if card_no else None, branch_code, status, tier, joined_on, balance, held,
                        balance - held, referral_code,
                    )
            elif kind == "ledger":
                yield from docs.iter_ledger(date_from=request.date_from, date_to=request.date_to, branch_id=branch_id)
            elif kind == "expiring":
                start = request.as_of
                end = start + timedelta(days=request.within_days - 1)  # as domain.lots.expiring_within: [as_of, as_of + days)
                for member_no, name, mobile, tier, branch_code, balance, points, earliest in docs.expiring_by_member(start=start, end=end, branch_id=branch_id):
                    shown_mobile = mobile if request.unmasked else mask_mobile(mobile)
                    shown_name = name if request.unmasked else mask_name(name)
                    yield (member_no, shown_name, shown_mobile, tier, branch_code, balance, int(points), earliest, (earliest - start).days)
            elif kind == "journal":
                assert request.date_from and request.date_to
                yield from _journal(docs.journal(day_from=request.date_from, day_to=request.date_to, branch_id=branch_id))
            elif kind == "redemptions":
                redeemed_from = datetime.combine(request.date_from, time.min) if request.date_from else None
                redeemed_before = datetime.combine(request.date_to + timedelta(days=1), time.min) if request.date_to else None
                stock = {(b, r): on_hand for b, r, _zh, _en, _cost, on_hand in docs.stock(branch_id=None)}
                for (number, at, member_no, reward_code, name_zh, name_en, category, qty, points, cash_value, branch_code,
                     officer, reversed_at, reason) in docs.redemptions(date_from=redeemed_from, date_to=redeemed_before, branch_id=branch_id):
                    yield (
                        number, at, member_no, reward_code, f"{name_zh} / {name_en}", category, qty, points,
                        float(cash_value) * qty if cash_value else None, branch_code, officer, reversed_at, reason,
                        stock.get((branch_code, reward_code)),
                    )

    def stock_rows(self, request: ExportRequest) -> list[tuple[Any, ...]]:
        with self._context.uow() as uow:
            branch_id = None
            if request.branch_code:
                branch = uow.reference.branch_by_code(request.branch_code)
                branch_id = branch.id if branch else None
            return uow.documents.stock(branch_id=branch_id)

    def referral_filter(self, request: ExportRequest) -> Any:
        """The ``ReferralService.list`` filter of a referral report: registered in the period, the branch."""
        from loyalty_desk.services.referrals.dto import ListFilter

        return ListFilter(since=request.date_from, until=request.date_to, branch_code=request.branch_code)

    def _referral_rows(self, request: ExportRequest, session: StaffSession | None) -> Iterator[tuple[Any, ...]]:
        from loyalty_desk.documents.referrals import referral_row

        assert self._referrals is not None
        views = self._referrals.list(session=session, filters=self.referral_filter(request), limit=MAX_REFERRAL_ROWS)
        for view in views:
            yield referral_row(view)

    def _approval_rows(self, request: ExportRequest, session: StaffSession | None) -> Iterator[tuple[Any, ...]]:
        assert session is not None and self._adjustments is not None
        for view in self._adjustments.queue(session=session, limit=100_000):
            if view.status != "pending":
                continue
            if request.branch_code and view.branch_code != request.branch_code:
                continue
            yield (
                view.request_id, view.member_no, view.masked_name, view.branch_code, view.maker_username, view.direction,
                view.points, view.reason_code, view.memo, view.evidence_ref, view.created_at, view.expires_at,
                round(view.age_minutes / 60, 1), view.approvals, view.approvals_needed,
            )

    # ------------------------------------------------------------------ file

    def export(
        self,
        *,
        kind: str,
        session: StaffSession,
        path: Path | str,
        branch_code: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        within_days: int = 30,
        progress: Progress | None = None,
    ) -> ExportResult:
        """Writes the workbook and its audit row (``export.<kind>``); cancellable through ``progress``."""
        from loyalty_desk.documents.exports import DATE, DATETIME, MONEY, NUMBER, TEXT, Column, write_export

        progress = progress or NoProgress()
        request = self.request(kind=kind, session=session, branch_code=branch_code, date_from=date_from, date_to=date_to, within_days=within_days)
        formats = {"number": NUMBER, "money": MONEY, "date": DATE, "datetime": DATETIME, "text": TEXT, None: None}
        if kind == "referrals":
            from loyalty_desk.documents.referrals import columns as referral_columns

            columns = referral_columns("en")
        else:
            columns = [Column(spec.header, spec.width, formats[spec.fmt]) for spec in COLUMNS[kind]]
        filters = _filters(request, session, self._context.clock())
        progress.set_status(f"export.{kind}")

        def on_row(count: int) -> None:
            progress.set_progress(count, 0)
            if progress.is_cancelled():
                raise ExportCancelled

        path = Path(path)
        rows: Any = self.rows(request, session=session)
        if kind == "redemptions":
            rows = _with_stock(rows, self.stock_rows(request))
        try:
            count = write_export(path, sheet_title=TITLES[kind], columns=columns, rows=rows, filters=filters, on_row=on_row)
        except ExportCancelled:
            path.unlink(missing_ok=True)
            raise DomainError("export.cancelled", kind=kind) from None
        self._context.audit.record(self._context.actor_of(session), f"export.{kind}", entity="export", entity_id=path.name[:64],
                                   details={**dict(filters), "rows": count, "file": path.name})
        return ExportResult(kind, str(path), count, request.unmasked, tuple((k, str(v)) for k, v in filters))


def _with_stock(rows: Iterator[tuple[Any, ...]], stock: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Redemption rows, then a blank row and the stock on hand per branch and reward."""
    yield from rows
    if stock:
        yield (None,) * 14
        yield ("STOCK ON HAND", None, None, None, None, None, None, None, None, None, None, None, None, None)
        for branch_code, reward_code, name_zh, name_en, points_cost, on_hand in stock:
            yield (None, None, None, reward_code, f"{name_zh} / {name_en}", None, None, points_cost, None, branch_code, None, None, None, on_hand)


def _journal(rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    grouped: dict[tuple[Any, ...], dict[str, tuple[int, int]]] = {}
    for day, branch_code, username, display_name, kind, count, points in rows:
        grouped.setdefault((day, branch_code, username or "(system)", display_name or ""), {})[kind] = (int(count), int(points))
    for (day, branch_code, username, display_name), kinds in grouped.items():
        line: list[Any] = [day, branch_code, username, display_name]
        net = 0
        for kind in JOURNAL_KINDS:
            count, points = kinds.get(kind, (0, 0))
            line += [count, points]
            net += points
        yield (*line, net)


def _filters(request: ExportRequest, session: StaffSession, now: datetime) -> list[tuple[str, Any]]:
    filters: list[tuple[str, Any]] = [
        ("Export", TITLES[request.kind]),
        ("Exported at (UTC)", now),
        ("Exported by", f"{session.username} ({session.role}, {session.branch_code})"),
        ("Branch", request.branch_code or "all branches"),
    ]
    if request.kind in PERIOD_KINDS:
        filters += [("From", request.date_from or "any date"), ("To", request.date_to or "any date")]
    if request.kind == "expiring":
        filters += [
            ("As of", request.as_of),
            ("Expiring within (days)", request.within_days),
            ("Mobile numbers", "in full (role may see them)" if request.unmasked else "masked"),
        ]
    if request.kind == "ledger":
        filters.append(("Branch filter", "member's home branch"))
    if request.kind == "referrals":
        filters += [("Period", "registration date"), ("Names", "masked")]
    return filters
