"""The campaign cost forecast's aggregate: the ledger's earn entries of a period run through a campaign's
arithmetic in the database, set-wise, one slice of members at a time, summed per day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, text

from loyalty_desk.domain.campaigns import ReplayDay, ReplayRate
from loyalty_desk.domain.earning import JOURNEY_KINDS
from loyalty_desk.domain.segments import SegmentCriteria, dates_for
from loyalty_desk.store.models import Branch, Member
from loyalty_desk.store.repositories.base import Repository
from loyalty_desk.store.repositories.segments import member_conditions


@dataclass(frozen=True)
class ReplayQuery:
    """What the forecast replays: whole numbers only (see ``domain.campaigns.ReplayRate``)."""

    rates: tuple[ReplayRate, ...]
    tiers: tuple[str, ...]
    tier_ratios: dict[str, tuple[int, int]]  # tier -> its earn multiplier as (num, den)
    branch_codes: tuple[str, ...]  # empty: every branch
    kind: str  # multiplier | bonus
    stacking: str  # best | combine
    multiplier: tuple[int, int]
    bonus_points: int
    member_cap: int | None
    replay_from: date
    replay_to: date
    within_days: int | None = None  # card_approved, spend_target
    target_cny: int | None = None  # spend_target
    segment: SegmentCriteria | None = None  # only its members (as they are on ``segment_on``)
    segment_on: date | None = None


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class CampaignRepository(Repository):
    def member_id_bounds(self) -> tuple[int, int] | None:
        low, high = self.session.execute(select(func.min(Member.id), func.max(Member.id))).one()
        return None if low is None else (int(low), int(high))

    def _fen(self) -> str:
        if self.is_postgres:
            return "CAST(ROUND(CAST(le.details ->> 'amount' AS NUMERIC) * 100) AS BIGINT)"
        return "CAST(ROUND(CAST(json_extract(le.details, '$.amount') AS REAL) * 100) AS INTEGER)"

    def _extra(self, query: ReplayQuery) -> str:
        """The campaign's extra points on one entry, as ``domain.earning.Campaign.extra_points`` computes them."""
        if query.kind == "bonus":
            return str(int(query.bonus_points))
        mn, md = query.multiplier
        cases = []
        for rate in query.rates:
            units = "fen" if rate.on_amount else str(int(rate.points))
            with_campaign = f"(({units}) * {rate.num * mn}) / {rate.den * md}"
            if query.stacking == "combine":
                cases.append(f"WHEN {_quoted(rate.rule)} THEN {with_campaign} - (({units}) * {rate.num}) / {rate.den}")
                continue
            per_tier = []
            for tier in query.tiers:
                tn, td = query.tier_ratios[tier] if rate.tier_multiplied else (1, 1)
                if mn * td <= tn * md:  # the tier's multiplier is as good: the campaign adds nothing
                    per_tier.append(f"WHEN {_quoted(tier)} THEN 0")
                else:
                    per_tier.append(f"WHEN {_quoted(tier)} THEN {with_campaign} - (({units}) * {rate.num * tn}) / {rate.den * td}")
            cases.append(f"WHEN {_quoted(rate.rule)} THEN CASE tier {' '.join(per_tier)} ELSE 0 END")
        return f"CASE rule {' '.join(cases)} ELSE 0 END"

    def _days_after(self, day: str, days: int) -> str:
        return f"({day} + {int(days)})" if self.is_postgres else f"date({day}, '+{int(days)} days')"

    def _journey_steps(self, query: ReplayQuery, member_filter: str) -> str:
        """SQL of (member_id, day): the day each member did the card-journey step of ``query.kind``, as
        ``domain.earning.Campaign.journey_step_reached`` decides it, from the members' approval dates and
        the ledger's card spends and refunds (the amounts in their details)."""
        approved = "m.card_approved_on"
        if query.kind == "card_approved":
            took = "(m.card_approved_on - m.card_applied_on)" if self.is_postgres else "(julianday(m.card_approved_on) - julianday(m.card_applied_on))"
            return (f"SELECT m.id AS member_id, m.card_approved_on AS day FROM member m WHERE m.card_applied_on IS NOT NULL "
                    f"AND {approved} IS NOT NULL AND {took} BETWEEN 0 AND {int(query.within_days or 0)} {member_filter}")
        card = (f"FROM ledger_entry le JOIN member m ON m.id = le.member_id WHERE {approved} IS NOT NULL AND le.occurred_on >= {approved} "
                f"{member_filter}")
        if query.kind == "first_transaction":
            return f"SELECT le.member_id AS member_id, MIN(le.occurred_on) AS day {card} AND le.kind = 'earn' AND le.rule = 'card_spend' GROUP BY le.member_id"
        fen = self._fen()
        signed = f"CASE WHEN le.rule = 'card_refund' THEN -{fen} ELSE {fen} END"
        running = (f"SELECT le.member_id AS member_id, le.occurred_on AS day, le.rule AS rule, SUM({signed}) OVER (PARTITION BY le.member_id "
                   f"ORDER BY le.occurred_on, le.id ROWS UNBOUNDED PRECEDING) AS spent {card} "
                   f"AND le.occurred_on <= {self._days_after(approved, query.within_days or 0)} "
                   "AND ((le.kind = 'earn' AND le.rule = 'card_spend') OR le.rule = 'card_refund')")
        target_fen = int(query.target_cny or 0) * 100
        return f"SELECT member_id, MIN(day) AS day FROM ({running}) r WHERE rule = 'card_spend' AND spent >= {target_fen} GROUP BY member_id"

    def _replay_journey(self, query: ReplayQuery, member_filter: str, params: dict[str, object]) -> list[ReplayDay]:
        """A card-journey campaign: its bonus (within the per-member cap) once to each member whose step
        falls in the period, summed per day."""
        points = min(int(query.bonus_points), int(query.member_cap)) if query.member_cap is not None else int(query.bonus_points)
        sql = (f"SELECT day, COUNT(*) FROM ({self._journey_steps(query, member_filter)}) s "
               "WHERE day BETWEEN :start AND :end GROUP BY day")
        rows = self.session.execute(text(sql), params)
        return [ReplayDay(day if isinstance(day, date) else date.fromisoformat(str(day)), int(count) * points, int(count), int(count))
                for day, count in rows if points > 0]

    def replay_slice(self, query: ReplayQuery, first_member: int, last_member: int) -> list[ReplayDay]:
        """Per day of the period: the extra points awarded to the members ``first_member``..``last_member``
        (ids) with the per-member cap applied in entry order, the entries that got any, and the members
        whose first award falls on that day."""
        if not query.tiers or (not query.rates and query.kind not in JOURNEY_KINDS):
            return []
        tiers = ", ".join(_quoted(tier) for tier in query.tiers)
        branch_filter = ""
        if query.branch_codes:
            ids = self.session.scalars(select(Branch.id).where(Branch.code.in_(list(query.branch_codes)))).all()
            branch_filter = f"AND m.branch_id IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"
        if query.segment is not None and query.segment_on is not None:
            members = select(Member.id).where(*member_conditions(query.segment, dates_for(query.segment, query.segment_on), query.segment_on))
            compiled = members.compile(dialect=self.session.get_bind().dialect, compile_kwargs={"literal_binds": True})
            branch_filter += f" AND m.id IN ({compiled})"
        start: date | str = query.replay_from
        end: date | str = query.replay_to
        if not self.is_postgres:  # dates are ISO text in SQLite
            start, end = query.replay_from.isoformat(), query.replay_to.isoformat()
        params: dict[str, object] = {"first": first_member, "last": last_member, "start": start, "end": end}
        if query.kind in JOURNEY_KINDS:
            return self._replay_journey(query, f"AND m.id BETWEEN :first AND :last AND m.tier IN ({tiers}) {branch_filter}", params)
        rules = ", ".join(_quoted(rate.rule) for rate in query.rates)
        if query.member_cap is None:
            granted = "SELECT member_id, day, id, extra AS granted FROM x WHERE extra > 0"
        else:
            cap = int(query.member_cap)
            granted = (
                f"SELECT member_id, day, id, CASE WHEN run <= {cap} THEN extra WHEN run - extra >= {cap} THEN 0 "
                f"ELSE {cap} - (run - extra) END AS granted FROM ("
                "SELECT member_id, day, id, extra, SUM(extra) OVER (PARTITION BY member_id ORDER BY day, id ROWS UNBOUNDED PRECEDING) AS run "
                "FROM x WHERE extra > 0) r"
            )
        # The entries with their amount in fen read once each: OFFSET 0 keeps SQLite from folding the
        # subquery into the outer one (LIMIT -1: SQLite takes no OFFSET alone) (which would parse the JSON again wherever the amount is used).
        entries = (
            f"SELECT le.member_id AS member_id, le.occurred_on AS day, le.id AS id, le.rule AS rule, m.tier AS tier, {self._fen()} AS fen "
            "FROM ledger_entry le JOIN member m ON m.id = le.member_id "
            f"WHERE le.member_id BETWEEN :first AND :last AND le.occurred_on BETWEEN :start AND :end AND le.kind = 'earn' "
            f"AND le.rule IN ({rules}) AND m.tier IN ({tiers}) {branch_filter} {'OFFSET 0' if self.is_postgres else 'LIMIT -1 OFFSET 0'}"
        )
        sql = (
            f"WITH x AS (SELECT member_id, day, id, {self._extra(query)} AS extra FROM ({entries}) e), "
            f"g AS ({granted}) "
            "SELECT day, SUM(granted), COUNT(*), SUM(CASE WHEN rn = 1 THEN 1 ELSE 0 END) FROM ("
            "SELECT day, granted, ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY day, id) AS rn FROM g WHERE granted > 0) f "
            "GROUP BY day"
        )
        rows = self.session.execute(text(sql), params)
        return [
            ReplayDay(day if isinstance(day, date) else date.fromisoformat(str(day)), int(points), int(count), int(first))
            for day, points, count, first in rows
        ]


def slices(bounds: tuple[int, int] | None, count: int) -> Sequence[tuple[int, int]]:
    """``bounds`` (first and last member id) cut into ``count`` ranges of ids."""
    if bounds is None:
        return []
    low, high = bounds
    step = max((high - low + 1 + count - 1) // count, 1)
    return [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]
