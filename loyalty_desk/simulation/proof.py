"""The proof by counting at the end of a simulation run.

Every operation a desk made (its id, kept by the simulator when the service returned) ends in one of:

* **applied**: central holds it as ``posted``, the desk's outbox says ``accepted``, and central wrote
  no more ledger entries for it than the desk did when it made it;
* **refused with a reason**: central ``rejected`` it (its reason code), or the desk refused to send it
  (``sync.*``), and the desk's exceptions queue holds it with that reason;
* anything else is **lost**, with what was wrong: still waiting at the desk, received but never
  applied, never received, rejected without an exception at the desk, or the two sides' verdicts
  differing.

**Applied twice**: more than one ``inbound_operation`` or ``operation`` row at central for the id, or
more ledger entries for it at central than the desk wrote. **Desks equal**: every member a desk holds
has central's balance and held points. The proof holds when lost = 0, applied twice = 0 and every
desk equals central.

**Redemption wait**: for each redemption applied, the seconds from its making at the desk (its
``made_at``, the desk's clock) to central's verdict (``applied_at``): p50, p95 and max, of all of them
and of those made online (an offline one waits for its desk's line to come back too). The desks and
the run's appliers (processes on the same machine) share its clock; with ``--appliers 0`` the
appliers' machine keeps the other clock.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from loyalty_desk.store.db import make_engine

_INBOUND = text(
    "SELECT operation_id, status, reason_code, count(*) OVER (PARTITION BY operation_id), offline, "
    "extract(epoch FROM applied_at - made_at), extract(epoch FROM applied_at - received_at) FROM inbound_operation WHERE operation_id = ANY(:ids)"
)
REDEEM = "redeem"
_OPERATIONS = text("SELECT id, count(*) FROM operation WHERE id = ANY(:ids) GROUP BY id")
_ENTRIES = text("SELECT operation_id, count(*), sum(points) FROM ledger_entry WHERE operation_id = ANY(:ids) GROUP BY operation_id")
_BALANCES = text("SELECT member_no, posted_balance, held_points FROM member WHERE member_no = ANY(:nos)")
_CHUNK = 20_000


@dataclass(frozen=True)
class DeskFacts:
    """What the simulator read from one desk at the end."""

    name: str
    made: dict[str, str]  # operation id → kind
    effect_here: dict[str, tuple[int, int]]  # operation id → (ledger entries, points) when made
    outbox: dict[str, tuple[str | None, str | None]]  # operation id → (outcome, code)
    exceptions: dict[str, str]  # operation id → reason code
    balances: dict[str, tuple[int, int]]  # member number → (posted balance, held points)


@dataclass
class Proof:
    made: Counter[str] = field(default_factory=Counter)  # by kind
    applied: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # by "kind: reason", in the exceptions queues
    lost: Counter[str] = field(default_factory=Counter)  # by what was wrong
    lost_examples: list[str] = field(default_factory=list)
    applied_twice: int = 0
    other_effect: int = 0  # applied once, but central's entries moved other points than the desk's did
    desks: int = 0
    desks_differing: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    # seconds from a redemption made at its desk (``made_at``) to its verdict ``posted`` at central (``applied_at``),
    # of every redemption applied, and of those made while the desk was online
    redemption_waits: list[float] = field(default_factory=list)
    online_redemption_waits: list[float] = field(default_factory=list)
    # of each redemption applied, the seconds central took from receiving it (``received_at``) to its verdict, by operation id
    central_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_made(self) -> int:
        return sum(self.made.values())

    @property
    def total_lost(self) -> int:
        return sum(self.lost.values())

    @property
    def holds(self) -> bool:
        return self.total_lost == 0 and self.applied_twice == 0 and not self.desks_differing


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def count(url: str, desks: list[DeskFacts], *, examples: int = 10) -> Proof:
    """Counts every desk's operations and balances against central's (``url``: its owner, reading everything)."""
    ids = [operation_id for desk in desks for operation_id in desk.made]
    inbound: dict[str, tuple[str, str | None, int]] = {}
    waits: dict[str, tuple[bool, float | None, float | None]] = {}  # operation id → (made offline, seconds from made / from received to applied)
    operations: dict[str, int] = {}
    entries: dict[str, tuple[int, int]] = {}
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            for chunk in _chunks(ids):
                for o, s, r, n, offline, wait, at_central in connection.execute(_INBOUND, {"ids": chunk}):
                    inbound[o] = (s, r, int(n))
                    waits[o] = (bool(offline), None if wait is None else float(wait), None if at_central is None else float(at_central))
                operations.update({o: int(n) for o, n in connection.execute(_OPERATIONS, {"ids": chunk})})
                entries.update({o: (int(n), int(p or 0)) for o, n, p in connection.execute(_ENTRIES, {"ids": chunk})})
            held = sorted({no for desk in desks for no in desk.balances})
            central: dict[str, tuple[int, int]] = {}
            for chunk in _chunks(held):
                central.update({no: (int(b), int(h)) for no, b, h in connection.execute(_BALANCES, {"nos": chunk})})
    finally:
        engine.dispose()
    proof = Proof(desks=len(desks))

    def lose(reason: str, desk: str, operation_id: str, kind: str) -> None:
        proof.lost[reason] += 1
        if len(proof.lost_examples) < examples:
            proof.lost_examples.append(f"{desk} {kind} {operation_id}: {reason}")

    for desk in desks:
        for operation_id, kind in desk.made.items():
            proof.made[kind] += 1
            status, reason, rows = inbound.get(operation_id, (None, None, 0))
            outcome, code = desk.outbox.get(operation_id, (None, None))
            here_entries, here_points = desk.effect_here.get(operation_id, (0, 0))
            central_entries, central_points = entries.get(operation_id, (0, 0))
            if rows > 1 or operations.get(operation_id, 0) > 1 or central_entries > here_entries:
                proof.applied_twice += 1
            if operation_id not in desk.outbox:
                lose("never queued at the desk", desk.name, operation_id, kind)
            elif outcome is None:
                lose("still waiting at the desk" if status is None else f"still waiting at the desk, {status} at central", desk.name, operation_id, kind)
            elif status == "received":
                lose("received at central, never applied", desk.name, operation_id, kind)
            elif status == "posted":
                if outcome != "accepted":
                    lose(f"posted at central, {outcome} ({code}) at the desk", desk.name, operation_id, kind)
                elif operations.get(operation_id, 0) == 0:
                    lose("posted at central without its operation row", desk.name, operation_id, kind)
                else:
                    proof.applied += 1
                    if central_points != here_points:
                        proof.other_effect += 1
                    offline, wait, at_central = waits.get(operation_id, (False, None, None))
                    if kind == REDEEM and wait is not None:
                        proof.redemption_waits.append(wait)
                        if not offline:
                            proof.online_redemption_waits.append(wait)
                    if kind == REDEEM and at_central is not None:
                        proof.central_seconds[operation_id] = at_central
            elif outcome == "accepted":
                lose("accepted at the desk, never received at central" if status is None else f"accepted at the desk, {status} at central",
                     desk.name, operation_id, kind)
            elif operation_id not in desk.exceptions:
                lose(f"rejected ({code}) without an exception at the desk", desk.name, operation_id, kind)
            else:
                proof.refused[f"{kind}: {reason or desk.exceptions[operation_id]}"] += 1
        differing = [
            f"{desk.name} {no}: desk {here}, central {central.get(no, 'absent')}"
            for no, here in sorted(desk.balances.items()) if central.get(no) != here
        ]
        if differing:
            proof.desks_differing.append(desk.name)
            proof.differences.extend(differing[: max(0, examples - len(proof.differences))])
    return proof


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.5 for the median, 0.95 for p95) of ``values`` (not empty)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def wait_line(waits: list[float]) -> str:
    """p50, p95 and max of waits in seconds, and how many: ``p50 0.41 s, p95 1.90 s, max 12.03 s (1,204)``."""
    if not waits:
        return "none applied"
    return f"p50 {percentile(waits, 0.5):,.2f} s, p95 {percentile(waits, 0.95):,.2f} s, max {max(waits):,.2f} s ({len(waits):,})"


def report_lines(proof: Proof, extra: dict[str, Any] | None = None) -> list[str]:
    """The report ``central simulate`` prints."""
    lines = [f"Operations made at the desks: {proof.total_made:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(proof.made.items()))})"]
    lines.append(f"Applied exactly once at central: {proof.applied:,}")
    lines.append(f"Refused, in the desks' exceptions queues with their reason: {sum(proof.refused.values()):,}")
    lines.extend(f"  {reason}: {n:,}" for reason, n in proof.refused.most_common())
    lines.append(f"Lost: {proof.total_lost:,}")
    lines.extend(f"  {reason}: {n:,}" for reason, n in proof.lost.most_common())
    lines.extend(f"  e.g. {example}" for example in proof.lost_examples)
    lines.append(f"Applied twice: {proof.applied_twice:,}")
    if proof.other_effect:
        lines.append(f"Applied once with other points at central than at the desk: {proof.other_effect:,}")
    lines.append(f"Desks equal to central: {proof.desks - len(proof.desks_differing)} of {proof.desks}")
    lines.extend(f"  {difference}" for difference in proof.differences)
    lines.append(f"Redemption wait, made at the desk to applied at central: {wait_line(proof.redemption_waits)}")
    lines.append(f"  of those made online: {wait_line(proof.online_redemption_waits)}")
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {value}")
    lines.append("PROOF HOLDS: every operation applied once or refused with its reason; every desk equals central."
                 if proof.holds else "PROOF FAILS: see above.")
    return lines
