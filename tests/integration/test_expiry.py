"""The expiry job: lots expire after the last day of their month, one entry per member per run
date, reruns post nothing new, and spending takes the soonest-expiring lots first."""

from __future__ import annotations

from datetime import date

import pytest
from earning_support import Desk, check_invariants, txn

from loyalty_desk.services import expiry as expiry_module


def movements(desk: Desk, entry_id: int) -> list[tuple[int, int]]:
    with desk.context.uow() as uow:
        return [(m.lot_id, m.points) for m in uow.ledger.movements_of_entry(entry_id)]


def event(desk: Desk, member: str, txn_id: str, on: date) -> None:
    desk.post(txn(txn_id, member, on, "branch_event"))  # 1,000 points, one lot, no bonuses


def test_a_lot_is_usable_through_the_last_day_of_its_month_and_expires_after(desk: Desk) -> None:
    member = desk.add_member()
    event(desk, member, "e1", date(2024, 3, 15))
    [lot] = desk.lots(member)
    assert lot.expires_on == date(2026, 3, 31)

    on_last_day = desk.expiry.run(as_of=date(2026, 3, 31))
    assert (on_last_day.members_expired, on_last_day.points_expired) == (0, 0)
    assert desk.balance(member) == 1000

    report = desk.expiry.run(as_of=date(2026, 4, 1))
    assert (report.members_expired, report.points_expired) == (1, 1000)
    [entry] = [e for e in desk.entries(member) if e.kind == "expire"]
    assert (entry.entry_uid, entry.points, entry.occurred_on) == (f"expiry:{member}:2026-04-01", -1000, date(2026, 4, 1))
    assert movements(desk, entry.id) == [(lot.id, -1000)]
    assert desk.balance(member) == 0
    check_invariants(desk)


def test_one_entry_per_member_per_run_and_a_rerun_posts_nothing(desk: Desk) -> None:
    a, b = desk.add_member(), desk.add_member()
    for i, on in enumerate((date(2024, 1, 5), date(2024, 2, 20))):
        event(desk, a, f"a{i}", on)
        event(desk, b, f"b{i}", on)
    event(desk, b, "b-new", date(2025, 6, 1))

    first = desk.expiry.run(as_of=date(2026, 3, 10))
    assert (first.members_expired, first.points_expired) == (2, 4000)
    assert [e.points for e in desk.entries(a) if e.kind == "expire"] == [-2000]  # two lots, one entry
    again = desk.expiry.run(as_of=date(2026, 3, 10))
    assert (again.members_expired, again.points_expired) == (0, 0)
    assert desk.balance(a) == 0 and desk.balance(b) == 1000
    with desk.context.uow() as uow:
        runs = uow.audit.search(action="job.expiry")[1]
        assert len(runs) == 2 and runs[0].actor == "system"
        job = uow.reference.job_run("expiry", "2026-03-10")
        assert job is not None and job.finished_at is not None
    check_invariants(desk)


def test_spending_takes_the_soonest_expiring_lot_first_and_expiry_takes_what_is_left(desk: Desk) -> None:
    member = desk.add_member()
    event(desk, member, "late", date(2025, 1, 10))  # expires 2027-01-31
    event(desk, member, "early", date(2024, 2, 10))  # expires 2026-02-28
    event(desk, member, "middle", date(2024, 5, 10))  # expires 2026-05-31
    lots = {lot.earned_on: lot for lot in desk.lots(member)}
    early, middle, late = lots[date(2024, 2, 10)], lots[date(2024, 5, 10)], lots[date(2025, 1, 10)]

    spend = desk.spend(member, 1500, uid="spend-1", on=date(2026, 1, 15))
    assert movements(desk, spend) == [(early.id, -1000), (middle.id, -500)]

    report = desk.expiry.run(as_of=date(2026, 6, 1))
    assert report.points_expired == 500  # what the spend left of the middle lot
    [expiry] = [e for e in desk.entries(member) if e.kind == "expire"]
    assert movements(desk, expiry.id) == [(middle.id, -500)]
    assert {lot.id: lot.remaining for lot in desk.lots(member)} == {early.id: 0, middle.id: 0, late.id: 1000}
    check_invariants(desk)


def test_a_reversal_into_an_expired_lot_is_expired_by_the_next_run_not_a_rerun(desk: Desk) -> None:
    member = desk.add_member()
    event(desk, member, "old", date(2024, 1, 10))  # expires 2026-01-31
    spend = desk.spend(member, 400, uid="spend-1", on=date(2026, 1, 20))
    assert desk.expiry.run(as_of=date(2026, 2, 1)).points_expired == 600

    desk.reverse(member, spend, uid="reverse-1", on=date(2026, 2, 3))  # back into the expired lot
    rerun = desk.expiry.run(as_of=date(2026, 2, 1))
    assert (rerun.members_expired, rerun.points_expired, rerun.already_run_members) == (0, 0, 1)
    assert desk.balance(member) == 400

    next_run = desk.expiry.run(as_of=date(2026, 2, 4))
    assert (next_run.members_expired, next_run.points_expired) == (1, 400)
    assert desk.balance(member) == 0
    check_invariants(desk)


def test_expiry_is_posted_in_batches_and_a_cancelled_run_can_be_rerun(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    members = [desk.add_member() for _ in range(5)]
    for i, member in enumerate(members):
        event(desk, member, f"e{i}", date(2024, 1, 10))
    monkeypatch.setattr(expiry_module, "BATCH_MEMBERS", 2)

    class CancelAfterFirstBatch:
        def __init__(self) -> None:
            self.batches = 0

        def set_progress(self, done: int, total: int) -> None:
            self.batches += 1

        def set_status(self, text: str) -> None:
            pass

        def is_cancelled(self) -> bool:
            return self.batches >= 1

    partial = desk.expiry.run(as_of=date(2026, 3, 1), progress=CancelAfterFirstBatch())
    assert partial.members_expired == 2
    rest = desk.expiry.run(as_of=date(2026, 3, 1))
    assert (rest.members_expired, rest.points_expired) == (3, 3000)
    assert all(desk.balance(m) == 0 for m in members)
    assert all(len([e for e in desk.entries(m) if e.kind == "expire"]) == 1 for m in members)
