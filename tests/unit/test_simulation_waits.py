"""The simulation report's wait figures (``simulation/proof.py``): nearest-rank percentiles, and the line's form."""

from __future__ import annotations

from loyalty_desk.simulation.proof import Proof, percentile, report_lines, wait_line


def test_the_wait_figures_are_nearest_rank_percentiles() -> None:
    waits = [float(n) for n in range(1, 101)]  # 1 .. 100 s
    assert (percentile(waits, 0.5), percentile(waits, 0.95), percentile([7.0], 0.95)) == (50.0, 95.0, 7.0)
    assert wait_line(list(reversed(waits))) == "p50 50.00 s, p95 95.00 s, max 100.00 s (100)"


def test_the_report_shows_the_redemption_wait_of_all_and_of_those_made_online() -> None:
    proof = Proof(redemption_waits=[0.2, 0.4, 30.0], online_redemption_waits=[0.2, 0.4])
    lines = report_lines(proof)
    assert "Redemption wait, made at the desk to applied at central: p50 0.40 s, p95 30.00 s, max 30.00 s (3)" in lines
    assert "  of those made online: p50 0.20 s, p95 0.40 s, max 0.40 s (2)" in lines
    assert "Redemption wait, made at the desk to applied at central: none applied" in report_lines(Proof())
