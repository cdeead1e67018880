"""Ledger invariants under random sequences of earnings, spends, reversals, expiry runs and imports
(quality.md, Reliability 1 and 11).

A hypothesis stateful test: each example opens a fresh SQLite store in its own temp directory
and drives it through EarningService, Ledger.debit / Ledger.restore / Ledger.reverse_credit,
ExpiryService and ImportService. After every step: each member's posted balance equals the sum of their entries
and the sum of their lots' remaining points, and no lot is below zero or above what it earned.
Every debit takes the soonest-expiring lots first (its movements equal the domain's plan over
the lots as they were), and rerunning the expiry job or an import for the same input posts nothing.

Replaying a failure: hypothesis prints the falsifying steps and a ``@reproduce_failure(...)``
blob; rerun with the seed it reports, e.g.

    .venv/bin/pytest tests/integration/test_ledger_properties.py --hypothesis-seed=12345

or paste the blob decorator above ``TestLedgerProperties`` (``print_blob`` is on).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from earning_support import ACTOR, Desk, LotRow, check_invariants, open_desk, txn, write_csv
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, precondition, rule

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.lots import OpenLot, plan_consumption
from loyalty_desk.services.expiry import expiry_entry_uid
from loyalty_desk.services.ledger import Ledger, Posting

START = date(2024, 1, 1)
LAST_FEED_DAY = date(2026, 6, 30)  # the fixed clock's today: feed rows may not be later
days = st.integers(min_value=0, max_value=(LAST_FEED_DAY - START).days).map(lambda n: START + timedelta(days=n))
expiry_days = st.integers(min_value=0, max_value=1400).map(lambda n: date(2025, 6, 1) + timedelta(days=n))
member_index = st.integers(min_value=0, max_value=2)
amounts = st.sampled_from(["0.99", "1", "57.30", "999.99", "3000", "12000", "100000", "250000.50"])
earning_kinds = st.sampled_from(["card_spend", "card_spend", "financing", "branch_event", "survey", "repayment", "profile_completed"])


class LedgerMachine(RuleBasedStateMachine):
    spends = Bundle("spends")

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="ledger-props-"))
        self.desk: Desk = open_desk(self.tmp / "store")
        self.members = [
            self.desk.add_member(),
            self.desk.add_member(tier="gold", card_approved_on=date(2024, 3, 1)),
            self.desk.add_member(tier="silver"),
        ]
        self.serial = 0
        self.purchases: dict[str, list[str]] = {m: [] for m in self.members}
        self.files: list[Path] = []

    def teardown(self) -> None:
        self.desk.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------ helpers

    def _next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def _balances(self) -> dict[str, int]:
        return {m: self.desk.balance(m) for m in self.members}

    def _assert_soonest_first(self, before: list[LotRow], entry_id: int, points: int) -> None:
        plan = plan_consumption((OpenLot(lot.id, lot.earned_on, lot.expires_on, lot.remaining) for lot in before), points)
        with self.desk.context.uow() as uow:
            moved = [(m.lot_id, -m.points) for m in uow.ledger.movements_of_entry(entry_id)]
        assert moved == plan, (moved, plan)

    # ------------------------------------------------------------ rules

    @rule(who=member_index, kind=earning_kinds, amount=amounts, on=days, late=st.booleans())
    def earn(self, who: int, kind: str, amount: str, on: date, late: bool) -> None:
        member = self.members[who]
        txn_id = self._next_id("E")
        due = on - timedelta(days=1) if late else on + timedelta(days=3)
        counts = self.desk.post(txn(txn_id, member, on, kind, amount, "FIN-HM" if late else "CARD", due_date=due))
        assert counts.already_posted == 0 and counts.posted + counts.no_points == 1
        if kind == "card_spend":
            self.purchases[member].append(txn_id)

    @precondition(lambda self: any(self.purchases.values()))
    @rule(data=st.data(), amount=amounts, on=days)
    def refund(self, data: st.DataObject, amount: str, on: date) -> None:
        member = data.draw(st.sampled_from([m for m in self.members if self.purchases[m]]))
        original = data.draw(st.sampled_from(self.purchases[member]))
        before = [lot for lot in self.desk.lots(member) if lot.remaining > 0]
        txn_id = self._next_id("R")
        self.desk.post(txn(txn_id, member, on, "card_refund", amount, original_txn_id=original))
        clawbacks = [e for e in self.desk.entries(member) if e.entry_uid == f"txn:{txn_id}:base"]
        for entry in clawbacks:
            assert entry.points < 0 and entry.details["shortfall"] >= 0
            self._assert_soonest_first(before, entry.id, -entry.points)

    @rule(target=spends, who=member_index, share=st.floats(min_value=0.01, max_value=1.0), on=days)
    def spend(self, who: int, share: float, on: date) -> tuple[str, int] | None:
        member = self.members[who]
        before = [lot for lot in self.desk.lots(member) if lot.remaining > 0]
        available = sum(lot.remaining for lot in before)
        if available == 0:
            return None
        points = max(1, int(available * share))
        entry_id = self.desk.spend(member, points, uid=self._next_id("S"), on=on)
        self._assert_soonest_first(before, entry_id, points)
        return member, entry_id

    @rule(spent=consumes(spends), on=days)
    def reverse(self, spent: tuple[str, int] | None, on: date) -> None:
        if spent is None:
            return
        member, entry_id = spent
        before = self.desk.balance(member)
        points = -next(e.points for e in self.desk.entries(member) if e.id == entry_id)
        self.desk.reverse(member, entry_id, uid=self._next_id("V"), on=on)
        assert self.desk.balance(member) == before + points

    @rule(data=st.data(), on=days)
    def reverse_credit(self, data: st.DataObject, on: date) -> None:
        """``Ledger.reverse_credit`` of an earning: out of the lot it opened first, the rest soonest-expiring
        first; refused (nothing posted) when the member's lots hold less than the credit."""
        member_no = data.draw(st.sampled_from(self.members))
        with self.desk.context.uow() as uow:
            member = uow.members.by_no(member_no)
            assert member is not None
            credits = [e.id for e in uow.ledger.entries_for_member(member.id) if e.points > 0 and e.kind == "earn" and uow.ledger.reversal_of(e.id) is None]
        if not credits:
            return
        entry_id = data.draw(st.sampled_from(credits))
        before = {lot.id: lot for lot in self.desk.lots(member_no)}
        balance = self.desk.balance(member_no)
        with self.desk.context.uow(write=True) as uow:
            member = uow.members.lock(uow.members.by_no(member_no).id)
            original = uow.ledger.entry(entry_id)
            points = original.points
            own = next(lot.id for lot in uow.ledger.lots_for_member(member.id) if lot.entry_id == entry_id)
            posting = Posting(entry_uid=self._next_id("C"), kind="reversal", rule="test", occurred_on=on)
            try:
                entry = Ledger(uow, self.desk.context.rules, self.desk.clock()).reverse_credit(member, posting, original)
            except DomainError as error:
                assert error.code == "ledger.credit_spent" and balance < points
                return
            uow.commit()
            moved = {m.lot_id: -m.points for m in uow.ledger.movements_of_entry(entry.id)}
        after = {lot.id: lot for lot in self.desk.lots(member_no)}
        assert self.desk.balance(member_no) == balance - points
        from_own = min(points, before[own].remaining)
        assert after[own].remaining == before[own].remaining - from_own
        if from_own == points:  # the lot it opened covered it: no other lot moved
            assert moved == {own: points}
            assert all(after[i] == lot for i, lot in before.items() if i != own)
        else:  # the rest soonest-expiring first over what was left
            rest = [OpenLot(lot.id, lot.earned_on, lot.expires_on, lot.remaining) for lot in before.values() if lot.id != own]
            assert {i: p for i, p in moved.items() if i != own} == dict(plan_consumption(rest, points - from_own))

    @rule(as_of=expiry_days)
    def expire(self, as_of: date) -> None:
        # One expiry entry per member per run date: a member already expired for this date keeps a lot
        # imported since (backdated) until the next run date, so only the others must be fully expired.
        done_before = {member for member in self.members if self._expired_for(member, as_of)}
        self.desk.expiry.run(as_of=as_of)
        after_first = self._balances()
        rerun = self.desk.expiry.run(as_of=as_of)
        assert (rerun.members_expired, rerun.points_expired) == (0, 0)
        assert self._balances() == after_first
        for member in set(self.members) - done_before:
            assert all(lot.remaining == 0 for lot in self.desk.lots(member) if lot.expires_on < as_of)

    def _expired_for(self, member_no: str, as_of: date) -> bool:
        with self.desk.context.uow() as uow:
            return uow.ledger.entry_by_uid(expiry_entry_uid(member_no, as_of)) is not None

    @rule(
        rows=st.lists(st.tuples(member_index, earning_kinds, amounts, days, st.booleans()), min_size=1, max_size=6),
        bad=st.booleans(),
    )
    def import_file(self, rows: list[tuple[int, str, str, date, bool]], bad: bool) -> None:
        lines = [
            [self._next_id("I"), self.members[who], on.isoformat(), kind, amount, "CARD", (on + timedelta(days=1)).isoformat(), ""]
            for who, kind, amount, on, _ in rows
        ]
        if bad:
            lines.append([self._next_id("I"), self.members[0], "2026-02-30", "card_spend", "10", "", "", ""])
        path = write_csv(self.tmp / f"feed{len(self.files)}.csv", lines)
        self.files.append(path)
        before = self._balances()
        refused = self.desk.imports.import_transactions(path=path, actor=ACTOR)
        if bad:
            assert not refused.posted and self._balances() == before
            assert [(p.row, p.column) for p in refused.problems] == [(len(lines) + 1, "date")]
            report = self.desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=True)
        else:
            report = refused
        assert report.posted and report.rows_already_imported == 0

    @precondition(lambda self: bool(self.files))
    @rule(data=st.data())
    def reimport(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(self.files))
        before = self._balances()
        report = self.desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=True)
        assert report.rows_posted == 0 and report.points_posted == 0
        assert self._balances() == before

    # ------------------------------------------------------------ invariants

    @invariant()
    def balances_entries_and_lots_agree(self) -> None:
        check_invariants(self.desk)


LedgerMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestLedgerProperties = LedgerMachine.TestCase
