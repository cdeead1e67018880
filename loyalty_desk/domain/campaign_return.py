"""A campaign's incremental spend and its return per CNY of points, against the members it could have
reached and did not.

Participants are the members the campaign awarded; the comparison group the members eligible for it who
took no part. Over the same months, each group's card spend is averaged per member; the incremental spend
is the difference of the averages times the participants (negative when participants spent less), and the
return per CNY that spend over the CNY the campaign's points cost. An average of no members, and a return
on nothing spent, are not figures (None), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
FEN_PER_CNY = 100


@dataclass(frozen=True)
class CampaignReturn:
    participants: int
    participant_spend: Decimal  # CNY, the participants' card spend in the months compared
    comparison_members: int
    comparison_spend: Decimal
    average_participant: Decimal | None  # CNY per member, to the cent
    average_comparison: Decimal | None
    incremental_spend: Decimal | None  # (average participant - average comparison) x participants
    return_per_cny: Decimal | None  # incremental spend / cost


def cny_of_fen(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_CNY).quantize(CENT)


def _average(spend: Decimal, members: int) -> Decimal | None:
    return spend / members if members > 0 else None


def campaign_return(
    *, participants: int, participant_spend_fen: int, comparison_members: int, comparison_spend_fen: int, cost_cny: Decimal
) -> CampaignReturn:
    """The figures from the two groups' sizes and spend (in fen) and the points' cost in CNY. The
    incremental spend is worked from the unrounded averages and rounded to the cent once; the return to
    the cent, from the rounded incremental spend a reader sees."""
    participant_spend, comparison_spend = cny_of_fen(participant_spend_fen), cny_of_fen(comparison_spend_fen)
    average_participant = _average(participant_spend, participants)
    average_comparison = _average(comparison_spend, comparison_members)
    incremental = None
    if average_participant is not None and average_comparison is not None:
        incremental = ((average_participant - average_comparison) * participants).quantize(CENT, rounding=ROUND_HALF_UP)
    per_cny = None
    if incremental is not None and cost_cny > 0:
        per_cny = (incremental / cost_cny).quantize(CENT, rounding=ROUND_HALF_UP)
    return CampaignReturn(
        participants=participants,
        participant_spend=participant_spend,
        comparison_members=comparison_members,
        comparison_spend=comparison_spend,
        average_participant=None if average_participant is None else average_participant.quantize(CENT, rounding=ROUND_HALF_UP),
        average_comparison=None if average_comparison is None else average_comparison.quantize(CENT, rounding=ROUND_HALF_UP),
        incremental_spend=incremental,
        return_per_cny=per_cny,
    )


def months_compared(first: date, last: date, starts_on: date, ends_on: date) -> tuple[date, date] | None:
    """The first days of the first and last months of the period (``first`` to ``last``) in which the
    campaign ran (``starts_on`` to ``ends_on``); None when it ran in none of them."""
    begin, end = max(first, starts_on), min(last, ends_on)
    if begin > end:
        return None
    return begin.replace(day=1), end.replace(day=1)
