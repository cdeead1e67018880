"""The statement use cases: figures from the ledger, rendering, printing, verification and the signing key."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from loyalty_desk.domain.dates import add_months, last_day_of_month
from loyalty_desk.domain.errors import ValidationError, or_not_found
from loyalty_desk.domain.identity import mask_id, validate_member_no
from loyalty_desk.services.audit import Actor, record
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.dto import ExpiringMonth
from loyalty_desk.services.members.records import member_or_fail, tier_progress_of
from loyalty_desk.services.statements.dto import StatementData, StatementLine, StatementVerification
from loyalty_desk.services.statements.signing import figures_of, parse_qr_text, qr_text, statement_mac
from loyalty_desk.store.uow import UnitOfWork

SIGNING_SECTION = "statement_signing"


PROFILE_SECTION = "statement_profile"


DEFAULT_BANK_NAME_ZH = "银行会员积分计划"


DEFAULT_BANK_NAME_EN = "Bank Points Loyalty Programme"


EXPIRY_MONTHS = 3


LANGUAGES = ("zh_CN", "en")


MAX_PERIOD_DAYS = 3 * 366


def period_for(preset: str, today: date) -> tuple[date, date]:
    """``this_month``: the 1st to today; ``last_12_months``: the 12 months ending today."""
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_12_months":
        return add_months(today, -12) + timedelta(days=1), today
    if preset == "last_month":
        start = add_months(today.replace(day=1), -1)
        return start, last_day_of_month(start.year, start.month)
    raise ValidationError("statement.preset", field="period", value=preset, allowed="this_month, last_month, last_12_months")


class StatementService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._key: tuple[str, bytes] | None = None

    # figures ------------------------------------------------------------

    def today(self) -> date:
        return self._context.today()

    def build(self, *, member_no: str, period_from: date, period_to: date, language: str = "zh_CN") -> StatementData:
        member_no = validate_member_no(member_no)
        language = _language(language)
        issued_at = self._context.clock()
        today = issued_at.date()
        _check_period(period_from, period_to, today)
        key_id, key = self._signing_key()
        with self._context.uow() as uow:
            data = self._build(uow, member_no, period_from, period_to, language, issued_at, key_id)
        figures = figures_of(data)
        digest = statement_mac(key, figures)
        figures = replace(figures, digest=digest)
        return replace(data, digest=digest, qr_text=qr_text(figures))

    def _build(
        self, uow: UnitOfWork, member_no: str, period_from: date, period_to: date, language: str, issued_at: datetime, key_id: str
    ) -> StatementData:
        settings = self._context.rules
        today = issued_at.date()
        member = member_or_fail(uow, member_no)
        branch = uow.members.branch(member)
        progress = tier_progress_of(uow, member, today, settings)
        docs = uow.documents
        opening = docs.balance_before(member.id, period_from)
        rows = docs.statement_entries(member.id, period_from, period_to)
        campaigns = docs.campaign_names(r.campaign_code for r in rows if r.campaign_code)
        rewards = docs.reward_names(str((r.details or {}).get("reward_code") or "") for r in rows)
        zh = language == "zh_CN"
        balance, earned_total, spent_total = opening, 0, 0
        lines: list[StatementLine] = []
        for row in rows:
            details: dict[str, Any] = row.details or {}
            earned, spent = (row.points, 0) if row.points >= 0 else (0, -row.points)
            balance += row.points
            earned_total += earned
            spent_total += spent
            reward_code = details.get("reward_code")
            campaign = campaigns.get(row.campaign_code or "")
            reward = rewards.get(str(reward_code)) if reward_code else None
            lines.append(
                StatementLine(
                    occurred_on=row.occurred_on,
                    kind=row.kind,
                    rule=row.rule,
                    earned=earned,
                    spent=spent,
                    balance_after=balance,
                    reference=row.reference,
                    campaign_code=row.campaign_code,
                    campaign_name=(campaign[0] if zh else campaign[1]) if campaign else row.campaign_code,
                    reward_code=str(reward_code) if reward_code else None,
                    reward_name=(reward[0] if zh else reward[1]) if reward else details.get("reward_name"),
                    number=_text(details.get("number") or details.get("redemption_no")),
                    reason=_text(details.get("reason_code") or details.get("reason")),
                    multiplier=_text(details.get("multiplier")),
                    from_tier=_text(details.get("from_tier")),
                    to_tier=_text(details.get("to_tier")),
                )
            )
        months = [add_months(today.replace(day=1), i) for i in range(EXPIRY_MONTHS)]
        horizon = last_day_of_month(months[-1].year, months[-1].month)
        expiring_points = dict.fromkeys(months, 0)
        for expires_on, points in docs.open_lots_expiring(member.id, today, horizon):
            expiring_points[expires_on.replace(day=1)] += points
        profile = docs.setting_section(PROFILE_SECTION) or {}
        return StatementData(
            statement_no=_statement_no(today, branch.code),
            language=language,
            issued_at=issued_at,
            issued_on=today,
            bank_name_zh=str(profile.get("bank_name_zh") or DEFAULT_BANK_NAME_ZH),
            bank_name_en=str(profile.get("bank_name_en") or DEFAULT_BANK_NAME_EN),
            branch_code=branch.code,
            branch_name_zh=branch.name_zh,
            branch_name_en=branch.name_en,
            member_no=member.member_no,
            name=member.name,
            kind=member.kind,
            masked_id=mask_id(member.id_type, member.id_number),
            id_type=member.id_type,
            **progress.as_values(),
            referral_code=member.referral_code,
            period_from=period_from,
            period_to=period_to,
            opening=opening,
            total_earned=earned_total,
            total_spent=spent_total,
            closing=opening + earned_total - spent_total,
            lines=tuple(lines),
            expiring=tuple(ExpiringMonth(m, expiring_points[m]) for m in months),
            key_id=key_id,
            digest="",
        )

    # files --------------------------------------------------------------

    def render(self, data: StatementData, path: Path | str, *, actor: Actor | None = None) -> Path:
        """Writes the statement PDF; with an ``actor`` the save is audited (``statement.save``)."""
        from loyalty_desk.documents.statements import render_statement

        written = render_statement(data, path)
        if actor is not None:
            self._audit(actor, "statement.save", [data], file=Path(written).name)
        return written

    def record_print(self, data: StatementData, *, actor: Actor, printer: str | None = None, pages: int | None = None) -> None:
        """The audit row of a printed statement (``statement.print``)."""
        self._audit(actor, "statement.print", [data], printer=printer, pages=pages)

    def verify(self, text: str) -> StatementVerification:
        figures = parse_qr_text(text)
        if figures is None:
            return StatementVerification(False, "format", None)
        key = self._key_by_id(figures.key_id)
        if key is None:
            return StatementVerification(False, "unknown_key", figures)
        if not hmac.compare_digest(statement_mac(key, figures), figures.digest):
            return StatementVerification(False, "digest_mismatch", figures)
        try:
            with self._context.uow() as uow:
                member = uow.members.by_no(figures.member_no)
                if member is None:
                    return StatementVerification(True, None, figures, ledger_matches=False)
                opening = uow.documents.balance_before(member.id, figures.period_from)
                rows = uow.documents.statement_entries(member.id, figures.period_from, figures.period_to)
        except Exception:
            return StatementVerification(True, None, figures)
        earned = sum(r.points for r in rows if r.points > 0)
        spent = -sum(r.points for r in rows if r.points < 0)
        closing = opening + earned - spent
        matches = (opening, earned, spent, closing, len(rows)) == (
            figures.opening, figures.total_earned, figures.total_spent, figures.closing, figures.entry_count
        )
        return StatementVerification(True, None, figures, ledger_matches=matches, ledger_closing=closing)

    # batch ---------------------------------------------------------------

    def member_nos(self, *, branch_code: str | None = None, status: str | None = "active") -> list[str]:
        """The members of a branch (or all), for a batch run from a filter."""
        with self._context.uow() as uow:
            branch_id = None
            if branch_code:
                branch = or_not_found(uow.reference.branch_by_code(branch_code), "branch", branch_code)
                branch_id = branch.id
            return uow.documents.member_nos(branch_id=branch_id, status=status)

    def _audit(self, actor: Actor, action: str, statements: Sequence[StatementData], **extra: Any) -> None:
        with self._context.uow(write=True) as uow:
            for data in statements:
                details = {
                    "statement_no": data.statement_no,
                    "period_from": data.period_from.isoformat(),
                    "period_to": data.period_to.isoformat(),
                    "language": data.language,
                    "closing": data.closing,
                    "entries": data.entry_count,
                    "digest": data.digest,
                    **{k: v for k, v in extra.items() if v is not None},
                }
                record(uow, actor, action, entity="statement", entity_id=data.statement_no, member_no=data.member_no, details=details,
                       now=self._context.clock())
            uow.commit()

    def audit_batch(self, actor: Actor, action: str, statements: Sequence[StatementData], **extra: Any) -> None:
        self._audit(actor, action, statements, **extra)

    # keys ---------------------------------------------------------------

    def _signing_key(self) -> tuple[str, bytes]:
        if self._key is not None:
            return self._key
        with self._context.uow() as uow:
            section = uow.documents.setting_section(SIGNING_SECTION)
        if not section or section.get("current") not in (section.get("keys") or {}):
            with self._context.uow(write=True) as uow:
                section = uow.documents.setting_section(SIGNING_SECTION)  # re-read under the write lock
                if not section or section.get("current") not in (section.get("keys") or {}):
                    keys = dict((section or {}).get("keys") or {})
                    key_id = f"K{len(keys) + 1}"
                    keys[key_id] = secrets.token_hex(32)
                    section = {"current": key_id, "keys": keys}
                    now = self._context.clock()
                    uow.documents.put_setting_section(SIGNING_SECTION, section, by="system", now=now)
                    record(uow, self._context.system_actor("statements"), "statement.key_created", entity="rule_setting", entity_id=SIGNING_SECTION,
                           details={"key_id": key_id}, now=now)
                    uow.commit()
        key_id = str(section["current"])
        self._key = (key_id, bytes.fromhex(section["keys"][key_id]))
        return self._key

    def _key_by_id(self, key_id: str) -> bytes | None:
        with self._context.uow() as uow:
            section = uow.documents.setting_section(SIGNING_SECTION) or {}
        value = (section.get("keys") or {}).get(key_id)
        return bytes.fromhex(value) if value else None


def _language(language: str) -> str:
    if language in LANGUAGES:
        return language
    if language.startswith("en"):
        return "en"
    if language.startswith("zh"):
        return "zh_CN"
    raise ValidationError("statement.language", field="language", value=language, allowed=", ".join(LANGUAGES))


def _check_period(period_from: date, period_to: date, today: date) -> None:
    if period_from > period_to:
        raise ValidationError("statement.period_order", field="period_to", period_from=period_from, period_to=period_to)
    if period_from > today:
        raise ValidationError("statement.period_future", field="period_from", value=period_from, today=today)
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise ValidationError("statement.period_length", field="period_to", maximum_days=MAX_PERIOD_DAYS)


def _statement_no(day: date, branch_code: str) -> str:
    return f"ST{day:%Y%m%d}{branch_code}{secrets.token_hex(4).upper()}"


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
