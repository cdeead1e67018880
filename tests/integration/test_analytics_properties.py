"""The analytics aggregates under random sequences of earnings, redemptions, reversals, adjustments
(approved, and left waiting), expiry runs, tier reviews (a member's history moves to the new tier),
home-branch moves, compactions and time passing, all written by the real services.

After every step: ``AnalyticsService.verify`` finds no key where the aggregates differ from the
figures recomputed from the ledger (entries, lots and movements, referrals and adjustment requests,
members served), and the roll-forward of every month read from the aggregates closes to the open
lots, this month's to what the members' lots hold now (``LiabilityMachine``'s invariant); and the
programme results' active members, active members of the period before and members active in both,
summed from the gap aggregate, equal the distinct members the ledger's earnings and redemptions name
for every period of one to four months (backdated earnings split a member's gaps).

Earnings carrying a campaign's code make its participants (verify compares them with the ledger).
Card purchases, partial refunds and purchases reversed (a rejected credit leaving its lots) run through
the real earning service and ledger; the spend aggregate's every (month, member) equals the card spend
recomputed in Python from the entries' details, as the earning service reads them (refunds take their
amount off, a reversal undoes the entry it reverses in its own month).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from factories import post_earning
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule
from integration.test_liability_properties import BRANCHES, FIRST_MONTH, LiabilityMachine
from sqlalchemy import text

from loyalty_desk.domain.dates import add_months
from loyalty_desk.domain.earning import EarningTxn, stored_decimal
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.rules import Source
from loyalty_desk.services.analytics.service import AnalyticsService
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.earning.service import EarningService, entry_uid_for
from loyalty_desk.services.ledger import Ledger, Posting

ACTIVE_IN = "SELECT member_id FROM ledger_entry WHERE kind IN ('earn', 'redeem') AND occurred_on >= :{0} AND occurred_on < :{1}"
LEDGER_ACTIVE = f"SELECT COUNT(DISTINCT member_id) FROM ({ACTIVE_IN.format('first', 'after')}) AS period"
LEDGER_ACTIVE_IN_BOTH = f"{LEDGER_ACTIVE} WHERE member_id IN ({ACTIVE_IN.format('previous_first', 'first')})"


class AnalyticsMachine(LiabilityMachine):
    def __init__(self) -> None:
        super().__init__()
        self.analytics = AnalyticsService(self.store.context)
        self.earning = EarningService(self.store.context)
        self.purchases: list[tuple[int, str]] = []  # (member index, txn id)
        self.serial = 0

    def _txn_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial}"

    def _post(self, txn: EarningTxn) -> None:
        self.earning.post(txns=[txn], origin="analytics property test", actor=Actor("importer", "test-desk", "BJ01"))

    @rule(member=st.integers(0, 2), amount=st.sampled_from(["88.00", "1234.56", "0.35", "5000"]), days_ago=st.integers(0, 150))
    def card_purchase(self, member: int, amount: str, days_ago: int) -> None:
        on = max(self.today - timedelta(days=days_ago), FIRST_MONTH)
        txn_id = self._txn_id("SPEND")
        self._post(EarningTxn(txn_id, self.members[member], on, Source.CARD_SPEND, Decimal(amount), "card"))
        self.purchases.append((member, txn_id))

    @rule(member=st.integers(0, 2), campaign=st.sampled_from(["SPRING", "AUTUMN"]), days_ago=st.integers(0, 150))
    def campaign_award(self, member: int, campaign: str, days_ago: int) -> None:
        """An earning carrying a campaign's code: its participants (verify checks them against the ledger)."""
        on = max(self.today - timedelta(days=days_ago), FIRST_MONTH)
        post_earning(self.store.context, self.members[member], 200, on=on, campaign_code=campaign, details={"amount": "99.99"})

    @precondition(lambda self: bool(self.purchases))
    @rule(pick=st.integers(0, 10_000), share=st.sampled_from([Decimal("0.5"), Decimal(1)]))
    def card_refund(self, pick: int, share: Decimal) -> None:
        member, original = self.purchases[pick % len(self.purchases)]
        with self.store.context.uow() as uow:
            entry = uow.ledger.entry_by_uid(entry_uid_for(original, "base"))
            amount = stored_decimal((entry.details or {}).get("amount")) if entry is not None else Decimal(100)
        self._post(EarningTxn(self._txn_id("REFUND"), self.members[member], self.today, Source.CARD_REFUND,
                              (amount * share).quantize(Decimal("0.01")), "card", original_txn_id=original))

    @precondition(lambda self: bool(self.purchases))
    @rule(pick=st.integers(0, 10_000))
    def card_purchase_reversed(self, pick: int) -> None:
        """A purchase's credit leaving its lots, as a rejected credit's compensation does."""
        _member, original = self.purchases[pick % len(self.purchases)]
        with self.store.context.uow(write=True) as uow:
            entry = uow.ledger.entry_by_uid(entry_uid_for(original, "base"))
            if entry is None or uow.ledger.reversal_of(entry.id) is not None:
                return
            locked = uow.members.lock(entry.member_id)
            assert locked is not None
            posting = Posting(entry_uid=f"{original}:reversed", kind="reversal", rule=entry.rule, occurred_on=self.today)
            try:
                Ledger(uow, self.store.context.rules, self.store.clock()).reverse_credit(locked, posting, entry)
            except DomainError as error:
                assert error.code == "ledger.credit_spent", error
                return
            uow.commit()

    @rule(member=st.integers(0, 2), points=st.sampled_from([100, 900]))
    def request_and_leave_waiting(self, member: int, points: int) -> None:
        try:
            self.adjustments.request(
                operation_id=self.adjustments.new_operation_id(), session=self.officer, member_no=self.members[member], direction="credit",
                points=points, reason_code="SERVICE_RECOVERY", memo="analytics property test", evidence_ref="CMP-2",
            )
        except DomainError as error:
            assert error.code.startswith(("adjust.", "points.")), error

    @rule()
    def tier_review(self) -> None:
        self.earning.review_tiers(as_of=self.today)

    @rule(member=st.integers(0, 2), branch=st.sampled_from(BRANCHES))
    def home_branch_moves(self, member: int, branch: str) -> None:
        # No operation moves a member's home branch yet; a row arriving through the feed can.
        with self.store.context.uow(write=True) as uow:
            found = uow.members.by_no(self.members[member])
            target = uow.reference.branch_by_code(branch)
            assert found is not None and target is not None
            uow.analytics.session.execute(text("UPDATE member SET branch_id = :b WHERE id = :m"), {"b": target.id, "m": found.id})
            uow.commit()

    @rule()
    def compaction(self) -> None:
        self.analytics.compact()

    @invariant()
    def aggregates_equal_the_ledger(self) -> None:
        result = self.analytics.verify()
        assert result.agrees, (result.differences[:5], result.served_missing, result.served_extra)

    @invariant()
    def spend_per_member_and_month_equals_the_ledger(self) -> None:
        with self.store.context.uow() as uow:
            session = uow.analytics.session
            entries = session.execute(text("SELECT id, member_id, kind, rule, occurred_on, details, reverses_entry_id FROM ledger_entry")).all()
            kept = session.execute(
                text("SELECT day, member_id, SUM(amount_fen), SUM(purchases) FROM analytics_member_spend GROUP BY day, member_id")
            ).all()
        by_id = {row.id: row for row in entries}
        expected: dict[tuple[str, int], list[int]] = {}

        def spend_of(row) -> tuple[int, int]:  # type: ignore[no-untyped-def]
            details = (row.details if isinstance(row.details, dict) else json.loads(row.details or "{}")) or {}
            fen = int(stored_decimal(details.get("amount", 0)) * 100)
            return {"card_spend": (fen, 1), "card_refund": (-fen, 0)}.get(row.rule, (0, 0))

        for row in entries:
            if row.kind == "reversal":
                reversed_row = by_id.get(row.reverses_entry_id)
                fen, purchases = spend_of(reversed_row) if reversed_row is not None else (0, 0)
                fen, purchases = -fen, -purchases
            else:
                fen, purchases = spend_of(row)
            if (fen, purchases) == (0, 0):
                continue
            month = str(row.occurred_on)[:7] + "-01"
            found = expected.setdefault((month, row.member_id), [0, 0])
            found[0] += fen
            found[1] += purchases
        expected = {key: figures for key, figures in expected.items() if figures != [0, 0]}
        actual = {(str(day), member_id): [int(fen), int(purchases)] for day, member_id, fen, purchases in kept if (fen, purchases) != (0, 0)}
        assert actual == expected

    @invariant()
    def active_members_of_every_period_equal_the_ledger(self) -> None:
        with self.store.context.uow() as uow:
            def ledger(sql: str, **days: date) -> int:
                return int(uow.analytics.session.execute(text(sql), {name: day.isoformat() for name, day in days.items()}).scalar() or 0)

            queries = uow.analytics.results(branch_id=None, tier=None)
            this_month = self.today.replace(day=1)
            first = FIRST_MONTH
            while first <= this_month:
                for length in range(1, 5):
                    after = add_months(first, length)
                    previous_first = add_months(first, -length)
                    found = queries.activity(first, after - timedelta(days=1), previous_first, first - timedelta(days=1))
                    expected = (
                        ledger(LEDGER_ACTIVE, first=first, after=after),
                        ledger(LEDGER_ACTIVE, first=previous_first, after=first),
                        ledger(LEDGER_ACTIVE_IN_BOTH, first=first, after=after, previous_first=previous_first),
                    )
                    assert found == expected, (first, length, found, expected)
                first = add_months(first, 1)


AnalyticsMachine.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=20,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestAnalyticsProperties = AnalyticsMachine.TestCase
